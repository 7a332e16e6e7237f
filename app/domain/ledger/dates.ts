import { PARIS_TIME_ZONE } from "~/utils/format";

// Accounting dates are calendar dates ("2027-03-31"), stored as SQL `date`. Prisma maps them to a Date at UTC
// midnight; these helpers keep that convention in one place.
export type IsoDate = string;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date between 1900 and 2999 (PostgreSQL has no year 0; nothing older belongs in the books). */
export function isIsoDate(value: string): value is IsoDate {
  if (!ISO_DATE.test(value) || value < "1900" || value >= "3000") return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

export const toSqlDate = (iso: IsoDate) => new Date(`${iso}T00:00:00Z`);
export const fromSqlDate = (date: Date): IsoDate => date.toISOString().slice(0, 10);

const parisDay = new Intl.DateTimeFormat("en-CA", {
  timeZone: PARIS_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The calendar day an instant falls on in Europe/Paris: a payment at 23:30 UTC on 31 March is dated 1 April. */
export const parisDate = (instant: Date): IsoDate => parisDay.format(instant);

/** "2027-03-31" → "20270331" (FEC). */
export const compactDate = (iso: IsoDate) => iso.replaceAll("-", "");
