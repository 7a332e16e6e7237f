import { pathToFileURL } from "node:url";
import { provisionPole } from "~/domain/identity/index.server";
import { parisDate } from "~/domain/ledger/index.server";
import { inTransaction, type Client } from "~/utils/db.server";
import { seedDemoBank } from "./demo/bank";
import { seedDemoBookingHistory } from "./demo/booking-history";
import { closeDemoPastYears } from "./demo/closing";
import { seedDemoCrowdfunding } from "./demo/crowdfunding";
import { seedDemoLedger } from "./demo/ledger";
import { seedDemoLand } from "./demo/land";
import { seedDemoSpaces } from "./demo/spaces";
import { seedDemoTraining } from "./demo/training";
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_POLE } from "./demo/pole";

/**
 * Builds the demo pole through the domain's own functions: the pole with its chart, fiscal year, organisations
 * and accounts, then its books, desks, land, campaigns and trainings, and last the closing of the years already
 * ended. Every step creates only what is missing or carries a source key, so a second run the same day changes
 * nothing.
 */
export async function seedDemo(tx: Client, today = new Date()) {
  const demo = await provisionPole(tx, {
    profile: DEMO_POLE,
    fiscalYearOn: parisDate(today),
    organisations: DEMO_ORGANISATIONS,
    accounts: DEMO_ACCOUNTS,
  });
  await seedDemoLedger(tx, demo, today);
  await seedDemoSpaces(tx, demo, today);
  await seedDemoLand(tx, demo, today);
  await seedDemoCrowdfunding(tx, demo, today);
  await seedDemoTraining(tx, demo, today);
  await seedDemoBookingHistory(tx, demo, today);
  await closeDemoPastYears(tx, demo, today);
  // Last: the demo bank's statement holds every bank line of last month.
  await seedDemoBank(tx, demo, today);
  return demo.pole;
}

export function printDemoAccounts() {
  console.log("Comptes de démonstration :");
  for (const a of DEMO_ACCOUNTS) console.log(`  ${a.role.padEnd(6)} ${a.email.padEnd(30)} ${a.password}`);
}

export async function seedDemoIfEmpty() {
  const { db } = await import("~/utils/db.server");
  if ((await db.pole.count()) > 0) return false;
  await inTransaction(db, (tx) => seedDemo(tx), { timeout: 360_000 });
  console.log(`Pôle de démonstration créé : ${DEMO_POLE.name}`);
  printDemoAccounts();
  return true;
}

// `npm run db:seed`: (re)applies the demo data to the database of DATABASE_URL, or the embedded one.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { withDatabase } = await import("../scripts/with-database");
  await withDatabase(async () => {
    const { db } = await import("~/utils/db.server");
    await inTransaction(db, (tx) => seedDemo(tx), { timeout: 360_000 });
    printDemoAccounts();
    await db.$disconnect();
  });
}
