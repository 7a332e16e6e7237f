import type { CampaignTier, Pledge } from "~/generated/prisma/client";
import { MAX_CENTS, type Cents } from "~/domain/money";
import { paymentUnderWay, type MoneyMethod } from "~/domain/payments/index.server";
import { fail, isRefusal, ok, Refusal, type Result } from "~/domain/result";
import { inTransaction, type Client, type Tx } from "~/utils/db.server";
import { lockRow } from "~/utils/row-locks.server";
import { formatCents } from "~/utils/format";

// Pledging (decision 019). A capped tier's places are claimed with one conditional UPDATE in the pledge's
// transaction — `claimed < cap`, held by a CHECK — never a count then an insert, the way the platforms we studied
// oversold. Pending and secured pledges hold a place; a cancelled one gives it back.

export type PledgeInput = {
  poleId: string;
  campaignId: string;
  tierId: string;
  personId: string;
  /** What the tier costs or more (a free amount above its price); the gift on top is apart. Ignored for shares. */
  amountCents: Cents;
  giftCents?: Cents;
  /** Shares subscribed, for a SHARE tier: a whole number, at least the tier's minimum; the amount follows. */
  shares?: number;
  anonymous?: boolean;
  /** STRIPE: the card is saved (all-or-nothing) or charged at once; an offline method is announced, staff confirm. */
  method: Exclude<MoneyMethod, "CASH">;
  idempotencyKey: string;
  now: Date;
};

export async function pledge(client: Client, input: PledgeInput): Promise<Result<{ pledge: Pledge; replay: boolean }>> {
  try {
    return await openPledge(client, input);
  } catch (error) {
    if (isRefusal(error)) return error.toFailure();
    throw error;
  }
}

function openPledge(client: Client, input: PledgeInput): Promise<Result<{ pledge: Pledge; replay: boolean }>> {
  return inTransaction(client, async (tx) => {
    const replay = await tx.pledge.findUnique({
      where: { poleId_idempotencyKey: { poleId: input.poleId, idempotencyKey: input.idempotencyKey } },
    });
    if (replay) {
      if (replay.personId !== input.personId)
        return fail("NOT_FOUND", "Cette contribution n'existe pas.", { status: 404 });
      return ok({ pledge: replay, replay: true });
    }
    const campaign = await tx.campaign.findFirst({ where: { id: input.campaignId, poleId: input.poleId } });
    if (!campaign) return fail("NOT_FOUND", "Cette campagne n'existe pas.", { status: 404 });
    if (campaign.status !== "PUBLISHED" || input.now < campaign.startsAt)
      return fail("NOT_OPEN", "Cette campagne ne reçoit pas de contributions.", { status: 409 });
    if (input.now >= campaign.endsAt)
      return fail("CLOSED", "Cette campagne est terminée : elle ne reçoit plus de contributions.", { status: 409 });
    const tier = await tx.campaignTier.findFirst({ where: { id: input.tierId, campaignId: campaign.id } });
    if (!tier) return fail("UNKNOWN_TIER", "Choisissez une contrepartie de cette campagne.", { field: "tierId" });
    const amount = amountRefusal(tier, input, campaign.maxPledgeCents);
    if (!amount.ok) return amount;
    if (!(await claimPlace(tx, tier.id)))
      return fail("SOLD_OUT", "Cette contrepartie est épuisée : choisissez-en une autre.", {
        field: "tierId",
        status: 409,
      });
    // Thrown, not returned: the place just claimed must go back with the rest of the transaction.
    if (!(await stillOpen(tx, campaign.id, input.now)))
      throw new Refusal("CLOSED", "Cette campagne est terminée : elle ne reçoit plus de contributions.", {
        status: 409,
      });
    if (!(await addToProgress(tx, campaign.id, amount.value.amountCents + amount.value.giftCents)))
      throw new Refusal("CEILING", "Cette campagne a atteint le plafond de ce que le pôle peut recevoir.", {
        status: 409,
      });
    const created = await tx.pledge.create({
      data: {
        poleId: input.poleId,
        campaignId: campaign.id,
        tierId: tier.id,
        personId: input.personId,
        ...amount.value,
        anonymous: input.anonymous ?? false,
        method: input.method,
        // An announced transfer or cheque is the contributor's promise: it counts like a saved card.
        ...(input.method === "STRIPE" ? {} : { status: "SECURED", securedAt: input.now }),
        idempotencyKey: input.idempotencyKey,
      },
    });
    return ok({ pledge: created, replay: false });
  });
}

/** What the pledge amounts to for its tier: shares priced at their nominal value, any other at least the price. */
export function amountRefusal(
  tier: CampaignTier,
  input: { amountCents: number; giftCents?: number; shares?: number },
  maxPledgeCents: number | null,
): Result<{ amountCents: number; giftCents: number; shares: number | null }> {
  const giftCents = input.giftCents ?? 0;
  if (!Number.isSafeInteger(giftCents) || giftCents < 0)
    return fail("GIFT", "Le don en plus est un montant positif ou nul.", { field: "giftCents" });
  let amountCents = input.amountCents;
  let shares: number | null = null;
  if (tier.kind === "SHARE") {
    shares = input.shares ?? 0;
    if (!Number.isInteger(shares) || shares < 1)
      return fail("SHARES", "Indiquez un nombre entier de parts.", { field: "shares" });
    if (shares < (tier.minShares ?? 1))
      return fail("SHARES", `La souscription compte au moins ${tier.minShares} parts.`, { field: "shares" });
    amountCents = shares * tier.shareNominalCents!;
  } else {
    if (!Number.isSafeInteger(amountCents) || amountCents <= 0)
      return fail("AMOUNT", "Indiquez un montant supérieur à zéro.", { field: "amountCents" });
    if (amountCents < tier.priceCents)
      return fail("UNDER_PRICE", "Le montant ne peut pas être inférieur au prix de la contrepartie.", {
        field: "amountCents",
      });
  }
  const ceiling = Math.min(maxPledgeCents ?? MAX_CENTS, MAX_CENTS);
  if (amountCents + giftCents > ceiling)
    return fail("OVER_CEILING", `Une contribution ne peut pas dépasser ${formatCents(ceiling)}.`, {
      field: "amountCents",
    });
  return ok({ amountCents, giftCents, shares });
}

/** One place of the tier, if it has one left: the row's own count decides, under its lock. */
async function claimPlace(tx: Tx, tierId: string) {
  const claimed = await tx.$executeRaw`
    UPDATE "CampaignTier" SET "claimed" = "claimed" + 1
    WHERE "id" = ${tierId} AND ("cap" IS NULL OR "claimed" < "cap")`;
  return claimed === 1;
}

/**
 * The campaign's progress moves with each pledge, in its transaction (one atomic UPDATE: no read-then-write), up to
 * the stated ceiling of decision 018. False when the pledge would pass it.
 */
async function addToProgress(tx: Tx, campaignId: string, amount: number, count = 1) {
  const moved = await tx.$executeRaw`
    UPDATE "Campaign" SET "pledgedCents" = "pledgedCents" + ${amount}, "pledgeCount" = "pledgeCount" + ${count}
    WHERE "id" = ${campaignId} AND "pledgedCents" + ${amount} <= ${MAX_CENTS}`;
  return moved === 1;
}

/**
 * Whether the campaign still takes pledges, asked of its row under its lock in the pledge's transaction: a closing
 * that started meanwhile (its compare-and-set holds the row) is seen, and the pledge refused with everything else.
 */
async function stillOpen(tx: Tx, campaignId: string, now: Date) {
  const [row] = await tx.$queryRaw<{ open: boolean }[]>`
    SELECT ("status" = 'PUBLISHED' AND "startsAt" <= ${now} AND "endsAt" > ${now}) AS "open"
    FROM "Campaign" WHERE "id" = ${campaignId} FOR UPDATE`;
  return row?.open === true;
}

/** The contributor withdraws before the deadline: the pledge is cancelled and its place goes back to the tier. */
export function cancelPledge(
  client: Client,
  input: { poleId: string; pledgeId: string; personId: string; now: Date },
): Promise<Result<Pledge>> {
  return inTransaction(client, async (tx) => {
    if (!(await lockRow(tx, "Pledge", { id: input.pledgeId, poleId: input.poleId, personId: input.personId })))
      return fail("NOT_FOUND", "Cette contribution n'existe pas.", { status: 404 });
    const found = await tx.pledge.findUniqueOrThrow({ where: { id: input.pledgeId }, include: { campaign: true } });
    if (input.now >= found.campaign.endsAt)
      return fail("CLOSED", "La campagne est terminée : cette contribution ne peut plus changer.", { status: 409 });
    if (!(["PENDING", "SECURED"] as string[]).includes(found.status))
      return fail("NOT_CANCELLABLE", "Cette contribution ne peut plus être annulée.", { status: 409 });
    return ok(await releasePledge(tx, found, "CANCELLED", input.now));
  });
}

/**
 * The contributor changes their pledge before the deadline — another tier, another amount, the gift, their name
 * shown or not — while its money is not in yet. The old place goes back, the new one is claimed, the progress
 * moves by the difference: all or nothing, in one transaction.
 */
export async function changePledge(
  client: Client,
  input: {
    poleId: string;
    pledgeId: string;
    personId: string;
    tierId: string;
    amountCents: Cents;
    giftCents?: Cents;
    shares?: number;
    anonymous: boolean;
    now: Date;
  },
): Promise<Result<Pledge>> {
  try {
    return await inTransaction(client, async (tx) => {
      if (!(await lockRow(tx, "Pledge", { id: input.pledgeId, poleId: input.poleId, personId: input.personId })))
        return fail("NOT_FOUND", "Cette contribution n'existe pas.", { status: 404 });
      const found = await tx.pledge.findUniqueOrThrow({ where: { id: input.pledgeId }, include: { campaign: true } });
      if (found.campaign.status !== "PUBLISHED" || input.now >= found.campaign.endsAt)
        return fail("CLOSED", "La campagne est terminée : cette contribution ne peut plus changer.", { status: 409 });
      if (!(["PENDING", "SECURED"] as string[]).includes(found.status))
        return fail("NOT_CHANGEABLE", "Cette contribution est déjà réglée ou close : elle ne peut plus changer.", {
          status: 409,
        });
      // A payment page open for the pledge charges its amount as it was: changing it now would take the wrong sum.
      const open = await tx.payment.findFirst({ where: { pledgeId: found.id, status: "PENDING" } });
      if (open) return paymentUnderWay("cette contribution", open.processingAt !== null);
      const tier = await tx.campaignTier.findFirst({ where: { id: input.tierId, campaignId: found.campaignId } });
      if (!tier) return fail("UNKNOWN_TIER", "Choisissez une contrepartie de cette campagne.", { field: "tierId" });
      const amount = amountRefusal(tier, input, found.campaign.maxPledgeCents);
      if (!amount.ok) return amount;
      if (tier.id !== found.tierId) {
        if (found.tierId) await releasePlace(tx, found.tierId);
        if (!(await claimPlace(tx, tier.id)))
          throw new Refusal("SOLD_OUT", "Cette contrepartie est épuisée : choisissez-en une autre.", { status: 409 });
      }
      if (!(await stillOpen(tx, found.campaignId, input.now)))
        throw new Refusal("CLOSED", "La campagne est terminée : cette contribution ne peut plus changer.", {
          status: 409,
        });
      const delta = amount.value.amountCents + amount.value.giftCents - (found.amountCents + found.giftCents);
      if (!(await addToProgress(tx, found.campaignId, delta, 0)))
        throw new Refusal("CEILING", "Cette campagne a atteint le plafond de ce que le pôle peut recevoir.", {
          status: 409,
        });
      return ok(
        await tx.pledge.update({
          where: { id: found.id },
          data: { tierId: tier.id, ...amount.value, anonymous: input.anonymous },
        }),
      );
    });
  } catch (error) {
    if (isRefusal(error)) return error.toFailure();
    throw error;
  }
}

/** A place goes back to its tier (the pledge moved to another tier, or ended without its money). */
const releasePlace = (tx: Tx, tierId: string) =>
  tx.$executeRaw`UPDATE "CampaignTier" SET "claimed" = "claimed" - 1 WHERE "id" = ${tierId}`;

/** A live pledge ends without its money: its place goes back to the tier and its amount leaves the progress. */
export async function releasePledge(tx: Tx, pledge: Pledge, status: "CANCELLED" | "LAPSED", now: Date) {
  if (pledge.tierId) await releasePlace(tx, pledge.tierId);
  await addToProgress(tx, pledge.campaignId, -(pledge.amountCents + pledge.giftCents), -1);
  return tx.pledge.update({ where: { id: pledge.id }, data: { status, cancelledAt: now } });
}

/** Places a tier still has, for the campaign page ("3 restantes"); null when it has no cap. */
export function placesLeft(tier: { cap: number | null; claimed: number }) {
  return tier.cap === null ? null : Math.max(tier.cap - tier.claimed, 0);
}
