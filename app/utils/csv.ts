import Papa from "papaparse";

// CSV as French spreadsheets open it: ";" separators, CRLF, UTF-8 with a BOM (added by the caller once).
export const CSV_BOM = "\uFEFF";

// Papa's own pattern, except that a plain negative amount ("-12,50", from csvSignedAmount) is a number, not a formula.
const FORMULA = /^(?!-\d+(?:,\d+)?$)[=+\-@\t\r]/;

/** Rows to CSV text. escapeFormulae: a value typed as "=HYPERLINK(…)" must not become a formula in a spreadsheet. */
export const csvRows = (rows: string[][]) =>
  Papa.unparse(rows, { delimiter: ";", newline: "\r\n", quotes: false, escapeFormulae: FORMULA });

/** A whole CSV file: BOM, header, rows. */
export const csvDocument = (header: readonly string[], rows: string[][]) =>
  `${CSV_BOM}${csvRows([[...header], ...rows])}\r\n`;

/** "2027-03-05" → "05/03/2027", the date format French Excel recognises. */
export const frenchDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** 123456 → "1234,56": decimal comma, no thousands separator (French Excel reads it as a number). */
export function csvAmount(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new TypeError(`montant en centimes invalide : ${cents}`);
  return `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, "0")}`;
}

/** Like csvAmount, negative amounts with a leading minus: -1250 → "-12,50". */
export const csvSignedAmount = (cents: number) => (cents < 0 ? `-${csvAmount(-cents)}` : csvAmount(cents));
