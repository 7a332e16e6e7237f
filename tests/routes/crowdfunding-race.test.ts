import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { createPublishedCampaign } from "../campaign-factories";
import { createPerson, createPole } from "../factories";
import { resetDatabase, sessionCookie } from "../helpers";
import { useHttpServer } from "../http-server";

// Never oversold, proven through the real HTTP server: 50 citizens press "Contribuer" at once on the last 5
// places of a capped tier. The tier's claimed counter, moved by one conditional UPDATE and held by a CHECK, lets 5
// through; the others get a clear French 409 and nothing is written for them.
// (On the embedded database requests are served one at a time, so there the race cannot really collide.)

const server = useHttpServer();
const people: string[] = [];
let slug: string;
let tierId: string;
let campaignId: string;

beforeAll(async () => {
  await resetDatabase();
  const pole = await createPole(db);
  const campaign = await createPublishedCampaign(db, {
    poleId: pole.id,
    slug: "grange-course",
    tiers: [{ kind: "REWARD", name: "Carnet coworking", priceCents: 12_000, cap: 20 }],
  });
  slug = campaign.slug;
  campaignId = campaign.id;
  tierId = campaign.tiers["Carnet coworking"];
  // 15 of the 20 places are taken already: 5 are left.
  await db.campaignTier.update({ where: { id: tierId }, data: { claimed: 15 } });
  for (let i = 0; i < 50; i++) people.push(await sessionCookie((await createPerson(db, { poleId: pole.id })).id));
});

describe("50 concurrent pledges on the last 5 places of a tier", () => {
  it("end with exactly 5 pledges and 45 refusals in French", async () => {
    const responses = await Promise.all(
      people.map((cookie, i) =>
        fetch(`${server.baseUrl}/financement/${slug}/contribuer`, {
          method: "POST",
          redirect: "manual",
          headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            tierId,
            amount: "120,00",
            visibility: "named",
            method: "TRANSFER",
            idempotencyKey: `course-contribution-${i}`,
          }),
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 302)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(45);
    const refusal = await responses.find((r) => r.status === 409)!.text();
    expect(refusal).toContain("Cette contrepartie est épuisée : choisissez-en une autre.");
    expect(await db.pledge.count({ where: { campaignId } })).toBe(5);
    const tier = await db.campaignTier.findUniqueOrThrow({ where: { id: tierId } });
    expect(tier.claimed).toBe(20);
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect([campaign.pledgeCount, campaign.pledgedCents]).toEqual([5, 5 * 12_000]);
  });
});
