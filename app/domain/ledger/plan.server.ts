import Papa from "papaparse";
import { Prisma } from "~/generated/prisma/client";
import type { PlanPeriod, Stream } from "~/generated/prisma/enums";
import { inTransaction, type Client } from "~/utils/db.server";
import { hasControlCharacter } from "~/utils/validation";
import { fail, ok, type Failure, type Success } from "../result";
import {
  csvHeader,
  formatEurosPlain,
  MAX_PLAN_CENTS,
  parseEuros,
  parsePeriod,
  parseStream,
  PLAN_CSV_COLUMNS,
  type PlanLineInput,
} from "./plan-schemas";
import { STREAMS } from "./streams";

// The business plan: targets per stream, per month or per year, of one fiscal year. Plan lines are not ledger
// rows: staff edit and delete them freely. The database keeps one line per (year, stream, label whatever its
// case, month) — index "BusinessPlanLine_target_key".

const DUPLICATE = "Une ligne de ce flux porte déjà ce libellé pour cette période.";

export async function listPlanLines(tx: Client, input: { poleId: string; fiscalYearId: string }) {
  const lines = await tx.businessPlanLine.findMany({
    where: { poleId: input.poleId, fiscalYearId: input.fiscalYearId },
  });
  const rank = (s: Stream) => STREAMS.indexOf(s);
  return lines.sort(
    (a, b) =>
      rank(a.stream) - rank(b.stream) || (a.month ?? 0) - (b.month ?? 0) || a.label.localeCompare(b.label, "fr"),
  );
}

async function findYear(tx: Client, poleId: string, fiscalYearId: string) {
  return tx.fiscalYear.findFirst({ where: { id: fiscalYearId, poleId } });
}

async function sameTarget(
  tx: Client,
  input: { fiscalYearId: string; stream: Stream; label: string; month: number | null; exceptId?: string },
) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "BusinessPlanLine"
    WHERE "fiscalYearId" = ${input.fiscalYearId} AND "stream" = ${input.stream}::"Stream"
      AND lower("label") = lower(${input.label}) AND coalesce("month", 0) = ${input.month ?? 0}
      AND "id" <> ${input.exceptId ?? ""}`;
  return rows.length > 0;
}

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === "P2002";

/** Creates a plan line, or updates the one named by `id`. A second line with the same target is refused (409). */
export async function savePlanLine(tx: Client, input: { poleId: string; fiscalYearId: string } & PlanLineInput) {
  const year = await findYear(tx, input.poleId, input.fiscalYearId);
  if (!year) return fail("NOT_FOUND", "Cet exercice n'existe pas.", { status: 404 });
  const month = input.period === "MONTH" ? (input.month ?? null) : null;
  if (input.period === "MONTH" && month === null)
    return fail("INVALID", "Choisissez le mois d'une ligne mensuelle.", { field: "month", status: 400 });
  const data = { stream: input.stream, label: input.label.trim(), period: input.period, month, amount: input.amount };
  if (input.id) {
    const existing = await tx.businessPlanLine.findFirst({
      where: { id: input.id, poleId: input.poleId, fiscalYearId: year.id },
    });
    if (!existing) return fail("NOT_FOUND", "Cette ligne du plan n'existe plus.", { status: 404 });
  }
  if (await sameTarget(tx, { fiscalYearId: year.id, ...data, exceptId: input.id }))
    return fail("TAKEN", DUPLICATE, { field: "label", status: 409 });
  try {
    const line = input.id
      ? await tx.businessPlanLine.update({ where: { id: input.id }, data })
      : await tx.businessPlanLine.create({ data: { poleId: input.poleId, fiscalYearId: year.id, ...data } });
    return ok(line);
  } catch (error) {
    // A concurrent save took the same target between the check and the write: the unique index answered.
    if (isUniqueViolation(error)) return fail("TAKEN", DUPLICATE, { field: "label", status: 409 });
    throw error;
  }
}

/**
 * Adds plan lines to a fiscal year, leaving out any whose target (stream, label, month) the year already has:
 * a line staff edited stays as they left it. For setting up a pole; staff go through savePlanLine.
 */
export async function addPlanLines(
  tx: Client,
  input: {
    poleId: string;
    fiscalYearId: string;
    lines: readonly { stream: Stream; label: string; month?: number | null; amount: number }[];
  },
) {
  // ON CONFLICT DO NOTHING on the target index.
  const { count } = await tx.businessPlanLine.createMany({
    data: input.lines.map((l) => ({
      poleId: input.poleId,
      fiscalYearId: input.fiscalYearId,
      stream: l.stream,
      label: l.label,
      period: l.month ? ("MONTH" as const) : ("YEAR" as const),
      month: l.month ?? null,
      amount: l.amount,
    })),
    skipDuplicates: true,
  });
  return count;
}

export async function deletePlanLine(tx: Client, input: { poleId: string; id: string }) {
  const line = await tx.businessPlanLine.findFirst({
    where: { id: input.id, poleId: input.poleId },
    select: { id: true, fiscalYearId: true },
  });
  if (!line) return fail("NOT_FOUND", "Cette ligne du plan n'existe plus.", { status: 404 });
  const { count } = await tx.businessPlanLine.deleteMany({ where: { id: line.id } });
  return count === 1 ? ok(line) : fail("NOT_FOUND", "Cette ligne du plan n'existe plus.", { status: 404 });
}

// ─── CSV ────────────────────────────────────────────────────────────────────────────────────────────────────

const BOM = "\uFEFF";
const PERIOD_CSV: Record<PlanPeriod, string> = { MONTH: "mensuel", YEAR: "annuel" };

/**
 * The plan as CSV for a French spreadsheet: UTF-8 with a BOM (so Excel does not read it as Windows-1252), `;`
 * between fields, CRLF line ends, amounts in euros with a decimal comma and no grouping (a grouped "1 250,00"
 * would be read as text; the import accepts both).
 */
export async function exportPlanCsv(tx: Client, input: { poleId: string; fiscalYearId: string }) {
  const lines = await listPlanLines(tx, input);
  const csv = Papa.unparse(
    {
      fields: [...PLAN_CSV_COLUMNS],
      data: lines.map((l) => [
        l.stream,
        l.label,
        PERIOD_CSV[l.period],
        l.month === null ? "" : String(l.month),
        formatEurosPlain(l.amount),
      ]),
    },
    { delimiter: ";", newline: "\r\n", quotes: false, escapeFormulae: true },
  );
  return `${BOM}${csv}\r\n`;
}

export type PlanRowError = { line: number; field: (typeof PLAN_CSV_COLUMNS)[number] | null; message: string };
export type PlanImportFailure = Failure<"INVALID_FILE" | "INVALID_ROWS" | "NOT_FOUND"> & { rows: PlanRowError[] };

type ParsedRow = {
  line: number;
  stream: Stream;
  label: string;
  period: PlanPeriod;
  month: number | null;
  amount: number;
};

const MAX_ROWS = 2000;

/** Reads the CSV into rows, or every problem with its line number (the header is line 1) and column. */
export function parsePlanCsv(
  text: string,
): { ok: true; rows: ParsedRow[] } | { ok: false; message: string; rows: PlanRowError[] } {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { delimiter: ";", skipEmptyLines: false });
  const [header, ...records] = parsed.data;
  const columns = (header ?? []).map(csvHeader);
  const missing = PLAN_CSV_COLUMNS.filter((c) => !columns.includes(c));
  if (!header || missing.length > 0) {
    return {
      ok: false,
      message: `La première ligne du fichier doit nommer les colonnes ${PLAN_CSV_COLUMNS.join(";")} (manquantes : ${missing.join(", ")}).`,
      rows: [],
    };
  }
  const at = (record: string[], column: (typeof PLAN_CSV_COLUMNS)[number]) =>
    (record[columns.indexOf(column)] ?? "").trim();
  const errors: PlanRowError[] = [];
  const rows: ParsedRow[] = [];
  const seen = new Map<string, number>();
  records.forEach((record, index) => {
    const line = index + 2;
    if (record.every((cell) => cell.trim() === "")) return;
    const before = errors.length;
    const problem = (field: PlanRowError["field"], message: string) => errors.push({ line, field, message });
    if (record.length !== header.length)
      problem(null, `${record.length} colonnes au lieu de ${header.length} (séparateur « ; » attendu).`);
    const unreadable = record.findIndex(hasControlCharacter);
    if (unreadable >= 0) {
      const column = columns[unreadable] as PlanRowError["field"] | undefined;
      problem(
        column && PLAN_CSV_COLUMNS.includes(column) ? column : null,
        "Cette cellule contient des caractères invisibles non autorisés (caractères de contrôle).",
      );
      return;
    }

    const streamText = at(record, "flux");
    const stream = parseStream(streamText);
    if (!stream)
      problem("flux", streamText ? `Flux inconnu « ${streamText} » (${STREAMS.join(", ")}).` : "Indiquez le flux.");

    // The export guards formula-looking labels with a leading apostrophe (CSV injection); take it back off.
    const label = at(record, "libelle").replace(/^'(?=[=+\-@\t\r])/, "");
    if (!label) problem("libelle", "Indiquez un libellé.");
    else if (label.length > 120) problem("libelle", "Le libellé tient en 120 caractères.");

    const periodText = at(record, "periode");
    const period = parsePeriod(periodText);
    if (!period) problem("periode", `Période inconnue « ${periodText} » : « mensuel » ou « annuel ».`);

    const monthText = at(record, "mois");
    let month: number | null = null;
    if (period === "MONTH") {
      month = /^\d{1,2}$/.test(monthText) ? Number(monthText) : NaN;
      if (!(month >= 1 && month <= 12)) problem("mois", `Mois invalide « ${monthText} » : un nombre de 1 à 12.`);
    } else if (period === "YEAR" && monthText) {
      problem("mois", "Une ligne annuelle ne porte pas de mois : laissez la colonne vide.");
    }

    const amountText = at(record, "montant");
    const amount = parseEuros(amountText);
    if (amount === null)
      problem("montant", `Montant invalide « ${amountText} » : un montant positif en euros, par exemple 1 250,00.`);
    else if (amount > MAX_PLAN_CENTS)
      problem("montant", "Ce montant est trop élevé pour un objectif de plan d'affaires.");

    if (errors.length > before) return;
    const key = `${stream}|${label.toLowerCase()}|${month ?? 0}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problem("libelle", `Même flux, libellé et période qu'à la ligne ${first}.`);
      return;
    }
    seen.set(key, line);
    rows.push({ line, stream: stream!, label, period: period!, month, amount: amount! });
  });
  if (rows.length + errors.length > MAX_ROWS)
    return { ok: false, message: `Le fichier dépasse ${MAX_ROWS} lignes.`, rows: [] };
  if (errors.length > 0) {
    return {
      ok: false,
      message: `${new Set(errors.map((e) => e.line)).size} ligne(s) invalide(s) : rien n'a été importé.`,
      rows: errors,
    };
  }
  if (rows.length === 0) return { ok: false, message: "Le fichier ne contient aucune ligne de plan.", rows: [] };
  return { ok: true, rows };
}

/**
 * Imports a plan CSV into a fiscal year in one transaction: each row updates the line with the same stream,
 * label (whatever its case) and month, or creates it. Nothing is written when any row is invalid. Lines of the
 * year that the file does not mention are kept.
 */
export async function importPlanCsv(
  client: Client,
  input: { poleId: string; fiscalYearId: string; text: string },
): Promise<Success<{ created: number; updated: number }> | PlanImportFailure> {
  const parsed = parsePlanCsv(input.text);
  if (!parsed.ok)
    return {
      ...fail(parsed.rows.length ? "INVALID_ROWS" : "INVALID_FILE", parsed.message, { field: "fichier", status: 400 }),
      rows: parsed.rows,
    };
  return inTransaction(client, async (tx) => {
    const year = await findYear(tx, input.poleId, input.fiscalYearId);
    if (!year) return { ...fail("NOT_FOUND", "Cet exercice n'existe pas.", { status: 404 }), rows: [] };
    const values = parsed.rows.map(
      (r) =>
        Prisma.sql`(gen_random_uuid()::text, ${input.poleId}, ${year.id}, ${r.stream}::"Stream", ${r.label}, ${r.period}::"PlanPeriod", ${r.month}::int, ${r.amount}, now())`,
    );
    // One statement: the conflict target is the expression index, so "the same line" means the same thing as
    // for the forms. xmax = 0 tells an inserted row from an updated one.
    const written = await tx.$queryRaw<{ inserted: boolean }[]>`
      INSERT INTO "BusinessPlanLine" ("id", "poleId", "fiscalYearId", "stream", "label", "period", "month", "amount", "updatedAt")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("fiscalYearId", "stream", lower("label"), coalesce("month", 0))
      DO UPDATE SET "label" = EXCLUDED."label", "period" = EXCLUDED."period", "amount" = EXCLUDED."amount", "updatedAt" = now()
      RETURNING (xmax = 0) AS inserted`;
    const created = written.filter((w) => w.inserted).length;
    return ok({ created, updated: written.length - created });
  });
}
