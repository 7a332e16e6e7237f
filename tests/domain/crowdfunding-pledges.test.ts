import { beforeEach, describe, expect, it } from "vitest";
import {
  addTier,
  cancelPledge,
  createCampaign,
  placesLeft,
  pledge,
  publishCampaign,
  type PledgeInput,
} from "~/domain/crowdfunding/index.server";
import { cents } from "~/domain/money";
import { db } from "~/utils/db.server";
import { sqlState } from "~/utils/db-errors.server";
import { createPerson, createPole } from "../factories";
import { resetDatabase } from "../helpers";

// Campaigns, tiers and pledges (issue 14, decision 019): a capped tier is never oversold whatever the concurrency,
// and every refusal is a French answer with nothing written.

const NOW = new Date("2027-04-10T08:00:00Z");
const STARTS = new Date("2027-04-01T00:00:00Z");
const ENDS = new Date("2027-05-31T21:59:59Z");
let poleId: string;
let campaignId: string;
let tierId: string;
let people: string[];
let keys = 0;

async function draft(slug = "grange") {
  const created = await createCampaign(db, {
    poleId,
    slug,
    title: "La grange devient tiers-lieu",
    goalCents: cents(2_000_000),
    mode: "ALL_OR_NOTHING",
    startsAt: STARTS,
    endsAt: ENDS,
  });
  if (!created.ok) throw new Error(created.message);
  return created.value.id;
}

async function tier(campaign: string, cap: number | null, price = 5_000) {
  const added = await addTier(db, {
    poleId,
    campaignId: campaign,
    name: "Carnet de 10 demi-journées",
    kind: "REWARD",
    priceCents: cents(price),
    vatRateBp: 2000,
    cap,
  });
  if (!added.ok) throw new Error(added.message);
  return added.value.id;
}

const input = (overrides: Partial<PledgeInput> = {}): PledgeInput => ({
  poleId,
  campaignId,
  tierId,
  personId: people[0],
  amountCents: cents(5_000),
  method: "STRIPE",
  idempotencyKey: `cle-${++keys}`,
  now: NOW,
  ...overrides,
});

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  people = [];
  for (let i = 0; i < 10; i++) people.push((await createPerson(db, { poleId })).id);
  campaignId = await draft();
  tierId = await tier(campaignId, 5);
  const published = await publishCampaign(db, { poleId, campaignId });
  if (!published.ok) throw new Error(published.message);
});

describe("a capped tier", () => {
  it("takes exactly its cap out of 50 concurrent pledges, the others refused in French", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => pledge(db, input({ personId: people[i % people.length] }))),
    );
    const taken = results.filter((r) => r.ok);
    const refused = results.filter((r) => !r.ok);
    expect(taken).toHaveLength(5);
    expect(refused).toHaveLength(45);
    expect(new Set(refused.map((r) => (!r.ok ? `${r.status} ${r.message}` : "")))).toEqual(
      new Set(["409 Cette contrepartie est épuisée : choisissez-en une autre."]),
    );
    expect(await db.pledge.count()).toBe(5);
    const row = await db.campaignTier.findUniqueOrThrow({ where: { id: tierId } });
    expect([row.claimed, placesLeft(row)]).toEqual([5, 0]);
    // The progress moved with each pledge taken, and only with those.
    expect(await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).toMatchObject({
      pledgedCents: 25_000,
      pledgeCount: 5,
    });
  });

  it("gives a cancelled pledge's place back, and refuses a cancellation after the deadline", async () => {
    const taken = [];
    for (let i = 0; i < 5; i++) {
      const r = await pledge(db, input({ personId: people[i] }));
      if (!r.ok) throw new Error(r.message);
      taken.push(r.value.pledge);
    }
    expect((await pledge(db, input({ personId: people[5] }))).ok).toBe(false);
    const cancelled = await cancelPledge(db, { poleId, pledgeId: taken[0].id, personId: people[0], now: NOW });
    expect(cancelled).toMatchObject({ ok: true, value: { status: "CANCELLED" } });
    expect((await pledge(db, input({ personId: people[5] }))).ok).toBe(true);
    expect(await cancelPledge(db, { poleId, pledgeId: taken[1].id, personId: people[1], now: ENDS })).toMatchObject({
      ok: false,
      code: "CLOSED",
      status: 409,
    });
    // Someone else's pledge is not found, and a cancelled one cannot be cancelled again.
    expect(await cancelPledge(db, { poleId, pledgeId: taken[2].id, personId: people[0], now: NOW })).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(await cancelPledge(db, { poleId, pledgeId: taken[0].id, personId: people[0], now: NOW })).toMatchObject({
      ok: false,
      code: "NOT_CANCELLABLE",
    });
    expect((await db.campaignTier.findUniqueOrThrow({ where: { id: tierId } })).claimed).toBe(5);
    expect(await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).toMatchObject({
      pledgedCents: 25_000,
      pledgeCount: 5,
    });
  });

  it("refuses a pledge past the campaign's ceiling, and gives its place back", async () => {
    await db.campaign.update({ where: { id: campaignId }, data: { pledgedCents: 999_999_000 } });
    const refused = await pledge(db, input({ amountCents: cents(5_000) }));
    expect(refused).toMatchObject({ ok: false, code: "CEILING", status: 409 });
    expect((await db.campaignTier.findUniqueOrThrow({ where: { id: tierId } })).claimed).toBe(0);
    expect(await db.pledge.count()).toBe(0);
  });

  it("is held by the database too: a counter past the cap is refused (23514)", async () => {
    const error = await db.$executeRaw`UPDATE "CampaignTier" SET "claimed" = 6 WHERE "id" = ${tierId}`.catch(
      (e: unknown) => e,
    );
    expect(sqlState(error)).toBe("23514");
  });
});

describe("a pledge", () => {
  it("is replayed, not doubled, when the same form is sent twice", async () => {
    const once = input({ idempotencyKey: "meme-formulaire" });
    const first = await pledge(db, once);
    const second = await pledge(db, once);
    expect(first.ok && second.ok && second.value.replay && second.value.pledge.id === first.value.pledge.id).toBe(true);
    expect((await db.campaignTier.findUniqueOrThrow({ where: { id: tierId } })).claimed).toBe(1);
  });

  it("refuses each bad input with a French message and writes nothing", async () => {
    const otherCampaign = await draft("autre");
    const foreignTier = await tier(otherCampaign, null);
    const cases: [Partial<PledgeInput>, string][] = [
      [{ amountCents: cents(4_999) }, "UNDER_PRICE"],
      [{ tierId: foreignTier }, "UNKNOWN_TIER"],
      [{ campaignId: otherCampaign, tierId: foreignTier }, "NOT_OPEN"],
      [{ now: new Date("2027-03-31T12:00:00Z") }, "NOT_OPEN"],
      [{ now: ENDS }, "CLOSED"],
      [{ campaignId: "inconnue" }, "NOT_FOUND"],
    ];
    for (const [overrides, code] of cases) {
      const refused = await pledge(db, input(overrides));
      expect(refused).toMatchObject({ ok: false, code });
      expect(!refused.ok && refused.message).toMatch(/^[A-ZÀ-Ý]/);
    }
    expect(await db.pledge.count()).toBe(0);
    expect((await db.campaignTier.findUniqueOrThrow({ where: { id: tierId } })).claimed).toBe(0);
  });
});

describe("a campaign", () => {
  it("refuses a deadline before its start, a minimum above its goal, a second slug, and tiers once published", async () => {
    const base = { poleId, title: "X", goalCents: cents(100_000), mode: "KEEP_IT_ALL" as const, startsAt: STARTS };
    expect(await createCampaign(db, { ...base, slug: "a", endsAt: STARTS })).toMatchObject({
      ok: false,
      field: "endsAt",
    });
    expect(await createCampaign(db, { ...base, slug: "b", endsAt: ENDS, minimumCents: cents(100_001) })).toMatchObject({
      ok: false,
      field: "minimumCents",
    });
    expect(await createCampaign(db, { ...base, slug: "grange", endsAt: ENDS })).toMatchObject({
      ok: false,
      code: "SLUG_TAKEN",
      status: 409,
    });
    const late = await addTier(db, { poleId, campaignId, name: "Tard", kind: "GIFT", priceCents: cents(1_000) });
    expect(late).toMatchObject({ ok: false, code: "NOT_DRAFT" });
    const empty = await draft("vide");
    expect(await publishCampaign(db, { poleId, campaignId: empty })).toMatchObject({ ok: false, code: "NO_TIER" });
  });
});
