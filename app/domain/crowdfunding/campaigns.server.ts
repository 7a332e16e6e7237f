import type { Campaign, CampaignMode, CampaignTier, RewardKind, TierKind } from "~/generated/prisma/client";
import { cents, MAX_CENTS, type Cents } from "~/domain/money";
import { fail, ok, type Result } from "~/domain/result";
import { isUniqueViolation } from "~/utils/db-errors.server";
import { inTransaction, type Client, type Tx } from "~/utils/db.server";
import { lockRow } from "~/utils/row-locks.server";
import { TIER_VAT_RATES } from "./staff-labels";

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
  /** An image from public/ (a path such as "/images/financement/grange.svg"). */
  imageUrl?: string | null;
  /** The largest single pledge (amount + gift) the campaign takes; none but the stated ceiling when null. */
  maxPledgeCents?: Cents | null;
};

export async function createCampaign(client: Client, input: CampaignInput): Promise<Result<Campaign>> {
  const refusal = campaignRefusal(input);
  if (refusal) return refusal;
  try {
    return ok(await client.campaign.create({ data: input }));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return slugTaken();
  }
}

const slugTaken = () =>
  fail("SLUG_TAKEN", "Une autre campagne du pôle a déjà cette adresse.", { field: "slug", status: 409 });

function campaignRefusal(input: CampaignFigures) {
  if (!Number.isSafeInteger(input.goalCents) || input.goalCents <= 0)
    return fail("GOAL", "L'objectif est un montant supérieur à zéro.", { field: "goalCents", status: 422 });
  if (input.endsAt <= input.startsAt)
    return fail("DATES", "La date limite doit venir après l'ouverture.", { field: "endsAt", status: 422 });
  if (input.minimumCents != null && input.minimumCents <= 0)
    return fail("MINIMUM", "Le minimum est un montant supérieur à zéro.", { field: "minimumCents", status: 422 });
  if (input.minimumCents != null && input.minimumCents > input.goalCents)
    return fail("MINIMUM", "Le minimum ne peut pas dépasser l'objectif.", { field: "minimumCents", status: 422 });
  if (input.optimumCents != null && input.optimumCents < input.goalCents)
    return fail("OPTIMUM", "L'optimum ne peut pas être sous l'objectif.", { field: "optimumCents", status: 422 });
  if (input.maxPledgeCents != null && input.maxPledgeCents <= 0)
    return fail("MAX_PLEDGE", "Le plafond par contribution est un montant supérieur à zéro.", {
      field: "maxPledgeCents",
      status: 422,
    });
  return null;
}

/** What a published campaign still lets staff change: its words and its picture. */
type CampaignText = { title: string; story?: string; imageUrl?: string | null };
/** What a published campaign keeps as contributors read it: its money, its dates, its mode, its address. */
type CampaignFigures = Pick<
  CampaignInput,
  "goalCents" | "minimumCents" | "optimumCents" | "mode" | "startsAt" | "endsAt" | "maxPledgeCents"
>;

export type CampaignUpdate = { poleId: string; campaignId: string } & CampaignText &
  Partial<CampaignFigures & { slug: string }>;

const FIGURES = [
  "slug",
  "goalCents",
  "minimumCents",
  "optimumCents",
  "mode",
  "startsAt",
  "endsAt",
  "maxPledgeCents",
] as const;

const sameValue = (a: unknown, b: unknown) =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : (a ?? null) === (b ?? null);

/**
 * Staff edit a campaign. A draft changes in everything; once published, contributors pledged against its goal,
 * dates and mode, so only its title, story and image change — any other field sent with a new value is refused.
 */
export async function updateCampaign(client: Client, input: CampaignUpdate): Promise<Result<Campaign>> {
  try {
    return await editCampaign(client, input);
  } catch (error) {
    // Another campaign took the address between the check and the write: the unique index said so.
    if (!isUniqueViolation(error)) throw error;
    return slugTaken();
  }
}

function editCampaign(client: Client, input: CampaignUpdate): Promise<Result<Campaign>> {
  return inTransaction(client, async (tx) => {
    const campaign = await lockedCampaign(tx, input);
    if (!campaign) return fail("NOT_FOUND", "Cette campagne n'existe pas.", { status: 404 });
    const text = { title: input.title, story: input.story ?? "", imageUrl: input.imageUrl ?? null };
    if (campaign.status !== "DRAFT") {
      const changed = FIGURES.find(
        (key) => key in input && input[key] !== undefined && !sameValue(input[key], campaign[key]),
      );
      if (changed)
        return fail("PUBLISHED", "Une campagne publiée garde son adresse, son objectif, ses dates et son mode.", {
          field: changed,
          status: 409,
        });
      return ok(await tx.campaign.update({ where: { id: campaign.id }, data: text }));
    }
    const figures: CampaignFigures = {
      goalCents: input.goalCents ?? (campaign.goalCents as Cents),
      minimumCents: input.minimumCents === undefined ? (campaign.minimumCents as Cents | null) : input.minimumCents,
      optimumCents: input.optimumCents === undefined ? (campaign.optimumCents as Cents | null) : input.optimumCents,
      mode: input.mode ?? campaign.mode,
      startsAt: input.startsAt ?? campaign.startsAt,
      endsAt: input.endsAt ?? campaign.endsAt,
      maxPledgeCents:
        input.maxPledgeCents === undefined ? (campaign.maxPledgeCents as Cents | null) : input.maxPledgeCents,
    };
    const refusal = campaignRefusal(figures);
    if (refusal) return refusal;
    const slug = input.slug ?? campaign.slug;
    if (
      slug !== campaign.slug &&
      (await tx.campaign.findFirst({ where: { poleId: input.poleId, slug }, select: { id: true } }))
    )
      return slugTaken();
    return ok(await tx.campaign.update({ where: { id: campaign.id }, data: { ...text, ...figures, slug } }));
  });
}

async function lockedCampaign(tx: Tx, input: { poleId: string; campaignId: string }) {
  if (!(await lockRow(tx, "Campaign", { id: input.campaignId, poleId: input.poleId }))) return null;
  return tx.campaign.findUniqueOrThrow({ where: { id: input.campaignId } });
}

export type TierInput = {
  poleId: string;
  campaignId: string;
  name: string;
  description?: string;
  kind: TierKind;
  /** For a share tier the price follows from the nominal value and the minimum: any price given is ignored. */
  priceCents: Cents;
  symbolic?: boolean;
  vatRateBp?: number;
  cap?: number | null;
  rewardKind?: RewardKind | null;
  passProductId?: string | null;
  shareNominalCents?: Cents | null;
  minShares?: number | null;
  college?: string | null;
};

/** What a tier is, once its kind has said which fields it takes: a share's price is its nominal × its minimum. */
async function tierData(tx: Tx, input: TierInput): Promise<Result<Omit<TierInput, "poleId" | "campaignId">>> {
  if (input.cap != null && (!Number.isInteger(input.cap) || input.cap < 1))
    return fail("CAP", "Le nombre de places est un entier d'au moins 1.", { field: "cap", status: 422 });
  const common = { name: input.name, description: input.description ?? "", kind: input.kind, cap: input.cap ?? null };
  const none = { symbolic: false, vatRateBp: 0, rewardKind: null, passProductId: null };
  if (input.kind === "SHARE") {
    const nominal = input.shareNominalCents;
    if (nominal == null || !Number.isSafeInteger(nominal) || nominal <= 0)
      return fail("NOMINAL", "Indiquez la valeur nominale d'une part sociale.", {
        field: "shareNominalCents",
        status: 422,
      });
    const minShares = input.minShares ?? 1;
    if (!Number.isInteger(minShares) || minShares < 1)
      return fail("MIN_SHARES", "Le nombre minimum de parts est un entier d'au moins 1.", {
        field: "minShares",
        status: 422,
      });
    if (nominal * minShares > MAX_CENTS)
      return fail("PRICE", "Une souscription minimale ne peut pas dépasser le plafond d'un montant.", {
        field: "minShares",
        status: 422,
      });
    const college = input.college?.trim();
    if (!college)
      return fail("COLLEGE", "Indiquez le collège des associés de ces parts.", { field: "college", status: 422 });
    return ok({
      ...common,
      ...none,
      priceCents: cents(nominal * minShares),
      shareNominalCents: nominal,
      minShares,
      college,
    });
  }
  if (!Number.isSafeInteger(input.priceCents) || input.priceCents <= 0 || input.priceCents > MAX_CENTS)
    return fail("PRICE", "Le prix est un montant supérieur à zéro.", { field: "priceCents", status: 422 });
  const shares = { shareNominalCents: null, minShares: null, college: null };
  if (input.kind === "GIFT") return ok({ ...common, ...none, ...shares, priceCents: input.priceCents });
  const vatRateBp = input.vatRateBp ?? 0;
  if (!(TIER_VAT_RATES as readonly number[]).includes(vatRateBp))
    return fail("VAT", "Choisissez un taux de TVA : 0 %, 5,5 %, 10 % ou 20 %.", { field: "vatRateBp", status: 422 });
  const rewardKind = input.rewardKind ?? "OTHER";
  let passProductId: string | null = null;
  if (rewardKind === "BOOKLET") {
    const product = input.passProductId
      ? await tx.passProduct.findFirst({
          where: { id: input.passProductId, poleId: input.poleId },
          select: { id: true },
        })
      : null;
    if (!product) return fail("PASS_PRODUCT", "Choisissez un carnet du pôle.", { field: "passProductId", status: 422 });
    passProductId = product.id;
  }
  const symbolic = input.symbolic ?? false;
  return ok({
    ...common,
    ...shares,
    priceCents: input.priceCents,
    symbolic,
    // A token thank-you keeps the pledge a gift: no sale, so no VAT whatever rate was chosen.
    vatRateBp: symbolic ? 0 : vatRateBp,
    rewardKind,
    passProductId,
  });
}

/** The draft a tier belongs to, locked; a published campaign's tiers stay what contributors chose from. */
async function lockedDraft(tx: Tx, input: { poleId: string; campaignId: string }) {
  const campaign = await lockedCampaign(tx, input);
  if (!campaign) return fail("NOT_FOUND", "Cette campagne n'existe pas.", { status: 404 });
  if (campaign.status !== "DRAFT")
    return fail("NOT_DRAFT", "Les contreparties se fixent avant la publication.", { status: 409 });
  return ok(campaign);
}

/** A tier is added while the campaign is a draft: once published, what contributors chose from stays as it was. */
export function addTier(client: Client, input: TierInput): Promise<Result<CampaignTier>> {
  return inTransaction(client, async (tx) => {
    const campaign = await lockedDraft(tx, input);
    if (!campaign.ok) return campaign;
    const data = await tierData(tx, input);
    if (!data.ok) return data;
    const position = await tx.campaignTier.count({ where: { campaignId: campaign.value.id } });
    return ok(await tx.campaignTier.create({ data: { ...data.value, campaignId: campaign.value.id, position } }));
  });
}

/** A draft's tier rewritten whole (its kind included). */
export function updateTier(client: Client, input: TierInput & { tierId: string }): Promise<Result<CampaignTier>> {
  return inTransaction(client, async (tx) => {
    const campaign = await lockedDraft(tx, input);
    if (!campaign.ok) return campaign;
    const tier = await tx.campaignTier.findFirst({ where: { id: input.tierId, campaignId: campaign.value.id } });
    if (!tier) return fail("NOT_FOUND", "Cette contrepartie n'existe pas.", { status: 404 });
    const data = await tierData(tx, input);
    if (!data.ok) return data;
    return ok(await tx.campaignTier.update({ where: { id: tier.id }, data: data.value }));
  });
}

/** A draft's tier removed (a draft has no pledge to hold it). */
export function removeTier(
  client: Client,
  input: { poleId: string; campaignId: string; tierId: string },
): Promise<Result<CampaignTier>> {
  return inTransaction(client, async (tx) => {
    const campaign = await lockedDraft(tx, input);
    if (!campaign.ok) return campaign;
    const tier = await tx.campaignTier.findFirst({ where: { id: input.tierId, campaignId: campaign.value.id } });
    if (!tier) return fail("NOT_FOUND", "Cette contrepartie n'existe pas.", { status: 404 });
    if ((await tx.pledge.count({ where: { tierId: tier.id } })) > 0)
      return fail("HAS_PLEDGES", "Des contributions portent sur cette contrepartie : elle reste.", { status: 409 });
    await tx.campaignTier.delete({ where: { id: tier.id } });
    return ok(tier);
  });
}

/**
 * Staff publish a draft that has at least one tier: from its start, it takes pledges. `now`: a draft whose deadline
 * has passed is refused (the sweep would close it at once, as failed).
 */
export function publishCampaign(client: Client, input: { poleId: string; campaignId: string; now?: Date }) {
  return inTransaction(client, async (tx): Promise<Result<Campaign>> => {
    if (!(await lockRow(tx, "Campaign", { id: input.campaignId, poleId: input.poleId })))
      return fail("NOT_FOUND", "Cette campagne n'existe pas.", { status: 404 });
    const campaign = await tx.campaign.findUniqueOrThrow({ where: { id: input.campaignId } });
    if (campaign.status !== "DRAFT") return fail("NOT_DRAFT", "Cette campagne est déjà publiée.", { status: 409 });
    if (input.now && campaign.endsAt <= input.now)
      return fail("PAST_DEADLINE", "Sa date limite est passée : reportez-la avant de publier.", {
        field: "endsAt",
        status: 409,
      });
    if ((await tx.campaignTier.count({ where: { campaignId: campaign.id } })) === 0)
      return fail("NO_TIER", "Ajoutez au moins une contrepartie avant de publier.", { status: 422 });
    return ok(await tx.campaign.update({ where: { id: campaign.id }, data: { status: "PUBLISHED" } }));
  });
}
