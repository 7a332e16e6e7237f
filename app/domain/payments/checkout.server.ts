import Stripe from "stripe";
import type { PaymentPurpose } from "~/generated/prisma/enums";
import { fail, ok, type Result } from "~/domain/result";
import type { Db } from "~/utils/db.server";
import { isUniqueViolation } from "~/utils/db-errors.server";
import { appUrl } from "~/utils/env.server";

// Stripe requires a Checkout Session to stay open at least 30 minutes; the slot's own hold is shorter and the
// sweeper expires the session when the hold lapses (a payment that still lands is handled by the webhook).
const SESSION_MINUTES = 31;

export type CheckoutRequest = {
  poleId: string;
  purpose: PaymentPurpose;
  bookingId?: string;
  passId?: string;
  instalmentId?: string;
  person: { id: string; email: string };
  /** VAT included, in cents: the sum of the lines. */
  amountCents: number;
  lines: { name: string; quantity: number; unitCents: number }[];
  description: string;
  /** Where Stripe sends the person back, e.g. "/compte/reservations/abc". */
  returnPath: string;
  now: Date;
};

/**
 * Opens (or reopens) the Stripe Checkout page for a booking, a pass or a rent instalment. One live payment per target (a partial
 * unique index): a double click or a second tab gets the same session, through Stripe's idempotency key.
 */
export async function openCheckout(db: Db, stripe: Stripe, request: CheckoutRequest): Promise<Result<{ url: string }>> {
  const target: { bookingId: string } | { passId: string } | { instalmentId: string } =
    request.purpose === "BOOKING" ? { bookingId: request.bookingId! } : request.purpose === "PASS" ? { passId: request.passId! } : { instalmentId: request.instalmentId! };
  let payment = await db.payment.findFirst({ where: { ...target, status: { in: ["PENDING", "SUCCEEDED"] } } });
  if (payment?.status === "SUCCEEDED") return fail("ALREADY_PAID", "Ce paiement est déjà enregistré.", { status: 409 });
  if (payment?.stripeSessionId) {
    const session = await stripe.checkout.sessions.retrieve(payment.stripeSessionId);
    if (session.status === "open" && session.url) return ok({ url: session.url });
    if (session.status === "complete") return fail("PAYMENT_PROCESSING", "Votre paiement est en cours de confirmation : actualisez la page dans un instant.", { status: 409 });
    await db.payment.update({ where: { id: payment.id }, data: { status: "CANCELLED" } });
    payment = null;
  }
  // A payment whose Checkout page could not be opened a while ago (its expiry would now be too close): start over.
  if (payment && !payment.stripeSessionId && expiresAt(payment.createdAt) < Math.floor(request.now.getTime() / 1000) + 30 * 60 + 30) {
    await db.payment.update({ where: { id: payment.id }, data: { status: "CANCELLED" } });
    payment = null;
  }
  if (!payment) {
    try {
      payment = await db.payment.create({
        // Created at the request's clock, which the session's expiry is reckoned from.
        data: { poleId: request.poleId, purpose: request.purpose, ...target, personId: request.person.id, method: "STRIPE", amountCents: request.amountCents, createdAt: request.now },
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // A concurrent request opened it a moment ago: use its payment (same idempotency key, same session).
      payment = await db.payment.findFirstOrThrow({ where: { ...target, status: "PENDING" } });
    }
  }
  const base = appUrl();
  try {
    const session = await stripe.checkout.sessions.create(
      {
        mode: "payment",
        locale: "fr",
        client_reference_id: request.bookingId ?? request.passId ?? request.instalmentId,
        customer_email: request.person.email,
        line_items: request.lines.map((l) => ({
          quantity: l.quantity,
          price_data: { currency: "eur", unit_amount: l.unitCents, tax_behavior: "inclusive", product_data: { name: l.name } },
        })),
        metadata: { poleId: request.poleId, purpose: request.purpose, paymentId: payment.id, ...(target as Record<string, string>) },
        payment_intent_data: { description: request.description, metadata: { poleId: request.poleId, paymentId: payment.id, ...(target as Record<string, string>) } },
        // From the payment's creation, not this request's clock: a concurrent twin sends the very same
        // parameters, so Stripe's idempotency key gives both the same session.
        expires_at: expiresAt(payment.createdAt),
        success_url: `${base}${request.returnPath}?paiement=retour`,
        cancel_url: `${base}${request.returnPath}?paiement=abandon`,
      },
      { idempotencyKey: `checkout:${payment.id}` },
    );
    await db.payment.update({ where: { id: payment.id }, data: { stripeSessionId: session.id } });
    if (!session.url) throw new Error(`Stripe n'a pas donné d'adresse pour la session ${session.id}`);
    return ok({ url: session.url });
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeError)) throw error;
    // An idempotency conflict means a twin request is opening this very session: leave the payment to it.
    if (!(error instanceof Stripe.errors.StripeIdempotencyError)) await db.payment.update({ where: { id: payment.id }, data: { status: "FAILED" } });
    return fail("STRIPE_UNAVAILABLE", "Le paiement par carte est momentanément indisponible : réessayez dans un instant.", { status: 503 });
  }
}

const expiresAt = (createdAt: Date) => Math.floor(createdAt.getTime() / 1000) + SESSION_MINUTES * 60;

/** Closes the Checkout page of a payment whose slot was released, so nobody pays for it (best effort). */
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
