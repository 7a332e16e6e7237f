import { beforeEach, describe, expect, it } from "vitest";
import { getStripe, handleStripeEvent, openCheckout, runEffects } from "~/domain/payments/index.server";
import { PAYMENT_HANDLERS } from "~/domain/streams.server";
import {
  cancelRegistration,
  cancelSession,
  confirmFunding,
  confirmRegistrationPayment,
  payRegistrationOffline,
  recogniseRegistration,
  registrationCheckout,
  requestFunding,
  reviewDeadlines,
  trainingForecast,
  deliverSession,
  recordFunderPayment,
} from "~/domain/training/index.server";
import { isoDate } from "~/domain/ledger/dates";
import { db, inTransaction } from "~/utils/db.server";
import { createOrganisation, createPerson, createPole } from "../factories";
import { resetDatabase } from "../helpers";
import { completeSession, expireSession, stripeEvent, useStripeMock } from "../mocks/stripe";
import { createTrainingCourse, createTrainingSession, holdSeat } from "../training-factories";

// The money of a registration (decision 020): paid by card (the webhook confirms), by transfer (staff record it) or
// by a funder (invoiced to the organisation); each invoice defers its revenue to 487000 until the session is
// delivered, then 706200 on the TRAINING stream, once; cancellations follow the pole's policy; a session cancelled
// by staff refunds everyone once.

const NOW = new Date("2027-03-01T08:00:00Z");
useStripeMock({ clock: NOW });

let poleId: string;
let staffId: string;
let trainee: { id: string; email: string };
let sessionId: string;

const deliver = (event: ReturnType<typeof stripeEvent>, now = NOW) =>
  handleStripeEvent(db, getStripe()!, event as never, PAYMENT_HANDLERS, now);

async function entryLines(sourceKey: string) {
  const entry = await db.journalEntry.findUniqueOrThrow({
    where: { poleId_sourceKey: { poleId, sourceKey } },
    include: { lines: { include: { account: true }, orderBy: { id: "asc" } } },
  });
  return entry.lines.map((l) => [l.account.code, l.debit, l.credit, l.stream]);
}

async function ledgerBalanced() {
  const [{ debit, credit }] = await db.$queryRaw<
    { debit: bigint; credit: bigint }[]
  >`SELECT coalesce(sum("debit"),0)::bigint AS debit, coalesce(sum("credit"),0)::bigint AS credit FROM "EntryLine"`;
  return debit === credit;
}

async function paidByTransfer(personId = trainee.id) {
  const held = await holdSeat(db, { poleId, sessionId, personId, now: NOW });
  const chosen = await payRegistrationOffline(db, {
    poleId,
    registrationId: held.id,
    personId,
    method: "TRANSFER",
    now: NOW,
  });
  if (!chosen.ok) throw new Error(chosen.message);
  const confirmed = await confirmRegistrationPayment(db, {
    poleId,
    registrationId: held.id,
    method: "TRANSFER",
    reference: "VIR-1",
    staffId,
    now: NOW,
  });
  if (!confirmed.ok) throw new Error(confirmed.message);
  return confirmed.value.registration;
}

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  staffId = (await createPerson(db, { poleId, role: "STAFF" })).id;
  trainee = await createPerson(db, { poleId, name: "Lucie Marty" });
  const course = await createTrainingCourse(db, { poleId, title: "Compostage", prices: [9_000, 12_000, 30_000] });
  sessionId = (await createTrainingSession(db, { poleId, courseId: course.id, capacity: 4, minimum: 3, now: NOW })).id;
});

describe("paying a registration", () => {
  it("by card: the webhook confirms it once, its invoice defers the revenue, a replay changes nothing", async () => {
    const held = await holdSeat(db, { poleId, sessionId, personId: trainee.id, now: NOW });
    const request = await registrationCheckout(db, { poleId, registrationId: held.id, personId: trainee.id, now: NOW });
    if (!request.ok) throw new Error(request.message);
    expect((await openCheckout(db, getStripe()!, request.value)).ok).toBe(true);
    const payment = await db.payment.findFirstOrThrow({ where: { registrationId: held.id } });
    expect(payment).toMatchObject({ purpose: "REGISTRATION", amountCents: 12_000, status: "PENDING" });
    const event = stripeEvent("checkout.session.completed", completeSession(payment.stripeSessionId!));
    expect((await deliver(event)).outcome).toBe("inscription confirmée");
    await deliver(event);
    const registration = await db.registration.findUniqueOrThrow({ where: { id: held.id } });
    expect(registration).toMatchObject({ status: "CONFIRMED", paymentMethod: "STRIPE" });
    const invoice = await db.invoice.findUniqueOrThrow({ where: { id: registration.invoiceId! } });
    expect(invoice).toMatchObject({ stream: "TRAINING", totalInclTax: 12_000, totalExclTax: 10_000 });
    expect(await entryLines(`invoice:${invoice.number}`)).toEqual([
      ["517000", 12_000, 0, "TRAINING"],
      ["487000", 0, 10_000, "TRAINING"],
      ["445710", 0, 2_000, "TRAINING"],
    ]);
    expect(await db.invoice.count()).toBe(1);
    expect(await ledgerBalanced()).toBe(true);
  });

  it("by transfer: the seat waits the pole's days, staff record the money once, and an early cancellation refunds it", async () => {
    const held = await holdSeat(db, { poleId, sessionId, personId: trainee.id, now: NOW });
    const chosen = await payRegistrationOffline(db, {
      poleId,
      registrationId: held.id,
      personId: trainee.id,
      method: "TRANSFER",
      now: NOW,
    });
    expect(chosen).toMatchObject({ ok: true, value: { registration: { status: "HELD", paymentMethod: "TRANSFER" } } });
    if (!chosen.ok) return;
    expect(chosen.value.registration.holdExpiresAt).toEqual(new Date(NOW.getTime() + 7 * 86_400_000));
    expect(chosen.value.effects.emails[0].text).toMatch(/virement .*référence FO-/);
    const record = () =>
      confirmRegistrationPayment(db, {
        poleId,
        registrationId: held.id,
        method: "TRANSFER",
        reference: "VIR-1",
        staffId,
        now: NOW,
      });
    expect(await record()).toMatchObject({ ok: true, value: { registration: { status: "CONFIRMED" } } });
    expect(await record()).toMatchObject({ ok: false, code: "NOT_AWAITING", status: 409 });
    expect(await db.payment.count({ where: { registrationId: held.id } })).toBe(1);

    const someoneElse = await createPerson(db, { poleId });
    expect(
      await cancelRegistration(db, {
        poleId,
        registrationId: held.id,
        actor: { personId: someoneElse.id, staff: false },
        now: NOW,
      }),
    ).toMatchObject({ ok: false, status: 404 });
    const cancelled = await cancelRegistration(db, {
      poleId,
      registrationId: held.id,
      actor: { personId: trainee.id, staff: false },
      now: NOW,
    });
    expect(cancelled).toMatchObject({ ok: true, value: { refundCents: 12_000 } });
    // Money paid by transfer is listed for staff to repay; the seat is back.
    expect(await db.refund.findFirstOrThrow()).toMatchObject({ status: "PENDING", amountCents: 12_000 });
    expect((await db.trainingSession.findUniqueOrThrow({ where: { id: sessionId } })).seatsTaken).toBe(0);
  });

  it("keeps what was paid when the person cancels within the pole's days before the session", async () => {
    const registration = await paidByTransfer();
    const lateNow = new Date("2027-03-10T08:00:00Z");
    const cancelled = await cancelRegistration(db, {
      poleId,
      registrationId: registration.id,
      actor: { personId: trainee.id, staff: false },
      now: lateNow,
    });
    expect(cancelled).toMatchObject({ ok: true, value: { refundCents: 0 } });
    expect(await db.refund.count()).toBe(0);
    if (cancelled.ok) expect(cancelled.value.effects.emails[0].text).toContain("reste acquis au pôle");
  });

  it("by a funder: an organisation of the pole only, invoiced to it at the funded price, VAT exempt once the pole is declared", async () => {
    await db.pole.update({
      where: { id: poleId },
      data: { trainingDeclarationNumber: "76310123431", trainingExemptionAttestation: "Attestation du 2 janvier 2026" },
    });
    const employer = await createOrganisation(db, { poleId, name: "Ferme des Coteaux" });
    const elsewhere = await createOrganisation(db, { poleId: (await createPole(db)).id, name: "Ailleurs" });
    const held = await holdSeat(db, { poleId, sessionId, personId: trainee.id, now: NOW });
    const fund = (funderId: string, funderType: "EMPLOYER" | "INDIVIDUAL") =>
      requestFunding(db, {
        poleId,
        registrationId: held.id,
        personId: trainee.id,
        funderId,
        funderType,
        traineeType: "EMPLOYEE",
        now: NOW,
      });
    expect(await fund(elsewhere.id, "EMPLOYER")).toMatchObject({ ok: false, field: "funderId", status: 422 });
    expect(await fund(employer.id, "INDIVIDUAL")).toMatchObject({ ok: false, field: "funderType" });
    expect(await fund(employer.id, "EMPLOYER")).toMatchObject({
      ok: true,
      value: { registration: { payer: "ORGANISATION", priceCents: 30_000, status: "HELD" } },
    });
    const confirmed = await confirmFunding(db, { poleId, registrationId: held.id, staffId, now: NOW });
    expect(confirmed).toMatchObject({ ok: true, value: { registration: { status: "CONFIRMED" } } });
    const invoice = await db.invoice.findFirstOrThrow({ where: { organisationId: employer.id } });
    expect(invoice).toMatchObject({ buyerName: "Ferme des Coteaux", totalInclTax: 30_000, totalExclTax: 30_000 });
    expect(invoice.vatMention).toContain("article 261-4-4° a du CGI");
    expect(invoice.dueDate?.toISOString().slice(0, 10)).toBe("2027-03-31");
    expect(await entryLines(`invoice:${invoice.number}`)).toEqual([
      ["411000", 30_000, 0, "TRAINING"],
      ["487000", 0, 30_000, "TRAINING"],
    ]);
  });
});

describe("a session's revenue", () => {
  it("is recognised on delivery, once, and forecast until then", async () => {
    const registration = await paidByTransfer();
    const forecast = () =>
      trainingForecast(db, {
        poleId,
        from: isoDate("2027-01-01"),
        to: isoDate("2027-12-31"),
        today: isoDate("2027-03-01"),
      });
    expect(await forecast()).toEqual([{ stream: "TRAINING", month: "2027-03", amount: 10_000 }]);
    const later = new Date("2027-03-16T08:00:00Z");
    expect(await inTransaction(db, (tx) => recogniseRegistration(tx, registration.id, later))).toBe(true);
    expect(await inTransaction(db, (tx) => recogniseRegistration(tx, registration.id, later))).toBe(false);
    expect(await entryLines(`registration:${registration.id}:delivered`)).toEqual([
      ["487000", 10_000, 0, "TRAINING"],
      ["706200", 0, 10_000, "TRAINING"],
    ]);
    expect(await forecast()).toEqual([]);
    expect(await ledgerBalanced()).toBe(true);
  });
});

describe("the minimum and a session cancelled", () => {
  it("flags a session under its minimum at the deadline once, and tells staff", async () => {
    await paidByTransfer();
    const deadline = new Date("2027-03-14T21:00:00Z");
    expect(await reviewDeadlines(db, deadline)).toEqual({ flagged: 1 });
    expect(await reviewDeadlines(db, deadline)).toEqual({ flagged: 0 });
    const session = await db.trainingSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session).toMatchObject({ status: "SCHEDULED", underMinimumAt: deadline });
    const mails = await db.outboxEmail.findMany({ where: { subject: { contains: "sous son minimum" } } });
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toContain("1 inscription confirmée pour un minimum de 3");
  });

  it("cancels every registration once, refunds card and transfer money, credits a funder's invoice, frees the rooms", async () => {
    const byTransfer = await paidByTransfer();
    const cardPerson = await createPerson(db, { poleId });
    const byCard = await holdSeat(db, { poleId, sessionId, personId: cardPerson.id, now: NOW });
    const request = await registrationCheckout(db, {
      poleId,
      registrationId: byCard.id,
      personId: cardPerson.id,
      now: NOW,
    });
    if (!request.ok) throw new Error(request.message);
    await openCheckout(db, getStripe()!, request.value);
    const cardPayment = await db.payment.findFirstOrThrow({ where: { registrationId: byCard.id } });
    await deliver(stripeEvent("checkout.session.completed", completeSession(cardPayment.stripeSessionId!)));
    const fundedPerson = await createPerson(db, { poleId });
    const funded = await holdSeat(db, { poleId, sessionId, personId: fundedPerson.id, now: NOW });
    const employer = await createOrganisation(db, { poleId });
    await requestFunding(db, {
      poleId,
      registrationId: funded.id,
      personId: fundedPerson.id,
      funderId: employer.id,
      funderType: "OPCO",
      traineeType: "EMPLOYEE",
      now: NOW,
    });
    await confirmFunding(db, { poleId, registrationId: funded.id, staffId, now: NOW });

    const cancel = () => cancelSession(db, { poleId, sessionId, reason: "Trop peu d'inscrits.", staffId, now: NOW });
    const [a, b] = await Promise.all([cancel(), cancel()]);
    const done = [a, b].filter((r) => r.ok);
    expect(done).toHaveLength(1);
    expect([a, b].find((r) => !r.ok)).toMatchObject({ code: "NOT_OPEN", status: 409 });
    const result = done[0];
    if (!result.ok) return;
    expect(result.value.cancelled).toBe(3);
    await runEffects(db, getStripe(), result.value.effects, NOW, PAYMENT_HANDLERS);

    expect(await db.registration.count({ where: { sessionId, status: "CANCELLED" } })).toBe(3);
    expect((await db.trainingSession.findUniqueOrThrow({ where: { id: sessionId } })).seatsTaken).toBe(0);
    expect(await db.refund.findFirstOrThrow({ where: { payment: { registrationId: byCard.id } } })).toMatchObject({
      status: "SUCCEEDED",
      amountCents: 12_000,
    });
    expect(await db.refund.findFirstOrThrow({ where: { payment: { registrationId: byTransfer.id } } })).toMatchObject({
      status: "PENDING",
    });
    // The card refund's credit note and the funder's, one each; the transfer's comes when staff repay it.
    expect(await db.invoice.count({ where: { kind: "CREDIT_NOTE" } })).toBe(2);
    expect(await db.booking.count({ where: { trainingSessionId: sessionId, status: "CANCELLED" } })).toBe(2);
    expect(await db.outboxEmail.count({ where: { subject: { contains: "session annulée" } } })).toBe(3);
    expect(await ledgerBalanced()).toBe(true);
  });
});

describe("what the review found", () => {
  it("keeps a seat chosen for a transfer when the card page opened before lapses", async () => {
    const held = await holdSeat(db, { poleId, sessionId, personId: trainee.id, now: NOW });
    const request = await registrationCheckout(db, { poleId, registrationId: held.id, personId: trainee.id, now: NOW });
    if (!request.ok) throw new Error(request.message);
    await openCheckout(db, getStripe()!, request.value);
    const payment = await db.payment.findFirstOrThrow({ where: { registrationId: held.id } });
    await payRegistrationOffline(db, {
      poleId,
      registrationId: held.id,
      personId: trainee.id,
      method: "TRANSFER",
      now: NOW,
    });
    const later = new Date(NOW.getTime() + 40 * 60_000);
    await deliver(stripeEvent("checkout.session.expired", expireSession(payment.stripeSessionId!)), later);
    expect(await db.registration.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({
      status: "HELD",
      paymentMethod: "TRANSFER",
    });
    const recorded = await confirmRegistrationPayment(db, {
      poleId,
      registrationId: held.id,
      method: "TRANSFER",
      reference: "VIR-2",
      staffId,
      now: later,
    });
    expect(recorded).toMatchObject({ ok: true, value: { registration: { status: "CONFIRMED" } } });
  });

  it("recognises money kept from a late cancellation at delivery, refuses to cancel a delivered registration", async () => {
    const kept = await paidByTransfer();
    const other = await paidByTransfer((await createPerson(db, { poleId })).id);
    const lateNow = new Date("2027-03-10T08:00:00Z");
    await cancelRegistration(db, {
      poleId,
      registrationId: kept.id,
      actor: { personId: trainee.id, staff: false },
      now: lateNow,
    });
    const after = new Date("2027-03-16T08:00:00Z");
    expect((await deliverSession(db, { poleId, sessionId, staffId, now: after })).ok).toBe(true);
    const revenue = await db.entryLine.aggregate({
      where: { poleId, account: { code: "706200" } },
      _sum: { credit: true },
    });
    expect(revenue._sum.credit).toBe(20_000);
    expect(
      await cancelRegistration(db, {
        poleId,
        registrationId: other.id,
        actor: { personId: staffId, staff: true },
        now: after,
      }),
    ).toMatchObject({ ok: false, code: "SESSION_CLOSED", status: 409 });
  });

  it("gives money kept from a late cancellation back when the session is cancelled after all", async () => {
    const kept = await paidByTransfer();
    await cancelRegistration(db, {
      poleId,
      registrationId: kept.id,
      actor: { personId: trainee.id, staff: false },
      now: new Date("2027-03-10T08:00:00Z"),
    });
    expect(await db.refund.count()).toBe(0);
    const cancelled = await cancelSession(db, { poleId, sessionId, reason: "Intervenante malade.", staffId, now: NOW });
    expect(cancelled.ok).toBe(true);
    expect(await db.refund.findFirstOrThrow()).toMatchObject({ status: "PENDING", amountCents: 12_000 });
  });

  it("records a funder's payment of its invoice once", async () => {
    const employer = await createOrganisation(db, { poleId });
    const held = await holdSeat(db, { poleId, sessionId, personId: trainee.id, now: NOW });
    await requestFunding(db, {
      poleId,
      registrationId: held.id,
      personId: trainee.id,
      funderId: employer.id,
      funderType: "OPCO",
      traineeType: "EMPLOYEE",
      now: NOW,
    });
    await confirmFunding(db, { poleId, registrationId: held.id, staffId, now: NOW });
    const record = () =>
      recordFunderPayment(db, {
        poleId,
        registrationId: held.id,
        method: "TRANSFER",
        reference: "OPCO-1",
        staffId,
        now: NOW,
      });
    expect(await record()).toMatchObject({ ok: true });
    expect(await record()).toMatchObject({ ok: false, code: "ALREADY_PAID", status: 409 });
    const invoice = await db.invoice.findFirstOrThrow({ where: { organisationId: employer.id } });
    expect(await entryLines(`invoice:${invoice.number}:paid`)).toEqual([
      ["512000", 30_000, 0, null],
      ["411000", 0, 30_000, null],
    ]);
  });
});
