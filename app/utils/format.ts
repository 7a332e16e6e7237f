// fr-FR formatting used everywhere: money is integer cents, instants are stored in UTC and shown in Europe/Paris.
const TIME_ZONE = "Europe/Paris";

const euro = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });
const number = new Intl.NumberFormat("fr-FR");

/** 123450 → "1 234,50 €" (with the narrow no-break spaces French typography uses). */
export function formatCents(cents: number): string {
  if (!Number.isInteger(cents)) throw new TypeError(`formatCents attend des centimes entiers, reçu ${cents}`);
  return euro.format(cents / 100);
}

const amount = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 123450 → "1 234,50", -500 → "-5,00": an amount in a table whose caption says "en euros". */
export function formatAmount(cents: number): string {
  if (!Number.isInteger(cents)) throw new TypeError(`formatAmount attend des centimes entiers, reçu ${cents}`);
  return amount.format(cents / 100);
}

export function formatNumber(value: number): string {
  return number.format(value);
}

const dateFormats = {
  date: { day: "numeric", month: "long", year: "numeric" },
  short: { day: "2-digit", month: "2-digit", year: "numeric" },
  dateTime: { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" },
  time: { hour: "2-digit", minute: "2-digit" },
  weekday: { weekday: "long", day: "numeric", month: "long" },
  longDay: { weekday: "long", day: "numeric", month: "long", year: "numeric" },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

const formatters = Object.fromEntries(
  Object.entries(dateFormats).map(([k, o]) => [k, new Intl.DateTimeFormat("fr-FR", { ...o, timeZone: TIME_ZONE })]),
) as Record<keyof typeof dateFormats, Intl.DateTimeFormat>;

/** Shows an instant in Europe/Paris: "3 mars 2027", "3 mars 2027 à 14:30", "14:30"… */
export function formatDate(value: Date | string, style: keyof typeof dateFormats = "date"): string {
  return formatters[style].format(typeof value === "string" ? new Date(value) : value);
}

export const PARIS_TIME_ZONE = TIME_ZONE;

/**
 * 0.2708 → "27,1 %", -0.65 → "−65,0 %", null → "—". Without Intl, so that the server's and the browser's renders
 * agree (the dashboard's and the annual report's figures).
 */
export function formatPercent(ratio: number | null, signed = false) {
  if (ratio === null || !Number.isFinite(ratio)) return "—";
  const value = Math.round(Math.abs(ratio) * 1000) / 10;
  const sign = ratio < 0 && value !== 0 ? "−" : signed && value !== 0 ? "+" : "";
  return `${sign}${value.toFixed(1).replace(".", ",")}\u00a0%`;
}
