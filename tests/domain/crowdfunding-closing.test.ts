import { beforeEach, describe, expect, it } from "vitest";
import {
  addTier,
  admitShares,
  closingPreview,
  closeCampaignNow,
  confirmPledgeReceived,
  createCampaign,
  lapseUnpaidPledges,
  markRewardsDelivered,
  pledge,
  publishCampaign,
  recogniseUsedRewards,
  recordPledgeRefund,
  sweepCampaignClosings,
  changePledge,
  type TierInput,
} from "~/domain/crowdfunding/index.server";
import { hasMemberRate } from "~/domain/identity/index.server";
import { isoDate } from "~/domain/ledger/dates";
import { dashboard } from "~/domain/ledger/index.server";
import { crowdfundingForecast } from "~/domain/crowdfunding/forecast.server";
import { cents } from "~/domain/money";
import { db } from "~/utils/db.server";
import { createPassProduct, createPerson, createPole } from "../factories";
import { resetDatabase } from "../helpers";

// Closing a campaign on the offline path (no Stripe keys): transfers announced, confirmed by staff with the amount
// that came; the close decides once, recognises gifts and rewards, asks for what was promised, lapses what was not
// paid in time; a failed campaign gives back what it received. Every money event is one balanced entry, once.

const STARTS = new Date("2027-04-01T00:00:00Z");
const ENDS = new Date("2027-05-31T21:59:59Z");
const DURING = new Date("2027-04-10T08:00:00Z");
const AFTER = new Date("2027-06-01T06:00:00Z");
const context = { stripe: null, now: AFTER };

let poleId: string;
let staffId: string;
let people: string[];
let keys = 0;

async function campaign(mode: "ALL_OR_NOTHING" | "KEEP_IT_ALL" = "ALL_OR_NOTHING", goal = 100_000) {
  const created = await createCampaign(db, {
    poleId,
    slug: `grange-${++keys}`,
    title: "La grange devient tiers-lieu",
    goalCents: cents(goal),
    mode,
    startsAt: STARTS,
    endsAt: ENDS,
  });
  if (!created.ok) throw new Error(created.message);
  const campaignId = created.value.id;
  const product = await createPassProduct(db, { poleId, credits: 10, validityMonths: 12 });
  const tiers = {
    gift: await tier(campaignId, { name: "Don libre", kind: "GIFT", priceCents: cents(1_000) }),
    booklet: await tier(campaignId, {
      name: "Carnet de 10 demi-journées",
      kind: "REWARD",
      priceCents: cents(12_000),
      vatRateBp: 2000,
      rewardKind: "BOOKLET",
      passProductId: product.id,
    }),
    shares: await tier(campaignId, {
      name: "Parts sociales",
      kind: "SHARE",
      priceCents: cents(10_000),
      shareNominalCents: 5_000,
      minShares: 2,
      college: "Citoyens",
    }),
  };
  const published = await publishCampaign(db, { poleId, campaignId });
  if (!published.ok) throw new Error(published.message);
  return { campaignId, tiers };
}

async function tier(campaignId: string, input: Record<string, unknown>) {
  const added = await addTier(db, { poleId, campaignId, ...(input as Omit<TierInput, "poleId" | "campaignId">) });
  if (!added.ok) throw new Error(added.message);
  // Reward kind, pass product and share fields are staff's tier form (gestion); set here directly.
  const { name: _n, kind: _k, priceCents: _p, vatRateBp: _v, ...extra } = input;
  if (Object.keys(extra).length) await db.campaignTier.update({ where: { id: added.value.id }, data: extra });
  return added.value.id;
}

async function pledged(campaignId: string, tierId: string, personId: string, amount: number, extra = {}) {
  const made = await pledge(db, {
    poleId,
    campaignId,
    tierId,
    personId,
    amountCents: cents(amount),
    method: "TRANSFER",
    idempotencyKey: `k-${++keys}`,
    now: DURING,
    ...extra,
  });
  if (!made.ok) throw new Error(made.message);
  return made.value.pledge;
}

async function received(pledgeId: string, amount: number, now = DURING) {
  const done = await confirmPledgeReceived(db, {
    poleId,
    pledgeId,
    method: "TRANSFER",
    reference: `VIR-${pledgeId.slice(-4)}`,
    amountCents: amount,
    staffId,
    now,
  });
  if (!done.ok) throw new Error(done.message);
  return done.value;
}

/** Every account's balance (debit − credit) in cents, and whether each entry balances. */
async function books() {
  const lines = await db.entryLine.findMany({ where: { poleId }, include: { account: true } });
  const balance: Record<string, number> = {};
  for (const l of lines) balance[l.account.code] = (balance[l.account.code] ?? 0) + l.debit - l.credit;
  const unbalanced = await db.$queryRaw<{ id: string }[]>`
    SELECT "entryId" AS id FROM "EntryLine" WHERE "poleId" = ${poleId} GROUP BY 1 HAVING sum("debit") <> sum("credit")`;
  return { balance, unbalanced: unbalanced.length, entries: await db.journalEntry.count({ where: { poleId } }) };
}

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  staffId = (await createPerson(db, { poleId, role: "STAFF" })).id;
  people = [];
  for (let i = 0; i < 4; i++) people.push((await createPerson(db, { poleId, name: `Contributeur ${i}` })).id);
});

describe("a campaign that succeeds", () => {
  it("recognises gifts and rewards once, turns the booklet reward into a booklet, asks for what was only promised", async () => {
    const { campaignId, tiers } = await campaign();
    const gift = await pledged(campaignId, tiers.gift, people[0], 30_000, { giftCents: cents(0) });
    const booklet = await pledged(campaignId, tiers.booklet, people[1], 12_000, { giftCents: cents(3_000) });
    const shares = await pledged(campaignId, tiers.shares, people[2], 0, { shares: 4 });
    const promised = await pledged(campaignId, tiers.gift, people[3], 40_000);
    await received(gift.id, 30_000);
    // 2 000 € less than promised came: the gift on top goes first, the reward's price stays.
    const short = await received(booklet.id, 13_000);
    expect([short.amountCents, short.giftCents, short.status]).toEqual([12_000, 1_000, "COLLECTED"]);
    await received(shares.id, 20_000);
    // While open, what came is owed to contributors, not revenue.
    const open = await books();
    expect(open.balance["419100"]).toBe(-(30_000 + 13_000));
    expect(open.balance["456300"]).toBe(-20_000);
    expect(open.balance["512000"]).toBe(63_000);
    expect(open.balance["758000"] ?? 0).toBe(0);

    expect(await closingPreview(db, { poleId, campaignId })).toMatchObject({
      ok: true,
      value: { succeeded: true, countedCents: 30_000 + 13_000 + 20_000 + 40_000 },
    });
    const forecast = await crowdfundingForecast(db, {
      poleId,
      from: isoDate("2027-04-10"),
      to: isoDate("2027-12-31"),
      today: isoDate("2027-04-10"),
    });
    // Gifts 70 000 + the reward with its gift on top, 13 000 excl. VAT (10 833); shares are capital, left out.
    expect(forecast).toEqual([{ stream: "CROWDFUNDING", month: "2027-05", amount: 30_000 + 40_000 + 10_833 }]);

    expect(await sweepCampaignClosings(db, context)).toEqual({ closed: 1, settled: 4 });
    const closed = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect([closed.status, closed.succeeded, closed.finalPledgedCents, closed.finalCollectedCents]).toEqual([
      "SUCCEEDED",
      true,
      103_000,
      63_000,
    ]);
    const after = await books();
    expect(after.unbalanced).toBe(0);
    expect(after.balance["419100"]).toBe(0);
    expect(after.balance["758000"]).toBe(-30_000);
    // The booklet is a sale, the gift on top with it: 10 833 deferred until used, 2 167 VAT.
    expect(after.balance["487000"]).toBe(-10_833);
    expect(after.balance["445710"]).toBe(-2_167);
    expect(after.balance["456300"]).toBe(-20_000);
    const invoice = await db.invoice.findFirstOrThrow({ where: { poleId, personId: people[1] } });
    expect(invoice.totalInclTax).toBe(13_000);
    const pass = await db.pass.findFirstOrThrow({ where: { personId: people[1] } });
    expect([pass.status, pass.credits]).toEqual(["ACTIVE", 10]);
    const asked = await db.pledge.findUniqueOrThrow({ where: { id: promised.id } });
    expect(asked.status).toBe("ACTION_REQUIRED");
    // Three thanks, one request to pay: one email per contributor.
    expect(await db.outboxEmail.count({ where: { to: { in: await emailsOf(people) } } })).toBe(4);

    // Running it again changes nothing.
    expect(await sweepCampaignClosings(db, context)).toEqual({ closed: 0, settled: 0 });
    expect((await books()).entries).toBe(after.entries);

    // The late transfer comes within the grace period: recognised at once.
    await received(promised.id, 40_000, new Date("2027-06-03T09:00:00Z"));
    expect((await books()).balance["758000"]).toBe(-70_000);

    // Using the booklet recognises its deferred revenue, credit by credit.
    await db.pass.update({ where: { id: pass.id }, data: { creditsUsed: 3 } });
    await recogniseUsedRewards(db, new Date("2027-06-10T09:00:00Z"));
    await recogniseUsedRewards(db, new Date("2027-06-10T09:05:00Z"));
    const used = await books();
    // 3 of 10 credits: 3 249 of the 10 833 recognised.
    expect([used.balance["487000"], used.balance["707000"]]).toEqual([-7_584, -3_249]);
    expect(used.unbalanced).toBe(0);
  });

  it("admits a share subscription: capital, the register, and member rates on desks", async () => {
    const { campaignId, tiers } = await campaign("ALL_OR_NOTHING", 10_000);
    const shares = await pledged(campaignId, tiers.shares, people[0], 0, { shares: 3 });
    await received(shares.id, 15_000);
    const early = await admitShares(db, {
      poleId,
      pledgeId: shares.id,
      admittedOn: isoDate("2027-05-01"),
      staffId,
      now: DURING,
    });
    expect(early).toMatchObject({ ok: false, code: "NOT_PAID" });
    await sweepCampaignClosings(db, context);
    expect(await hasMemberRate(db, poleId, people[0])).toBe(false);
    const future = await admitShares(db, {
      poleId,
      pledgeId: shares.id,
      admittedOn: isoDate("2027-07-01"),
      staffId,
      now: AFTER,
    });
    expect(future).toMatchObject({ ok: false, field: "admittedOn" });
    const admitted = await admitShares(db, {
      poleId,
      pledgeId: shares.id,
      admittedOn: isoDate("2027-06-01"),
      staffId,
      now: AFTER,
    });
    expect(admitted.ok).toBe(true);
    expect(await hasMemberRate(db, poleId, people[0])).toBe(true);
    const { balance } = await books();
    expect([balance["456300"], balance["101300"]]).toEqual([0, -15_000]);
    // Capital is shown apart on the dashboard: neither the stream's revenue nor a resource of the ratio.
    const year = await db.fiscalYear.findFirstOrThrow({ where: { poleId } });
    const board = await dashboard(db, { poleId, fiscalYearId: year.id, today: isoDate("2027-06-02") });
    expect(board.capital).toEqual({ admitted: 15_000, awaitingAdmission: 0 });
    expect(board.deferredRevenue).toBe(0);
    expect(board.perStream.find((s) => s.stream === "CROWDFUNDING")?.actual).toBe(0);
    expect(board.autofinancement.toDate.total).toBe(0);
    const twice = await admitShares(db, {
      poleId,
      pledgeId: shares.id,
      admittedOn: isoDate("2027-06-01"),
      staffId,
      now: AFTER,
    });
    expect(twice).toMatchObject({ ok: false, code: "ALREADY_ADMITTED" });
  });

  it("lapses a promise not paid within the grace period and gives its place back", async () => {
    const { campaignId, tiers } = await campaign("ALL_OR_NOTHING", 10_000);
    await db.campaignTier.update({ where: { id: tiers.booklet }, data: { cap: 1 } });
    const promised = await pledged(campaignId, tiers.booklet, people[0], 12_000);
    await sweepCampaignClosings(db, context);
    expect(await lapseUnpaidPledges(db, new Date("2027-06-07T06:00:00Z"))).toBe(0);
    expect(await lapseUnpaidPledges(db, new Date("2027-06-08T06:01:00Z"))).toBe(1);
    const lapsed = await db.pledge.findUniqueOrThrow({ where: { id: promised.id } });
    expect(lapsed.status).toBe("LAPSED");
    const tier = await db.campaignTier.findUniqueOrThrow({ where: { id: tiers.booklet } });
    expect(tier.claimed).toBe(0);
    expect(await lapseUnpaidPledges(db, new Date("2027-06-09T06:00:00Z"))).toBe(0);
  });

  it("marks rewards delivered once, per tier", async () => {
    const { campaignId, tiers } = await campaign("KEEP_IT_ALL", 10_000);
    const a = await pledged(campaignId, tiers.booklet, people[0], 12_000);
    await received(a.id, 12_000);
    // Keep-it-all: recognised as it comes.
    expect((await books()).balance["487000"]).toBe(-10_000);
    const done = await markRewardsDelivered(db, { poleId, campaignId, tierId: tiers.booklet, staffId, now: DURING });
    expect(done).toMatchObject({ ok: true, value: { count: 1 } });
    const again = await markRewardsDelivered(db, { poleId, campaignId, tierId: tiers.booklet, staffId, now: DURING });
    expect(again).toMatchObject({ ok: true, value: { count: 0 } });
  });
});

describe("a campaign that fails", () => {
  it("charges nothing, cancels promises and gives back what came, once", async () => {
    const { campaignId, tiers } = await campaign("ALL_OR_NOTHING", 1_000_000);
    const paid = await pledged(campaignId, tiers.shares, people[0], 0, { shares: 2 });
    const promised = await pledged(campaignId, tiers.gift, people[1], 5_000);
    await received(paid.id, 10_000);
    expect(await sweepCampaignClosings(db, context)).toEqual({ closed: 1, settled: 2 });
    const closed = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect([closed.status, closed.succeeded]).toEqual(["FAILED", false]);
    expect((await db.pledge.findUniqueOrThrow({ where: { id: promised.id } })).status).toBe("CANCELLED");
    const owed = await db.refund.findMany({ where: { payment: { pledgeId: paid.id } } });
    expect(owed.map((r) => [r.status, r.amountCents])).toEqual([["PENDING", 10_000]]);

    const refunded = await recordPledgeRefund(db, { poleId, pledgeId: paid.id, staffId, now: AFTER });
    expect(refunded).toMatchObject({ ok: true, value: { status: "REFUNDED" } });
    const { balance, unbalanced } = await books();
    expect([balance["456300"], balance["512000"], unbalanced]).toEqual([0, 0, 0]);
    expect(await recordPledgeRefund(db, { poleId, pledgeId: paid.id, staffId, now: AFTER })).toMatchObject({
      ok: false,
      code: "NO_REFUND",
    });
    expect(await sweepCampaignClosings(db, context)).toEqual({ closed: 0, settled: 0 });
  });

  it("asks for one refund when two closing runs settle the same pledge at once", async () => {
    const { campaignId, tiers } = await campaign("ALL_OR_NOTHING", 1_000_000);
    const paid = await pledged(campaignId, tiers.gift, people[0], 5_000);
    await received(paid.id, 5_000);
    await Promise.all([
      closeCampaignNow(db, null, { poleId, campaignId, now: DURING }),
      closeCampaignNow(db, null, { poleId, campaignId, now: DURING }),
      sweepCampaignClosings(db, { stripe: null, now: DURING }),
    ]);
    expect(await db.refund.count({ where: { payment: { pledgeId: paid.id } } })).toBe(1);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status).toBe("FAILED");
  });

  it("is closed once when staff close early while the sweep runs", async () => {
    const { campaignId, tiers } = await campaign("ALL_OR_NOTHING", 10_000);
    await pledged(campaignId, tiers.gift, people[0], 20_000);
    const results = await Promise.all([
      closeCampaignNow(db, null, { poleId, campaignId, now: DURING }),
      closeCampaignNow(db, null, { poleId, campaignId, now: DURING }),
      sweepCampaignClosings(db, { stripe: null, now: DURING }),
    ]);
    expect(results[0]).toMatchObject({ ok: true, value: { succeeded: true } });
    const closed = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect(closed.status).toBe("SUCCEEDED");
    expect(await db.pledge.count({ where: { campaignId, status: "ACTION_REQUIRED" } })).toBe(1);
    expect(await db.outboxEmail.count({ where: { poleId } })).toBe(1);
  });
});

describe("changing a pledge", () => {
  it("moves the place and the progress, and refuses after the deadline or someone else's pledge", async () => {
    const { campaignId, tiers } = await campaign();
    await db.campaignTier.update({ where: { id: tiers.booklet }, data: { cap: 1 } });
    const mine = await pledged(campaignId, tiers.gift, people[0], 5_000);
    const changed = await changePledge(db, {
      poleId,
      pledgeId: mine.id,
      personId: people[0],
      tierId: tiers.booklet,
      amountCents: cents(12_000),
      anonymous: true,
      now: DURING,
    });
    expect(changed).toMatchObject({ ok: true, value: { amountCents: 12_000, anonymous: true } });
    const c = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect([c.pledgedCents, c.pledgeCount]).toEqual([12_000, 1]);
    expect((await db.campaignTier.findUniqueOrThrow({ where: { id: tiers.booklet } })).claimed).toBe(1);
    const other = await changePledge(db, {
      poleId,
      pledgeId: mine.id,
      personId: people[1],
      tierId: tiers.gift,
      amountCents: cents(5_000),
      anonymous: false,
      now: DURING,
    });
    expect(other).toMatchObject({ ok: false, status: 404 });
    const late = await changePledge(db, {
      poleId,
      pledgeId: mine.id,
      personId: people[0],
      tierId: tiers.gift,
      amountCents: cents(5_000),
      anonymous: false,
      now: AFTER,
    });
    expect(late).toMatchObject({ ok: false, code: "CLOSED" });
  });
});

async function emailsOf(ids: string[]) {
  return (await db.person.findMany({ where: { id: { in: ids } }, select: { email: true } })).map((p) => p.email);
}
