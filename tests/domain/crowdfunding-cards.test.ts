import Stripe from "stripe";
import { beforeEach, describe, expect, it } from "vitest";
import {
  addTier,
  cancelPledge,
  changePledge,
  createCampaign,
  lapseUnpaidPledges,
  payPledge,
  pledge,
  publishCampaign,
  settleClosing,
  sweepCampaignClosings,
} from "~/domain/crowdfunding/index.server";
import { cents } from "~/domain/money";
import { getStripe, handleStripeEvent } from "~/domain/payments/index.server";
import { PAYMENT_HANDLERS } from "~/domain/streams.server";
import { db } from "~/utils/db.server";
import { createPerson, createPole } from "../factories";
import { resetDatabase } from "../helpers";
import {
  chargesFor,
  completeSession,
  completeSetupSession,
  paymentIntentAsSent,
  savedCard,
  sessionAsSent,
  STRIPE_SECRET_KEY,
  stripeEvent,
  stripeState,
  useStripeMock,
  type CardBehaviour,
} from "../mocks/stripe";

// All-or-nothing by card (decision 019, Stripe's "charge later" guide): the card is saved on a Checkout page in
// setup mode and charged off-session only when the campaign succeeds — each pledge once, even when a run dies
// after Stripe charged and before we heard; a declined card or one asking for authentication gets a grace period;
// replayed and out-of-order webhooks change nothing.

const DURING = new Date("2027-04-10T08:00:00Z");
const AFTER = new Date("2027-06-01T06:00:00Z");
useStripeMock({ clock: DURING });

let poleId: string;
let campaignId: string;
let tierId: string;
let keys = 0;

const deliver = (event: ReturnType<typeof stripeEvent>, now = DURING) =>
  handleStripeEvent(db, getStripe()!, event as never, PAYMENT_HANDLERS, now);

/** A contributor pledges by card and saves it on Stripe's page; the webhook tells us. */
async function securedByCard(amount: number, card: CardBehaviour = "succeeds") {
  const person = await createPerson(db, { poleId });
  const made = await pledge(db, {
    poleId,
    campaignId,
    tierId,
    personId: person.id,
    amountCents: cents(amount),
    method: "STRIPE",
    idempotencyKey: `k-${++keys}`,
    now: DURING,
  });
  if (!made.ok) throw new Error(made.message);
  const id = made.value.pledge.id;
  const opened = await payPledge(db, getStripe()!, { poleId, pledgeId: id, personId: person.id, now: DURING });
  if (!opened.ok) throw new Error(opened.message);
  const { stripeSetupSessionId } = await db.pledge.findUniqueOrThrow({ where: { id } });
  completeSetupSession(stripeSetupSessionId!, { card });
  await deliver(stripeEvent("checkout.session.completed", sessionAsSent(stripeSetupSessionId!)));
  return { id, personId: person.id, paymentMethod: savedCard(stripeSetupSessionId!).paymentMethod.id };
}

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  const created = await createCampaign(db, {
    poleId,
    slug: "grange",
    title: "La grange devient tiers-lieu",
    goalCents: cents(10_000),
    mode: "ALL_OR_NOTHING",
    startsAt: new Date("2027-04-01T00:00:00Z"),
    endsAt: new Date("2027-05-31T21:59:59Z"),
  });
  if (!created.ok) throw new Error(created.message);
  campaignId = created.value.id;
  const tier = await addTier(db, { poleId, campaignId, name: "Don", kind: "GIFT", priceCents: cents(500) });
  if (!tier.ok) throw new Error(tier.message);
  tierId = tier.value.id;
  await publishCampaign(db, { poleId, campaignId });
});

describe("saving a card", () => {
  it("secures the pledge once the setup page completes, whatever the replays", async () => {
    const { id } = await securedByCard(5_000);
    const secured = await db.pledge.findUniqueOrThrow({ where: { id } });
    expect(secured.status).toBe("SECURED");
    expect(secured.stripePaymentMethodId).toMatch(/^pm_/);
    // The page was in setup mode, in euros, for a customer of ours; nothing was charged.
    const created = stripeState.requests.find((r) => r.path === "/v1/checkout/sessions");
    expect(created?.body).toMatchObject({ mode: "setup", currency: "eur" });
    expect(await db.payment.count()).toBe(0);
    const event = stripeEvent("checkout.session.completed", sessionAsSent(secured.stripeSetupSessionId!));
    expect((await deliver(event)).replay).toBe(false);
    expect((await deliver(event)).replay).toBe(true);
    expect((await db.pledge.findUniqueOrThrow({ where: { id } })).status).toBe("SECURED");
  });
});

describe("charging at success", () => {
  it("charges each saved card once, off-session; a declined or authenticating card gets the grace period", async () => {
    stripeState.fee = 150;
    const good = await securedByCard(6_000);
    const declined = await securedByCard(3_000, "card_declined");
    const sca = await securedByCard(2_000, "authentication_required");
    expect(await sweepCampaignClosings(db, { stripe: getStripe(), now: AFTER })).toEqual({ closed: 1, settled: 3 });

    expect(chargesFor(good.paymentMethod, "succeeded")).toHaveLength(1);
    const intents = stripeState.requests.filter((r) => r.path === "/v1/payment_intents");
    expect(intents.map((r) => [r.method, r.body.off_session, r.idempotencyKey?.split(":")[0]])).toEqual(
      Array.from({ length: 3 }, () => ["POST", "true", "charge"]),
    );
    const states = await db.pledge.findMany({ where: { campaignId }, orderBy: { amountCents: "desc" } });
    expect(states.map((p) => p.status)).toEqual(["COLLECTED", "ACTION_REQUIRED", "ACTION_REQUIRED"]);
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect([campaign.status, campaign.collectedCents]).toEqual(["SUCCEEDED", 6_000]);
    // The money: held then recognised as a gift, and Stripe's fee as bank charges.
    const lines = await db.entryLine.findMany({ where: { poleId }, include: { account: true } });
    const sum = (code: string) =>
      lines.filter((l) => l.account.code === code).reduce((s, l) => s + l.credit - l.debit, 0);
    expect([sum("758000"), sum("419100"), sum("627000"), sum("517000")]).toEqual([6_000, 0, -150, -(6_000 - 150)]);
    expect(await db.outboxEmail.count({ where: { subject: { contains: "attend votre paiement" } } })).toBe(2);

    // Stripe's own event for the charge, late and twice: nothing moves.
    const payment = await db.payment.findFirstOrThrow({ where: { pledgeId: good.id, status: "SUCCEEDED" } });
    const event = stripeEvent("payment_intent.succeeded", paymentIntentAsSent(payment.stripePaymentIntentId!));
    await deliver(event, AFTER);
    await deliver(stripeEvent("payment_intent.succeeded", paymentIntentAsSent(payment.stripePaymentIntentId!)), AFTER);
    expect(await db.entryLine.count({ where: { poleId } })).toBe(lines.length);

    // The declined contributor pays on a page within the grace period; the other lapses.
    stripeState.clock = AFTER;
    const page = await payPledge(db, getStripe()!, {
      poleId,
      pledgeId: declined.id,
      personId: declined.personId,
      now: AFTER,
    });
    expect(page).toMatchObject({ ok: true });
    const open = await db.payment.findFirstOrThrow({ where: { pledgeId: declined.id, status: "PENDING" } });
    completeSession(open.stripeSessionId!);
    await deliver(stripeEvent("checkout.session.completed", sessionAsSent(open.stripeSessionId!)), AFTER);
    expect(await lapseUnpaidPledges(db, new Date("2027-06-09T06:00:00Z"))).toBe(1);
    const after = await db.pledge.findMany({ where: { campaignId }, orderBy: { amountCents: "desc" } });
    expect(after.map((p) => p.status)).toEqual(["COLLECTED", "COLLECTED", "LAPSED"]);
    expect(sca.id).toBe(after[2].id);
  });

  it("finishes a closing whose run died after Stripe charged a card and before we heard: no card twice, none missed", async () => {
    const pledges = [];
    for (let i = 0; i < 5; i++) pledges.push(await securedByCard(2_000 + i * 100));
    // First run: no retries, and Stripe's answer to the third charge is lost after Stripe made it.
    const fragile = new Stripe(STRIPE_SECRET_KEY, { maxNetworkRetries: 0 });
    let charges = 0;
    const before = stripeState.requests.length;
    const create = fragile.paymentIntents.create.bind(fragile.paymentIntents);
    fragile.paymentIntents.create = ((...args: Parameters<typeof create>) => {
      if (++charges === 3) stripeState.loseNextAnswer.add("/v1/payment_intents");
      return create(...args);
    }) as typeof create;
    await sweepCampaignClosings(db, { stripe: fragile, now: AFTER });
    expect(stripeState.requests.length).toBeGreaterThan(before);
    const halfway = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect(halfway.status).toBe("CLOSING");
    const stuck = await db.pledge.findMany({ where: { campaignId, status: "SECURED" } });
    expect(stuck).toHaveLength(1);
    // Stripe did charge it.
    const lost = pledges.find((p) => p.id === stuck[0].id)!;
    expect(chargesFor(lost.paymentMethod, "succeeded")).toHaveLength(1);

    // The next run (the sweep a minute later, or two at once) finishes it with the same key: no second charge.
    await Promise.all([
      settleClosing(db, campaignId, { stripe: getStripe(), now: AFTER }),
      settleClosing(db, campaignId, { stripe: getStripe(), now: AFTER }),
    ]);
    for (const p of pledges) expect(chargesFor(p.paymentMethod, "succeeded")).toHaveLength(1);
    const done = await db.pledge.findMany({ where: { campaignId } });
    expect(done.every((p) => p.status === "COLLECTED")).toBe(true);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status).toBe("SUCCEEDED");
    // One receipt and one recognition per pledge in the books.
    const receipts = await db.journalEntry.count({ where: { poleId, sourceKey: { endsWith: ":received" } } });
    expect(receipts).toBe(5);
    expect(await db.payment.count({ where: { status: "SUCCEEDED" } })).toBe(5);
  });

  it("gives back money paid on a page after its pledge was cancelled, from the unapplied account, the pledge as it was", async () => {
    await db.campaign.update({ where: { id: campaignId }, data: { mode: "KEEP_IT_ALL" } });
    const person = await createPerson(db, { poleId });
    const made = await pledge(db, {
      poleId,
      campaignId,
      tierId,
      personId: person.id,
      amountCents: cents(4_000),
      method: "STRIPE",
      idempotencyKey: "k-page",
      now: DURING,
    });
    if (!made.ok) throw new Error(made.message);
    const id = made.value.pledge.id;
    expect(await payPledge(db, getStripe()!, { poleId, pledgeId: id, personId: person.id, now: DURING })).toMatchObject(
      { ok: true },
    );
    // While the page is open the pledge cannot change its amount (the page would charge the old one).
    const changed = await changePledge(db, {
      poleId,
      pledgeId: id,
      personId: person.id,
      tierId,
      amountCents: cents(9_000),
      anonymous: false,
      now: DURING,
    });
    expect(changed).toMatchObject({ ok: false, code: "CARD_PAYMENT_OPEN" });
    expect(await cancelPledge(db, { poleId, pledgeId: id, personId: person.id, now: DURING })).toMatchObject({
      ok: true,
    });
    const page = await db.payment.findFirstOrThrow({ where: { pledgeId: id, status: "PENDING" } });
    completeSession(page.stripeSessionId!);
    await deliver(stripeEvent("checkout.session.completed", sessionAsSent(page.stripeSessionId!)));
    const refund = await db.refund.findFirstOrThrow({ where: { paymentId: page.id } });
    expect(refund.status).toBe("SUCCEEDED");
    const lines = await db.entryLine.findMany({ where: { poleId }, include: { account: true } });
    const sum = (code: string) =>
      lines.filter((l) => l.account.code === code).reduce((s, l) => s + l.credit - l.debit, 0);
    expect([sum("467000"), sum("419100"), sum("517000")]).toEqual([0, 0, 0]);
    expect((await db.pledge.findUniqueOrThrow({ where: { id } })).status).toBe("CANCELLED");
  });

  it("charges nothing and lets the saved cards go when the campaign fails", async () => {
    await db.campaign.update({ where: { id: campaignId }, data: { goalCents: 1_000_000 } });
    const a = await securedByCard(2_000);
    await sweepCampaignClosings(db, { stripe: getStripe(), now: AFTER });
    expect(chargesFor(a.paymentMethod)).toHaveLength(0);
    expect(stripeState.requests.some((r) => r.path === `/v1/payment_methods/${a.paymentMethod}/detach`)).toBe(true);
    expect((await db.pledge.findUniqueOrThrow({ where: { id: a.id } })).status).toBe("CANCELLED");
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status).toBe("FAILED");
  });
});
