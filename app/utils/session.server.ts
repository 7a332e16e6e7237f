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

export const SESSION_DAYS = 30;
