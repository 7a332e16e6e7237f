import { closeFiscalYear, parisDate, toSqlDate } from "~/domain/ledger/index.server";
import type { Client } from "~/utils/db.server";
import { demoAccount, type DemoPole } from "./pole";

/**
 * Closes, oldest first, every fiscal year of the demo that ended before today, as its administrator would at
 * year end: the demo shows last year closed with its result and the opening entries of this one. Runs after every
 * stream has written its past, so nothing lands in a year behind its closing.
 */
export async function closeDemoPastYears(tx: Client, demo: DemoPole, today: Date) {
  const admin = demoAccount(demo, "ADMIN");
  const ended = await tx.fiscalYear.findMany({
    where: { poleId: demo.pole.id, closedAt: null, endDate: { lt: toSqlDate(parisDate(today)) } },
    orderBy: { startDate: "asc" },
  });
  for (const year of ended) {
    const closed = await closeFiscalYear(tx, {
      poleId: demo.pole.id,
      fiscalYearId: year.id,
      closedById: admin.id,
      now: today,
      confirmEmpty: true,
    });
    if (!closed.ok) throw new Error(`Clôture de démonstration impossible : ${closed.message}`);
  }
  return ended.length;
}
