import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll } from "vitest";
import { resetEnvCache } from "~/utils/env.server";
import {
  balanceTransaction,
  charge,
  checkoutSession,
  missingKeys,
  paymentIntent,
  refund,
  type MockIntent,
  type StripeErrorBody,
} from "./stripe-objects";

// Stripe's API as the official client sees it, answered by msw with objects built as stripe-node types them
// (stripe-objects.ts: every field Stripe always returns, checked again on each answer) and refusing what Stripe
// refuses: an expires_at outside 30 minutes–24 hours of its clock, a refund above what is left to refund, a refund
// naming no payment. The state lives here so that re-reading a session or a refund returns what the "dashboard"
// did to it: completeSession, completeSessionAsync then settleAsyncPayment, expireSession, settleRefund.

export const STRIPE_SECRET_KEY = "sk_test_terraincommun0000000000000000";
export const STRIPE_WEBHOOK_SECRET = "whsec_terraincommun000000000000000000";
const API = "https://api.stripe.com";

type Obj = Record<string, unknown>;
let counter = 0;
const id = (prefix: string) =>
  `${prefix}_test_${(++counter).toString(36).padStart(6, "0")}${Math.random().toString(36).slice(2, 10)}`;
/** Stripe's clock, in seconds: the test's own when it runs at a fixed date (useStripeMock's `clock`). */
const now = () => Math.floor((stripeState.clock ?? new Date()).getTime() / 1000);

export type StripeState = {
  sessions: Map<string, Stripe.Checkout.Session>;
  intents: Map<string, MockIntent>;
  refunds: Map<string, Stripe.Refund>;
  /** Requests and responses already seen per Idempotency-Key, as Stripe replays them. */
  idempotent: Map<string, { body: Obj; response: object }>;
  /** Every request the client made: method, path, form body. */
  requests: { method: string; path: string; body: Obj; idempotencyKey: string | null }[];
  /** Make the next call to this path prefix fail with a Stripe API error. */
  failNext: Set<string>;
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
  idempotent: new Map(),
  requests: [],
  failNext: new Set(),
  refundStatus: "succeeded",
  fee: 0,
  clock: null,
};

function resetState(clock: Date | null) {
  stripeState.sessions.clear();
  stripeState.intents.clear();
  stripeState.refunds.clear();
  stripeState.idempotent.clear();
  stripeState.requests.length = 0;
  stripeState.failNext.clear();
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

async function record(request: Request) {
  const url = new URL(request.url);
  const body = request.method === "POST" ? parseStripeForm(await request.text()) : Object.fromEntries(url.searchParams);
  const idempotencyKey = request.headers.get("idempotency-key");
  stripeState.requests.push({ method: request.method, path: url.pathname, body, idempotencyKey });
  const failing = [...stripeState.failNext].find((p) => url.pathname.startsWith(p));
  if (failing) {
    stripeState.failNext.delete(failing);
    return {
      body,
      idempotencyKey,
      failure: HttpResponse.json(
        { error: { type: "api_error", message: "Une erreur est survenue chez Stripe." } } satisfies StripeErrorBody,
        { status: 500, headers: { "Stripe-Should-Retry": "false" } },
      ),
    };
  }
  return { body, idempotencyKey, failure: null };
}

/**
 * Stripe's idempotency: the same key and the same parameters replay the first response (an error too); the same
 * key with other parameters is refused (400, idempotency_error).
 */
function idempotent(key: string | null, path: string, body: Obj, make: () => object | Response): object | Response {
  if (!key) return make();
  const cacheKey = `${path} ${key}`;
  const known = stripeState.idempotent.get(cacheKey);
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
    return known.response;
  }
  const made = make();
  if (!(made instanceof Response)) stripeState.idempotent.set(cacheKey, { body, response: made });
  return made;
}

/** Answers with a copy of `made`, checked first against the fields stripe-node says Stripe always returns. */
function respond(made: object | Response) {
  if (made instanceof Response) return made;
  const missing = missingKeys(made);
  if (missing.length > 0) throw new Error(`Réponse du mock Stripe incomplète : ${missing.join(", ")}`);
  return HttpResponse.json(structuredClone(made));
}

const expandParam = (url: URL) =>
  [...url.searchParams].filter(([key]) => key.startsWith("expand")).map(([, value]) => value);

/** A session as Stripe answers it: its PaymentIntent an id, or the object as deep as `expand` asks. */
function sessionView(session: Stripe.Checkout.Session, expand: string[]): object {
  const intentId = session.payment_intent as string | null;
  if (!intentId || !expand.some((e) => e.startsWith("payment_intent"))) return session;
  const intent = stripeState.intents.get(intentId)!;
  const charge = intent.latest_charge;
  const latestCharge = !charge
    ? null
    : !expand.some((e) => e.startsWith("payment_intent.latest_charge"))
      ? charge.id
      : expand.some((e) => e.includes("balance_transaction"))
        ? charge
        : { ...charge, balance_transaction: charge.balance_transaction?.id ?? null };
  return { ...session, payment_intent: { ...intent, latest_charge: latestCharge } };
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

export const stripeHandlers = [
  http.post(`${API}/v1/checkout/sessions`, async ({ request }) => {
    const { body, idempotencyKey, failure } = await record(request);
    if (failure) return failure;
    const made = idempotent(idempotencyKey, "/v1/checkout/sessions", body, () => {
      const refusal = expiryRefusal(body.expires_at);
      if (refusal) return refusal;
      const lines = (body.line_items as Obj[] | undefined) ?? [];
      const amount = lines.reduce((s, l) => s + Number(l.quantity) * Number((l.price_data as Obj).unit_amount), 0);
      const created = checkoutSession({
        id: id("cs"),
        created: now(),
        amount,
        expiresAt: body.expires_at === undefined ? now() + MAX_EXPIRY_SECONDS : Number(body.expires_at),
        mode: body.mode as Stripe.Checkout.Session.Mode,
        metadata: (body.metadata as Stripe.Metadata | undefined) ?? {},
        methods: strings(body.allowed_payment_method_types) ?? ["card"],
        clientReferenceId: (body.client_reference_id as string | undefined) ?? null,
        customerEmail: (body.customer_email as string | undefined) ?? null,
        locale: (body.locale as Stripe.Checkout.Session.Locale | undefined) ?? null,
        successUrl: (body.success_url as string | undefined) ?? null,
        cancelUrl: (body.cancel_url as string | undefined) ?? null,
      });
      stripeState.sessions.set(created.id, created);
      return created;
    });
    return respond(made);
  }),
  http.get(`${API}/v1/checkout/sessions/:id`, async ({ request, params }) => {
    const { failure } = await record(request);
    if (failure) return failure;
    const session = stripeState.sessions.get(params.id as string);
    if (!session) return stripeError(404, `No such checkout.session: '${params.id}'`, { code: "resource_missing" });
    return respond(sessionView(session, expandParam(new URL(request.url))));
  }),
  http.post(`${API}/v1/checkout/sessions/:id/expire`, async ({ request, params }) => {
    const { failure } = await record(request);
    if (failure) return failure;
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
  http.post(`${API}/v1/refunds`, async ({ request }) => {
    const { body, idempotencyKey, failure } = await record(request);
    if (failure) return failure;
    return respond(idempotent(idempotencyKey, "/v1/refunds", body, () => createRefund(body)));
  }),
  http.get(`${API}/v1/refunds/:id`, async ({ request, params }) => {
    const { failure } = await record(request);
    if (failure) return failure;
    const found = stripeState.refunds.get(params.id as string);
    return found ? respond(found) : stripeError(404, `No such refund: '${params.id}'`, { code: "resource_missing" });
  }),
];

function sessionOf(sessionId: string) {
  const session = stripeState.sessions.get(sessionId);
  if (!session) throw new Error(`session inconnue ${sessionId}`);
  return session;
}

/** The money of a session's PaymentIntent arrived: a succeeded charge, with its balance transaction and fee. */
function succeededCharge(intent: { id: string; amount: number }, method: string, fee: number) {
  const chargeId = id("py");
  return charge({
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
