import { createCookieSessionStorage } from "@remix-run/node";
import { getEnv } from "./env.server";

type SessionData = { sessionId: string };
let storage: ReturnType<typeof createCookieSessionStorage<SessionData>> | undefined;

/** The cookie holds only a session id, signed; the session itself is a database row that logout deletes. */
export function sessionStorage() {
  const env = getEnv();
  storage ??= createCookieSessionStorage<SessionData>({
    cookie: {
      name: "__tc_session",
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: env.APP_ENV === "production",
      secrets: [env.SESSION_SECRET],
      maxAge: 60 * 60 * 24 * 30,
    },
  });
  return storage;
}

/**
 * Whether cookies set in answer to this request must be `Secure`: always in production, and whenever the request
 * came over HTTPS — request.url carries the scheme the HTTP layer saw, the proxy's one under TRUST_PROXY.
 */
export function secureCookies(request: Request) {
  return getEnv().APP_ENV === "production" || new URL(request.url).protocol === "https:";
}

export const SESSION_DAYS = 30;
