// Public face of payments: how money comes in (Stripe Checkout, offline methods confirmed by staff) and goes
// back (refunds), and the Stripe webhook. Streams say what a payment is for through PurposeHandlers.
export { getStripe, cardPaymentEnabled, type Stripe } from "./stripe.server";
export {
  openCheckout,
  openSession,
  insertCheckoutPayment,
  discardUnopenedPayment,
  expireCheckout,
  stripeUnavailable,
  UNOPENED_CHECKOUT_MINUTES,
  type CheckoutRequest,
} from "./checkout.server";
export {
  handleStripeEvent,
  verifyStripeEvent,
  applyCheckoutSession,
  runEffects,
  type PurposeHandler,
  type PurposeHandlers,
} from "./webhooks.server";
export { requestRefund, executeRefund, applyStripeRefund, confirmOfflineRefund } from "./refunds.server";
export { moneyAccount, postUnappliedReceipt } from "./receipts.server";
export { noEffects, mergeEffects, type Effects } from "./effects";
export { METHOD_LABELS, OFFLINE_METHODS, type OfflineMethod } from "./methods";
