import type { Tx } from "./db.server";
import { getEnv } from "./env.server";

/**
 * Fixed-window counter kept in the database so limits hold across restarts and app instances.
 * One atomic upsert per hit: concurrent requests cannot both read a stale count.
 */
export async function hitRateLimit(
  tx: Tx,
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
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowSeconds * 1000 - now.getTime()) / 1000));
  return { allowed: count <= max, retryAfterSeconds };
}

/**
 * The throttle of the public account forms: attempts per address (RATE_LIMIT_MAX) and per client IP (three
 * times as many, as several people can share one IP) within RATE_LIMIT_WINDOW_SECONDS.
 */
export async function throttleAccountForm(tx: Tx, form: "login" | "signup" | "reset", who: { ip: string; email: string }) {
  const env = getEnv();
  const limit = { max: env.RATE_LIMIT_MAX, windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS };
  const byEmail = await hitRateLimit(tx, `${form}:email:${who.email}`, limit);
  const byIp = await hitRateLimit(tx, `${form}:ip:${who.ip}`, { ...limit, max: limit.max * 3 });
  return byEmail.allowed && byIp.allowed;
}
