import type { Journal, Stream } from "~/generated/prisma/enums";
import type { Prisma, Client } from "~/utils/db.server";
import { accountRoot } from "./accounts.server";
import type { Cents } from "~/domain/money";
import { firstDayOfYear, fromSqlDate, lastDayOfYear, toSqlDate, type IsoDate } from "./dates";
import { LedgerError } from "./errors";
import { chainStart } from "./fiscal-years.server";
import { post } from "./post.server";
import { formatDate } from "~/utils/format";

// Read side of the ledger for the staff screens (journal, balance, general ledger, entry detail) and the
// manual entry, which goes through `post` like every other writer.

const lineInclude = { orderBy: { id: "asc" }, include: { account: { select: { code: true, label: true } } } } as const;

/**
 * The accounts a journal filter on `code` matches: the account and its sub-accounts. A full code stands for
 * its PCG root ("740000" → every "74…" account, where createSubAccount puts sub-accounts); a short one
 * ("74", "6") is taken as the prefix it is.
 */
export const accountFilterPrefix = (code: string) => (code.length >= 6 ? accountRoot(code) : code);

export type EntryFilter = {
  poleId: string;
  from?: IsoDate;
  to?: IsoDate;
  journal?: Journal;
  stream?: Stream;
  accountCode?: string;
  page: number;
  pageSize: number;
};

export async function listEntries(tx: Client, filter: EntryFilter) {
  const and: Prisma.JournalEntryWhereInput[] = [];
  if (filter.stream) and.push({ lines: { some: { stream: filter.stream } } });
  if (filter.accountCode)
    and.push({ lines: { some: { account: { code: { startsWith: accountFilterPrefix(filter.accountCode) } } } } });
  const where: Prisma.JournalEntryWhereInput = {
    poleId: filter.poleId,
    ...(filter.journal ? { journal: filter.journal } : {}),
    ...(filter.from || filter.to
      ? {
          date: {
            ...(filter.from ? { gte: toSqlDate(filter.from) } : {}),
            ...(filter.to ? { lte: toSqlDate(filter.to) } : {}),
          },
        }
      : {}),
    ...(and.length ? { AND: and } : {}),
  };
  const pageSize = Math.max(1, Math.min(200, filter.pageSize));
  const [total, entries] = await Promise.all([
    tx.journalEntry.count({ where }),
    tx.journalEntry.findMany({
      where,
      orderBy: [{ date: "desc" }, { createdAt: "desc" }, { id: "desc" }],
      skip: (Math.max(1, filter.page) - 1) * pageSize,
      take: pageSize,
      include: { lines: lineInclude, reversedBy: { select: { id: true } } },
    }),
  ]);
  return {
    entries,
    total,
    page: Math.max(1, filter.page),
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
  };
}

export type TrialBalanceRow = { accountId: string; code: string; label: string; debit: number; credit: number };

/**
 * Balance générale: debit and credit sums per account over [from, to], in cents, ordered by code. One SQL
 * aggregate: lines carry poleId and date (index EntryLine(poleId, date)), are summed per account first, and only
 * the few resulting rows are joined to Account. Accounts without movement in the period are left out.
 */
export async function trialBalance(tx: Client, input: { poleId: string; from: IsoDate; to: IsoDate }) {
  const rows = await tx.$queryRaw<{ accountId: string; code: string; label: string; debit: bigint; credit: bigint }[]>`
    SELECT a."id" AS "accountId", a."code", a."label", s."debit", s."credit"
    FROM (
      SELECT "accountId", sum("debit")::bigint AS "debit", sum("credit")::bigint AS "credit"
      FROM "EntryLine"
      WHERE "poleId" = ${input.poleId} AND "date" BETWEEN ${input.from}::date AND ${input.to}::date
      GROUP BY "accountId"
    ) s
    JOIN "Account" a ON a."id" = s."accountId"
    ORDER BY a."code"`;
  const accounts: TrialBalanceRow[] = rows.map((r) => ({
    accountId: r.accountId,
    code: r.code,
    label: r.label,
    debit: Number(r.debit),
    credit: Number(r.credit),
  }));
  const totals = accounts.reduce((t, r) => ({ debit: t.debit + r.debit, credit: t.credit + r.credit }), {
    debit: 0,
    credit: 0,
  });
  return { rows: accounts, totals };
}

/**
 * The balances (debit − credit) of third-party accounts (40x suppliers, 41x customers) per third party over a
 * period, non-zero ones only: the bilan places each on the side of its own sign, since a customer who paid in
 * advance is a debt, not less of what the others owe (Code de commerce L123-19: no netting of assets and
 * liabilities). An account holding a non-zero balance on lines that name no third party (a manual entry) is left
 * out: who those lines belong to is unknown, so it keeps its single net balance rather than show the same money on
 * both sides.
 */
export async function thirdPartyBalances(
  tx: Client,
  input: { poleId: string; accountIds: string[]; from: IsoDate; to: IsoDate },
) {
  if (input.accountIds.length === 0) return new Map<string, number[]>();
  const rows = await tx.$queryRaw<{ accountId: string; named: boolean; balance: bigint }[]>`
    SELECT l."accountId",
           (l."thirdPartyPersonId" IS NOT NULL OR l."thirdPartyOrganisationId" IS NOT NULL) AS "named",
           (sum(l."debit") - sum(l."credit"))::bigint AS "balance"
    FROM "EntryLine" l
    WHERE l."poleId" = ${input.poleId} AND l."accountId" = ANY(${input.accountIds}::text[])
      AND l."date" BETWEEN ${input.from}::date AND ${input.to}::date
    GROUP BY l."accountId", l."thirdPartyPersonId", l."thirdPartyOrganisationId"
    HAVING sum(l."debit") <> sum(l."credit")`;
  const anonymous = new Set(rows.filter((r) => !r.named).map((r) => r.accountId));
  const byAccount = new Map<string, number[]>();
  for (const r of rows) {
    if (anonymous.has(r.accountId)) continue;
    byAccount.set(r.accountId, [...(byAccount.get(r.accountId) ?? []), Number(r.balance)]);
  }
  return byAccount;
}

/**
 * Grand livre of one account: the balance carried from before `from`, each line of the period with the running
 * balance (debit − credit), and the closing balance. Null when the pole has no such account. The carried balance
 * starts with the fiscal year for income and expense accounts, and for balance-sheet accounts with the latest year
 * that opens with à-nouveaux (which already carry everything before it).
 */
export async function generalLedger(
  tx: Client,
  input: { poleId: string; accountCode: string; from: IsoDate; to: IsoDate },
) {
  const account = await tx.account.findUnique({
    where: { poleId_code: { poleId: input.poleId, code: input.accountCode } },
  });
  if (!account) return null;
  const year = await tx.fiscalYear.findFirst({
    where: { poleId: input.poleId, startDate: { lte: toSqlDate(input.from) }, endDate: { gte: toSqlDate(input.from) } },
  });
  const yearStart = year ? fromSqlDate(year.startDate) : firstDayOfYear(input.from.slice(0, 4));
  const since =
    account.code[0] === "6" || account.code[0] === "7" ? yearStart : await chainStart(tx, input.poleId, yearStart);
  const [before, lines] = await Promise.all([
    tx.entryLine.aggregate({
      where: {
        accountId: account.id,
        date: { lt: toSqlDate(input.from), ...(since ? { gte: toSqlDate(since) } : {}) },
      },
      _sum: { debit: true, credit: true },
    }),
    tx.entryLine.findMany({
      where: { accountId: account.id, date: { gte: toSqlDate(input.from), lte: toSqlDate(input.to) } },
      orderBy: [{ date: "asc" }, { id: "asc" }],
      include: { entry: { select: { id: true, journal: true, pieceRef: true, label: true } } },
    }),
  ]);
  const opening = (before._sum.debit ?? 0) - (before._sum.credit ?? 0);
  let balance = opening;
  const rows = lines.map((l) => {
    balance += l.debit - l.credit;
    return {
      id: l.id,
      date: fromSqlDate(l.date),
      entryId: l.entry.id,
      journal: l.entry.journal,
      pieceRef: l.entry.pieceRef,
      label: l.label ?? l.entry.label,
      stream: l.stream,
      debit: l.debit,
      credit: l.credit,
      balance,
    };
  });
  const totals = rows.reduce((t, r) => ({ debit: t.debit + r.debit, credit: t.credit + r.credit }), {
    debit: 0,
    credit: 0,
  });
  return { account, opening, lines: rows, totals, closing: balance };
}

export type EntrySource = { kind: string; label: string; href: string | null };

/**
 * Where an entry comes from, read from its sourceKey (and its invoice when it has one). The streams that do not
 * exist yet get a readable label now; give them their link here once their pages exist.
 */
export function describeSource(
  sourceKey: string,
  invoice: { id: string; number: string; kind: "INVOICE" | "CREDIT_NOTE" } | null,
): EntrySource {
  if (invoice) {
    return {
      kind: "invoice",
      label: `${invoice.kind === "INVOICE" ? "Facture" : "Avoir"} ${invoice.number}`,
      href: `/gestion/factures/${invoice.id}`,
    };
  }
  const [prefix, ...rest] = sourceKey.split(":");
  const ref = rest.join(":");
  switch (prefix) {
    case "manual":
      return { kind: "manual", label: "Saisie manuelle", href: null };
    case "reversal":
      return {
        kind: "reversal",
        label: "Contrepassation",
        href: `/gestion/comptabilite/ecritures/${encodeURIComponent(ref)}`,
      };
    case "booking":
      return { kind: "booking", label: `Réservation d'espace (${ref})`, href: null };
    case "lease":
      return { kind: "lease", label: `Bail de terres agricoles (${ref})`, href: null };
    case "pledge":
      return { kind: "pledge", label: `Contribution au financement participatif (${ref})`, href: null };
    case "registration":
      return { kind: "registration", label: `Inscription à une formation (${ref})`, href: null };
    default:
      return { kind: "other", label: `Source : ${sourceKey}`, href: null };
  }
}

/** One entry with its lines, its reversal links both ways, its invoice and where it comes from. */
export async function getEntry(tx: Client, input: { poleId: string; entryId: string }) {
  const entry = await tx.journalEntry.findFirst({
    where: { id: input.entryId, poleId: input.poleId },
    include: {
      lines: lineInclude,
      reversalOf: { select: { id: true, date: true, label: true, pieceRef: true } },
      reversedBy: { select: { id: true, date: true, reversalReason: true, createdAt: true } },
      invoice: { select: { id: true, number: true, kind: true } },
    },
  });
  if (!entry) return null;
  const createdBy = entry.createdById
    ? await tx.person.findUnique({ where: { id: entry.createdById }, select: { id: true, name: true } })
    : null;
  return { ...entry, createdBy, source: describeSource(entry.sourceKey, entry.invoice) };
}

export type ManualEntryInput = {
  poleId: string;
  createdById: string;
  /** Today in Europe/Paris: a manual entry records what happened, so it is never dated after it. */
  today: IsoDate;
  /** Generated when the form is rendered: a double submit posts once. */
  idempotencyKey: string;
  date: IsoDate;
  journal: Journal;
  label: string;
  pieceRef: string;
  lines: readonly {
    accountCode: string;
    debit: Cents;
    credit: Cents;
    stream?: Stream | null;
    label?: string | null;
  }[];
};

/**
 * What no stream posts (subsidies received, other income, expenses), entered by staff. Refusals are the
 * posting module's LedgerErrors; a line's field ("lines[2].account") indexes `input.lines`.
 */
export async function postManualEntry(tx: Client, input: ManualEntryInput) {
  if (input.date > input.today) {
    throw new LedgerError(
      "INVALID",
      `Une écriture ne peut pas être datée après aujourd'hui (${formatDate(toSqlDate(input.today))}).`,
      "date",
    );
  }
  return post(tx, {
    poleId: input.poleId,
    sourceKey: `manual:${input.idempotencyKey}`,
    date: input.date,
    journal: input.journal,
    label: input.label,
    pieceRef: input.pieceRef,
    createdById: input.createdById,
    lines: input.lines.map((l) => ({
      account: l.accountCode,
      ...(l.debit ? { debit: l.debit } : {}),
      ...(l.credit ? { credit: l.credit } : {}),
      ...(l.stream ? { stream: l.stream } : {}),
      label: l.label ?? null,
    })),
  });
}

/** Fiscal years, newest first, with how many entries each holds and what their closing left. */
export async function listFiscalYearsWithCounts(tx: Client, poleId: string) {
  const rows = await tx.$queryRaw<
    {
      id: string;
      startDate: Date;
      endDate: Date;
      closedAt: Date | null;
      resultCents: number | null;
      openingEntryId: string | null;
      fecExportedAt: Date | null;
      entries: bigint;
    }[]
  >`
    SELECT fy."id", fy."startDate", fy."endDate", fy."closedAt", fy."resultCents", fy."openingEntryId",
      fy."fecExportedAt",
      (SELECT count(*) FROM "JournalEntry" e WHERE e."poleId" = fy."poleId" AND e."date" BETWEEN fy."startDate" AND fy."endDate") AS "entries"
    FROM "FiscalYear" fy WHERE fy."poleId" = ${poleId} ORDER BY fy."startDate" DESC`;
  return rows.map((r) => ({
    id: r.id,
    startDate: fromSqlDate(r.startDate),
    endDate: fromSqlDate(r.endDate),
    closedAt: r.closedAt,
    resultCents: r.resultCents,
    openingEntryId: r.openingEntryId,
    fecExportedAt: r.fecExportedAt,
    entries: Number(r.entries),
  }));
}

/** The period a screen shows by default: the fiscal year holding `today`, else its calendar year. */
export async function currentPeriod(tx: Client, poleId: string, today: IsoDate) {
  const day = toSqlDate(today);
  const year = await tx.fiscalYear.findFirst({ where: { poleId, startDate: { lte: day }, endDate: { gte: day } } });
  return year
    ? { from: fromSqlDate(year.startDate), to: fromSqlDate(year.endDate) }
    : { from: firstDayOfYear(today.slice(0, 4)), to: lastDayOfYear(today.slice(0, 4)) };
}
