import { beforeEach, describe, expect, it } from "vitest";
import {
  closeFiscalYear,
  closingCheck,
  dashboard,
  generalLedger,
  fecExport,
  issueInvoice,
  post,
  reopenFiscalYear,
  trialBalance,
  type LineInput,
} from "~/domain/ledger/index.server";
import { isoDate } from "~/domain/ledger/dates";
import { cents } from "~/domain/money";
import { db, inTransaction } from "~/utils/db.server";
import { createOrganisation, createPerson, createPole } from "../factories";
import { resetDatabase } from "../helpers";

let poleId: string;
let personId: string;
let adminId: string;
let y2026: string;

const JAN_2027 = new Date("2027-01-04T09:00:00Z");

const entry = (sourceKey: string, date: string, lines: LineInput[], journal: "VT" | "BQ" | "OD" = "OD") =>
  post(db, { poleId, sourceKey, date: isoDate(date), journal, label: sourceKey, pieceRef: sourceKey, lines });

async function yearOf(start: string) {
  return db.fiscalYear.findFirstOrThrow({ where: { poleId, startDate: new Date(`${start}T00:00:00Z`) } });
}

async function exportFec(fiscalYearId: string) {
  const fec = await fecExport(db, { poleId, fiscalYearId });
  if (!fec.ok) throw new Error(fec.message);
  return fec.value;
}

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db, { siren: "912345675" })).id;
  personId = (await createPerson(db, { poleId, name: "Élodie Berthelot" })).id;
  adminId = (await createPerson(db, { poleId, role: "ADMIN", name: "Camille Durand" })).id;
  await createOrganisation(db, { poleId, name: "Région Verte" });
  // 2026: an invoice half paid, a subsidy, an expense, shares subscribed.
  await issueInvoice(db, {
    poleId,
    sourceKey: "invoice",
    issueDate: isoDate("2026-03-10"),
    stream: "COWORKING",
    buyer: { name: "Élodie Berthelot", personId },
    lines: [{ description: "Bureau", quantity: 1, unitInclTax: cents(12_000), vatRateBp: 2000, accountCode: "706100" }],
  });
  await entry("paid", "2026-04-02", [
    { account: "512000", debit: cents(5_000) },
    { account: "411000", credit: cents(5_000), thirdPartyPersonId: personId },
  ]);
  await entry("subsidy", "2026-06-01", [
    { account: "512000", debit: cents(100_000) },
    { account: "740000", credit: cents(100_000) },
  ]);
  await entry("expense", "2026-07-15", [
    { account: "606000", debit: cents(3_000) },
    { account: "512000", credit: cents(3_000) },
  ]);
  await entry("shares", "2026-09-01", [
    { account: "512000", debit: cents(2_000) },
    { account: "101300", credit: cents(2_000) },
  ]);
  y2026 = (await yearOf("2026-01-01")).id;
});

const close = (fiscalYearId: string, now = JAN_2027) =>
  closeFiscalYear(db, { poleId, fiscalYearId, closedById: adminId, now });

describe("closing a year", () => {
  it("lists what to check, and cannot start before the year's last day", async () => {
    const check = await closingCheck(db, { poleId, fiscalYearId: y2026, today: isoDate("2026-12-30") });
    expect(check).toMatchObject({
      entries: 5,
      unbalanced: 0,
      income: 110_000,
      expenses: 3_000,
      result: 107_000,
      unreconciledBankLines: { count: 0, total: 0 },
      unpaidInvoices: [{ unpaid: 7_000, issueDate: "2026-03-10" }],
    });
    expect(check?.blocking).toEqual([
      "L'exercice se termine le 31 décembre 2026 : il se clôture à partir de ce jour-là.",
    ]);
    const early = await close(y2026, new Date("2026-12-30T10:00:00Z"));
    expect(early).toMatchObject({ ok: false, code: "NOT_READY", status: 409 });
    expect(await db.journalEntry.count({ where: { journal: "AN" } })).toBe(0);
    expect((await yearOf("2026-01-01")).closedAt).toBeNull();
  });

  it("posts the opening entry of the next year once, with the result on 120000, even closed twice at once", async () => {
    const [a, b] = await Promise.all([close(y2026), close(y2026)]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect([a, b].find((r) => !r.ok)).toMatchObject({ code: "ALREADY_CLOSED", status: 409 });
    const openings = await db.journalEntry.findMany({
      where: { journal: "AN" },
      include: { lines: { include: { account: true }, orderBy: { id: "asc" } } },
    });
    expect(openings).toHaveLength(1);
    const [opening] = openings;
    expect(opening.date).toEqual(new Date("2027-01-01T00:00:00Z"));
    const lines = opening.lines.map((l) => [l.account.code, l.debit, l.credit, l.thirdPartyPersonId]);
    expect(lines).toEqual([
      ["101300", 0, 2_000, null],
      ["411000", 7_000, 0, personId],
      ["445710", 0, 2_000, null],
      ["512000", 104_000, 0, null],
      ["120000", 0, 107_000, null],
    ]);
    const year = await yearOf("2026-01-01");
    expect(year).toMatchObject({ resultCents: 107_000, openingEntryId: opening.id, closings: 1 });
    // 2027 opens with the balance sheet of 2026 and nothing of its income statement.
    const balance = await trialBalance(db, { poleId, from: isoDate("2027-01-01"), to: isoDate("2027-12-31") });
    expect(balance.rows.map((r) => r.code)).toEqual(["101300", "120000", "411000", "445710", "512000"]);
    // The grand livre of 2027 opens at nothing and carries the à-nouveaux once; the dashboard does not count the
    // carried capital as raised in 2027.
    const bank = await generalLedger(db, {
      poleId,
      accountCode: "512000",
      from: isoDate("2027-01-01"),
      to: isoDate("2027-12-31"),
    });
    expect([bank?.opening, bank?.closing]).toEqual([0, 104_000]);
    const mid = await generalLedger(db, {
      poleId,
      accountCode: "512000",
      from: isoDate("2027-03-01"),
      to: isoDate("2027-12-31"),
    });
    expect([mid?.opening, mid?.closing]).toEqual([104_000, 104_000]);
    const y2027 = await yearOf("2027-01-01");
    const d = await dashboard(db, { poleId, fiscalYearId: y2027.id, today: isoDate("2027-01-10") });
    expect(d.capital).toMatchObject({ admitted: 0 });
    // 2026 takes no more entries.
    await expect(entry("late", "2026-12-20", [...subsidyLines()])).rejects.toMatchObject({ code: "CLOSED_PERIOD" });
  });

  it("carries a loss on 129000", async () => {
    await entry("big-expense", "2026-10-01", [
      { account: "622600", debit: cents(500_000) },
      { account: "512000", credit: cents(500_000) },
    ]);
    const closed = await close(y2026);
    expect(closed).toMatchObject({ ok: true, value: { result: -393_000 } });
    const loss = await db.entryLine.findFirstOrThrow({ where: { account: { code: "129000" } } });
    expect([loss.debit, loss.credit]).toEqual([393_000, 0]);
  });
});

const subsidyLines = (): LineInput[] => [
  { account: "512000", debit: cents(1_000) },
  { account: "740000", credit: cents(1_000) },
];

describe("numbering fixed at validation", () => {
  it("numbers entries gaplessly in validation order; a rolled-back post takes no number", async () => {
    await expect(
      inTransaction(db, async (tx) => {
        await post(tx, {
          poleId,
          sourceKey: "rolled-back",
          date: isoDate("2026-01-05"),
          journal: "OD",
          label: "x",
          pieceRef: "x",
          lines: subsidyLines(),
        });
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    await entry("back-dated", "2026-01-02", subsidyLines());
    const numbers = await db.entryValidation.findMany({
      where: { fiscalYearId: y2026 },
      orderBy: { number: "asc" },
      include: { entry: { select: { sourceKey: true, date: true } } },
    });
    expect(numbers.map((n) => [n.number, n.entry.sourceKey])).toEqual([
      [1, "invoice:F-2026-0001"],
      [2, "paid"],
      [3, "subsidy"],
      [4, "expense"],
      [5, "shares"],
      [6, "back-dated"],
    ]);
    for (const n of numbers) expect(n.validatedOn >= n.entry.date).toBe(true);
  });

  it("exports a closed year byte for byte the same after a back-dated posting and renamed labels", async () => {
    await entry("early-2027", "2027-01-02", subsidyLines());
    expect((await close(y2026)).ok).toBe(true);
    const first = await exportFec(y2026);
    expect((await yearOf("2026-01-01")).fecExportedAt).not.toBeNull();
    await entry("back-dated-2027", "2027-01-01", subsidyLines());
    await db.account.update({ where: { poleId_code: { poleId, code: "706100" } }, data: { label: "Renommé" } });
    await db.person.update({ where: { id: personId }, data: { name: "Élodie Renommée" } });
    const second = await exportFec(y2026);
    expect(second.body.equals(first.body)).toBe(true);
    expect(first.entryCount).toBe(5);
    // The next year's file opens with its à-nouveaux (their own series, although the closing came after the
    // entry of 2 January), then its entries in validation order: the back-dated one after the earlier one.
    const next = await exportFec((await yearOf("2027-01-01")).id);
    const records = next.body
      .toString("latin1")
      .split("\r\n")
      .slice(1, -1)
      .map((r) => r.split("\t"));
    expect(records[0].slice(0, 4)).toEqual(["AN", "\u00c0-nouveaux", "AN1", "20270101"]);
    const order = [...new Set(records.map((r) => `${r[2]} ${r[3]}`))];
    expect(order).toEqual(["AN1 20270101", "1 20270102", "2 20270101"]);
  });
});

describe("reopening a year", () => {
  it("reverses the opening entry, writes the reason to the audit log and lets a late credit note in", async () => {
    expect((await close(y2026)).ok).toBe(true);
    const short = await reopenFiscalYear(db, {
      poleId,
      fiscalYearId: y2026,
      actorId: adminId,
      reason: "oups",
      now: JAN_2027,
    });
    expect(short).toMatchObject({ ok: false, field: "reason", status: 400 });
    const reopened = await reopenFiscalYear(db, {
      poleId,
      fiscalYearId: y2026,
      actorId: adminId,
      reason: "Avoir de décembre reçu après la clôture",
      now: JAN_2027,
    });
    expect(reopened.ok).toBe(true);
    expect(await db.auditLog.findMany({ select: { action: true, subject: true, actorId: true } })).toEqual([
      { action: "fiscal-year:reopen", subject: y2026, actorId: adminId },
    ]);
    const an = await db.entryLine.groupBy({
      by: ["accountId"],
      where: { entry: { journal: "AN" } },
      _sum: { debit: true, credit: true },
    });
    for (const a of an) expect(a._sum.debit).toBe(a._sum.credit);
    expect(await db.journalEntry.count({ where: { journal: "AN", reversalOfId: { not: null } } })).toBe(1);
    await entry("credit-note", "2026-12-20", [
      { account: "706100", debit: cents(1_000) },
      { account: "411000", credit: cents(1_000), thirdPartyPersonId: personId },
    ]);
    const again = await close(y2026);
    expect(again).toMatchObject({ ok: true, value: { result: 106_000 } });
    const year = await yearOf("2026-01-01");
    expect(year.closings).toBe(2);
    const opening = await db.journalEntry.findUniqueOrThrow({ where: { id: year.openingEntryId! } });
    expect(opening.sourceKey).toBe(`closing:${y2026}:2:opening`);
  });

  it("is refused once the FEC is exported, while the next year is closed, or for an open year", async () => {
    expect(
      await reopenFiscalYear(db, {
        poleId,
        fiscalYearId: y2026,
        actorId: adminId,
        reason: "Une raison valable",
        now: JAN_2027,
      }),
    ).toMatchObject({ ok: false, code: "NOT_CLOSED", status: 409 });
    expect((await close(y2026)).ok).toBe(true);
    const y2027 = (await yearOf("2027-01-01")).id;
    expect((await close(y2027, new Date("2028-01-03T09:00:00Z"))).ok).toBe(true);
    expect(
      await reopenFiscalYear(db, {
        poleId,
        fiscalYearId: y2026,
        actorId: adminId,
        reason: "Une raison valable",
        now: JAN_2027,
      }),
    ).toMatchObject({ ok: false, code: "SUCCESSOR_CLOSED", status: 409 });
    await exportFec(y2027);
    expect(
      await reopenFiscalYear(db, {
        poleId,
        fiscalYearId: y2027,
        actorId: adminId,
        reason: "Une raison valable",
        now: JAN_2027,
      }),
    ).toMatchObject({ ok: false, code: "EXPORTED", status: 409 });
    expect(await db.auditLog.count()).toBe(0);
    // The database holds the rule too: no reopening without a reason logged in the same transaction.
    await expect(db.$executeRaw`UPDATE "FiscalYear" SET "closedAt" = NULL WHERE "id" = ${y2027}`).rejects.toThrow(
      /closed/,
    );
  });
});
