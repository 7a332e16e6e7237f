import type { Campaign, CampaignTier, PledgeStatus } from "~/generated/prisma/client";
import type { Client } from "~/utils/db.server";
import { isLivePhase, shortName, type CampaignPhase } from "./labels";
import { placesLeft } from "./pledges.server";

// What citizens read of crowdfunding (decision 019): the campaigns, one campaign's page, their own pledges. The
// progress comes from the campaign's own counters (kept in the transaction of each pledge change, frozen at
// closing), never from a scan of its pledges; the named contributors are one page read through an index.

const DAY_MS = 86_400_000;

/** Statuses a visitor sees; a draft is staff's alone. */
const PUBLIC_STATUSES = ["PUBLISHED", "CLOSING", "SUCCEEDED", "FAILED"] as const;

/** Pledges that appear among the contributors: a promise made (card saved, transfer announced) or money in. */
const SHOWN_PLEDGES: PledgeStatus[] = ["SECURED", "COLLECTED"];

/** How many named contributors a campaign page shows (the latest). */
export const NAMED_CONTRIBUTORS_SHOWN = 50;
const NEWS_SHOWN = 10;

export function phaseOf(campaign: Pick<Campaign, "status" | "startsAt" | "endsAt">, now: Date): CampaignPhase {
  switch (campaign.status) {
    case "SUCCEEDED":
      return "SUCCEEDED";
    case "FAILED":
      return "FAILED";
    case "CLOSING":
      return "CLOSING";
    default:
      if (now < campaign.startsAt) return "UPCOMING";
      // Past its deadline a published campaign waits for the closing sweep: it takes no pledge any more.
      return now < campaign.endsAt ? "LIVE" : "CLOSING";
  }
}

type ProgressSource = Pick<
  Campaign,
  | "goalCents"
  | "pledgedCents"
  | "collectedCents"
  | "pledgeCount"
  | "finalPledgedCents"
  | "finalCollectedCents"
  | "finalCount"
  | "endsAt"
>;

/**
 * The progress bar's figures: money received, then what is promised on top (cards saved, transfers announced),
 * against the goal. A closed campaign shows its frozen figures.
 */
export function progressOf(c: ProgressSource, now: Date) {
  const pledged = c.finalPledgedCents ?? c.pledgedCents;
  const collected = Math.min(c.finalCollectedCents ?? c.collectedCents, pledged);
  return {
    goalCents: c.goalCents,
    pledgedCents: pledged,
    collectedCents: collected,
    promisedCents: pledged - collected,
    contributors: c.finalCount ?? c.pledgeCount,
    percent: c.goalCents > 0 ? Math.floor((pledged * 100) / c.goalCents) : 0,
    daysLeft: Math.max(0, Math.ceil((c.endsAt.getTime() - now.getTime()) / DAY_MS)),
  };
}

export type CampaignProgress = ReturnType<typeof progressOf>;

/** /financement: the campaigns still to come or open first (soonest deadline first), then the past ones, latest first. */
export async function listCampaigns(client: Client, input: { poleId: string; now: Date }) {
  const campaigns = await client.campaign.findMany({
    where: { poleId: input.poleId, status: { in: [...PUBLIC_STATUSES] } },
    select: {
      id: true,
      slug: true,
      title: true,
      story: true,
      imageUrl: true,
      mode: true,
      status: true,
      startsAt: true,
      endsAt: true,
      closedAt: true,
      goalCents: true,
      pledgedCents: true,
      collectedCents: true,
      pledgeCount: true,
      finalPledgedCents: true,
      finalCollectedCents: true,
      finalCount: true,
    },
  });
  const cards = campaigns.map(({ story, ...c }) => {
    const phase = phaseOf(c, input.now);
    return { ...c, summary: summaryOf(story), phase, live: isLivePhase(phase), progress: progressOf(c, input.now) };
  });
  const live = cards.filter((c) => c.live).sort((a, b) => a.endsAt.getTime() - b.endsAt.getTime());
  const past = cards.filter((c) => !c.live).sort((a, b) => b.endsAt.getTime() - a.endsAt.getTime());
  return { live, past };
}

/** A card's teaser: the story's first paragraph as plain text (markdown marks dropped), cut at a word. */
export function summaryOf(story: string, max = 220) {
  const first =
    story
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .find((p) => p && !p.startsWith("#") && !p.startsWith("!")) ?? "";
  const plain = first
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`>#]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), max - 30))}…`;
}

export type TierView = CampaignTier & { placesLeft: number | null; soldOut: boolean };

const tierView = (t: CampaignTier): TierView => {
  const left = placesLeft(t);
  return { ...t, placesLeft: left, soldOut: left === 0 };
};

/**
 * A campaign's public page: the campaign (not a draft), its tiers with the places left, the latest news, and the
 * latest named contributors. Null when the pole has no such campaign to show. Its cost does not grow with the
 * number of pledges: the progress is read from the campaign's row, and the contributors are the first rows of an
 * index scan (bench/campaign-page.bench.ts: 10⁵ pledges against 10²).
 */
export async function campaignPage(client: Client, input: { poleId: string; slug: string; now: Date }) {
  const campaign = await client.campaign.findUnique({
    where: { poleId_slug: { poleId: input.poleId, slug: input.slug } },
    include: { tiers: { orderBy: [{ position: "asc" }, { createdAt: "asc" }] } },
  });
  if (!campaign || campaign.status === "DRAFT") return null;
  const [news, contributors] = await Promise.all([
    client.campaignNews.findMany({
      where: { campaignId: campaign.id, publishedAt: { lte: input.now } },
      orderBy: { publishedAt: "desc" },
      take: NEWS_SHOWN,
      select: { id: true, title: true, body: true, publishedAt: true },
    }),
    namedContributors(client, campaign.id),
  ]);
  const { tiers, ...rest } = campaign;
  const phase = phaseOf(campaign, input.now);
  return {
    campaign: rest,
    phase,
    open: phase === "LIVE",
    progress: progressOf(campaign, input.now),
    tiers: tiers.map(tierView),
    news,
    contributors,
  };
}

export type CampaignPageData = NonNullable<Awaited<ReturnType<typeof campaignPage>>>;

/**
 * The latest contributors who chose to be named, first name and initial only. Ordered by id: pledge ids are
 * cuids, which begin with their creation time, so the primary key's index gives the latest first and the scan
 * stops after one page whatever the campaign's size. (An index on ("campaignId", "createdAt") would say it
 * outright: a schema change left to the model's owner.)
 */
async function namedContributors(client: Client, campaignId: string) {
  const rows = await client.$queryRaw<{ id: string; name: string; createdAt: Date }[]>`
    SELECT p."id", pe."name", p."createdAt"
    FROM "Pledge" p JOIN "Person" pe ON pe."id" = p."personId"
    WHERE p."campaignId" = ${campaignId} AND NOT p."anonymous"
      AND p."status"::text IN (${SHOWN_PLEDGES[0]}, ${SHOWN_PLEDGES[1]})
    ORDER BY p."id" DESC
    LIMIT ${NAMED_CONTRIBUTORS_SHOWN}`;
  return rows.map((r) => ({ id: r.id, name: shortName(r.name), since: r.createdAt }));
}

/** The campaign a pledge form is for: open or not (the form says which), with its tiers. */
export async function campaignForPledge(client: Client, input: { poleId: string; slug: string; now: Date }) {
  const campaign = await client.campaign.findUnique({
    where: { poleId_slug: { poleId: input.poleId, slug: input.slug } },
    include: { tiers: { orderBy: [{ position: "asc" }, { createdAt: "asc" }] } },
  });
  if (!campaign || campaign.status === "DRAFT") return null;
  const { tiers, ...rest } = campaign;
  return { campaign: rest, phase: phaseOf(campaign, input.now), tiers: tiers.map(tierView) };
}

const pledgeInclude = {
  campaign: {
    select: {
      id: true,
      slug: true,
      title: true,
      mode: true,
      status: true,
      startsAt: true,
      endsAt: true,
      maxPledgeCents: true,
    },
  },
  tier: true,
} as const;

/**
 * Mon compte › Mes contributions: the person's pledges on this pole, latest first, each with its campaign, its
 * tier and the number of its reward's invoice.
 */
export async function personPledges(client: Client, input: { poleId: string; personId: string }) {
  const pledges = await client.pledge.findMany({
    where: { poleId: input.poleId, personId: input.personId },
    orderBy: { createdAt: "desc" },
    include: pledgeInclude,
  });
  const invoiceIds = pledges.map((p) => p.invoiceId).filter((id): id is string => Boolean(id));
  const numbers = new Map(
    invoiceIds.length
      ? (
          await client.invoice.findMany({
            where: { id: { in: invoiceIds }, poleId: input.poleId },
            select: { id: true, number: true },
          })
        ).map((i) => [i.id, i.number])
      : [],
  );
  return pledges.map((p) => ({ ...p, invoiceNumber: p.invoiceId ? (numbers.get(p.invoiceId) ?? null) : null }));
}

/** One of the person's pledges (null if it is not theirs: the same answer as none). */
export async function personPledge(client: Client, input: { poleId: string; personId: string; pledgeId: string }) {
  return client.pledge.findFirst({
    where: { id: input.pledgeId, poleId: input.poleId, personId: input.personId },
    include: pledgeInclude,
  });
}

export type PersonPledge = NonNullable<Awaited<ReturnType<typeof personPledge>>>;

/** The tiers a contributor may move an open pledge to, by campaign (the change form's choices). */
export async function tiersOfCampaigns(client: Client, campaignIds: string[]) {
  if (campaignIds.length === 0) return new Map<string, TierView[]>();
  const tiers = await client.campaignTier.findMany({
    where: { campaignId: { in: campaignIds } },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
  });
  const byCampaign = new Map<string, TierView[]>();
  for (const t of tiers) byCampaign.set(t.campaignId, [...(byCampaign.get(t.campaignId) ?? []), tierView(t)]);
  return byCampaign;
}
