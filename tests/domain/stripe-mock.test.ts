import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { getStripe } from "~/domain/payments/index.server";
import {
  completeSession,
  completeSessionAsync,
  settleAsyncPayment,
  stripeEvent,
  stripeState,
  useStripeMock,
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
