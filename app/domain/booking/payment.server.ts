import type { Booking, Payment } from "~/generated/prisma/client";
import { bookingAwaitingPaymentEmail, bookingConfirmedEmail, latePaymentRefundedEmail } from "~/emails/booking";
import {
  noEffects,
  type CheckoutRequest,
  type Effects,
  type OfflineMethod,
  type PurposeHandler,
  recordOfflinePayment,
} from "~/domain/payments/index.server";
import { fail, ok, type Result } from "~/domain/result";
import { cents } from "~/domain/money";
import { withSavepoint } from "~/utils/savepoint.server";
import { lockRow } from "~/utils/row-locks.server";
import { inTransaction, type Client, type Prisma, type Tx } from "~/utils/db.server";
import { isExclusionViolation } from "~/utils/db-errors.server";
import type { EmailMessage } from "~/utils/email.server";
import { appUrl } from "~/utils/env.server";
import { formatCents, formatDate } from "~/utils/format";
import { bookingLabel, formatSlot, PAID_WITH_LABELS } from "./describe";
import { bookingInclude, expireStaleHolds, lockHeldBooking } from "./holds.server";
import { bookingsCalendar } from "./ical.server";
import { spendCredits } from "./passes.server";
import { settleSlotWaits } from "./waitlist.server";
import { passCreditsFor, UNIT_LABELS, type PriceLine } from "./rules";
import { COWORKING_ACCOUNT, COWORKING_VAT_BP, invoicePaidSale } from "./sales.server";

// How a held booking gets paid: with a booklet's credits, on site (staff confirm later), or by card through
// Stripe Checkout (the webhook confirms). Every path that takes money issues the booking's one invoice, whose
// entry debits the account the money landed in.

type BookingFull = Booking & {
  resource: { name: string; kind: "DESK" | "ROOM"; space: { name: string } };
  person: { id: string; name: string; email: string } | null;
};

export const bookingPath = (id: string) => `/compte/reservations/${id}`;

export async function payWithPass(
  client: Client,
  input: { poleId: string; bookingId: string; personId: string; now: Date },
): Promise<Result<{ booking: Booking; effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    const locked = await lockHeldBooking(tx, input);
    if (!locked.ok) return locked;
    const booking = locked.value;
    const credits = passCreditsFor(minutesOf(booking));
    const pass = await spendCredits(tx, {
      poleId: input.poleId,
      personId: input.personId,
      kind: booking.resource.kind,
      credits,
      validUntil: booking.endsAt,
    });
    if (!pass)
      return fail(
        "NO_CREDIT",
        `Aucun de vos carnets valides le ${formatDate(booking.startsAt)} n'a ${credits} crédit${credits > 1 ? "s" : ""} libre${credits > 1 ? "s" : ""}.`,
        { field: "method", status: 409 },
      );
    const paidWith = `${credits} crédit${credits > 1 ? "s" : ""} de votre carnet « ${pass.name} » (reste ${pass.credits - pass.creditsUsed})`;
    const kept = await keepBooking(
      tx,
      booking.id,
      {
        status: "CONFIRMED",
        holdExpiresAt: null,
        paymentMethod: "PASS",
        passId: pass.id,
        passCredits: credits,
        confirmedAt: input.now,
      },
      { paidWith },
      input.now,
    );
    return ok(kept);
  });
}

/** A booking priced 0 € (a free room for members, say) needs no payment: it is confirmed at once, no invoice. */
export async function confirmFreeBooking(
  client: Client,
  input: { poleId: string; bookingId: string; personId: string; now: Date },
): Promise<Result<{ booking: Booking; effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    const locked = await lockHeldBooking(tx, input);
    if (!locked.ok) return locked;
    if (locked.value.priceCents !== 0)
      return fail("NOT_FREE", "Cette réservation est payante : choisissez comment la régler.", { status: 409 });
    const data = { status: "CONFIRMED" as const, holdExpiresAt: null, confirmedAt: input.now };
    return ok(await keepBooking(tx, locked.value.id, data, { paidWith: "gratuit" }, input.now));
  });
}

/** Without card payment, the slot is kept for the person, who pays at the desk (or by transfer); staff confirm. */
export async function payOnSite(
  client: Client,
  input: { poleId: string; bookingId: string; personId: string; now: Date },
): Promise<Result<{ booking: Booking; effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    const locked = await lockHeldBooking(tx, input);
    if (!locked.ok) return locked;
    const data = { status: "AWAITING_PAYMENT" as const, holdExpiresAt: null };
    return ok(await keepBooking(tx, locked.value.id, data, { awaiting: true }, input.now));
  });
}

/** What Stripe Checkout shows for a held booking: its price lines, named after the slot. */
export async function bookingCheckout(
  client: Client,
  input: { poleId: string; bookingId: string; personId: string; now: Date },
): Promise<Result<CheckoutRequest>> {
  return inTransaction(client, async (tx) => {
    const locked = await lockHeldBooking(tx, input);
    if (!locked.ok) return locked;
    const booking = locked.value;
    const lines = invoiceLines(booking).map((l) => ({
      name: l.description,
      quantity: l.quantity,
      unitCents: l.unitInclTax,
    }));
    return ok({
      poleId: input.poleId,
      handler: bookingPurpose,
      targetId: booking.id,
      person: { id: booking.person!.id, email: booking.person!.email },
      amountCents: cents(booking.priceCents),
      lines,
      description: bookingLabel(booking.resource.name, booking.startsAt, booking.endsAt),
      returnPath: bookingPath(booking.id),
      now: input.now,
    });
  });
}

/** The booking's invoice lines: one per unit of its price (e.g. 2 half-days + 1 hour). */
function invoiceLines(booking: BookingFull) {
  return (booking.priceDetail as PriceLine[]).map((l) => ({
    description: `${booking.resource.name} — ${l.quantity > 1 ? UNIT_LABELS[l.unit].many : UNIT_LABELS[l.unit].one}, ${formatSlot(booking.startsAt, booking.endsAt)}`,
    quantity: l.quantity,
    unitInclTax: cents(l.unitCents),
    vatRateBp: COWORKING_VAT_BP,
    accountCode: COWORKING_ACCOUNT,
  }));
}

/** The money is in: invoice the booking, confirm it, settle the waiting list. */
async function confirmPaid(
  tx: Tx,
  booking: BookingFull,
  payment: Payment,
  now: Date,
  staffId?: string | null,
): Promise<Effects> {
  const invoice = await invoicePaidSale(tx, {
    poleId: booking.poleId,
    personId: booking.personId!,
    sourceKey: `booking:${booking.id}`,
    lines: invoiceLines(booking),
    method: payment.method,
    now,
    createdById: staffId,
  });
  await tx.payment.update({ where: { id: payment.id }, data: { invoiceId: invoice.id } });
  const paidWith = `${PAID_WITH_LABELS[payment.method]}, ${formatCents(payment.amountCents)} — facture ${invoice.number}`;
  const data = {
    status: "CONFIRMED" as const,
    holdExpiresAt: null,
    paymentMethod: payment.method,
    invoiceId: invoice.id,
    confirmedAt: now,
  };
  return (await keepBooking(tx, booking.id, data, { paidWith }, now)).effects;
}

/** The booking is kept — confirmed, or to be paid on site: the person's waits for its slot end, and they are told. */
async function keepBooking(
  tx: Tx,
  bookingId: string,
  data: Prisma.BookingUncheckedUpdateInput,
  how: { paidWith: string } | { awaiting: true },
  now: Date,
): Promise<{ booking: BookingFull; effects: Effects }> {
  const booking = await tx.booking.update({ where: { id: bookingId }, data, include: bookingInclude });
  await settleSlotWaits(tx, {
    personId: booking.personId!,
    resourceId: booking.resourceId,
    startsAt: booking.startsAt,
    endsAt: booking.endsAt,
    now,
  });
  return { booking, effects: { emails: [await confirmationEmail(tx, booking, how)], refunds: [] } };
}

/** Staff record an offline payment (transfer, cheque, cash) of a booking to be paid on site. */
export function confirmOfflinePayment(
  client: Client,
  input: { poleId: string; bookingId: string; method: OfflineMethod; reference: string; staffId: string; now: Date },
): Promise<Result<{ booking: Booking; effects: Effects }>> {
  let booking: BookingFull;
  return recordOfflinePayment(
    client,
    bookingPurpose,
    { ...input, targetId: input.bookingId, what: "cette réservation" },
    {
      async claim(tx) {
        if (!(await lockRow(tx, "Booking", { id: input.bookingId, poleId: input.poleId, kind: "BOOKING" })))
          return fail("NOT_FOUND", "Cette réservation n'existe pas.", { status: 404 });
        booking = await tx.booking.findUniqueOrThrow({ where: { id: input.bookingId }, include: bookingInclude });
        const liveHold = booking.status === "HELD" && booking.holdExpiresAt! > input.now;
        if (booking.status !== "AWAITING_PAYMENT" && !liveHold) {
          return fail(
            "NOT_AWAITING",
            booking.status === "CONFIRMED"
              ? "Cette réservation est déjà payée."
              : "Cette réservation n'attend pas de paiement.",
            { status: 409 },
          );
        }
        return ok({ personId: booking.personId!, amountCents: booking.priceCents });
      },
      async settle(tx, payment) {
        const effects = await confirmPaid(tx, booking, payment, input.now, input.staffId);
        return { booking: await tx.booking.findUniqueOrThrow({ where: { id: booking.id } }), effects };
      },
    },
  );
}

/** A booking paid by card: a paid checkout confirms it (or, too late, is refunded); a lapsed one releases it. */
export const bookingPurpose: PurposeHandler = {
  purpose: "BOOKING",
  targetColumn: "bookingId",
  // Only a held booking is paid by card: once released, cancelled or settled another way, its page is closed.
  stillPayable: { booking: { status: "HELD" } },
  receiptLabel: "Paiement reçu pour une réservation annulée — à rembourser",
  // Card only: a hold lasts minutes, a debit settles in days.
  paymentMethodTypes: ["card"],
  // Paid on Stripe's page with money still to settle: the slot is the payer's until the bank answers (at most until
  // it ends); a refusal releases it (`failed`). Not kept if the hold had already gone: the money then arrives late.
  async processing(tx, payment, now) {
    const count = await tx.$executeRaw`UPDATE "Booking" SET "holdExpiresAt" = "endsAt", "updatedAt" = ${now}
      WHERE "id" = ${payment.bookingId} AND "status" = 'HELD'`;
    return {
      outcome: count ? "créneau gardé, paiement en cours" : "paiement en cours, créneau déjà libéré",
      ...noEffects(),
    };
  },
  async paid(tx, payment, now) {
    await lockRow(tx, "Booking", { id: payment.bookingId! });
    const booking = await tx.booking.findUniqueOrThrow({
      where: { id: payment.bookingId! },
      include: bookingInclude,
    });
    if (
      booking.status === "HELD" ||
      booking.status === "AWAITING_PAYMENT" ||
      (booking.status === "EXPIRED" && (await revive(tx, booking, now)))
    ) {
      return { outcome: "réservation confirmée", ...(await confirmPaid(tx, booking, payment, now)) };
    }
    // Paid already (another Checkout page, a booklet, on site), cancelled meanwhile, or the slot went to
    // someone else after the hold lapsed: the money is owed back.
    const alreadyPaid = booking.status === "CONFIRMED";
    const email = latePaymentRefundedEmail({
      ...(await emailBase(tx, booking)),
      amount: formatCents(payment.amountCents),
      alreadyPaid,
    });
    return {
      outcome: "paiement tardif remboursé",
      emails: [{ poleId: booking.poleId, to: booking.person!.email, ...email }],
      refunds: [],
      owedBack: {
        reason: alreadyPaid
          ? "Réservation déjà réglée : paiement en double"
          : "Paiement arrivé après la fin de la réservation",
      },
    };
  },
  failed: releaseHold,
  expired: releaseHold,
  // A refund follows a cancellation or money that came too late: the booking took its state then.
  async refunded() {},
};

async function releaseHold(tx: Tx, payment: Payment, now: Date) {
  const { count } = await tx.booking.updateMany({
    where: { id: payment.bookingId!, status: "HELD" },
    data: { status: "EXPIRED", updatedAt: now },
  });
  return { outcome: count ? "créneau libéré" : "rien à libérer", ...noEffects() };
}

/** An expired hold whose payment arrived late gets its slot back if nobody took it (the constraint decides). */
async function revive(tx: Tx, booking: { id: string; resourceId: string; startsAt: Date; endsAt: Date }, now: Date) {
  // Lapsed holds the sweeper has not marked yet must not keep the slot from its payer.
  await expireStaleHolds(tx, { resourceId: booking.resourceId, from: booking.startsAt, to: booking.endsAt, now });
  try {
    await withSavepoint(
      tx,
      "revive_booking",
      () =>
        tx.$executeRaw`UPDATE "Booking" SET "status" = 'HELD', "holdExpiresAt" = ${now}, "updatedAt" = ${now} WHERE "id" = ${booking.id}`,
    );
    return true;
  } catch (error) {
    if (!isExclusionViolation(error)) throw error;
    return false;
  }
}

const minutesOf = (b: { startsAt: Date; endsAt: Date }) =>
  Math.round((b.endsAt.getTime() - b.startsAt.getTime()) / 60_000);

async function emailBase(tx: Tx, booking: BookingFull) {
  const pole = await tx.pole.findUniqueOrThrow({ where: { id: booking.poleId }, select: { name: true } });
  return {
    poleName: pole.name,
    name: booking.person!.name,
    what: bookingLabel(booking.resource.name, booking.startsAt, booking.endsAt),
    url: `${appUrl()}${bookingPath(booking.id)}`,
  };
}

/** The confirmation (or "to pay on site") email, with the booking as an .ics invitation. */
export async function confirmationEmail(
  tx: Tx,
  booking: BookingFull,
  how: { paidWith: string } | { awaiting: true },
): Promise<EmailMessage> {
  const base = await emailBase(tx, booking);
  const pole = await tx.pole.findUniqueOrThrow({ where: { id: booking.poleId } });
  const content =
    "awaiting" in how
      ? bookingAwaitingPaymentEmail({ ...base, amount: formatCents(booking.priceCents) })
      : bookingConfirmedEmail({ ...base, paidWith: how.paidWith });
  const ics = bookingsCalendar({
    pole,
    url: base.url,
    method: "PUBLISH",
    bookings: [
      {
        id: booking.id,
        startsAt: booking.startsAt,
        endsAt: booking.endsAt,
        status: booking.status,
        resourceName: booking.resource.name,
        spaceName: booking.resource.space.name,
        updatedAt: booking.updatedAt,
      },
    ],
  });
  return {
    poleId: booking.poleId,
    to: booking.person!.email,
    ...content,
    attachments: [
      { filename: "reservation.ics", contentType: "text/calendar; charset=utf-8; method=PUBLISH", content: ics },
    ],
  };
}
