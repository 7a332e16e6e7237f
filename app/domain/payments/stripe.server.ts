import Stripe from "stripe";
import { getEnv } from "~/utils/env.server";

// The official client, built from the environment. No key, no card payment: the app offers the offline path.
let cached: { key: string; timeout: number; client: Stripe } | undefined;

export function getStripe(): Stripe | null {
  const { STRIPE_SECRET_KEY: key, STRIPE_TIMEOUT_MS: timeout } = getEnv();
  if (!key) return null;
  if (cached?.key !== key || cached.timeout !== timeout) {
    cached = {
      key,
      timeout,
      client: new Stripe(key, { maxNetworkRetries: 2, timeout, appInfo: { name: "Terrain Commun" } }),
    };
  }
  return cached.client;
}

export const cardPaymentEnabled = () => Boolean(getEnv().STRIPE_SECRET_KEY);

export type { Stripe };
