import { Prisma } from "~/generated/prisma/client";
import { MAX_CENTS, type Cents } from "~/domain/money";
import { inTransaction, type Client, type Tx } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { fail, ok } from "../result";
import { fromSqlDate, isIsoDate, isoDate, parisDate, toSqlDate, type IsoDate } from "./dates";
import { unreconciledBankLines } from "./bank/queries.server";
import { auxiliaryCode } from "./exports.server";
import { createFiscalYear } from "./fiscal-years.server";
import { post, reverse, type LineInput } from "./post.server";

// Year-end closing (docs/decisions/021-year-end-closing.md). Closing a year posts nothing inside it: its result is
// what classes 6 and 7 say. It posts one opening entry (journal AN) on the first day of the next year, carrying
// every balance of classes 1–5 — per third party on customer accounts, so the sub-ledger survives — and the
// result on 120000 (profit) or 129000 (loss), then freezes the labels the year's FEC prints. A closed year can be
// reopened by an administrator, with a reason in the audit log, until its FEC has been exported or the next year
// is closed: the opening entry is then reversed and the year closes anew later under new source keys.

export const RESULT_PROFIT_ACCOUNT = "120000";
export const RESULT_LOSS_ACCOUNT = "129000";

/** Classes 1–5 are the balance sheet's: their balances open the next year; 6 and 7 make the result. */
const isBalanceSheetAccount = (code: string) => code >= "1" && code < "6";

type YearRow = { id: string; startDate: Date; endDate: Date; closedAt: Date | null; closings: number };

const nextDay = (day: IsoDate) => fromSqlDate(new Date(toSqlDate(day).getTime() + 86_400_000));
const previousDay = (day: IsoDate) => fromSqlDate(new Date(toSqlDate(day).getTime() - 86_400_000));
/** The same day one year later (29 February → 28 February). */
function sameDayNextYear(day: IsoDate) {
  const candidate = `${Number(day.slice(0, 4)) + 1}${day.slice(4)}`;
  return isIsoDate(candidate) ? candidate : isoDate(candidate.replace(/-29$/, "-28"));
}

async function lockYear(tx: Tx, poleId: string, fiscalYearId: string) {
  const [year] = await tx.$queryRaw<YearRow[]>`
    SELECT "id", "startDate", "endDate", "closedAt", "closings" FROM "FiscalYear"
    WHERE "id" = ${fiscalYearId} AND "poleId" = ${poleId} FOR UPDATE`;
  return year ?? null;
}

type Balance = { code: string; personId: string | null; organisationId: string | null; balance: number };

/** Balances (debit − credit) of the year's lines per account, and per third party on lines that name one. */
async function yearBalances(tx: Client, poleId: string, from: IsoDate, to: IsoDate): Promise<Balance[]> {
  const rows = await tx.$queryRaw<
    { code: string; personId: string | null; organisationId: string | null; balance: bigint }[]
  >`
    SELECT a."code", l."thirdPartyPersonId" AS "personId", l."thirdPartyOrganisationId" AS "organisationId",
           sum(l."debit" - l."credit")::bigint AS "balance"
    FROM "EntryLine" l JOIN "Account" a ON a."id" = l."accountId"
    WHERE l."poleId" = ${poleId} AND l."date" BETWEEN ${from}::date AND ${to}::date
    GROUP BY a."code", l."thirdPartyPersonId", l."thirdPartyOrganisationId"
    HAVING sum(l."debit" - l."credit") <> 0
    ORDER BY a."code", l."thirdPartyPersonId" NULLS FIRST, l."thirdPartyOrganisationId" NULLS FIRST`;
  return rows.map((r) => ({ ...r, balance: Number(r.balance) }));
}

/** A line per carried balance, split under the posting module's per-line ceiling. */
function openingLines(balances: readonly Balance[], result: number): LineInput[] {
  const lines: LineInput[] = [];
  const push = (account: string, amount: number, party: Pick<Balance, "personId" | "organisationId">) => {
    for (let left = Math.abs(amount); left > 0; left -= MAX_CENTS) {
      const part = Math.min(left, MAX_CENTS) as Cents;
      lines.push({
        account,
        ...(amount > 0 ? { debit: part } : { credit: part }),
        stream: null,
        thirdPartyPersonId: party.personId,
        thirdPartyOrganisationId: party.organisationId,
      });
    }
  };
  for (const b of balances) push(b.code, b.balance, b);
  if (result > 0) push(RESULT_PROFIT_ACCOUNT, -result, { personId: null, organisationId: null });
  if (result < 0) push(RESULT_LOSS_ACCOUNT, -result, { personId: null, organisationId: null });
  return lines;
}

export type UnpaidInvoice = {
  id: string;
  number: string;
  buyerName: string;
  issueDate: IsoDate;
  dueDate: IsoDate | null;
  unpaid: number;
};

/**
 * Invoices still owed at `day`: per third party, what customers paid on 411000 (its credits) settles their
 * invoices oldest first, as a lettrage would; what is left is listed.
 */
async function unpaidInvoices(tx: Client, poleId: string, day: IsoDate): Promise<UnpaidInvoice[]> {
  const rows = await tx.$queryRaw<
    {
      id: string;
      number: string;
      buyerName: string;
      issueDate: Date;
      dueDate: Date | null;
      unpaid: bigint;
    }[]
  >`
    WITH receivable AS (
      -- Every real movement of 411000 up to the day; à-nouveaux only restate them.
      SELECT l.*, coalesce(l."thirdPartyPersonId", l."thirdPartyOrganisationId", '') AS party
      FROM "EntryLine" l JOIN "Account" a ON a."id" = l."accountId" JOIN "JournalEntry" e ON e."id" = l."entryId"
      WHERE l."poleId" = ${poleId} AND a."code" = '411000' AND l."date" <= ${day}::date AND e."journal" <> 'AN'
    ), invoiced AS (
      SELECT i."id", i."number", i."buyerName", i."issueDate", i."dueDate", r.party, r."debit",
             sum(r."debit") OVER (PARTITION BY r.party ORDER BY r."date", r."id") AS cumulated
      FROM receivable r JOIN "Invoice" i ON i."entryId" = r."entryId" AND i."kind" = 'INVOICE'
      WHERE r."debit" > 0
    ), settled AS (
      SELECT party, sum("credit") AS paid FROM receivable GROUP BY party
    )
    SELECT v."id", v."number", v."buyerName", v."issueDate", v."dueDate",
           least(v."debit", v.cumulated - coalesce(s.paid, 0))::bigint AS unpaid
    FROM invoiced v LEFT JOIN settled s ON s.party = v.party
    WHERE v.cumulated - coalesce(s.paid, 0) > 0
    ORDER BY v."issueDate", v."number"`;
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    buyerName: r.buyerName,
    issueDate: fromSqlDate(r.issueDate),
    dueDate: r.dueDate ? fromSqlDate(r.dueDate) : null,
    unpaid: Number(r.unpaid),
  }));
}

export type ClosingCheck = {
  year: { id: string; startDate: IsoDate; endDate: IsoDate; closedAt: Date | null };
  /** Reasons the closing cannot start, in French (empty when it can). */
  blocking: string[];
  entries: number;
  unbalanced: number;
  unreconciledBankLines: { count: number; total: number };
  unpaidInvoices: UnpaidInvoice[];
  income: number;
  expenses: number;
  /** Income − expenses of classes 7 and 6: positive is a profit. */
  result: number;
  /** What the opening entry of the next year would carry, per account. */
  opening: { code: string; label: string; balance: number }[];
};

/**
 * The pre-close check list: what would stop the closing (not ended yet, an earlier year open, an unbalanced
 * entry) and what the accountant should look at first (bank lines not reconciled, invoices unpaid), with the
 * result and the opening balances the closing would post.
 */
export async function closingCheck(
  tx: Client,
  input: { poleId: string; fiscalYearId: string; today: IsoDate },
): Promise<ClosingCheck | null> {
  const year = await tx.fiscalYear.findFirst({ where: { id: input.fiscalYearId, poleId: input.poleId } });
  if (!year) return null;
  const from = fromSqlDate(year.startDate);
  const to = fromSqlDate(year.endDate);
  const [stats] = await tx.$queryRaw<{ entries: bigint; unbalanced: bigint }[]>`
    SELECT count(*) AS entries, count(*) FILTER (WHERE d <> c) AS unbalanced FROM (
      SELECT sum("debit") AS d, sum("credit") AS c FROM "EntryLine"
      WHERE "poleId" = ${input.poleId} AND "date" BETWEEN ${from}::date AND ${to}::date
      GROUP BY "entryId") e`;
  const earlierOpen = await tx.fiscalYear.findFirst({
    where: { poleId: input.poleId, closedAt: null, endDate: { lt: year.startDate } },
  });
  const balances = await yearBalances(tx, input.poleId, from, to);
  const income = -balances.filter((b) => b.code.startsWith("7")).reduce((s, b) => s + b.balance, 0);
  const expenses = balances.filter((b) => b.code.startsWith("6")).reduce((s, b) => s + b.balance, 0);
  const carried = new Map<string, number>();
  for (const b of balances.filter((b) => isBalanceSheetAccount(b.code)))
    carried.set(b.code, (carried.get(b.code) ?? 0) + b.balance);
  const labels = new Map(
    (await tx.account.findMany({ where: { poleId: input.poleId, code: { in: [...carried.keys()] } } })).map((a) => [
      a.code,
      a.label,
    ]),
  );
  const blocking: string[] = [];
  if (year.closedAt) blocking.push(`Cet exercice est clôturé depuis le ${formatDate(year.closedAt)}.`);
  if (input.today < to)
    blocking.push(`L'exercice se termine le ${formatDate(year.endDate)} : il se clôture à partir de ce jour-là.`);
  if (earlierOpen) blocking.push(`Clôturez d'abord l'exercice qui finit le ${formatDate(earlierOpen.endDate)}.`);
  if (stats.unbalanced > 0n) blocking.push(`${stats.unbalanced} écriture(s) de l'exercice ne sont pas équilibrées.`);
  return {
    year: { id: year.id, startDate: from, endDate: to, closedAt: year.closedAt },
    blocking,
    entries: Number(stats.entries),
    unbalanced: Number(stats.unbalanced),
    unreconciledBankLines: await unreconciledBankLines(tx, { poleId: input.poleId, from, to }),
    unpaidInvoices: await unpaidInvoices(tx, input.poleId, to),
    income,
    expenses,
    result: income - expenses,
    opening: [...carried]
      .filter(([, balance]) => balance !== 0)
      .map(([code, balance]) => ({ code, label: labels.get(code) ?? code, balance })),
  };
}

/** The labels the year's FEC prints, as they are now: accounts and third parties its lines name. */
async function labelsOfYear(tx: Tx, poleId: string, from: IsoDate, to: IsoDate) {
  const rows = await tx.$queryRaw<
    { code: string; label: string; personId: string | null; organisationId: string | null; party: string | null }[]
  >`
    SELECT DISTINCT a."code", a."label", l."thirdPartyPersonId" AS "personId",
           l."thirdPartyOrganisationId" AS "organisationId", coalesce(p."name", o."name") AS "party"
    FROM "EntryLine" l JOIN "Account" a ON a."id" = l."accountId"
    LEFT JOIN "Person" p ON p."id" = l."thirdPartyPersonId"
    LEFT JOIN "Organisation" o ON o."id" = l."thirdPartyOrganisationId"
    WHERE l."poleId" = ${poleId} AND l."date" BETWEEN ${from}::date AND ${to}::date`;
  const accounts: Record<string, string> = {};
  const parties: Record<string, string> = {};
  for (const r of rows) {
    accounts[r.code] = r.label;
    const aux = auxiliaryCode(r);
    if (aux && r.party) parties[aux] = r.party;
  }
  return { accounts, parties };
}

export type FrozenLabels = Awaited<ReturnType<typeof labelsOfYear>>;

/** The fiscal year that starts the day after `endDate`, created for a year's length when staff made none. */
async function successorOf(tx: Tx, poleId: string, year: YearRow) {
  const start = nextDay(fromSqlDate(year.endDate));
  const existing = await tx.fiscalYear.findFirst({ where: { poleId, startDate: toSqlDate(start) } });
  if (existing) return ok(existing);
  return createFiscalYear(tx, { poleId, startDate: start, endDate: previousDay(sameDayNextYear(start)) });
}

/**
 * Closes a fiscal year once (two concurrent closings: the second waits on the row lock and finds it closed).
 * Refused before the year's last day, while an earlier year is open, with an unbalanced entry, or — for a year
 * without any entry — unless `confirmEmpty` says staff meant it.
 */
export function closeFiscalYear(
  client: Client,
  input: { poleId: string; fiscalYearId: string; closedById: string; now: Date; confirmEmpty?: boolean },
) {
  return inTransaction(client, async (tx) => {
    const year = await lockYear(tx, input.poleId, input.fiscalYearId);
    if (!year) return fail("NOT_FOUND", "Cet exercice n'existe pas.", { status: 404 });
    if (year.closedAt) return fail("ALREADY_CLOSED", "Cet exercice est déjà clôturé.", { status: 409 });
    const check = await closingCheck(tx, { ...input, today: parisDate(input.now) });
    if (!check) return fail("NOT_FOUND", "Cet exercice n'existe pas.", { status: 404 });
    if (check.blocking.length) return fail("NOT_READY", check.blocking.join(" "), { status: 409 });
    if (check.entries === 0 && !input.confirmEmpty) {
      return fail("EMPTY", "Cet exercice ne contient aucune écriture : confirmez sa clôture.", {
        field: "confirmEmpty",
        status: 409,
      });
    }
    const from = check.year.startDate;
    const to = check.year.endDate;
    const successor = await successorOf(tx, input.poleId, year);
    if (!successor.ok) return successor;
    const balances = (await yearBalances(tx, input.poleId, from, to)).filter((b) => isBalanceSheetAccount(b.code));
    const closing = year.closings + 1;
    const lines = openingLines(balances, check.result);
    const opening =
      lines.length >= 2
        ? await post(tx, {
            poleId: input.poleId,
            sourceKey: `closing:${year.id}:${closing}:opening`,
            date: fromSqlDate(successor.value.startDate),
            journal: "AN",
            label: `À-nouveaux de l'exercice clos le ${formatDate(year.endDate)}`,
            pieceRef: `AN-${to.slice(0, 4)}${closing > 1 ? `-${closing}` : ""}`,
            pieceDate: fromSqlDate(successor.value.startDate),
            createdById: input.closedById,
            lines,
          })
        : null;
    const frozenLabels = await labelsOfYear(tx, input.poleId, from, to);
    const closed = await tx.fiscalYear.update({
      where: { id: year.id },
      data: {
        closedAt: input.now,
        closedById: input.closedById,
        closings: closing,
        resultCents: check.result,
        openingEntryId: opening?.entry.id ?? null,
        frozenLabels: frozenLabels as Prisma.InputJsonValue,
      },
    });
    return ok({ year: closed, result: check.result, openingEntryId: opening?.entry.id ?? null });
  });
}

/**
 * Reopens a closed year (administrators): refused once its FEC has been exported or while the next year is
 * closed. Writes the reason to the audit log (the database refuses a reopening without it), reverses the opening
 * entry the closing posted, and lets the year take entries again.
 */
export function reopenFiscalYear(
  client: Client,
  input: { poleId: string; fiscalYearId: string; actorId: string; reason: string; now: Date },
) {
  return inTransaction(client, async (tx) => {
    const reason = input.reason.trim();
    if (reason.length < 10)
      return fail("INVALID", "Expliquez en une phrase pourquoi l'exercice est rouvert.", {
        field: "reason",
        status: 400,
      });
    const year = await lockYear(tx, input.poleId, input.fiscalYearId);
    if (!year) return fail("NOT_FOUND", "Cet exercice n'existe pas.", { status: 404 });
    const row = await tx.fiscalYear.findUniqueOrThrow({ where: { id: year.id } });
    if (!row.closedAt) return fail("NOT_CLOSED", "Cet exercice n'est pas clôturé.", { status: 409 });
    if (row.fecExportedAt) {
      return fail(
        "EXPORTED",
        `Le FEC de cet exercice a été exporté le ${formatDate(row.fecExportedAt)} : il ne change plus. Corrigez par une écriture de l'exercice en cours.`,
        { status: 409 },
      );
    }
    const laterClosed = await tx.fiscalYear.findFirst({
      where: { poleId: input.poleId, startDate: { gt: row.endDate }, closedAt: { not: null } },
    });
    if (laterClosed) {
      return fail(
        "SUCCESSOR_CLOSED",
        `L'exercice qui finit le ${formatDate(laterClosed.endDate)} est clôturé : ses à-nouveaux ne peuvent plus être contrepassés.`,
        { status: 409 },
      );
    }
    await tx.auditLog.create({
      data: {
        poleId: input.poleId,
        actorId: input.actorId,
        action: "fiscal-year:reopen",
        subject: row.id,
        reason,
        details: {
          closedAt: row.closedAt.toISOString(),
          closings: row.closings,
          resultCents: row.resultCents,
          openingEntryId: row.openingEntryId,
        },
      },
    });
    await tx.fiscalYear.update({
      where: { id: row.id },
      data: { closedAt: null, closedById: null, resultCents: null, openingEntryId: null, frozenLabels: Prisma.DbNull },
    });
    if (row.openingEntryId) {
      const opening = await tx.journalEntry.findUniqueOrThrow({ where: { id: row.openingEntryId } });
      await reverse(tx, {
        poleId: input.poleId,
        entryId: opening.id,
        reason: `Réouverture de l'exercice clos le ${formatDate(row.endDate)} : ${reason}`,
        date: fromSqlDate(opening.date),
        createdById: input.actorId,
      });
    }
    return ok(await tx.fiscalYear.findUniqueOrThrow({ where: { id: row.id } }));
  });
}

/** What administrators did to the books outside entries, newest first. */
export function auditLog(tx: Client, poleId: string, take = 50) {
  return tx.auditLog.findMany({ where: { poleId }, orderBy: { at: "desc" }, take });
}
