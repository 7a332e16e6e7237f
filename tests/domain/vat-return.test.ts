import { beforeEach, describe, expect, it } from "vitest";
import { isoDate } from "~/domain/ledger/dates";
import {
  issueCreditNote,
  issueInvoice,
  parseVatPeriod,
  post,
  recordInvoicePayment,
  reverse,
  vatPeriodOf,
  vatReturn,
  vatReturnCsv,
  type InvoiceLineInput,
  type VatReturn,
} from "~/domain/ledger/index.server";
import { toEuros, updateVatSettings } from "~/domain/ledger/vat-return.server";
import { VAT_EXEMPTIONS } from "~/domain/ledger/vat";
import { cents } from "~/domain/money";
import { db } from "~/utils/db.server";
import { createPerson, createPole } from "../factories";
import { resetDatabase } from "../helpers";

let poleId: string;
let keys = 0;

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  await db.account.createMany({
    data: [
      { poleId, code: "445510", label: "TVA à décaisser" },
      { poleId, code: "445620", label: "TVA déductible sur immobilisations" },
    ],
  });
});

const coworking = (inclTax: number): InvoiceLineInput => ({
  description: "Bureau partagé",
  quantity: 1,
  unitInclTax: cents(inclTax),
  vatRateBp: 2000,
  accountCode: "706100",
});
const landRent = (inclTax: number): InvoiceLineInput => ({
  description: "Fermage parcelle P-12",
  quantity: 1,
  unitInclTax: cents(inclTax),
  vatRateBp: 0,
  accountCode: "706300",
});

async function invoice(date: string, lines: InvoiceLineInput[], receivableAccount?: string) {
  const { invoice } = await issueInvoice(db, {
    poleId,
    sourceKey: `sale:${++keys}`,
    issueDate: isoDate(date),
    stream: lines[0].accountCode === "706300" ? "LAND" : "COWORKING",
    buyer: { name: "Maraîchers Associés du Canal" },
    lines,
    vatMention: lines.some((l) => l.vatRateBp === 0) ? VAT_EXEMPTIONS.LAND_RENT : null,
    receivableAccount,
  });
  return invoice;
}

const creditNote = async (invoiceId: string, date: string, lines?: InvoiceLineInput[], receivableAccount?: string) =>
  (
    await issueCreditNote(db, {
      poleId,
      invoiceId,
      sourceKey: `credit:${++keys}`,
      issueDate: isoDate(date),
      reason: "Geste commercial",
      lines,
      receivableAccount,
    })
  ).invoice;

/** A customer's transfer entered by hand, naming the invoice by its number (as the demo books do). */
const transfer = (number: string, date: string, amount: number) =>
  post(db, {
    poleId,
    sourceKey: `transfer:${++keys}`,
    date: isoDate(date),
    journal: "BQ",
    label: `Virement reçu ${number}`,
    pieceRef: number,
    lines: [
      { account: "512000", debit: cents(amount) },
      { account: "411000", credit: cents(amount) },
    ],
  });

const expense = (date: string, lines: [string, number, number][], journal: "BQ" | "OD" | "AN" = "BQ") =>
  post(db, {
    poleId,
    sourceKey: `expense:${++keys}`,
    date: isoDate(date),
    journal,
    label: `Dépense ${keys}`,
    pieceRef: `D-${keys}`,
    lines: lines.map(([account, debit, credit]) => ({
      account,
      ...(debit ? { debit: cents(debit) } : {}),
      ...(credit ? { credit: cents(credit) } : {}),
    })),
  });

const returnOf = (key: string, basis: "DEBITS" | "RECEIPTS") =>
  vatReturn(db, { poleId, period: parseVatPeriod(key)!, basis });

const line = (r: VatReturn, code: string) => r.lines.find((l) => l.code === code)!;

describe("periods", () => {
  it("reads a month or a quarter, and nothing else", () => {
    expect(parseVatPeriod("2026-03")).toMatchObject({ from: "2026-03-01", to: "2026-03-31", label: "mars 2026" });
    expect(parseVatPeriod("2028-02")).toMatchObject({ from: "2028-02-01", to: "2028-02-29" });
    expect(parseVatPeriod("2026-T1")).toMatchObject({
      from: "2026-01-01",
      to: "2026-03-31",
      kind: "QUARTERLY",
      label: "1er trimestre 2026",
    });
    expect(parseVatPeriod("2026-T4")).toMatchObject({ from: "2026-10-01", to: "2026-12-31" });
    for (const bad of ["2026-13", "2026-00", "2026-T5", "2026-T0", "26-03", "2026-3", "mars", "2026-03-01", "1999-12"])
      expect(parseVatPeriod(bad), bad).toBeNull();
  });

  it("steps back over the turn of a year", () => {
    expect(vatPeriodOf(isoDate("2026-01-15"), "MONTHLY", -1).key).toBe("2025-12");
    expect(vatPeriodOf(isoDate("2026-02-15"), "QUARTERLY", -1).key).toBe("2025-T4");
    expect(vatPeriodOf(isoDate("2026-12-31"), "QUARTERLY").key).toBe("2026-T4");
  });

  it("rounds the declared amounts to the euro, half away from zero", () => {
    expect([toEuros(149), toEuros(150), toEuros(-150), toEuros(0), toEuros(123_449)]).toEqual([1, 2, -2, 0, 1234]);
  });
});

describe("on debits", () => {
  it("a month with a 20 % coworking invoice, an exempt land rent and a credit note", async () => {
    await invoice("2026-02-27", [coworking(12_000)]); // the month before
    const desk = await invoice("2026-03-02", [coworking(240_000)]);
    await invoice("2026-03-05", [landRent(180_000)]);
    await creditNote(desk.id, "2026-03-20", [coworking(60_000)]);
    await invoice("2026-04-01", [coworking(12_000)]); // the month after
    await expense("2026-03-10", [
      ["613200", 25_000, 0],
      ["445660", 5_000, 0],
      ["512000", 0, 30_000],
    ]);

    const r = await returnOf("2026-03", "DEBITS");
    expect(line(r, "08")).toMatchObject({ base: 200_000 - 50_000, tax: 40_000 - 10_000 });
    expect(line(r, "A1").base).toBe(150_000);
    expect(line(r, "E2").base).toBe(180_000);
    expect(line(r, "9B")).toMatchObject({ base: 0, tax: 0 });
    expect(line(r, "16").tax).toBe(30_000);
    expect(line(r, "20").tax).toBe(5_000);
    expect(line(r, "23").tax).toBe(5_000);
    expect(line(r, "28")).toMatchObject({ tax: 25_000, declaredTax: 250 });
    expect(line(r, "25").tax).toBe(0);
    expect(line(r, "08")).toMatchObject({ declaredBase: 1500, declaredTax: 300 });
    // The ledger agrees: 445710 moved by the same amount.
    expect(r.ledgerCollected).toBe(30_000);
    // Behind line 08: the invoice and the credit note, with their entries.
    expect(r.sales.filter((s) => s.line === "08").map((s) => [s.how, s.base, s.tax])).toEqual([
      ["ISSUED", 200_000, 40_000],
      ["CREDIT_NOTE", -50_000, -10_000],
    ]);
    expect(r.sales.every((s) => s.entryId)).toBe(true);
    expect(r.deductible).toHaveLength(1);
  });

  it("a credit larger than the VAT due goes to line 25", async () => {
    await invoice("2026-05-02", [coworking(12_000)]);
    await expense("2026-05-10", [
      ["604000", 100_000, 0],
      ["445660", 20_000, 0],
      ["512000", 0, 120_000],
    ]);
    const r = await returnOf("2026-05", "DEBITS");
    expect(line(r, "16").tax).toBe(2_000);
    expect(line(r, "25")).toMatchObject({ tax: 18_000, declaredTax: 180 });
    expect(line(r, "28").tax).toBe(0);
  });

  it("deductible VAT leaves out opening entries and return settlements, and puts fixed assets on line 19", async () => {
    await expense(
      "2026-01-01",
      [
        ["445660", 9_000, 0],
        ["512000", 0, 9_000],
      ],
      "AN",
    );
    await expense("2026-01-15", [
      ["606000", 10_000, 0],
      ["445660", 2_000, 0],
      ["512000", 0, 12_000],
    ]);
    await expense("2026-01-20", [
      ["604000", 50_000, 0],
      ["445620", 10_000, 0],
      ["512000", 0, 60_000],
    ]);
    await expense(
      "2026-01-31",
      [
        ["445710", 4_000, 0],
        ["445660", 0, 2_000],
        ["445510", 0, 2_000],
      ],
      "OD",
    );
    const r = await returnOf("2026-01", "DEBITS");
    expect(line(r, "19").tax).toBe(10_000);
    expect(line(r, "20").tax).toBe(2_000);
    expect(line(r, "23").tax).toBe(12_000);
    expect(r.deductible.map((d) => d.line)).toEqual(["20", "19"]);
  });
});

describe("on receipts", () => {
  it("counts an invoice paid the next month in that month", async () => {
    const desk = await invoice("2026-03-20", [coworking(24_000)]);
    const { entry: payment } = await recordInvoicePayment(db, {
      poleId,
      invoiceId: desk.id,
      moneyAccount: "512000",
      date: isoDate("2026-04-10"),
      reference: "VIR-123",
    });
    const march = await returnOf("2026-03", "RECEIPTS");
    expect(line(march, "08")).toMatchObject({ base: 0, tax: 0 });
    expect(march.sales).toEqual([]);

    const april = await returnOf("2026-04", "RECEIPTS");
    expect(line(april, "08")).toMatchObject({ base: 20_000, tax: 4_000 });
    expect(line(april, "28").tax).toBe(4_000);
    expect(april.sales).toEqual([
      expect.objectContaining({
        documentId: desk.id,
        how: "RECEIPT",
        date: "2026-04-10",
        issueDate: "2026-03-20",
        entryId: payment.id,
      }),
    ]);
    // On debits it stays in March.
    expect(line(await returnOf("2026-03", "DEBITS"), "08").tax).toBe(4_000);
    expect(line(await returnOf("2026-04", "DEBITS"), "08").tax).toBe(0);
  });

  it("counts a sale paid when invoiced on its issue date", async () => {
    await invoice("2026-03-20", [coworking(12_000)], "517000");
    const r = await returnOf("2026-03", "RECEIPTS");
    expect(line(r, "08")).toMatchObject({ base: 10_000, tax: 2_000 });
    expect(r.sales[0].how).toBe("PAID_AT_ISSUE");
  });

  it("spreads part payments over the invoice's rates, pro rata", async () => {
    const mixed = await invoice("2026-03-01", [coworking(12_000), landRent(8_000)]);
    await transfer(mixed.number, "2026-04-05", 10_000);
    await transfer(mixed.number, "2026-05-05", 10_000);
    for (const month of ["2026-04", "2026-05"]) {
      const r = await returnOf(month, "RECEIPTS");
      expect(line(r, "08"), month).toMatchObject({ base: 5_000, tax: 1_000 });
      expect(line(r, "E2").base, month).toBe(4_000);
    }
    expect((await returnOf("2026-03", "RECEIPTS")).sales).toEqual([]);
  });

  it("a credit note on an unpaid invoice cancels VAT never due; one after payment gives it back", async () => {
    const first = await invoice("2026-03-02", [coworking(24_000)]);
    await creditNote(first.id, "2026-03-25", [coworking(6_000)]);
    await transfer(first.number, "2026-04-10", 18_000);
    const march = await returnOf("2026-03", "RECEIPTS");
    expect(march.sales).toEqual([]);
    const april = await returnOf("2026-04", "RECEIPTS");
    expect(line(april, "08")).toMatchObject({ base: 15_000, tax: 3_000 });

    const second = await invoice("2026-04-02", [coworking(12_000)], "512000");
    await creditNote(second.id, "2026-05-03", [coworking(3_000)], "512000");
    const may = await returnOf("2026-05", "RECEIPTS");
    expect(line(may, "08")).toMatchObject({ base: -2_500, tax: -500 });
    expect(may.sales[0]).toMatchObject({ how: "CREDIT_NOTE", kind: "CREDIT_NOTE" });
    expect(line(may, "25").tax).toBe(500);
  });

  it("a reversed receipt comes off the month of its reversal", async () => {
    const desk = await invoice("2026-03-02", [coworking(12_000)]);
    const { entry } = await transfer(desk.number, "2026-03-10", 12_000);
    await reverse(db, { poleId, entryId: entry.id, reason: "Virement rejeté", date: isoDate("2026-04-02") });
    expect(line(await returnOf("2026-03", "RECEIPTS"), "08").tax).toBe(2_000);
    const april = await returnOf("2026-04", "RECEIPTS");
    expect(line(april, "08")).toMatchObject({ base: -10_000, tax: -2_000 });
    expect(april.sales[0].how).toBe("RECEIPT_REVERSED");
  });

  it("keeps goods on their delivery date and lists receipts that name no invoice", async () => {
    await invoice("2026-03-02", [{ ...coworking(12_000), accountCode: "707000", description: "Panier de légumes" }]);
    await expense("2026-03-15", [
      ["512000", 5_000, 0],
      ["411000", 0, 5_000],
    ]);
    const r = await returnOf("2026-03", "RECEIPTS");
    expect(line(r, "08").tax).toBe(2_000);
    expect(r.sales[0].how).toBe("GOODS");
    expect(r.unmatchedReceipts).toEqual([expect.objectContaining({ amount: 5_000, pieceRef: expect.any(String) })]);
  });

  it("a quarter adds up its months", async () => {
    const a = await invoice("2026-01-10", [coworking(12_000)]);
    const b = await invoice("2026-02-10", [coworking(24_000), landRent(5_000)]);
    await transfer(a.number, "2026-01-20", 12_000);
    await transfer(b.number, "2026-03-20", 29_000);
    const quarter = await returnOf("2026-T1", "RECEIPTS");
    const months = await Promise.all(["2026-01", "2026-02", "2026-03"].map((m) => returnOf(m, "RECEIPTS")));
    for (const code of ["A1", "E2", "08", "16"])
      expect(line(quarter, code), code).toMatchObject({
        base: line(quarter, code).base === null ? null : months.reduce((s, m) => s + line(m, code).base!, 0),
        tax: line(quarter, code).tax === null ? null : months.reduce((s, m) => s + line(m, code).tax!, 0),
      });
    expect(line(quarter, "08").tax).toBe(6_000);
  });
});

describe("the CSV and the settings", () => {
  it("exports the lines, then every document behind them", async () => {
    const desk = await invoice("2026-03-02", [coworking(24_000)]);
    await creditNote(desk.id, "2026-03-20", [coworking(6_000)]);
    const csv = vatReturnCsv(await returnOf("2026-03", "DEBITS"));
    const rows = csv
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(rows[0]).toBe(
      "Ligne;Libellé;Pièce;Date de la pièce;Exigible le;Base HT;TVA;Base à déclarer (€);TVA à déclarer (€)",
    );
    expect(rows).toContain("08;Taux normal 20 %;;;;150,00;30,00;150;30");
    expect(rows).toContain(`08;Facture ${desk.number};${desk.number};02/03/2026;02/03/2026;200,00;40,00;;`);
    expect(rows).toContain("08;Avoir AV-2026-0001;AV-2026-0001;20/03/2026;20/03/2026;-50,00;-10,00;;");
  });

  it("changes the basis and period, writes it to the audit log, and changes nothing when nothing changes", async () => {
    const admin = await createPerson(db, { poleId, role: "ADMIN" });
    const result = await updateVatSettings(db, {
      poleId,
      actorId: admin.id,
      vatBasis: "DEBITS",
      vatPeriod: "QUARTERLY",
    });
    expect(result).toEqual({ ok: true, value: { changed: true } });
    expect(await db.pole.findUniqueOrThrow({ where: { id: poleId } })).toMatchObject({
      vatBasis: "DEBITS",
      vatPeriod: "QUARTERLY",
    });
    const log = await db.auditLog.findMany({ where: { poleId } });
    expect(log).toEqual([
      expect.objectContaining({
        action: "vat:settings",
        actorId: admin.id,
        details: {
          before: { vatBasis: "RECEIPTS", vatPeriod: "MONTHLY" },
          after: { vatBasis: "DEBITS", vatPeriod: "QUARTERLY" },
        },
      }),
    ]);
    expect(
      await updateVatSettings(db, { poleId, actorId: admin.id, vatBasis: "DEBITS", vatPeriod: "QUARTERLY" }),
    ).toEqual({ ok: true, value: { changed: false } });
    expect(await db.auditLog.count()).toBe(1);
    // The return reads the pole's basis when none is given.
    const desk = await invoice("2026-03-02", [coworking(12_000)]);
    const r = await vatReturn(db, { poleId, period: parseVatPeriod("2026-T1")! });
    expect(r.basis).toBe("DEBITS");
    expect(r.sales.map((s) => s.documentId)).toEqual([desk.id]);
  });
});
