import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import {
  confirmMatch,
  DEMO_FEE,
  demoBankStatement,
  fecExport,
  importStatement,
  listMatchedBankLines,
  listStatements,
  listUnmatchedBankLines,
  listUnmatchedEntryLines,
  matchExactSuggestions,
  pickableLines,
  post,
  suggestMatches,
  unmatchBankLine,
  unreconciledBankLines,
  type LineInput,
} from "~/domain/ledger/index.server";
import { isoDate } from "~/domain/ledger/dates";
import { cents } from "~/domain/money";
import { db } from "~/utils/db.server";
import { formatCents } from "~/utils/format";
import { createPerson, createPole } from "../factories";
import { resetDatabase } from "../helpers";

// The reconciliation over the real database: importing files (refusals write nothing, overlapping lines are kept
// once), suggestions, matching by hand with its races, unmatching, the FEC's lettrage and the demo statement.

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/bank/${name}`, import.meta.url)));
const NOW = new Date("2026-12-03T10:00:00Z");

let poleId: string;
let staffId: string;
/** The 512000 line of each entry, by its piece reference. */
const bankLineOf: Record<string, number> = {};

async function book(date: string, pieceRef: string, label: string, lines: LineInput[]) {
  const { entry } = await post(db, {
    poleId,
    sourceKey: `test:${pieceRef}`,
    date: isoDate(date),
    journal: "BQ",
    label,
    pieceRef,
    lines,
  });
  const line = entry.lines.find((l) => l.account.code === "512000");
  if (line) bankLineOf[pieceRef] = line.id;
  return entry;
}

const moneyIn = (date: string, pieceRef: string, label: string, amount: number) =>
  book(date, pieceRef, label, [
    { account: "512000", debit: cents(amount) },
    { account: "411000", credit: cents(amount) },
  ]);
const moneyOut = (date: string, pieceRef: string, label: string, amount: number, account = "627000") =>
  book(date, pieceRef, label, [
    { account, debit: cents(amount) },
    { account: "512000", credit: cents(amount) },
  ]);

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db, { siren: "912345675" })).id;
  staffId = (await createPerson(db, { poleId, role: "STAFF" })).id;
  await moneyOut("2026-11-05", "LOYER-2026-11", "Loyer du domaine de la Luzernière — 2026-11", 150_000, "613200");
  await moneyIn("2026-11-10", "F-2026-0101", "Règlement F-2026-0101 — Maraîchers Associés du Canal", 180_000);
  await moneyIn("2026-11-10", "F-2026-0102", "Règlement F-2026-0102 — Couveuse Agricole du Lauragais", 120_000);
  await moneyIn("2026-11-15", "F-2026-0098", "Règlement F-2026-0098 — Compost'Lauragais", 120_000);
  await moneyOut("2026-11-18", "CHQ-1234", "Chèque 1234 — fournitures", 35_000, "606000");
  await moneyOut("2026-11-28", "BQ-2026-11", "Frais de tenue de compte — 2026-11", 1_250);
});

const importFile = (
  name: string,
  bytes: Uint8Array = fixture(name),
  mapping?: Parameters<typeof importStatement>[1]["mapping"],
) => importStatement(db, { poleId, filename: name, bytes, mapping, importedById: staffId, now: NOW });

async function imported(name: string, bytes?: Uint8Array) {
  const result = await importFile(name, bytes);
  if (!result.ok || result.value.step !== "imported") throw new Error(JSON.stringify(result));
  return result.value;
}

const counts = async () => ({
  statements: await db.bankStatement.count(),
  lines: await db.bankLine.count(),
  matches: await db.bankMatch.count(),
});

const bankLine = (amount: number, date?: string) =>
  db.bankLine.findFirstOrThrow({ where: { amount, ...(date ? { date: new Date(`${date}T00:00:00Z`) } : {}) } });

describe("importing a statement", () => {
  it("writes the statement and its lines, and refuses the same file twice with a 409", async () => {
    const outcome = await imported("credit-cooperatif-2026-11.ofx");
    expect(outcome).toMatchObject({ format: "OFX", imported: 5, skipped: 0, fromDate: "2026-11-01" });
    const statement = await db.bankStatement.findUniqueOrThrow({ where: { id: outcome.statementId } });
    expect(statement).toMatchObject({ openingCents: 4_700_000, closingCents: 4_813_750, importedById: staffId });
    expect(statement.sha256).toMatch(/^[0-9a-f]{64}$/);

    const before = await counts();
    const again = await importFile("copie.ofx", fixture("credit-cooperatif-2026-11.ofx"));
    expect(again).toMatchObject({ ok: false, code: "DUPLICATE_FILE", status: 409, field: "fichier" });
    expect(!again.ok && again.message).toMatch(
      /^Ce fichier a déjà été importé le \d\d\/\d\d\/2026 \(« credit-cooperatif-2026-11\.ofx »\)/,
    );
    expect(await counts()).toEqual(before);
  });

  it("keeps once the lines an overlapping file brings again, and says how many", async () => {
    await imported("credit-cooperatif-2026-11.ofx");
    const text = Buffer.from(fixture("credit-cooperatif-2026-11.ofx")).toString("latin1");
    // The next download: from the 10th, the same FITIDs, one line more.
    const first = text.indexOf("<STMTTRN>");
    const second = text.indexOf("<STMTTRN>", first + 1);
    const extra =
      "<STMTTRN>\r\n<TRNTYPE>CREDIT\r\n<DTPOSTED>20261130\r\n<TRNAMT>60.00\r\n<FITID>8A1C2026113000006\r\n<NAME>VIR LEA MARTIN\r\n</STMTTRN>\r\n";
    const next = text.slice(0, first) + text.slice(second).replace("</BANKTRANLIST>", `${extra}</BANKTRANLIST>`);
    const outcome = await imported("suite.ofx", new Uint8Array(Buffer.from(next, "latin1")));
    expect(outcome).toMatchObject({ imported: 1, skipped: 4 });
    expect(await db.bankLine.count()).toBe(6);
  });

  it("keeps CSV lines once across files by day, amount, label and rank (two identical fees stay two)", async () => {
    const mapping = {
      date: "Date opération",
      dateFormat: "JJ/MM/AAAA" as const,
      amountMode: "split" as const,
      debit: "Débit",
      credit: "Crédit",
      label: "Libellé",
      decimal: "," as const,
    };
    const first = await importFile("societe-generale-2026-11.csv", undefined, mapping);
    expect(first).toMatchObject({ ok: true, value: { step: "imported", imported: 5, skipped: 0 } });
    const text = Buffer.from(fixture("societe-generale-2026-11.csv")).toString("latin1");
    const longer = `${text}30/11/2026;30/11/2026;FRAIS TENUE DE COMPTE;12,50;\r\n`;
    const second = await importFile("sg-bis.csv", new Uint8Array(Buffer.from(longer, "latin1")), mapping);
    // The third identical fee of the 28th is new; on the 30th another fee.
    expect(second).toMatchObject({ ok: true, value: { imported: 1, skipped: 5 } });
    expect(await db.bankLine.count({ where: { amount: -1_250 } })).toBe(3);
  });

  it("answers a CSV without its mapping with the mapping step, writing nothing", async () => {
    const result = await importFile("societe-generale-2026-11.csv");
    expect(result).toMatchObject({
      ok: true,
      value: { step: "mapping", columns: ["Date opération", "Date valeur", "Libellé", "Débit", "Crédit"] },
    });
    expect(await counts()).toEqual({ statements: 0, lines: 0, matches: 0 });
  });

  it("refuses what is not a statement, a truncated file and a mapping naming a missing column, writing nothing", async () => {
    const refusals = [
      await importFile("photo.png", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])),
      await importFile("tronque.xml", fixture("banque-postale-camt053-001-02.xml").slice(0, 1500)),
      await importFile("tronque.ofx", fixture("credit-cooperatif-2026-11.ofx").slice(0, 900)),
      await importFile("releve.csv", fixture("societe-generale-2026-11.csv"), {
        date: "Date",
        dateFormat: "JJ/MM/AAAA",
        amountMode: "single",
        amount: "Montant",
        label: "Libellé",
        decimal: ",",
      }),
      await importFile("vide.ofx", new Uint8Array()),
    ];
    expect(refusals.map((r) => !r.ok && [r.code, r.status, r.field])).toEqual([
      ["NOT_A_STATEMENT", 422, "fichier"],
      ["MALFORMED", 422, "fichier"],
      ["MALFORMED", 422, "fichier"],
      ["MALFORMED", 422, "mapping.date"],
      ["EMPTY", 400, "fichier"],
    ]);
    expect(await counts()).toEqual({ statements: 0, lines: 0, matches: 0 });
  });
});

describe("suggestions", () => {
  it("suggests the line of the same amount, closest and most alike first", async () => {
    await imported("credit-cooperatif-2026-11.ofx");
    const lines = await db.bankLine.findMany({ orderBy: { date: "asc" } });
    const suggestions = await suggestMatches(db, { poleId, bankLineIds: lines.map((l) => l.id) });
    const best = lines.map((l) => suggestions.get(l.id)?.[0]?.lines.map((c) => c.pieceRef));
    expect(best).toEqual([["LOYER-2026-11"], ["F-2026-0101"], ["F-2026-0098"], ["CHQ-1234"], ["BQ-2026-11"]]);
    // The 1 200 € of the 15th: its own receipt (the reference is in the bank's label), then the other one 5 days off.
    const twelveHundred = suggestions.get(lines[2].id)!;
    expect(twelveHundred.map((s) => [s.lines[0].pieceRef, s.distance, s.similarity])).toEqual([
      ["F-2026-0098", 0, 1],
      ["F-2026-0102", 5, expect.any(Number)],
    ]);
  });

  it("suggests lines adding up to a bank line when no single one fits, and nothing for a fee the books lack", async () => {
    await imported("banque-postale-camt053-001-02.xml");
    const batch = await bankLine(300_000);
    const fee = await bankLine(-8_050);
    const suggestions = await suggestMatches(db, { poleId, bankLineIds: [batch.id, fee.id] });
    expect(suggestions.get(batch.id)!.map((s) => s.lines.map((l) => l.pieceRef).sort())).toEqual([
      ["F-2026-0101", "F-2026-0102"],
      ["F-2026-0098", "F-2026-0101"],
    ]);
    expect(suggestions.get(fee.id)).toEqual([]);
    // Staff may pick among every line of its direction within a month.
    expect((await pickableLines(db, { poleId, bankLineId: batch.id })).map((l) => l.pieceRef)).toEqual([
      "F-2026-0101",
      "F-2026-0102",
      "F-2026-0098",
    ]);
  });
});

describe("matching by hand", () => {
  it("matches one line or several adding up, with letters AA, AB… and the lists follow", async () => {
    await imported("banque-postale-camt053-001-02.xml");
    const rent = await bankLine(-150_000);
    const batch = await bankLine(300_000);
    const first = await confirmMatch(db, {
      poleId,
      bankLineId: rent.id,
      entryLineIds: [bankLineOf["LOYER-2026-11"]],
      matchedById: staffId,
      now: NOW,
    });
    expect(first).toEqual({
      ok: true,
      value: { letter: "AA", bankLineId: rent.id, entryLineIds: [bankLineOf["LOYER-2026-11"]] },
    });
    const second = await confirmMatch(db, {
      poleId,
      bankLineId: batch.id,
      entryLineIds: [bankLineOf["F-2026-0101"], bankLineOf["F-2026-0102"]],
      matchedById: staffId,
      now: NOW,
    });
    expect(second).toMatchObject({ ok: true, value: { letter: "AB" } });
    expect(await db.bankMatch.findMany({ where: { letter: "AB" } })).toHaveLength(2);
    expect(await db.bankLine.findUniqueOrThrow({ where: { id: batch.id } })).toMatchObject({
      letter: "AB",
      matchedAt: NOW,
      matchedById: staffId,
    });

    const unmatchedBank = await listUnmatchedBankLines(db, { poleId, limit: 50 });
    expect(unmatchedBank).toMatchObject({ count: 2, total: 120_000 - 8_050 });
    const unmatchedBooks = await listUnmatchedEntryLines(db, {
      poleId,
      from: isoDate("2026-11-01"),
      to: isoDate("2026-11-30"),
      limit: 50,
    });
    expect(unmatchedBooks.lines.map((l) => l.pieceRef)).toEqual(["F-2026-0098", "CHQ-1234", "BQ-2026-11"]);
    expect(unmatchedBooks).toMatchObject({ count: 3, total: 120_000 - 35_000 - 1_250 });
    const matched = await listMatchedBankLines(db, { poleId, limit: 10 });
    expect(matched.map((m) => [m.letter, m.entryLines.length, m.canUnmatch])).toEqual([
      ["AA", 1, true],
      ["AB", 2, true],
    ]);
    const [statement] = await listStatements(db, poleId);
    expect(statement).toMatchObject({ lineCount: 4, matchedCount: 2, closingCents: 4_961_950 });
    expect(await unreconciledBankLines(db, { poleId, from: isoDate("2026-11-01"), to: isoDate("2026-11-30") })).toEqual(
      { count: 2, total: 111_950 },
    );
    expect(await unreconciledBankLines(db, { poleId, from: isoDate("2026-10-01"), to: isoDate("2026-10-31") })).toEqual(
      { count: 0, total: 0 },
    );
  });

  it("refuses a wrong total, a line off the bank account, an unknown line and a line already matched", async () => {
    await imported("banque-postale-camt053-001-02.xml");
    const batch = await bankLine(300_000);
    const entry = await db.entryLine.findFirstOrThrow({ where: { account: { code: "411000" } } });
    const attempt = (entryLineIds: number[], bankLineId = batch.id) =>
      confirmMatch(db, { poleId, bankLineId, entryLineIds, matchedById: staffId, now: NOW });
    expect(await attempt([bankLineOf["F-2026-0101"]])).toMatchObject({
      ok: false,
      code: "AMOUNT_MISMATCH",
      status: 422,
      message: `Les écritures choisies totalisent ${formatCents(180_000)} et la ligne du relevé ${formatCents(300_000)} : choisissez des écritures de même total.`,
    });
    expect(await attempt([entry.id])).toMatchObject({ ok: false, code: "NOT_BANK", status: 422 });
    expect(await attempt([bankLineOf["F-2026-0101"]], "nope")).toMatchObject({ ok: false, status: 404 });
    expect(await attempt([])).toMatchObject({ ok: false, status: 400 });
    expect(await counts()).toMatchObject({ matches: 0 });
    await attempt([bankLineOf["F-2026-0101"], bankLineOf["F-2026-0102"]]);
    expect(await attempt([bankLineOf["F-2026-0098"], bankLineOf["F-2026-0102"]])).toMatchObject({
      ok: false,
      code: "ALREADY_MATCHED",
      status: 409,
      message: "Cette ligne du relevé est déjà rapprochée (lettre AA).",
    });
    expect(await db.bankLine.count({ where: { letter: { not: null } } })).toBe(1);
  });

  it("two requests at once for the same bank line: one match, the other a French 409", async () => {
    await imported("credit-cooperatif-2026-11.ofx");
    const line = await bankLine(120_000);
    const results = await Promise.all(
      [bankLineOf["F-2026-0098"], bankLineOf["F-2026-0102"]].map((entryLineId) =>
        confirmMatch(db, { poleId, bankLineId: line.id, entryLineIds: [entryLineId], matchedById: staffId, now: NOW }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.find((r) => !r.ok);
    expect(refused).toMatchObject({ ok: false, code: "ALREADY_MATCHED", status: 409 });
    expect(await db.bankMatch.count({ where: { bankLineId: line.id } })).toBe(1);
  });

  it("two bank lines at once for the same entry line: one match, the other a French 409", async () => {
    await imported("credit-cooperatif-2026-11.ofx");
    await imported("banque-postale-camt053-001-02.xml");
    const lines = await db.bankLine.findMany({ where: { amount: 120_000 } });
    expect(lines).toHaveLength(2);
    const results = await Promise.all(
      lines.map((l) =>
        confirmMatch(db, {
          poleId,
          bankLineId: l.id,
          entryLineIds: [bankLineOf["F-2026-0098"]],
          matchedById: staffId,
          now: NOW,
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({
      ok: false,
      code: "ALREADY_MATCHED",
      status: 409,
      message: "Une des écritures choisies est déjà rapprochée (lettre AA).",
    });
    expect(await db.bankMatch.count({ where: { entryLineId: bankLineOf["F-2026-0098"] } })).toBe(1);
    expect(await db.bankLine.count({ where: { letter: { not: null } } })).toBe(1);
  });

  it("many concurrent matches of distinct lines each get their own letter", async () => {
    await imported("credit-cooperatif-2026-11.ofx");
    const lines = await db.bankLine.findMany();
    const suggestions = await suggestMatches(db, { poleId, bankLineIds: lines.map((l) => l.id) });
    const results = await Promise.all(
      lines.map((l) =>
        confirmMatch(db, {
          poleId,
          bankLineId: l.id,
          entryLineIds: suggestions.get(l.id)![0].lines.map((c) => c.entryLineId),
          matchedById: staffId,
          now: NOW,
        }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const letters = (await db.bankLine.findMany()).map((l) => l.letter).sort();
    expect(letters).toEqual(["AA", "AB", "AC", "AD", "AE"]);
  });
});

describe("unmatching", () => {
  it("undoes a match while the year is open, never gives its letter again, and logs it", async () => {
    await imported("credit-cooperatif-2026-11.ofx");
    const line = await bankLine(-150_000);
    const match = () =>
      confirmMatch(db, {
        poleId,
        bankLineId: line.id,
        entryLineIds: [bankLineOf["LOYER-2026-11"]],
        matchedById: staffId,
        now: NOW,
      });
    expect(await match()).toMatchObject({ ok: true, value: { letter: "AA" } });
    const undone = await unmatchBankLine(db, { poleId, bankLineId: line.id, actorId: staffId, now: NOW });
    expect(undone).toEqual({ ok: true, value: { letter: "AA", entryLineIds: [bankLineOf["LOYER-2026-11"]] } });
    expect(await db.bankLine.findUniqueOrThrow({ where: { id: line.id } })).toMatchObject({
      letter: null,
      matchedAt: null,
    });
    expect(await db.bankMatch.count()).toBe(0);
    expect(await db.auditLog.findFirstOrThrow({ where: { action: "bank:unmatch" } })).toMatchObject({
      subject: line.id,
      actorId: staffId,
      details: { letter: "AA" },
    });
    expect(await match()).toMatchObject({ ok: true, value: { letter: "AB" } });
    expect(
      await unmatchBankLine(db, { poleId, bankLineId: (await bankLine(-35_000)).id, actorId: null, now: NOW }),
    ).toMatchObject({ ok: false, code: "NOT_MATCHED", status: 409 });
  });

  it("refuses to undo a match in a closed year, and the closed year's FEC keeps only the letters it was closed with", async () => {
    await imported("credit-cooperatif-2026-11.ofx");
    const rent = await bankLine(-150_000);
    const fees = await bankLine(-1_250);
    await confirmMatch(db, {
      poleId,
      bankLineId: rent.id,
      entryLineIds: [bankLineOf["LOYER-2026-11"]],
      matchedById: staffId,
      now: NOW,
    });
    const year = await db.fiscalYear.findFirstOrThrow({ where: { poleId } });
    const fecBefore = await fecExport(db, { poleId, fiscalYearId: year.id });
    await db.fiscalYear.update({ where: { id: year.id }, data: { closedAt: new Date("2026-12-05T12:00:00Z") } });
    // A match made after the closing is kept, but not in the closed year's FEC.
    await confirmMatch(db, {
      poleId,
      bankLineId: fees.id,
      entryLineIds: [bankLineOf["BQ-2026-11"]],
      matchedById: staffId,
      now: new Date("2026-12-06T09:00:00Z"),
    });
    const fecAfter = await fecExport(db, { poleId, fiscalYearId: year.id });
    expect(fecAfter.ok && fecBefore.ok && fecAfter.value.body.equals(fecBefore.value.body)).toBe(true);

    const refused = await unmatchBankLine(db, { poleId, bankLineId: rent.id, actorId: staffId, now: NOW });
    expect(refused).toMatchObject({ ok: false, code: "CLOSED_PERIOD", status: 409 });
    expect(!refused.ok && refused.message).toBe(
      "L'exercice du 1 janvier 2026 au 31 décembre 2026 est clôturé : ce rapprochement (lettre AA) ne peut plus être défait.",
    );
    expect(await db.bankMatch.count()).toBe(2);
    expect((await listMatchedBankLines(db, { poleId, limit: 10 })).every((m) => !m.canUnmatch)).toBe(true);
  });
});

describe("the FEC", () => {
  it("carries EcritureLet and DateLet (fields 14 and 15) on the matched lines of 512000 only", async () => {
    await imported("credit-cooperatif-2026-11.ofx");
    await confirmMatch(db, {
      poleId,
      bankLineId: (await bankLine(120_000)).id,
      entryLineIds: [bankLineOf["F-2026-0098"]],
      matchedById: staffId,
      // 23:30 UTC is the next day in Paris: DateLet is the Paris day.
      now: new Date("2026-12-02T23:30:00Z"),
    });
    const year = await db.fiscalYear.findFirstOrThrow({ where: { poleId } });
    const fec = await fecExport(db, { poleId, fiscalYearId: year.id });
    if (!fec.ok) throw new Error(fec.message);
    const rows = fec.value.body
      .toString("latin1")
      .split("\r\n")
      .filter(Boolean)
      .map((r) => r.split("\t"));
    expect(rows[0].slice(13, 15)).toEqual(["EcritureLet", "DateLet"]);
    const lettered = rows.filter((r) => r[13] !== "" && r[0] !== "JournalCode");
    expect(lettered).toHaveLength(1);
    expect(lettered[0]).toMatchObject({ 4: "512000", 8: "F-2026-0098", 11: "1200,00", 13: "AA", 14: "20261203" });
    expect(rows.every((r) => r.length === 18)).toBe(true);
  });
});

describe("the demo bank's statement", () => {
  it("is built from the month's 512000 lines plus a fee, imports, and reconciles fully but the fee", async () => {
    const built = await demoBankStatement(db, { poleId, month: "2026-11", today: isoDate("2026-12-07") });
    if (!built.ok) throw new Error(built.message);
    expect(built.value).toMatchObject({
      filename: "releve-demo-camt053-2026-11.xml",
      lines: 7,
      fromDate: "2026-11-01",
      toDate: "2026-11-30",
    });
    const bytes = new Uint8Array(Buffer.from(built.value.body, "utf8"));
    const outcome = await imported(built.value.filename, bytes);
    expect(outcome).toMatchObject({ format: "CAMT053", imported: 7, skipped: 0 });

    expect(
      await matchExactSuggestions(db, { poleId, statementId: outcome.statementId, matchedById: null, now: NOW }),
    ).toEqual({ matched: 6, unmatched: 1 });
    const left = await listUnmatchedBankLines(db, { poleId, limit: 10 });
    expect(left).toMatchObject({ count: 1, total: -DEMO_FEE.cents });
    expect(left.lines[0]).toMatchObject({ date: "2026-11-30", label: DEMO_FEE.label });
    // Each bank line is matched to the line it was built from.
    const matches = await db.bankMatch.findMany({ include: { bankLine: true } });
    for (const m of matches) {
      const entryLine = await db.entryLine.findUniqueOrThrow({ where: { id: m.entryLineId } });
      expect(m.bankLine.amount).toBe(entryLine.debit - entryLine.credit);
      expect(m.bankLine.date).toEqual(entryLine.date);
    }
    expect(
      (await listUnmatchedEntryLines(db, { poleId, from: isoDate("2026-11-01"), to: isoDate("2026-11-30"), limit: 9 }))
        .count,
    ).toBe(0);
    // The bank's closing balance is the books' less the fee they do not hold.
    const [statement] = await listStatements(db, poleId);
    expect(statement.closingCents! - statement.booksBalance).toBe(-DEMO_FEE.cents);

    // The same month built again is the same file: refused as already imported.
    const again = await demoBankStatement(db, { poleId, month: "2026-11", today: isoDate("2026-12-20") });
    expect(again.ok && again.value.body).toBe(built.value.body);
    expect(await importFile("again.xml", bytes)).toMatchObject({ ok: false, code: "DUPLICATE_FILE" });
  });

  it("refuses a month not begun", async () => {
    expect(await demoBankStatement(db, { poleId, month: "2027-01", today: isoDate("2026-12-07") })).toMatchObject({
      ok: false,
      code: "NOT_YET",
      status: 422,
    });
  });
});
