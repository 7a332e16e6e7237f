import type Stripe from "stripe";

// The objects the Stripe mock answers with, typed by stripe-node: `satisfies` makes tsc refuse a mock that lacks a
// field Stripe always returns or carries one it does not know, and REQUIRED_KEYS (checked at run time by
// tests/domain/stripe-mock.test.ts) lists those fields per object, so a new or removed field in the client's types
// breaks the build until the mock follows.

type Expanded<T> = T extends string | null ? never : T;

/** The keys stripe-node declares as always present (possibly null) on an object; optional ones are left out. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type KeyList<T> = Record<RequiredKeys<T>, true>;

export type MockIntent = Omit<Stripe.PaymentIntent, "latest_charge"> & { latest_charge: MockCharge | null };
export type MockCharge = Omit<Stripe.Charge, "balance_transaction"> & {
  balance_transaction: Stripe.BalanceTransaction | null;
};

export function checkoutSession(input: {
  id: string;
  created: number;
  /** null in setup mode: nothing is charged. */
  amount: number | null;
  expiresAt: number;
  mode: Stripe.Checkout.Session.Mode;
  metadata: Stripe.Metadata;
  methods: string[];
  clientReferenceId: string | null;
  customerEmail: string | null;
  locale: Stripe.Checkout.Session.Locale | null;
  successUrl: string | null;
  cancelUrl: string | null;
  /** By default "eur"; in setup mode, the `currency` asked (null when only `allowed_payment_method_types` was). */
  currency?: string | null;
  customer?: string | null;
  customerCreation?: Stripe.Checkout.Session.CustomerCreation | null;
}): Stripe.Checkout.Session {
  return {
    id: input.id,
    object: "checkout.session",
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: input.methods,
    amount_subtotal: input.amount,
    amount_total: input.amount,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: input.cancelUrl,
    client_reference_id: input.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: input.created,
    currency: input.currency === undefined ? "eur" : input.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: input.customer ?? null,
    customer_account: null,
    customer_creation: input.customerCreation === undefined ? "if_required" : input.customerCreation,
    customer_details: null,
    customer_email: input.customerEmail,
    discounts: [],
    expires_at: input.expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: input.locale,
    managed_payments: null,
    metadata: input.metadata,
    mode: input.mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: "if_required",
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: input.methods,
    payment_status: input.mode === "setup" ? "no_payment_required" : "unpaid",
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open",
    submit_type: null,
    subscription: null,
    success_url: input.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted_page",
    url: `https://checkout.stripe.com/c/pay/${input.id}`,
    wallet_options: null,
  } satisfies Stripe.Checkout.Session;
}

export function balanceTransaction(input: {
  id: string;
  created: number;
  amount: number;
  fee: number;
  sourceId: string;
}): Stripe.BalanceTransaction {
  return {
    id: input.id,
    object: "balance_transaction",
    amount: input.amount,
    available_on: input.created + 7 * 86_400,
    balance_type: "payments",
    created: input.created,
    currency: "eur",
    description: null,
    exchange_rate: null,
    fee: input.fee,
    fee_details: input.fee
      ? [
          {
            amount: input.fee,
            application: null,
            currency: "eur",
            description: "Stripe processing fees",
            type: "stripe_fee",
          },
        ]
      : [],
    net: input.amount - input.fee,
    reporting_category: "charge",
    source: input.sourceId,
    status: "pending",
    type: "charge",
  } satisfies Stripe.BalanceTransaction;
}

/** Why a bank refused a charge, as Stripe words it on the charge and in its card_error. */
export type Decline = {
  code: string;
  declineCode: string;
  message: string;
  adviceCode: Stripe.Charge.Outcome.AdviceCode | null;
  sellerMessage: string;
};

/** What Stripe's risk check and the network said: authorized, declined by the issuer, or nothing yet (pending). */
function outcome(status: Stripe.Charge.Status, decline: Decline | null): Stripe.Charge.Outcome | null {
  if (status === "succeeded")
    return {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: "approved_by_network",
      reason: null,
      risk_level: "normal",
      risk_score: 32,
      seller_message: "Payment complete.",
      type: "authorized",
    };
  if (status === "failed" && decline)
    return {
      advice_code: decline.adviceCode,
      network_advice_code: null,
      network_decline_code: null,
      network_status: "declined_by_network",
      reason: decline.declineCode,
      risk_level: "normal",
      risk_score: 32,
      seller_message: decline.sellerMessage,
      type: "issuer_declined",
    };
  return null;
}

export function charge(input: {
  id: string;
  created: number;
  amount: number;
  intentId: string;
  method: string;
  status: Stripe.Charge.Status;
  balanceTransaction: Stripe.BalanceTransaction | null;
  /** The saved payment method charged; by default one made up from the charge's id. */
  paymentMethod?: string;
  customer?: string | null;
  currency?: string;
  description?: string | null;
  metadata?: Stripe.Metadata;
  /** A failed charge's reason; by default (a failed debit) insufficient funds. */
  decline?: Decline | null;
}): MockCharge {
  const succeeded = input.status === "succeeded";
  const failed = input.status === "failed";
  const decline = input.decline ?? null;
  return {
    id: input.id,
    object: "charge",
    amount: input.amount,
    amount_captured: succeeded ? input.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: input.balanceTransaction,
    billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: "TERRAIN COMMUN",
    captured: succeeded,
    created: input.created,
    currency: input.currency ?? "eur",
    customer: input.customer ?? null,
    description: input.description ?? null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: failed ? (decline?.code ?? "insufficient_funds") : null,
    failure_message: failed ? (decline?.message ?? "The account has insufficient funds.") : null,
    fraud_details: {},
    livemode: false,
    metadata: input.metadata ?? {},
    on_behalf_of: null,
    outcome: outcome(input.status, decline),
    paid: succeeded,
    payment_intent: input.intentId,
    payment_method: input.paymentMethod ?? `pm_${input.id}`,
    payment_method_details: { type: input.method },
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: input.status,
    transfer_data: null,
    transfer_group: null,
  } satisfies MockCharge;
}

export function paymentIntent(input: {
  id: string;
  created: number;
  amount: number;
  method: string;
  status: Stripe.PaymentIntent.Status;
  metadata: Stripe.Metadata;
  latestCharge: MockCharge | null;
  currency?: string;
  customer?: string | null;
  description?: string | null;
  /** By default the latest charge's; null once a payment failed (Stripe keeps it in last_payment_error). */
  paymentMethod?: string | null;
  lastPaymentError?: Stripe.PaymentIntent.LastPaymentError | null;
}): MockIntent {
  return {
    id: input.id,
    object: "payment_intent",
    allowed_payment_method_types: null,
    amount: input.amount,
    amount_capturable: 0,
    amount_received: input.status === "succeeded" ? input.amount : 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic",
    client_secret: `${input.id}_secret_test`,
    confirmation_method: "automatic",
    created: input.created,
    currency: input.currency ?? "eur",
    customer: input.customer ?? null,
    customer_account: null,
    description: input.description ?? null,
    excluded_payment_method_types: null,
    last_payment_error: input.lastPaymentError ?? null,
    latest_charge: input.latestCharge,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method:
      input.paymentMethod === undefined ? (input.latestCharge?.payment_method ?? null) : input.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: [input.method],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: input.status,
    transfer_group: null,
  } satisfies MockIntent;
}

export function refund(input: {
  id: string;
  created: number;
  amount: number;
  chargeId: string;
  intentId: string;
  metadata: Stripe.Metadata;
  reason: Stripe.Refund.Reason | null;
  status: string;
}): Stripe.Refund {
  return {
    id: input.id,
    object: "refund",
    amount: input.amount,
    balance_transaction: null,
    charge: input.chargeId,
    created: input.created,
    currency: "eur",
    customer: null,
    customer_account: null,
    metadata: input.metadata,
    payment_intent: input.intentId,
    payment_method: null,
    reason: input.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: input.status,
    transfer_reversal: null,
  } satisfies Stripe.Refund;
}

export function customer(input: {
  id: string;
  created: number;
  email: string | null;
  name: string | null;
  description: string | null;
  metadata: Stripe.Metadata;
}): Stripe.Customer {
  return {
    id: input.id,
    object: "customer",
    address: null,
    balance: 0,
    created: input.created,
    currency: null,
    customer_account: null,
    default_source: null,
    delinquent: false,
    description: input.description,
    discount: null,
    email: input.email,
    invoice_prefix: input.id.slice(-8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: input.metadata,
    name: input.name,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  } satisfies Stripe.Customer;
}

/** The card a customer saved, as Stripe describes it (never its number: brand, last four digits, expiry). */
export type CardDetails = {
  brand: string;
  last4: string;
  country: string;
  funding: string;
  expMonth: number;
  expYear: number;
  fingerprint: string;
};

export function paymentMethod(input: {
  id: string;
  created: number;
  customer: string | null;
  card: CardDetails;
  email: string | null;
  name: string | null;
}): Stripe.PaymentMethod {
  return {
    id: input.id,
    object: "payment_method",
    allow_redisplay: "limited",
    billing_details: {
      address: { city: null, country: input.card.country, line1: null, line2: null, postal_code: null, state: null },
      email: input.email,
      name: input.name,
      phone: null,
      tax_id: null,
    },
    card: {
      brand: input.card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
      country: input.card.country,
      display_brand: input.card.brand,
      exp_month: input.card.expMonth,
      exp_year: input.card.expYear,
      fingerprint: input.card.fingerprint,
      funding: input.card.funding,
      generated_from: null,
      last4: input.card.last4,
      networks: { available: [input.card.brand], preferred: null },
      regulated_status: "unregulated",
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: input.created,
    customer: input.customer,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: "card",
  } satisfies Stripe.PaymentMethod;
}

export function setupIntent(input: {
  id: string;
  created: number;
  customer: string | null;
  paymentMethod: string | null;
  status: Stripe.SetupIntent.Status;
  metadata: Stripe.Metadata;
  description: string | null;
  methods: string[];
}): Stripe.SetupIntent {
  return {
    id: input.id,
    object: "setup_intent",
    allowed_payment_method_types: null,
    application: null,
    automatic_payment_methods: null,
    cancellation_reason: null,
    client_secret: `${input.id}_secret_test`,
    created: input.created,
    customer: input.customer,
    customer_account: null,
    description: input.description,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: null,
    latest_attempt: input.status === "succeeded" ? input.id.replace(/^seti_/, "setatt_") : null,
    livemode: false,
    mandate: null,
    metadata: input.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: input.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: { card: { mandate_options: null, network: null, request_three_d_secure: "automatic" } },
    payment_method_types: input.methods,
    single_use_mandate: null,
    status: input.status,
    usage: "off_session",
  } satisfies Stripe.SetupIntent;
}

/** Stripe's error body: what the client turns into a StripeInvalidRequestError (or another by its type). */
export type StripeErrorBody = {
  error: Pick<Expanded<Stripe.StripeRawError>, "type" | "message"> & Partial<Stripe.StripeRawError>;
};

const keys = <T>(list: KeyList<T>) => Object.keys(list) as RequiredKeys<T>[];

/**
 * Every field stripe-node says each object always carries. A `Record` over the required keys: tsc refuses this
 * file when the client gains or loses one, so the runtime check below cannot go stale.
 */
export const REQUIRED_KEYS = {
  "checkout.session": keys<Stripe.Checkout.Session>({
    adaptive_pricing: true,
    after_expiration: true,
    allow_promotion_codes: true,
    allowed_payment_method_types: true,
    amount_subtotal: true,
    amount_total: true,
    automatic_tax: true,
    billing_address_collection: true,
    cancel_url: true,
    client_reference_id: true,
    client_secret: true,
    collected_information: true,
    consent: true,
    consent_collection: true,
    created: true,
    currency: true,
    currency_conversion: true,
    custom_fields: true,
    custom_text: true,
    customer: true,
    customer_account: true,
    customer_creation: true,
    customer_details: true,
    customer_email: true,
    discounts: true,
    expires_at: true,
    id: true,
    integration_identifier: true,
    invoice: true,
    invoice_creation: true,
    livemode: true,
    locale: true,
    managed_payments: true,
    metadata: true,
    mode: true,
    object: true,
    origin_context: true,
    payment_intent: true,
    payment_link: true,
    payment_method_collection: true,
    payment_method_configuration_details: true,
    payment_method_options: true,
    payment_method_types: true,
    payment_status: true,
    permissions: true,
    recovered_from: true,
    saved_payment_method_options: true,
    setup_intent: true,
    shipping_address_collection: true,
    shipping_cost: true,
    shipping_options: true,
    status: true,
    submit_type: true,
    subscription: true,
    success_url: true,
    total_details: true,
    ui_mode: true,
    url: true,
    wallet_options: true,
  }),
  payment_intent: keys<Stripe.PaymentIntent>({
    allowed_payment_method_types: true,
    amount: true,
    amount_capturable: true,
    amount_received: true,
    application: true,
    application_fee_amount: true,
    automatic_payment_methods: true,
    canceled_at: true,
    cancellation_reason: true,
    capture_method: true,
    client_secret: true,
    confirmation_method: true,
    created: true,
    currency: true,
    customer: true,
    customer_account: true,
    description: true,
    excluded_payment_method_types: true,
    id: true,
    last_payment_error: true,
    latest_charge: true,
    livemode: true,
    managed_payments: true,
    metadata: true,
    next_action: true,
    object: true,
    on_behalf_of: true,
    payment_method: true,
    payment_method_configuration_details: true,
    payment_method_options: true,
    payment_method_types: true,
    payment_record: true,
    processing: true,
    receipt_email: true,
    review: true,
    setup_future_usage: true,
    shipping: true,
    source: true,
    statement_descriptor: true,
    statement_descriptor_suffix: true,
    status: true,
    transfer_group: true,
  }),
  charge: keys<Stripe.Charge>({
    amount: true,
    amount_captured: true,
    amount_refunded: true,
    application: true,
    application_fee: true,
    application_fee_amount: true,
    balance_transaction: true,
    billing_details: true,
    calculated_statement_descriptor: true,
    captured: true,
    created: true,
    currency: true,
    customer: true,
    description: true,
    disputed: true,
    failure_balance_transaction: true,
    failure_code: true,
    failure_message: true,
    fraud_details: true,
    id: true,
    livemode: true,
    metadata: true,
    object: true,
    on_behalf_of: true,
    outcome: true,
    paid: true,
    payment_intent: true,
    payment_method: true,
    payment_method_details: true,
    receipt_email: true,
    receipt_number: true,
    receipt_url: true,
    refunded: true,
    review: true,
    shipping: true,
    source: true,
    source_transfer: true,
    statement_descriptor: true,
    statement_descriptor_suffix: true,
    status: true,
    transfer_data: true,
    transfer_group: true,
  }),
  balance_transaction: keys<Stripe.BalanceTransaction>({
    amount: true,
    available_on: true,
    balance_type: true,
    created: true,
    currency: true,
    description: true,
    exchange_rate: true,
    fee: true,
    fee_details: true,
    id: true,
    net: true,
    object: true,
    reporting_category: true,
    source: true,
    status: true,
    type: true,
  }),
  refund: keys<Stripe.Refund>({
    amount: true,
    balance_transaction: true,
    charge: true,
    created: true,
    currency: true,
    customer: true,
    customer_account: true,
    id: true,
    metadata: true,
    object: true,
    payment_intent: true,
    payment_method: true,
    reason: true,
    receipt_number: true,
    source_transfer_reversal: true,
    status: true,
    transfer_reversal: true,
  }),
  // No "customer": tests post customer.* events with a bare { id, object } the app ignores, and customer() is
  // already held to every field by `satisfies Stripe.Customer`.
  payment_method: keys<Stripe.PaymentMethod>({
    billing_details: true,
    created: true,
    customer: true,
    customer_account: true,
    id: true,
    livemode: true,
    metadata: true,
    object: true,
    type: true,
  }),
  setup_intent: keys<Stripe.SetupIntent>({
    allowed_payment_method_types: true,
    application: true,
    automatic_payment_methods: true,
    cancellation_reason: true,
    client_secret: true,
    created: true,
    customer: true,
    description: true,
    excluded_payment_method_types: true,
    id: true,
    last_setup_error: true,
    latest_attempt: true,
    livemode: true,
    mandate: true,
    metadata: true,
    next_action: true,
    object: true,
    on_behalf_of: true,
    payment_method: true,
    payment_method_configuration_details: true,
    payment_method_options: true,
    payment_method_types: true,
    single_use_mandate: true,
    status: true,
    usage: true,
  }),
  event: keys<Stripe.Event>({
    api_version: true,
    created: true,
    data: true,
    id: true,
    livemode: true,
    object: true,
    pending_webhooks: true,
    request: true,
    type: true,
  }),
};

/**
 * The parameters each create call takes, as stripe-node types them: anything else Stripe refuses ("Received unknown
 * parameter"), which catches a parameter of another API version (Checkout's old `payment_method_types`). A
 * `Record` over the parameter names, so tsc refuses this file when the client gains or loses one.
 */
const params = <T>(list: Record<keyof T, true>) => Object.keys(list) as (keyof T & string)[];

export const KNOWN_PARAMS = {
  "/v1/customers": params<Stripe.CustomerCreateParams>({
    address: true,
    balance: true,
    business_name: true,
    cash_balance: true,
    description: true,
    email: true,
    expand: true,
    individual_name: true,
    invoice_prefix: true,
    invoice_settings: true,
    metadata: true,
    name: true,
    next_invoice_sequence: true,
    payment_method: true,
    phone: true,
    preferred_locales: true,
    shipping: true,
    source: true,
    tax: true,
    tax_exempt: true,
    tax_id_data: true,
    test_clock: true,
    validate: true,
  }),
  "/v1/checkout/sessions": params<Stripe.Checkout.SessionCreateParams>({
    adaptive_pricing: true,
    after_expiration: true,
    allow_promotion_codes: true,
    allowed_payment_method_types: true,
    automatic_tax: true,
    billing_address_collection: true,
    branding_settings: true,
    cancel_url: true,
    client_reference_id: true,
    consent_collection: true,
    currency: true,
    custom_fields: true,
    custom_text: true,
    customer: true,
    customer_account: true,
    customer_creation: true,
    customer_email: true,
    customer_update: true,
    discounts: true,
    excluded_payment_method_types: true,
    expand: true,
    expires_at: true,
    integration_identifier: true,
    invoice_creation: true,
    line_items: true,
    locale: true,
    managed_payments: true,
    metadata: true,
    mode: true,
    name_collection: true,
    optional_items: true,
    origin_context: true,
    payment_intent_data: true,
    payment_method_collection: true,
    payment_method_configuration: true,
    payment_method_data: true,
    payment_method_options: true,
    permissions: true,
    phone_number_collection: true,
    redirect_on_completion: true,
    return_url: true,
    saved_payment_method_options: true,
    setup_intent_data: true,
    shipping_address_collection: true,
    shipping_options: true,
    submit_type: true,
    subscription_data: true,
    success_url: true,
    tax_id_collection: true,
    ui_mode: true,
    wallet_options: true,
  }),
  "/v1/payment_intents": params<Stripe.PaymentIntentCreateParams>({
    allowed_payment_method_types: true,
    amount: true,
    amount_details: true,
    application_fee_amount: true,
    automatic_payment_methods: true,
    capture_method: true,
    confirm: true,
    confirmation_method: true,
    confirmation_token: true,
    currency: true,
    customer: true,
    customer_account: true,
    description: true,
    error_on_requires_action: true,
    excluded_payment_method_types: true,
    expand: true,
    hooks: true,
    mandate: true,
    mandate_data: true,
    metadata: true,
    off_session: true,
    on_behalf_of: true,
    payment_details: true,
    payment_method: true,
    payment_method_configuration: true,
    payment_method_data: true,
    payment_method_options: true,
    radar_options: true,
    receipt_email: true,
    return_url: true,
    setup_future_usage: true,
    shipping: true,
    statement_descriptor: true,
    statement_descriptor_suffix: true,
    transfer_data: true,
    transfer_group: true,
    use_stripe_sdk: true,
  }),
};

export type StripeObjectName = keyof typeof REQUIRED_KEYS;

const REQUIRED: Partial<Record<string, readonly string[]>> = REQUIRED_KEYS;

/**
 * The fields stripe-node says Stripe always returns that `value` lacks, in it and in every object nested in it
 * (an expanded PaymentIntent, its charge…), as `object.field` paths; [] when it carries them all.
 */
export function missingKeys(value: unknown, path = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => missingKeys(v, `${path}[${i}]`));
  if (!value || typeof value !== "object") return [];
  const record = value as Record<string, unknown>;
  const required = typeof record.object === "string" ? REQUIRED[record.object] : undefined;
  const own = (required ?? []).filter((key) => !(key in record)).map((key) => `${path}.${key}`);
  // Metadata are the caller's keys, not Stripe's objects.
  const nested = Object.entries(record)
    .filter(([key]) => key !== "metadata")
    .flatMap(([key, v]) => missingKeys(v, `${path}.${key}`));
  return [...own, ...nested];
}
