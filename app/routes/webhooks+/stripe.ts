import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import Stripe from "stripe";
import { getStripe, handleStripeEvent, verifyStripeEvent } from "~/domain/payments/index.server";
import { PAYMENT_HANDLERS } from "~/domain/streams.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";

// POST /webhooks/stripe: the raw body is verified against STRIPE_WEBHOOK_SECRET before anything is read or
// written; a bad signature gets 400 and writes nothing. Known events are applied (once), others acknowledged.
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return json({ message: "Méthode non autorisée." }, { status: 405 });
  const stripe = getStripe();
  const secret = getEnv().STRIPE_WEBHOOK_SECRET;
  if (!stripe || !secret) return json({ message: "Le paiement par carte n'est pas configuré." }, { status: 404 });
  const payload = await request.text();
  const event = verifyStripeEvent(stripe, payload, request.headers.get("stripe-signature"), secret);
  if (!event) return json({ message: "Signature Stripe invalide." }, { status: 400 });
  try {
    const result = await handleStripeEvent(db, stripe, event, PAYMENT_HANDLERS);
    return json({ received: true, ...result });
  } catch (error) {
    // Stripe unreachable while re-reading the object: nothing was recorded; Stripe retries a non-2xx answer.
    if (error instanceof Stripe.errors.StripeError)
      return json({ message: "Stripe est injoignable pour le moment : l'événement sera rejoué." }, { status: 503 });
    throw error;
  }
}

export const loader = () => json({ message: "Cette adresse reçoit les notifications de Stripe." }, { status: 405 });
