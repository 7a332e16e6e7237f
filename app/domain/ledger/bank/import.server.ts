import { createHash } from "node:crypto";
import { inTransaction, type Client } from "~/utils/db.server";
import { formatDate, formatNumber } from "~/utils/format";
import { fail, ok, type Result } from "../../result";
import { toSqlDate, type IsoDate } from "../dates";
import { inspectCsv, type CsvMapping } from "./csv";
import { decodeStatementFile, detectFormat, parseStatement } from "./detect";
import { cleanText, FILE_FIELD, foldText, type BankFormat, type ParsedStatement } from "./statement";

// Importing a statement file: read it whatever its format, refuse it whole when it is not a statement or is cut
// short, refuse the same file twice (its SHA-256), and keep each line once across overlapping files (its
// fingerprint). Nothing is written unless the whole file was read.

export type ImportInput = {
  poleId: string;
  filename: string;
  bytes: Uint8Array;
  /** The columns of a CSV; without it a CSV answers the mapping step. */
  mapping?: CsvMapping;
  importedById: string | null;
  now: Date;
};

export type CsvInspection = Extract<ReturnType<typeof inspectCsv>, { ok: true }>["value"];

export type ImportOutcome =
  | ({ step: "mapping"; format: "CSV"; filename: string } & CsvInspection)
  | {
      step: "imported";
      statementId: string;
      format: BankFormat;
      fromDate: IsoDate;
      toDate: IsoDate;
      /** Lines written. */
      imported: number;
      /** Lines already imported from an overlapping file, left out. */
      skipped: number;
      /** Lines of the file that are no operation (pending, zero). */
      ignored: number;
    };

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const normaliseLabel = (label: string) =>
  foldText(label)
    .replace(/[^A-Z0-9]+/g, " ")
    .trim();

/**
 * Names each line across files: the bank's own id (FITID, AcctSvcrRef, NtryRef) when the file gives one, else its
 * day, amount and label with its rank among identical lines of the file (two 12,50 € fees on one day stay two).
 */
export function lineFingerprints(statement: Pick<ParsedStatement, "accountId" | "lines">): string[] {
  const account = statement.accountId ?? "";
  const seen = new Map<string, number>();
  return statement.lines.map((line) => {
    const base = line.bankRef
      ? `ref|${account}|${line.bankRef}`
      : `line|${account}|${line.date}|${line.amount}|${normaliseLabel(line.label)}`;
    const rank = (seen.get(base) ?? 0) + 1;
    seen.set(base, rank);
    const digest = createHash("sha256").update(`${base}|${rank}`).digest("hex");
    return `${line.bankRef ? "ref" : "line"}:${digest}`;
  });
}

const duplicateFile = (statement: { filename: string; importedAt: Date }) =>
  fail(
    "DUPLICATE_FILE",
    `Ce fichier a déjà été importé le ${formatDate(statement.importedAt, "short")} (« ${statement.filename} ») : rien n'a été ajouté.`,
    { field: FILE_FIELD, status: 409 },
  );

export async function importStatement(client: Client, input: ImportInput): Promise<Result<ImportOutcome>> {
  if (input.bytes.byteLength === 0) {
    return fail("EMPTY", "Choisissez le fichier du relevé à importer.", { field: FILE_FIELD, status: 400 });
  }
  const filename = cleanText(input.filename, 200) || "relevé";
  const text = decodeStatementFile(input.bytes);
  if (!text.ok) return text;
  const format = detectFormat(text.value);
  if (!format.ok) return format;

  const hash = sha256(input.bytes);
  const already = await client.bankStatement.findUnique({
    where: { poleId_sha256: { poleId: input.poleId, sha256: hash } },
  });
  if (already) return duplicateFile(already);

  if (format.value === "CSV" && !input.mapping) {
    const inspection = inspectCsv(text.value);
    if (!inspection.ok) return inspection;
    return ok({ step: "mapping", format: "CSV", filename, ...inspection.value });
  }
  const parsed = parseStatement(text.value, format.value, input.mapping);
  if (!parsed.ok) return parsed;
  const statement = parsed.value;
  const fingerprints = lineFingerprints(statement);

  return inTransaction(client, async (tx) => {
    // The unique (poleId, sha256) settles two uploads of one file at once: the second inserts nothing.
    const [created] = await tx.bankStatement.createManyAndReturn({
      data: [
        {
          poleId: input.poleId,
          format: statement.format,
          filename,
          sha256: hash,
          accountId: statement.accountId,
          fromDate: toSqlDate(statement.fromDate),
          toDate: toSqlDate(statement.toDate),
          openingCents: statement.openingCents,
          closingCents: statement.closingCents,
          importedById: input.importedById,
          importedAt: input.now,
        },
      ],
      skipDuplicates: true,
    });
    if (!created) {
      const first = await tx.bankStatement.findUniqueOrThrow({
        where: { poleId_sha256: { poleId: input.poleId, sha256: hash } },
      });
      return duplicateFile(first);
    }
    // A line already imported from an overlapping file keeps its first statement: the unique fingerprint skips it.
    const { count } = await tx.bankLine.createMany({
      data: statement.lines.map((line, i) => ({
        poleId: input.poleId,
        statementId: created.id,
        date: toSqlDate(line.date),
        amount: line.amount,
        label: line.label,
        reference: line.reference,
        fingerprint: fingerprints[i],
      })),
      skipDuplicates: true,
    });
    return ok({
      step: "imported" as const,
      statementId: created.id,
      format: statement.format,
      fromDate: statement.fromDate,
      toDate: statement.toDate,
      imported: count,
      skipped: statement.lines.length - count,
      ignored: statement.ignored,
    });
  });
}

/** "12 lignes importées, 3 déjà présentes (relevé précédent), 1 ignorée." */
export function describeImport(outcome: Extract<ImportOutcome, { step: "imported" }>) {
  const parts = [`${formatNumber(outcome.imported)} ligne(s) importée(s)`];
  if (outcome.skipped)
    parts.push(`${formatNumber(outcome.skipped)} déjà importée(s) d'un relevé précédent, écartée(s)`);
  if (outcome.ignored) parts.push(`${formatNumber(outcome.ignored)} sans montant ou en attente, ignorée(s)`);
  return `Relevé importé : ${parts.join(", ")}.`;
}
