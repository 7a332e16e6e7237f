import { DateTime } from "luxon";
import type { PaymentMethod, PledgeStatus, Prisma } from "~/generated/prisma/client";
import { fromSqlDate, parisDate, type IsoDate } from "~/domain/ledger/dates";
import { cents, sumCents } from "~/domain/money";
import { csvAmount, csvDocument, frenchDate } from "~/utils/csv";
import type { Client } from "~/utils/db.server";
import { formatDate, PARIS_TIME_ZONE } from "~/utils/format";
import { PLEDGE_METHOD_LABELS, PLEDGE_STATUS_LABELS, TIER_KIND_LABELS } from "./staff-labels";

// What staff read of crowdfunding: the campaigns with their progress (the campaign's own counters, never a scan of
// its pledges), one campaign with its tiers, the pledges list and its CSV, the register of associates and its CSV,
// and the goal the business plan suggests.

/** The pole's campaigns, live first, then drafts, then those closing and closed (newest first within each). */
export async function staffCampaigns(client: Client, poleId: string) {
  const campaigns = await client.campaign.findMany({
    where: { poleId },
    orderBy: [{ startsAt: "desc" }, { createdAt: "desc" }],
    include: { _count: { select: { tiers: true } } },
  });
  const rank = { PUBLISHED: 0, DRAFT: 1, CLOSING: 2, SUCCEEDED: 3, FAILED: 3 } as const;
  return campaigns.sort((a, b) => rank[a.status] - rank[b.status]);
}

/** One campaign with its tiers (and the booklet a reward becomes), or null when the pole has no such campaign. */
export function staffCampaign(client: Client, input: { poleId: string; campaignId: string }) {
  return client.campaign.findFirst({
    where: { id: input.campaignId, poleId: input.poleId },
    include: {
      tiers: { orderBy: [{ position: "asc" }, { createdAt: "asc" }], include: { passProduct: true } },
    },
  });
}

/** How many of a campaign's pledges are in each state (one grouped count, for the tabs and the close preview). */
export async function pledgeCounts(client: Client, campaignId: string) {
  const groups = await client.pledge.groupBy({ by: ["status"], where: { campaignId }, _count: { _all: true } });
  return Object.fromEntries(groups.map((g) => [g.status, g._count._all])) as Partial<Record<PledgeStatus, number>>;
}

export type PledgeFilter = {
  poleId: string;
  campaignId: string;
  status?: PledgeStatus;
  tierId?: string;
  method?: PaymentMethod;
  /** Part of the contributor's name or email. */
  q?: string;
  page?: number;
};

function pledgeWhere(f: PledgeFilter): Prisma.PledgeWhereInput {
  return {
    poleId: f.poleId,
    campaignId: f.campaignId,
    ...(f.status ? { status: f.status } : {}),
    ...(f.tierId ? { tierId: f.tierId } : {}),
    ...(f.method ? { method: f.method } : {}),
    ...(f.q
      ? {
          person: {
            OR: [{ name: { contains: f.q, mode: "insensitive" } }, { email: { contains: f.q, mode: "insensitive" } }],
          },
        }
      : {}),
  };
}

const pledgeInclude = {
  person: { select: { id: true, name: true, email: true } },
  tier: { select: { id: true, name: true, kind: true, symbolic: true, rewardKind: true, college: true } },
} satisfies Prisma.PledgeInclude;

export const PLEDGES_PAGE_SIZE = 50;

/** One page of a campaign's pledges, newest first, with the filter's total. */
export async function staffPledges(client: Client, filter: PledgeFilter) {
  const where = pledgeWhere(filter);
  const page = Math.max(1, filter.page ?? 1);
  const [total, rows] = await Promise.all([
    client.pledge.count({ where }),
    client.pledge.findMany({
      where,
      include: pledgeInclude,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * PLEDGES_PAGE_SIZE,
      take: PLEDGES_PAGE_SIZE,
    }),
  ]);
  return { total, page, pageCount: Math.max(1, Math.ceil(total / PLEDGES_PAGE_SIZE)), rows };
}

export const PLEDGES_CSV_HEADER = [
  "Date",
  "Contributeur",
  "Email",
  "Anonyme",
  "Contrepartie",
  "Type",
  "Parts",
  "Montant",
  "Don en plus",
  "Total",
  "Reçu",
  "Statut",
  "Paiement",
  "Référence du paiement",
  "Promise le",
  "Encaissée le",
  "Remise le",
  "Admise le",
  "N° de contribution",
] as const;

const day = (value: Date | null) => (value ? frenchDate(parisDate(value)) : "");

/**
 * Every pledge of the filter (all pages, every state: cancelled and refunded ones too, so the file adds up with the
 * payments), oldest first: dates in Europe/Paris, amounts with a decimal comma.
 */
export async function pledgesCsv(client: Client, filter: Omit<PledgeFilter, "page">) {
  const rows = await client.pledge.findMany({
    where: pledgeWhere(filter),
    include: {
      ...pledgeInclude,
      payments: { where: { status: "SUCCEEDED" }, select: { reference: true, stripePaymentIntentId: true } },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 100_000,
  });
  return csvDocument(
    PLEDGES_CSV_HEADER,
    rows.map((p) => [
      `${frenchDate(parisDate(p.createdAt))} ${formatDate(p.createdAt, "time")}`,
      p.person.name,
      p.person.email,
      p.anonymous ? "oui" : "non",
      p.tier?.name ?? "Montant libre",
      p.tier ? TIER_KIND_LABELS[p.tier.kind] : "",
      p.shares === null ? "" : String(p.shares),
      csvAmount(p.amountCents),
      csvAmount(p.giftCents),
      csvAmount(p.amountCents + p.giftCents),
      csvAmount(p.collectedCents),
      PLEDGE_STATUS_LABELS[p.status],
      PLEDGE_METHOD_LABELS[p.method],
      p.payments
        .map((pay) => pay.reference ?? pay.stripePaymentIntentId ?? "")
        .filter(Boolean)
        .join(", "),
      day(p.securedAt),
      day(p.collectedAt),
      day(p.fulfilledAt),
      day(p.admittedAt),
      p.id,
    ]),
  );
}

/**
 * The register of associates: every share subscription the board admitted — who, in which college, how many
 * shares, when they subscribed and when they were admitted — in order of admission. Staff read it always; members
 * when the pole shows it to them.
 */
export async function registerOfAssociates(client: Client, poleId: string) {
  const pledges = await client.pledge.findMany({
    // Admitted and not given back since: the subscription stands.
    where: {
      poleId,
      admittedAt: { not: null },
      tier: { kind: "SHARE" },
      status: { notIn: ["REFUNDED", "CANCELLED", "LAPSED"] },
    },
    include: {
      person: { select: { id: true, name: true } },
      tier: { select: { college: true, shareNominalCents: true } },
      campaign: { select: { title: true } },
    },
    orderBy: [{ admittedAt: "asc" }, { createdAt: "asc" }],
  });
  const rows = pledges.map((p) => ({
    id: p.id,
    personId: p.person.id,
    name: p.person.name,
    college: p.tier?.college ?? "",
    shares: p.shares ?? 0,
    amountCents: p.amountCents,
    nominalCents: p.tier?.shareNominalCents ?? 0,
    campaign: p.campaign.title,
    subscribedOn: parisDate(p.createdAt),
    admittedOn: parisDate(p.admittedAt!),
  }));
  return {
    rows,
    associates: new Set(rows.map((r) => r.personId)).size,
    shares: rows.reduce((sum, r) => sum + r.shares, 0),
    capitalCents: sumCents(rows.map((r) => r.amountCents)),
  };
}

export const REGISTER_CSV_HEADER = [
  "Associé",
  "Collège",
  "Nombre de parts",
  "Valeur nominale",
  "Montant souscrit",
  "Date de souscription",
  "Date d'admission",
  "Campagne",
] as const;

export async function registerCsv(client: Client, poleId: string) {
  const { rows } = await registerOfAssociates(client, poleId);
  return csvDocument(
    REGISTER_CSV_HEADER,
    rows.map((r) => [
      r.name,
      r.college,
      String(r.shares),
      csvAmount(r.nominalCents),
      csvAmount(r.amountCents),
      frenchDate(r.subscribedOn),
      frenchDate(r.admittedOn),
      r.campaign,
    ]),
  );
}

/**
 * The goal the business plan suggests for a campaign running from `startsAt` to `endsAt`: the CROWDFUNDING
 * stream's lines whose period meets the campaign's — a monthly line when its month does, a yearly line when its
 * fiscal year does (whole: the plan says what the year expects the campaign to bring, not how it spreads).
 */
export async function goalSuggestion(client: Client, input: { poleId: string; startsAt: Date; endsAt: Date }) {
  const from = parisDate(input.startsAt);
  const to = parisDate(input.endsAt);
  const years = await client.fiscalYear.findMany({
    where: {
      poleId: input.poleId,
      startDate: { lte: new Date(`${to}T00:00:00Z`) },
      endDate: { gte: new Date(`${from}T00:00:00Z`) },
    },
    include: { planLines: { where: { stream: "CROWDFUNDING" }, orderBy: [{ month: "asc" }, { label: "asc" }] } },
    orderBy: { startDate: "asc" },
  });
  const lines = years.flatMap((year) => {
    const yearStart = fromSqlDate(year.startDate);
    const yearEnd = fromSqlDate(year.endDate);
    return year.planLines.flatMap((line) => {
      if (line.month === null)
        return [
          {
            id: line.id,
            label: line.label,
            period: `exercice ${periodText(yearStart, yearEnd)}`,
            amountCents: cents(line.amount),
          },
        ];
      const month = monthWithin(yearStart, yearEnd, line.month);
      if (!month || month.last < from || month.first > to) return [];
      return [{ id: line.id, label: line.label, period: month.label, amountCents: cents(line.amount) }];
    });
  });
  return { from, to, lines, totalCents: sumCents(lines.map((l) => l.amountCents)) };
}

const periodText = (start: IsoDate, end: IsoDate) =>
  start.slice(5) === "01-01" && end.slice(5) === "12-31" && start.slice(0, 4) === end.slice(0, 4)
    ? start.slice(0, 4)
    : `du ${frenchDate(start)} au ${frenchDate(end)}`;

/** Calendar month `month` (1–12) as it falls inside a fiscal year: its first and last days and its French name. */
function monthWithin(yearStart: IsoDate, yearEnd: IsoDate, month: number) {
  for (let y = Number(yearStart.slice(0, 4)); y <= Number(yearEnd.slice(0, 4)); y++) {
    const first = DateTime.fromObject({ year: y, month, day: 1 }, { zone: PARIS_TIME_ZONE });
    const firstIso = first.toISODate()!;
    const lastIso = first.endOf("month").toISODate()!;
    if (lastIso >= yearStart && firstIso <= yearEnd)
      return { first: firstIso, last: lastIso, label: first.setLocale("fr").toFormat("LLLL yyyy") };
  }
  return null;
}
