import type { Campaign, CampaignMode, CampaignTier, TierKind } from "~/generated/prisma/client";
import type { Cents } from "~/domain/money";
import { fail, ok, type Result } from "~/domain/result";
import { isUniqueViolation } from "~/utils/db-errors.server";
import { inTransaction, type Client } from "~/utils/db.server";
import { lockRow } from "~/utils/row-locks.server";

// Campaigns and their tiers (decision 019): a draft staff shape, then publish; pledges are taken only while it is
// published and between its start and its deadline.

export type CampaignInput = {
  poleId: string;
  slug: string;
  title: string;
  story?: string;
  goalCents: Cents;
  minimumCents?: Cents | null;
  optimumCents?: Cents | null;
  mode: CampaignMode;
  startsAt: Date;
  endsAt: Date;
};

export async function createCampaign(client: Client, input: CampaignInput): Promise<Result<Campaign>> {
  const refusal = campaignRefusal(input);
  if (refusal) return refusal;
  try {
    return ok(await client.campaign.create({ data: input }));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return fail("SLUG_TAKEN", "Une autre campagne du pôle a déjà cette adresse.", { field: "slug", status: 409 });
  }
}

function campaignRefusal(input: CampaignInput) {
  if (input.endsAt <= input.startsAt)
    return fail("DATES", "La date limite doit venir après l'ouverture.", { field: "endsAt", status: 422 });
  if (input.minimumCents != null && input.minimumCents > input.goalCents)
    return fail("MINIMUM", "Le minimum ne peut pas dépasser l'objectif.", { field: "minimumCents", status: 422 });
  if (input.optimumCents != null && input.optimumCents < input.goalCents)
    return fail("OPTIMUM", "L'optimum ne peut pas être sous l'objectif.", { field: "optimumCents", status: 422 });
  return null;
}

export type TierInput = {
  poleId: string;
  campaignId: string;
  name: string;
  description?: string;
  kind: TierKind;
  priceCents: Cents;
  symbolic?: boolean;
  vatRateBp?: number;
  cap?: number | null;
};

/** A tier is added while the campaign is a draft: once published, what contributors chose from stays as it was. */
export function addTier(client: Client, input: TierInput): Promise<Result<CampaignTier>> {
  return inTransaction(client, async (tx) => {
    if (!(await lockRow(tx, "Campaign", { id: input.campaignId, poleId: input.poleId })))
      return fail("NOT_FOUND", "Cette campagne n'existe pas.", { status: 404 });
    const campaign = await tx.campaign.findUniqueOrThrow({ where: { id: input.campaignId } });
    if (campaign.status !== "DRAFT")
      return fail("NOT_DRAFT", "Les contreparties se fixent avant la publication.", { status: 409 });
    if (input.cap != null && (!Number.isInteger(input.cap) || input.cap < 1))
      return fail("CAP", "Le nombre de places est un entier d'au moins 1.", { field: "cap", status: 422 });
    const position = await tx.campaignTier.count({ where: { campaignId: campaign.id } });
    const { poleId: _poleId, ...tier } = input;
    return ok(await tx.campaignTier.create({ data: { ...tier, cap: input.cap ?? null, position } }));
  });
}

/** Staff publish a draft that has at least one tier: from its start, it takes pledges. */
export function publishCampaign(client: Client, input: { poleId: string; campaignId: string }) {
  return inTransaction(client, async (tx): Promise<Result<Campaign>> => {
    if (!(await lockRow(tx, "Campaign", { id: input.campaignId, poleId: input.poleId })))
      return fail("NOT_FOUND", "Cette campagne n'existe pas.", { status: 404 });
    const campaign = await tx.campaign.findUniqueOrThrow({ where: { id: input.campaignId } });
    if (campaign.status !== "DRAFT") return fail("NOT_DRAFT", "Cette campagne est déjà publiée.", { status: 409 });
    if ((await tx.campaignTier.count({ where: { campaignId: campaign.id } })) === 0)
      return fail("NO_TIER", "Ajoutez au moins une contrepartie avant de publier.", { status: 422 });
    return ok(await tx.campaign.update({ where: { id: campaign.id }, data: { status: "PUBLISHED" } }));
  });
}
