import Stripe from "stripe";
import type { Payment } from "~/generated/prisma/client";
import type { Cents } from "~/domain/money";
import { fail, ok, type Result } from "~/domain/result";
import { isUniqueViolation } from "~/utils/db-errors.server";
import { inTransaction, type Db, type Tx } from "~/utils/db.server";
import { appUrl } from "~/utils/env.server";
import { noEffects } from "./effects";
import { isIdempotencyConflict, stripeUnavailable } from "./checkout.server";
import { targetOf, type PaymentOutcome, type PurposeHandler, type PurposeHandlers, type SavedCard } from "./purposes";
import { applyIntent, runEffects } from "./webhooks.server";

// Cards saved now and charged later, when the customer is not there (Stripe's Checkout in setup mode, then a
// PaymentIntent confirmed off-session): what an all-or-nothing campaign needs, as Stripe's "charge later" guide
// describes it. Payments knows no stream here either: the purpose handler stores the card (`cardSaved`) and hears
// how each charge went (`paid`, `failed`).

export type SetupRequest = {
  poleId: string;
  handler: PurposeHandler;
  targetId: string;
  person: { email: string; name: string };
  /** The customer and setup page this target already has, if any: reused rather than made twice. */
  customerId: string | null;
  sessionId: string | null;
  returnPath: string;
};

/**
 * Opens (or reopens) the Checkout page in setup mode where the customer saves a card for this target. A double
 * click gets the same page: the idempotency keys follow the target and the page it had before.
 */
export async function openSetupCheckout(
  stripe: Stripe,
  request: SetupRequest,
): Promise<Result<{ url: string; sessionId: string; customerId: string }>> {
  try {
    if (request.sessionId) {
      const session = await stripe.checkout.sessions.retrieve(request.sessionId);
      if (session.status === "open" && session.url && request.customerId)
        return ok({ url: session.url, sessionId: session.id, customerId: request.customerId });
      if (session.status === "complete")
        return fail("CARD_SAVED", "Votre carte est déjà enregistrée : rien d'autre à faire.", { status: 409 });
    }
    const customerId =
      request.customerId ??
      (
        await stripe.customers.create(
          { email: request.person.email, name: request.person.name, metadata: { poleId: request.poleId } },
          { idempotencyKey: `customer:${request.handler.purpose}:${request.targetId}` },
        )
      ).id;
    const metadata = {
      poleId: request.poleId,
      purpose: request.handler.purpose,
      targetId: request.targetId,
      ...(targetOf(request.handler, request.targetId) as Record<string, string>),
    };
    const base = appUrl();
    const session = await stripe.checkout.sessions.create(
      {
        mode: "setup",
        currency: "eur",
        locale: "fr",
        customer: customerId,
        client_reference_id: request.targetId,
        metadata,
        setup_intent_data: { metadata },
        success_url: `${base}${request.returnPath}?carte=enregistree`,
        cancel_url: `${base}${request.returnPath}?carte=abandon`,
      },
      { idempotencyKey: `setup:${request.targetId}:${request.sessionId ?? "first"}` },
    );
    if (!session.url) throw new Error(`Stripe n'a pas donné d'adresse pour la session ${session.id}`);
    return ok({ url: session.url, sessionId: session.id, customerId });
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return stripeUnavailable();
    throw error;
  }
}

/** Brings a setup-mode session to its handler: the card it saved, once the session is complete. */
export async function applySetupSession(
  tx: Tx,
  session: Stripe.Checkout.Session,
  handlers: PurposeHandlers,
  now: Date,
): Promise<PaymentOutcome> {
  const purpose = session.metadata?.purpose as keyof PurposeHandlers | undefined;
  const handler = purpose ? handlers[purpose] : undefined;
  const targetId = session.metadata?.targetId;
  if (!handler?.cardSaved || !targetId) return { outcome: "ignoré : enregistrement de carte inconnu", ...noEffects() };
  if (session.status !== "complete") return { outcome: "enregistrement de carte non abouti", ...noEffects() };
  const intent = typeof session.setup_intent === "object" ? session.setup_intent : null;
  const paymentMethodId =
    typeof intent?.payment_method === "string" ? intent.payment_method : (intent?.payment_method?.id ?? null);
  const customerId = typeof session.customer === "string" ? session.customer : (session.customer?.id ?? null);
  if (!intent || intent.status !== "succeeded" || !paymentMethodId || !customerId)
    return { outcome: "carte non enregistrée", ...noEffects() };
  const saved: SavedCard = { targetId, sessionId: session.id, customerId, paymentMethodId };
  return handler.cardSaved(tx, saved, now);
}

export type ChargeRequest = {
  poleId: string;
  handler: PurposeHandler;
  targetId: string;
  personId: string;
  amountCents: Cents;
  customerId: string;
  paymentMethodId: string;
  description: string;
  now: Date;
  /**
   * Whether the target still owes this charge, checked under the stream's own lock in the transaction that makes
   * the attempt: a run that claimed the target before another settled it must not make a second attempt.
   */
  stillDue(tx: Tx): Promise<boolean>;
};

export type ChargeResult = "paid" | "failed" | "pending" | "unavailable";

/**
 * Charges a saved card off-session for a target, once: the attempt is a Payment row written (and committed)
 * before Stripe is asked, under the idempotency key `charge:<payment id>`. A run that dies after asking is redone
 * by the next with the same key — Stripe answers with the same PaymentIntent, never a second charge (within the
 * 24 hours Stripe keeps keys; the close sweep reruns within minutes). The outcome goes through the handler.
 */
export async function chargeSavedCard(
  db: Db,
  stripe: Stripe,
  request: ChargeRequest,
  handlers: PurposeHandlers,
): Promise<ChargeResult> {
  const payment = await attemptFor(db, request);
  if (!payment) return "pending";
  let intent: Stripe.PaymentIntent | null;
  try {
    intent = payment.stripePaymentIntentId
      ? await stripe.paymentIntents.retrieve(payment.stripePaymentIntentId, { expand: EXPAND })
      : await stripe.paymentIntents.create(
          {
            amount: request.amountCents,
            currency: "eur",
            customer: request.customerId,
            payment_method: request.paymentMethodId,
            off_session: true,
            confirm: true,
            description: request.description,
            metadata: {
              poleId: request.poleId,
              paymentId: payment.id,
              ...(targetOf(request.handler, request.targetId) as Record<string, string>),
            },
            expand: EXPAND,
          },
          { idempotencyKey: `charge:${payment.id}` },
        );
  } catch (error) {
    // Declined, or the bank asks for the customer (SCA): Stripe says so with the intent it made.
    if (error instanceof Stripe.errors.StripeCardError) intent = error.payment_intent ?? null;
    // A card Stripe will never charge (detached, its customer deleted): the attempt failed, the target is told.
    else if (error instanceof Stripe.errors.StripeInvalidRequestError && !isIdempotencyConflict(error))
      return failAttempt(db, payment, request, handlers);
    else if (error instanceof Stripe.errors.StripeError) return "unavailable";
    else throw error;
    if (!intent) return "unavailable";
  }
  const applied = await inTransaction(db, (tx) => applyIntent(tx, intent, handlers, request.now));
  await runEffects(db, stripe, applied, request.now, handlers);
  if (intent.status === "succeeded") return "paid";
  return intent.status === "requires_payment_method" || intent.status === "canceled" ? "failed" : "pending";
}

const EXPAND = ["latest_charge.balance_transaction"];

async function failAttempt(db: Db, payment: Payment, request: ChargeRequest, handlers: PurposeHandlers) {
  const outcome = await inTransaction(db, async (tx) => {
    const { count } = await tx.payment.updateMany({
      where: { id: payment.id, status: "PENDING" },
      data: { status: "FAILED" },
    });
    if (count === 0) return null;
    return handlers[payment.purpose].failed(tx, { ...payment, status: "FAILED" }, request.now);
  });
  if (outcome) await runEffects(db, null, outcome, request.now, handlers);
  return "failed" as const;
}

/**
 * The attempt's payment: the open off-session one of the target (a rerun), or a new one — null when the target no
 * longer owes the charge (another run settled it) or has another payment open.
 */
async function attemptFor(db: Db, request: ChargeRequest): Promise<Payment | null> {
  const target = targetOf(request.handler, request.targetId);
  try {
    return await inTransaction(db, async (tx) => {
      if (!(await request.stillDue(tx))) return null;
      const open = await tx.payment.findFirst({ where: { ...target, status: "PENDING", offSession: true } });
      if (open) return open;
      return tx.payment.create({
        data: {
          poleId: request.poleId,
          purpose: request.handler.purpose,
          ...target,
          personId: request.personId,
          method: "STRIPE",
          offSession: true,
          amountCents: request.amountCents,
          createdAt: request.now,
        },
      });
    });
  } catch (error) {
    // Another open payment of the target (a page the customer opened, or a twin run's attempt): not ours to make.
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/** Lets a saved card go (the campaign failed, the pledge was cancelled): best effort, Stripe forgets it. */
export async function releaseSavedCard(stripe: Stripe, paymentMethodId: string) {
  try {
    await stripe.paymentMethods.detach(paymentMethodId);
    return true;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return false;
    throw error;
  }
}
