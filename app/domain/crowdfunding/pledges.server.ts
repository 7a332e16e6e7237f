import type { Pledge } from "~/generated/prisma/client";
import { MAX_CENTS, type Cents } from "~/domain/money";
import { fail, isRefusal, ok, Refusal, type Result } from "~/domain/result";
import { inTransaction, type Client, type Tx } from "~/utils/db.server";
import { lockRow } from "~/utils/row-locks.server";

// Pledging (decision 019). A capped tier's places are claimed with one conditional UPDATE in the pledge's
// transaction — `claimed < cap`, held by a CHECK — never a count then an insert, the way the platforms we studied
// oversold. Pending and secured pledges hold a place; a cancelled one gives it back.

export type PledgeInput = {
  poleId: string;
  campaignId: string;
  tierId: string;
  personId: string;
  /** What the tier costs or more (a free amount above its price); the gift on top is apart. */
  amountCents: Cents;
  giftCents?: Cents;
  anonymous?: boolean;
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
    if (input.amountCents <= 0)
      return fail("AMOUNT", "Indiquez un montant supérieur à zéro.", { field: "amountCents" });
    if (input.amountCents < tier.priceCents)
      return fail("UNDER_PRICE", "Le montant ne peut pas être inférieur au prix de la contrepartie.", {
        field: "amountCents",
      });
    if (!(await claimPlace(tx, tier.id)))
      return fail("SOLD_OUT", "Cette contrepartie est épuisée : choisissez-en une autre.", {
        field: "tierId",
        status: 409,
      });
    // Thrown, not returned: the place just claimed must go back with the rest of the transaction.
    if (!(await addToProgress(tx, campaign.id, input.amountCents + (input.giftCents ?? 0))))
      throw new Refusal("CEILING", "Cette campagne a atteint le plafond de ce que le pôle peut recevoir.", {
        status: 409,
      });
    const created = await tx.pledge.create({
      data: {
        poleId: input.poleId,
        campaignId: campaign.id,
        tierId: tier.id,
        personId: input.personId,
        amountCents: input.amountCents,
        giftCents: input.giftCents ?? 0,
        anonymous: input.anonymous ?? false,
        idempotencyKey: input.idempotencyKey,
      },
    });
    return ok({ pledge: created, replay: false });
  });
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
    if (found.tierId)
      await tx.$executeRaw`UPDATE "CampaignTier" SET "claimed" = "claimed" - 1 WHERE "id" = ${found.tierId}`;
    await addToProgress(tx, found.campaignId, -(found.amountCents + found.giftCents), -1);
    return ok(
      await tx.pledge.update({ where: { id: found.id }, data: { status: "CANCELLED", cancelledAt: input.now } }),
    );
  });
}

/** Places a tier still has, for the campaign page ("3 restantes"); null when it has no cap. */
export function placesLeft(tier: { cap: number | null; claimed: number }) {
  return tier.cap === null ? null : Math.max(tier.cap - tier.claimed, 0);
}
