import type { Tx, Client } from "~/utils/db.server";
import { fail, ok } from "../result";
import { formatDate } from "~/utils/format";
import { firstDayOfYear, fromSqlDate, lastDayOfYear, toSqlDate, type IsoDate } from "./dates";
import { LedgerError } from "./errors";

/**
 * Locks (FOR SHARE) the fiscal year holding `date`, creating the calendar year when the pole has none there,
 * and refuses a closed one. Closing takes FOR UPDATE on the same row, so a post and a close never interleave.
 */
export async function lockOpenFiscalYear(tx: Tx, poleId: string, date: IsoDate) {
  let year = await lockYearOf(tx, poleId, date);
  if (!year) {
    const closedUntil = await lastClosedDay(tx, poleId);
    if (closedUntil && date <= closedUntil) {
      throw new LedgerError(
        "CLOSED_PERIOD",
        `Le ${formatDate(toSqlDate(date))} précède la clôture des comptes au ${formatDate(toSqlDate(closedUntil))}.`,
        "date",
      );
    }
    const y = date.slice(0, 4);
    // ON CONFLICT DO NOTHING also answers the exclusion constraint: a concurrent or overlapping year wins.
    await tx.$executeRaw`INSERT INTO "FiscalYear" ("id", "poleId", "startDate", "endDate")
      VALUES (gen_random_uuid()::text, ${poleId}, ${`${y}-01-01`}::date, ${`${y}-12-31`}::date) ON CONFLICT DO NOTHING`;
    year = await lockYearOf(tx, poleId, date);
  }
  if (!year) {
    throw new LedgerError(
      "CLOSED_PERIOD",
      `Aucun exercice ne couvre le ${formatDate(toSqlDate(date))} : créez-le dans la comptabilité.`,
      "date",
    );
  }
  if (year.closedAt) {
    throw new LedgerError(
      "CLOSED_PERIOD",
      `L'exercice qui contient le ${formatDate(toSqlDate(date))} est clôturé.`,
      "date",
    );
  }
  return year;
}

/** The last day of the latest closed fiscal year: nothing may be dated on or before it. */
async function lastClosedDay(tx: Client, poleId: string) {
  const last = await tx.fiscalYear.findFirst({
    where: { poleId, closedAt: { not: null } },
    orderBy: { endDate: "desc" },
  });
  return last ? fromSqlDate(last.endDate) : null;
}

async function lockYearOf(tx: Tx, poleId: string, date: IsoDate) {
  const rows = await tx.$queryRaw<{ id: string; closedAt: Date | null }[]>`
    SELECT "id", "closedAt" FROM "FiscalYear"
    WHERE "poleId" = ${poleId} AND ${date}::date BETWEEN "startDate" AND "endDate" FOR SHARE`;
  return rows[0] ?? null;
}

export function listFiscalYears(tx: Client, poleId: string) {
  return tx.fiscalYear.findMany({ where: { poleId }, orderBy: { startDate: "desc" } });
}

/** The fiscal year holding `date`, if any. */
export function fiscalYearOf(tx: Client, poleId: string, date: IsoDate) {
  const day = toSqlDate(date);
  return tx.fiscalYear.findFirst({ where: { poleId, startDate: { lte: day }, endDate: { gte: day } } });
}

export async function createFiscalYear(tx: Client, input: { poleId: string; startDate: IsoDate; endDate: IsoDate }) {
  if (input.endDate < input.startDate)
    return fail("INVALID", "La fin de l'exercice doit suivre son début.", { field: "endDate", status: 400 });
  const closedUntil = await lastClosedDay(tx, input.poleId);
  if (closedUntil && input.startDate <= closedUntil) {
    return fail(
      "CLOSED",
      `Les comptes sont clôturés jusqu'au ${formatDate(toSqlDate(closedUntil))} : un nouvel exercice commence après.`,
      { field: "startDate", status: 409 },
    );
  }
  const overlap = await tx.fiscalYear.findFirst({
    where: {
      poleId: input.poleId,
      startDate: { lte: toSqlDate(input.endDate) },
      endDate: { gte: toSqlDate(input.startDate) },
    },
  });
  if (overlap) {
    return fail(
      "OVERLAP",
      `Cet exercice chevauche l'exercice du ${formatDate(overlap.startDate)} au ${formatDate(overlap.endDate)}.`,
      {
        field: "startDate",
        status: 409,
      },
    );
  }
  // The exclusion constraint settles a concurrent creation; ON CONFLICT turns it into "nothing inserted".
  const inserted = await tx.$executeRaw`INSERT INTO "FiscalYear" ("id", "poleId", "startDate", "endDate")
    VALUES (gen_random_uuid()::text, ${input.poleId}, ${input.startDate}::date, ${input.endDate}::date) ON CONFLICT DO NOTHING`;
  if (inserted === 0)
    return fail("OVERLAP", "Cet exercice chevauche un exercice existant.", { field: "startDate", status: 409 });
  return ok(
    await tx.fiscalYear.findUniqueOrThrow({
      where: { poleId_startDate: { poleId: input.poleId, startDate: toSqlDate(input.startDate) } },
    }),
  );
}

/**
 * The fiscal year holding `day`, or else the calendar year holding it, created (a pole being set up). Refused
 * like createFiscalYear when the accounts are closed up to that day or another year overlaps the calendar one.
 */
export async function openFiscalYear(tx: Client, input: { poleId: string; day: IsoDate }) {
  const existing = await fiscalYearOf(tx, input.poleId, input.day);
  if (existing) return ok(existing);
  const y = input.day.slice(0, 4);
  return createFiscalYear(tx, { poleId: input.poleId, startDate: firstDayOfYear(y), endDate: lastDayOfYear(y) });
}

/**
 * The latest fiscal year, up to `year`, that opens with à-nouveaux still standing (an AN entry neither reversed nor
 * a reversal): balance accounts are summed from its first day. Null when no year does: from the first entry.
 */
export async function chainStart(tx: Client, poleId: string, startDate: IsoDate) {
  const [row] = await tx.$queryRaw<{ start: Date | null }[]>`
    SELECT max(fy."startDate") AS "start" FROM "FiscalYear" fy
    WHERE fy."poleId" = ${poleId} AND fy."startDate" <= ${startDate}::date
      AND EXISTS (
        SELECT 1 FROM "JournalEntry" e
        WHERE e."poleId" = fy."poleId" AND e."journal" = 'AN' AND e."date" BETWEEN fy."startDate" AND fy."endDate"
          AND e."reversalOfId" IS NULL
          AND NOT EXISTS (SELECT 1 FROM "JournalEntry" r WHERE r."reversalOfId" = e."id"))`;
  return row?.start ? fromSqlDate(row.start) : null;
}
