import {
  demoBankStatement,
  importStatement,
  matchExactSuggestions,
  parisDate,
  sha256,
} from "~/domain/ledger/index.server";
import type { Client } from "~/utils/db.server";
import { demoAccount, type DemoPole } from "./pole";

// The demo bank's statement of last month, imported and reconciled as staff would: every line the books hold on
// 512000 matched (the suggestion of the same amount on the same day), the bank's fee left to record. A second
// run the same month builds the same file, already imported, and finds nothing more to match.

export async function seedDemoBank(tx: Client, demo: DemoPole, today: Date) {
  const poleId = demo.pole.id;
  const day = parisDate(today);
  const [y, m] = day.split("-").map(Number);
  const month = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
  const built = await demoBankStatement(tx, { poleId, month, today: day });
  if (!built.ok) throw new Error(built.message);
  const bytes = new Uint8Array(Buffer.from(built.value.body, "utf8"));
  const staff = demoAccount(demo, "STAFF");
  const imported = await importStatement(tx, {
    poleId,
    filename: built.value.filename,
    bytes,
    importedById: staff.id,
    now: today,
  });
  if (!imported.ok && imported.code !== "DUPLICATE_FILE") throw new Error(imported.message);
  const statement = await tx.bankStatement.findUniqueOrThrow({
    where: { poleId_sha256: { poleId, sha256: sha256(bytes) } },
  });
  return matchExactSuggestions(tx, { poleId, statementId: statement.id, matchedById: staff.id, now: today });
}
