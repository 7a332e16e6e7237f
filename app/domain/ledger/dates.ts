import { PARIS_TIME_ZONE } from "~/utils/format";

// Accounting dates are calendar dates ("2027-03-31"), stored as SQL `date`. Prisma maps them to a Date at UTC
// midnight; these helpers keep that convention in one place. The brand says the string was checked to be a real
// day: a timestamp, a "2027-02-30" or a French "31/03/2027" cannot reach a posting or a lease unparsed.
declare const isoDateBrand: unique symbol;
export type IsoDate = string & { readonly [isoDateBrand]: true };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date between 1900 and 2999 (PostgreSQL has no year 0; nothing older belongs in the books). */
export function isIsoDate(value: string): value is IsoDate {
  if (!ISO_DATE.test(value) || value < "1900" || value >= "3000") return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/** Parses a day that must be valid (a constant, a value already checked upstream): throws otherwise. */
export function isoDate(value: string): IsoDate {
  if (!isIsoDate(value)) throw new TypeError(`Date invalide : ${JSON.stringify(value)} (attendu AAAA-MM-JJ).`);
  return value;
}

/** 1 January and 31 December: the calendar year a pole's books default to when no fiscal year says otherwise. */
export const firstDayOfYear = (year: string | number) => isoDate(`${year}-01-01`);
export const lastDayOfYear = (year: string | number) => isoDate(`${year}-12-31`);

export const toSqlDate = (iso: IsoDate) => new Date(`${iso}T00:00:00Z`);
// An SQL date read back, or a day formatted from an instant, is a calendar day by construction.
export const fromSqlDate = (date: Date) => date.toISOString().slice(0, 10) as IsoDate;

const parisDay = new Intl.DateTimeFormat("en-CA", {
  timeZone: PARIS_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The calendar day an instant falls on in Europe/Paris: a payment at 23:30 UTC on 31 March is dated 1 April. */
export const parisDate = (instant: Date) => parisDay.format(instant) as IsoDate;

/** "Exercice 2027" for a calendar year, else "Exercice 01/07/2026 – 30/06/2027". */
export function fiscalYearLabel(startDate: IsoDate, endDate: IsoDate) {
  return startDate.slice(5) === "01-01" && endDate.slice(5) === "12-31" && startDate.slice(0, 4) === endDate.slice(0, 4)
    ? `Exercice ${startDate.slice(0, 4)}`
    : `Exercice ${startDate.split("-").reverse().join("/")} – ${endDate.split("-").reverse().join("/")}`;
}

/** "2027-03-31" → "20270331" (FEC). */
export const compactDate = (iso: IsoDate) => iso.replaceAll("-", "");
