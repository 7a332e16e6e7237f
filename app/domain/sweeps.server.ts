import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type Stripe from "stripe";
import type { Db } from "~/utils/db.server";

// The periodic sweeps (lapsed holds, stale Checkout pages, rent due…), each run under a lease row so that several
// app instances on one database never run the same sweep at once (decision 013). Which sweeps exist is the
// registry's business (app/domain/streams.server.ts); this module only runs them.

export type SweepContext = { now: Date; stripe: Stripe | null };

export type Sweep = {
  /** Stable: the key of its lease row and of its log lines. */
  name: string;
  /** What the logs call it, in French. */
  label: string;
  /** At most this often in one instance; by default at every housekeeping tick (HOUSEKEEPING_SECONDS). */
  periodSeconds?: number;
  run(db: Db, context: SweepContext): Promise<unknown>;
};

export type SweepRun =
  { status: "done"; result: unknown } | { status: "skipped" } | { status: "failed"; error: unknown };

/**
 * How long a claimed sweep stays held without news of its holder: the holder renews it every third of that while
 * the sweep runs, so only an instance that died (or lost the database) leaves a sweep blocked, for this long.
 */
export const SWEEP_LEASE_SECONDS = 60;

/**
 * Claims the sweep for `holder` when nobody holds it or the holder's lease ran out. One statement: of concurrent
 * claims, the row's lock lets one through and the others, re-reading the row it wrote, find it held. The clock is
 * the database's, the one every instance shares.
 */
async function claimLease(db: Db, name: string, holder: string, seconds: number) {
  const rows = await db.$queryRaw<{ holder: string }[]>`
    INSERT INTO "SweepLease" ("name", "holder", "expiresAt", "startedAt")
    VALUES (${name}, ${holder}, clock_timestamp() + ${seconds}::int * interval '1 second', clock_timestamp())
    ON CONFLICT ("name") DO UPDATE
      SET "holder" = EXCLUDED."holder", "expiresAt" = EXCLUDED."expiresAt", "startedAt" = EXCLUDED."startedAt"
      WHERE "SweepLease"."expiresAt" <= clock_timestamp()
    RETURNING "holder"`;
  return rows.length === 1;
}

async function renewLease(db: Db, name: string, holder: string, seconds: number) {
  const renewed = await db.$executeRaw`UPDATE "SweepLease"
    SET "expiresAt" = clock_timestamp() + ${seconds}::int * interval '1 second'
    WHERE "name" = ${name} AND "holder" = ${holder}`;
  // Lost: this instance was silent past the lease (a long pause) and another may have started the same sweep.
  // Its steps are idempotent, so it only costs some double reading; say so.
  if (renewed === 0) console.warn(`Ménage « ${name} » : bail perdu, une autre instance a pu le reprendre.`);
}

function releaseLease(db: Db, name: string, holder: string) {
  return db.$executeRaw`UPDATE "SweepLease" SET "expiresAt" = clock_timestamp(), "finishedAt" = clock_timestamp()
    WHERE "name" = ${name} AND "holder" = ${holder}`;
}

/**
 * Runs one sweep if no other instance is running it: `skipped` when one is. An error of the sweep is thrown, after
 * the lease is given back.
 */
export async function runSweep(
  db: Db,
  sweep: Sweep,
  context: SweepContext,
  options: { leaseSeconds?: number } = {},
): Promise<SweepRun> {
  const seconds = options.leaseSeconds ?? SWEEP_LEASE_SECONDS;
  // Unique per run: a late renewal or release of an earlier run never touches this one's lease.
  const holder = `${hostname()}:${process.pid}:${randomUUID()}`;
  if (!(await claimLease(db, sweep.name, holder, seconds))) return { status: "skipped" };
  // Renewals one after another, and the last one awaited before the release: none can land after it.
  let renewing: Promise<void> = Promise.resolve();
  const timer = setInterval(
    () => {
      renewing = renewing
        .then(() => renewLease(db, sweep.name, holder, seconds))
        .catch((error) => console.warn(`Ménage « ${sweep.name} » : renouvellement du bail impossible`, error));
    },
    (seconds * 1000) / 3,
  );
  try {
    return { status: "done", result: await sweep.run(db, context) };
  } finally {
    clearInterval(timer);
    await renewing;
    await releaseLease(db, sweep.name, holder);
  }
}

/** Runs the sweeps one after another; one that fails is logged and never holds back the others. */
export async function runSweeps(
  db: Db,
  sweeps: readonly Sweep[],
  context: SweepContext,
): Promise<Record<string, SweepRun>> {
  const runs: Record<string, SweepRun> = {};
  for (const sweep of sweeps) {
    try {
      runs[sweep.name] = await runSweep(db, sweep, context);
    } catch (error) {
      console.error(`${sweep.label} :`, error);
      runs[sweep.name] = { status: "failed", error };
    }
  }
  return runs;
}

/**
 * The server's housekeeping: every `tickSeconds`, the sweeps whose period has come, unless this instance's previous
 * tick is still running (other instances are kept out by the leases).
 */
export function startSweeping(
  db: Db,
  sweeps: readonly Sweep[],
  options: { tickSeconds: number; context: () => SweepContext },
) {
  const tickMs = options.tickSeconds * 1000;
  const dueAt = new Map<string, number>();
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const now = Date.now();
      // Half a tick of slack: a sweep whose period is the tick runs at every tick despite the timer's jitter.
      const due = sweeps.filter((s) => (dueAt.get(s.name) ?? 0) <= now + tickMs / 2);
      for (const s of due) dueAt.set(s.name, now + (s.periodSeconds ?? options.tickSeconds) * 1000);
      await runSweeps(db, due, options.context());
    } catch (error) {
      // The context could not be made (the environment): the next tick tries again.
      console.error("Ménage :", error);
    } finally {
      running = false;
    }
  }, tickMs);
  return { stop: () => clearInterval(timer) };
}
