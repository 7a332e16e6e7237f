import { createHmac, randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { getEnv } from "./env.server";
import { secureCookies } from "./session.server";

// OWASP's "device cookies" (decision 012): a browser that logged in to an account keeps a signed cookie naming
// that account — by a keyed hash, not the address — with a random nonce. The per-address login cool-down does
// not apply to it, so whoever guesses passwords from elsewhere slows the address down for every browser but its
// owner's. The nonce gets a cool-down of its own: a stolen cookie does not give unlimited guesses either.

const MAX_ACCOUNTS = 5;
const DEVICE_DAYS = 365;

type Entry = { a: string; n: string };

const deviceCookie = (secure: boolean) =>
  createCookie("__tc_device", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure,
    secrets: [getEnv().SESSION_SECRET],
    maxAge: DEVICE_DAYS * 86_400,
  });

const accountKey = (email: string) =>
  createHmac("sha256", getEnv().SESSION_SECRET)
    .update(`device:${email.toLowerCase()}`)
    .digest("base64url")
    .slice(0, 22);

const isEntry = (value: unknown): value is Entry =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as Entry).a === "string" &&
  typeof (value as Entry).n === "string";

async function entries(request: Request): Promise<Entry[]> {
  // A cookie whose signature does not check out parses to null: it is ignored like no cookie at all.
  const value: unknown = await deviceCookie(false).parse(request.headers.get("Cookie"));
  return Array.isArray(value) ? value.filter(isEntry).slice(0, MAX_ACCOUNTS) : [];
}

/** The nonce this browser holds for the account if it logged in to it before; null otherwise. */
export async function knownDevice(request: Request, email: string): Promise<string | null> {
  const key = accountKey(email);
  return (await entries(request)).find((e) => e.a === key)?.n ?? null;
}

/** The Set-Cookie remembering this browser for the account, with a fresh nonce (and the other accounts it knows). */
export async function rememberDevice(request: Request, email: string): Promise<string> {
  const key = accountKey(email);
  const others = (await entries(request)).filter((e) => e.a !== key);
  const fresh: Entry = { a: key, n: randomBytes(16).toString("base64url") };
  return deviceCookie(secureCookies(request)).serialize([fresh, ...others].slice(0, MAX_ACCOUNTS));
}
