import type Stripe from "stripe";
import { inTransaction, type Db, type Prisma } from "~/utils/db.server";
import { discardUnopenedPayment, expireCheckout, UNOPENED_CHECKOUT_MINUTES } from "./checkout.server";
import { targetIdOf, targetOf, type PurposeHandlers } from "./purposes";
import { executeRefund } from "./refunds.server";

// The payments' part of the periodic sweep, for every purpose the registry hands it: card payments whose Checkout
// page never opened go, pages nobody should pay on any more are closed, refunds Stripe could not take are asked
// again. Each step is idempotent: a sweep that dies halfway is redone by the next.

export async function sweepPayments(db: Db, input: { stripe: Stripe | null; now: Date; purposes: PurposeHandlers }) {
  const { dropped: unopenedDropped, closed: checkoutsClosed } = await closeStaleCheckouts(db, input);
  const refundsRetried = await retryPendingRefunds(db, input);
  return { unopenedDropped, checkoutsClosed, refundsRetried };
}

/**
 * Closes the Checkout pages nobody should pay on any more: those whose target each purpose handler says can no
 * longer be paid by card (`stillPayable`). First drops the card payments whose page never opened.
 */
export async function closeStaleCheckouts(
  db: Db,
  input: { stripe: Stripe | null; now: Date; purposes: PurposeHandlers },
) {
  const dropped = await dropUnopenedCheckouts(db, input);
  if (!input.stripe) return { dropped, closed: 0 };
  const stale = await db.payment.findMany({
    where: {
      method: "STRIPE",
      status: "PENDING",
      stripeSessionId: { not: null },
      // A debit under way has no page left to close: its outcome comes by webhook, whatever its target became.
      processingAt: null,
      OR: Object.values(input.purposes).map((h) => ({ purpose: h.purpose, NOT: h.stillPayable })),
    },
    select: { id: true, stripeSessionId: true },
    take: 100,
  });
  let closed = 0;
  for (const p of stale) {
    if (await expireCheckout(input.stripe, p.stripeSessionId!)) {
      await db.payment.updateMany({ where: { id: p.id, status: "PENDING" }, data: { status: "CANCELLED" } });
      closed++;
    }
  }
  return { dropped, closed };
}

/**
 * Card payments whose Checkout page never opened: PENDING without a session past the time any request could still
 * be waiting for Stripe (the request died in between), or FAILED without a session (how Stripe outages were
 * recorded before). No page stands behind them that anyone could pay on: they go, with whatever their purpose
 * handler lets go with them (an order made only to be paid by card). Without Stripe keys too: such a payment would
 * block paying another way.
 */
export async function dropUnopenedCheckouts(db: Db, input: { now: Date; purposes: PurposeHandlers }) {
  const unopened = {
    method: "STRIPE",
    stripeSessionId: null,
    offSession: false,
    OR: [
      { status: "PENDING", createdAt: { lte: new Date(input.now.getTime() - UNOPENED_CHECKOUT_MINUTES * 60_000) } },
      { status: "FAILED" },
    ],
  } satisfies Prisma.PaymentWhereInput;
  const found = await db.payment.findMany({ where: unopened, orderBy: { createdAt: "asc" }, take: 100 });
  let dropped = 0;
  for (const payment of found) {
    const handler = input.purposes[payment.purpose];
    dropped += await inTransaction(db, async (tx) => {
      if (!handler.unopened) return discardUnopenedPayment(tx, payment.id);
      const targetId = targetIdOf(handler, payment);
      // Every payment of the target that never opened, not only this one: the handler then judges the target.
      const drop = async () =>
        targetId
          ? (await tx.payment.deleteMany({ where: { ...unopened, ...targetOf(handler, targetId) } })).count
          : discardUnopenedPayment(tx, payment.id);
      return handler.unopened(tx, { payment, now: input.now, drop });
    });
  }
  return dropped;
}

/** Refunds Stripe did not take (unreachable, or an error) are asked again, a minute after they were made. */
export async function retryPendingRefunds(
  db: Db,
  input: { stripe: Stripe | null; now: Date; purposes: PurposeHandlers },
) {
  if (!input.stripe) return 0;
  const pending = await db.refund.findMany({
    where: {
      status: "PENDING",
      stripeRefundId: null,
      payment: { method: "STRIPE" },
      createdAt: { lte: new Date(input.now.getTime() - 60_000) },
    },
    select: { id: true },
    take: 50,
  });
  for (const r of pending) await executeRefund(db, input.stripe, r.id, input.now, input.purposes);
  return pending.length;
}
