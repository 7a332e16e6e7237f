import { http, HttpResponse, type PathParams } from "msw";
import { setupServer } from "msw/node";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll } from "vitest";
import { resetEnvCache } from "~/utils/env.server";
import {
  balanceTransaction,
  charge,
  checkoutSession,
  customer,
  KNOWN_PARAMS,
  missingKeys,
  paymentIntent,
  paymentMethod,
  refund,
  setupIntent,
  type CardDetails,
  type Decline,
  type MockCharge,
  type MockIntent,
  type StripeErrorBody,
} from "./stripe-objects";

// Stripe's API as the official client sees it, answered by msw with objects built as stripe-node types them
// (stripe-objects.ts: every field Stripe always returns, checked again on each answer) and refusing what Stripe
// refuses: an expires_at outside 30 minutes–24 hours of its clock, a refund above what is left to refund, a refund
// naming no payment, a parameter it does not know. The state lives here so that re-reading a session or a refund
// returns what the "dashboard" did to it: completeSession, completeSessionAsync then settleAsyncPayment,
// expireSession, settleRefund.
//
// Cards saved now and charged later: a Customer, a Checkout Session in setup mode the customer completes
// (completeSetupSession: a succeeded SetupIntent, a card attached to the customer), then PaymentIntents confirmed
// off-session on that card, which answer as the card's behaviour says (setCardBehaviour): succeeded, or Stripe's
// 402 card_error with the failed intent in it. A request replayed with its Idempotency-Key gets the first answer
// again, status and body, a decline too, and nothing is charged twice (chargesFor, intentsFor count).

export const STRIPE_SECRET_KEY = "sk_test_terraincommun0000000000000000";
export const STRIPE_WEBHOOK_SECRET = "whsec_terraincommun000000000000000000";
const API = "https://api.stripe.com";

type Obj = Record<string, unknown>;
let counter = 0;
const id = (prefix: string) =>
  `${prefix}_test_${(++counter).toString(36).padStart(6, "0")}${Math.random().toString(36).slice(2, 10)}`;
/** Stripe's clock, in seconds: the test's own when it runs at a fixed date (useStripeMock's `clock`). */
const now = () => Math.floor((stripeState.clock ?? new Date()).getTime() / 1000);

/** How a saved card answers an off-session charge (Stripe's test cards 4242, 0002, 9995 and 3184). */
export type CardBehaviour = "succeeds" | "card_declined" | "authentication_required" | "insufficient_funds";

export type StripeState = {
  sessions: Map<string, Stripe.Checkout.Session>;
  intents: Map<string, MockIntent>;
  refunds: Map<string, Stripe.Refund>;
  customers: Map<string, Stripe.Customer>;
  setupIntents: Map<string, Stripe.SetupIntent>;
  /** The cards customers saved (setup-mode sessions), and how each answers a charge. */
  paymentMethods: Map<string, Stripe.PaymentMethod>;
  cardBehaviours: Map<string, CardBehaviour>;
  /** Payment methods Stripe will not take again: detached from their customer, or used once without one. */
  usedUp: Set<string>;
  /** The answers Stripe keeps per Idempotency-Key (the request, the status and body it answered), to replay them. */
  idempotent: Map<string, { body: Obj; status: number; response: object }>;
  /** Every request the client made: method, path, form body. */
  requests: { method: string; path: string; body: Obj; idempotencyKey: string | null }[];
  /** Make the next call to this path prefix fail with a Stripe API error, before Stripe does anything. */
  failNext: Set<string>;
  /**
   * Make the next call to this path prefix go through at Stripe, then fail on its way back (the client gets a 500,
   * as when the connection drops once Stripe acted): a retry with the same Idempotency-Key gets the real answer.
   */
  loseNextAnswer: Set<string>;
  /** The status new refunds are created with (Stripe answers "pending" for some payment methods). */
  refundStatus: "succeeded" | "pending";
  fee: number;
  /** What Stripe's clock reads; null: the real time. */
  clock: Date | null;
};

export const stripeState: StripeState = {
  sessions: new Map(),
  intents: new Map(),
  refunds: new Map(),
  customers: new Map(),
  setupIntents: new Map(),
  paymentMethods: new Map(),
  cardBehaviours: new Map(),
  usedUp: new Set(),
  idempotent: new Map(),
  requests: [],
  failNext: new Set(),
  loseNextAnswer: new Set(),
  refundStatus: "succeeded",
  fee: 0,
  clock: null,
};

/** What a setup-mode session gives the SetupIntent it makes (`setup_intent_data`), per session. */
const setupIntentData = new Map<string, { metadata: Stripe.Metadata; description: string | null }>();

function resetState(clock: Date | null) {
  stripeState.sessions.clear();
  stripeState.intents.clear();
  stripeState.refunds.clear();
  stripeState.customers.clear();
  stripeState.setupIntents.clear();
  stripeState.paymentMethods.clear();
  stripeState.cardBehaviours.clear();
  stripeState.usedUp.clear();
  setupIntentData.clear();
  stripeState.idempotent.clear();
  stripeState.requests.length = 0;
  stripeState.failNext.clear();
  stripeState.loseNextAnswer.clear();
  stripeState.refundStatus = "succeeded";
  stripeState.fee = 0;
  stripeState.clock = clock;
}

/** Stripe's form encoding (`line_items[0][price_data][unit_amount]=1500`) back to an object. */
export function parseStripeForm(body: string): Obj {
  const out: Obj = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, "").split("[");
    let node: Obj = out;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= /^\d+$/.test(path[i + 1]) ? ([] as unknown as Obj) : {}) as Obj;
    });
  }
  return out;
}

/** Stripe's error answer: the client turns an invalid_request_error into a StripeInvalidRequestError. */
const stripeError = (status: number, message: string, options: { code?: string; param?: string } = {}) =>
  HttpResponse.json({ error: { type: "invalid_request_error", message, ...options } } satisfies StripeErrorBody, {
    status,
  });

/** Stripe failing on its side (or the answer lost on the way): the client gets a StripeAPIError and does not retry. */
const apiError = () =>
  HttpResponse.json(
    { error: { type: "api_error", message: "Une erreur est survenue chez Stripe." } } satisfies StripeErrorBody,
    { status: 500, headers: { "Stripe-Should-Retry": "false" } },
  );

async function record(request: Request) {
  const url = new URL(request.url);
  const body = request.method === "POST" ? parseStripeForm(await request.text()) : Object.fromEntries(url.searchParams);
  const idempotencyKey = request.headers.get("idempotency-key");
  stripeState.requests.push({ method: request.method, path: url.pathname, body, idempotencyKey });
  const failing = [...stripeState.failNext].find((p) => url.pathname.startsWith(p));
  if (failing) {
    stripeState.failNext.delete(failing);
    return { url, body, idempotencyKey, failure: apiError(), lose: false };
  }
  const lost = [...stripeState.loseNextAnswer].find((p) => url.pathname.startsWith(p));
  if (lost) stripeState.loseNextAnswer.delete(lost);
  return { url, body, idempotencyKey, failure: null, lose: Boolean(lost) };
}

type Call = { url: URL; body: Obj; idempotencyKey: string | null; params: PathParams };

/** A handler: the request recorded, failing as failNext says, its answer lost as loseNextAnswer says. */
const route =
  (answer: (call: Call) => Response) =>
  async ({ request, params }: { request: Request; params: PathParams }) => {
    const { failure, lose, ...call } = await record(request);
    if (failure) return failure;
    const response = answer({ ...call, params });
    return lose ? apiError() : response;
  };

/**
 * An error Stripe keeps under the request's Idempotency-Key because it ran the request (a declined charge: the
 * intent and its failed charge exist), so the same key replays it. A refusal of the parameters themselves is a plain
 * Response, which Stripe does not keep.
 */
class Kept {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {}
}

/** Fails loudly when an answer lacks a field stripe-node says Stripe always returns. */
function checked<T extends object>(made: T): T {
  const missing = missingKeys(made);
  if (missing.length > 0) throw new Error(`Réponse du mock Stripe incomplète : ${missing.join(", ")}`);
  return made;
}

/**
 * Stripe's idempotency: the same key and the same parameters replay the first answer, status and body as they
 * were then (a decline too; Idempotent-Replayed: true), without running the request again; the same key with other
 * parameters is refused (400, idempotency_error). Refusals of the parameters are not kept.
 */
function idempotent(key: string | null, path: string, body: Obj, make: () => object | Kept | Response): Response {
  const cacheKey = key === null ? null : `${path} ${key}`;
  const known = cacheKey === null ? undefined : stripeState.idempotent.get(cacheKey);
  if (known) {
    if (JSON.stringify(known.body) !== JSON.stringify(body)) {
      return HttpResponse.json(
        {
          error: {
            type: "idempotency_error",
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          },
        } satisfies StripeErrorBody,
        { status: 400 },
      );
    }
    return HttpResponse.json(structuredClone(known.response) as Obj, {
      status: known.status,
      headers: { "Idempotent-Replayed": "true" },
    });
  }
  const made = make();
  if (made instanceof Response) return made;
  const [status, answer] = made instanceof Kept ? [made.status, made.body] : [200, made];
  const response = structuredClone(checked(answer));
  if (cacheKey !== null) stripeState.idempotent.set(cacheKey, { body, status, response });
  return HttpResponse.json(structuredClone(response) as Obj, { status });
}

/** Answers with a copy of `made`, checked first against the fields stripe-node says Stripe always returns. */
function respond(made: object | Response) {
  if (made instanceof Response) return made;
  return HttpResponse.json(structuredClone(checked(made)) as Obj);
}

/** Stripe refuses a parameter the endpoint does not take, whatever its value. */
function unknownParam(body: Obj, known: readonly string[]) {
  const unknown = Object.keys(body).find((key) => !known.includes(key));
  return unknown === undefined
    ? null
    : stripeError(400, `Received unknown parameter: ${unknown}`, { code: "parameter_unknown", param: unknown });
}

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);
const metadataOf = (value: unknown): Stripe.Metadata =>
  value && typeof value === "object" ? { ...(value as Stripe.Metadata) } : {};

const noSuch = (what: string, value: unknown, param: string, status = 400) =>
  stripeError(status, `No such ${what}: '${String(value)}'`, { code: "resource_missing", param });

/** A `customer` parameter naming no customer of this account. */
const customerRefusal = (value: unknown) =>
  value === undefined || stripeState.customers.has(String(value)) ? null : noSuch("customer", value, "customer");

const expandParam = (url: URL) =>
  [...url.searchParams].filter(([key]) => key.startsWith("expand")).map(([, value]) => value);

/** Whether `expand` asks for `path` (asking for `a.b` expands `a` too), and what it asks for inside it. */
const expands = (expand: string[], path: string) => expand.some((e) => e === path || e.startsWith(`${path}.`));
const within = (expand: string[], path: string) =>
  expand.filter((e) => e.startsWith(`${path}.`)).map((e) => e.slice(path.length + 1));

/** An id, or the object it names when `expand` asks for it. */
const expandedId = <T>(value: unknown, objects: Map<string, T>, expand: string[], path: string) =>
  typeof value === "string" && expands(expand, path) ? (objects.get(value) ?? value) : value;

function chargeView(found: MockCharge, expand: string[]) {
  return expands(expand, "balance_transaction")
    ? found
    : { ...found, balance_transaction: found.balance_transaction?.id ?? null };
}

/** A PaymentIntent as Stripe answers it: its charge, customer and payment method ids, or objects as `expand` asks. */
function intentView(intent: MockIntent, expand: string[]): Obj {
  const latest = intent.latest_charge;
  return {
    ...intent,
    customer: expandedId(intent.customer, stripeState.customers, expand, "customer"),
    latest_charge: !latest
      ? null
      : expands(expand, "latest_charge")
        ? chargeView(latest, within(expand, "latest_charge"))
        : latest.id,
    payment_method: expandedId(intent.payment_method, stripeState.paymentMethods, expand, "payment_method"),
  };
}

function setupIntentView(intent: Stripe.SetupIntent, expand: string[]): Obj {
  return {
    ...intent,
    customer: expandedId(intent.customer, stripeState.customers, expand, "customer"),
    payment_method: expandedId(intent.payment_method, stripeState.paymentMethods, expand, "payment_method"),
  };
}

/** A session as Stripe answers it: its PaymentIntent or SetupIntent an id, or the object as deep as `expand` asks. */
function sessionView(session: Stripe.Checkout.Session, expand: string[]): Obj {
  const intentId = session.payment_intent as string | null;
  const setupId = session.setup_intent as string | null;
  return {
    ...session,
    customer: expandedId(session.customer, stripeState.customers, expand, "customer"),
    payment_intent:
      intentId && expands(expand, "payment_intent")
        ? intentView(stripeState.intents.get(intentId)!, within(expand, "payment_intent"))
        : intentId,
    setup_intent:
      setupId && expands(expand, "setup_intent")
        ? setupIntentView(stripeState.setupIntents.get(setupId)!, within(expand, "setup_intent"))
        : setupId,
  };
}

// Stripe's window for a Checkout Session's expires_at, from the moment the request reaches it.
const MIN_EXPIRY_SECONDS = 30 * 60;
const MAX_EXPIRY_SECONDS = 24 * 60 * 60;

function expiryRefusal(expiresAt: unknown) {
  if (expiresAt === undefined) return null;
  const at = Number(expiresAt);
  if (!Number.isInteger(at))
    return stripeError(400, "Invalid integer: expires_at", { code: "parameter_invalid_integer", param: "expires_at" });
  if (at - now() < MIN_EXPIRY_SECONDS)
    return stripeError(400, "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.", {
      code: "parameter_invalid_integer",
      param: "expires_at",
    });
  if (at - now() > MAX_EXPIRY_SECONDS)
    return stripeError(400, "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.", {
      code: "parameter_invalid_integer",
      param: "expires_at",
    });
  return null;
}

const strings = (value: unknown) => (Array.isArray(value) ? value.map(String) : null);

/** What is left to refund of a PaymentIntent: its amount less its refunds that did not fail. */
const refundable = (intent: MockIntent) =>
  intent.amount_received -
  [...stripeState.refunds.values()]
    .filter((r) => r.payment_intent === intent.id && r.status !== "failed" && r.status !== "canceled")
    .reduce((sum, r) => sum + r.amount, 0);

function createRefund(body: Obj): object | Response {
  if (!body.payment_intent && !body.charge)
    return stripeError(
      400,
      "One of the following params should be provided for this request: payment_intent or charge.",
      {
        code: "parameter_missing",
        param: "payment_intent",
      },
    );
  const intent = stripeState.intents.get(body.payment_intent as string);
  if (!intent)
    return stripeError(404, `No such payment_intent: '${body.payment_intent}'`, {
      code: "resource_missing",
      param: "payment_intent",
    });
  if (intent.status !== "succeeded" || !intent.latest_charge)
    return stripeError(400, `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, {
      code: "charge_not_refundable",
    });
  const left = refundable(intent);
  if (left <= 0)
    return stripeError(400, `Charge ${intent.latest_charge.id} has already been refunded.`, {
      code: "charge_already_refunded",
    });
  const amount = body.amount === undefined ? left : Number(body.amount);
  if (amount > left)
    return stripeError(
      400,
      `Refund amount (€${(amount / 100).toFixed(2)}) is greater than unrefunded amount on charge (€${(left / 100).toFixed(2)})`,
      { code: "amount_too_large", param: "amount" },
    );
  const created = refund({
    id: id("re"),
    created: now(),
    amount,
    chargeId: intent.latest_charge.id,
    intentId: intent.id,
    metadata: (body.metadata as Stripe.Metadata | undefined) ?? {},
    reason: (body.reason as Stripe.Refund.Reason | undefined) ?? null,
    status: stripeState.refundStatus,
  });
  stripeState.refunds.set(created.id, created);
  return created;
}

function createCustomer(body: Obj): object | Response {
  const refusal = unknownParam(body, KNOWN_PARAMS["/v1/customers"]);
  if (refusal) return refusal;
  const email = text(body.email);
  if (email !== null && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
    return stripeError(400, `Invalid email address: ${email}`, { code: "email_invalid", param: "email" });
  const created = customer({
    id: id("cus"),
    created: now(),
    email,
    name: text(body.name),
    description: text(body.description),
    metadata: metadataOf(body.metadata),
  });
  stripeState.customers.set(created.id, created);
  return created;
}

/**
 * What Stripe refuses of a session's parameters: both a customer and an email to prefill, a customer it does not
 * know; in setup mode (nothing is charged) line items, and no currency when no payment method types are named.
 */
function sessionRefusal(body: Obj) {
  if (body.customer !== undefined && body.customer_email !== undefined)
    return stripeError(400, "You may only specify one of these parameters: customer, customer_email.", {
      param: "customer_email",
    });
  const unknownCustomer = customerRefusal(body.customer);
  if (unknownCustomer) return unknownCustomer;
  if (body.mode !== "setup") return null;
  if (body.line_items !== undefined)
    return stripeError(400, "You can not pass `line_items` in `setup` mode.", { param: "line_items" });
  if (body.currency === undefined && body.allowed_payment_method_types === undefined)
    return stripeError(400, "Missing required param: currency.", { code: "parameter_missing", param: "currency" });
  return null;
}

function createSession(body: Obj): object | Response {
  const refusal =
    unknownParam(body, KNOWN_PARAMS["/v1/checkout/sessions"]) ?? expiryRefusal(body.expires_at) ?? sessionRefusal(body);
  if (refusal) return refusal;
  const setup = body.mode === "setup";
  const lines = (body.line_items as Obj[] | undefined) ?? [];
  const amount = lines.reduce((s, l) => s + Number(l.quantity) * Number((l.price_data as Obj).unit_amount), 0);
  const customerId = text(body.customer);
  const created = checkoutSession({
    id: id("cs"),
    created: now(),
    amount: setup ? null : amount,
    expiresAt: body.expires_at === undefined ? now() + MAX_EXPIRY_SECONDS : Number(body.expires_at),
    mode: body.mode as Stripe.Checkout.Session.Mode,
    metadata: metadataOf(body.metadata),
    methods: strings(body.allowed_payment_method_types) ?? ["card"],
    clientReferenceId: (body.client_reference_id as string | undefined) ?? null,
    customerEmail: (body.customer_email as string | undefined) ?? null,
    locale: (body.locale as Stripe.Checkout.Session.Locale | undefined) ?? null,
    successUrl: (body.success_url as string | undefined) ?? null,
    cancelUrl: (body.cancel_url as string | undefined) ?? null,
    ...(setup ? { currency: text(body.currency) } : {}),
    customer: customerId,
    ...(customerId
      ? { customerCreation: null }
      : body.customer_creation
        ? { customerCreation: body.customer_creation as Stripe.Checkout.Session.CustomerCreation }
        : {}),
  });
  stripeState.sessions.set(created.id, created);
  if (setup) {
    const data = (body.setup_intent_data as Obj | undefined) ?? {};
    setupIntentData.set(created.id, { metadata: metadataOf(data.metadata), description: text(data.description) });
  }
  return created;
}

/** How the banks answer a saved card's charge, as Stripe words it (its test cards 0002, 9995 and 3184). */
const DECLINES: Record<Exclude<CardBehaviour, "succeeds">, Decline> = {
  card_declined: {
    code: "card_declined",
    declineCode: "generic_decline",
    message: "Your card was declined.",
    adviceCode: null,
    sellerMessage: "The bank did not return any further details with this decline.",
  },
  insufficient_funds: {
    code: "card_declined",
    declineCode: "insufficient_funds",
    message: "Your card has insufficient funds.",
    adviceCode: "try_again_later",
    sellerMessage: "The bank returned the decline code `insufficient_funds`.",
  },
  authentication_required: {
    code: "authentication_required",
    declineCode: "authentication_required",
    message: "Your card was declined. This transaction requires authentication.",
    adviceCode: null,
    sellerMessage: "The bank returned the decline code `authentication_required`.",
  },
};

const REUSED_METHOD =
  "The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.";

/** What Stripe refuses of a PaymentIntent's parameters, before it tries any card. */
function intentRefusal(body: Obj) {
  for (const param of ["amount", "currency"])
    if (body[param] === undefined)
      return stripeError(400, `Missing required param: ${param}.`, { code: "parameter_missing", param });
  const amount = Number(body.amount);
  if (!Number.isInteger(amount))
    return stripeError(400, `Invalid integer: ${String(body.amount)}`, {
      code: "parameter_invalid_integer",
      param: "amount",
    });
  if (body.currency === "eur" && amount < 50)
    return stripeError(400, "Amount must be at least €0.50 eur", { code: "amount_too_small", param: "amount" });
  const unknownCustomer = customerRefusal(body.customer);
  if (unknownCustomer) return unknownCustomer;
  const methodId = body.payment_method;
  const method = methodId === undefined ? undefined : stripeState.paymentMethods.get(String(methodId));
  if (methodId !== undefined && !method) return noSuch("PaymentMethod", methodId, "payment_method");
  const confirm = body.confirm === "true";
  if (body.off_session !== undefined && !confirm)
    return stripeError(400, "The parameter `off_session` can only be used when `confirm=true`.", {
      param: "off_session",
    });
  if (!method)
    return confirm
      ? stripeError(
          400,
          "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent, specify a `payment_method`.",
          { code: "payment_intent_unexpected_state" },
        )
      : null;
  if (stripeState.usedUp.has(method.id)) return stripeError(400, REUSED_METHOD, { param: "payment_method" });
  if (method.customer && body.customer === undefined)
    return stripeError(
      400,
      `The \`payment_method\` parameter supplied ${method.id} belongs to the Customer ${method.customer as string}. Please include the Customer in the \`customer\` parameter on the PaymentIntent.`,
      { param: "payment_method" },
    );
  if (method.customer && body.customer !== method.customer)
    return stripeError(
      400,
      `The provided PaymentMethod ${method.id} belongs to the Customer ${method.customer as string}, not to the Customer ${String(body.customer)} given in \`customer\`.`,
      { param: "payment_method" },
    );
  return null;
}

/**
 * A PaymentIntent, confirmed at once on a saved card when `confirm` is true (off-session: nobody is there to
 * authenticate). The card's behaviour decides: a succeeded intent with its charge and fee, or Stripe's 402
 * card_error carrying the intent left requiring a payment method, with its failed charge and last_payment_error.
 */
function createPaymentIntent(body: Obj): object | Kept | Response {
  const refusal = unknownParam(body, KNOWN_PARAMS["/v1/payment_intents"]) ?? intentRefusal(body);
  if (refusal) return refusal;
  const method =
    body.payment_method === undefined ? null : stripeState.paymentMethods.get(String(body.payment_method))!;
  const expand = strings(body.expand) ?? [];
  const intentId = id("pi");
  const details = {
    amount: Number(body.amount),
    currency: String(body.currency),
    customer: text(body.customer),
    description: text(body.description),
    metadata: metadataOf(body.metadata),
  };
  const base = { id: intentId, created: now(), method: "card", ...details };
  if (body.confirm !== "true" || !method) {
    const waiting = paymentIntent({
      ...base,
      status: method ? "requires_confirmation" : "requires_payment_method",
      latestCharge: null,
      paymentMethod: method?.id ?? null,
    });
    stripeState.intents.set(intentId, waiting);
    return intentView(waiting, expand);
  }
  // Used once without a customer, a payment method is spent.
  if (!method.customer) stripeState.usedUp.add(method.id);
  const behaviour = stripeState.cardBehaviours.get(method.id) ?? "succeeds";
  const chargeDetails = { ...details, paymentMethod: method.id };
  if (behaviour === "succeeds") {
    const paid = paymentIntent({
      ...base,
      status: "succeeded",
      latestCharge: succeededCharge({ id: intentId, amount: details.amount }, "card", stripeState.fee, chargeDetails),
    });
    stripeState.intents.set(intentId, paid);
    return intentView(paid, expand);
  }
  const decline = DECLINES[behaviour];
  const refused = charge({
    id: id("ch"),
    created: now(),
    intentId,
    method: "card",
    status: "failed",
    balanceTransaction: null,
    ...chargeDetails,
    decline,
  });
  const error = {
    ...(decline.adviceCode ? { advice_code: decline.adviceCode } : {}),
    charge: refused.id,
    code: decline.code,
    decline_code: decline.declineCode,
    doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, "-")}`,
    message: decline.message,
    payment_method: structuredClone(method),
    type: "card_error",
  } satisfies Stripe.PaymentIntent.LastPaymentError;
  const failed = paymentIntent({
    ...base,
    status: "requires_payment_method",
    latestCharge: refused,
    paymentMethod: null,
    lastPaymentError: { ...error, payment_method_type: "card" },
  });
  stripeState.intents.set(intentId, failed);
  return new Kept(402, {
    error: { ...error, payment_intent: intentView(failed, []) as unknown as Stripe.PaymentIntent },
  });
}

function detachPaymentMethod(methodId: string): object | Response {
  const method = stripeState.paymentMethods.get(methodId);
  if (!method) return noSuch("PaymentMethod", methodId, "payment_method", 404);
  if (!method.customer)
    return stripeError(
      400,
      "The payment method you provided is not attached to a customer so detachment is impossible.",
    );
  method.customer = null;
  stripeState.usedUp.add(method.id);
  return method;
}

/** GET of one object by id: Stripe's 404 when it does not know it. */
const retrieve = <T extends object>(
  objects: Map<string, T>,
  what: string,
  param: string,
  view: (found: T, expand: string[]) => object = (found) => found,
) =>
  route(({ url, params }) => {
    const found = objects.get(params.id as string);
    return found ? respond(view(found, expandParam(url))) : noSuch(what, params.id, param, 404);
  });

export const stripeHandlers = [
  http.post(
    `${API}/v1/customers`,
    route(({ url, body, idempotencyKey }) =>
      idempotent(idempotencyKey, url.pathname, body, () => createCustomer(body)),
    ),
  ),
  http.get(`${API}/v1/customers/:id`, retrieve(stripeState.customers, "customer", "id")),
  http.post(
    `${API}/v1/checkout/sessions`,
    route(({ url, body, idempotencyKey }) => idempotent(idempotencyKey, url.pathname, body, () => createSession(body))),
  ),
  http.get(
    `${API}/v1/checkout/sessions/:id`,
    retrieve(stripeState.sessions, "checkout.session", "session", sessionView),
  ),
  http.post(
    `${API}/v1/checkout/sessions/:id/expire`,
    route(({ params }) => {
      const session = stripeState.sessions.get(params.id as string);
      if (!session) return stripeError(404, `No such checkout.session: '${params.id}'`, { code: "resource_missing" });
      if (session.status !== "open")
        return stripeError(
          400,
          `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
        );
      session.status = "expired";
      session.url = null;
      return respond(session);
    }),
  ),
  http.get(`${API}/v1/setup_intents/:id`, retrieve(stripeState.setupIntents, "setupintent", "intent", setupIntentView)),
  http.get(`${API}/v1/payment_methods/:id`, retrieve(stripeState.paymentMethods, "PaymentMethod", "payment_method")),
  http.post(
    `${API}/v1/payment_methods/:id/detach`,
    route(({ url, body, params, idempotencyKey }) =>
      idempotent(idempotencyKey, url.pathname, body, () => detachPaymentMethod(params.id as string)),
    ),
  ),
  http.post(
    `${API}/v1/payment_intents`,
    route(({ url, body, idempotencyKey }) =>
      idempotent(idempotencyKey, url.pathname, body, () => createPaymentIntent(body)),
    ),
  ),
  http.get(`${API}/v1/payment_intents/:id`, retrieve(stripeState.intents, "payment_intent", "intent", intentView)),
  http.post(
    `${API}/v1/refunds`,
    route(({ url, body, idempotencyKey }) => idempotent(idempotencyKey, url.pathname, body, () => createRefund(body))),
  ),
  http.get(`${API}/v1/refunds/:id`, retrieve(stripeState.refunds, "refund", "id")),
];

function sessionOf(sessionId: string) {
  const session = stripeState.sessions.get(sessionId);
  if (!session) throw new Error(`session inconnue ${sessionId}`);
  return session;
}

/**
 * The money of a PaymentIntent arrived: a succeeded charge, with its balance transaction and fee. `details`: a
 * saved card's charge (its payment method, customer, description and metadata, copied from the intent).
 */
function succeededCharge(
  intent: { id: string; amount: number },
  method: string,
  fee: number,
  details: Pick<
    Parameters<typeof charge>[0],
    "paymentMethod" | "customer" | "currency" | "description" | "metadata"
  > = {},
) {
  const chargeId = id(details.paymentMethod ? "ch" : "py");
  return charge({
    ...details,
    id: chargeId,
    created: now(),
    amount: intent.amount,
    intentId: intent.id,
    method,
    status: "succeeded",
    balanceTransaction: balanceTransaction({
      id: id("txn"),
      created: now(),
      amount: intent.amount,
      fee,
      sourceId: chargeId,
    }),
  });
}

/** The customer paid by card on Stripe's page: the session completes with a succeeded PaymentIntent (and a fee). */
export function completeSession(sessionId: string, options: { fee?: number } = {}) {
  const session = sessionOf(sessionId);
  if (session.mode === "setup") throw new Error(`La session ${sessionId} est en mode setup : completeSetupSession`);
  const amount = session.amount_total!;
  const intentId = id("pi");
  stripeState.intents.set(
    intentId,
    paymentIntent({
      id: intentId,
      created: now(),
      amount,
      method: "card",
      status: "succeeded",
      metadata: session.metadata ?? {},
      latestCharge: succeededCharge({ id: intentId, amount }, "card", options.fee ?? stripeState.fee),
    }),
  );
  Object.assign(session, { status: "complete", payment_status: "paid", payment_intent: intentId, url: null });
  return session;
}

/**
 * The customer chose a method that settles later (a SEPA debit) on Stripe's page: the session completes unpaid,
 * its PaymentIntent processing, until settleAsyncPayment.
 */
export function completeSessionAsync(sessionId: string, method = "sepa_debit") {
  const session = sessionOf(sessionId);
  if (!session.payment_method_types.includes(method))
    throw new Error(`La session ${sessionId} ne propose pas ${method} (${session.payment_method_types.join(", ")})`);
  const amount = session.amount_total!;
  const intentId = id("pi");
  const pending = charge({
    id: id("py"),
    created: now(),
    amount,
    intentId,
    method,
    status: "pending",
    balanceTransaction: null,
  });
  stripeState.intents.set(
    intentId,
    paymentIntent({
      id: intentId,
      created: now(),
      amount,
      method,
      status: "processing",
      metadata: session.metadata ?? {},
      latestCharge: pending,
    }),
  );
  Object.assign(session, { status: "complete", payment_status: "unpaid", payment_intent: intentId, url: null });
  return session;
}

/**
 * The bank's answer to a debit: succeeded, the session is paid (as Stripe marks it before
 * checkout.session.async_payment_succeeded); failed, it stays complete and unpaid and its PaymentIntent asks for
 * another method (checkout.session.async_payment_failed).
 */
export function settleAsyncPayment(sessionId: string, outcome: "succeeded" | "failed", options: { fee?: number } = {}) {
  const session = sessionOf(sessionId);
  const intent = stripeState.intents.get(session.payment_intent as string)!;
  const method = intent.payment_method_types[0];
  if (outcome === "succeeded") {
    Object.assign(intent, {
      status: "succeeded",
      amount_received: intent.amount,
      latest_charge: succeededCharge(intent, method, options.fee ?? stripeState.fee),
    });
    session.payment_status = "paid";
  } else {
    Object.assign(intent, {
      status: "requires_payment_method",
      latest_charge: { ...intent.latest_charge!, status: "failed", failure_code: "insufficient_funds" },
    });
  }
  return session;
}

/** Stripe's test cards, one per behaviour: what the saved payment method shows of it. */
const TEST_CARDS: Record<CardBehaviour, string> = {
  succeeds: "4242",
  card_declined: "0002",
  insufficient_funds: "9995",
  authentication_required: "3184",
};

function cardDetails(behaviour: CardBehaviour): CardDetails {
  const last4 = TEST_CARDS[behaviour];
  return {
    brand: "visa",
    last4,
    country: "FR",
    funding: "credit",
    expMonth: 12,
    expYear: new Date(now() * 1000).getUTCFullYear() + 3,
    fingerprint: `fpTerrain${last4}Test`,
  };
}

/**
 * The customer saved a card on Stripe's page in setup mode: a succeeded off-session SetupIntent, its card attached
 * to the session's customer (made from the session's email when it has none and `customer_creation` is always;
 * otherwise attached to nobody, usable once), and the session complete. `card`: how the card will answer charges
 * (by default it succeeds; setCardBehaviour changes it later).
 */
export function completeSetupSession(sessionId: string, options: { card?: CardBehaviour } = {}) {
  const session = sessionOf(sessionId);
  if (session.mode !== "setup") throw new Error(`La session ${sessionId} n'est pas en mode setup (${session.mode})`);
  if (session.status !== "open") throw new Error(`La session ${sessionId} n'est plus ouverte (${session.status})`);
  let customerId = session.customer as string | null;
  if (!customerId && session.customer_creation === "always") {
    const made = customer({
      id: id("cus"),
      created: now(),
      email: session.customer_email,
      name: null,
      description: null,
      metadata: {},
    });
    stripeState.customers.set(made.id, made);
    customerId = made.id;
  }
  const owner = customerId ? stripeState.customers.get(customerId) : undefined;
  const email = session.customer_email ?? owner?.email ?? null;
  const behaviour = options.card ?? "succeeds";
  const method = paymentMethod({
    id: id("pm"),
    created: now(),
    customer: customerId,
    card: cardDetails(behaviour),
    email,
    name: owner?.name ?? null,
  });
  stripeState.paymentMethods.set(method.id, method);
  stripeState.cardBehaviours.set(method.id, behaviour);
  const data = setupIntentData.get(sessionId) ?? { metadata: {}, description: null };
  const intent = setupIntent({
    id: id("seti"),
    created: now(),
    customer: customerId,
    paymentMethod: method.id,
    status: "succeeded",
    metadata: data.metadata,
    description: data.description,
    methods: session.payment_method_types,
  });
  stripeState.setupIntents.set(intent.id, intent);
  const details = {
    address: null,
    business_name: null,
    email,
    individual_name: null,
    name: owner?.name ?? null,
    phone: null,
    tax_exempt: "none",
    tax_ids: [],
  } satisfies Stripe.Checkout.Session.CustomerDetails;
  Object.assign(session, {
    status: "complete",
    setup_intent: intent.id,
    customer: customerId,
    customer_details: details,
    url: null,
  });
  return session;
}

/** What a completed setup-mode session saved: its SetupIntent, the card, the customer it was saved for. */
export function savedCard(sessionId: string) {
  const session = sessionOf(sessionId);
  const intent = session.setup_intent ? stripeState.setupIntents.get(session.setup_intent as string) : undefined;
  if (!intent) throw new Error(`La session ${sessionId} n'a pas enregistré de carte`);
  const method = stripeState.paymentMethods.get(intent.payment_method as string)!;
  return { setupIntent: intent, paymentMethod: method, customerId: intent.customer as string | null };
}

/** How a saved card answers its next charges (the bank changed its mind, the card ran dry…). */
export function setCardBehaviour(paymentMethodId: string, behaviour: CardBehaviour) {
  if (!stripeState.paymentMethods.has(paymentMethodId)) throw new Error(`carte inconnue ${paymentMethodId}`);
  stripeState.cardBehaviours.set(paymentMethodId, behaviour);
}

/**
 * The charges made on a payment method, failed ones too, or only those of `status`: a card charged exactly once is
 * `chargesFor(pm, "succeeded").length === 1`, whatever the retries and replays.
 */
export function chargesFor(paymentMethodId: string, status?: Stripe.Charge.Status): MockCharge[] {
  return [...stripeState.intents.values()]
    .map((intent) => intent.latest_charge)
    .filter((c): c is MockCharge => c !== null && c.payment_method === paymentMethodId)
    .filter((c) => status === undefined || c.status === status);
}

/** A customer's PaymentIntents, or those of `status` (`intentsFor(cus, "succeeded")`: what was taken from them). */
export function intentsFor(customerId: string, status?: Stripe.PaymentIntent.Status): MockIntent[] {
  return [...stripeState.intents.values()].filter(
    (intent) => intent.customer === customerId && (status === undefined || intent.status === status),
  );
}

/** A PaymentIntent as Stripe sends it (in a webhook event: its charge an id), or expanded as `expand` asks. */
export function paymentIntentAsSent(intentId: string, expand: string[] = []) {
  const intent = stripeState.intents.get(intentId);
  if (!intent) throw new Error(`PaymentIntent inconnu ${intentId}`);
  return intentView(intent, expand) as unknown as Stripe.PaymentIntent;
}

/** A Checkout Session as Stripe sends it (in a webhook event: its intents ids), or expanded as `expand` asks. */
export function sessionAsSent(sessionId: string, expand: string[] = []) {
  return sessionView(sessionOf(sessionId), expand) as unknown as Stripe.Checkout.Session;
}

/** A whole Checkout Session this Stripe account does not know (another account's, or deleted). */
export const unknownSession = (sessionId: string) =>
  checkoutSession({
    id: sessionId,
    created: now(),
    amount: 1000,
    expiresAt: now() + 3600,
    mode: "payment",
    metadata: {},
    methods: ["card"],
    clientReferenceId: null,
    customerEmail: null,
    locale: null,
    successUrl: null,
    cancelUrl: null,
  });

export function expireSession(sessionId: string) {
  const session = sessionOf(sessionId);
  Object.assign(session, { status: "expired", url: null });
  return session;
}

export function settleRefund(refundId: string, status: "succeeded" | "failed" | "canceled") {
  const found = stripeState.refunds.get(refundId)!;
  found.status = status;
  if (status === "failed") found.failure_reason = "expired_or_canceled_card";
  return found;
}

/** An event as Stripe posts it to the webhook, with the object as it was when the event was made. */
export function stripeEvent(type: Stripe.Event.Type, object: object, eventId = id("evt")) {
  const event = {
    id: eventId,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: now(),
    data: { object: structuredClone(object) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
  const missing = missingKeys(event);
  if (missing.length > 0) throw new Error(`Événement du mock Stripe incomplet : ${missing.join(", ")}`);
  return event;
}

/** The raw body and Stripe-Signature header of an event, signed like Stripe signs it. */
export function signedWebhook(event: object, secret = STRIPE_WEBHOOK_SECRET) {
  const payload = JSON.stringify(event, null, 2);
  const signature = new Stripe(STRIPE_SECRET_KEY).webhooks.generateTestHeaderString({ payload, secret });
  return { payload, signature };
}

/**
 * Installs the mock for a test file, with the app's Stripe keys set; every unhandled outgoing call fails. `clock`:
 * what Stripe's clock reads (by default the real time), for a file whose domain calls run at a fixed date.
 */
export function useStripeMock(options: { clock?: Date } = {}) {
  const clock = options.clock ?? null;
  const server = setupServer(...stripeHandlers);
  const saved = { key: process.env.STRIPE_SECRET_KEY, secret: process.env.STRIPE_WEBHOOK_SECRET };
  beforeAll(() => {
    process.env.STRIPE_SECRET_KEY = STRIPE_SECRET_KEY;
    process.env.STRIPE_WEBHOOK_SECRET = STRIPE_WEBHOOK_SECRET;
    resetEnvCache();
    stripeState.clock = clock;
    server.listen({ onUnhandledRequest: "error" });
  });
  afterEach(() => {
    server.resetHandlers();
    resetState(clock);
  });
  afterAll(() => {
    server.close();
    process.env.STRIPE_SECRET_KEY = saved.key;
    process.env.STRIPE_WEBHOOK_SECRET = saved.secret;
    if (saved.key === undefined) delete process.env.STRIPE_SECRET_KEY;
    if (saved.secret === undefined) delete process.env.STRIPE_WEBHOOK_SECRET;
    resetEnvCache();
  });
  return { server, state: stripeState };
}
