import type { InstalmentStatus, LeaseKind, LeaseStatus } from "~/generated/prisma/enums";
import { addDaysTo, FREQUENCY_LABELS, KIND_LABELS, monthsBetween, schedule, TERMS } from "./rules";
import { LEASE_KIND_SUMMARIES } from "./schemas";
import { currentIndex } from "./terms.server";
import { fromSqlDate, type IsoDate } from "~/domain/ledger/dates";
import { poleAddress, printedLegalForm } from "~/domain/ledger/legal-identity";
import { VAT_EXEMPTIONS } from "~/domain/ledger/vat";
import type { Client } from "~/utils/db.server";

// The lease summary as the holder prints it and staff file it (the page and the PDF read the same document):
// parties, plot, kind and term, rent and its index clause, the schedule. Dates are calendar dates; a lease runs
// [startsOn, endsOn), so its last day is the day before endsOn.

export const INSTALMENT_STATUS_LABELS: Record<InstalmentStatus, string> = {
  SCHEDULED: "À venir",
  INVOICED: "Facturée",
  PAID: "Payée",
  CANCELLED: "Annulée",
};
export const LEASE_STATUS_LABELS: Record<LeaseStatus, string> = {
  OFFERED: "Proposition en attente de réponse",
  ACTIVE: "En cours",
  ENDED: "Terminé",
  DECLINED: "Proposition déclinée",
  EXPIRED: "Proposition expirée",
  WITHDRAWN: "Proposition retirée",
};

/** "1 an", "9 ans", "18 mois", "2 ans et 6 mois". */
export function termLabel(months: number) {
  const years = Math.floor(months / 12);
  const rest = months % 12;
  const y = years ? `${years} an${years > 1 ? "s" : ""}` : "";
  if (!rest) return y;
  if (!years || months < 24) return `${months} mois`;
  return `${y} et ${rest} mois`;
}

export type LeaseDocument = {
  id: string;
  /** What the sheet is: an offer not answered yet is a proposal. */
  title: string;
  status: LeaseStatus;
  statusLabel: string;
  issuedOn: IsoDate;
  lessor: {
    name: string;
    legalName: string;
    legalForm: string;
    address: string;
    siren: string | null;
    rcsCity: string | null;
    vatNumber: string | null;
  };
  holder: { name: string; email: string; phone: string | null; organisationName: string | null };
  plot: {
    code: string;
    name: string;
    surfaceM2: number;
    soil: string;
    waterAccess: string;
    shelter: string;
    currentUse: string;
  };
  kind: LeaseKind;
  kindLabel: string;
  kindSummary: string;
  startsOn: IsoDate;
  /** Exclusive. */
  endsOn: IsoDate;
  lastDay: IsoDate;
  term: string;
  renewalNumber: number;
  maxRenewals: number;
  offerExpiresAt: string | null;
  endNoticeOn: IsoDate | null;
  endReason: string | null;
  rent: {
    yearlyCents: number;
    perHectareCents: number;
    vatRateBp: number;
    vatMention: string | null;
    frequencyLabel: string;
  };
  /** The index the current rent is reckoned on, and the latest one the pole entered. */
  index: { value: number; year: number; latest: { value: number; year: number } | null };
  schedule: {
    periodStart: IsoDate;
    lastDay: IsoDate;
    dueOn: IsoDate;
    amountCents: number;
    status: InstalmentStatus;
    statusLabel: string;
    invoiceId: string | null;
  }[];
  /** What the schedule adds up to, cancelled instalments left out. */
  totalCents: number;
  rentChanges: {
    effectiveOn: IsoDate;
    previousCents: number;
    newCents: number;
    previousIndex: number | null;
    newIndex: number | null;
    indexYear: number | null;
  }[];
};

/**
 * The document of a lease of the pole; with `holderId`, only that person's offers and leases (an offer that did
 * not become a lease is nobody's document). Null when there is none to show.
 */
export async function getLeaseDocument(
  tx: Client,
  input: { poleId: string; leaseId: string; holderId?: string; today: IsoDate },
): Promise<LeaseDocument | null> {
  const lease = await tx.lease.findFirst({
    where: {
      id: input.leaseId,
      poleId: input.poleId,
      ...(input.holderId ? { holderId: input.holderId, status: { in: ["OFFERED", "ACTIVE", "ENDED"] } } : {}),
    },
    include: {
      pole: true,
      plot: true,
      holder: { select: { name: true, email: true, phone: true, organisationName: true } },
      instalments: { orderBy: { periodStart: "asc" } },
      rentChanges: { orderBy: { createdAt: "asc" } },
    },
  });
  if (!lease) return null;
  const startsOn = fromSqlDate(lease.startsOn);
  const endsOn = fromSqlDate(lease.endsOn);
  const latest = await currentIndex(tx, input.poleId, Number(input.today.slice(0, 4)));
  const { pole } = lease;
  // An offer has no instalments yet: its schedule is the one accepting would write.
  const rows = lease.instalments.length
    ? lease.instalments.map((i) => ({
        periodStart: fromSqlDate(i.periodStart),
        periodEnd: fromSqlDate(i.periodEnd),
        dueOn: fromSqlDate(i.dueOn),
        amountCents: i.amountCents,
        status: i.status,
        invoiceId: i.invoiceId,
      }))
    : lease.status === "OFFERED"
      ? schedule({ startsOn, endsOn, yearlyRentCents: lease.yearlyRentCents, frequency: lease.frequency }).map((p) => ({
          ...p,
          status: "SCHEDULED" as const,
          invoiceId: null,
        }))
      : [];
  const upcoming = lease.status === "ACTIVE" && startsOn > input.today;
  return {
    id: lease.id,
    title: lease.status === "OFFERED" ? "Proposition de bail" : "Récapitulatif du bail",
    status: lease.status,
    statusLabel: upcoming ? "Accepté, à venir" : LEASE_STATUS_LABELS[lease.status],
    issuedOn: input.today,
    lessor: {
      name: pole.name,
      legalName: pole.legalName,
      legalForm: printedLegalForm(pole),
      address: poleAddress(pole),
      siren: pole.siren,
      rcsCity: pole.rcsCity,
      vatNumber: pole.vatNumber,
    },
    holder: lease.holder,
    plot: {
      code: lease.plot.code,
      name: lease.plot.name,
      surfaceM2: lease.surfaceM2,
      soil: lease.plot.soil,
      waterAccess: lease.plot.waterAccess,
      shelter: lease.plot.shelter,
      currentUse: lease.plot.currentUse,
    },
    kind: lease.kind,
    kindLabel: KIND_LABELS[lease.kind],
    kindSummary: LEASE_KIND_SUMMARIES[lease.kind],
    startsOn,
    endsOn,
    lastDay: addDaysTo(endsOn, -1),
    term: termLabel(monthsBetween(startsOn, endsOn)),
    renewalNumber: lease.renewalNumber,
    maxRenewals: TERMS[lease.kind].maxRenewals,
    offerExpiresAt: lease.status === "OFFERED" ? (lease.offerExpiresAt?.toISOString() ?? null) : null,
    endNoticeOn: lease.endNoticeOn ? fromSqlDate(lease.endNoticeOn) : null,
    endReason: lease.endReason,
    rent: {
      yearlyCents: lease.yearlyRentCents,
      perHectareCents: lease.rentPerHectareCents,
      vatRateBp: lease.vatRateBp,
      vatMention: lease.vatRateBp === 0 ? VAT_EXEMPTIONS.LAND_RENT : null,
      frequencyLabel: FREQUENCY_LABELS[lease.frequency],
    },
    index: {
      value: lease.indexValue,
      year: lease.indexYear,
      latest: latest ? { value: latest.value, year: latest.year } : null,
    },
    schedule: rows.map((r) => ({
      periodStart: r.periodStart,
      lastDay: addDaysTo(r.periodEnd, -1),
      dueOn: r.dueOn,
      amountCents: r.amountCents,
      status: r.status,
      statusLabel: INSTALMENT_STATUS_LABELS[r.status],
      invoiceId: r.invoiceId,
    })),
    totalCents: rows.filter((r) => r.status !== "CANCELLED").reduce((sum, r) => sum + r.amountCents, 0),
    rentChanges: lease.rentChanges.map((c) => ({
      effectiveOn: fromSqlDate(c.effectiveOn),
      previousCents: c.previousCents,
      newCents: c.newCents,
      previousIndex: c.previousIndex,
      newIndex: c.newIndex,
      indexYear: c.indexYear,
    })),
  };
}

/** The index clause in words, the same on the page and in the PDF. */
export function indexClause(d: Pick<LeaseDocument, "index">, formatIndex: (value: number) => string) {
  const latest =
    d.index.latest && (d.index.latest.year !== d.index.year || d.index.latest.value !== d.index.value)
      ? ` Dernier indice connu du pôle : ${formatIndex(d.index.latest.value)} (${d.index.latest.year}).`
      : "";
  return (
    "Le loyer est révisé chaque année selon l'indice national des fermages publié par arrêté ministériel : " +
    "nouveau loyer = loyer en cours × nouvel indice ÷ indice de référence, arrondi au centime le plus proche. " +
    `Indice de référence du loyer en cours : ${formatIndex(d.index.value)} (indice ${d.index.year}).${latest}`
  );
}

/** "attachment; filename=…" for a lease (letters, digits and dashes only). */
export function leasePdfName(d: Pick<LeaseDocument, "plot" | "startsOn">) {
  return `bail-${d.plot.code}-${d.startsOn}`.replace(/[^A-Za-z0-9-]/g, "_");
}
