import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Payment } from "~/generated/prisma/client";
import { runCommand } from "~/domain/commands.server";
import {
  acceptSeatOffer,
  cancelRegistration,
  cancelSession,
  confirmRegistrationPayment,
  declineSeatOffer,
  joinSessionWaitlist,
  leaveSessionWaitlist,
  moveRegistration,
  payRegistrationOffline,
  personSessionWaits,
  registrationPurpose,
  seatOfferDeadline,
  sessionQueue,
  signUp,
  trainingStream,
} from "~/domain/training/index.server";
import { db, inTransaction } from "~/utils/db.server";
import { createPerson, createPole } from "../factories";
import { resetDatabase } from "../helpers";
import { createTrainingCourse, createTrainingSession, holdSeat } from "../training-factories";

// The waiting list of training seats (issue 15, decision 020) on the one engine (decision 014): a freed seat goes,
// in the transaction that frees it, to the next person as an OFFERED registration holding the seat; accepted it is
// HELD and paid like a sign-up; lapsed, declined or withdrawn it passes on. Deadlines never lapse at night. A move
// to another session keeps what was paid. After each test every session's seatsTaken is the count of its HELD,
// OFFERED and CONFIRMED registrations, within its capacity, and each offered registration is one live offer.

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Monday 1 March 2027, 09:00 in Paris. */
const NOW = new Date("2027-03-01T08:00:00Z");
const at = (ms: number) => new Date(NOW.getTime() + ms);

let poleId: string;
let staffId: string;
let courseId: string;
let keys = 0;

const holdsSweep = trainingStream.sweeps.find((s) => s.name === "training-holds")!;
const sweep = (now: Date) => holdsSweep.run(db, { now, stripe: null });

const person = async () => (await createPerson(db, { poleId })).id;
const session = (input: { day?: string; capacity?: number; courseId?: string } = {}) =>
  createTrainingSession(db, { poleId, courseId, ...input, now: NOW });
const join = (sessionId: string, personId: string, now: Date) =>
  joinSessionWaitlist(db, { poleId, sessionId, personId, now });
const registrationOf = (sessionId: string, personId: string) =>
  db.registration.findFirst({ where: { sessionId, personId }, orderBy: { createdAt: "desc" } });
const entryOf = (entryId: string) => db.waitlistEntry.findUniqueOrThrow({ where: { id: entryId } });
const seatsTaken = async (id: string) => (await db.trainingSession.findUniqueOrThrow({ where: { id } })).seatsTaken;
const outbox = (to: string, subject: string) => db.outboxEmail.count({ where: { to, subject: { contains: subject } } });
const emailOf = async (id: string) => (await db.person.findUniqueOrThrow({ where: { id } })).email;

/** A confirmed registration: a sign-up paid by transfer, the money recorded by staff. */
async function confirmed(sessionId: string, personId: string, now = NOW) {
  const held = await holdSeat(db, { poleId, sessionId, personId, now });
  const offline = await payRegistrationOffline(db, {
    poleId,
    registrationId: held.id,
    personId,
    method: "TRANSFER",
    now,
  });
  if (!offline.ok) throw new Error(offline.message);
  return payOffline(held.id, now);
}

async function payOffline(registrationId: string, now: Date) {
  const paid = await confirmRegistrationPayment(db, {
    poleId,
    registrationId,
    method: "TRANSFER",
    reference: `VIR-${++keys}`,
    staffId,
    now,
  });
  if (!paid.ok) throw new Error(paid.message);
  return paid.value.registration;
}

async function joined(sessionId: string, personId: string, now: Date) {
  const made = await join(sessionId, personId, now);
  if (!made.ok) throw new Error(made.message);
  return made.value;
}

/** The invariants every test ends with. */
async function expectSeatsCounted() {
  const sessions = await db.trainingSession.findMany({
    include: { registrations: { where: { status: { in: ["HELD", "OFFERED", "CONFIRMED"] } } } },
  });
  for (const s of sessions) {
    expect(s.seatsTaken, `session ${s.id}`).toBe(s.registrations.length);
    expect(s.seatsTaken).toBeLessThanOrEqual(s.capacity);
  }
  const offered = await db.registration.findMany({ where: { status: "OFFERED" }, select: { id: true } });
  const offers = await db.waitlistEntry.findMany({
    where: { kind: "TRAINING_SEAT", status: "OFFERED" },
    select: { offerRef: true },
  });
  expect(offers.map((o) => o.offerRef).sort()).toEqual(offered.map((r) => r.id).sort());
}

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  staffId = (await createPerson(db, { poleId, role: "STAFF" })).id;
  courseId = (await createTrainingCourse(db, { poleId, title: "Initiation au maraîchage bio" })).id;
});

afterEach(expectSeatsCounted);

describe("the training seats' waiting list", () => {
  it("offers a freed seat to the next person, who accepts and pays offline", async () => {
    const s = await session({ capacity: 1 });
    const [ana, bea, chloe] = [await person(), await person(), await person()];
    const first = await confirmed(s.id, ana);
    expect(await signUp(db, { poleId, sessionId: s.id, personId: bea, idempotencyKey: "b", now: NOW })).toMatchObject({
      ok: false,
      code: "FULL",
      status: 409,
    });
    const bWait = await joined(s.id, bea, at(HOUR));
    expect(bWait.position).toBe(1);
    expect((await joined(s.id, chloe, at(2 * HOUR))).position).toBe(2);

    // Tuesday 10:00: Ana cancels; in the same transaction the seat is offered to Béa, until Wednesday 10:00.
    const tuesday = new Date("2027-03-02T09:00:00Z");
    const cancelled = await runCommand(
      cancelRegistration,
      { poleId, registrationId: first.id, actor: { personId: ana, staff: false }, now: tuesday },
      { client: db, stripe: null, now: tuesday },
    );
    expect(cancelled.ok).toBe(true);
    const offer = (await registrationOf(s.id, bea))!;
    expect(offer).toMatchObject({ status: "OFFERED", priceCents: 24_000 });
    expect(offer.holdExpiresAt).toEqual(new Date("2027-03-03T09:00:00Z"));
    expect(await outbox(await emailOf(bea), "une place se libère")).toBe(1);
    expect(await seatsTaken(s.id)).toBe(1);

    const mine = await personSessionWaits(db, { poleId, personId: bea });
    expect(mine).toMatchObject([
      {
        entryId: bWait.entryId,
        status: "OFFERED",
        position: 1,
        course: { title: "Initiation au maraîchage bio" },
        session: { id: s.id },
        offer: { registrationId: offer.id, deadline: offer.holdExpiresAt },
      },
    ]);
    expect(await personSessionWaits(db, { poleId, personId: chloe })).toMatchObject([
      { status: "WAITING", position: 2, offer: null },
    ]);
    const queue = await sessionQueue(db, { poleId, sessionId: s.id });
    expect(queue.map((q) => [q.position, q.person.id, q.status])).toEqual([
      [1, bea, "OFFERED"],
      [2, chloe, "WAITING"],
    ]);
    expect(queue[0].offer).toEqual({ registrationId: offer.id, deadline: offer.holdExpiresAt });

    // Someone else cannot answer it; Béa accepts: the seat is held for her to pay, then paid by transfer.
    const other = { poleId, registrationId: offer.id, personId: chloe, now: at(25 * HOUR) };
    expect(await acceptSeatOffer(db, other)).toMatchObject({ ok: false, status: 404 });
    const accepted = await acceptSeatOffer(db, { ...other, personId: bea });
    expect(accepted).toMatchObject({ ok: true, value: { registration: { id: offer.id, status: "HELD" } } });
    expect(await acceptSeatOffer(db, { ...other, personId: bea })).toMatchObject({ ok: false, code: "ANSWERED" });
    expect(await entryOf(bWait.entryId)).toMatchObject({ status: "FULFILLED", offerRef: null });
    const offline = await payRegistrationOffline(db, {
      poleId,
      registrationId: offer.id,
      personId: bea,
      method: "CHEQUE",
      now: at(25 * HOUR + MINUTE),
    });
    expect(offline.ok).toBe(true);
    const paid = await payOffline(offer.id, at(48 * HOUR));
    expect(paid).toMatchObject({ status: "CONFIRMED" });
    expect(paid.invoiceId).not.toBeNull();
    expect(await seatsTaken(s.id)).toBe(1);
    expect((await sessionQueue(db, { poleId, sessionId: s.id })).map((q) => [q.position, q.person.id])).toEqual([
      [1, chloe],
    ]);
    expect(await personSessionWaits(db, { poleId, personId: bea })).toEqual([]);
    // A seat added by hand (the capacity raised): Chloé signs up directly, and that ends her wait.
    await db.trainingSession.update({ where: { id: s.id }, data: { capacity: 2 } });
    const direct = await signUp(db, {
      poleId,
      sessionId: s.id,
      personId: chloe,
      idempotencyKey: "c",
      now: at(49 * HOUR),
    });
    expect(direct.ok).toBe(true);
    expect(await sessionQueue(db, { poleId, sessionId: s.id })).toEqual([]);
    expect(await db.waitlistEvent.findFirst({ where: { kind: "WITHDRAWN" } })).toMatchObject({
      actorId: chloe,
      note: "Inscrit·e directement à la session",
    });
  });

  it("passes an offer that lapses to the next person; a lapsed hold and a failed card payment pass their seat on", async () => {
    const s = await session({ capacity: 2 });
    const [ana, xavier, bea, chloe, dan] = [
      await person(),
      await person(),
      await person(),
      await person(),
      await person(),
    ];
    await holdSeat(db, { poleId, sessionId: s.id, personId: ana, now: NOW });
    const x = await holdSeat(db, { poleId, sessionId: s.id, personId: xavier, now: NOW });
    const bWait = await joined(s.id, bea, at(MINUTE));
    await joined(s.id, chloe, at(2 * MINUTE));
    await joined(s.id, dan, at(3 * MINUTE));

    // Xavier's card page lapses: his seat goes to Béa in the webhook's transaction, the email with its effects.
    const failed = await inTransaction(db, (tx) =>
      registrationPurpose.expired(tx, { poleId, registrationId: x.id } as Payment, at(5 * MINUTE)),
    );
    expect(failed.outcome).toBe("place libérée");
    expect(failed.emails.map((e) => e.to)).toEqual([await emailOf(bea)]);
    const bOffer = (await registrationOf(s.id, bea))!;
    expect(bOffer.status).toBe("OFFERED");
    // Monday 09:05 + 24 h: Tuesday 09:05 in Paris, daytime on a working day.
    expect(bOffer.holdExpiresAt).toEqual(at(24 * HOUR + 5 * MINUTE));

    // Ana's hold lapses: the sweep gives her seat to Chloé and mails her once the transaction committed.
    expect(await sweep(at(11 * MINUTE))).toEqual({ expired: 1, offerEmails: 0 });
    expect((await registrationOf(s.id, chloe))!.status).toBe("OFFERED");
    expect(await outbox(await emailOf(chloe), "une place se libère")).toBe(1);

    // Béa's offer lapses: the seat passes to Dan; Béa is told, and her wait for the session is over.
    const deadline = bOffer.holdExpiresAt!;
    expect(await sweep(deadline)).toEqual({ expired: 0, offerEmails: 2 });
    expect((await registrationOf(s.id, bea))!.status).toBe("EXPIRED");
    expect(await entryOf(bWait.entryId)).toMatchObject({ status: "LAPSED", offerRef: null });
    expect((await registrationOf(s.id, dan))!.status).toBe("OFFERED");
    expect(await outbox(await emailOf(bea), "proposition expirée")).toBe(1);
    expect(await outbox(await emailOf(dan), "une place se libère")).toBe(1);
    const late = await acceptSeatOffer(db, { poleId, registrationId: bOffer.id, personId: bea, now: deadline });
    expect(late).toMatchObject({ ok: false, code: "OFFER_EXPIRED", status: 410 });
    expect(await sweep(deadline)).toEqual({ expired: 0, offerEmails: 0 });

    // She may join again, at the end of the queue.
    expect(await join(s.id, bea, at(24 * HOUR + 7 * MINUTE))).toMatchObject({ ok: true, value: { position: 3 } });
    expect(await seatsTaken(s.id)).toBe(2);
  });

  it("never lets an offer lapse at night or on a weekend: 19:00 on Friday is pushed to 09:00 on Monday", async () => {
    const s = await session({ day: "2027-03-22", capacity: 1 });
    const [ana, bea] = [await person(), await person()];
    const first = await confirmed(s.id, ana);
    await joined(s.id, bea, at(HOUR));
    const friday = new Date("2027-03-12T18:00:00Z"); // 19:00 in Paris
    const cancelled = await cancelRegistration(db, {
      poleId,
      registrationId: first.id,
      actor: { personId: ana, staff: false },
      now: friday,
    });
    expect(cancelled.ok).toBe(true);
    expect((await registrationOf(s.id, bea))!.holdExpiresAt).toEqual(new Date("2027-03-15T08:00:00Z"));

    const far = new Date("2028-01-01T00:00:00Z");
    // 03:00 on Monday + 24 h is Tuesday 03:00, at night: Tuesday 09:00.
    expect(seatOfferDeadline(new Date("2027-03-08T02:00:00Z"), 24, far)).toEqual(new Date("2027-03-09T08:00:00Z"));
    // 21:30 on Monday + 24 h: Wednesday 09:00. 13:00 on Thursday + 24 h: Friday 13:00, as it is.
    expect(seatOfferDeadline(new Date("2027-03-08T20:30:00Z"), 24, far)).toEqual(new Date("2027-03-10T08:00:00Z"));
    expect(seatOfferDeadline(new Date("2027-03-11T12:00:00Z"), 24, far)).toEqual(new Date("2027-03-12T12:00:00Z"));
    // Across the change to summer time (28 March 2027): Monday 09:00 is 07:00 UTC.
    expect(seatOfferDeadline(new Date("2027-03-26T18:00:00Z"), 24, far)).toEqual(new Date("2027-03-29T07:00:00Z"));
    // Never after the session's registration deadline.
    const limit = new Date("2027-03-13T10:00:00Z");
    expect(seatOfferDeadline(friday, 24, limit)).toEqual(limit);
  });

  it("gives an offer accepted at the instant it lapses, while the sweep runs, exactly one outcome", async () => {
    for (let round = 0; round < 6; round++) {
      const s = await session({ capacity: 1 });
      const [ana, bea, chloe] = [await person(), await person(), await person()];
      const held = await holdSeat(db, { poleId, sessionId: s.id, personId: ana, now: NOW });
      const bWait = await joined(s.id, bea, at(MINUTE));
      await joined(s.id, chloe, at(2 * MINUTE));
      const freed = await cancelRegistration(db, {
        poleId,
        registrationId: held.id,
        actor: { personId: ana, staff: false },
        now: at(3 * MINUTE),
      });
      expect(freed.ok).toBe(true);
      const offer = (await registrationOf(s.id, bea))!;
      const deadline = offer.holdExpiresAt!;
      // Even rounds answer at the deadline itself (over: refused), odd ones a millisecond before (a real race).
      const answeredAt = new Date(deadline.getTime() - (round % 2));
      const [accepted] = await Promise.all([
        acceptSeatOffer(db, { poleId, registrationId: offer.id, personId: bea, now: answeredAt }),
        sweep(deadline),
      ]);
      const bea2 = (await registrationOf(s.id, bea))!;
      const chloeOffer = await registrationOf(s.id, chloe);
      const entry = await entryOf(bWait.entryId);
      if (accepted.ok) {
        expect(round % 2).toBe(1);
        expect(bea2.status).toBe("HELD");
        expect(entry.status).toBe("FULFILLED");
        expect(chloeOffer).toBeNull();
      } else {
        expect(accepted).toMatchObject({ code: "OFFER_EXPIRED", status: 410 });
        expect(bea2.status).toBe("EXPIRED");
        expect(entry.status).toBe("LAPSED");
        expect(chloeOffer!.status).toBe("OFFERED");
      }
      expect(await seatsTaken(s.id)).toBe(1);
      await expectSeatsCounted();
    }
  });

  it("refuses to join while seats are free, after the deadline, when registered or twice, writing nothing", async () => {
    const s = await session({ capacity: 2 });
    const [ana, xavier, bea, chloe] = [await person(), await person(), await person(), await person()];
    await holdSeat(db, { poleId, sessionId: s.id, personId: ana, now: NOW });
    const free = await join(s.id, bea, NOW);
    expect(free).toMatchObject({ ok: false, code: "SEATS_FREE", status: 409 });
    expect(!free.ok && free.message).toMatch(/inscrivez-vous/);
    await holdSeat(db, { poleId, sessionId: s.id, personId: xavier, now: NOW });
    expect(await join(s.id, ana, NOW)).toMatchObject({ ok: false, code: "ALREADY_REGISTERED", status: 409 });
    expect(await join(s.id, bea, NOW)).toMatchObject({ ok: true, value: { position: 1 } });
    const twice = await join(s.id, bea, at(MINUTE));
    expect(twice).toMatchObject({ ok: false, code: "ALREADY_WAITING", status: 409 });
    expect(!twice.ok && twice.message).toBe("Vous êtes déjà sur la liste d'attente de cette session.");
    const late = await join(s.id, chloe, new Date("2027-03-14T20:00:00Z"));
    expect(late).toMatchObject({ ok: false, code: "DEADLINE", status: 409 });
    expect(!late.ok && late.message).toMatch(/closes/);
    expect(await join("nope", chloe, NOW)).toMatchObject({ ok: false, status: 404 });
    expect(await db.waitlistEntry.count()).toBe(1);
    expect(await db.sessionWait.count()).toBe(1);
    expect(await db.waitlistEvent.count()).toBe(1);
  });

  it("passes the seat on when an offer is declined, withdrawn or cancelled; a cancelled session closes its list", async () => {
    const s = await session({ capacity: 1 });
    const [ana, bea, chloe, dan, eve] = [
      await person(),
      await person(),
      await person(),
      await person(),
      await person(),
    ];
    const held = await holdSeat(db, { poleId, sessionId: s.id, personId: ana, now: NOW });
    const bWait = await joined(s.id, bea, at(MINUTE));
    const cWait = await joined(s.id, chloe, at(2 * MINUTE));
    await joined(s.id, dan, at(3 * MINUTE));
    await joined(s.id, eve, at(4 * MINUTE));
    await cancelRegistration(db, {
      poleId,
      registrationId: held.id,
      actor: { personId: ana, staff: false },
      now: at(5 * MINUTE),
    });
    const bOffer = (await registrationOf(s.id, bea))!;
    const declined = await declineSeatOffer(db, { poleId, registrationId: bOffer.id, personId: bea, now: at(HOUR) });
    expect(declined).toMatchObject({ ok: true });
    expect(declined.ok && declined.value.effects.emails.map((e) => e.to)).toEqual([await emailOf(chloe)]);
    expect((await registrationOf(s.id, bea))!.status).toBe("CANCELLED");
    expect(await entryOf(bWait.entryId)).toMatchObject({ status: "CANCELLED" });

    // Chloé leaves the list with her offer open: Dan gets the seat.
    const left = await leaveSessionWaitlist(db, { poleId, entryId: cWait.entryId, personId: chloe, now: at(2 * HOUR) });
    expect(left.ok && left.value.effects.emails.map((e) => e.to)).toEqual([await emailOf(dan)]);
    expect((await registrationOf(s.id, chloe))!.status).toBe("CANCELLED");
    // Dan cancels his offered registration from Mon compte: that is declining it; Eve gets the seat.
    const dOffer = (await registrationOf(s.id, dan))!;
    const cancelled = await cancelRegistration(db, {
      poleId,
      registrationId: dOffer.id,
      actor: { personId: dan, staff: false },
      now: at(3 * HOUR),
    });
    expect(cancelled).toMatchObject({ ok: true, value: { registration: { status: "CANCELLED" }, refundCents: 0 } });
    expect((await registrationOf(s.id, dan))!.cancelledById).toBe(dan);
    expect((await registrationOf(s.id, eve))!.status).toBe("OFFERED");
    expect(await seatsTaken(s.id)).toBe(1);
    const again = await join(s.id, eve, at(3 * HOUR));
    expect(again).toMatchObject({ ok: false, code: "ALREADY_REGISTERED", status: 409 });
    expect(!again.ok && again.message).toMatch(/vous est déjà proposée/);

    // Eve also waits for a second session, full. Cancelling the first withdraws her offer there, once, and closes
    // its list, each person told.
    const t = await session({ day: "2027-03-16", capacity: 1 });
    const [fay, gus] = [await person(), await person()];
    await confirmed(t.id, fay);
    await joined(t.id, gus, at(MINUTE));
    await joined(t.id, eve, at(2 * MINUTE));
    const closed = await runCommand(
      cancelSession,
      { poleId, sessionId: s.id, reason: "Formatrice malade.", staffId, now: at(4 * HOUR) },
      { client: db, stripe: null, now: at(4 * HOUR) },
    );
    expect(closed).toMatchObject({ ok: true, value: { cancelled: 0 } });
    expect((await registrationOf(s.id, eve))!.status).toBe("CANCELLED");
    expect(await outbox(await emailOf(eve), "session annulée")).toBe(1);
    expect(await sessionQueue(db, { poleId, sessionId: s.id })).toEqual([]);
    expect(await seatsTaken(s.id)).toBe(0);
    // Eve still waits for the other session, behind Gus.
    expect(await personSessionWaits(db, { poleId, personId: eve })).toMatchObject([
      { session: { id: t.id }, position: 2, status: "WAITING" },
    ]);
  });

  it("moves a confirmed registration to another session of the course, keeping its invoice and payment", async () => {
    const s1 = await session({ day: "2027-03-15", capacity: 1 });
    const s2 = await session({ day: "2027-03-16", capacity: 2 });
    const full = await session({ day: "2027-03-17", capacity: 1 });
    const otherCourse = (await createTrainingCourse(db, { poleId })).id;
    const s3 = await session({ day: "2027-03-18", courseId: otherCourse });
    const [ana, bea, chloe, xavier] = [await person(), await person(), await person(), await person()];
    const first = await confirmed(s1.id, ana);
    await holdSeat(db, { poleId, sessionId: full.id, personId: xavier, now: NOW });
    await joined(s1.id, bea, at(MINUTE));
    const payment = await db.payment.findFirstOrThrow({ where: { registrationId: first.id } });
    const move = (toSessionId: string, actor = { personId: ana, staff: false }, now = at(HOUR)) =>
      moveRegistration(db, { poleId, registrationId: first.id, toSessionId, actor, now });

    expect(await move(s2.id, { personId: chloe, staff: false })).toMatchObject({ ok: false, status: 404 });
    expect(await move(s3.id)).toMatchObject({ ok: false, code: "OTHER_COURSE", status: 422 });
    expect(await move(full.id)).toMatchObject({ ok: false, code: "FULL", status: 409 });
    expect(await move(s1.id)).toMatchObject({ ok: false, code: "SAME_SESSION", status: 409 });
    expect(await move(s2.id, undefined, new Date("2027-03-15T10:00:00Z"))).toMatchObject({
      ok: false,
      code: "STARTED",
      status: 409,
    });
    expect(await db.registration.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({
      status: "CONFIRMED",
      invoiceId: first.invoiceId,
    });

    const moved = await runCommand(
      moveRegistration,
      { poleId, registrationId: first.id, toSessionId: s2.id, actor: { personId: ana, staff: false }, now: at(HOUR) },
      { client: db, stripe: null, now: at(HOUR) },
    );
    expect(moved.ok).toBe(true);
    if (!moved.ok) return;
    const next = moved.value.registration;
    expect(next).toMatchObject({
      sessionId: s2.id,
      personId: ana,
      status: "CONFIRMED",
      movedFromId: first.id,
      invoiceId: first.invoiceId,
      priceCents: first.priceCents,
      paymentMethod: "TRANSFER",
    });
    expect(await db.registration.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({
      status: "CANCELLED",
      invoiceId: null,
    });
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({
      registrationId: next.id,
    });
    expect(await outbox(await emailOf(ana), "inscription déplacée")).toBe(1);
    // The old seat went to the waiting list at once.
    expect((await registrationOf(s1.id, bea))!.status).toBe("OFFERED");
    expect(await outbox(await emailOf(bea), "une place se libère")).toBe(1);
    expect([await seatsTaken(s1.id), await seatsTaken(s2.id)]).toEqual([1, 1]);
    // Moved once only; and cancelling the new one refunds what was paid for the old.
    expect(await move(s2.id)).toMatchObject({ ok: false, status: 409 });
    const cancelled = await cancelRegistration(db, {
      poleId,
      registrationId: next.id,
      actor: { personId: ana, staff: false },
      now: at(2 * HOUR),
    });
    expect(cancelled).toMatchObject({ ok: true, value: { refundCents: first.priceCents } });
    // Staff may move one after its session started (to one that has not).
    const s4 = await session({ day: "2027-03-19", capacity: 2 });
    const dan = await person();
    const late = await confirmed(s2.id, dan);
    const afterStart = new Date("2027-03-16T09:00:00Z");
    const lateMove = { poleId, registrationId: late.id, toSessionId: s4.id, now: afterStart };
    expect(await moveRegistration(db, { ...lateMove, actor: { personId: dan, staff: false } })).toMatchObject({
      ok: false,
      code: "STARTED",
    });
    const byStaff = await moveRegistration(db, { ...lateMove, actor: { personId: staffId, staff: true } });
    expect(byStaff).toMatchObject({ ok: true, value: { registration: { sessionId: s4.id, movedFromId: late.id } } });
    expect([await seatsTaken(s2.id), await seatsTaken(s4.id)]).toEqual([0, 1]);
  });
});
