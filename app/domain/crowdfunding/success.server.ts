import { DateTime } from "luxon";
import type { Campaign, CampaignTier, Person, Pledge } from "~/generated/prisma/client";
import { pledgeThanksEmail } from "~/emails/crowdfunding";
import type { Tx } from "~/utils/db.server";
import type { EmailMessage } from "~/utils/email.server";
import { appUrl } from "~/utils/env.server";
import { formatCents } from "~/utils/format";
import { recognisePledge } from "./books.server";

type FullPledge = Pledge & { tier: CampaignTier | null; campaign: Campaign; person: Person };

/**
 * A collected pledge of a campaign that succeeded (or keeps it all): its gift and its reward are recognised, and
 * a reward that is a coworking booklet becomes a real booklet in the contributor's account, used like a bought one.
 * Idempotent: run at the close for what came before it, at collection for what comes after.
 */
export async function afterSuccess(tx: Tx, pledge: FullPledge, now: Date): Promise<EmailMessage[]> {
  if (pledge.recognisedAt) return [];
  const invoiceId = await recognisePledge(tx, pledge, pledge.person, now);
  const passId = await bookletOf(tx, pledge, now);
  await tx.pledge.update({ where: { id: pledge.id }, data: { invoiceId, passId, recognisedAt: now } });
  const pole = await tx.pole.findUniqueOrThrow({ where: { id: pledge.poleId }, select: { name: true } });
  const email = pledgeThanksEmail({
    poleName: pole.name,
    name: pledge.person.name,
    url: `${appUrl()}/compte/contributions`,
    campaign: pledge.campaign.title,
    amount: formatCents(pledge.amountCents + pledge.giftCents),
  });
  return [{ poleId: pledge.poleId, to: pledge.person.email, ...email }];
}

async function bookletOf(tx: Tx, pledge: FullPledge, now: Date) {
  const tier = pledge.tier;
  if (tier?.kind !== "REWARD" || tier.rewardKind !== "BOOKLET" || !tier.passProductId) return null;
  const product = await tx.passProduct.findUniqueOrThrow({ where: { id: tier.passProductId } });
  const pass = await tx.pass.create({
    data: {
      poleId: pledge.poleId,
      personId: pledge.personId,
      productId: product.id,
      name: `${product.name} — contrepartie`,
      credits: product.credits,
      resourceKind: product.resourceKind,
      status: "ACTIVE",
      priceCents: pledge.amountCents,
      validityMonths: product.validityMonths,
      idempotencyKey: `pledge:${pledge.id}`,
      activatedAt: now,
      expiresAt: DateTime.fromJSDate(now).plus({ months: product.validityMonths }).toJSDate(),
      // The pledge carries the invoice; the booklet is its counterpart, not a sale of its own.
      invoiceId: null,
    },
  });
  return pass.id;
}
