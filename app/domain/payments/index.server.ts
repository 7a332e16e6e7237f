// Public face of payments: how money comes in (Stripe Checkout, offline methods confirmed by staff) and goes
// back (refunds), the Stripe webhook and the payments' sweep. It knows no stream: each says what its payments are
// for through a PurposeHandler (purposes.ts), and the registry (app/domain/streams.server.ts) hands them over.
export { getStripe, cardPaymentEnabled, type Stripe } from "./stripe.server";
export {
  openCheckout,
  openSession,
  checkoutExpiresAt,
  insertCheckoutPayment,
  discardUnopenedPayment,
  expireCheckout,
  stripeUnavailable,
  UNOPENED_CHECKOUT_MINUTES,
  type CheckoutRequest,
} from "./checkout.server";
export { handleStripeEvent, verifyStripeEvent, applyCheckoutSession, applyIntent, runEffects } from "./webhooks.server";
export {
  openSetupCheckout,
  chargeSavedCard,
  releaseSavedCard,
  type SetupRequest,
  type ChargeRequest,
  type ChargeResult,
} from "./saved-cards.server";
export {
  targetOf,
  type PurposeHandler,
  type PurposeHandlers,
  type PaymentTarget,
  type PaymentOutcome,
  type PaidOutcome,
  type PaymentMethodType,
  type SavedCard,
} from "./purposes";
export { sweepPayments } from "./housekeeping.server";
export {
  requestRefund,
  executeRefund,
  applyStripeRefund,
  confirmOfflineRefund,
  notRefundableByCard,
} from "./refunds.server";
export { moneyAccount } from "./receipts.server";
export { recordOfflinePayment, paymentUnderWay, type OfflineReceipt, type OfflineClaim } from "./offline.server";
export { noEffects, mergeEffects, type Effects } from "./effects";
export {
  METHOD_LABELS,
  MONEY_METHODS,
  OFFLINE_METHODS,
  isMoneyMethod,
  type MoneyMethod,
  type OfflineMethod,
} from "./methods";
