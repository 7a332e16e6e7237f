import { beforeEach, describe, expect, it } from "vitest";
import { bookingCheckout, cancelBooking, holdBooking } from "~/domain/booking/index.server";
import { PAYMENT_HANDLERS, SWEEPS } from "~/domain/streams.server";
import { runSweeps } from "~/domain/sweeps.server";
import { parisInstant } from "~/domain/booking/time";
import {
  confirmOfflineRefund,
  getStripe,
  handleStripeEvent,
  openCheckout,
  runEffects,
} from "~/domain/payments/index.server";
import { db } from "~/utils/db.server";
import { createPerson, createPole, createResource, createSpace } from "../factories";
import { resetDatabase } from "../helpers";
import {
  completeSession,
  completeSessionAsync,
  expireSession,
  settleAsyncPayment,
  settleRefund,
  stripeEvent,
  stripeState,
  unknownSession,
  useStripeMock,
} from "../mocks/stripe";
import { isoDate } from "~/domain/ledger/dates";

const NOW = new Date("2027-03-01T07:00:00Z");
useStripeMock({ clock: NOW });
const at = (date: string, hhmm: string) =>
  parisInstant(isoDate(date), Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));
let key = 0;

async function heldBooking(options: { startsAt?: Date; endsAt?: Date; now?: Date } = {}) {
  const pole = await createPole(db);
  const space = await createSpace(db, { poleId: pole.id });
  const room = await createResource(db, { poleId: pole.id, spaceId: space.id, kind: "ROOM", name: "Salle du Lavoir" });
  const person = await createPerson(db, { poleId: pole.id, name: "Léa Fabre" });
  const now = options.now ?? NOW;
  const held = await holdBooking(db, {
    poleId: pole.id,
    resourceKey: room.slug,
    personId: person.id,
    startsAt: options.startsAt ?? at("2027-03-10", "09:00"),
    endsAt: options.endsAt ?? at("2027-03-10", "11:00"),
    idempotencyKey: `k-${++key}`,
    now,
  });
  if (!held.ok) throw new Error(held.message);
  return { pole, room, person, booking: held.value.booking };
}

async function checkout(b: Awaited<ReturnType<typeof heldBooking>>, now = NOW) {
  const request = await bookingCheckout(db, { poleId: b.pole.id, bookingId: b.booking.id, personId: b.person.id, now });
  if (!request.ok) throw new Error(request.message);
  const opened = await openCheckout(db, getStripe()!, request.value);
  if (!opened.ok) throw new Error(opened.message);
  const payment = await db.payment.findFirstOrThrow({ where: { bookingId: b.booking.id, status: "PENDING" } });
  return { url: opened.value.url, sessionId: payment.stripeSessionId! };
}

/** A held booking whose Checkout page was opened, then cancelled by its person before the money came. */
async function cancelledAfterCheckout() {
  const b = await heldBooking();
  const { sessionId } = await checkout(b);
  const cancelled = await cancelBooking(db, {
    poleId: b.pole.id,
    bookingId: b.booking.id,
    actor: { personId: b.person.id, staff: false },
    now: NOW,
  });
  expect(cancelled.ok).toBe(true);
  return { b, sessionId };
}

const deliver = (event: ReturnType<typeof stripeEvent>, now = NOW) =>
  handleStripeEvent(db, getStripe()!, event as never, PAYMENT_HANDLERS, now);

async function ledgerBalanced() {
  const [{ debit, credit }] = await db.$queryRaw<
    { debit: bigint; credit: bigint }[]
  >`SELECT coalesce(sum("debit"),0)::bigint AS debit, coalesce(sum("credit"),0)::bigint AS credit FROM "EntryLine"`;
  return debit === credit;
}

describe("paying a booking by card", () => {
  beforeEach(resetDatabase);

  it("opens one Checkout Session with the booking's lines, confirms on the webhook, and a replayed event changes nothing", async () => {
    const b = await heldBooking();
    const first = await checkout(b);
    const second = await checkout(b);
    expect(second.sessionId).toBe(first.sessionId);
    const created = stripeState.requests.filter((r) => r.method === "POST" && r.path === "/v1/checkout/sessions");
    expect(created).toHaveLength(1);
    expect(created[0].body).toMatchObject({
      mode: "payment",
      metadata: { bookingId: b.booking.id, purpose: "BOOKING" },
      line_items: [{ quantity: "2", price_data: { unit_amount: "2500", currency: "eur" } }],
    });

    const session = completeSession(first.sessionId, { fee: 115 });
    const event = stripeEvent("checkout.session.completed", session);
    expect(await deliver(event)).toEqual({ replay: false, outcome: "réservation confirmée" });
    expect(await deliver(event)).toEqual({ replay: true, outcome: "déjà reçu" });
    // The same news in another event (Stripe sends async_payment_succeeded too for some methods): no double.
    expect((await deliver(stripeEvent("checkout.session.completed", session))).outcome).toBe("déjà payé");

    const booking = await db.booking.findUniqueOrThrow({ where: { id: b.booking.id } });
    expect(booking).toMatchObject({ status: "CONFIRMED", paymentMethod: "STRIPE" });
    expect(await db.invoice.count()).toBe(1);
    expect(await db.journalEntry.count()).toBe(2); // the sale, and Stripe's fee
    const fee = await db.journalEntry.findFirstOrThrow({
      where: { sourceKey: { startsWith: "stripe-fee:" } },
      include: { lines: { include: { account: true } } },
    });
    expect(fee.lines.map((l) => [l.account.code, l.debit, l.credit])).toEqual([
      ["627000", 115, 0],
      ["517000", 0, 115],
    ]);
    expect(await db.outboxEmail.count({ where: { subject: { contains: "réservation confirmée" } } })).toBe(1);
    expect(await ledgerBalanced()).toBe(true);
  });

  it("ends in the right state when the expiry of a session arrives after its completion", async () => {
    const b = await heldBooking();
    const { sessionId } = await checkout(b);
    const expiredEvent = stripeEvent("checkout.session.expired", {
      ...stripeState.sessions.get(sessionId)!,
      status: "expired",
    });
    const completed = completeSession(sessionId);
    // Out of order: the (stale) expiry event first. Re-read from Stripe, the session is paid.
    expect((await deliver(expiredEvent)).outcome).toBe("réservation confirmée");
    expect((await deliver(stripeEvent("checkout.session.completed", completed))).outcome).toBe("déjà payé");
    expect((await db.booking.findUniqueOrThrow({ where: { id: b.booking.id } })).status).toBe("CONFIRMED");
  });

  it("releases the slot when the session expires unpaid", async () => {
    const b = await heldBooking();
    const { sessionId } = await checkout(b);
    const outcome = await deliver(stripeEvent("checkout.session.expired", expireSession(sessionId)));
    expect(outcome.outcome).toBe("créneau libéré");
    expect((await db.booking.findUniqueOrThrow({ where: { id: b.booking.id } })).status).toBe("EXPIRED");
    expect((await db.payment.findFirstOrThrow({ where: { bookingId: b.booking.id } })).status).toBe("CANCELLED");
  });

  it("refunds a payment that lands after the booking was cancelled, and books it as money owed then given back", async () => {
    const { sessionId } = await cancelledAfterCheckout();
    const outcome = await deliver(stripeEvent("checkout.session.completed", completeSession(sessionId)));
    expect(outcome.outcome).toBe("paiement tardif remboursé");
    const refund = await db.refund.findFirstOrThrow();
    expect(refund).toMatchObject({ status: "SUCCEEDED", amountCents: 5000 });
    expect(stripeState.requests.filter((r) => r.path === "/v1/refunds")[0].idempotencyKey).toBe(`refund:${refund.id}`);
    const keys = (await db.journalEntry.findMany({ select: { sourceKey: true } })).map((e) => e.sourceKey).sort();
    expect(keys).toEqual([`payment:${refund.paymentId}:unapplied`, `refund:${refund.id}`].sort());
    expect(await db.invoice.count()).toBe(0);
    expect(await ledgerBalanced()).toBe(true);
  });

  it("gives an expired hold its slot back when the payment arrives late and nobody took it", async () => {
    const b = await heldBooking();
    const { sessionId } = await checkout(b);
    const later = new Date(NOW.getTime() + 20 * 60_000);
    await runSweeps(db, SWEEPS, { stripe: getStripe(), now: later });
    // The sweep closed the Checkout page… but the customer had paid a second before.
    expect(stripeState.sessions.get(sessionId)!.status).toBe("expired");
    stripeState.sessions.get(sessionId)!.status = "open";
    const outcome = await deliver(stripeEvent("checkout.session.completed", completeSession(sessionId)), later);
    expect(outcome.outcome).toBe("réservation confirmée");
    expect((await db.booking.findUniqueOrThrow({ where: { id: b.booking.id } })).status).toBe("CONFIRMED");
  });

  it("on a late cancellation keeps the fee and refunds the rest; the books move only when the refund succeeds", async () => {
    const b = await heldBooking({ startsAt: at("2027-03-01", "14:00"), endsAt: at("2027-03-01", "16:00") });
    const { sessionId } = await checkout(b);
    await deliver(stripeEvent("checkout.session.completed", completeSession(sessionId)));
    stripeState.refundStatus = "pending";
    const cancelled = await cancelBooking(db, {
      poleId: b.pole.id,
      bookingId: b.booking.id,
      actor: { personId: b.person.id, staff: false },
      now: NOW,
    });
    if (!cancelled.ok) throw new Error(cancelled.message);
    expect(cancelled.value).toMatchObject({ feeCents: 2500, refundCents: 2500 });
    await runEffects(db, getStripe(), cancelled.value.effects, NOW, PAYMENT_HANDLERS);
    const refund = await db.refund.findFirstOrThrow();
    expect(refund).toMatchObject({ status: "PENDING", amountCents: 2500 });
    expect(await db.invoice.count({ where: { kind: "CREDIT_NOTE" } })).toBe(0);

    const settled = settleRefund(refund.stripeRefundId!, "succeeded");
    expect((await deliver(stripeEvent("refund.updated", settled))).outcome).toBe("remboursement passé en comptabilité");
    expect((await deliver(stripeEvent("refund.updated", settled))).outcome).toBe("déjà remboursé");
    const note = await db.invoice.findFirstOrThrow({
      where: { kind: "CREDIT_NOTE" },
      include: { entry: { include: { lines: { include: { account: true } } } } },
    });
    expect(note.totalInclTax).toBe(2500);
    expect(note.entry!.lines.find((l) => l.account.code === "517000")).toMatchObject({ credit: 2500 });
    expect(await ledgerBalanced()).toBe(true);
  });

  it("refunds a late payment when someone else took the lapsed slot, and books it as money owed then given back", async () => {
    const b = await heldBooking();
    const { sessionId } = await checkout(b);
    const later = new Date(NOW.getTime() + 11 * 60_000);
    const rival = await createPerson(db, { poleId: b.pole.id });
    const taken = await holdBooking(db, {
      poleId: b.pole.id,
      resourceKey: b.room.slug,
      personId: rival.id,
      startsAt: b.booking.startsAt,
      endsAt: b.booking.endsAt,
      idempotencyKey: `k-${++key}`,
      now: later,
    });
    expect(taken.ok).toBe(true);
    const outcome = await deliver(stripeEvent("checkout.session.completed", completeSession(sessionId)), later);
    expect(outcome.outcome).toBe("paiement tardif remboursé");
    expect(await db.refund.findFirstOrThrow()).toMatchObject({ status: "SUCCEEDED", amountCents: 5000 });
    expect(await db.stripeEvent.count()).toBe(1);
    expect((await db.booking.findUniqueOrThrow({ where: { id: b.booking.id } })).status).toBe("EXPIRED");
    expect(await ledgerBalanced()).toBe(true);
  });

  it("revives a lapsed hold the sweeper has not marked yet when its payment lands and the slot is free", async () => {
    const b = await heldBooking();
    const { sessionId } = await checkout(b);
    const later = new Date(NOW.getTime() + 11 * 60_000);
    // Still HELD in the table, but past its time: the webhook's revive must not be blocked by itself.
    const outcome = await deliver(stripeEvent("checkout.session.completed", completeSession(sessionId)), later);
    expect(outcome.outcome).toBe("réservation confirmée");
    expect((await db.booking.findUniqueOrThrow({ where: { id: b.booking.id } })).status).toBe("CONFIRMED");
    expect(await db.invoice.count({ where: { sourceKey: { startsWith: `booking:${b.booking.id}` } } })).toBe(1);
    expect(await ledgerBalanced()).toBe(true);
  });

  it("gives two concurrent clicks on « pay by card » one and the same Checkout page", async () => {
    const b = await heldBooking();
    const request = await bookingCheckout(db, {
      poleId: b.pole.id,
      bookingId: b.booking.id,
      personId: b.person.id,
      now: NOW,
    });
    if (!request.ok) throw new Error(request.message);
    const [one, two] = await Promise.all([
      openCheckout(db, getStripe()!, request.value),
      openCheckout(db, getStripe()!, { ...request.value, now: new Date(NOW.getTime() + 1500) }),
    ]);
    expect([one, two].map((r) => (r.ok ? r.value.url : r.message))).toEqual([
      expect.stringMatching(/^https:\/\/checkout/),
      one.ok ? one.value.url : "",
    ]);
    expect(await db.payment.count({ where: { bookingId: b.booking.id, status: "PENDING" } })).toBe(1);
  });

  it("refunds the second of two paid Checkout pages of one booking", async () => {
    const b = await heldBooking();
    const { sessionId } = await checkout(b);
    // A second page, as if opened before the first was recorded (two tabs, an old link).
    const first = await db.payment.findFirstOrThrow({ where: { bookingId: b.booking.id } });
    await db.payment.update({ where: { id: first.id }, data: { status: "CANCELLED" } });
    const again = await checkout(b);
    await deliver(stripeEvent("checkout.session.completed", completeSession(again.sessionId)));
    const outcome = await deliver(stripeEvent("checkout.session.completed", completeSession(sessionId)));
    expect(outcome.outcome).toBe("paiement tardif remboursé");
    expect(await db.refund.findFirstOrThrow()).toMatchObject({
      reason: "Réservation déjà réglée : paiement en double",
      status: "SUCCEEDED",
    });
    expect(await db.invoice.count({ where: { kind: "INVOICE" } })).toBe(1);
    expect(await ledgerBalanced()).toBe(true);
  });

  it("acknowledges an event about an object Stripe does not know, and writes it down once", async () => {
    const event = stripeEvent("checkout.session.completed", unknownSession("cs_test_unknown"));
    expect(await deliver(event)).toEqual({ replay: false, outcome: "ignoré" });
    expect(await deliver(event)).toEqual({ replay: true, outcome: "déjà reçu" });
  });

  it("lets staff settle by transfer a card refund Stripe could not make", async () => {
    const b = await heldBooking();
    const { sessionId } = await checkout(b);
    await deliver(stripeEvent("checkout.session.completed", completeSession(sessionId)));
    stripeState.refundStatus = "pending";
    const cancelled = await cancelBooking(db, {
      poleId: b.pole.id,
      bookingId: b.booking.id,
      actor: { personId: b.person.id, staff: false },
      now: NOW,
    });
    if (!cancelled.ok) throw new Error(cancelled.message);
    await runEffects(db, getStripe(), cancelled.value.effects, NOW, PAYMENT_HANDLERS);
    const pending = await db.refund.findFirstOrThrow();
    expect((await deliver(stripeEvent("refund.failed", settleRefund(pending.stripeRefundId!, "failed")))).outcome).toBe(
      "remboursement échoué",
    );
    const staff = await createPerson(db, { poleId: b.pole.id, role: "STAFF" });
    const settled = await confirmOfflineRefund(
      db,
      { poleId: b.pole.id, refundId: pending.id, now: NOW, staffId: staff.id },
      PAYMENT_HANDLERS,
    );
    expect(settled.ok).toBe(true);
    const note = await db.invoice.findFirstOrThrow({
      where: { kind: "CREDIT_NOTE" },
      include: { entry: { include: { lines: { include: { account: true } } } } },
    });
    expect(note.entry!.lines.find((l) => l.credit > 0 && l.account.code.startsWith("5"))?.account.code).toBe("512000");
    // Stripe changing its mind later moves nothing twice.
    expect(
      (await deliver(stripeEvent("refund.updated", settleRefund(pending.stripeRefundId!, "succeeded")))).outcome,
    ).toBe("déjà remboursé");
    expect(await ledgerBalanced()).toBe(true);
  });

  it("ignores an event type it does not handle", async () => {
    expect(await deliver(stripeEvent("customer.created", { id: "cus_test_1", object: "customer" }))).toEqual({
      replay: false,
      outcome: "ignoré",
    });
  });
});

describe("a booking paid by a method that settles later", () => {
  beforeEach(resetDatabase);

  // Bookings offer card only (a hold lasts minutes), yet the webhook must not depend on what the page offered: a
  // card payment too may be `processing` for a while, and Stripe then completes the session unpaid.
  async function processing() {
    const b = await heldBooking();
    const { sessionId } = await checkout(b);
    const outcome = await deliver(stripeEvent("checkout.session.completed", completeSessionAsync(sessionId, "card")));
    return { b, sessionId, outcome };
  }

  it("offers card only on a booking's Checkout page", async () => {
    const b = await heldBooking();
    await checkout(b);
    const [created] = stripeState.requests.filter((r) => r.path === "/v1/checkout/sessions");
    expect(created.body.allowed_payment_method_types).toEqual(["card"]);
  });

  it("stays held while the payment is processing, is confirmed once when it succeeds, and a replay changes nothing", async () => {
    const { b, sessionId, outcome } = await processing();
    expect(outcome.outcome).toBe("créneau gardé, paiement en cours");
    const payment = await db.payment.findFirstOrThrow({ where: { bookingId: b.booking.id } });
    expect(payment).toMatchObject({ status: "PENDING", processingAt: NOW, stripePaymentIntentId: expect.any(String) });
    // The same news again: nothing moves.
    expect(
      (await deliver(stripeEvent("checkout.session.completed", stripeState.sessions.get(sessionId)!))).outcome,
    ).toBe("paiement déjà en cours de traitement");

    // An hour on, past the hold's ten minutes: the sweeps keep the slot and its (completed) page alone.
    const later = new Date(NOW.getTime() + 60 * 60_000);
    await runSweeps(db, SWEEPS, { stripe: getStripe(), now: later });
    expect(await db.booking.findUniqueOrThrow({ where: { id: b.booking.id } })).toMatchObject({
      status: "HELD",
      holdExpiresAt: b.booking.endsAt,
    });
    expect(stripeState.requests.filter((r) => r.path.endsWith("/expire"))).toHaveLength(0);
    const again = await bookingCheckout(db, {
      poleId: b.pole.id,
      bookingId: b.booking.id,
      personId: b.person.id,
      now: later,
    });
    if (!again.ok) throw new Error(again.message);
    expect(await openCheckout(db, getStripe()!, again.value)).toMatchObject({
      ok: false,
      code: "PAYMENT_PROCESSING",
    });

    const succeeded = stripeEvent(
      "checkout.session.async_payment_succeeded",
      settleAsyncPayment(sessionId, "succeeded"),
    );
    expect(await deliver(succeeded, later)).toEqual({ replay: false, outcome: "réservation confirmée" });
    expect(await deliver(succeeded, later)).toEqual({ replay: true, outcome: "déjà reçu" });
    expect(
      (
        await deliver(
          stripeEvent("checkout.session.async_payment_succeeded", stripeState.sessions.get(sessionId)!),
          later,
        )
      ).outcome,
    ).toBe("déjà payé");
    expect(await db.booking.findUniqueOrThrow({ where: { id: b.booking.id } })).toMatchObject({
      status: "CONFIRMED",
      paymentMethod: "STRIPE",
    });
    expect(await db.payment.findFirstOrThrow({ where: { bookingId: b.booking.id } })).toMatchObject({
      status: "SUCCEEDED",
    });
    expect(await db.invoice.count()).toBe(1);
    expect(await db.journalEntry.count()).toBe(1);
    expect(await db.outboxEmail.count({ where: { subject: { contains: "réservation confirmée" } } })).toBe(1);
    expect(await ledgerBalanced()).toBe(true);
  });

  it("releases the slot when the bank refuses the payment", async () => {
    const { b, sessionId } = await processing();
    const failed = stripeEvent("checkout.session.async_payment_failed", settleAsyncPayment(sessionId, "failed"));
    expect((await deliver(failed)).outcome).toBe("créneau libéré");
    expect((await deliver(failed)).outcome).toBe("déjà reçu");
    expect((await db.booking.findUniqueOrThrow({ where: { id: b.booking.id } })).status).toBe("EXPIRED");
    expect(await db.payment.findFirstOrThrow({ where: { bookingId: b.booking.id } })).toMatchObject({
      status: "FAILED",
    });
    expect(await db.invoice.count()).toBe(0);
    expect(await db.journalEntry.count()).toBe(0);
  });
});

describe("a card payment Stripe gave no PaymentIntent for", () => {
  beforeEach(resetDatabase);

  async function paidWithoutIntent() {
    const b = await heldBooking();
    const { sessionId } = await checkout(b);
    await deliver(stripeEvent("checkout.session.completed", completeSession(sessionId)));
    // As a payment recorded before the id was kept (or a session Stripe closed without charging) would be.
    const payment = await db.payment.update({
      where: { stripeSessionId: sessionId },
      data: { stripePaymentIntentId: null },
    });
    return { b, payment };
  }

  it("is not refunded through Stripe: cancelling it is refused with a French 409, and Stripe is not asked", async () => {
    const { b } = await paidWithoutIntent();
    const cancelled = await cancelBooking(db, {
      poleId: b.pole.id,
      bookingId: b.booking.id,
      actor: { personId: b.person.id, staff: true },
      now: NOW,
    });
    expect(cancelled).toMatchObject({ ok: false, code: "NOT_REFUNDABLE_BY_CARD", status: 409 });
    expect(!cancelled.ok && cancelled.message).toMatch(/remboursez-le par virement/);
    expect((await db.booking.findUniqueOrThrow({ where: { id: b.booking.id } })).status).toBe("CONFIRMED");
    expect(await db.refund.count()).toBe(0);
    expect(stripeState.requests.filter((r) => r.path === "/v1/refunds")).toHaveLength(0);
  });

  it("owed back when it lands too late, gets a failed refund for staff to repay, and Stripe is not asked", async () => {
    const { sessionId } = await cancelledAfterCheckout();
    const session = completeSession(sessionId);
    session.payment_intent = null;
    expect((await deliver(stripeEvent("checkout.session.completed", session))).outcome).toBe(
      "paiement tardif remboursé",
    );
    expect(await db.refund.findFirstOrThrow()).toMatchObject({ status: "FAILED", amountCents: 5000 });
    expect(stripeState.requests.filter((r) => r.path === "/v1/refunds")).toHaveLength(0);
    expect(await ledgerBalanced()).toBe(true);
  });

  it("fails a refund already asked for it without calling Stripe, for staff to repay by transfer", async () => {
    const { payment } = await paidWithoutIntent();
    const refund = await db.refund.create({
      data: { poleId: payment.poleId, paymentId: payment.id, amountCents: 1000, reason: "Geste commercial" },
    });
    await runEffects(db, getStripe(), { emails: [], refunds: [refund.id] }, NOW, PAYMENT_HANDLERS);
    expect(await db.refund.findUniqueOrThrow({ where: { id: refund.id } })).toMatchObject({
      status: "FAILED",
      failureReason: expect.stringMatching(/pas de paiement Stripe/),
    });
    expect(stripeState.requests.filter((r) => r.path === "/v1/refunds")).toHaveLength(0);
  });
});
