import { MONTH_NAMES } from "~/domain/ledger/plan-schemas";

// Deterministic labels (no Intl for months and percentages) so the server's and the browser's renders agree.
const SHORT = [
  "janv.",
  "févr.",
  "mars",
  "avr.",
  "mai",
  "juin",
  "juil.",
  "août",
  "sept.",
  "oct.",
  "nov.",
  "déc.",
] as const;

/** "2027-03" → "mars 2027" */
export const monthLabel = (month: string) => `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
/** "2027-03" → "mars" (charts' axis) */
export const shortMonth = (month: string) => SHORT[Number(month.slice(5, 7)) - 1];

export { formatPercent } from "~/utils/format";
