import { slotFreedEmail } from "~/emails/booking";
import {
  discardUnopenedPayment,
  executeRefund,
  expireCheckout,
  UNOPENED_CHECKOUT_MINUTES,
  type Stripe,
} from "~/domain/payments/index.server";
import type { Db, Prisma } from "~/utils/db.server";
import { sendEmail } from "~/utils/email.server";
import { appUrl } from "~/utils/env.server";
import { bookingLabel } from "./describe";
import { withdrawCardOrder } from "./passes.server";
import { parisParts, toHhmm } from "./time";
import { lapseStartedSlotWaits, slotFreed } from "./waitlist.server";

// The periodic sweep (every HOUSEKEEPING_SECONDS, from server.ts): release lapsed holds and close their
// Checkout pages, drop card payments whose page never opened, tell waiting lists about freed slots, lapse entries
// whose slot has begun, and ask Stripe again for refunds it could not take. Each step is idempotent: a sweep that
// dies halfway is redone by the next.

export async function expireLapsedHolds(db: Db, now: Date) {
  return db.$executeRaw`UPDATE "Booking" SET "status" = 'EXPIRED', "updatedAt" = ${now} WHERE "status" = 'HELD' AND "holdExpiresAt" <= ${now}`;
}

/**
 * Closes the Checkout pages nobody should pay any more: of bookings no longer held (released, cancelled, or
 * settled another way — booklet, on site), of booklets settled or cancelled meanwhile, of rent instalments paid
 * by transfer meanwhile. First drops the card payments whose page never opened.
 */
export async function closeStaleCheckouts(db: Db, stripe: Stripe | null, now: Date) {
  const dropped = await dropUnopenedCheckouts(db, now);
  if (!stripe) return { dropped, closed: 0 };
  const stale = await db.payment.findMany({
    where: {
      method: "STRIPE",
      status: "PENDING",
      stripeSessionId: { not: null },
      OR: [
        { booking: { status: { not: "HELD" } } },
        { pass: { status: { not: "PENDING" } } },
        { instalment: { status: { not: "INVOICED" } } },
      ],
    },
    select: { id: true, stripeSessionId: true },
    take: 100,
  });
  let closed = 0;
  for (const p of stale) {
    if (await expireCheckout(stripe, p.stripeSessionId!)) {
      await db.payment.updateMany({ where: { id: p.id, status: "PENDING" }, data: { status: "CANCELLED" } });
      closed++;
    }
  }
  return { dropped, closed };
}

/**
 * Card payments whose Checkout page never opened: PENDING without a session past the time any request could still
 * be waiting for Stripe (the request died in between), or FAILED without a session (how Stripe outages were
 * recorded before). No page stands behind them that anyone could pay on: they go, and a booklet ordered only to
 * be paid by card goes with its payments. Without Stripe keys too: such a payment would block paying on site.
 */
export async function dropUnopenedCheckouts(db: Db, now: Date) {
  const unopened = {
    method: "STRIPE",
    stripeSessionId: null,
    OR: [
      { status: "PENDING", createdAt: { lte: new Date(now.getTime() - UNOPENED_CHECKOUT_MINUTES * 60_000) } },
      { status: "FAILED" },
    ],
  } satisfies Prisma.PaymentWhereInput;
  const found = await db.payment.findMany({
    where: unopened,
    select: { id: true, passId: true },
    orderBy: { createdAt: "asc" },
    take: 100,
  });
  let dropped = 0;
  for (const payment of found) {
    dropped += await db.$transaction(async (tx) => {
      if (!payment.passId) return discardUnopenedPayment(tx, payment.id);
      // The booklet first (locked), then all its payments that never opened, then the order itself if nothing
      // else of it is left: an order on site never had a card payment, so it is never touched here.
      await tx.$queryRaw`SELECT 1 FROM "Pass" WHERE "id" = ${payment.passId} FOR UPDATE`;
      const { count } = await tx.payment.deleteMany({ where: { ...unopened, passId: payment.passId } });
      if (count > 0) await withdrawCardOrder(tx, { passId: payment.passId, paymentId: null, now });
      return count;
    });
  }
  return dropped;
}

/** Tells the waiting list about slots freed by cancelled or expired bookings (an outbox on the booking row). */
export async function notifyFreedSlots(db: Db, now: Date) {
  const freed = await db.booking.findMany({
    where: { freedNotifiedAt: null, status: { in: ["CANCELLED", "EXPIRED"] }, endsAt: { gt: now } },
    include: { resource: { include: { space: true } }, pole: { select: { name: true } } },
    orderBy: { updatedAt: "asc" },
    take: 200,
  });
  let sent = 0;
  const base = appUrl();
  for (const booking of freed) {
    const notified = await db.$transaction(async (tx) => {
      const { count } = await tx.booking.updateMany({
        where: { id: booking.id, freedNotifiedAt: null },
        data: { freedNotifiedAt: now },
      });
      if (count === 0) return [];
      return slotFreed(tx, {
        resourceId: booking.resourceId,
        startsAt: booking.startsAt,
        endsAt: booking.endsAt,
        now,
      });
    });
    for (const entry of notified) {
      const start = parisParts(entry.startsAt!);
      const end = parisParts(entry.endsAt!);
      const url = `${base}/espaces/${booking.resource.slug}?jour=${start.date}&debut=${toHhmm(start.minutes)}&fin=${toHhmm(end.minutes)}#reserver`;
      const email = slotFreedEmail({
        poleName: booking.pole.name,
        name: entry.person.name,
        what: bookingLabel(booking.resource.name, entry.startsAt!, entry.endsAt!),
        url,
      });
      await sendEmail({ poleId: booking.poleId, to: entry.person.email, ...email }, db);
      sent++;
    }
  }
  return sent;
}

export async function retryPendingRefunds(db: Db, stripe: Stripe | null, now: Date) {
  if (!stripe) return 0;
  const pending = await db.refund.findMany({
    where: {
      status: "PENDING",
      stripeRefundId: null,
      payment: { method: "STRIPE" },
      createdAt: { lte: new Date(now.getTime() - 60_000) },
    },
    select: { id: true },
    take: 50,
  });
  for (const r of pending) await executeRefund(db, stripe, r.id, now);
  return pending.length;
}

export async function sweepBookings(db: Db, stripe: Stripe | null, now = new Date()) {
  const expired = await expireLapsedHolds(db, now);
  const { dropped: unopenedDropped, closed: checkoutsClosed } = await closeStaleCheckouts(db, stripe, now);
  const notified = await notifyFreedSlots(db, now);
  const lapsed = await lapseStartedSlotWaits(db, now);
  const refundsRetried = await retryPendingRefunds(db, stripe, now);
  return { expired, unopenedDropped, checkoutsClosed, notified, lapsed, refundsRetried };
}
