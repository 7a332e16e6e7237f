import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { getStripe } from "~/domain/payments/index.server";
import {
  chargesFor,
  completeSession,
  completeSessionAsync,
  completeSetupSession,
  intentsFor,
  paymentIntentAsSent,
  savedCard,
  sessionAsSent,
  setCardBehaviour,
  settleAsyncPayment,
  stripeEvent,
  stripeState,
  useStripeMock,
  type CardBehaviour,
} from "../mocks/stripe";
import { missingKeys, REQUIRED_KEYS } from "../mocks/stripe-objects";

// The Stripe mock answers as Stripe does, through the official client: every object carries the fields
// stripe-node types as always returned (REQUIRED_KEYS, which tsc keeps in step with the client), and what Stripe
// refuses is refused with its error type, code and parameter.

const CLOCK = new Date("2027-03-01T07:00:00Z");
useStripeMock({ clock: CLOCK });
const seconds = (minutes: number) => Math.floor(CLOCK.getTime() / 1000) + minutes * 60;

const createSession = (expiresAt: number, methods: string[] = ["card"]) =>
  getStripe()!.checkout.sessions.create({
    mode: "payment",
    allowed_payment_method_types: methods,
    line_items: [{ quantity: 2, price_data: { currency: "eur", unit_amount: 1500, product_data: { name: "Loyer" } } }],
    metadata: { paymentId: "pay_1" },
    expires_at: expiresAt,
    success_url: "https://terrain.test/ok",
  });

const expandAll = { expand: ["payment_intent.latest_charge.balance_transaction"] };

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  const { code, param, statusCode } = error as Stripe.errors.StripeError;
  return { code, param, statusCode };
}

describe("the Stripe mock", () => {
  it("lists, for each object, the fields stripe-node says Stripe always returns", () => {
    expect(REQUIRED_KEYS["checkout.session"]).toEqual(
      expect.arrayContaining(["id", "object", "status", "payment_status", "payment_intent", "expires_at", "url"]),
    );
    expect(missingKeys({ object: "refund", id: "re_1" })).toContain("$.amount");
    expect(missingKeys({ object: "customer", id: "cus_1" })).toEqual([]);
  });

  it("answers every call with whole objects, expanded as deep as asked", async () => {
    const stripe = getStripe()!;
    const session = await createSession(seconds(35));
    expect(missingKeys(session)).toEqual([]);
    expect(session).toMatchObject({ status: "open", payment_status: "unpaid", amount_total: 3000, currency: "eur" });
    completeSession(session.id, { fee: 90 });
    const paid = await stripe.checkout.sessions.retrieve(session.id, expandAll);
    expect(missingKeys(paid)).toEqual([]);
    const intent = paid.payment_intent as Stripe.PaymentIntent;
    const charge = intent.latest_charge as Stripe.Charge;
    expect(intent.status).toBe("succeeded");
    expect((charge.balance_transaction as Stripe.BalanceTransaction).fee).toBe(90);
    // Not expanded: ids, as Stripe sends them.
    expect(typeof (await stripe.checkout.sessions.retrieve(session.id)).payment_intent).toBe("string");
    const shallow = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
    expect(typeof (shallow.payment_intent as Stripe.PaymentIntent).latest_charge).toBe("string");

    const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 1000 });
    expect(missingKeys(refund)).toEqual([]);
    expect(missingKeys(await stripe.refunds.retrieve(refund.id))).toEqual([]);
    const open = await createSession(seconds(40));
    expect(missingKeys(await stripe.checkout.sessions.expire(open.id))).toEqual([]);
    expect(missingKeys(stripeEvent("checkout.session.completed", paid))).toEqual([]);
  });

  it("refuses an expires_at outside 30 minutes–24 hours of Stripe's clock, as Stripe does", async () => {
    for (const minutes of [29, 24 * 60 + 1]) {
      expect(await refusal(createSession(seconds(minutes)))).toEqual({
        code: "parameter_invalid_integer",
        param: "expires_at",
        statusCode: 400,
      });
    }
    expect((await createSession(seconds(30))).expires_at).toBe(seconds(30));
    expect((await createSession(seconds(24 * 60))).expires_at).toBe(seconds(24 * 60));
    expect(stripeState.sessions.size).toBe(2);
  });

  it("refuses a refund above what is left to refund, and one that names no payment", async () => {
    const stripe = getStripe()!;
    const session = completeSession((await createSession(seconds(35))).id);
    const intent = session.payment_intent as string;
    expect(await refusal(stripe.refunds.create({ payment_intent: intent, amount: 3001 }))).toMatchObject({
      code: "amount_too_large",
      param: "amount",
    });
    await stripe.refunds.create({ payment_intent: intent, amount: 2000 });
    expect(await refusal(stripe.refunds.create({ payment_intent: intent, amount: 1001 }))).toMatchObject({
      code: "amount_too_large",
    });
    await stripe.refunds.create({ payment_intent: intent });
    expect(await refusal(stripe.refunds.create({ payment_intent: intent, amount: 1 }))).toMatchObject({
      code: "charge_already_refunded",
    });
    expect(await refusal(stripe.refunds.create({ payment_intent: undefined, amount: 100 }))).toMatchObject({
      code: "parameter_missing",
      statusCode: 400,
    });
  });

  it("completes a session paid by debit unpaid, then paid or failed when the bank answers", async () => {
    const stripe = getStripe()!;
    const card = await createSession(seconds(35));
    expect(() => completeSessionAsync(card.id)).toThrow(/ne propose pas sepa_debit/);

    const [ok, refused] = [
      await createSession(seconds(35), ["card", "sepa_debit"]),
      await createSession(seconds(35), ["card", "sepa_debit"]),
    ];
    for (const s of [ok, refused]) completeSessionAsync(s.id);
    const processing = await stripe.checkout.sessions.retrieve(ok.id, expandAll);
    expect(missingKeys(processing)).toEqual([]);
    expect(processing).toMatchObject({ status: "complete", payment_status: "unpaid" });
    expect((processing.payment_intent as Stripe.PaymentIntent).status).toBe("processing");
    // Not refundable before the money is in.
    expect(
      await refusal(stripe.refunds.create({ payment_intent: (processing.payment_intent as Stripe.PaymentIntent).id })),
    ).toMatchObject({ code: "charge_not_refundable" });

    settleAsyncPayment(ok.id, "succeeded", { fee: 35 });
    const paid = await stripe.checkout.sessions.retrieve(ok.id, expandAll);
    expect(missingKeys(paid)).toEqual([]);
    expect(paid.payment_status).toBe("paid");
    expect((paid.payment_intent as Stripe.PaymentIntent).status).toBe("succeeded");

    settleAsyncPayment(refused.id, "failed");
    const failed = await stripe.checkout.sessions.retrieve(refused.id, expandAll);
    expect(missingKeys(failed)).toEqual([]);
    expect(failed).toMatchObject({ status: "complete", payment_status: "unpaid" });
    expect((failed.payment_intent as Stripe.PaymentIntent).status).toBe("requires_payment_method");
  });
});

// Cards saved now and charged later: a customer, Checkout in setup mode, PaymentIntents confirmed off-session.

const createCustomer = () =>
  getStripe()!.customers.create({ email: "ana@terrain.test", name: "Ana Terre", metadata: { poleId: "pole_1" } });

const createSetupSession = (customer: string) =>
  getStripe()!.checkout.sessions.create({
    mode: "setup",
    currency: "eur",
    customer,
    client_reference_id: "pledge_1",
    metadata: { purpose: "PLEDGE", targetId: "pledge_1" },
    setup_intent_data: { metadata: { targetId: "pledge_1" } },
    success_url: "https://terrain.test/ok",
  });

/** A customer with a card saved through a setup-mode session, answering charges as `card` says. */
async function savedCardOf(card: CardBehaviour = "succeeds") {
  const customer = await createCustomer();
  const session = await createSetupSession(customer.id);
  completeSetupSession(session.id, { card });
  return { customerId: customer.id, paymentMethodId: savedCard(session.id).paymentMethod.id, sessionId: session.id };
}

const charge = (card: { customerId: string; paymentMethodId: string }, idempotencyKey?: string, amount = 2500) =>
  getStripe()!.paymentIntents.create(
    {
      amount,
      currency: "eur",
      customer: card.customerId,
      payment_method: card.paymentMethodId,
      off_session: true,
      confirm: true,
      description: "Souscription de parts",
      metadata: { paymentId: "pay_1" },
      expand: ["latest_charge.balance_transaction"],
    },
    idempotencyKey ? { idempotencyKey } : undefined,
  );

/** The error a call ends with, or null when it succeeds. */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => e as Stripe.errors.StripeError,
  );

async function cardError(promise: Promise<unknown>) {
  const error = await failure(promise);
  expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
  return error as Stripe.errors.StripeCardError;
}

describe("the Stripe mock, for cards saved now and charged later", () => {
  it("creates customers and reads them back; refuses an unknown parameter, email or customer", async () => {
    const stripe = getStripe()!;
    const customer = await createCustomer();
    expect(customer).toMatchObject({
      object: "customer",
      email: "ana@terrain.test",
      name: "Ana Terre",
      metadata: { poleId: "pole_1" },
    });
    expect(customer.id).toMatch(/^cus_/);
    expect(await stripe.customers.retrieve(customer.id)).toEqual(customer);
    expect(await refusal(stripe.customers.retrieve("cus_inconnu"))).toEqual({
      code: "resource_missing",
      param: "id",
      statusCode: 404,
    });
    expect(
      await refusal(stripe.customers.create({ emial: "ana@terrain.test" } as Stripe.CustomerCreateParams)),
    ).toEqual({ code: "parameter_unknown", param: "emial", statusCode: 400 });
    expect(await refusal(stripe.customers.create({ email: "pas-un-email" }))).toMatchObject({
      code: "email_invalid",
      param: "email",
    });
    expect(stripeState.customers.size).toBe(1);
  });

  it("opens a setup-mode session with no amount and no SetupIntent until the customer saves a card", async () => {
    const stripe = getStripe()!;
    const customer = await createCustomer();
    const session = await createSetupSession(customer.id);
    expect(missingKeys(session)).toEqual([]);
    expect(session).toMatchObject({
      mode: "setup",
      status: "open",
      payment_status: "no_payment_required",
      amount_total: null,
      amount_subtotal: null,
      currency: "eur",
      customer: customer.id,
      setup_intent: null,
      payment_intent: null,
      metadata: { purpose: "PLEDGE", targetId: "pledge_1" },
    });
    expect(session.url).toMatch(/^https:\/\/checkout\.stripe\.com\//);

    const saved = completeSetupSession(session.id);
    expect(saved).toMatchObject({ status: "complete", url: null });
    expect(typeof (await stripe.checkout.sessions.retrieve(session.id)).setup_intent).toBe("string");
    const complete = await stripe.checkout.sessions.retrieve(session.id, { expand: ["setup_intent"] });
    expect(missingKeys(complete)).toEqual([]);
    const intent = complete.setup_intent as Stripe.SetupIntent;
    expect(intent).toMatchObject({
      object: "setup_intent",
      status: "succeeded",
      usage: "off_session",
      customer: customer.id,
      metadata: { targetId: "pledge_1" },
    });
    expect(intent.payment_method).toMatch(/^pm_/);
    expect(await stripe.setupIntents.retrieve(intent.id)).toEqual(intent);

    const deep = await stripe.checkout.sessions.retrieve(session.id, { expand: ["setup_intent.payment_method"] });
    const method = (deep.setup_intent as Stripe.SetupIntent).payment_method as Stripe.PaymentMethod;
    expect(missingKeys(deep)).toEqual([]);
    expect(method).toMatchObject({ object: "payment_method", type: "card", customer: customer.id });
    expect(method.card).toMatchObject({ brand: "visa", last4: "4242" });
    expect(await stripe.paymentMethods.retrieve(method.id)).toEqual(method);
    expect(savedCard(session.id)).toMatchObject({ customerId: customer.id, paymentMethod: { id: method.id } });

    // What the webhook hears of it.
    expect(missingKeys(stripeEvent("checkout.session.completed", sessionAsSent(session.id)))).toEqual([]);
    expect(missingKeys(stripeEvent("setup_intent.succeeded", intent))).toEqual([]);
    // A session is completed the way its mode is.
    expect(() => completeSetupSession(session.id)).toThrow(/n'est plus ouverte/);
    const paying = await createSession(seconds(35));
    expect(() => completeSetupSession(paying.id)).toThrow(/n'est pas en mode setup/);
    const another = await createSetupSession(customer.id);
    expect(() => completeSession(another.id)).toThrow(/mode setup/);
  });

  it("refuses a setup-mode session without a currency, with line items, or for an unknown customer", async () => {
    const stripe = getStripe()!;
    const customer = await createCustomer();
    const base = { mode: "setup" as const, customer: customer.id, success_url: "https://terrain.test/ok" };
    expect(await refusal(stripe.checkout.sessions.create(base))).toEqual({
      code: "parameter_missing",
      param: "currency",
      statusCode: 400,
    });
    // Naming the payment method types is the other way to say which methods may be saved.
    expect((await stripe.checkout.sessions.create({ ...base, allowed_payment_method_types: ["card"] })).currency).toBe(
      null,
    );
    expect(
      await refusal(
        stripe.checkout.sessions.create({
          ...base,
          currency: "eur",
          line_items: [{ quantity: 1, price_data: { currency: "eur", unit_amount: 100, product_data: { name: "x" } } }],
        }),
      ),
    ).toMatchObject({ param: "line_items", statusCode: 400 });
    // The parameter older API versions took is refused, as Stripe refuses it at the client's version.
    expect(
      await refusal(
        stripe.checkout.sessions.create({
          ...base,
          payment_method_types: ["card"],
        } as Stripe.Checkout.SessionCreateParams),
      ),
    ).toEqual({ code: "parameter_unknown", param: "payment_method_types", statusCode: 400 });
    expect(
      await refusal(stripe.checkout.sessions.create({ ...base, currency: "eur", customer: "cus_inconnu" })),
    ).toEqual({ code: "resource_missing", param: "customer", statusCode: 400 });
    expect(stripeState.sessions.size).toBe(1);
  });

  it("charges a saved card off-session: a succeeded intent, its charge and fee, refundable", async () => {
    const stripe = getStripe()!;
    stripeState.fee = 45;
    const card = await savedCardOf();
    const intent = await charge(card, "charge:pay_1");
    expect(missingKeys(intent)).toEqual([]);
    expect(intent).toMatchObject({
      status: "succeeded",
      amount: 2500,
      amount_received: 2500,
      customer: card.customerId,
      payment_method: card.paymentMethodId,
      description: "Souscription de parts",
      metadata: { paymentId: "pay_1" },
      last_payment_error: null,
    });
    const paid = intent.latest_charge as Stripe.Charge;
    expect(paid).toMatchObject({ status: "succeeded", paid: true, payment_method: card.paymentMethodId });
    expect(paid.balance_transaction as Stripe.BalanceTransaction).toMatchObject({ amount: 2500, fee: 45, net: 2455 });

    expect(typeof (await stripe.paymentIntents.retrieve(intent.id)).latest_charge).toBe("string");
    const again = await stripe.paymentIntents.retrieve(intent.id, { expand: ["latest_charge.balance_transaction"] });
    expect(missingKeys(again)).toEqual([]);
    expect(again).toEqual(intent);
    expect(await refusal(stripe.paymentIntents.retrieve("pi_inconnu"))).toMatchObject({
      code: "resource_missing",
      statusCode: 404,
    });

    expect(missingKeys(await stripe.refunds.create({ payment_intent: intent.id, amount: 1000 }))).toEqual([]);
    expect(await refusal(stripe.refunds.create({ payment_intent: intent.id, amount: 1501 }))).toMatchObject({
      code: "amount_too_large",
    });
    expect(chargesFor(card.paymentMethodId, "succeeded")).toHaveLength(1);
    expect(intentsFor(card.customerId, "succeeded").map((i) => i.id)).toEqual([intent.id]);
    expect(missingKeys(stripeEvent("payment_intent.succeeded", paymentIntentAsSent(intent.id)))).toEqual([]);
    expect(stripeState.requests.find((r) => r.path === "/v1/payment_intents")).toMatchObject({
      method: "POST",
      idempotencyKey: "charge:pay_1",
      body: { off_session: "true", confirm: "true", amount: "2500" },
    });
  });

  it("declines as the card says: Stripe's 402 card_error with the intent left requiring a payment method", async () => {
    const expected = {
      card_declined: { code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." },
      insufficient_funds: {
        code: "card_declined",
        decline_code: "insufficient_funds",
        message: "Your card has insufficient funds.",
      },
      authentication_required: {
        code: "authentication_required",
        decline_code: "authentication_required",
        message: "Your card was declined. This transaction requires authentication.",
      },
    };
    for (const [behaviour, words] of Object.entries(expected)) {
      const card = await savedCardOf(behaviour as CardBehaviour);
      const error = await cardError(charge(card));
      expect(error).toMatchObject({ ...words, statusCode: 402, rawType: "card_error" });
      const intent = error.payment_intent!;
      expect(missingKeys(intent)).toEqual([]);
      expect(intent).toMatchObject({
        status: "requires_payment_method",
        payment_method: null,
        customer: card.customerId,
        amount_received: 0,
        latest_charge: error.charge,
        last_payment_error: { ...words, type: "card_error", payment_method: { id: card.paymentMethodId } },
      });
      expect(error.payment_method?.id).toBe(card.paymentMethodId);
      expect(chargesFor(card.paymentMethodId, "failed")).toMatchObject([
        { id: error.charge, failure_code: words.code },
      ]);
      expect(chargesFor(card.paymentMethodId, "succeeded")).toEqual([]);
      // Nothing to refund, and the webhook hears of it whole.
      expect(await refusal(getStripe()!.refunds.create({ payment_intent: intent.id }))).toMatchObject({
        code: "charge_not_refundable",
      });
      expect(missingKeys(stripeEvent("payment_intent.payment_failed", paymentIntentAsSent(intent.id)))).toEqual([]);
    }

    // The card is good again: the next charge goes through.
    const card = await savedCardOf("insufficient_funds");
    await cardError(charge(card));
    setCardBehaviour(card.paymentMethodId, "succeeds");
    expect((await charge(card)).status).toBe("succeeded");
    expect(chargesFor(card.paymentMethodId).map((c) => c.status)).toEqual(["failed", "succeeded"]);
    expect(() => setCardBehaviour("pm_inconnu", "succeeds")).toThrow(/carte inconnue/);
  });

  it("replays a declined off-session charge by its Idempotency-Key: the same 402, no second attempt", async () => {
    const card = await savedCardOf("card_declined");
    const first = await cardError(charge(card, "charge:pay_1"));
    // Even once the card would pass, the key answers what Stripe answered the first time.
    setCardBehaviour(card.paymentMethodId, "succeeds");
    const replay = await cardError(charge(card, "charge:pay_1"));
    expect(replay.statusCode).toBe(402);
    expect(replay.raw).toEqual({ ...(first.raw as object), headers: replay.headers, requestId: replay.requestId });
    expect(replay.headers?.["idempotent-replayed"]).toBe("true");
    expect(replay.payment_intent).toEqual(first.payment_intent);
    expect(stripeState.intents.size).toBe(1);
    expect(chargesFor(card.paymentMethodId)).toHaveLength(1);
    // Another key is another attempt.
    expect((await charge(card, "charge:pay_2")).status).toBe("succeeded");
    expect(intentsFor(card.customerId).map((i) => i.status)).toEqual(["requires_payment_method", "succeeded"]);
  });

  it("replays a succeeded off-session charge by its Idempotency-Key: the same intent, charged once", async () => {
    const card = await savedCardOf();
    const first = await charge(card, "charge:pay_1");
    setCardBehaviour(card.paymentMethodId, "card_declined");
    const replay = await charge(card, "charge:pay_1");
    expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(replay).toEqual(first);
    expect(chargesFor(card.paymentMethodId, "succeeded")).toHaveLength(1);
    expect(intentsFor(card.customerId)).toHaveLength(1);
    // The same key for another charge is refused.
    const other = await failure(charge(card, "charge:pay_1", 3000));
    expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(intentsFor(card.customerId)).toHaveLength(1);
  });

  it("lets a charge fail before Stripe acts, or after with its answer lost: the retry with its key charges once", async () => {
    const card = await savedCardOf();
    stripeState.failNext.add("/v1/payment_intents");
    expect(await failure(charge(card, "charge:pay_1"))).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(stripeState.intents.size).toBe(0);
    const paid = await charge(card, "charge:pay_1");
    expect(paid.status).toBe("succeeded");

    stripeState.loseNextAnswer.add("/v1/payment_intents");
    expect(await failure(charge(card, "charge:pay_2"))).toBeInstanceOf(Stripe.errors.StripeAPIError);
    // Stripe charged the card; the caller did not hear it.
    expect(chargesFor(card.paymentMethodId, "succeeded")).toHaveLength(2);
    const retried = await charge(card, "charge:pay_2");
    expect(retried.status).toBe("succeeded");
    expect(retried.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(chargesFor(card.paymentMethodId, "succeeded")).toHaveLength(2);
    expect(intentsFor(card.customerId, "succeeded").map((i) => i.id)).toEqual([paid.id, retried.id]);
  });

  it("refuses what Stripe refuses of a saved card: detached twice, charged once detached, unknown, not the customer's", async () => {
    const stripe = getStripe()!;
    const card = await savedCardOf();
    const other = await createCustomer();
    expect(await refusal(charge({ ...card, customerId: other.id }))).toMatchObject({
      param: "payment_method",
      statusCode: 400,
    });
    expect(
      await refusal(
        stripe.paymentIntents.create({
          amount: 2500,
          currency: "eur",
          payment_method: card.paymentMethodId,
          off_session: true,
          confirm: true,
        }),
      ),
    ).toMatchObject({ param: "payment_method", statusCode: 400 });
    expect(await refusal(charge(card, undefined, 49))).toMatchObject({ code: "amount_too_small", param: "amount" });
    expect(
      await refusal(
        stripe.paymentIntents.create({
          amount: 2500,
          currency: "eur",
          customer: card.customerId,
          payment_method: card.paymentMethodId,
          off_session: true,
        }),
      ),
    ).toMatchObject({ param: "off_session", statusCode: 400 });
    expect(await refusal(charge({ ...card, paymentMethodId: "pm_inconnu" }))).toEqual({
      code: "resource_missing",
      param: "payment_method",
      statusCode: 400,
    });
    expect(await refusal(stripe.paymentMethods.retrieve("pm_inconnu"))).toEqual({
      code: "resource_missing",
      param: "payment_method",
      statusCode: 404,
    });
    expect(stripeState.intents.size).toBe(0);

    const detached = await stripe.paymentMethods.detach(card.paymentMethodId);
    expect(detached).toMatchObject({ id: card.paymentMethodId, customer: null });
    expect(missingKeys(detached)).toEqual([]);
    expect((await stripe.paymentMethods.retrieve(card.paymentMethodId)).customer).toBe(null);
    expect(await refusal(stripe.paymentMethods.detach(card.paymentMethodId))).toMatchObject({ statusCode: 400 });
    expect(await refusal(charge(card))).toMatchObject({ param: "payment_method", statusCode: 400 });
    expect(chargesFor(card.paymentMethodId)).toEqual([]);
  });
});
