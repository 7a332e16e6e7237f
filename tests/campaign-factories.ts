import type { CampaignMode, CampaignStatus, RewardKind } from "~/generated/prisma/client";
import { addTier, createCampaign, publishCampaign } from "~/domain/crowdfunding/index.server";
import { cents } from "~/domain/money";
import type { Client } from "~/utils/db.server";

// Campaigns for the public pages' tests and screenshots, made through the domain (createCampaign, addTier,
// publishCampaign) where it can; a share tier is written directly while addTier has no share fields.

const DAY = 86_400_000;

export type TierSpec =
  | {
      kind: "GIFT" | "REWARD";
      name: string;
      priceCents: number;
      description?: string;
      cap?: number | null;
      symbolic?: boolean;
      vatRateBp?: number;
      rewardKind?: RewardKind;
    }
  | {
      kind: "SHARE";
      name: string;
      nominalCents: number;
      minShares: number;
      description?: string;
      college?: string;
      cap?: number | null;
    };

export const STORY = `La grange du domaine, une belle charpente de 1890, attend depuis dix ans. Nous voulons en faire le **tiers-lieu du pôle** : un atelier de transformation partagé, une salle pour les formations et un café associatif.

![La grange vue du chemin](/images/espaces/grange.svg)

## Ce que financera la campagne

- la toiture et l'isolation (objectif minimum) ;
- l'atelier de transformation et sa chambre froide ;
- le mobilier du café (optimum).

> « Un lieu où les paysans, les habitants et les entreprises du pôle se croisent. »

En savoir plus sur [le projet de tiers-lieu](https://exemple.org/grange). <script>alert("jamais")</script>`;

export async function createPublishedCampaign(
  db: Client,
  input: {
    poleId: string;
    slug: string;
    title?: string;
    mode?: CampaignMode;
    goalCents?: number;
    minimumCents?: number | null;
    optimumCents?: number | null;
    startsAt?: Date;
    endsAt?: Date;
    story?: string;
    imageUrl?: string | null;
    tiers: TierSpec[];
    /** Left as a draft, or moved to a closed state after publishing (directly: closing is not these tests' subject). */
    status?: CampaignStatus;
  },
) {
  const now = Date.now();
  const created = await createCampaign(db, {
    poleId: input.poleId,
    slug: input.slug,
    title: input.title ?? "La grange devient tiers-lieu",
    story: input.story ?? STORY,
    goalCents: cents(input.goalCents ?? 2_000_000),
    minimumCents: input.minimumCents == null ? null : cents(input.minimumCents),
    optimumCents: input.optimumCents == null ? null : cents(input.optimumCents),
    mode: input.mode ?? "ALL_OR_NOTHING",
    startsAt: input.startsAt ?? new Date(now - 10 * DAY),
    endsAt: input.endsAt ?? new Date(now + 30 * DAY),
  });
  if (!created.ok) throw new Error(created.message);
  const campaign = created.value;
  if (input.imageUrl !== undefined)
    await db.campaign.update({ where: { id: campaign.id }, data: { imageUrl: input.imageUrl } });
  const tiers: Record<string, string> = {};
  for (const [position, t] of input.tiers.entries()) {
    if (t.kind === "SHARE") {
      const tier = await db.campaignTier.create({
        data: {
          campaignId: campaign.id,
          name: t.name,
          description: t.description ?? "",
          kind: "SHARE",
          priceCents: t.nominalCents * t.minShares,
          shareNominalCents: t.nominalCents,
          minShares: t.minShares,
          college: t.college ?? "Citoyens",
          cap: t.cap ?? null,
          position,
        },
      });
      tiers[t.name] = tier.id;
      continue;
    }
    const added = await addTier(db, {
      poleId: input.poleId,
      campaignId: campaign.id,
      name: t.name,
      description: t.description,
      kind: t.kind,
      priceCents: cents(t.priceCents),
      symbolic: t.symbolic,
      vatRateBp: t.vatRateBp ?? (t.kind === "REWARD" && !t.symbolic ? 2000 : 0),
      cap: t.cap ?? null,
    });
    if (!added.ok) throw new Error(added.message);
    if (t.rewardKind)
      await db.campaignTier.update({ where: { id: added.value.id }, data: { rewardKind: t.rewardKind } });
    tiers[t.name] = added.value.id;
  }
  if (input.status !== "DRAFT") {
    const published = await publishCampaign(db, { poleId: input.poleId, campaignId: campaign.id });
    if (!published.ok) throw new Error(published.message);
    if (input.status && input.status !== "PUBLISHED")
      await db.campaign.update({ where: { id: campaign.id }, data: { status: input.status } });
  }
  return { id: campaign.id, slug: campaign.slug, tiers };
}
