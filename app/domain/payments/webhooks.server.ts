import Stripe from "stripe";
import type { Payment } from "~/generated/prisma/client";
import { inTransaction, type Db, type Tx } from "~/utils/db.server";
import { lockRow } from "~/utils/row-locks.server";
import { sendEmail } from "~/utils/email.server";
import { noEffects, type Effects } from "./effects";
import type { PaidOutcome, PaymentOutcome, PurposeHandler, PurposeHandlers } from "./purposes";
import { postStripeFee, postUnappliedReceipt } from "./receipts.server";
import { applySetupSession } from "./saved-cards.server";
import { applyStripeRefund, executeRefund, owedRefund } from "./refunds.server";
import { cents } from "~/domain/money";

// Stripe webhooks: verified on the raw body, recorded by event id (the replay guard, a primary key) and applied
// in the same transaction. Events can arrive late, twice or out of order, so the handler never trusts the
// event's copy of the object: it re-reads the session or refund from Stripe and brings our rows to that state.
// What follows for the target is the stream's: its purpose handler, found by the payment's purpose.

export function verifyStripeEvent(
  stripe: Stripe,
  payload: string,
  signature: string | null,
  secret: string,
): Stripe.Event | null {
  if (!signature) return null;
  try {
    return stripe.webhooks.constructEvent(payload, signature, secret);
  } catch {
    return null;
  }
}

type Fresh =
  | { kind: "session"; session: Stripe.Checkout.Session }
  | { kind: "intent"; intent: Stripe.PaymentIntent }
  | { kind: "refund"; refund: Stripe.Refund }
  | { kind: "ignored" };

const SESSION_EVENTS = new Set([
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "checkout.session.expired",
]);
// Off-session charges (saved-cards.server.ts) have no session: their intent tells how they went.
const INTENT_EVENTS = new Set(["payment_intent.succeeded", "payment_intent.payment_failed"]);
const REFUND_EVENTS = new Set(["refund.created", "refund.updated", "refund.failed", "charge.refund.updated"]);

async function reread(stripe: Stripe, event: Stripe.Event): Promise<Fresh> {
  const object = event.data.object as { id: string };
  try {
    if (SESSION_EVENTS.has(event.type)) {
      return {
        kind: "session",
        session: await stripe.checkout.sessions.retrieve(object.id, {
          expand: ["payment_intent.latest_charge.balance_transaction", "setup_intent"],
        }),
      };
    }
    if (INTENT_EVENTS.has(event.type)) {
      return {
        kind: "intent",
        intent: await stripe.paymentIntents.retrieve(object.id, { expand: ["latest_charge.balance_transaction"] }),
      };
    }
    if (REFUND_EVENTS.has(event.type)) return { kind: "refund", refund: await stripe.refunds.retrieve(object.id) };
  } catch (error) {
    // An object Stripe does not know (another account's, or deleted): nothing of ours to change. Any other
    // failure is thrown, so the route answers 503 and Stripe sends the event again later.
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_missing")
      return { kind: "ignored" };
    throw error;
  }
  return { kind: "ignored" };
}

export async function handleStripeEvent(
  db: Db,
  stripe: Stripe,
  event: Stripe.Event,
  handlers: PurposeHandlers,
  now = new Date(),
) {
  if (await db.stripeEvent.findUnique({ where: { id: event.id }, select: { id: true } }))
    return { replay: true, outcome: "déjà reçu" };
  const fresh = await reread(stripe, event);
  const result = await inTransaction(
    db,
    async (tx) => {
      const inserted = await tx.$executeRaw`INSERT INTO "StripeEvent" ("id", "type", "livemode", "createdAt")
        VALUES (${event.id}, ${event.type}, ${event.livemode}, ${new Date(event.created * 1000)}) ON CONFLICT ("id") DO NOTHING`;
      // A concurrent delivery of the same event got there first: it does the work.
      if (inserted === 0) return { replay: true, outcome: "déjà reçu", ...noEffects() };
      const applied = await apply(tx, fresh, handlers, now);
      await tx.stripeEvent.update({ where: { id: event.id }, data: { processedAt: now, outcome: applied.outcome } });
      return { replay: false, ...applied };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
  await runEffects(db, stripe, result, now, handlers);
  return { replay: result.replay, outcome: result.outcome };
}

async function apply(tx: Tx, fresh: Fresh, handlers: PurposeHandlers, now: Date): Promise<PaymentOutcome> {
  if (fresh.kind === "refund") return { ...(await applyStripeRefund(tx, fresh.refund, now, handlers)), ...noEffects() };
  if (fresh.kind === "ignored") return { outcome: "ignoré", ...noEffects() };
  if (fresh.kind === "intent") return applyIntent(tx, fresh.intent, handlers, now);
  if (fresh.session.mode === "setup") return applySetupSession(tx, fresh.session, handlers, now);
  return applyCheckoutSession(tx, fresh.session, handlers, now);
}

/** Brings the payment of a Checkout Session (and what it pays for) to the session's current state. */
export async function applyCheckoutSession(
  tx: Tx,
  session: Stripe.Checkout.Session,
  handlers: PurposeHandlers,
  now: Date,
): Promise<PaymentOutcome> {
  const paymentId = session.metadata?.paymentId;
  const found = await tx.payment.findFirst({
    where: { OR: [{ stripeSessionId: session.id }, ...(paymentId ? [{ id: paymentId }] : [])] },
    select: { id: true },
  });
  if (!found) return { outcome: "ignoré : session inconnue", ...noEffects() };
  await lockRow(tx, "Payment", { id: found.id });
  const payment = await tx.payment.findUniqueOrThrow({ where: { id: found.id } });
  const handler = handlers[payment.purpose];
  const intent = typeof session.payment_intent === "object" ? session.payment_intent : null;
  const intentId = intent?.id ?? (typeof session.payment_intent === "string" ? session.payment_intent : null);
  const state = sessionState(session, intent);
  if (state === "paid") {
    if (payment.status === "SUCCEEDED") return { outcome: "déjà payé", ...noEffects() };
    return settlePaid(tx, handler, payment, now, {
      stripeSessionId: session.id,
      stripePaymentIntentId: intentId,
      amountCents: session.amount_total ?? payment.amountCents,
      feeCents: feeOf(intent),
    });
  }
  if (state === "processing") {
    if (payment.status !== "PENDING") return { outcome: "déjà clos", ...noEffects() };
    if (payment.processingAt) return { outcome: "paiement déjà en cours de traitement", ...noEffects() };
    const updated = await tx.payment.update({
      where: { id: payment.id },
      data: { processingAt: now, stripeSessionId: session.id, stripePaymentIntentId: intentId },
    });
    if (handler.processing) return handler.processing(tx, updated, now);
    return { outcome: "paiement en cours de traitement", ...noEffects() };
  }
  if (state === "expired" || state === "failed") {
    if (payment.status !== "PENDING") return { outcome: "déjà clos", ...noEffects() };
    const expired = state === "expired";
    const updated = await tx.payment.update({
      where: { id: payment.id },
      data: { status: expired ? "CANCELLED" : "FAILED" },
    });
    return expired ? handler.expired(tx, updated, now) : handler.failed(tx, updated, now);
  }
  return { outcome: "session encore ouverte", ...noEffects() };
}

/** The money is in: the payment SUCCEEDED with what Stripe says of it, its fee booked, its target told. */
async function settlePaid(
  tx: Tx,
  handler: PurposeHandler,
  payment: Payment,
  now: Date,
  data: {
    stripeSessionId?: string;
    stripePaymentIntentId: string | null;
    amountCents: number;
    feeCents: number | null;
  },
): Promise<PaymentOutcome> {
  const updated = await tx.payment.update({
    where: { id: payment.id },
    data: { status: "SUCCEEDED", ...data, confirmedAt: now },
  });
  if (data.feeCents) await postStripeFee(tx, updated, cents(data.feeCents), now);
  return owedBackIfRefused(tx, handler, updated, await handler.paid(tx, updated, now), now);
}

/**
 * Brings an off-session charge (a payment without a Checkout page) to its PaymentIntent's state: from the call
 * that made it, or from a webhook, in any order and any number of times.
 */
export async function applyIntent(
  tx: Tx,
  intent: Stripe.PaymentIntent,
  handlers: PurposeHandlers,
  now: Date,
): Promise<PaymentOutcome> {
  const paymentId = intent.metadata?.paymentId;
  const found = await tx.payment.findFirst({
    where: {
      offSession: true,
      OR: [{ stripePaymentIntentId: intent.id }, ...(paymentId ? [{ id: paymentId }] : [])],
    },
    select: { id: true },
  });
  if (!found) return { outcome: "ignoré : paiement inconnu", ...noEffects() };
  await lockRow(tx, "Payment", { id: found.id });
  const payment = await tx.payment.findUniqueOrThrow({ where: { id: found.id } });
  const handler = handlers[payment.purpose];
  if (payment.status === "SUCCEEDED") return { outcome: "déjà payé", ...noEffects() };
  // A charge declined for authentication that the customer then completed succeeds after all: the money is in.
  if (intent.status === "succeeded")
    return settlePaid(tx, handler, payment, now, {
      stripePaymentIntentId: intent.id,
      amountCents: intent.amount_received,
      feeCents: feeOf(intent),
    });
  if (payment.status !== "PENDING") return { outcome: "déjà clos", ...noEffects() };
  if (intent.status === "requires_payment_method" || intent.status === "canceled") {
    const updated = await tx.payment.update({
      where: { id: payment.id },
      data: { status: "FAILED", stripePaymentIntentId: intent.id },
    });
    return handler.failed(tx, updated, now);
  }
  // Still under way (an authentication the customer may complete): the intent id is kept for the next look.
  if (!payment.stripePaymentIntentId)
    await tx.payment.update({ where: { id: payment.id }, data: { stripePaymentIntentId: intent.id } });
  return { outcome: "paiement en cours", ...noEffects() };
}

/**
 * Where a session stands. Completed unpaid, it is a payment that settles later (a SEPA debit): Stripe keeps the
 * session complete and unpaid both while the debit runs and once it failed, so only its PaymentIntent tells them
 * apart — back to `requires_payment_method` (or cancelled) when the bank refused it.
 */
function sessionState(session: Stripe.Checkout.Session, intent: Stripe.PaymentIntent | null) {
  if (session.status === "expired") return "expired";
  if (session.status !== "complete") return "open";
  if (session.payment_status === "paid" || session.payment_status === "no_payment_required") return "paid";
  if (!session.payment_intent) return "failed";
  // Not expanded (a caller that did not re-read it): not known to have failed; its async_payment_failed will tell.
  if (!intent) return "processing";
  return intent.status === "requires_payment_method" || intent.status === "canceled" ? "failed" : "processing";
}

/**
 * Money whose target could no longer take it (paid already another way, cancelled, given to someone else) is owed
 * back: a receipt on the unapplied account under the handler's label, and a refund, asked after the commit.
 */
async function owedBackIfRefused(
  tx: Tx,
  handler: PurposeHandler,
  payment: Payment,
  result: PaidOutcome,
  now: Date,
): Promise<PaymentOutcome> {
  const { owedBack, ...outcome } = result;
  if (!owedBack) return outcome;
  await postUnappliedReceipt(tx, payment, now, handler.receiptLabel);
  const { refund, askStripe } = await owedRefund(tx, {
    poleId: payment.poleId,
    paymentId: payment.id,
    amountCents: cents(payment.amountCents),
    reason: owedBack.reason,
  });
  return { ...outcome, refunds: askStripe ? [...outcome.refunds, refund.id] : outcome.refunds };
}

function feeOf(intent: Stripe.PaymentIntent | null | undefined): number | null {
  const charge = intent?.latest_charge;
  if (!charge || typeof charge === "string") return null;
  const transaction = charge.balance_transaction;
  return transaction && typeof transaction === "object" ? transaction.fee : null;
}

/** After the commit: send the emails, ask Stripe for the refunds (`purposes`: the registry's, for their outcome). */
export async function runEffects(
  db: Db,
  stripe: Stripe | null,
  effects: Effects,
  now: Date,
  purposes: PurposeHandlers,
) {
  for (const email of effects.emails) await sendEmail(email, db);
  for (const refundId of effects.refunds) await executeRefund(db, stripe, refundId, now, purposes);
}
