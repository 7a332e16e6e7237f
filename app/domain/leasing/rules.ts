import { DateTime } from "luxon";
import type { InstalmentFrequency, LeaseKind } from "~/generated/prisma/enums";
import type { IsoDate } from "~/domain/ledger/dates";
import { divRoundHalfUp } from "~/domain/ledger/vat";
import { fail, type Failure } from "~/domain/result";
import { formatDate } from "~/utils/format";

// The leasing rules that need no database: lease terms by kind, rent arithmetic in integer cents (half-up on
// each result), the rent schedule, indexation. Dates are calendar dates ("2027-03-01"); a lease is [startsOn, endsOn).

export const KIND_LABELS: Record<LeaseKind, string> = {
  ESPACE_TEST: "Espace-test agricole",
  CONVENTION_PRECAIRE: "Convention d'occupation précaire",
  BAIL_RURAL: "Bail rural",
};

export const FREQUENCY_LABELS: Record<InstalmentFrequency, string> = {
  YEARLY: "annuelle",
  QUARTERLY: "trimestrielle",
  MONTHLY: "mensuelle",
};
const STEP_MONTHS: Record<InstalmentFrequency, number> = { YEARLY: 12, QUARTERLY: 3, MONTHLY: 1 };

/** Espace-test: one year, renewable twice. Convention précaire: 1 to 24 months. Bail rural: 9 to 25 years. */
export const TERMS: Record<
  LeaseKind,
  { minMonths: number; maxMonths: number; defaultMonths: number; maxRenewals: number }
> = {
  ESPACE_TEST: { minMonths: 12, maxMonths: 12, defaultMonths: 12, maxRenewals: 2 },
  CONVENTION_PRECAIRE: { minMonths: 1, maxMonths: 24, defaultMonths: 12, maxRenewals: 1 },
  BAIL_RURAL: { minMonths: 108, maxMonths: 300, defaultMonths: 108, maxRenewals: 3 },
};

const day = (iso: IsoDate) => DateTime.fromISO(iso, { zone: "UTC" });
export const addMonths = (iso: IsoDate, months: number): IsoDate => day(iso).plus({ months }).toISODate()! as IsoDate;
export const addDaysTo = (iso: IsoDate, days: number): IsoDate => day(iso).plus({ days }).toISODate()! as IsoDate;
export const daysBetween = (from: IsoDate, to: IsoDate) => Math.round(day(to).diff(day(from), "days").days);
export const monthsBetween = (from: IsoDate, to: IsoDate) => Math.round(day(to).diff(day(from), "months").months);

/** The usual end of a lease of this kind starting on a date. */
export const defaultEnd = (kind: LeaseKind, startsOn: IsoDate) => addMonths(startsOn, TERMS[kind].defaultMonths);

/** Why a term does not suit the kind of lease, or null. */
export function termRefusal(kind: LeaseKind, startsOn: IsoDate, endsOn: IsoDate): Failure | null {
  if (endsOn <= startsOn)
    return fail("INVALID_TERM", "La fin du bail doit suivre son début.", { field: "endsOn", status: 422 });
  const { minMonths, maxMonths } = TERMS[kind];
  const tooShort = endsOn < addMonths(startsOn, minMonths);
  const tooLong = endsOn > addMonths(startsOn, maxMonths);
  if (!tooShort && !tooLong) return null;
  const span = (m: number) => (m % 12 === 0 ? `${m / 12} an${m / 12 > 1 ? "s" : ""}` : `${m} mois`);
  const rule = minMonths === maxMonths ? `dure ${span(minMonths)}` : `dure de ${span(minMonths)} à ${span(maxMonths)}`;
  return fail(tooShort ? "TERM_TOO_SHORT" : "TERM_TOO_LONG", `Un ${KIND_LABELS[kind].toLowerCase()} ${rule}.`, {
    field: "endsOn",
    status: 422,
  });
}

/** Yearly rent of a plot: surface (m²) × rent per hectare ÷ 10 000, rounded half-up to the cent. */
export const yearlyRent = (surfaceM2: number, rentPerHectareCents: number) =>
  divRoundHalfUp(surfaceM2 * rentPerHectareCents, 10_000);

/** Indexed rent: rent × new index ÷ previous index, rounded half-up to the cent. */
export const indexedRent = (rentCents: number, previousIndex: number, newIndex: number) =>
  divRoundHalfUp(rentCents * newIndex, previousIndex);

export function boundsRefusal(
  rentPerHectareCents: number,
  bounds: { minPerHectareCents: number; maxPerHectareCents: number } | null,
  year: number,
): Failure | null {
  if (!bounds)
    return fail("NO_BOUNDS", `Saisissez d'abord les bornes préfectorales du fermage pour ${year}.`, {
      field: "rentPerHectare",
      status: 422,
    });
  if (rentPerHectareCents < bounds.minPerHectareCents || rentPerHectareCents > bounds.maxPerHectareCents) {
    const euros = (c: number) =>
      `${(c / 100).toLocaleString("fr-FR", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} €`;
    return fail(
      "OUT_OF_BOUNDS",
      `Le loyer doit rester entre ${euros(bounds.minPerHectareCents)} et ${euros(bounds.maxPerHectareCents)} par hectare (bornes préfectorales ${year}).`,
      { field: "rentPerHectare", status: 422 },
    );
  }
  return null;
}

export type Period = { periodStart: IsoDate; periodEnd: IsoDate; dueOn: IsoDate; amountCents: number };

/**
 * The rent schedule of [startsOn, endsOn): periods of 12, 3 or 1 months from the start, due on their first day
 * (rent is paid in advance). Within each lease year the yearly rent is split in equal parts, the leftover cents
 * going one each to the first instalments, so a full year always sums to the yearly rent; a last, shorter
 * period is charged pro rata of its days over 365, rounded half-up.
 */
export function schedule(input: {
  startsOn: IsoDate;
  endsOn: IsoDate;
  yearlyRentCents: number;
  frequency: InstalmentFrequency;
}): Period[] {
  const step = STEP_MONTHS[input.frequency];
  const perYear = 12 / step;
  const base = Math.floor(input.yearlyRentCents / perYear);
  const leftover = input.yearlyRentCents - base * perYear;
  const periods: Period[] = [];
  for (let i = 0; ; i++) {
    const periodStart = addMonths(input.startsOn, i * step);
    if (periodStart >= input.endsOn) break;
    const fullEnd = addMonths(input.startsOn, (i + 1) * step);
    const periodEnd = fullEnd < input.endsOn ? fullEnd : input.endsOn;
    const full = periodEnd === fullEnd;
    const amountCents = full
      ? base + (i % perYear < leftover ? 1 : 0)
      : divRoundHalfUp(input.yearlyRentCents * daysBetween(periodStart, periodEnd), 365);
    periods.push({ periodStart, periodEnd, dueOn: periodStart, amountCents });
  }
  return periods;
}

/** "122,55" or "122.55" → 12255 (hundredths); null when it is not a positive index with at most two decimals. */
export function parseIndex(text: string): number | null {
  const m = /^\s*(\d{1,4})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const value = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return value > 0 ? value : null;
}

export const formatIndex = (value: number) =>
  (value / 100).toLocaleString("fr-FR", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "1,25 ha (12 500 m²)". */
export const formatSurface = (m2: number) =>
  `${(m2 / 10_000).toLocaleString("fr-FR", { maximumFractionDigits: 2 })} ha (${m2.toLocaleString("fr-FR")} m²)`;

/** A lease or a period runs [start, end): people read its last day, the day before its end. */
export const lastDay = (endsOn: string | Date) => new Date(new Date(endsOn).getTime() - 86_400_000);

/** "du 1 mars 2027 au 29 février 2028" (the last day, not the exclusive end). */
export const termText = (startsOn: string | Date, endsOn: string | Date, style: "date" | "short" = "date") =>
  `du ${formatDate(startsOn, style)} au ${formatDate(lastDay(endsOn), style)}`;
