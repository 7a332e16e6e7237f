import { pathToFileURL } from "node:url";
import type { Tx } from "~/utils/db.server";
import { createOrganisation, createPerson, createPole } from "../tests/factories";
import { seedDemoLedger } from "./demo/ledger";
import { seedDemoLand } from "./demo/land";
import { seedDemoSpaces } from "./demo/spaces";
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_POLE } from "./demo/pole";

/**
 * Builds the demo pole through the tests' factories and its books through the ledger's functions; every step
 * upserts or carries a source key, so a second run the same day changes nothing.
 */
export async function seedDemo(tx: Tx, today = new Date()) {
  const pole = await createPole(tx, DEMO_POLE);
  const organisations = new Map<string, string>();
  for (const org of DEMO_ORGANISATIONS) {
    const created = await createOrganisation(tx, { poleId: pole.id, ...org });
    organisations.set(org.name, created.id);
  }
  for (const account of DEMO_ACCOUNTS) {
    await createPerson(tx, {
      poleId: pole.id,
      role: account.role,
      email: account.email,
      name: account.name,
      password: account.password,
      organisationId: "organisation" in account ? organisations.get(account.organisation) : undefined,
    });
  }
  await seedDemoLedger(tx, pole.id, today);
  await seedDemoSpaces(tx, pole.id, today);
  await seedDemoLand(tx, pole.id, today);
  return pole;
}

export function printDemoAccounts() {
  console.log("Comptes de démonstration :");
  for (const a of DEMO_ACCOUNTS) console.log(`  ${a.role.padEnd(6)} ${a.email.padEnd(30)} ${a.password}`);
}

export async function seedDemoIfEmpty() {
  const { db } = await import("~/utils/db.server");
  if ((await db.pole.count()) > 0) return false;
  await db.$transaction((tx) => seedDemo(tx), { timeout: 60_000 });
  console.log(`Pôle de démonstration créé : ${DEMO_POLE.name}`);
  printDemoAccounts();
  return true;
}

// `npm run db:seed`: (re)applies the demo data to the database of DATABASE_URL, or the embedded one.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { withDatabase } = await import("../scripts/with-database");
  await withDatabase(async () => {
    const { db } = await import("~/utils/db.server");
    await db.$transaction((tx) => seedDemo(tx), { timeout: 60_000 });
    printDemoAccounts();
    await db.$disconnect();
  });
}
