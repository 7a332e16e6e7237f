import Stripe from "stripe";
import type { Payment } from "~/generated/prisma/client";
import type { Cents } from "~/domain/money";
import { fail, ok, type Result } from "~/domain/result";
import type { Db, Client } from "~/utils/db.server";
import { isForeignKeyViolation, isUniqueViolation } from "~/utils/db-errors.server";
import { appUrl } from "~/utils/env.server";
import { targetOf, type PurposeHandler } from "./purposes";

// Stripe refuses an `expires_at` less than 30 minutes or more than 24 hours ahead of its own clock when the request
// reaches it. What a page pays for may be held for less: the sweeper expires the session when it stops being
// payable (a payment that still lands goes to the webhook).
const STRIPE_MIN_EXPIRY_SECONDS = 30 * 60;
const STRIPE_MAX_EXPIRY_SECONDS = 24 * 60 * 60;
// Asked 35 minutes ahead: the margin covers Stripe's clock running ahead of ours and the client's retries, which
// resend the same expires_at (three tries of at most STRIPE_TIMEOUT_MS, with their backoff).
const EXPIRY_MARGIN_SECONDS = 5 * 60;
// An unopened payment is reused (a double click's twin) only while this much of the margin is left.
const REUSE_MARGIN_SECONDS = 3 * 60;

/**
 * The `expires_at` to send for a payment created at `createdAt` — from its creation, not the request's clock, so
 * a concurrent twin sends the very same parameters and Stripe's idempotency key gives both the same session — or
 * null when that is too close to Stripe's minimum to send: the payment is too old to open, start over.
 */
export function checkoutExpiresAt(createdAt: Date, now: Date): number | null {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const wanted = Math.floor(createdAt.getTime() / 1000) + STRIPE_MIN_EXPIRY_SECONDS + EXPIRY_MARGIN_SECONDS;
  // Only a creation time ahead of this clock (another instance's) could ask for more than Stripe's maximum.
  const at = Math.min(wanted, nowSeconds + STRIPE_MAX_EXPIRY_SECONDS - EXPIRY_MARGIN_SECONDS);
  return at - nowSeconds >= STRIPE_MIN_EXPIRY_SECONDS + REUSE_MARGIN_SECONDS ? at : null;
}

/**
 * How old a card payment without its Checkout session must be before the sweep removes it: older than any request
 * can still be waiting for Stripe's answer (three tries of at most STRIPE_TIMEOUT_MS, a minute, with their backoff).
 */
export const UNOPENED_CHECKOUT_MINUTES = 5;

export type CheckoutRequest = {
  poleId: string;
  /** What the payment is for: the stream's purpose handler, and the id of its target. */
  handler: PurposeHandler;
  targetId: string;
  person: { id: string; email: string };
  /** VAT included, in cents: the sum of the lines. */
  amountCents: Cents;
  lines: { name: string; quantity: number; unitCents: number }[];
  description: string;
  /** Where Stripe sends the person back, e.g. "/compte/terres". */
  returnPath: string;
  now: Date;
};

export const stripeUnavailable = () =>
  fail("STRIPE_UNAVAILABLE", "Le paiement par carte est momentanément indisponible : réessayez dans un instant.", {
    status: 503,
  });

const paymentProcessing = (payment: Payment) =>
  fail(
    "PAYMENT_PROCESSING",
    payment.processingAt
      ? "Votre paiement est en cours de traitement par votre banque (quelques jours pour un prélèvement) : vous recevrez un message quand il aboutira."
      : "Votre paiement est en cours de confirmation : actualisez la page dans un instant.",
    { status: 409 },
  );

const requestTarget = (request: CheckoutRequest) => targetOf(request.handler, request.targetId);

/**
 * Opens (or reopens) the Stripe Checkout page for what a stream sells. One live payment per target (a partial unique
 * index): a double click or a second tab gets the same session, through Stripe's idempotency key. When Stripe
 * cannot open it, the payment row this request made goes away: no row stands for a page that never existed.
 */
export async function openCheckout(db: Db, stripe: Stripe, request: CheckoutRequest): Promise<Result<{ url: string }>> {
  const target = requestTarget(request);
  let payment = await db.payment.findFirst({ where: { ...target, status: { in: ["PENDING", "SUCCEEDED"] } } });
  if (payment?.status === "SUCCEEDED") return fail("ALREADY_PAID", "Ce paiement est déjà enregistré.", { status: 409 });
  // A debit under way: Stripe's answer would say no more, and it takes days, not an instant.
  if (payment?.processingAt) return paymentProcessing(payment);
  if (payment?.stripeSessionId) {
    let session: Stripe.Checkout.Session;
    try {
      session = await stripe.checkout.sessions.retrieve(payment.stripeSessionId);
    } catch (error) {
      // Stripe unreachable: the page may well be open, nothing to change until it answers.
      if (error instanceof Stripe.errors.StripeError) return stripeUnavailable();
      throw error;
    }
    if (session.status === "open" && session.url) return ok({ url: session.url });
    if (session.status === "complete") return paymentProcessing(payment);
    await db.payment.update({ where: { id: payment.id }, data: { status: "CANCELLED" } });
    payment = null;
  }
  // A payment whose Checkout page could not be opened a while ago (its expiry would now be too close): the request
  // that made it died or gave up before Stripe answered. It never stood for a page anyone could pay on: start over.
  if (payment && !payment.stripeSessionId && checkoutExpiresAt(payment.createdAt, request.now) === null) {
    await discardUnopenedPayment(db, payment.id);
    payment = null;
  }
  let inserted = false;
  if (!payment) {
    try {
      payment = await insertCheckoutPayment(db, request);
      inserted = true;
    } catch (error) {
      // What it pays for went away meanwhile (an order withdrawn by a twin request that Stripe failed too).
      if (isForeignKeyViolation(error)) return stripeUnavailable();
      if (!isUniqueViolation(error)) throw error;
      // A concurrent request opened it a moment ago: use its payment (same idempotency key, same session).
      payment = await db.payment.findFirst({ where: { ...target, status: "PENDING" } });
      // …unless Stripe failed it meanwhile and it withdrew its row.
      if (!payment) return stripeUnavailable();
    }
  }
  return openSession(db, stripe, request, payment, { discardOnFailure: inserted });
}

/**
 * The PENDING card payment a new Checkout page is opened for. In the caller's transaction when what it pays for is
 * created with it: an order to be paid by card never exists without its card payment.
 */
export function insertCheckoutPayment(tx: Client, request: CheckoutRequest) {
  return tx.payment.create({
    // Created at the request's clock, which the session's expiry is reckoned from.
    data: {
      poleId: request.poleId,
      purpose: request.handler.purpose,
      ...requestTarget(request),
      personId: request.person.id,
      method: "STRIPE",
      amountCents: request.amountCents,
      createdAt: request.now,
    },
  });
}

/**
 * Asks Stripe for the Checkout session of `payment` and records it. `discardOnFailure`: the payment was made by
 * this request, so it goes when Stripe fails (a caller that made it with other rows undoes them together).
 */
export async function openSession(
  db: Db,
  stripe: Stripe,
  request: CheckoutRequest,
  payment: Payment,
  options: { discardOnFailure: boolean },
): Promise<Result<{ url: string }>> {
  const base = appUrl();
  const target = requestTarget(request);
  const expiresAt = checkoutExpiresAt(payment.createdAt, request.now);
  if (expiresAt === null) {
    if (options.discardOnFailure) await discardUnopenedPayment(db, payment.id);
    return stripeUnavailable();
  }
  let session: Stripe.Checkout.Session;
  try {
    session = await stripe.checkout.sessions.create(
      {
        mode: "payment",
        locale: "fr",
        // The API version this client speaks takes the list as a filter of what the account has enabled
        // (`payment_method_types` is gone): SEPA Direct Debit shows only once switched on in the Dashboard.
        allowed_payment_method_types: [...(request.handler.paymentMethodTypes ?? ["card"])],
        client_reference_id: request.targetId,
        customer_email: request.person.email,
        line_items: request.lines.map((l) => ({
          quantity: l.quantity,
          price_data: {
            currency: "eur",
            unit_amount: l.unitCents,
            tax_behavior: "inclusive",
            product_data: { name: l.name },
          },
        })),
        metadata: {
          poleId: request.poleId,
          purpose: request.handler.purpose,
          paymentId: payment.id,
          ...(target as Record<string, string>),
        },
        payment_intent_data: {
          description: request.description,
          metadata: { poleId: request.poleId, paymentId: payment.id, ...(target as Record<string, string>) },
        },
        expires_at: expiresAt,
        success_url: `${base}${request.returnPath}?paiement=retour`,
        cancel_url: `${base}${request.returnPath}?paiement=abandon`,
      },
      { idempotencyKey: `checkout:${payment.id}` },
    );
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeError)) throw error;
    // An idempotency conflict means a twin request is opening this very session: leave the payment to it.
    // Otherwise nobody got a page to pay on — even if Stripe made the session and only its answer was lost (a
    // timeout), its address reached no one and it expires on its own — so the row goes.
    if (options.discardOnFailure && !isIdempotencyConflict(error)) await discardUnopenedPayment(db, payment.id);
    return stripeUnavailable();
  }
  const { count } = await db.payment.updateMany({
    where: { id: payment.id, status: "PENDING" },
    data: { stripeSessionId: session.id },
  });
  if (count === 0) {
    // The payment was given up while Stripe answered (a twin whose own call failed, the sweep): close the page
    // before anyone sees it, and let the person try again.
    await expireCheckout(stripe, session.id);
    return stripeUnavailable();
  }
  if (!session.url) throw new Error(`Stripe n'a pas donné d'adresse pour la session ${session.id}`);
  return ok({ url: session.url });
}

/**
 * Stripe's answer to a request whose idempotency key is in use: 400 when the parameters differ (the client's
 * StripeIdempotencyError), 409 while the first request with that key is still being processed (the client retries
 * it, then throws a plain StripeAPIError of type idempotency_error).
 */
export const isIdempotencyConflict = (error: Stripe.errors.StripeError) =>
  error instanceof Stripe.errors.StripeIdempotencyError ||
  error.rawType === "idempotency_error" ||
  error.statusCode === 409;

/** Removes a card payment that never got its Checkout session. 1 when it was still such a payment, else 0. */
export async function discardUnopenedPayment(tx: Client, paymentId: string) {
  const { count } = await tx.payment.deleteMany({
    where: {
      id: paymentId,
      method: "STRIPE",
      status: { in: ["PENDING", "FAILED"] },
      stripeSessionId: null,
      offSession: false,
    },
  });
  return count;
}

/** Closes the Checkout page of a payment whose target can no longer be paid, so nobody pays on it (best effort). */
export async function expireCheckout(stripe: Stripe, sessionId: string) {
  try {
    await stripe.checkout.sessions.expire(sessionId);
    return true;
  } catch (error) {
    // Already completed or expired: the webhook tells what happened.
    if (error instanceof Stripe.errors.StripeError) return false;
    throw error;
  }
}
