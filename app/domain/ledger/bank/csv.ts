import Papa from "papaparse";
import { formatNumber } from "~/utils/format";
import { fail, ok } from "../../result";
import { isIsoDate, type IsoDate } from "../dates";
import {
  cleanText,
  finishStatement,
  foldText,
  malformed,
  notAStatement,
  parseBankAmount,
  type ParseResult,
  type StatementLine,
} from "./statement";

// CSV, the fallback every bank offers: its columns differ from one bank to the next, so staff say which column
// holds what (the mapping) and how dates and amounts are written. The header row is found under whatever lines
// the bank puts above it (account number, balance…); columns are named by their header.

export const CSV_DATE_FORMATS = [
  "JJ/MM/AAAA",
  "JJ/MM/AA",
  "JJ-MM-AAAA",
  "JJ.MM.AAAA",
  "AAAA-MM-JJ",
  "AAAAMMJJ",
  "MM/JJ/AAAA",
] as const;
export type CsvDateFormat = (typeof CSV_DATE_FORMATS)[number];

export type CsvMapping = {
  date: string;
  dateFormat: CsvDateFormat;
  /** "single": one signed amount column; "split": a debit column and a credit column. */
  amountMode: "single" | "split";
  amount?: string;
  debit?: string;
  credit?: string;
  label: string;
  reference?: string;
  decimal: "," | ".";
};

export type CsvTable = { columns: string[]; rows: { line: number; cells: string[] }[] };

const DAY_MONTH_YEAR = (d: string, m: string, y: string) => `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
const DATE_READERS: Record<CsvDateFormat, (cell: string) => string | null> = {
  "JJ/MM/AAAA": (c) =>
    c
      .match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/)
      ?.slice(1, 4)
      .join("|") ?? null,
  "JJ/MM/AA": (c) =>
    c
      .match(/^(\d{1,2})\/(\d{1,2})\/(\d{2})$/)
      ?.slice(1, 4)
      .join("|") ?? null,
  "JJ-MM-AAAA": (c) =>
    c
      .match(/^(\d{1,2})-(\d{1,2})-(\d{4})$/)
      ?.slice(1, 4)
      .join("|") ?? null,
  "JJ.MM.AAAA": (c) =>
    c
      .match(/^(\d{1,2})\.(\d{1,2})\.(\d{4})$/)
      ?.slice(1, 4)
      .join("|") ?? null,
  "AAAA-MM-JJ": (c) => {
    const m = c.match(/^(\d{4})-(\d{1,2})-(\d{1,2})$/);
    return m ? [m[3], m[2], m[1]].join("|") : null;
  },
  AAAAMMJJ: (c) => {
    const m = c.match(/^(\d{4})(\d{2})(\d{2})$/);
    return m ? [m[3], m[2], m[1]].join("|") : null;
  },
  "MM/JJ/AAAA": (c) => {
    const m = c.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/);
    return m ? [m[2], m[1], m[3]].join("|") : null;
  },
};

/** A date cell in the given format ("05/11/2026 10:32" keeps its day) → an IsoDate, or null. */
export function readCsvDate(cell: string, format: CsvDateFormat): IsoDate | null {
  const value = cell.trim().split(/[\sT]/)[0] ?? "";
  const parts = DATE_READERS[format](value);
  if (!parts) return null;
  const [d, m, y] = parts.split("|");
  const iso = DAY_MONTH_YEAR(d, m, y.length === 2 ? `20${y}` : y);
  return isIsoDate(iso) ? iso : null;
}

const normalise = (header: string) =>
  foldText(header)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/**
 * The file as a table: the header is the first row with the file's usual number of columns (two at least);
 * rows above it are the bank's preamble. Null when the text is not a table.
 */
export function readCsvTable(text: string): CsvTable | null {
  if (/^\s*[<{[%]/.test(text)) return null;
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), {
    delimitersToGuess: [";", ",", "\t", "|"],
    skipEmptyLines: false,
  });
  const rows = parsed.data
    .map((cells, i) => ({ line: i + 1, cells: cells.map((c) => c ?? "") }))
    .filter((r) => r.cells.some((c) => c.trim() !== ""));
  if (rows.length < 2) return null;
  const widths = new Map<number, number>();
  for (const r of rows) widths.set(r.cells.length, (widths.get(r.cells.length) ?? 0) + 1);
  const [width] = [...widths].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0];
  if (width < 2) return null;
  const headerIndex = rows.findIndex(
    (r) => r.cells.length === width && r.cells.filter((c) => c.trim() !== "").length >= 2,
  );
  if (headerIndex === -1 || headerIndex === rows.length - 1) return null;
  const seen = new Map<string, number>();
  const columns = rows[headerIndex].cells.map((raw, i) => {
    const base = cleanText(raw, 60) || `Colonne ${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
  return { columns, rows: rows.slice(headerIndex + 1) };
}

/** A first guess of the mapping from the headers and the first rows, for staff to check. */
export function guessCsvMapping(table: CsvTable): Partial<CsvMapping> {
  const names = table.columns.map(normalise);
  const taken = new Set<number>();
  const pick = (test: (n: string) => boolean) => {
    const i = names.findIndex((n, index) => !taken.has(index) && test(n));
    if (i === -1) return undefined;
    taken.add(i);
    return table.columns[i];
  };
  const date = pick((n) => n.startsWith("date") && !n.includes("valeur")) ?? pick((n) => n.includes("date"));
  const debit = pick((n) => /\bdebit/.test(n));
  const credit = pick((n) => /\bcredit/.test(n));
  const amount = debit && credit ? undefined : pick((n) => /montant|amount|somme/.test(n));
  const label = pick((n) => /libel|label|description|intitul|motif|detail|nature|operation/.test(n));
  const reference = pick((n) => /\bref/.test(n));
  const cellsOf = (column?: string) => {
    const i = column ? table.columns.indexOf(column) : -1;
    return i === -1
      ? []
      : table.rows
          .slice(0, 20)
          .map((r) => (r.cells[i] ?? "").trim())
          .filter(Boolean);
  };
  const dates = cellsOf(date);
  const dateFormat = CSV_DATE_FORMATS.find((f) => dates.length > 0 && dates.every((c) => readCsvDate(c, f)));
  const amounts = [...cellsOf(amount), ...cellsOf(debit), ...cellsOf(credit)];
  const decimal = amounts.some((c) => /,\d{1,2}\s*(€|EUR)?\)?-?$/.test(c)) ? "," : ".";
  return {
    date,
    dateFormat,
    amountMode: debit && credit ? "split" : "single",
    amount: amount ?? (debit && !credit ? debit : undefined),
    debit: debit && credit ? debit : undefined,
    credit: debit && credit ? credit : undefined,
    label,
    reference,
    decimal,
  };
}

/** What the mapping form shows: the columns, a few rows, a guess. Refuses what is not a table. */
export function inspectCsv(text: string) {
  const table = readCsvTable(text);
  if (!table) return notAStatement();
  return ok({
    columns: table.columns,
    preview: table.rows.slice(0, 5).map((r) => r.cells.map((c) => cleanText(c, 60))),
    rowCount: table.rows.length,
    guess: guessCsvMapping(table),
  });
}

const MAX_REPORTED = 3;

export function parseCsvStatement(text: string, mapping: CsvMapping): ParseResult {
  const table = readCsvTable(text);
  if (!table) return notAStatement();
  const columnIndex = (field: keyof CsvMapping, required: boolean) => {
    const name = mapping[field];
    if (!name) {
      return required ? `Choisissez la colonne « ${FIELD_LABELS[field]} ».` : -1;
    }
    const i = table.columns.indexOf(name);
    if (i === -1) {
      return `La colonne « ${name} » n'existe pas dans ce fichier (colonnes : ${table.columns.join(", ")}).`;
    }
    return i;
  };
  const wanted: (keyof CsvMapping)[] =
    mapping.amountMode === "split" ? ["date", "debit", "credit", "label"] : ["date", "amount", "label"];
  const index: Partial<Record<keyof CsvMapping, number>> = {};
  for (const field of [...wanted, "reference" as const]) {
    const found = columnIndex(field, field !== "reference");
    if (typeof found === "string") return malformed(found, `mapping.${field}`);
    index[field] = found;
  }
  const cell = (cells: string[], field: keyof CsvMapping) =>
    index[field] === undefined || index[field] === -1 ? "" : (cells[index[field]] ?? "").trim();

  const lines: StatementLine[] = [];
  const problems: string[] = [];
  let ignored = 0;
  for (const { line, cells } of table.rows) {
    const dateCell = cell(cells, "date");
    const amountCells =
      mapping.amountMode === "split" ? [cell(cells, "debit"), cell(cells, "credit")] : [cell(cells, "amount")];
    // A row with neither date nor amount (a subtotal, a blank) is not an operation.
    if (!dateCell && amountCells.every((c) => !c)) {
      ignored += 1;
      continue;
    }
    const date = readCsvDate(dateCell, mapping.dateFormat);
    if (!date) {
      problems.push(`ligne ${line} : date « ${cleanText(dateCell, 30)} » illisible au format ${mapping.dateFormat}`);
      continue;
    }
    let amount: number | null;
    if (mapping.amountMode === "split") {
      const [debitCell, creditCell] = amountCells;
      const debit = debitCell ? parseBankAmount(debitCell, mapping.decimal) : 0;
      const credit = creditCell ? parseBankAmount(creditCell, mapping.decimal) : 0;
      amount = debit === null || credit === null ? null : Math.abs(credit) - Math.abs(debit);
    } else {
      amount = amountCells[0] ? parseBankAmount(amountCells[0], mapping.decimal) : null;
    }
    if (amount === null) {
      const shown = amountCells.filter(Boolean).join(" / ");
      problems.push(`ligne ${line} : montant « ${cleanText(shown, 30)} » illisible`);
      continue;
    }
    lines.push({
      date,
      amount,
      label: cleanText(cell(cells, "label")),
      reference: cleanText(cell(cells, "reference"), 80) || null,
      bankRef: null,
    });
  }
  if (problems.length) {
    const more = problems.length > MAX_REPORTED ? ` ; et ${formatNumber(problems.length - MAX_REPORTED)} autre(s)` : "";
    return fail(
      "MALFORMED",
      `${formatNumber(problems.length)} ligne(s) illisible(s), rien n'a été importé : ${problems.slice(0, MAX_REPORTED).join(" ; ")}${more}. Vérifiez la correspondance des colonnes, le format de date et le séparateur décimal.`,
      { field: "fichier", status: 422 },
    );
  }
  if (lines.length === 0) return malformed("Ce fichier CSV ne contient aucune opération.");
  return finishStatement({
    format: "CSV",
    accountId: null,
    fromDate: null,
    toDate: null,
    openingCents: null,
    closingCents: null,
    lines,
    ignored,
  });
}

export const FIELD_LABELS: Record<keyof CsvMapping, string> = {
  date: "Date",
  dateFormat: "Format de date",
  amountMode: "Montants",
  amount: "Montant",
  debit: "Débit",
  credit: "Crédit",
  label: "Libellé",
  reference: "Référence",
  decimal: "Séparateur décimal",
};
