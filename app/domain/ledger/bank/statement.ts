import { MAX_CENTS } from "~/domain/money";
import { formatCents } from "~/utils/format";
import { fail, ok, type Failure, type Result } from "../../result";
import { isIsoDate, type IsoDate } from "../dates";

// What every bank file becomes once read: a statement of one account over a period, its balances when the file
// gives them, and its lines as signed cents (money in > 0, as the bank sees the account).

export type BankFormat = "OFX" | "CAMT053" | "CSV";

export const BANK_FORMAT_LABELS: Record<BankFormat, string> = { OFX: "OFX", CAMT053: "CAMT.053", CSV: "CSV" };

export type StatementLine = {
  date: IsoDate;
  /** Signed cents: a credit to the account (money in) > 0, a debit < 0; never 0. */
  amount: number;
  label: string;
  /** The reference shown to staff (end-to-end id, cheque number…). */
  reference: string | null;
  /** The bank's own id of the line (OFX FITID, CAMT AcctSvcrRef or NtryRef), which names it across files. */
  bankRef: string | null;
};

export type ParsedStatement = {
  format: BankFormat;
  accountId: string | null;
  fromDate: IsoDate;
  toDate: IsoDate;
  openingCents: number | null;
  closingCents: number | null;
  lines: StatementLine[];
  /** Lines of the file left out: not booked yet (CAMT "PDNG") or of a zero amount. */
  ignored: number;
};

export type ParseFailure = Failure<"NOT_A_STATEMENT" | "MALFORMED" | "UNSUPPORTED" | "CSV_MAPPING">;
export type ParseResult<T = ParsedStatement> = Result<T, ParseFailure["code"]>;

/** The file field: every refusal of a file's content is its message. */
export const FILE_FIELD = "fichier";

export const notAStatement = (): ParseFailure =>
  fail(
    "NOT_A_STATEMENT",
    "Ce fichier n'est pas un relevé bancaire reconnu : importez un relevé OFX, CAMT.053 (XML) ou CSV exporté de votre banque.",
    { field: FILE_FIELD, status: 422 },
  );

export const malformed = (message: string, field = FILE_FIELD): ParseFailure =>
  fail("MALFORMED", message, { field, status: 422 });

export const unsupported = (message: string): ParseFailure =>
  fail("UNSUPPORTED", message, { field: FILE_FIELD, status: 422 });

/**
 * An amount as banks write it into cents, without floating point: "-1234.56", "1 234,56", "+12", "-,50",
 * "(12,50)" for a negative. `decimal` is the separator of the cents; the other one (and spaces) group thousands.
 * More than two decimals are accepted only when the extra digits are zeros. Null when unreadable.
 */
export function parseBankAmount(input: string, decimal: "." | "," = "."): number | null {
  let text = input.replace(/[\s\u00a0\u202f']/g, "").replace(/€|EUR$/i, "");
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1);
  }
  if (/^[-−+]/.test(text)) {
    negative = negative !== /^[-−]/.test(text);
    text = text.slice(1);
  } else if (/[-−]$/.test(text)) {
    negative = !negative;
    text = text.slice(0, -1);
  }
  const thousands = decimal === "," ? "." : ",";
  // A thousands separator groups exactly three digits.
  if (text.includes(thousands)) {
    const [whole] = text.split(decimal);
    if (!/^\d{1,3}(\.\d{3})+$/.test(whole.replaceAll(thousands, "."))) return null;
    text = text.replaceAll(thousands, "");
  }
  const match = new RegExp(`^(\\d*)(?:\\${decimal}(\\d*))?$`).exec(text);
  if (!match || (match[1] === "" && !match[2])) return null;
  const fraction = match[2] ?? "";
  if (fraction.length > 2 && !/^0+$/.test(fraction.slice(2))) return null;
  const units = match[1].replace(/^0+(?=\d)/, "") || "0";
  if (units.length > 9) return null;
  const amount = Number(units) * 100 + Number(fraction.slice(0, 2).padEnd(2, "0"));
  return negative ? -amount : amount;
}

/** "20261105", "20261105120000[+1:CET]" → "2026-11-05"; null when not a real day. */
export function compactToIso(value: string | null | undefined): IsoDate | null {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(value?.trim() ?? "");
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  return isIsoDate(iso) ? iso : null;
}

/** "2026-11-05" or "2026-11-05T10:00:00+01:00" → "2026-11-05"; null when not a real day. */
export function isoPrefix(value: string | null | undefined): IsoDate | null {
  const iso = value?.trim().slice(0, 10) ?? "";
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) && isIsoDate(iso) ? iso : null;
}

/** Upper case without accents ("Réglement" → "REGLEMENT"): how labels are compared across banks and books. */
export const foldText = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toUpperCase();

// eslint-disable-next-line no-control-regex -- control characters are what this removes
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]+/g;
const MAX_LABEL = 300;

/** One line of readable text: controls and runs of spaces collapsed, cut to a length a table shows. */
export const cleanText = (value: string | null | undefined, max = MAX_LABEL) =>
  (value ?? "")
    .replace(CONTROLS, " ")
    .replace(/\s{2,}/g, " ")
    .trim()
    .slice(0, max);

/** Joins label parts, leaving out a part another already holds ("VIR SEPA DUPONT" and "DUPONT"). */
export function joinLabel(parts: (string | null | undefined)[]) {
  const kept: string[] = [];
  for (const raw of parts) {
    const part = cleanText(raw);
    if (!part) continue;
    const lower = part.toLowerCase();
    if (kept.some((k) => k.toLowerCase().includes(lower))) continue;
    for (let i = kept.length - 1; i >= 0; i--) if (lower.includes(kept[i].toLowerCase())) kept.splice(i, 1);
    kept.push(part);
  }
  return cleanText(kept.join(" — "));
}

/**
 * Checks a statement read from a file and settles its period: zero-amount lines are left out (counted as
 * ignored), an amount past the ceiling is refused, and the period covers every line.
 */
export function finishStatement(
  input: Omit<ParsedStatement, "fromDate" | "toDate" | "ignored"> & {
    fromDate: IsoDate | null;
    toDate: IsoDate | null;
    ignored?: number;
  },
): ParseResult {
  const lines = input.lines.filter((l) => l.amount !== 0);
  let ignored = (input.ignored ?? 0) + input.lines.length - lines.length;
  for (const [i, line] of lines.entries()) {
    if (Math.abs(line.amount) > MAX_CENTS) {
      return malformed(
        `La ligne ${i + 1} du relevé (${line.label || "sans libellé"}) dépasse ${formatCents(MAX_CENTS)} : ce montant n'est pas pris en charge.`,
      );
    }
    if (!line.label) line.label = line.amount > 0 ? "Crédit" : "Débit";
  }
  for (const balance of [input.openingCents, input.closingCents]) {
    if (balance !== null && Math.abs(balance) > MAX_CENTS * 10) {
      return malformed("Le solde indiqué par le relevé est illisible.");
    }
  }
  const days = lines.map((l) => l.date).sort();
  let fromDate = input.fromDate ?? days[0] ?? input.toDate;
  let toDate = input.toDate ?? days[days.length - 1] ?? input.fromDate;
  if (!fromDate || !toDate) return malformed("Ce relevé ne contient aucune opération ni aucune période.");
  if (fromDate > toDate) [fromDate, toDate] = [toDate, fromDate];
  if (days.length) {
    if (days[0] < fromDate) fromDate = days[0];
    if (days[days.length - 1] > toDate) toDate = days[days.length - 1];
  }
  ignored = Math.max(0, ignored);
  return ok({ ...input, lines, fromDate, toDate, ignored });
}
