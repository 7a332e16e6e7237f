import { DateTime } from "luxon";
import {
  admitShares,
  confirmPledgeReceived,
  createCampaign,
  pledge,
  publishCampaign,
  sweepCampaignClosings,
} from "~/domain/crowdfunding/index.server";
import { parisDate } from "~/domain/ledger/index.server";
import { cents } from "~/domain/money";
import type { Prisma } from "~/generated/prisma/client";
import type { Client } from "~/utils/db.server";
import { demoCitizens } from "./people";
import { demoAccount, type DemoPole } from "./pole";

// The demo pole's crowdfunding: a live all-or-nothing campaign about half funded (the barn that becomes the third
// place: eight tiers, a coworking booklet and shares among them, a hundred pledges by transfer or cheque, a third
// of them received), and a past one that succeeded — its money in the books, its booklets in their owners'
// accounts, its first associates admitted. Pledges go through the domain as a citizen's would; a second run
// changes nothing (the campaigns' slugs).

type TierSeed = Omit<Prisma.CampaignTierCreateManyInput, "campaignId" | "position">;

const BARN_TIERS: TierSeed[] = [
  { name: "Merci !", description: "Un don, du montant de votre choix.", kind: "GIFT", priceCents: 1_000 },
  {
    name: "Votre nom sur le mur de la grange",
    description: "Gravé sur la poutre des contributeurs, à l'entrée du tiers-lieu.",
    kind: "REWARD",
    symbolic: true,
    priceCents: 3_000,
  },
  {
    name: "Un panier de légumes du pôle",
    description: "Un panier de saison des maraîchers de la Vallée, à retirer à la grange.",
    kind: "REWARD",
    rewardKind: "OTHER",
    priceCents: 4_000,
    vatRateBp: 550,
    cap: 60,
  },
  {
    name: "Visite guidée et repas paysan",
    description: "Une demi-journée sur le site avec l'équipe, suivie d'un repas des producteurs.",
    kind: "REWARD",
    rewardKind: "OTHER",
    priceCents: 6_000,
    vatRateBp: 1_000,
    cap: 40,
  },
  {
    name: "Carnet coworking de 10 demi-journées",
    description: "Dix demi-journées au bureau partagé de la grange, valables six mois après l'ouverture.",
    kind: "REWARD",
    rewardKind: "BOOKLET",
    priceCents: 12_000,
    vatRateBp: 2_000,
    cap: 30,
  },
  {
    name: "Une journée de formation",
    description: "Une journée au choix du catalogue du pôle (compostage, maraîchage, coopération).",
    kind: "REWARD",
    rewardKind: "TRAINING_CREDIT",
    priceCents: 15_000,
    vatRateBp: 2_000,
    cap: 20,
  },
  {
    name: "Devenir associé·e : parts sociales",
    description: "Des parts de la SCIC à 50 € (deux au moins), dans le collège des citoyens.",
    kind: "SHARE",
    priceCents: 10_000,
    shareNominalCents: 5_000,
    minShares: 2,
    college: "Citoyens",
  },
  {
    name: "Bâtisseur·euse de la grange",
    description: "Un grand merci, et une invitation à l'inauguration.",
    kind: "GIFT",
    priceCents: 50_000,
  },
];

// Which tier each pledge of the live campaign takes, and how much: a hundred pledges, about 11 000 €.
const BARN_PLEDGES = Array.from({ length: 100 }, (_, i) => {
  const tier = [0, 2, 1, 4, 0, 6, 3, 2, 0, 5, 1, 6, 0, 2, 4, 7, 0, 3, 6, 1][i % 20];
  const amount = [2_500, 4_000, 3_000, 12_000, 5_000, 0, 6_000, 4_000, 10_000, 15_000][i % 10];
  const price = BARN_TIERS[tier].priceCents;
  return {
    tier,
    amount: Math.max(amount, price),
    shares: tier === 6 ? 2 + (i % 3) : undefined,
    gift: i % 7 === 0 ? 1_000 : 0,
  };
});

export async function seedDemoCrowdfunding(tx: Client, demo: DemoPole, today: Date) {
  const poleId = demo.pole.id;
  if (await tx.campaign.findFirst({ where: { poleId, slug: "la-grange" } })) return;
  const staffId = demoAccount(demo, "STAFF").id;
  // Where transfers go (a fictional account, shown on the transfer instructions).
  await tx.pole.update({
    where: { id: poleId },
    data: { bankIban: "FR76 3000 4000 0312 3456 7890 143", bankBic: "BNPAFRPP" },
  });
  const booklet = await tx.passProduct.findFirstOrThrow({ where: { poleId, credits: 10 } });
  const citizens = await demoCitizens(tx, poleId, 110);
  const day = (days: number) => DateTime.fromJSDate(today, { zone: "Europe/Paris" }).plus({ days });
  const at = (days: number, hour = 10) => day(days).set({ hour, minute: 0, second: 0, millisecond: 0 }).toJSDate();
  // A deadline is the end of its day, as staff's form sets it when no time is given.
  const endOf = (days: number) => day(days).endOf("day").set({ millisecond: 0 }).toJSDate();

  // The past campaign: the shared bakery's oven, funded and closed two months ago.
  const oven = await campaign(tx, {
    poleId,
    slug: "le-fournil",
    title: "Un four à pain pour le fournil partagé",
    story:
      "Les paysans boulangers du Lauragais cuisaient chacun chez soi. Avec un four à bois partagé dans l'ancienne bergerie, ils mutualisent la cuisson, accueillent les écoles et vendent au marché du pôle.\n\n" +
      "Votre contribution a financé le four, sa cheminée et le plan de travail. Merci aux 30 contributeurs !",
    goalCents: cents(600_000),
    mode: "ALL_OR_NOTHING",
    startsAt: at(-120),
    endsAt: endOf(-60),
    imageUrl: "/images/financement/fournil.svg",
    // Gifts and shares only: its money was recognised two months ago, before invoices the demo issues since.
    tiers: [
      BARN_TIERS[0],
      { ...BARN_TIERS[1], name: "Votre nom sur le four", description: "Gravé sur la plaque du fournil." },
      BARN_TIERS[6],
      BARN_TIERS[7],
    ],
  });
  for (let i = 0; i < 30; i++) {
    const tierIndex = [0, 1, 2, 0, 1, 2, 3][i % 7];
    const tier = oven.tiers[tierIndex];
    const amount = tier.kind === "SHARE" ? 0 : Math.max([10_000, 15_000, 20_000, 25_000][i % 4], tier.priceCents);
    const made = await pledgeAs(tx, {
      poleId,
      campaignId: oven.id,
      tierId: tier.id,
      personId: citizens[i],
      amountCents: amount,
      shares: tier.kind === "SHARE" ? 4 + (i % 5) : undefined,
      method: i % 3 === 0 ? "CHEQUE" : "TRANSFER",
      key: `demo:fournil:${i}`,
      now: at(-118 + i * 2),
    });
    await received(tx, { poleId, pledge: made, staffId, now: at(-116 + i * 2) });
  }
  await sweepCampaignClosings(tx, { stripe: null, now: at(-59, 1) });
  // The board admitted the first share subscriptions at its meeting a month ago.
  const subscriptions = await tx.pledge.findMany({ where: { campaignId: oven.id, tier: { kind: "SHARE" } }, take: 3 });
  for (const s of subscriptions)
    await admitShares(tx, { poleId, pledgeId: s.id, admittedOn: parisDate(at(-30)), staffId, now: at(-30, 18) });

  // The live campaign: the barn becomes the third place, about half funded, 25 days left.
  const barn = await campaign(tx, {
    poleId,
    slug: "la-grange",
    title: "La grange devient tiers-lieu",
    story:
      "La grange de la Luzernière, vide depuis vingt ans, va devenir le cœur du pôle : un bureau partagé pour les porteurs de projet, une salle de formation, et une halle pour le marché des producteurs.\n\n" +
      "**Ce que finance la campagne** : la charpente et la couverture (14 000 €), l'isolation en paille du Lauragais (5 000 €) et le mobilier du coworking (3 000 €).\n\n" +
      "C'est une campagne *tout ou rien* : si l'objectif n'est pas atteint à la date limite, personne ne paie rien.",
    goalCents: cents(2_200_000),
    minimumCents: null,
    optimumCents: cents(3_000_000),
    mode: "ALL_OR_NOTHING",
    startsAt: at(-20, 9),
    endsAt: endOf(25),
    imageUrl: "/images/financement/grange.svg",
    tiers: BARN_TIERS.map((t) => (t.rewardKind === "BOOKLET" ? { ...t, passProductId: booklet.id } : t)),
  });
  for (const [i, p] of BARN_PLEDGES.entries()) {
    const tier = barn.tiers[p.tier];
    const made = await pledgeAs(tx, {
      poleId,
      campaignId: barn.id,
      tierId: tier.id,
      personId: citizens[10 + i],
      amountCents: p.amount,
      giftCents: p.gift,
      shares: p.shares,
      anonymous: i % 9 === 4,
      method: i % 4 === 0 ? "CHEQUE" : "TRANSFER",
      key: `demo:grange:${i}`,
      now: at(-19 + Math.floor(i / 6), 8 + (i % 10)),
    });
    if (i % 3 === 0) await received(tx, { poleId, pledge: made, staffId, now: at(-17 + Math.floor(i / 6)) });
  }
}

async function campaign(
  tx: Client,
  input: Parameters<typeof createCampaign>[1] & { imageUrl: string; tiers: TierSeed[] },
) {
  const { imageUrl, tiers, ...fields } = input;
  const created = await createCampaign(tx, fields);
  if (!created.ok) throw new Error(`Campagne de démonstration : ${created.message}`);
  await tx.campaign.update({ where: { id: created.value.id }, data: { imageUrl } });
  await tx.campaignTier.createMany({
    data: tiers.map((t, position) => ({ ...t, campaignId: created.value.id, position })),
  });
  const published = await publishCampaign(tx, { poleId: input.poleId, campaignId: created.value.id });
  if (!published.ok) throw new Error(`Campagne de démonstration : ${published.message}`);
  const found = await tx.campaign.findUniqueOrThrow({
    where: { id: created.value.id },
    include: { tiers: { orderBy: { position: "asc" } } },
  });
  return found;
}

async function pledgeAs(
  tx: Client,
  input: {
    poleId: string;
    campaignId: string;
    tierId: string;
    personId: string;
    amountCents: number;
    giftCents?: number;
    shares?: number;
    anonymous?: boolean;
    method: "TRANSFER" | "CHEQUE";
    key: string;
    now: Date;
  },
) {
  const made = await pledge(tx, {
    ...input,
    amountCents: cents(input.amountCents),
    giftCents: cents(input.giftCents ?? 0),
    idempotencyKey: input.key,
  });
  if (!made.ok) throw new Error(`Contribution de démonstration : ${made.message}`);
  // As if made on its day: the list of contributors shows them in the order they came.
  return tx.pledge.update({ where: { id: made.value.pledge.id }, data: { createdAt: input.now } });
}

async function received(
  tx: Client,
  input: { poleId: string; pledge: { id: string; amountCents: number; giftCents: number }; staffId: string; now: Date },
) {
  const done = await confirmPledgeReceived(tx, {
    poleId: input.poleId,
    pledgeId: input.pledge.id,
    method: "TRANSFER",
    reference: `VIR-${input.pledge.id.slice(-6).toUpperCase()}`,
    amountCents: input.pledge.amountCents + input.pledge.giftCents,
    staffId: input.staffId,
    now: input.now,
  });
  if (!done.ok) throw new Error(`Encaissement de démonstration : ${done.message}`);
}

/** Citizens who contribute: accounts like any other, made in one go (one password hash for all of them). */
