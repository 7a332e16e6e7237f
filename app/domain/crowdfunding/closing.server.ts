import type { Campaign } from "~/generated/prisma/client";
import { campaignFailedEmail, pledgeLapsedEmail } from "~/emails/crowdfunding";
import { cents } from "~/domain/money";
import { chargeSavedCard, releaseSavedCard, requestRefund, type Stripe } from "~/domain/payments/index.server";
import { fail, ok, type Result } from "~/domain/result";
import { inTransaction, type Client, type Db, type Tx } from "~/utils/db.server";
import { sendEmail, type EmailMessage } from "~/utils/email.server";
import { appUrl } from "~/utils/env.server";
import { formatCents } from "~/utils/format";
import { pledgeRef } from "./books.server";
import { lockedPledge, PLEDGE_HANDLERS, pledgePurpose, requireAction } from "./payment.server";
import { releasePledge } from "./pledges.server";
import { afterSuccess } from "./success.server";

// Closing a campaign, exactly once (decision 019). One compare-and-set moves it from PUBLISHED to CLOSING and
// decides the outcome from the pledges themselves (not the running totals); then each pledge is settled in a
// transaction of its own, claimed with SKIP LOCKED, so that a run that dies halfway is finished by the next one:
// a pledge already charged is not charged again (its attempt is a payment row with its own idempotency key),
// none is missed (the campaign stays CLOSING until no pledge is left to settle).

const BATCH = 50;

/** What counts toward the goal now: pledges whose money is in or promised (a saved card, an announced transfer). */
async function counted(tx: Client, campaignId: string) {
  const [row] = await tx.$queryRaw<{ total: bigint | null }[]>`
    SELECT sum("amountCents" + "giftCents")::bigint AS total FROM "Pledge"
    WHERE "campaignId" = ${campaignId} AND "status"::text IN ('SECURED', 'COLLECTED')`;
  return Number(row.total ?? 0);
}

/** The threshold of success: the minimum when the campaign states one (Goteo), else the goal. */
const threshold = (campaign: Pick<Campaign, "goalCents" | "minimumCents">) =>
  campaign.minimumCents ?? campaign.goalCents;

/** What closing now would decide, for staff before they close early. */
export async function closingPreview(client: Client, input: { poleId: string; campaignId: string }) {
  const campaign = await client.campaign.findFirst({ where: { id: input.campaignId, poleId: input.poleId } });
  if (!campaign) return fail("NOT_FOUND", "Cette campagne n'existe pas.", { status: 404 });
  const countedCents = await counted(client, campaign.id);
  return ok({
    succeeded: campaign.mode === "KEEP_IT_ALL" || countedCents >= threshold(campaign),
    countedCents,
    goalCents: threshold(campaign),
  });
}

/**
 * Moves a published campaign to CLOSING and decides its outcome, once: the conditional UPDATE lets one run
 * through, whichever asks first (the sweep at the deadline, staff closing early). `early`: before its deadline.
 */
async function startClosing(db: Client, campaignId: string, now: Date, early: boolean) {
  return inTransaction(db, async (tx) => {
    const moved = early
      ? await tx.$executeRaw`UPDATE "Campaign" SET "status" = 'CLOSING', "closedAt" = ${now}, "endsAt" = LEAST("endsAt", ${now})
          WHERE "id" = ${campaignId} AND "status" = 'PUBLISHED'`
      : await tx.$executeRaw`UPDATE "Campaign" SET "status" = 'CLOSING', "closedAt" = ${now}
          WHERE "id" = ${campaignId} AND "status" = 'PUBLISHED' AND "endsAt" <= ${now}`;
    if (moved === 0) return false;
    const campaign = await tx.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    // Counted under the campaign's new status: no pledge can join or leave it any more.
    const total = await counted(tx, campaignId);
    await tx.campaign.update({
      where: { id: campaignId },
      data: {
        succeeded: campaign.mode === "KEEP_IT_ALL" || total >= threshold(campaign),
        finalPledgedCents: total,
      },
    });
    return true;
  });
}

type Context = { stripe: Stripe | null; now: Date };

/**
 * The pool a card is charged through: each attempt commits its payment row before Stripe is asked, which a
 * caller's transaction would undo with a crash. Closing on the offline path (the demo's seed) may run in one.
 */
function pool(client: Client): Db {
  if (typeof (client as Partial<Db>).$transaction !== "function")
    throw new Error("Une carte se débite hors de toute transaction : clôturez depuis le pool.");
  return client as Db;
}

/** The sweep: closes the campaigns whose deadline passed, and finishes any closing a run left halfway. */
export async function sweepCampaignClosings(db: Client, context: Context) {
  const due = await db.campaign.findMany({
    where: { status: "PUBLISHED", endsAt: { lte: context.now } },
    select: { id: true },
  });
  for (const c of due) await startClosing(db, c.id, context.now, false);
  const closing = await db.campaign.findMany({ where: { status: "CLOSING" }, select: { id: true } });
  let settled = 0;
  for (const c of closing) settled += await settleClosing(db, c.id, context);
  return { closed: due.length, settled };
}

/** Staff close a campaign before its deadline (after the preview): the same closing, now. */
export async function closeCampaignNow(
  db: Db,
  stripe: Stripe | null,
  input: { poleId: string; campaignId: string; now: Date },
): Promise<Result<{ succeeded: boolean }>> {
  const campaign = await db.campaign.findFirst({ where: { id: input.campaignId, poleId: input.poleId } });
  if (!campaign) return fail("NOT_FOUND", "Cette campagne n'existe pas.", { status: 404 });
  if (campaign.status !== "PUBLISHED" && campaign.status !== "CLOSING")
    return fail("NOT_OPEN", "Seule une campagne publiée se clôt.", { status: 409 });
  await startClosing(db, campaign.id, input.now, true);
  await settleClosing(db, campaign.id, { stripe, now: input.now });
  const closed = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
  return ok({ succeeded: closed.succeeded === true });
}

/**
 * Settles the pledges of a CLOSING campaign, a batch at a time, then marks it SUCCEEDED or FAILED with its final
 * figures once none is left. Returns how many pledges it settled.
 */
export async function settleClosing(db: Client, campaignId: string, context: Context) {
  const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  if (campaign.status !== "CLOSING") return 0;
  // Each pledge is tried once per run: a charge Stripe could not take now (unreachable) stays SECURED for the next.
  const tried: string[] = [];
  for (;;) {
    const batch = await claimBatch(db, campaign, BATCH, tried);
    if (batch.length === 0) break;
    for (const id of batch) {
      if (campaign.succeeded) await settleSuccess(db, id, context);
      else await settleFailure(db, id, context);
      tried.push(id);
    }
  }
  const settled = tried.length;
  if ((await claimBatch(db, campaign, 1, [])).length > 0) return settled;
  await db.$executeRaw`UPDATE "Campaign" SET
      "status" = ${campaign.succeeded ? "SUCCEEDED" : "FAILED"}::"CampaignStatus",
      "finalCollectedCents" = "collectedCents",
      "finalCount" = (SELECT count(*) FROM "Pledge" WHERE "campaignId" = ${campaign.id}
                      AND "status"::text IN ('SECURED', 'COLLECTED', 'ACTION_REQUIRED'))
    WHERE "id" = ${campaign.id} AND "status" = 'CLOSING'`;
  return settled;
}

/**
 * The pledges still to settle, oldest first, skipping those another run holds and those this run tried. Success:
 * PENDING ones (no card was ever saved: they lapse), SECURED ones (to charge or to ask for) and COLLECTED ones not
 * recognised yet. Failure: every pledge still live.
 */
function claimBatch(db: Client, campaign: Campaign, limit: number, skip: string[]) {
  return inTransaction(db, async (tx) => {
    const rows = campaign.succeeded
      ? await tx.$queryRaw<{ id: string }[]>`
          SELECT "id" FROM "Pledge" WHERE "campaignId" = ${campaign.id}
            AND ("status"::text IN ('PENDING', 'SECURED') OR ("status" = 'COLLECTED' AND "recognisedAt" IS NULL))
            AND NOT ("id" = ANY(${skip}::text[]))
          ORDER BY "createdAt", "id" LIMIT ${limit} FOR UPDATE SKIP LOCKED`
      : await tx.$queryRaw<{ id: string }[]>`
          SELECT "id" FROM "Pledge" WHERE "campaignId" = ${campaign.id}
            AND ("status"::text IN ('PENDING', 'SECURED')
                 OR ("status" = 'COLLECTED' AND NOT EXISTS (SELECT 1 FROM "Refund" r JOIN "Payment" p ON p."id" = r."paymentId"
                                                            WHERE p."pledgeId" = "Pledge"."id")))
            AND NOT ("id" = ANY(${skip}::text[]))
          ORDER BY "createdAt", "id" LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    return rows.map((r) => r.id);
  });
}

/** Success: money in is recognised; a saved card is charged off-session; an announced transfer is asked for. */
async function settleSuccess(db: Client, pledgeId: string, context: Context) {
  const pledge = await db.pledge.findUniqueOrThrow({ where: { id: pledgeId }, include: { campaign: true } });
  if (pledge.status === "SECURED" && pledge.method === "STRIPE") {
    if (!context.stripe || !pledge.stripeCustomerId || !pledge.stripePaymentMethodId) {
      // No card to charge after all (keys removed): the contributor pays on a page within the grace period.
      await settleInTransaction(db, context, (tx) =>
        lockedPledge(tx, pledgeId).then((p) => (p.status === "SECURED" ? requireAction(tx, p, context.now) : [])),
      );
      return;
    }
    await chargeSavedCard(
      pool(db),
      context.stripe,
      {
        poleId: pledge.poleId,
        handler: pledgePurpose,
        targetId: pledge.id,
        personId: pledge.personId,
        amountCents: cents(pledge.amountCents + pledge.giftCents),
        customerId: pledge.stripeCustomerId,
        paymentMethodId: pledge.stripePaymentMethodId,
        description: `Contribution ${pledgeRef(pledge)} — ${pledge.campaign.title}`,
        now: context.now,
        stillDue: async (tx) => (await lockedPledge(tx, pledge.id)).status === "SECURED",
      },
      PLEDGE_HANDLERS,
    );
    return;
  }
  await settleInTransaction(db, context, async (tx) => {
    const locked = await lockedPledge(tx, pledgeId);
    if (locked.status === "PENDING") {
      await releasePledge(tx, locked, "CANCELLED", context.now);
      return [];
    }
    if (locked.status === "SECURED") return requireAction(tx, locked, context.now);
    if (locked.status === "COLLECTED") return afterSuccess(tx, locked, context.now);
    return [];
  });
}

/** Failure: nothing is charged; saved cards are let go; money received offline is owed back (staff repay it). */
async function settleFailure(db: Client, pledgeId: string, context: Context) {
  let release: string | null = null;
  await settleInTransaction(db, context, async (tx) => {
    const pledge = await lockedPledge(tx, pledgeId);
    const pole = await tx.pole.findUniqueOrThrow({ where: { id: pledge.poleId }, select: { name: true } });
    let refunded = false;
    if (pledge.status === "COLLECTED") {
      const payment = pledge.collectedPaymentId
        ? await tx.payment.findUnique({ where: { id: pledge.collectedPaymentId } })
        : null;
      // Asked once: a second run that claimed the pledge too finds the first one's request under the pledge's lock.
      if (payment && (await tx.refund.count({ where: { paymentId: payment.id } })) > 0) return [];
      if (payment) {
        const asked = await requestRefund(tx, {
          poleId: pledge.poleId,
          paymentId: payment.id,
          amountCents: cents(payment.amountCents),
          reason: `Campagne « ${pledge.campaign.title} » non aboutie — ${pledgeRef(pledge)}`.slice(0, 200),
        });
        if (!asked.ok) throw new Error(asked.message);
        refunded = true;
      }
    } else if (pledge.status === "PENDING" || pledge.status === "SECURED") {
      await tx.pledge.update({ where: { id: pledge.id }, data: { status: "CANCELLED", cancelledAt: context.now } });
      release = pledge.stripePaymentMethodId;
    } else return [];
    return [failedEmail(pledge, pole.name, refunded)];
  });
  if (release && context.stripe) await releaseSavedCard(context.stripe, release);
}

function failedEmail(pledge: Awaited<ReturnType<typeof lockedPledge>>, poleName: string, refunded: boolean) {
  const content = campaignFailedEmail({
    poleName,
    name: pledge.person.name,
    url: `${appUrl()}/compte/contributions`,
    campaign: pledge.campaign.title,
    amount: formatCents(pledge.amountCents + pledge.giftCents),
    refunded,
  });
  return { poleId: pledge.poleId, to: pledge.person.email, ...content } satisfies EmailMessage;
}

async function settleInTransaction(db: Client, context: Context, step: (tx: Tx) => Promise<EmailMessage[]>) {
  // Sent once the step committed (in the outbox when there is no SMTP): a rolled-back step mailed no one.
  for (const email of await inTransaction(db, step)) await sendEmail(email, db);
}

/**
 * The grace sweep: pledges whose charge at success failed and that were not paid within the grace period lapse —
 * their place goes back to the tier and their amount leaves the campaign's progress.
 */
export async function lapseUnpaidPledges(db: Db, now: Date) {
  const due = await db.pledge.findMany({
    where: { status: "ACTION_REQUIRED", graceEndsAt: { lte: now } },
    select: { id: true },
    take: 200,
  });
  let lapsed = 0;
  for (const { id } of due) {
    const email = await inTransaction(db, async (tx) => {
      const pledge = await lockedPledge(tx, id);
      if (pledge.status !== "ACTION_REQUIRED" || !pledge.graceEndsAt || pledge.graceEndsAt > now) return null;
      // A payment page still open: its outcome decides (the payments' sweep closes it once it is not payable).
      if (await tx.payment.findFirst({ where: { pledgeId: id, status: "PENDING" }, select: { id: true } })) return null;
      await releasePledge(tx, pledge, "LAPSED", now);
      const pole = await tx.pole.findUniqueOrThrow({ where: { id: pledge.poleId }, select: { name: true } });
      const content = pledgeLapsedEmail({
        poleName: pole.name,
        name: pledge.person.name,
        url: `${appUrl()}/compte/contributions`,
        campaign: pledge.campaign.title,
        amount: formatCents(pledge.amountCents + pledge.giftCents),
      });
      return { poleId: pledge.poleId, to: pledge.person.email, ...content } satisfies EmailMessage;
    });
    if (email) {
      await sendEmail(email, db);
      lapsed++;
    }
  }
  return lapsed;
}
