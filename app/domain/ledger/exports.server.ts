import type { Journal, Stream } from "~/generated/prisma/enums";
import { CSV_BOM, csvAmount, csvRows, frenchDate } from "~/utils/csv";
import { inTransaction, type Client, type Tx } from "~/utils/db.server";
import { fail, ok, type Result } from "../result";
import { compactDate, fromSqlDate, isIsoDate, type IsoDate } from "./dates";
import type { FrozenLabels } from "./closing.server";
import { LedgerError } from "./errors";
import { encodeLatin9 } from "./latin9";
import { STREAM_LABELS } from "./streams";

// Exports of the books: a CSV of entry lines for any period (spreadsheets, the accountant) and the FEC, the
// fichier des écritures comptables the tax administration asks for (article A47 A-1 of the LPF).

// ─── CSV ─────────────────────────────────────────────────────────────────────────────────────────────────────

export const CSV_HEADER = [
  "Date",
  "Journal",
  "N° pièce",
  "Libellé",
  "Compte",
  "Libellé du compte",
  "Débit",
  "Crédit",
  "Flux",
  "Tiers",
  "Clé source",
  "Écriture d'origine",
] as const;

/** Lines read per query: the export never holds more than one page of rows. */
export const CSV_PAGE_SIZE = 5_000;

type CsvRow = {
  id: number;
  date: IsoDate;
  journal: Journal;
  pieceRef: string;
  label: string;
  code: string;
  accountLabel: string;
  debit: number;
  credit: number;
  stream: Stream | null;
  thirdParty: string | null;
  sourceKey: string;
  originalSourceKey: string | null;
};

export type PeriodQuery = { poleId: string; from: IsoDate; to: IsoDate };

function checkPeriod({ from, to }: PeriodQuery) {
  if (!isIsoDate(from)) throw new LedgerError("INVALID", "La date de début est invalide.", "from");
  if (!isIsoDate(to)) throw new LedgerError("INVALID", "La date de fin est invalide.", "to");
  if (from > to) throw new LedgerError("INVALID", "La date de fin doit suivre la date de début.", "to");
}

/**
 * The entry lines of a period as CSV chunks: UTF-8 with a BOM and ";" separators so that French Excel opens it
 * with accents and columns right. Reads the lines by keyset pages over (date, id) — chronological, then in
 * posting order — so a million lines stream out without being loaded at once.
 */
export async function* entriesCsvChunks(
  tx: Client,
  query: PeriodQuery,
  pageSize = CSV_PAGE_SIZE,
): AsyncGenerator<string> {
  checkPeriod(query);
  yield `${CSV_BOM}${csvRows([[...CSV_HEADER]])}\r\n`;
  let after = { date: query.from, id: 0 };
  for (;;) {
    const rows = await tx.$queryRaw<CsvRow[]>`
      SELECT l."id", l."date"::text AS "date", e."journal", e."pieceRef", coalesce(l."label", e."label") AS "label",
             a."code", a."label" AS "accountLabel", l."debit", l."credit", l."stream",
             coalesce(p."name", o."name") AS "thirdParty", e."sourceKey", orig."sourceKey" AS "originalSourceKey"
      FROM "EntryLine" l
      JOIN "JournalEntry" e ON e."id" = l."entryId"
      JOIN "Account" a ON a."id" = l."accountId"
      LEFT JOIN "Person" p ON p."id" = l."thirdPartyPersonId"
      LEFT JOIN "Organisation" o ON o."id" = l."thirdPartyOrganisationId"
      LEFT JOIN "JournalEntry" orig ON orig."id" = e."reversalOfId"
      WHERE l."poleId" = ${query.poleId}
        AND l."date" BETWEEN ${query.from}::date AND ${query.to}::date
        AND (l."date", l."id") > (${after.date}::date, ${after.id}::int)
      ORDER BY l."date", l."id"
      LIMIT ${pageSize}`;
    if (rows.length === 0) return;
    yield `${csvRows(rows.map(csvFields))}\r\n`;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    after = { date: last.date, id: last.id };
  }
}

const csvFields = (r: CsvRow): string[] => [
  frenchDate(r.date),
  r.journal,
  r.pieceRef,
  r.label,
  r.code,
  r.accountLabel,
  r.debit ? csvAmount(r.debit) : "",
  r.credit ? csvAmount(r.credit) : "",
  r.stream ? STREAM_LABELS[r.stream] : "",
  r.thirdParty ?? "",
  r.sourceKey,
  r.originalSourceKey ?? "",
];

/** The whole CSV of a period as one string (small periods, tests); routes stream entriesCsvChunks instead. */
export async function entriesCsv(tx: Client, query: PeriodQuery): Promise<string> {
  let csv = "";
  for await (const chunk of entriesCsvChunks(tx, query)) csv += chunk;
  return csv;
}

export const csvFilename = ({ from, to }: { from: IsoDate; to: IsoDate }) => `ecritures-${from}-${to}.csv`;

// ─── FEC ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** The 18 fields of article A47 A-1 of the LPF, in order, with their official names. */
export const FEC_HEADER = [
  "JournalCode",
  "JournalLib",
  "EcritureNum",
  "EcritureDate",
  "CompteNum",
  "CompteLib",
  "CompAuxNum",
  "CompAuxLib",
  "PieceRef",
  "PieceDate",
  "EcritureLib",
  "Debit",
  "Credit",
  "EcritureLet",
  "DateLet",
  "ValidDate",
  "Montantdevise",
  "Idevise",
] as const;

/**
 * ISO 8859-15, not UTF-8: article A47 A-1 III 1° of the LPF (commented in BOI-CF-IOR-60-40-20) lists the
 * character sets the administration accepts — ASCII, ISO 8859-15 or EBCDIC — and UTF-8 is not among them.
 * ISO 8859-15 holds every French letter, œ and €, so accented labels survive; the rare character it lacks is
 * transliterated or replaced by "?" (see latin9.ts and docs/decisions/005-fec-encoding.md).
 */
export const FEC_ENCODING = "ISO-8859-15";

const FEC_JOURNAL_LABELS: Record<Journal, string> = {
  VT: "Ventes",
  BQ: "Banque",
  OD: "Opérations diverses",
  AN: "À-nouveaux",
};

/** Third-party (auxiliary) accounts: customers and their advances carry CompAuxNum/CompAuxLib. */
const isAuxiliaryAccount = (code: string) => code.startsWith("411") || code.startsWith("419");

/** A stable auxiliary account number per third party: "P" + person id, "O" + organisation id. */
export const auxiliaryCode = (party: { personId?: string | null; organisationId?: string | null }) =>
  party.personId ? `P${party.personId}` : party.organisationId ? `O${party.organisationId}` : "";

// eslint-disable-next-line no-control-regex -- control characters are what this removes
const FEC_BREAKERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** No separator or line break may appear inside a field: tabs, CR/LF and other controls become spaces. */
export const fecText = (value: string | null | undefined) =>
  (value ?? "").replace(FEC_BREAKERS, " ").replace(/ {2,}/g, " ").trim();

type FecRow = {
  series: string;
  number: number;
  journal: Journal;
  date: IsoDate;
  code: string;
  accountLabel: string;
  personId: string | null;
  organisationId: string | null;
  thirdParty: string | null;
  pieceRef: string;
  pieceDate: IsoDate;
  label: string;
  debit: number;
  credit: number;
  validDate: IsoDate;
  letter: string | null;
  letterDate: IsoDate | null;
};

export type FecFile = {
  filename: string;
  body: Buffer;
  encoding: typeof FEC_ENCODING;
  entryCount: number;
  lineCount: number;
};

/**
 * The FEC of one fiscal year: every entry of the year (reversals and à-nouveaux included), one line per entry
 * line. The à-nouveaux come first ("AN1", "AN2"…, their own series: the closing that posts them may come after the
 * year's first entries), then the other entries in validation order with the number (EcritureNum, 1..n without
 * gaps) and validation date stored when each was posted — a back-dated entry takes the next number and renumbers
 * nothing. Tab-separated, CRLF, dates
 * AAAAMMJJ, amounts with a decimal comma, named <SIREN>FEC<closing date>.txt. A closed year prints the account
 * labels and third-party names frozen at its closing, and its first export is recorded: from then on it cannot
 * be reopened, so the file never changes. Refuses a pole without a SIREN.
 */
export function fecExport(client: Client, input: { poleId: string; fiscalYearId: string }): Promise<Result<FecFile>> {
  return inTransaction(client, (tx) => exportYear(tx, input));
}

async function exportYear(tx: Tx, input: { poleId: string; fiscalYearId: string }): Promise<Result<FecFile>> {
  const pole = await tx.pole.findUnique({ where: { id: input.poleId }, select: { siren: true } });
  // The year's row is locked while the file is read: a reopening waits, so a closed year's export and its stamp
  // describe the same books (FOR UPDATE for a closed year, whose stamp is written here; FOR SHARE lets an open
  // year's postings go on).
  const found = await tx.fiscalYear.findFirst({ where: { id: input.fiscalYearId, poleId: input.poleId } });
  if (found) {
    if (found.closedAt) await tx.$queryRaw`SELECT 1 FROM "FiscalYear" WHERE "id" = ${found.id} FOR UPDATE`;
    else await tx.$queryRaw`SELECT 1 FROM "FiscalYear" WHERE "id" = ${found.id} FOR SHARE`;
  }
  const year = found && (await tx.fiscalYear.findUnique({ where: { id: found.id } }));
  if (!pole || !year) return fail("NOT_FOUND", "Cet exercice n'existe pas.", { field: "fiscalYearId", status: 404 });
  const siren = (pole.siren ?? "").replace(/\s+/g, "");
  if (!/^\d{9}$/.test(siren)) {
    return fail(
      "NO_SIREN",
      "Renseignez le SIREN du pôle dans les paramètres avant d'exporter le FEC : il nomme le fichier.",
      {
        field: "fiscalYearId",
        status: 409,
      },
    );
  }
  const end = fromSqlDate(year.endDate);
  const rows = await tx.$queryRaw<FecRow[]>`
    SELECT v."series", v."number", e."journal", e."date"::text AS "date", a."code", a."label" AS "accountLabel",
           l."thirdPartyPersonId" AS "personId", l."thirdPartyOrganisationId" AS "organisationId",
           coalesce(p."name", o."name") AS "thirdParty", e."pieceRef", e."pieceDate"::text AS "pieceDate",
           coalesce(l."label", e."label") AS "label", l."debit", l."credit", v."validatedOn"::text AS "validDate",
           m."letter", (m."createdAt" AT TIME ZONE 'Europe/Paris')::date::text AS "letterDate"
    FROM "EntryValidation" v
    JOIN "JournalEntry" e ON e."id" = v."entryId"
    JOIN "EntryLine" l ON l."entryId" = e."id"
    JOIN "Account" a ON a."id" = l."accountId"
    LEFT JOIN "Person" p ON p."id" = l."thirdPartyPersonId"
    LEFT JOIN "Organisation" o ON o."id" = l."thirdPartyOrganisationId"
    -- Lettrage of the bank reconciliation; a closed year shows the matches it was closed with, never later ones.
    LEFT JOIN "BankMatch" m ON m."entryLineId" = l."id"
      AND (${year.closedAt}::timestamptz IS NULL OR m."createdAt" <= ${year.closedAt}::timestamptz)
    WHERE v."fiscalYearId" = ${year.id}
    ORDER BY v."series" <> 'AN', v."number", l."id"`;

  const frozen = year.closedAt ? (year.frozenLabels as FrozenLabels | null) : null;
  const lines: string[] = [FEC_HEADER.join("\t")];
  const entries = new Set<string>();
  for (const r of rows) {
    const number = `${r.series}${r.number}`;
    entries.add(number);
    const auxiliary = isAuxiliaryAccount(r.code) && (r.personId || r.organisationId);
    const aux = auxiliary ? auxiliaryCode(r) : "";
    lines.push(
      [
        r.journal,
        FEC_JOURNAL_LABELS[r.journal],
        number,
        compactDate(r.date),
        r.code,
        fecText(frozen?.accounts[r.code] ?? r.accountLabel),
        aux,
        auxiliary ? fecText(frozen?.parties[aux] ?? r.thirdParty) : "",
        fecText(r.pieceRef),
        compactDate(r.pieceDate),
        fecText(r.label),
        csvAmount(r.debit),
        csvAmount(r.credit),
        r.letter ?? "",
        r.letterDate ? compactDate(r.letterDate) : "",
        compactDate(r.validDate),
        "",
        "",
      ].join("\t"),
    );
  }
  if (year.closedAt && !year.fecExportedAt) {
    await tx.fiscalYear.updateMany({
      where: { id: year.id, closedAt: { not: null }, fecExportedAt: null },
      data: { fecExportedAt: new Date() },
    });
  }
  return ok({
    filename: `${siren}FEC${compactDate(end)}.txt`,
    body: encodeLatin9(`${lines.join("\r\n")}\r\n`.normalize("NFC")),
    encoding: FEC_ENCODING,
    entryCount: entries.size,
    lineCount: rows.length,
  });
}
