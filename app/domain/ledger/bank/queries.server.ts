import type { Client } from "~/utils/db.server";
import { fromSqlDate, type IsoDate } from "../dates";
import { bankAccountId } from "./match.server";

// Read side of the reconciliation: statements with their balances against the books, what is left to match on
// either side, the matches made, and the count the year-end closing checks.

/**
 * The books' balance of 512000 at the end of `day` (debit − credit, > 0 when the account holds money). Opening
 * entries (AN) restate a balance the books already hold, so they count only when nothing was posted before them
 * (books started with an opening balance).
 */
export async function booksBankBalance(client: Client, input: { poleId: string; day: IsoDate }) {
  const accountId = await bankAccountId(client, input.poleId);
  if (!accountId) return 0;
  const [row] = await client.$queryRaw<{ balance: bigint | null }[]>`
    WITH first_move AS (
      SELECT min(l."date") AS "day" FROM "EntryLine" l JOIN "JournalEntry" e ON e."id" = l."entryId"
      WHERE l."poleId" = ${input.poleId} AND l."accountId" = ${accountId} AND e."journal" <> 'AN'
    )
    SELECT sum(l."debit" - l."credit")::bigint AS "balance"
    FROM "EntryLine" l JOIN "JournalEntry" e ON e."id" = l."entryId"
    WHERE l."poleId" = ${input.poleId} AND l."accountId" = ${accountId} AND l."date" <= ${input.day}::date
      AND (e."journal" <> 'AN' OR l."date" <= coalesce((SELECT "day" FROM first_move), l."date"))`;
  return Number(row?.balance ?? 0);
}

/**
 * Bank lines dated in [from, to] not matched to the books: what the year-end closing's check list counts. `total`
 * is their signed sum in cents (money in > 0).
 */
export async function unreconciledBankLines(client: Client, input: { poleId: string; from: IsoDate; to: IsoDate }) {
  const [row] = await client.$queryRaw<{ count: bigint; total: bigint | null }[]>`
    SELECT count(*)::bigint AS "count", sum("amount")::bigint AS "total" FROM "BankLine"
    WHERE "poleId" = ${input.poleId} AND "letter" IS NULL AND "date" BETWEEN ${input.from}::date AND ${input.to}::date`;
  return { count: Number(row.count), total: Number(row.total ?? 0) };
}

/** Each statement, newest period first, with its lines matched and its closing balance beside the books'. */
export async function listStatements(client: Client, poleId: string) {
  const statements = await client.bankStatement.findMany({
    where: { poleId },
    orderBy: [{ toDate: "desc" }, { importedAt: "desc" }],
    include: { _count: { select: { lines: true } } },
  });
  const matched = await client.bankLine.groupBy({
    by: ["statementId"],
    where: { poleId, letter: { not: null } },
    _count: { _all: true },
  });
  const matchedBy = new Map(matched.map((m) => [m.statementId, m._count._all]));
  return Promise.all(
    statements.map(async (s) => {
      const toDate = fromSqlDate(s.toDate);
      return {
        id: s.id,
        format: s.format,
        filename: s.filename,
        accountId: s.accountId,
        fromDate: fromSqlDate(s.fromDate),
        toDate,
        importedAt: s.importedAt.toISOString(),
        openingCents: s.openingCents,
        closingCents: s.closingCents,
        lineCount: s._count.lines,
        matchedCount: matchedBy.get(s.id) ?? 0,
        booksBalance: await booksBankBalance(client, { poleId, day: toDate }),
      };
    }),
  );
}

export type UnmatchedBankLine = {
  id: string;
  date: IsoDate;
  amount: number;
  label: string;
  reference: string | null;
  statementId: string;
};

/** Bank lines without a letter, oldest first (at most `limit`), their count and signed total. */
export async function listUnmatchedBankLines(client: Client, input: { poleId: string; limit: number }) {
  const where = { poleId: input.poleId, letter: null };
  const [lines, totals] = await Promise.all([
    client.bankLine.findMany({ where, orderBy: [{ date: "asc" }, { id: "asc" }], take: input.limit }),
    client.bankLine.aggregate({ where, _count: { _all: true }, _sum: { amount: true } }),
  ]);
  return {
    lines: lines.map((l): UnmatchedBankLine => ({
      id: l.id,
      date: fromSqlDate(l.date),
      amount: l.amount,
      label: l.label,
      reference: l.reference,
      statementId: l.statementId,
    })),
    count: totals._count._all,
    total: totals._sum.amount ?? 0,
  };
}

/**
 * Lines of the books on 512000 no bank line holds, in [from, to] (the span of the imported statements), oldest
 * first; opening entries are no movement. `reversed` marks a line whose entry was reversed, or is a reversal.
 */
export async function listUnmatchedEntryLines(
  client: Client,
  input: { poleId: string; from: IsoDate; to: IsoDate; limit: number },
) {
  const accountId = await bankAccountId(client, input.poleId);
  if (!accountId) return { lines: [], count: 0, total: 0 };
  const rows = await client.$queryRaw<
    {
      id: number;
      entryId: string;
      date: string;
      amount: number;
      label: string;
      pieceRef: string;
      reversed: boolean;
      count: bigint;
      total: bigint;
    }[]
  >`
    SELECT l."id", e."id" AS "entryId", l."date"::text AS "date", (l."debit" - l."credit") AS "amount",
           coalesce(l."label", e."label") AS "label", e."pieceRef",
           (e."reversalOfId" IS NOT NULL OR EXISTS (SELECT 1 FROM "JournalEntry" r WHERE r."reversalOfId" = e."id"))
             AS "reversed",
           count(*) OVER ()::bigint AS "count", sum(l."debit" - l."credit") OVER ()::bigint AS "total"
    FROM "EntryLine" l JOIN "JournalEntry" e ON e."id" = l."entryId"
    WHERE l."poleId" = ${input.poleId} AND l."accountId" = ${accountId} AND e."journal" <> 'AN'
      AND l."date" BETWEEN ${input.from}::date AND ${input.to}::date
      AND NOT EXISTS (SELECT 1 FROM "BankMatch" m WHERE m."entryLineId" = l."id")
    ORDER BY l."date", l."id"
    LIMIT ${input.limit}`;
  return {
    lines: rows.map(({ count: _c, total: _t, ...r }) => ({ ...r, date: r.date as IsoDate, amount: Number(r.amount) })),
    count: Number(rows[0]?.count ?? 0),
    total: Number(rows[0]?.total ?? 0),
  };
}

/**
 * Bank lines matched, latest match first, with the lines of the books each holds and whether it can still be
 * undone (every year it touches open).
 */
export async function listMatchedBankLines(client: Client, input: { poleId: string; limit: number }) {
  const lines = await client.bankLine.findMany({
    where: { poleId: input.poleId, letter: { not: null } },
    orderBy: [{ matchedAt: "desc" }, { id: "asc" }],
    take: input.limit,
    include: { matches: { orderBy: { entryLineId: "asc" } } },
  });
  const entryLineIds = lines.flatMap((l) => l.matches.map((m) => m.entryLineId));
  const entryLines = await client.entryLine.findMany({
    where: { id: { in: entryLineIds } },
    select: {
      id: true,
      date: true,
      debit: true,
      credit: true,
      label: true,
      entry: { select: { id: true, label: true, pieceRef: true } },
    },
  });
  const byId = new Map(entryLines.map((l) => [l.id, l]));
  const closedYears = await client.fiscalYear.findMany({
    where: { poleId: input.poleId, closedAt: { not: null } },
    select: { startDate: true, endDate: true },
  });
  const inClosedYear = (day: Date) => closedYears.some((y) => y.startDate <= day && day <= y.endDate);
  return lines.map((l) => {
    const held = l.matches.map((m) => byId.get(m.entryLineId)!).filter(Boolean);
    return {
      id: l.id,
      date: fromSqlDate(l.date),
      amount: l.amount,
      label: l.label,
      reference: l.reference,
      letter: l.letter!,
      matchedAt: l.matchedAt!.toISOString(),
      canUnmatch: !inClosedYear(l.date) && !held.some((e) => inClosedYear(e.date)),
      entryLines: held.map((e) => ({
        id: e.id,
        entryId: e.entry.id,
        date: fromSqlDate(e.date),
        amount: e.debit - e.credit,
        label: e.label ?? e.entry.label,
        pieceRef: e.entry.pieceRef,
      })),
    };
  });
}

/** How many bank lines and how many are matched, for the page's header. */
export async function reconciliationCounts(client: Client, poleId: string) {
  const [lines, matched, statements] = await Promise.all([
    client.bankLine.count({ where: { poleId } }),
    client.bankLine.count({ where: { poleId, letter: { not: null } } }),
    client.bankStatement.aggregate({ where: { poleId }, _min: { fromDate: true }, _max: { toDate: true } }),
  ]);
  return {
    lines,
    matched,
    from: statements._min.fromDate ? fromSqlDate(statements._min.fromDate) : null,
    to: statements._max.toDate ? fromSqlDate(statements._max.toDate) : null,
  };
}
