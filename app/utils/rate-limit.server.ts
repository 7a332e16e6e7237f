import { createHash } from "node:crypto";
import { Prisma } from "~/generated/prisma/client";
import type { Client } from "./db.server";
import { getEnv } from "./env.server";

/**
 * Fixed-window counter kept in the database so limits hold across restarts and app instances.
 * One atomic upsert per hit: concurrent requests cannot both read a stale count.
 */
export async function hitRateLimit(
  tx: Client,
  key: string,
  { max, windowSeconds, now = new Date() }: { max: number; windowSeconds: number; now?: Date },
) {
  const windowFloor = new Date(now.getTime() - windowSeconds * 1000);
  const rows = await tx.$queryRaw<{ count: number; windowStart: Date }[]>`
    INSERT INTO "RateLimit" (key, "windowStart", count) VALUES (${key}, ${now}, 1)
    ON CONFLICT (key) DO UPDATE SET
      "windowStart" = CASE WHEN "RateLimit"."windowStart" <= ${windowFloor} THEN ${now} ELSE "RateLimit"."windowStart" END,
      count = CASE WHEN "RateLimit"."windowStart" <= ${windowFloor} THEN 1 ELSE "RateLimit".count + 1 END
    RETURNING count, "windowStart"`;
  const { count, windowStart } = rows[0];
  const retryAfterSeconds = Math.max(
    1,
    Math.ceil((windowStart.getTime() + windowSeconds * 1000 - now.getTime()) / 1000),
  );
  return { allowed: count <= max, retryAfterSeconds };
}

/**
 * The throttle of the sign-up and reset forms: requests per address (RATE_LIMIT_MAX) and per client IP (three
 * times as many, as several people can share one IP) within RATE_LIMIT_WINDOW_SECONDS.
 */
export async function throttleAccountForm(tx: Client, form: "signup" | "reset", who: { ip: string; email: string }) {
  const env = getEnv();
  const limit = { max: env.RATE_LIMIT_MAX, windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS };
  const byEmail = await hitRateLimit(tx, `${form}:email:${who.email}`, limit);
  const byIp = await hitRateLimit(tx, `${form}:ip:${who.ip}`, { ...limit, max: limit.max * 3 });
  return {
    allowed: byEmail.allowed && byIp.allowed,
    retryAfterSeconds: Math.max(
      byEmail.allowed ? 0 : byEmail.retryAfterSeconds,
      byIp.allowed ? 0 : byIp.retryAfterSeconds,
    ),
  };
}

/**
 * Tries at one sign-up confirmation link. A wrong password leaves the link usable, so without a limit whoever got
 * hold of a link (forwarded, logged) could guess the password for the link's whole life. Keyed by the token's
 * digest, so the table holds no usable link.
 */
export async function throttleSignUpConfirmation(tx: Client, token: string) {
  const env = getEnv();
  const key = `signup-confirm:${createHash("sha256").update(token).digest("hex")}`;
  return hitRateLimit(tx, key, { max: env.RATE_LIMIT_MAX, windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS });
}

/**
 * The login cool-down of one address (decision 012): a few attempts in a row go through at once, then each one
 * makes the next wait twice as long, up to a short cap. It slows guessing to a trickle without ever locking the
 * owner out for long; a success starts it over.
 */
export const LOGIN_COOLDOWN = { freeAttempts: 5, firstDelaySeconds: 2, maxDelaySeconds: 60 } as const;

/** Seconds the next attempt waits after `attempts` attempts in a row without a success. */
export function loginDelaySeconds(attempts: number) {
  const { freeAttempts, firstDelaySeconds, maxDelaySeconds } = LOGIN_COOLDOWN;
  return attempts < freeAttempts ? 0 : Math.min(maxDelaySeconds, firstDelaySeconds * 2 ** (attempts - freeAttempts));
}

type Refusal = { allowed: false; retryAfterSeconds: number; message: string };

/**
 * Claims one login attempt under `key`, or refuses it while the cool-down runs. Claiming is one upsert whose
 * update only happens once `notBefore` has passed: concurrent attempts are ordered by the row's lock and only
 * as many as the cool-down allows get a row back. A refused attempt is not counted, so hammering does not
 * lengthen the wait. After `idleSeconds` without an attempt the count starts over.
 */
export async function claimLoginAttempt(
  tx: Client,
  key: string,
  { now, idleSeconds }: { now: Date; idleSeconds: number },
) {
  const idleFloor = new Date(now.getTime() - idleSeconds * 1000);
  const { freeAttempts, firstDelaySeconds, maxDelaySeconds } = LOGIN_COOLDOWN;
  // The attempt being claimed, counted from 1 again after a quiet spell; repeated below, as an upsert's SET cannot
  // name its own new values.
  const attempt = Prisma.sql`(CASE WHEN t."lastAttemptAt" <= ${idleFloor} THEN 1 ELSE t.attempts + 1 END)`;
  const claimed = await tx.$queryRaw<{ attempts: number }[]>`
    INSERT INTO "LoginThrottle" AS t (key, attempts, "notBefore", "lastAttemptAt")
    VALUES (${key}, 1, ${new Date(now.getTime() + loginDelaySeconds(1) * 1000)}, ${now})
    ON CONFLICT (key) DO UPDATE SET
      attempts = ${attempt},
      "lastAttemptAt" = ${now},
      "notBefore" = ${now}::timestamptz + make_interval(secs => CASE WHEN ${attempt} < ${freeAttempts}::int THEN 0
        ELSE LEAST(${maxDelaySeconds}::float8, ${firstDelaySeconds}::float8 * power(2::float8, (${attempt} - ${freeAttempts}::int)::float8)) END)
    WHERE t."notBefore" <= ${now}
    RETURNING t.attempts`;
  if (claimed.length) return { allowed: true as const, attempts: claimed[0].attempts };
  const row = await tx.loginThrottle.findUnique({ where: { key }, select: { notBefore: true } });
  const retryAfterSeconds = Math.max(
    1,
    Math.ceil(((row?.notBefore.getTime() ?? now.getTime()) - now.getTime()) / 1000),
  );
  return { allowed: false as const, retryAfterSeconds };
}

export const loginThrottleKey = (who: { email: string; device: string | null }) =>
  who.device ? `login:device:${who.device}` : `login:email:${who.email}`;

/**
 * The login's throttle: per client IP a fixed window (3 × RATE_LIMIT_MAX attempts, every browser alike), then
 * the cool-down of the address — or, for a browser that logged in to this account before (`device`, its
 * known-device nonce), that browser's own cool-down, which attempts from elsewhere never touch.
 */
export async function throttleLogin(
  tx: Client,
  who: { ip: string; email: string; device: string | null; now: Date },
): Promise<{ allowed: true } | Refusal> {
  const env = getEnv();
  const byIp = await hitRateLimit(tx, `login:ip:${who.ip}`, {
    max: env.RATE_LIMIT_MAX * 3,
    windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
    now: who.now,
  });
  if (!byIp.allowed) {
    return {
      allowed: false,
      retryAfterSeconds: byIp.retryAfterSeconds,
      message: `Trop de tentatives de connexion depuis votre réseau. Réessayez dans ${waitText(byIp.retryAfterSeconds)}.`,
    };
  }
  const claim = await claimLoginAttempt(tx, loginThrottleKey(who), {
    now: who.now,
    idleSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
  });
  if (!claim.allowed) {
    return {
      allowed: false,
      retryAfterSeconds: claim.retryAfterSeconds,
      message: `Trop de tentatives de connexion pour cette adresse email. Réessayez dans ${waitText(claim.retryAfterSeconds)}.`,
    };
  }
  return { allowed: true };
}

/** A success starts the cool-downs over: the address's and the browser's. */
export async function loginSucceeded(tx: Client, who: { email: string; device: string | null }) {
  const keys = [loginThrottleKey({ email: who.email, device: null }), ...(who.device ? [loginThrottleKey(who)] : [])];
  await tx.loginThrottle.deleteMany({ where: { key: { in: keys } } });
}

/** "1 seconde", "45 secondes", "12 minutes". */
export function waitText(seconds: number) {
  if (seconds <= 1) return "1 seconde";
  if (seconds < 120) return `${seconds} secondes`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
