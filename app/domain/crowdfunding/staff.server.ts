import type { CampaignTier, Pledge } from "~/generated/prisma/client";
import { splitInclTax } from "~/domain/ledger/vat";
import { fromSqlDate, parisDate, type IsoDate } from "~/domain/ledger/index.server";
import { confirmOfflineRefund } from "~/domain/payments/index.server";
import { cents } from "~/domain/money";
import { fail, ok, type Result } from "~/domain/result";
import { inTransaction, type Client, type Db } from "~/utils/db.server";
import { lockRow } from "~/utils/row-locks.server";
import { pledgeParts, pledgeRef, postAdmission, recogniseUse } from "./books.server";
import { lockedPledge, PLEDGE_HANDLERS } from "./payment.server";

// What staff do with pledges once the money is in: hand rewards over, record the board's admission of new
// associates, give back money received for a campaign that failed.

/**
 * Marks rewards handed over (produce, a visit, a name on the wall), one pledge, several, or every collected pledge
 * of a tier. A training credit's deferred revenue is recognised when it is handed over (used).
 */
export function markRewardsDelivered(
  client: Client,
  input: { poleId: string; campaignId: string; pledgeIds?: string[]; tierId?: string; staffId: string; now: Date },
): Promise<Result<{ count: number }>> {
  return inTransaction(client, async (tx) => {
    if (!input.pledgeIds?.length && !input.tierId)
      return fail("NOTHING", "Choisissez les contributions ou la contrepartie à marquer remises.", {
        field: "pledgeIds",
      });
    const pledges = await tx.pledge.findMany({
      where: {
        poleId: input.poleId,
        campaignId: input.campaignId,
        status: "COLLECTED",
        recognisedAt: { not: null },
        fulfilledAt: null,
        tier: { kind: "REWARD" },
        ...(input.pledgeIds?.length ? { id: { in: input.pledgeIds } } : {}),
        ...(input.tierId ? { tierId: input.tierId } : {}),
      },
      include: { tier: true },
      orderBy: { id: "asc" },
    });
    for (const pledge of pledges) {
      const { count } = await tx.pledge.updateMany({
        where: { id: pledge.id, fulfilledAt: null },
        data: { fulfilledAt: input.now },
      });
      if (count === 0 || pledge.tier?.rewardKind !== "TRAINING_CREDIT" || pledge.tier.symbolic) continue;
      await recogniseUse(
        tx,
        {
          poleId: pledge.poleId,
          pledgeId: pledge.id,
          ref: pledgeRef(pledge),
          total: deferredOf(pledge),
          from: 0,
          to: 1,
          of: 1,
        },
        input.now,
      );
    }
    return ok({ count: pledges.length });
  });
}

/** What the reward's invoice deferred: the sale part of the pledge, excluding VAT. */
const deferredOf = (pledge: Pledge & { tier: CampaignTier | null }) =>
  cents(splitInclTax(pledgeParts(pledge).sale, pledge.tier?.vatRateBp ?? 0).exclTax);

/**
 * The board admitted a share subscription: the date is recorded, the shares paid become capital and the person
 * becomes an associate (member rates everywhere). Only for shares paid in a campaign that succeeded.
 */
export function admitShares(
  client: Client,
  input: { poleId: string; pledgeId: string; admittedOn: IsoDate; staffId: string; now: Date },
): Promise<Result<Pledge>> {
  return inTransaction(client, async (tx) => {
    if (!(await lockRow(tx, "Pledge", { id: input.pledgeId, poleId: input.poleId })))
      return fail("NOT_FOUND", "Cette contribution n'existe pas.", { status: 404 });
    const pledge = await lockedPledge(tx, input.pledgeId);
    if (pledge.tier?.kind !== "SHARE")
      return fail("NOT_SHARES", "Cette contribution n'est pas une souscription de parts.", { status: 409 });
    if (pledge.admittedAt) return fail("ALREADY_ADMITTED", "Cette souscription est déjà admise.", { status: 409 });
    if (pledge.status !== "COLLECTED" || !pledge.recognisedAt)
      return fail("NOT_PAID", "Les parts sont admises une fois payées et la campagne réussie.", { status: 409 });
    if (input.admittedOn > parisDate(input.now))
      return fail("FUTURE", "La date d'admission ne peut pas être dans le futur.", { field: "admittedOn" });
    if (input.admittedOn < parisDate(pledge.createdAt))
      return fail("BEFORE_SUBSCRIPTION", "La date d'admission ne peut pas précéder la souscription.", {
        field: "admittedOn",
      });
    await postAdmission(tx, pledge, input.now, input.staffId);
    const membership = await tx.membership.findUnique({
      where: { poleId_personId: { poleId: pledge.poleId, personId: pledge.personId } },
    });
    // An associate pays member rates; staff keep their role (theirs already gives them more).
    if (!membership)
      await tx.membership.create({ data: { poleId: pledge.poleId, personId: pledge.personId, role: "MEMBER" } });
    else if (membership.role === "USER")
      await tx.membership.update({ where: { id: membership.id }, data: { role: "MEMBER" } });
    return ok(
      await tx.pledge.update({
        where: { id: pledge.id },
        data: { admittedAt: new Date(`${input.admittedOn}T12:00:00Z`) },
      }),
    );
  });
}

/** The admission date as the register shows it (a day). */
export const admissionDay = (pledge: Pick<Pledge, "admittedAt">) =>
  pledge.admittedAt ? fromSqlDate(pledge.admittedAt) : null;

/**
 * Staff gave back, by transfer or cheque, money received for a campaign that failed: the refund the closing asked
 * for succeeds, the liability it was held on is cleared, the pledge is REFUNDED.
 */
export function recordPledgeRefund(
  client: Db,
  input: { poleId: string; pledgeId: string; staffId: string; now: Date },
): Promise<Result<Pledge>> {
  return inTransaction(client, async (tx) => {
    const refund = await tx.refund.findFirst({
      where: { poleId: input.poleId, status: { in: ["PENDING", "FAILED"] }, payment: { pledgeId: input.pledgeId } },
    });
    if (!refund)
      return fail("NO_REFUND", "Aucun remboursement n'est à enregistrer pour cette contribution.", { status: 409 });
    const done = await confirmOfflineRefund(tx, { ...input, refundId: refund.id }, PLEDGE_HANDLERS);
    if (!done.ok) return done;
    return ok(await tx.pledge.findUniqueOrThrow({ where: { id: input.pledgeId } }));
  });
}

/**
 * The deferred revenue of rewards that became booklets, recognised as their credits are used (and the rest when
 * the booklet expires): each level posted once, tracked on the pledge.
 */
export async function recogniseUsedRewards(db: Db, now: Date) {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT p."id" FROM "Pledge" p JOIN "Pass" b ON b."id" = p."passId" JOIN "CampaignTier" t ON t."id" = p."tierId"
    WHERE p."creditsRecognised" < b."credits" AND NOT t."symbolic"
      AND (b."creditsUsed" > p."creditsRecognised" OR b."expiresAt" <= ${now})
    ORDER BY p."id" LIMIT 200`;
  for (const { id } of rows) {
    await inTransaction(db, async (tx) => {
      await lockRow(tx, "Pledge", { id });
      const pledge = await tx.pledge.findUniqueOrThrow({ where: { id }, include: { pass: true, tier: true } });
      const pass = pledge.pass!;
      const to = pass.expiresAt && pass.expiresAt <= now ? pass.credits : Math.min(pass.creditsUsed, pass.credits);
      if (to <= pledge.creditsRecognised || pledge.tier?.symbolic) return;
      await recogniseUse(
        tx,
        {
          poleId: pledge.poleId,
          pledgeId: pledge.id,
          ref: pledgeRef(pledge),
          total: deferredOf(pledge),
          from: pledge.creditsRecognised,
          to,
          of: pass.credits,
        },
        now,
      );
      await tx.pledge.update({ where: { id }, data: { creditsRecognised: to } });
    });
  }
  return rows.length;
}
