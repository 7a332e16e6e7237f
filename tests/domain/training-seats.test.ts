import { beforeEach, describe, expect, it } from "vitest";
import {
  cancelRegistration,
  createCourse,
  expireLapsedHolds,
  scheduleSession,
  signUp,
  type SessionInput,
} from "~/domain/training/index.server";
import { cents } from "~/domain/money";
import { db } from "~/utils/db.server";
import { sqlState } from "~/utils/db-errors.server";
import { createPerson, createPole, createResource, createSpace } from "../factories";
import { resetDatabase } from "../helpers";

// Training seats (issue 15, decision 020), first step: a session's seats are taken by one conditional UPDATE of its
// own count, held to the capacity by a CHECK — 50 concurrent sign-ups for the last 3 seats give exactly 3; a lapsed
// hold and a cancellation give the seat back; each refusal is a French answer with nothing written.

const NOW = new Date("2027-03-01T08:00:00Z");
const STARTS = new Date("2027-03-15T08:00:00Z");
let poleId: string;
let courseId: string;
let roomId: string;
let people: string[];
let keys = 0;

const session = (overrides: Partial<SessionInput> = {}): SessionInput => ({
  poleId,
  courseId,
  capacity: 12,
  minimum: 4,
  parts: [{ resourceId: roomId, startsAt: STARTS, endsAt: new Date("2027-03-15T16:00:00Z") }],
  registrationDeadline: new Date("2027-03-10T22:59:59Z"),
  now: NOW,
  ...overrides,
});

async function scheduled(overrides: Partial<SessionInput> = {}) {
  const made = await scheduleSession(db, session(overrides));
  if (!made.ok) throw new Error(made.message);
  return made.value.id;
}

const signUpAs = (sessionId: string, personId: string, now = NOW) =>
  signUp(db, { poleId, sessionId, personId, idempotencyKey: `cle-${++keys}`, now });

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  const space = await createSpace(db, { poleId });
  roomId = (await createResource(db, { poleId, spaceId: space.id, kind: "ROOM" })).id;
  const course = await createCourse(db, {
    poleId,
    slug: "maraichage",
    title: "Initiation au maraîchage bio",
    durationHours: 14,
    memberCents: cents(18_000),
    publicCents: cents(24_000),
    fundedCents: cents(42_000),
  });
  if (!course.ok) throw new Error(course.message);
  courseId = course.value.id;
  people = [];
  for (let i = 0; i < 50; i++) people.push((await createPerson(db, { poleId })).id);
});

describe("training seats", () => {
  it("gives the last 3 seats to exactly 3 of 50 concurrent sign-ups", async () => {
    const id = await scheduled({ capacity: 12 });
    await db.trainingSession.update({ where: { id }, data: { seatsTaken: 9 } });
    const results = await Promise.all(people.map((p) => signUpAs(id, p)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    const refusals = results.filter((r) => !r.ok);
    expect(new Set(refusals.map((r) => (r.ok ? "" : r.code)))).toEqual(new Set(["FULL"]));
    expect(await db.registration.count({ where: { sessionId: id } })).toBe(3);
    expect((await db.trainingSession.findUniqueOrThrow({ where: { id } })).seatsTaken).toBe(12);
  });

  it("refuses by the database a count past the capacity", async () => {
    const id = await scheduled({ capacity: 2, minimum: 1 });
    const error = await db.trainingSession.update({ where: { id }, data: { seatsTaken: 3 } }).catch((e) => e);
    expect(sqlState(error)).toBe("23514");
  });

  it("gives a seat back when a hold lapses or a registration is cancelled, once", async () => {
    const id = await scheduled({ capacity: 1, minimum: 1 });
    const first = await signUpAs(id, people[0]);
    expect(first).toMatchObject({ ok: true, value: { registration: { status: "HELD", priceCents: 24_000 } } });
    expect(await signUpAs(id, people[1])).toMatchObject({ ok: false, code: "FULL", status: 409 });
    expect(await expireLapsedHolds(db, new Date(NOW.getTime() + 11 * 60_000))).toBe(1);
    expect(await expireLapsedHolds(db, new Date(NOW.getTime() + 12 * 60_000))).toBe(0);
    const second = await signUpAs(id, people[1]);
    expect(second.ok).toBe(true);
    if (!second.ok) return;
    const someoneElse = await cancelRegistration(db, {
      poleId,
      registrationId: second.value.registration.id,
      actor: { personId: people[2], staff: false },
      now: NOW,
    });
    expect(someoneElse).toMatchObject({ ok: false, status: 404 });
    const cancelled = await cancelRegistration(db, {
      poleId,
      registrationId: second.value.registration.id,
      actor: { personId: people[1], staff: false },
      now: NOW,
    });
    expect(cancelled).toMatchObject({ ok: true, value: { registration: { status: "CANCELLED" } } });
    expect((await db.trainingSession.findUniqueOrThrow({ where: { id } })).seatsTaken).toBe(0);
  });

  it("refuses a second sign-up, one after the deadline, and bad sessions, writing nothing", async () => {
    const id = await scheduled();
    expect((await signUpAs(id, people[0])).ok).toBe(true);
    expect(await signUpAs(id, people[0])).toMatchObject({ ok: false, code: "ALREADY_REGISTERED", status: 409 });
    const late = await signUpAs(id, people[1], new Date("2027-03-11T08:00:00Z"));
    expect(late).toMatchObject({ ok: false, code: "DEADLINE", status: 409 });
    const part = (startsAt: Date, endsAt: Date) => ({ parts: [{ resourceId: roomId, startsAt, endsAt }] });
    expect(await scheduleSession(db, session(part(STARTS, STARTS)))).toMatchObject({ ok: false, field: "parts" });
    const past = new Date("2027-02-01T08:00:00Z");
    expect(await scheduleSession(db, session(part(past, new Date("2027-02-01T11:00:00Z"))))).toMatchObject({
      ok: false,
      code: "PAST",
    });
    // The room is the first session's at that time: the booking module's constraint refuses a second one.
    expect(await scheduleSession(db, session())).toMatchObject({ ok: false, code: "ROOM_TAKEN", status: 409 });
    const night = part(new Date("2027-03-16T19:00:00Z"), new Date("2027-03-16T21:00:00Z"));
    expect(await scheduleSession(db, session(night))).toMatchObject({ ok: false, code: "OUTSIDE_HOURS" });
    expect(await scheduleSession(db, session({ capacity: 0 }))).toMatchObject({ ok: false, field: "capacity" });
    expect(await scheduleSession(db, session({ capacity: 3, minimum: 4 }))).toMatchObject({
      ok: false,
      field: "minimum",
    });
    expect(await db.trainingSession.count()).toBe(1);
    expect(await db.registration.count()).toBe(1);
  });
});
