import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plot, WaitlistEntry, WaitlistEvent, WaitlistKind } from "~/generated/prisma/client";
import {
  acceptOffer,
  declineOffer,
  expireOffers as expirePlotOffers,
  offerPlot,
  plotWaitlist,
  submitApplication,
  withdrawApplication,
} from "~/domain/leasing/index.server";
import { parisDate } from "~/domain/ledger/dates";
import { ok } from "~/domain/result";
import { WAITLIST_KINDS } from "~/domain/streams.server";
import {
  acceptOffered,
  declineOffered,
  expireOffers,
  joinWaitlist,
  leaveWaitlist,
  moveEntry,
  offerNext,
  offerTo,
  type OfferKind,
} from "~/domain/waitlist/index.server";
import { inTransaction, db } from "~/utils/db.server";
import { createLandTerms, createPerson, createPlot, createPole } from "../factories";
import { resetDatabase } from "../helpers";
import { isoDate } from "~/domain/ledger/dates";

// Property: whatever sequence of joins, offers (the queue's next, or staff's out of turn), answers, withdrawals,
// staff moves, capacity taken and freed, and deadlines passing as the clock moves, the one waiting-list engine
// keeps its invariants, checked after every step against the real database:
// - live offers of a unit never exceed its free capacity (capacity less what is taken), and each live offer is
//   held by exactly one row of its stream (an OFFERED lease, a held seat);
// - order: every offer the queue makes goes to the first waiting entries, in queue order (staff moves aside),
//   that want the unit and have not turned it down, as many as the unit has room for — so an offer that is
//   declined, lapses or is withdrawn passes to the next;
// - an accepted offer yields exactly one lease (one seat taken), and nothing else does;
// - the history, append-only, explains every entry's status, each change with its reason and who acted.
// Two kinds run: plots through the leasing stream (real leases, schedules, invoices; one unit per plot) and a
// test stream of training-like sessions with N seats, defined here on scratch tables — the engine knows no stream.

const BASE = new Date("2027-03-01T08:00:00Z");
const LIVE: string[] = ["WAITING", "NOTIFIED", "OFFERED"];
const HOUR = 3_600_000;
const SEAT_OFFER_HOURS = 24;

// ─── Operations ──────────────────────────────────────────────────────────────────────────────────────────────

type Op =
  | { t: "join"; who: number; want: number }
  | { t: "offerNext"; unit: number }
  | { t: "staffOffer"; pick: number; unit: number }
  | { t: "accept"; pick: number }
  | { t: "decline"; pick: number }
  | { t: "leave"; pick: number }
  | { t: "move"; pick: number; before: number }
  | { t: "tick"; hours: number }
  | { t: "take"; unit: number }
  | { t: "free"; unit: number };

const pick = fc.nat({ max: 1000 });
const common: fc.Arbitrary<Op>[] = [
  fc.record({ t: fc.constant("join" as const), who: pick, want: pick }),
  fc.record({ t: fc.constant("join" as const), who: pick, want: pick }),
  fc.record({ t: fc.constant("offerNext" as const), unit: pick }),
  fc.record({ t: fc.constant("accept" as const), pick }),
  fc.record({ t: fc.constant("decline" as const), pick }),
  fc.record({ t: fc.constant("leave" as const), pick }),
  fc.record({ t: fc.constant("move" as const), pick, before: pick }),
  fc.record({ t: fc.constant("tick" as const), hours: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ t: fc.constant("tick" as const), hours: fc.integer({ min: 1, max: 200 }) }),
];
const staffOffer = fc.record({ t: fc.constant("staffOffer" as const), pick, unit: pick });
const plotOps = fc.array(fc.oneof(...common, staffOffer), { minLength: 4, maxLength: 18 });
const seatOps = fc.array(
  fc.oneof(
    ...common,
    staffOffer,
    fc.record({ t: fc.constant("take" as const), unit: pick }),
    fc.record({ t: fc.constant("free" as const), unit: pick }),
  ),
  { minLength: 4, maxLength: 24 },
);

// ─── What a kind looks like to the checker ───────────────────────────────────────────────────────────────────

type Stream = {
  kind: WaitlistKind;
  poleId: string;
  units: string[];
  capacity: (unit: string) => number;
  /** Whether an entry wants a unit (what it asked for when it joined). */
  wants: (entryId: string, unit: string) => boolean;
  /** Units taken by yields or outside the queue. */
  taken(): Promise<Map<string, number>>;
  /** The stream's rows that hold a unit for an offer, still open. */
  holds(): Promise<{ ref: string; unit: string; expiresAt: Date }[]>;
  /** Yields per entry (accepted offers). */
  yields(): Promise<Map<string, number>>;
};

type Entry = Pick<WaitlistEntry, "id" | "status" | "queueKey" | "offerUnit" | "offerExpiresAt" | "personId">;

async function snapshot(s: Stream) {
  const entries = await db.waitlistEntry.findMany({ where: { poleId: s.poleId, kind: s.kind } });
  const events = await db.waitlistEvent.findMany({
    where: { entry: { poleId: s.poleId, kind: s.kind } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return { entries, events, taken: await s.taken() };
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;

const STATUS_AFTER: Partial<Record<WaitlistEvent["kind"], { from: string[]; to: string }>> = {
  JOINED: { from: ["NONE"], to: "WAITING" },
  OFFERED: { from: ["WAITING"], to: "OFFERED" },
  ACCEPTED: { from: ["OFFERED"], to: "FULFILLED" },
  DECLINED: { from: ["OFFERED"], to: "WAITING" },
  OFFER_EXPIRED: { from: ["OFFERED"], to: "WAITING" },
  WITHDRAWN: { from: ["WAITING", "OFFERED"], to: "CANCELLED" },
  LAPSED: { from: ["WAITING"], to: "LAPSED" },
};

/**
 * Replays the events of one step on the state before it, checking each against the queue's rules: transitions
 * allowed, and every offer the queue makes going to the first waiting entries that want the unit, as many as it
 * has room for, right after the answer, lapse or withdrawal that freed it (or at an explicit offer-next).
 */
function checkStep(
  s: Stream,
  before: Snapshot,
  after: Snapshot,
  step: { op: Op["t"]; now: Date; staffId: string; passOnUnit?: string },
) {
  const state = new Map<string, Entry>(before.entries.map((e) => [e.id, { ...e }]));
  const turned = new Map<string, Set<string>>();
  for (const e of before.events)
    if ((e.kind === "DECLINED" || e.kind === "OFFER_EXPIRED") && e.unit)
      turned.set(e.entryId, (turned.get(e.entryId) ?? new Set()).add(e.unit));
  const taken = new Map(before.taken);
  const seen = new Set(before.events.map((e) => e.id));
  const events = after.events.filter((e) => !seen.has(e.id));
  const passesOn = ["decline", "tick", "leave"].includes(step.op);

  const live = (unit: string) =>
    [...state.values()].filter((e) => e.status === "OFFERED" && e.offerUnit === unit && e.offerExpiresAt! > step.now)
      .length;
  const eligible = (unit: string) =>
    [...state.values()]
      .filter((e) => e.status === "WAITING" && s.wants(e.id, unit) && !turned.get(e.id)?.has(unit))
      .sort((a, b) => a.queueKey - b.queueKey || (a.id < b.id ? -1 : 1))
      .map((e) => e.id);

  let i = 0;
  const apply = (e: WaitlistEvent) => {
    const rule = STATUS_AFTER[e.kind];
    const entry = state.get(e.entryId);
    if (rule) {
      expect(rule.from, `${e.kind} from ${entry?.status ?? "NONE"}`).toContain(entry?.status ?? "NONE");
      // An offer lapses at its deadline, not before; it is answered before it.
      if (entry && e.kind === "OFFER_EXPIRED") expect(entry.offerExpiresAt!.getTime()).toBeLessThanOrEqual(+step.now);
      if (entry && (e.kind === "DECLINED" || e.kind === "ACCEPTED"))
        expect(entry.offerExpiresAt!.getTime()).toBeGreaterThan(+step.now);
      if (!entry) {
        const joined = after.entries.find((x) => x.id === e.entryId)!;
        state.set(e.entryId, { ...joined, status: "WAITING", offerUnit: null, offerExpiresAt: null });
        return;
      }
      if (e.kind === "OFFERED" || e.kind === "DECLINED" || e.kind === "OFFER_EXPIRED" || e.kind === "ACCEPTED")
        expect(e.unit).toBeTruthy();
      if (e.kind !== "OFFERED" && e.kind !== "WITHDRAWN" && entry.status === "OFFERED")
        expect(e.unit, `${e.kind} names the offer's unit`).toBe(entry.offerUnit);
      entry.status = rule.to as Entry["status"];
      entry.offerUnit = e.kind === "OFFERED" ? e.unit : null;
      entry.offerExpiresAt = e.kind === "OFFERED" ? new Date(8.64e15) : null;
      if (e.kind === "DECLINED" || e.kind === "OFFER_EXPIRED")
        turned.set(e.entryId, (turned.get(e.entryId) ?? new Set()).add(e.unit!));
      if (e.kind === "ACCEPTED") taken.set(e.unit!, (taken.get(e.unit!) ?? 0) + 1);
    }
  };
  /** The queue's offers of `unit` that follow: exactly the first waiting entries that want it, as many as fit. */
  const expectPassOn = (unit: string) => {
    const room = Math.max(0, s.capacity(unit) - (taken.get(unit) ?? 0) - live(unit));
    const expected = eligible(unit).slice(0, room);
    const got: string[] = [];
    // Offers of the unit past their deadline that the sweeper had not closed yet are closed first, without
    // passing on (the unit is being offered): their entries had turned nothing down before and stay behind.
    while (
      i < events.length &&
      events[i].kind === "OFFER_EXPIRED" &&
      events[i].unit === unit &&
      state.get(events[i].entryId)!.offerExpiresAt! <= step.now
    )
      apply(events[i++]);
    while (i < events.length && events[i].kind === "OFFERED" && events[i].unit === unit && !events[i].actorId) {
      got.push(events[i].entryId);
      apply(events[i++]);
    }
    expect(got, `the queue's offers of ${unit}`).toEqual(expected);
  };

  if (step.passOnUnit) expectPassOn(step.passOnUnit);
  while (i < events.length) {
    const e = events[i++];
    if (e.kind === "OFFERED") {
      // Out of turn only by staff, on their own step; the queue's offers are all consumed by expectPassOn.
      expect([step.op, e.actorId]).toEqual(["staffOffer", step.staffId]);
    }
    const had = state.get(e.entryId)?.offerUnit ?? null;
    apply(e);
    const ended = e.kind === "DECLINED" || e.kind === "OFFER_EXPIRED" ? e.unit : e.kind === "WITHDRAWN" ? had : null;
    if (ended && passesOn) expectPassOn(ended);
  }
  // The replay ends where the database is.
  for (const entry of after.entries) expect(state.get(entry.id)?.status, `entry ${entry.id}`).toBe(entry.status);
}

/** What must hold after every step, read from the database alone. */
async function checkState(s: Stream, snap: Snapshot, now: Date, seenEvents: Map<string, string>) {
  const { entries, events, taken } = snap;
  // The history is append-only: every event seen before is still there, unchanged.
  const current = new Map(events.map((e) => [e.id, JSON.stringify([e.kind, e.note, e.actorId, e.unit, e.entryId])]));
  for (const [id, text] of seenEvents) expect(current.get(id), `event ${id} kept as it was`).toBe(text);
  for (const [id, text] of current) seenEvents.set(id, text);

  // Live offers never exceed free capacity.
  for (const unit of s.units) {
    const liveOffers = entries.filter(
      (e) => e.status === "OFFERED" && e.offerUnit === unit && e.offerExpiresAt! > now,
    ).length;
    expect(liveOffers + (taken.get(unit) ?? 0), `offers and takes of ${unit}`).toBeLessThanOrEqual(s.capacity(unit));
  }
  // Each offer is held by exactly one row of the stream, and every such row is an entry's offer.
  const offered = entries.filter((e) => e.status === "OFFERED");
  const holds = await s.holds();
  expect(holds.map((h) => h.ref).sort()).toEqual(offered.map((e) => e.offerRef).sort());
  for (const e of offered) {
    const hold = holds.find((h) => h.ref === e.offerRef)!;
    expect([hold.unit, hold.expiresAt.getTime()]).toEqual([e.offerUnit, e.offerExpiresAt!.getTime()]);
  }
  for (const e of entries.filter((x) => x.status !== "OFFERED"))
    expect([e.offerUnit, e.offerRef, e.offerExpiresAt]).toEqual([null, null, null]);
  // An accepted offer yields exactly one lease or seat; nothing else yields any.
  const yields = await s.yields();
  for (const e of entries)
    expect(yields.get(e.id) ?? 0, `yields of ${e.status} entry`).toBe(e.status === "FULFILLED" ? 1 : 0);

  // The history explains each entry: its replay ends in its status; each change says why and who.
  for (const entry of entries) {
    let status = "NONE";
    for (const e of events.filter((x) => x.entryId === entry.id)) {
      const rule = STATUS_AFTER[e.kind];
      if (rule) {
        expect(rule.from).toContain(status);
        status = rule.to;
      }
      if (["OFFERED", "DECLINED", "OFFER_EXPIRED", "ACCEPTED", "MOVED", "LAPSED"].includes(e.kind))
        expect(e.note.length, `${e.kind} has its reason`).toBeGreaterThan(0);
      // The person acts on their own entry; the engine alone on deadlines; staff move and offer out of turn.
      if (["JOINED", "ACCEPTED", "DECLINED", "WITHDRAWN"].includes(e.kind)) expect(e.actorId).toBe(entry.personId);
      if (e.kind === "OFFER_EXPIRED") expect(e.actorId).toBeNull();
      if (e.kind === "MOVED") expect(e.actorId).not.toBeNull();
    }
    expect(status).toBe(entry.status);
  }
}

// ─── The driver ──────────────────────────────────────────────────────────────────────────────────────────────

type Driver = {
  stream: Stream;
  join(personId: string, want: number, now: Date): Promise<void>;
  offerNext(unit: string, now: Date): Promise<void>;
  staffOffer?(entry: WaitlistEntry, unit: string, now: Date): Promise<void>;
  accept(entry: WaitlistEntry, now: Date): Promise<boolean>;
  decline(entry: WaitlistEntry, now: Date): Promise<boolean>;
  leave(entry: WaitlistEntry, now: Date): Promise<boolean>;
  sweep(now: Date): Promise<void>;
  take?(unit: string, now: Date): Promise<void>;
  free?(unit: string): Promise<boolean>;
};

async function run(driver: Driver, ops: Op[], people: string[], staffId: string) {
  const s = driver.stream;
  let now = BASE;
  const seenEvents = new Map<string, string>();
  for (const op of ops) {
    const before = await snapshot(s);
    const at = <T>(list: T[], n: number) => (list.length ? list[n % list.length] : undefined);
    const offered = before.entries.filter((e) => e.status === "OFFERED");
    let passOnUnit: string | undefined;
    switch (op.t) {
      case "join": {
        // Plots take one live application per person: pick among those without one (a second is tried too).
        const busy = new Set(before.entries.filter((e) => LIVE.includes(e.status)).map((e) => e.personId));
        const free = s.kind === "PLOT" && op.who % 5 !== 0 ? people.filter((p) => !busy.has(p)) : people;
        const who = at(free, op.who);
        if (who) await driver.join(who, op.want, now);
        break;
      }
      case "offerNext":
        passOnUnit = at(s.units, op.unit)!;
        await driver.offerNext(passOnUnit, now);
        break;
      case "staffOffer": {
        const entry = at(
          before.entries.filter((e) => e.status === "WAITING"),
          op.pick,
        );
        if (entry && driver.staffOffer) await driver.staffOffer(entry, at(s.units, op.unit)!, now);
        break;
      }
      case "accept":
      case "decline": {
        const entry = at(offered, op.pick);
        if (!entry) break;
        const open = entry.offerExpiresAt! > now;
        const answered = await (op.t === "accept" ? driver.accept(entry, now) : driver.decline(entry, now));
        // An answer before the deadline is taken; at or after it, refused (410) and nothing changes.
        expect(answered, `${op.t} ${open ? "before" : "after"} the deadline`).toBe(open);
        break;
      }
      case "leave": {
        const entry = at(
          before.entries.filter((e) => e.status === "WAITING" || e.status === "OFFERED"),
          op.pick,
        );
        if (entry) expect(await driver.leave(entry, now)).toBe(true);
        break;
      }
      case "move": {
        const queue = before.entries
          .filter((e) => e.status === "WAITING" || e.status === "OFFERED")
          .sort((a, b) => a.queueKey - b.queueKey);
        const entry = at(queue, op.pick);
        if (!entry) break;
        const target = at([...queue.filter((e) => e.id !== entry.id), null], op.before);
        const moved = await moveEntry(db, {
          poleId: s.poleId,
          entryId: entry.id,
          beforeEntryId: target?.id ?? null,
          reason: "Priorité décidée en comité",
          actorId: staffId,
        });
        expect(moved.ok).toBe(true);
        break;
      }
      case "tick":
        now = new Date(now.getTime() + op.hours * HOUR);
        await driver.sweep(now);
        break;
      case "take":
        if (driver.take) await driver.take(at(s.units, op.unit)!, now);
        break;
      case "free": {
        const unit = at(s.units, op.unit)!;
        // A seat given back: the stream offers it to the queue's next, as it would after a cancellation.
        if (driver.free && (await driver.free(unit))) {
          const freed = await snapshot(s);
          await driver.offerNext(unit, now);
          checkStep(s, freed, await snapshot(s), { op: "offerNext", now, staffId, passOnUnit: unit });
          await checkState(s, await snapshot(s), now, seenEvents);
          continue;
        }
        break;
      }
    }
    const after = await snapshot(s);
    checkStep(s, before, after, { op: op.t, now, staffId, passOnUnit });
    await checkState(s, after, now, seenEvents);
  }
}

// ─── Plots, through the leasing stream ───────────────────────────────────────────────────────────────────────

let key = 0;
const SURFACES = [8_000, 10_000, 12_500];

async function plotDriver(): Promise<Driver> {
  const pole = await createPole(db);
  await createLandTerms(db, { poleId: pole.id, year: 2027, index: 12000 });
  const plots: Plot[] = [];
  for (const [i, surfaceM2] of SURFACES.entries())
    plots.push(await createPlot(db, { poleId: pole.id, code: `P${i + 1}`, surfaceM2, rentPerHectareCents: 16_000 }));
  const unitOf = (plotId: string) =>
    plotWaitlist.unitKey({ plotId, startsOn: isoDate("2027-03-01"), frequency: "YEARLY" });
  const wanted = new Map<string, (plot: Plot) => boolean>();
  const stream: Stream = {
    kind: "PLOT",
    poleId: pole.id,
    units: plots.map((p) => unitOf(p.id)),
    capacity: () => 1,
    wants: (entryId, unit) => wanted.get(entryId)?.(plots.find((p) => unitOf(p.id) === unit)!) ?? false,
    async taken() {
      const active = await db.lease.groupBy({
        by: ["plotId"],
        where: { poleId: pole.id, status: "ACTIVE" },
        _count: true,
      });
      return new Map(active.map((a) => [unitOf(a.plotId), a._count]));
    },
    async holds() {
      const leases = await db.lease.findMany({ where: { poleId: pole.id, status: "OFFERED" } });
      return leases.map((l) => ({ ref: l.id, unit: unitOf(l.plotId), expiresAt: l.offerExpiresAt! }));
    },
    async yields() {
      const leases = await db.lease.findMany({
        where: { poleId: pole.id, status: "ACTIVE" },
        select: { application: { select: { entryId: true } } },
      });
      const count = new Map<string, number>();
      for (const l of leases) count.set(l.application!.entryId, (count.get(l.application!.entryId) ?? 0) + 1);
      return count;
    },
  };
  /** The person answers their live offer; an answer the engine refuses is a lapsed offer (410), nothing else. */
  const answerOffer = async (answer: typeof declineOffer, entry: WaitlistEntry, now: Date) => {
    const answered = await answer(db, { poleId: pole.id, leaseId: entry.offerRef!, personId: entry.personId, now });
    if (!answered.ok) expect(answered.status).toBe(410);
    return answered.ok;
  };
  return {
    stream,
    async join(personId, want, now) {
      // One or two chosen plots, or any plot of at least 9 000 m² (P2, P3): wishes overlap, so order matters.
      const choices = [[0], [0, 1], [1], [0, 2], [1, 2]][want % 6] ?? [];
      const applied = await submitApplication(db, {
        poleId: pole.id,
        personId,
        plotIds: choices.map((c) => plots[c].id),
        minSurfaceM2: choices.length ? null : 9_000,
        project: "Maraîchage sur sol vivant",
        experience: "",
        desiredStartOn: parisDate(now),
        leaseKind: "ESPACE_TEST",
        idempotencyKey: `prop-${++key}`,
        today: parisDate(now),
        now,
      });
      // A person with a live application is refused a second one.
      if (!applied.ok) return expect(applied.code).toBe("ALREADY_APPLIED");
      wanted.set(applied.value.entryId, (plot) =>
        choices.length ? choices.some((c) => plots[c].id === plot.id) : plot.surfaceM2 >= 9_000,
      );
    },
    async offerNext(unit, now) {
      const plotId = unit.slice("plot:".length);
      await inTransaction(db, (tx) =>
        offerNext(tx, plotWaitlist, {
          poleId: pole.id,
          unit: { plotId, startsOn: parisDate(now), frequency: "YEARLY" },
          now,
        }),
      );
    },
    async staffOffer(entry, unit, now) {
      const application = await db.plotApplication.findUniqueOrThrow({ where: { entryId: entry.id } });
      const offered = await offerPlot(db, {
        poleId: pole.id,
        applicationId: application.id,
        plotId: unit.slice("plot:".length),
        startsOn: parisDate(now),
        frequency: "YEARLY",
        staffId: STAFF.id,
        idempotencyKey: `prop-${++key}`,
        now,
      });
      if (!offered.ok) expect(offered.code).toBe("PLOT_TAKEN");
    },
    accept: (entry, now) => answerOffer(acceptOffer, entry, now),
    decline: (entry, now) => answerOffer(declineOffer, entry, now),
    async leave(entry, now) {
      return (await withdrawApplication(db, { poleId: pole.id, personId: entry.personId, now })).ok;
    },
    async sweep(now) {
      await expirePlotOffers(db, now);
    },
  };
}

// ─── Sessions with N seats, a stream of the test's own ───────────────────────────────────────────────────────

type SeatUnit = { sessionId: string };

/** Training-like sessions: a seat is held for an offer, taken when accepted or by a direct sign-up. */
const seatWaitlist: OfferKind<SeatUnit, string, string> = {
  kind: "TRAINING_SEAT",
  serving: "offers",
  unitKey: (unit) => `session:${unit.sessionId}`,
  async lock(tx, { unitKey, ref }) {
    await tx.$queryRaw`SELECT 1 FROM "PropSession" WHERE "id" = ${unitKey.slice("session:".length)} FOR UPDATE`;
    if (ref) await tx.$queryRaw`SELECT 1 FROM "PropSeat" WHERE "id" = ${ref} FOR UPDATE`;
  },
  async freeCapacity(tx, unit, now) {
    const [row] = await tx.$queryRaw<{ free: number }[]>`
      SELECT s."capacity" - (SELECT count(*) FROM "PropSeat" p WHERE p."sessionId" = s."id"
        AND (p."status" = 'TAKEN' OR (p."status" = 'HELD' AND p."expiresAt" > ${now})))::int AS free
      FROM "PropSession" s WHERE s."id" = ${unit.sessionId}`;
    return row.free;
  },
  async wants(tx, unit, waiting) {
    const rows = await tx.$queryRaw<{ entryId: string }[]>`
      SELECT "entryId" FROM "PropWish" WHERE "sessionId" = ${unit.sessionId} AND "entryId" = ANY(${waiting.map((e) => e.id)})`;
    return rows.map((r) => r.entryId);
  },
  async hold(tx, { entry, unit, now }) {
    const ref = `seat-${++key}`;
    const expiresAt = new Date(now.getTime() + SEAT_OFFER_HOURS * HOUR);
    await tx.$executeRaw`INSERT INTO "PropSeat" ("id", "sessionId", "entryId", "status", "expiresAt")
      VALUES (${ref}, ${unit.sessionId}, ${entry.id}, 'HELD', ${expiresAt})`;
    return ok({ ref, expiresAt, note: `Place à la session ${unit.sessionId}`, value: ref, emails: [] });
  },
  stopsQueue: () => false,
  async yield(tx, { ref }) {
    await tx.$executeRaw`UPDATE "PropSeat" SET "status" = 'TAKEN' WHERE "id" = ${ref}`;
    return ok({ value: ref, note: "Place confirmée", emails: [] });
  },
  async release(tx, { ref }) {
    const [seat] = await tx.$queryRaw<{ sessionId: string }[]>`
      UPDATE "PropSeat" SET "status" = 'RELEASED' WHERE "id" = ${ref} RETURNING "sessionId"`;
    return { note: `Place à la session ${seat.sessionId}`, next: { sessionId: seat.sessionId }, emails: [] };
  },
};

async function seatDriver(capacities: number[]): Promise<Driver> {
  const pole = await createPole(db);
  const sessions = capacities.map((_, i) => `${pole.id}-s${i}`);
  for (const [i, id] of sessions.entries())
    await db.$executeRaw`INSERT INTO "PropSession" ("id", "capacity") VALUES (${id}, ${capacities[i]})`;
  const unitKey = (sessionId: string) => seatWaitlist.unitKey({ sessionId });
  const wishes = new Map<string, string>();
  const seats = () =>
    db.$queryRaw<{ id: string; sessionId: string; entryId: string | null; status: string; expiresAt: Date | null }[]>`
      SELECT * FROM "PropSeat" WHERE "sessionId" = ANY(${sessions})`;
  const stream: Stream = {
    kind: "TRAINING_SEAT",
    poleId: pole.id,
    units: sessions.map(unitKey),
    capacity: (unit) => capacities[sessions.indexOf(unit.slice("session:".length))],
    wants: (entryId, unit) => unitKey(wishes.get(entryId) ?? "") === unit,
    async taken() {
      const count = new Map<string, number>();
      for (const s of await seats())
        if (s.status === "TAKEN") count.set(unitKey(s.sessionId), (count.get(unitKey(s.sessionId)) ?? 0) + 1);
      return count;
    },
    async holds() {
      return (await seats())
        .filter((s) => s.status === "HELD")
        .map((s) => ({ ref: s.id, unit: unitKey(s.sessionId), expiresAt: s.expiresAt! }));
    },
    async yields() {
      const count = new Map<string, number>();
      for (const s of await seats())
        if (s.status === "TAKEN" && s.entryId) count.set(s.entryId, (count.get(s.entryId) ?? 0) + 1);
      return count;
    },
  };
  return {
    stream,
    async join(personId, want, now) {
      const sessionId = sessions[want % sessions.length];
      const joined = await inTransaction(db, async (tx) => {
        const entry = await joinWaitlist(tx, seatWaitlist, { poleId: pole.id, personId, now });
        if (entry.ok)
          await tx.$executeRaw`INSERT INTO "PropWish" ("entryId", "sessionId") VALUES (${entry.value.id}, ${sessionId})`;
        return entry;
      });
      expect(joined.ok).toBe(true);
      if (joined.ok) wishes.set(joined.value.id, sessionId);
    },
    async offerNext(unit, now) {
      await inTransaction(db, (tx) =>
        offerNext(tx, seatWaitlist, { poleId: pole.id, unit: { sessionId: unit.slice("session:".length) }, now }),
      );
    },
    // Staff offer a seat out of turn: refused when the session has no free seat.
    async staffOffer(entry, unit, now) {
      const offered = await inTransaction(db, (tx) =>
        offerTo(tx, seatWaitlist, {
          entryId: entry.id,
          unit: { sessionId: unit.slice("session:".length) },
          actorId: STAFF.id,
          now,
        }),
      );
      if (!offered.ok) expect(offered.code).toBe("TAKEN");
    },
    async accept(entry, now) {
      const answered = await inTransaction(db, (tx) =>
        acceptOffered(tx, seatWaitlist, { entryId: entry.id, ref: entry.offerRef!, actorId: entry.personId, now }),
      );
      if (!answered.ok) expect(answered.status).toBe(410);
      return answered.ok;
    },
    async decline(entry, now) {
      const answered = await inTransaction(db, (tx) =>
        declineOffered(tx, seatWaitlist, { entryId: entry.id, ref: entry.offerRef!, actorId: entry.personId, now }),
      );
      if (!answered.ok) expect(answered.status).toBe(410);
      return answered.ok;
    },
    async leave(entry, now) {
      const left = await leaveWaitlist(db, seatWaitlist, {
        poleId: pole.id,
        entryId: entry.id,
        personId: entry.personId,
        actorId: entry.personId,
        now,
      });
      return left.ok;
    },
    async sweep(now) {
      await expireOffers(db, seatWaitlist, now);
    },
    // Someone signs up directly (outside the queue) when a seat is free: the stream checks under the session's lock.
    async take(unit, now) {
      const sessionId = unit.slice("session:".length);
      await inTransaction(db, async (tx) => {
        await seatWaitlist.lock(tx, { unitKey: unit, ref: null });
        if ((await seatWaitlist.freeCapacity(tx, { sessionId }, now)) <= 0) return;
        await tx.$executeRaw`INSERT INTO "PropSeat" ("id", "sessionId", "entryId", "status")
          VALUES (${`seat-${++key}`}, ${sessionId}, NULL, 'TAKEN')`;
      });
    },
    async free(unit) {
      const sessionId = unit.slice("session:".length);
      const freed = await db.$executeRaw`UPDATE "PropSeat" SET "status" = 'RELEASED'
        WHERE "id" = (SELECT "id" FROM "PropSeat" WHERE "sessionId" = ${sessionId} AND "status" = 'TAKEN'
                      AND "entryId" IS NULL LIMIT 1)`;
      return freed > 0;
    },
  };
}

// ─── The properties ──────────────────────────────────────────────────────────────────────────────────────────

let PEOPLE: string[] = [];
let STAFF: { id: string };

describe("the waiting-list engine under random sequences of operations", () => {
  beforeAll(async () => {
    await resetDatabase();
    await db.$executeRawUnsafe(`CREATE TABLE "PropSession" ("id" TEXT PRIMARY KEY, "capacity" INT NOT NULL)`);
    await db.$executeRawUnsafe(`CREATE TABLE "PropWish" ("entryId" TEXT PRIMARY KEY, "sessionId" TEXT NOT NULL)`);
    await db.$executeRawUnsafe(
      `CREATE TABLE "PropSeat" ("id" TEXT PRIMARY KEY, "sessionId" TEXT NOT NULL, "entryId" TEXT, "status" TEXT NOT NULL, "expiresAt" TIMESTAMPTZ(3))`,
    );
    // People are shared by every run (each run has its own pole): hashing passwords is the slow part.
    const pole = await createPole(db);
    STAFF = await createPerson(db, { poleId: pole.id, role: "STAFF" });
    PEOPLE = [];
    for (let i = 0; i < 6; i++) PEOPLE.push((await createPerson(db, { poleId: pole.id })).id);
  });
  afterAll(async () => {
    await db.$executeRawUnsafe(`DROP TABLE IF EXISTS "PropSession", "PropWish", "PropSeat"`);
  });

  it("registers one definition per waiting-list kind", () => {
    const kinds = WAITLIST_KINDS.map((k) => k.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
  });

  // Each property first runs a fixed journey (fast-check's examples), so every run of the suite sees an offer
  // lapse and pass to the next, a declined one pass on, an acceptance: then the random sequences.
  const join = (who: number): Op => ({ t: "join", who, want: 0 });
  const journey: Op[] = [
    join(0),
    join(1),
    join(2),
    { t: "offerNext", unit: 0 },
    { t: "tick", hours: 200 },
    { t: "decline", pick: 0 },
    { t: "accept", pick: 0 },
    join(3),
    { t: "leave", pick: 0 },
  ];

  it("keeps a plot's queue: one offer per plot, in order, passed on, one lease per acceptance, every change in the history", async () => {
    await fc.assert(
      fc.asyncProperty(plotOps, async (ops) => run(await plotDriver(), ops, PEOPLE, STAFF.id)),
      { numRuns: 25, examples: [[journey]] },
    );
  }, 120_000);

  it("keeps sessions of N seats: live offers within the free seats, in order, passed on, one seat per acceptance", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }),
        seatOps,
        async (capacities, ops) => run(await seatDriver(capacities), ops, PEOPLE, STAFF.id),
      ),
      {
        numRuns: 40,
        examples: [
          [[2], [...journey, { t: "take", unit: 0 }, { t: "free", unit: 0 }, join(4), { t: "accept", pick: 0 }]],
        ],
      },
    );
  }, 120_000);
});
