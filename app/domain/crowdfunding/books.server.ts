import type { Campaign, CampaignTier, Payment, Pledge } from "~/generated/prisma/client";
import { issueInvoice, parisDate, personBuyer, post, type LineInput } from "~/domain/ledger/index.server";
import { cents, type Cents } from "~/domain/money";
import { moneyAccount } from "~/domain/payments/index.server";
import type { Tx } from "~/utils/db.server";

// A pledge in the books (decision 019). Nothing is posted at pledge time. Money received is first held as owed to
// the contributor — advances 419100 for gifts and rewards, payments on a capital increase 456300 for shares —
// because an all-or-nothing campaign may still fail and give it back. Once the campaign has succeeded (at once for
// keep-it-all), what was held is recognised: gifts to 758000 on the CROWDFUNDING stream; a reward is a sale,
// invoiced at the tier's VAT rate on its whole price against the advance, to 707000 — or to 487000 (deferred
// revenue) when it is a booklet or a training credit, recognised as it is used; shares stay in 456300 until the
// board admits the subscriber (101300). Source keys per pledge: nothing is posted twice.

export const ADVANCES_ACCOUNT = "419100";
export const SHARE_PAYMENTS_ACCOUNT = "456300";
export const CAPITAL_ACCOUNT = "101300";
export const GIFTS_ACCOUNT = "758000";
export const REWARD_SALES_ACCOUNT = "707000";
export const DEFERRED_REVENUE_ACCOUNT = "487000";

type PledgeWithTier = Pledge & { tier: CampaignTier | null };

/**
 * How a pledge's amount splits: a gift (no counterpart, or a token one), a sale, shares. A reward that is not of
 * token value makes the whole pledge its price, the gift on top included (the issue's French practice: a sale, with
 * the tier's VAT on all of it); a gift on top of shares stays a gift.
 */
export function pledgeParts(pledge: PledgeWithTier) {
  const kind = pledge.tier?.kind ?? "GIFT";
  const sale = kind === "REWARD" && !pledge.tier?.symbolic;
  const total = pledge.amountCents + pledge.giftCents;
  return {
    gift: cents(sale ? 0 : kind === "SHARE" ? pledge.giftCents : total),
    sale: cents(sale ? total : 0),
    shares: cents(kind === "SHARE" ? pledge.amountCents : 0),
  };
}

/** Where what is given back of a pledge was held: the liability accounts its receipt credited. */
export function heldOn(pledge: PledgeWithTier): { account: string; amount: Cents }[] {
  const { gift, sale, shares } = pledgeParts(pledge);
  return [
    { account: ADVANCES_ACCOUNT, amount: cents(gift + sale) },
    { account: SHARE_PAYMENTS_ACCOUNT, amount: shares },
  ].filter((l) => l.amount > 0);
}

/** The money of a pledge came in (one payment covers it): held as owed to the contributor. */
export async function postReceipt(tx: Tx, pledge: PledgeWithTier, payment: Payment, now: Date, staffId?: string) {
  const held = heldOn(pledge);
  await post(tx, {
    poleId: pledge.poleId,
    sourceKey: `pledge:${pledge.id}:received`,
    date: parisDate(now),
    journal: "BQ",
    label: `Contribution ${pledgeRef(pledge)} reçue`,
    pieceRef: payment.reference || payment.stripePaymentIntentId || payment.id,
    createdById: staffId ?? null,
    lines: [
      { account: moneyAccount(payment.method), debit: cents(payment.amountCents) },
      ...held.map((l): LineInput => ({
        account: l.account,
        credit: l.amount,
        stream: "CROWDFUNDING",
        thirdPartyPersonId: pledge.personId,
      })),
    ],
  });
}

/**
 * The campaign succeeded and the pledge's money is in: its gift becomes revenue and its reward is invoiced against
 * the advance. Returns the invoice's id, if it had a reward to sell.
 */
export async function recognisePledge(
  tx: Tx,
  pledge: PledgeWithTier & { campaign: Campaign },
  buyer: { id: string; name: string; email: string; address: string | null },
  now: Date,
) {
  const { gift, sale } = pledgeParts(pledge);
  const date = parisDate(now);
  if (gift > 0)
    await post(tx, {
      poleId: pledge.poleId,
      sourceKey: `pledge:${pledge.id}:gift`,
      date,
      journal: "OD",
      label: `Don — campagne « ${pledge.campaign.title} », contribution ${pledgeRef(pledge)}`.slice(0, 200),
      pieceRef: pledgeRef(pledge),
      lines: [
        { account: ADVANCES_ACCOUNT, debit: gift, stream: "CROWDFUNDING", thirdPartyPersonId: pledge.personId },
        { account: GIFTS_ACCOUNT, credit: gift, stream: "CROWDFUNDING" },
      ],
    });
  if (sale === 0 || !pledge.tier) return null;
  const deferred = pledge.tier.rewardKind === "BOOKLET" || pledge.tier.rewardKind === "TRAINING_CREDIT";
  const { invoice } = await issueInvoice(tx, {
    poleId: pledge.poleId,
    sourceKey: `pledge:${pledge.id}:invoice`,
    issueDate: date,
    stream: "CROWDFUNDING",
    buyer: personBuyer(buyer),
    lines: [
      {
        description: `Contrepartie « ${pledge.tier.name} » — campagne « ${pledge.campaign.title} »`,
        quantity: 1,
        unitInclTax: sale,
        vatRateBp: pledge.tier.vatRateBp,
        accountCode: deferred ? DEFERRED_REVENUE_ACCOUNT : REWARD_SALES_ACCOUNT,
      },
    ],
    receivableAccount: ADVANCES_ACCOUNT,
  });
  return invoice.id;
}

/** The board admitted the subscriber: the shares paid become capital. */
export async function postAdmission(tx: Tx, pledge: PledgeWithTier, now: Date, staffId: string) {
  const { shares } = pledgeParts(pledge);
  await post(tx, {
    poleId: pledge.poleId,
    sourceKey: `pledge:${pledge.id}:admitted`,
    date: parisDate(now),
    journal: "OD",
    label: `Souscription de ${pledge.shares} parts sociales admise — ${pledgeRef(pledge)}`,
    pieceRef: pledgeRef(pledge),
    createdById: staffId,
    lines: [
      { account: SHARE_PAYMENTS_ACCOUNT, debit: shares, thirdPartyPersonId: pledge.personId },
      { account: CAPITAL_ACCOUNT, credit: shares, thirdPartyPersonId: pledge.personId },
    ],
  });
}

/**
 * Deferred revenue of a reward (a booklet, a training credit) recognised as it is used: `level` says how much of
 * it is used up (credits used of credits), each level posted once, the last one taking what rounding left.
 */
export async function recogniseUse(
  tx: Tx,
  input: { poleId: string; pledgeId: string; ref: string; total: Cents; from: number; to: number; of: number },
  now: Date,
) {
  const share = (n: number) => (n >= input.of ? input.total : Math.floor((input.total * n) / input.of));
  const amount = cents(share(input.to) - share(input.from));
  if (amount <= 0) return;
  await post(tx, {
    poleId: input.poleId,
    sourceKey: `pledge:${input.pledgeId}:used:${input.to}`,
    date: parisDate(now),
    journal: "OD",
    label: `Contrepartie utilisée (${input.to}/${input.of}) — ${input.ref}`,
    pieceRef: input.ref,
    lines: [
      { account: DEFERRED_REVENUE_ACCOUNT, debit: amount, stream: "CROWDFUNDING" },
      { account: REWARD_SALES_ACCOUNT, credit: amount, stream: "CROWDFUNDING" },
    ],
  });
}

/** The short reference of a pledge on documents and transfers: "CF-" and the end of its id. */
export const pledgeRef = (pledge: Pick<Pledge, "id">) => `CF-${pledge.id.slice(-8).toUpperCase()}`;
