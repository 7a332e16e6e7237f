import { DateTime } from "luxon";
import type { Payment, Pledge } from "~/generated/prisma/client";
import { pledgeActionRequiredEmail } from "~/emails/crowdfunding";
import { cents } from "~/domain/money";
import {
  noEffects,
  openCheckout,
  openSetupCheckout,
  recordOfflinePayment,
  type OfflineMethod,
  type PaymentOutcome,
  type PurposeHandler,
  type PurposeHandlers,
  type Stripe,
} from "~/domain/payments/index.server";
import { fail, ok, type Result } from "~/domain/result";
import type { Client, Db, Tx } from "~/utils/db.server";
import { appUrl } from "~/utils/env.server";
import { formatCents, formatDate } from "~/utils/format";
import { lockRow } from "~/utils/row-locks.server";
import { heldOn, pledgeRef, postReceipt } from "./books.server";
import { afterSuccess } from "./success.server";

// A pledge's money (decision 019): the PLEDGE purpose handler payments calls, the Checkout pages a contributor
// opens (a card saved for an all-or-nothing campaign, paid at once otherwise or after a failed charge), and
// what staff record by hand (a transfer or cheque received, with the amount that actually came; money given back
// when a campaign failed).

const CONTRIBUTIONS_PATH = "/compte/contributions";
const LIVE = ["PENDING", "SECURED", "COLLECTED", "ACTION_REQUIRED"] as const;

export async function lockedPledge(tx: Tx, id: string) {
  await lockRow(tx, "Pledge", { id });
  return tx.pledge.findUniqueOrThrow({ where: { id }, include: { tier: true, campaign: true, person: true } });
}

/** Moves the campaign's collected total with a payment in or out of it, in the same transaction. */
const moveCollected = (tx: Tx, campaignId: string, amount: number) =>
  tx.$executeRaw`UPDATE "Campaign" SET "collectedCents" = "collectedCents" + ${amount} WHERE "id" = ${campaignId}`;

/** The money of a pledge is in: COLLECTED, held in the books, recognised when its campaign has succeeded. */
async function collect(
  tx: Tx,
  payment: Payment,
  now: Date,
  staffId?: string,
): Promise<PaymentOutcome & { owedBack?: { reason: string } }> {
  const pledge = await lockedPledge(tx, payment.pledgeId!);
  const refusal = !(LIVE as readonly string[]).includes(pledge.status)
    ? "annulée"
    : pledge.status === "COLLECTED"
      ? "déjà réglée"
      : // A page opened for another amount than the pledge's now (it changed meanwhile): the money goes back.
        payment.amountCents !== pledge.amountCents + pledge.giftCents
        ? "d'un autre montant"
        : null;
  if (refusal)
    return {
      outcome: "contribution close : argent à rendre",
      owedBack: { reason: `Contribution ${pledgeRef(pledge)} ${refusal}` },
      ...noEffects(),
    };
  const collected = await tx.pledge.update({
    where: { id: pledge.id },
    data: {
      status: "COLLECTED",
      collectedCents: payment.amountCents,
      collectedPaymentId: payment.id,
      collectedAt: now,
      graceEndsAt: null,
    },
    include: { tier: true, campaign: true, person: true },
  });
  await moveCollected(tx, pledge.campaignId, payment.amountCents);
  await postReceipt(tx, collected, payment, now, staffId);
  const campaignSucceeded = pledge.campaign.succeeded === true || pledge.campaign.mode === "KEEP_IT_ALL";
  const emails = campaignSucceeded ? await afterSuccess(tx, collected, now) : [];
  return { outcome: "contribution encaissée", emails, refunds: [] };
}

/**
 * The campaign succeeded but the pledge's money did not come with it (a card declined or asking for the customer,
 * a transfer announced): the contributor has the pole's grace period to pay, then the pledge lapses.
 */
export async function requireAction(tx: Tx, pledge: Awaited<ReturnType<typeof lockedPledge>>, now: Date) {
  const pole = await tx.pole.findUniqueOrThrow({ where: { id: pledge.poleId } });
  const graceEndsAt = DateTime.fromJSDate(now).plus({ days: pole.pledgeGraceDays }).toJSDate();
  await tx.pledge.update({ where: { id: pledge.id }, data: { status: "ACTION_REQUIRED", graceEndsAt } });
  const email = pledgeActionRequiredEmail({
    poleName: pole.name,
    name: pledge.person.name,
    url: `${appUrl()}${CONTRIBUTIONS_PATH}`,
    campaign: pledge.campaign.title,
    amount: formatCents(pledge.amountCents + pledge.giftCents),
    deadline: formatDate(graceEndsAt, "dateTime"),
    offline: pledge.method !== "STRIPE",
  });
  return [{ poleId: pole.id, to: pledge.person.email, ...email }];
}

export const pledgePurpose: PurposeHandler = {
  purpose: "PLEDGE",
  targetColumn: "pledgeId",
  // A page is open to pay now: a keep-it-all pledge not paid yet, or one whose charge at success failed.
  stillPayable: { pledge: { status: { in: ["PENDING", "ACTION_REQUIRED"] } } },
  receiptLabel: "Contribution reçue pour une contribution close (à rembourser)",
  paid: (tx, payment, now) => collect(tx, payment, now),
  async cardSaved(tx, saved, now) {
    const pledge = await lockedPledge(tx, saved.targetId);
    if (pledge.status !== "PENDING") return { outcome: "carte déjà enregistrée ou contribution close", ...noEffects() };
    await tx.pledge.update({
      where: { id: pledge.id },
      data: {
        status: "SECURED",
        securedAt: now,
        stripeSetupSessionId: saved.sessionId,
        stripeCustomerId: saved.customerId,
        stripePaymentMethodId: saved.paymentMethodId,
      },
    });
    return { outcome: "carte enregistrée", ...noEffects() };
  },
  async failed(tx, payment, now) {
    if (!payment.offSession) return { outcome: "paiement refusé", ...noEffects() };
    const pledge = await lockedPledge(tx, payment.pledgeId!);
    if (pledge.status !== "SECURED") return { outcome: "contribution déjà traitée", ...noEffects() };
    const emails = await requireAction(tx, pledge, now);
    return { outcome: "prélèvement refusé : contribution en attente", emails, refunds: [] };
  },
  expired: async () => ({ outcome: "page de paiement expirée", ...noEffects() }),
  async refunded(tx, payment, refund, now) {
    const pledge = await lockedPledge(tx, payment.pledgeId!);
    // Money owed back (a second payment, a page paid after a cancellation) leaves the pledge as it is.
    if (pledge.status !== "COLLECTED" || pledge.collectedPaymentId !== payment.id) return;
    await tx.pledge.update({ where: { id: pledge.id }, data: { status: "REFUNDED", cancelledAt: now } });
    await moveCollected(tx, pledge.campaignId, -refund.amountCents);
  },
  async refundedFrom(tx, payment) {
    const pledge = await tx.pledge.findUniqueOrThrow({ where: { id: payment.pledgeId! }, include: { tier: true } });
    // Only the payment that collected the pledge was held as an advance; any other was booked as unapplied.
    return pledge.collectedPaymentId === payment.id ? heldOn(pledge) : [];
  },
};

/** Opens the contributor's Stripe page: save a card (all-or-nothing, before the deadline) or pay now. */
export async function payPledge(
  db: Db,
  stripe: Stripe,
  input: { poleId: string; pledgeId: string; personId: string; now: Date },
): Promise<Result<{ url: string }>> {
  const pledge = await db.pledge.findFirst({
    where: { id: input.pledgeId, poleId: input.poleId, personId: input.personId },
    include: { campaign: true, tier: true, person: true },
  });
  if (!pledge) return fail("NOT_FOUND", "Cette contribution n'existe pas.", { status: 404 });
  if (pledge.method !== "STRIPE")
    return fail("OFFLINE", "Cette contribution se règle par virement ou chèque.", { status: 409 });
  const saveCard = pledge.campaign.mode === "ALL_OR_NOTHING" && pledge.campaign.succeeded === null;
  if (saveCard) {
    if (pledge.status !== "PENDING")
      return fail("CARD_SAVED", "Votre carte est déjà enregistrée : rien d'autre à faire.", { status: 409 });
    if (input.now >= pledge.campaign.endsAt) return fail("CLOSED", "La campagne est terminée.", { status: 409 });
    const opened = await openSetupCheckout(stripe, {
      poleId: pledge.poleId,
      handler: pledgePurpose,
      targetId: pledge.id,
      person: { email: pledge.person.email, name: pledge.person.name },
      customerId: pledge.stripeCustomerId,
      sessionId: pledge.stripeSetupSessionId,
      returnPath: CONTRIBUTIONS_PATH,
    });
    if (!opened.ok) return opened;
    await db.pledge.updateMany({
      where: { id: pledge.id, status: "PENDING" },
      data: { stripeSetupSessionId: opened.value.sessionId, stripeCustomerId: opened.value.customerId },
    });
    return ok({ url: opened.value.url });
  }
  const payable =
    pledge.status === "ACTION_REQUIRED" || (pledge.status === "PENDING" && pledge.campaign.mode === "KEEP_IT_ALL");
  if (!payable) return fail("NOT_PAYABLE", "Cette contribution n'attend pas de paiement.", { status: 409 });
  if (pledge.campaign.mode === "KEEP_IT_ALL" && input.now >= pledge.campaign.endsAt && pledge.status === "PENDING")
    return fail("CLOSED", "La campagne est terminée.", { status: 409 });
  const total = cents(pledge.amountCents + pledge.giftCents);
  return openCheckout(db, stripe, {
    poleId: pledge.poleId,
    handler: pledgePurpose,
    targetId: pledge.id,
    person: { id: pledge.personId, email: pledge.person.email },
    amountCents: total,
    lines: [{ name: `Contribution — ${pledge.campaign.title}`, quantity: 1, unitCents: total }],
    description: `Contribution ${pledgeRef(pledge)} — ${pledge.campaign.title}`,
    returnPath: CONTRIBUTIONS_PATH,
    now: input.now,
  });
}

/**
 * Staff record a transfer or cheque received for a pledge, with the amount that actually came: less than promised
 * lowers the gift on top first, then the amount (never under the tier's price); more is refused.
 */
export function confirmPledgeReceived(
  client: Client,
  input: {
    poleId: string;
    pledgeId: string;
    method: OfflineMethod;
    reference: string;
    amountCents: number;
    staffId: string;
    now: Date;
  },
): Promise<Result<Pledge>> {
  return recordOfflinePayment(
    client,
    pledgePurpose,
    { ...input, targetId: input.pledgeId, what: "cette contribution" },
    {
      async claim(tx) {
        if (!(await lockRow(tx, "Pledge", { id: input.pledgeId, poleId: input.poleId })))
          return fail("NOT_FOUND", "Cette contribution n'existe pas.", { status: 404 });
        const pledge = await tx.pledge.findUniqueOrThrow({ where: { id: input.pledgeId }, include: { tier: true } });
        if (pledge.status === "COLLECTED")
          return fail("ALREADY_PAID", "Cette contribution est déjà encaissée.", { status: 409 });
        if (!["PENDING", "SECURED", "ACTION_REQUIRED"].includes(pledge.status))
          return fail("CLOSED", "Cette contribution est close : elle ne reçoit plus d'argent.", { status: 409 });
        const promised = pledge.amountCents + pledge.giftCents;
        if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0)
          return fail("AMOUNT", "Indiquez le montant reçu.", { field: "amountCents" });
        if (input.amountCents > promised)
          return fail("TOO_MUCH", `Le montant reçu dépasse la contribution (${formatCents(promised)}).`, {
            field: "amountCents",
          });
        const shortfall = promised - input.amountCents;
        if (pledge.tier?.kind === "SHARE" && shortfall > pledge.giftCents)
          return fail(
            "UNDER_PRICE",
            "Des parts sociales se paient en entier : demandez le complément avant de l'enregistrer.",
            {
              field: "amountCents",
            },
          );
        const gift = Math.max(pledge.giftCents - shortfall, 0);
        const amount = pledge.amountCents - Math.max(shortfall - pledge.giftCents, 0);
        if (pledge.tier && amount < pledge.tier.priceCents && pledge.tier.kind !== "GIFT")
          return fail(
            "UNDER_PRICE",
            `Le montant reçu ne couvre pas le prix de la contrepartie (${formatCents(pledge.tier.priceCents)}) : demandez le complément avant de l'enregistrer.`,
            { field: "amountCents" },
          );
        if (shortfall > 0) {
          await tx.pledge.update({ where: { id: pledge.id }, data: { amountCents: amount, giftCents: gift } });
          await tx.$executeRaw`UPDATE "Campaign" SET "pledgedCents" = "pledgedCents" - ${shortfall} WHERE "id" = ${pledge.campaignId}`;
        }
        return ok({ personId: pledge.personId, amountCents: input.amountCents });
      },
      async settle(tx, payment) {
        await collect(tx, payment, input.now, input.staffId);
        return tx.pledge.findUniqueOrThrow({ where: { id: input.pledgeId } });
      },
    },
  );
}

/**
 * The handlers payments needs when crowdfunding itself settles its payments (a charge at the close, a refund staff
 * record): only this purpose's payments pass through them, so its own handler is the whole map they read.
 */
export const PLEDGE_HANDLERS = { PLEDGE: pledgePurpose } as unknown as PurposeHandlers;
