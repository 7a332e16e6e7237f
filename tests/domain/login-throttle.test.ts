import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { claimLoginAttempt, loginDelaySeconds } from "~/utils/rate-limit.server";
import { resetDatabase } from "../helpers";

// The login cool-down of one address (decision 012), on the real database with the clock injected.

const start = new Date("2027-03-01T10:00:00Z");
const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
const IDLE = 900;

beforeEach(resetDatabase);

describe("the login cool-down", () => {
  it("lets a few attempts through, then waits twice as long after each one, up to a minute", () => {
    expect(Array.from({ length: 12 }, (_, i) => loginDelaySeconds(i + 1))).toEqual([
      0, 0, 0, 0, 2, 4, 8, 16, 32, 60, 60, 60,
    ]);
  });

  it("makes whoever keeps guessing wait longer and longer, never more than the cap", async () => {
    const key = "login:email:cible@exemple.test";
    let now = 0;
    const waits: number[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      let claim = await claimLoginAttempt(db, key, { now: at(now), idleSeconds: IDLE });
      let waited = 0;
      // Told to come back later: come back exactly then (a refused attempt is not counted).
      while (!claim.allowed) {
        waited += claim.retryAfterSeconds;
        now += claim.retryAfterSeconds;
        claim = await claimLoginAttempt(db, key, { now: at(now), idleSeconds: IDLE });
      }
      waits.push(waited);
    }
    expect(waits).toEqual([0, 0, 0, 0, 0, 2, 4, 8, 16, 32, 60, 60]);
  });

  it("does not lengthen the wait for attempts refused during it, and starts over after a quiet spell", async () => {
    const key = "login:email:cible@exemple.test";
    for (let i = 0; i < 5; i++)
      expect((await claimLoginAttempt(db, key, { now: at(0), idleSeconds: IDLE })).allowed).toBe(true);
    for (let i = 0; i < 50; i++)
      expect(await claimLoginAttempt(db, key, { now: at(1), idleSeconds: IDLE })).toEqual({
        allowed: false,
        retryAfterSeconds: 1,
      });
    expect(await claimLoginAttempt(db, key, { now: at(2), idleSeconds: IDLE })).toEqual({ allowed: true, attempts: 6 });
    expect(await claimLoginAttempt(db, key, { now: at(3), idleSeconds: IDLE })).toEqual({
      allowed: false,
      retryAfterSeconds: 3,
    });
    // Fifteen quiet minutes: the next attempt counts as the first.
    expect(await claimLoginAttempt(db, key, { now: at(2 + IDLE + 1), idleSeconds: IDLE })).toEqual({
      allowed: true,
      attempts: 1,
    });
  });

  it("counts right under concurrency: of twenty attempts at once, exactly the free ones get through", async () => {
    const key = "login:email:ruee@exemple.test";
    const claims = await Promise.all(
      Array.from({ length: 20 }, () => claimLoginAttempt(db, key, { now: at(0), idleSeconds: IDLE })),
    );
    expect(claims.filter((c) => c.allowed)).toHaveLength(5);
    expect(claims.filter((c) => !c.allowed).every((c) => !c.allowed && c.retryAfterSeconds === 2)).toBe(true);
    expect(await db.loginThrottle.findUniqueOrThrow({ where: { key } })).toMatchObject({
      attempts: 5,
      notBefore: at(2),
    });
  });
});
