import Stripe from "stripe";
import { getEnv } from "~/utils/env.server";

// The official client, built from the environment. No key, no card payment: the app offers the offline path.
let cached: { key: string; client: Stripe } | undefined;

export function getStripe(): Stripe | null {
  const key = getEnv().STRIPE_SECRET_KEY;
  if (!key) return null;
  if (cached?.key !== key) {
    cached = { key, client: new Stripe(key, { maxNetworkRetries: 2, timeout: 20_000, appInfo: { name: "Terrain Commun" } }) };
  }
  return cached.client;
}

export const cardPaymentEnabled = () => Boolean(getEnv().STRIPE_SECRET_KEY);

export type { Stripe };
