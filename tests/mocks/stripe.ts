import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll } from "vitest";
import { resetEnvCache } from "~/utils/env.server";

// Stripe's API as the official client sees it, answered by msw with objects shaped like Stripe's own (only the
// fields a real response always carries and the ones we read). The state lives here so that re-reading a
// session or a refund returns what the "dashboard" did to it: completeSession, expireSession, settleRefund.

export const STRIPE_SECRET_KEY = "sk_test_terraincommun0000000000000000";
export const STRIPE_WEBHOOK_SECRET = "whsec_terraincommun000000000000000000";
const API = "https://api.stripe.com";

type Obj = Record<string, unknown>;
let counter = 0;
const id = (prefix: string) =>
  `${prefix}_test_${(++counter).toString(36).padStart(6, "0")}${Math.random().toString(36).slice(2, 10)}`;
const now = () => Math.floor(Date.now() / 1000);

export type StripeState = {
  sessions: Map<string, Obj>;
  intents: Map<string, Obj>;
  refunds: Map<string, Obj>;
  /** Requests and responses already seen per Idempotency-Key, as Stripe replays them. */
  idempotent: Map<string, { body: Obj; response: Obj }>;
  /** Every request the client made: method, path, form body. */
  requests: { method: string; path: string; body: Obj; idempotencyKey: string | null }[];
  /** Make the next call to this path prefix fail with a Stripe API error. */
  failNext: Set<string>;
  /** The status new refunds are created with (Stripe answers "pending" for some payment methods). */
  refundStatus: "succeeded" | "pending";
  fee: number;
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
};

function resetState() {
  stripeState.sessions.clear();
  stripeState.intents.clear();
  stripeState.refunds.clear();
  stripeState.idempotent.clear();
  stripeState.requests.length = 0;
  stripeState.failNext.clear();
  stripeState.refundStatus = "succeeded";
  stripeState.fee = 0;
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

const stripeError = (status: number, message: string, code?: string) =>
  HttpResponse.json({ error: { type: "invalid_request_error", message, ...(code ? { code } : {}) } }, { status });

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
        { error: { type: "api_error", message: "Une erreur est survenue chez Stripe." } },
        { status: 500, headers: { "Stripe-Should-Retry": "false" } },
      ),
    };
  }
  return { body, idempotencyKey, failure: null };
}

/**
 * Stripe's idempotency: the same key and the same parameters replay the first response; the same key with other
 * parameters is refused (400, idempotency_error).
 */
function idempotent(key: string | null, path: string, body: Obj, make: () => Obj): Obj | Response {
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
        },
        { status: 400 },
      );
    }
    return known.response as Obj;
  }
  const made = make();
  stripeState.idempotent.set(cacheKey, { body, response: made });
  return made;
}
const respond = (made: Obj | Response) => (made instanceof Response ? made : HttpResponse.json(made));

const expandParam = (url: URL) => url.searchParams.getAll("expand[]").concat(url.searchParams.getAll("expand[0]"));

function sessionView(session: Obj, expand: string[]) {
  const intentId = session.payment_intent as string | null;
  if (!intentId || !expand.some((e) => e.startsWith("payment_intent"))) return session;
  const intent = stripeState.intents.get(intentId)!;
  const charge = intent.latest_charge as Obj;
  const expandedCharge = expand.some((e) => e.includes("balance_transaction"))
    ? charge
    : { ...charge, balance_transaction: (charge.balance_transaction as Obj).id };
  return { ...session, payment_intent: { ...intent, latest_charge: expandedCharge } };
}

export const stripeHandlers = [
  http.post(`${API}/v1/checkout/sessions`, async ({ request }) => {
    const { body, idempotencyKey, failure } = await record(request);
    if (failure) return failure;
    const session = idempotent(idempotencyKey, "/v1/checkout/sessions", body, () => {
      const lines = (body.line_items as Obj[] | undefined) ?? [];
      const amount = lines.reduce((s, l) => s + Number(l.quantity) * Number((l.price_data as Obj).unit_amount), 0);
      const sid = id("cs");
      const created: Obj = {
        id: sid,
        object: "checkout.session",
        amount_subtotal: amount,
        amount_total: amount,
        cancel_url: body.cancel_url,
        client_reference_id: body.client_reference_id ?? null,
        created: now(),
        currency: "eur",
        customer: null,
        customer_email: body.customer_email ?? null,
        expires_at: Number(body.expires_at ?? now() + 86_400),
        livemode: false,
        locale: body.locale ?? null,
        metadata: body.metadata ?? {},
        mode: body.mode,
        payment_intent: null,
        payment_status: "unpaid",
        status: "open",
        success_url: body.success_url,
        url: `https://checkout.stripe.com/c/pay/${sid}`,
      };
      stripeState.sessions.set(sid, created);
      return created;
    });
    return respond(session);
  }),
  http.get(`${API}/v1/checkout/sessions/:id`, async ({ request, params }) => {
    const { failure } = await record(request);
    if (failure) return failure;
    const session = stripeState.sessions.get(params.id as string);
    if (!session) return stripeError(404, `No such checkout.session: '${params.id}'`, "resource_missing");
    return HttpResponse.json(sessionView(session, expandParam(new URL(request.url))));
  }),
  http.post(`${API}/v1/checkout/sessions/:id/expire`, async ({ request, params }) => {
    const { failure } = await record(request);
    if (failure) return failure;
    const session = stripeState.sessions.get(params.id as string);
    if (!session) return stripeError(404, `No such checkout.session: '${params.id}'`, "resource_missing");
    if (session.status !== "open")
      return stripeError(
        400,
        `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
      );
    session.status = "expired";
    return HttpResponse.json(session);
  }),
  http.post(`${API}/v1/refunds`, async ({ request }) => {
    const { body, idempotencyKey, failure } = await record(request);
    if (failure) return failure;
    const intent = stripeState.intents.get(body.payment_intent as string);
    if (!intent) return stripeError(404, `No such payment_intent: '${body.payment_intent}'`, "resource_missing");
    const refund = idempotent(idempotencyKey, "/v1/refunds", body, () => {
      const created: Obj = {
        id: id("re"),
        object: "refund",
        amount: Number(body.amount ?? intent.amount),
        charge: (intent.latest_charge as Obj).id,
        created: now(),
        currency: "eur",
        metadata: body.metadata ?? {},
        payment_intent: intent.id,
        reason: body.reason ?? null,
        status: stripeState.refundStatus,
      };
      stripeState.refunds.set(created.id as string, created);
      return created;
    });
    return respond(refund);
  }),
  http.get(`${API}/v1/refunds/:id`, async ({ request, params }) => {
    const { failure } = await record(request);
    if (failure) return failure;
    const refund = stripeState.refunds.get(params.id as string);
    return refund ? HttpResponse.json(refund) : stripeError(404, `No such refund: '${params.id}'`, "resource_missing");
  }),
];

/** The customer paid on Stripe's page: the session completes with a succeeded PaymentIntent (and a fee). */
export function completeSession(sessionId: string, options: { fee?: number } = {}) {
  const session = stripeState.sessions.get(sessionId);
  if (!session) throw new Error(`session inconnue ${sessionId}`);
  const amount = session.amount_total as number;
  const intentId = id("pi");
  const fee = options.fee ?? stripeState.fee;
  stripeState.intents.set(intentId, {
    id: intentId,
    object: "payment_intent",
    amount,
    amount_received: amount,
    currency: "eur",
    status: "succeeded",
    metadata: session.metadata,
    latest_charge: {
      id: id("ch"),
      object: "charge",
      amount,
      paid: true,
      status: "succeeded",
      balance_transaction: {
        id: id("txn"),
        object: "balance_transaction",
        amount,
        fee,
        net: amount - fee,
        currency: "eur",
      },
    },
  });
  Object.assign(session, { status: "complete", payment_status: "paid", payment_intent: intentId });
  return session;
}

export function expireSession(sessionId: string) {
  const session = stripeState.sessions.get(sessionId)!;
  session.status = "expired";
  return session;
}

export function settleRefund(refundId: string, status: "succeeded" | "failed" | "canceled") {
  const refund = stripeState.refunds.get(refundId)!;
  refund.status = status;
  if (status === "failed") refund.failure_reason = "expired_or_canceled_card";
  return refund;
}

/** An event as Stripe posts it to the webhook, with the object as it was when the event was made. */
export function stripeEvent(type: string, object: Obj, eventId = id("evt")) {
  return {
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
}

/** The raw body and Stripe-Signature header of an event, signed like Stripe signs it. */
export function signedWebhook(event: Obj, secret = STRIPE_WEBHOOK_SECRET) {
  const payload = JSON.stringify(event, null, 2);
  const signature = new Stripe(STRIPE_SECRET_KEY).webhooks.generateTestHeaderString({ payload, secret });
  return { payload, signature };
}

/** Installs the mock for a test file, with the app's Stripe keys set; every unhandled outgoing call fails. */
export function useStripeMock() {
  const server = setupServer(...stripeHandlers);
  const saved = { key: process.env.STRIPE_SECRET_KEY, secret: process.env.STRIPE_WEBHOOK_SECRET };
  beforeAll(() => {
    process.env.STRIPE_SECRET_KEY = STRIPE_SECRET_KEY;
    process.env.STRIPE_WEBHOOK_SECRET = STRIPE_WEBHOOK_SECRET;
    resetEnvCache();
    server.listen({ onUnhandledRequest: "error" });
  });
  afterEach(() => {
    server.resetHandlers();
    resetState();
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
