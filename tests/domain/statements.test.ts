import { beforeEach, describe, expect, it } from "vitest";
import { isoDate } from "~/domain/ledger/dates";
import {
  financialStatements,
  issueInvoice,
  post,
  renderStatementsPdf,
  reverse,
  trialBalance,
  type FinancialStatements,
  type LineInput,
  type StatementRow,
} from "~/domain/ledger/index.server";
import { placeBalance } from "~/domain/ledger/statements.server";
import { cents } from "~/domain/money";
import { db } from "~/utils/db.server";
import { formatAmount } from "~/utils/format";
import { pdf } from "~/utils/pdf.server";
import { createPerson, createPole } from "../factories";
import { resetDatabase } from "../helpers";
import { pdfText } from "../pdf-text";

let poleId: string;
let keys = 0;

// Accounts the seeded year needs beyond the default chart.
const EXTRA_ACCOUNTS = [
  ["164000", "Emprunts auprès des établissements de crédit"],
  ["218100", "Installations générales, agencements"],
  ["281810", "Amortissements des installations générales"],
  ["310000", "Matières premières"],
  ["421000", "Personnel — rémunérations dues"],
  ["431000", "Sécurité sociale"],
  ["444000", "État — impôts sur les bénéfices"],
  ["445620", "TVA déductible sur immobilisations"],
  ["486000", "Charges constatées d'avance"],
  ["512100", "Banque — compte secondaire"],
  ["603100", "Variation des stocks de matières premières"],
  ["661100", "Intérêts des emprunts"],
  ["671000", "Charges exceptionnelles sur opérations de gestion"],
  ["681100", "Dotations aux amortissements des immobilisations"],
  ["695000", "Impôts sur les bénéfices"],
  ["771000", "Produits exceptionnels sur opérations de gestion"],
] as const;

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  await db.account.createMany({ data: EXTRA_ACCOUNTS.map(([code, label]) => ({ poleId, code, label })) });
});

const entry = (date: string, lines: [string, number, number][], journal: "OD" | "BQ" | "AN" = "OD") =>
  post(db, {
    poleId,
    sourceKey: `test:${++keys}`,
    date: isoDate(date),
    journal,
    label: `Écriture ${keys}`,
    pieceRef: `P-${keys}`,
    lines: lines.map(([account, debit, credit]) => ({
      account,
      ...(debit ? { debit: cents(debit) } : {}),
      ...(credit ? { credit: cents(credit) } : {}),
    })),
  });

/** A year of a small cooperative's books, in every class the statements read. */
async function seedYear(year: number) {
  const d = (md: string) => `${year}-${md}`;
  await entry(d("01-05"), [
    ["512000", 1_000_000, 0],
    ["101300", 0, 1_000_000],
  ]);
  await entry(d("01-10"), [
    ["512000", 500_000, 0],
    ["164000", 0, 500_000],
  ]);
  await entry(d("02-01"), [
    ["218100", 300_000, 0],
    ["445620", 60_000, 0],
    ["401000", 0, 360_000],
  ]);
  await entry(d("02-20"), [
    ["401000", 200_000, 0],
    ["512000", 0, 200_000],
  ]);
  await issueInvoice(db, {
    poleId,
    sourceKey: `sale:${year}`,
    issueDate: isoDate(d("03-01")),
    stream: "COWORKING",
    buyer: { name: "Atelier Bois & Paille" },
    lines: [
      { description: "Bureau fermé", quantity: 1, unitInclTax: cents(12_000), vatRateBp: 2000, accountCode: "706100" },
    ],
  });
  await entry(d("03-15"), [
    ["512000", 800_000, 0],
    ["740000", 0, 800_000],
  ]);
  await entry(d("04-30"), [
    ["641000", 300_000, 0],
    ["421000", 0, 300_000],
  ]);
  await entry(d("04-30"), [
    ["645000", 120_000, 0],
    ["431000", 0, 120_000],
  ]);
  await entry(d("05-02"), [
    ["421000", 300_000, 0],
    ["512000", 0, 300_000],
  ]);
  await entry(d("06-30"), [
    ["661100", 5_000, 0],
    ["512000", 0, 5_000],
  ]);
  await entry(d("07-01"), [
    ["671000", 1_000, 0],
    ["771000", 0, 2_000],
    ["512000", 1_000, 0],
  ]);
  await entry(d("08-01"), [
    ["512000", 4_000, 0],
    ["419100", 0, 4_000],
  ]);
  await entry(d("09-01"), [
    ["627000", 7_000, 0],
    ["512100", 0, 7_000],
  ]);
  await entry(d("12-31"), [
    ["681100", 50_000, 0],
    ["281810", 0, 50_000],
  ]);
  await entry(d("12-31"), [
    ["486000", 10_000, 0],
    ["613200", 0, 10_000],
  ]);
  await entry(d("12-31"), [
    ["706200", 5_000, 0],
    ["487000", 0, 5_000],
  ]);
  await entry(d("12-31"), [
    ["310000", 20_000, 0],
    ["603100", 0, 20_000],
  ]);
  await entry(d("12-31"), [
    ["695000", 3_000, 0],
    ["444000", 0, 3_000],
  ]);
}

// Expected figures of one seeded year: products 10 000 + 800 000 − 5 000 (706) + 2 000 (77); charges 300 000 +
// 120 000 + 5 000 + 1 000 + 7 000 + 50 000 − 10 000 (613 prepaid) − 20 000 (stock) + 3 000.
const PRODUCTS = 10_000 + 800_000 - 5_000 + 2_000;
const CHARGES = 300_000 + 120_000 + 5_000 + 1_000 + 7_000 + 50_000 - 10_000 - 20_000 + 3_000;
const RESULT = PRODUCTS - CHARGES;

const yearId = async (start: string) =>
  (await db.fiscalYear.findFirstOrThrow({ where: { poleId, startDate: new Date(`${start}T00:00:00Z`) } })).id;

const statementsOf = async (start: string) =>
  (await financialStatements(db, { poleId, fiscalYearId: await yearId(start) }))!;

const row = (rows: StatementRow[], key: string) => {
  const found = rows.find((r) => r.key === key);
  if (!found) throw new Error(`no row ${key}`);
  return found;
};

/** Σ (debit − credit) per class, as the trial balance has it. */
async function classSums(from: string, to: string) {
  const { rows } = await trialBalance(db, { poleId, from: isoDate(from), to: isoDate(to) });
  const sums: Record<string, number> = {};
  for (const r of rows) sums[r.code[0]] = (sums[r.code[0]] ?? 0) + r.debit - r.credit;
  return sums;
}

/** Σ (debit − credit) per class, read back from the accounts behind the bilan's lines. */
function bilanClassSums(s: FinancialStatements) {
  const sums: Record<string, number> = {};
  const addAll = (rows: StatementRow[], sign: 1 | -1) => {
    for (const r of rows)
      for (const a of r.accounts ?? []) {
        if (!/^\d+$/.test(a.code)) continue;
        sums[a.code[0]] = (sums[a.code[0]] ?? 0) + sign * a.amount;
      }
  };
  addAll(s.assets, 1);
  addAll(s.liabilities, -1);
  return sums;
}

/** The opening entry the closing posts (journal AN, first day of the next year): what the lead's closing will do. */
async function closeWithOpening(year: { start: string; end: string }, next: string) {
  const { rows } = await trialBalance(db, { poleId, from: isoDate(year.start), to: isoDate(year.end) });
  const lines: LineInput[] = [];
  let result = 0;
  for (const r of rows) {
    const balance = r.debit - r.credit;
    if (r.code[0] === "6" || r.code[0] === "7") {
      result -= balance;
      continue;
    }
    if (balance > 0) lines.push({ account: r.code, debit: cents(balance) });
    if (balance < 0) lines.push({ account: r.code, credit: cents(-balance) });
  }
  if (result > 0) lines.push({ account: "120000", credit: cents(result) });
  if (result < 0) lines.push({ account: "129000", debit: cents(-result) });
  await post(db, {
    poleId,
    sourceKey: `test:opening:${next}`,
    date: isoDate(next),
    journal: "AN",
    label: "À-nouveaux",
    pieceRef: "AN",
    lines,
  });
  await db.fiscalYear.update({ where: { id: await yearId(year.start) }, data: { closedAt: new Date() } });
  return result;
}

describe("the statements equal the trial balance", () => {
  it("reads a year's compte de résultat and bilan from its balance, the bilan balanced", async () => {
    await seedYear(2025);
    const s = await statementsOf("2025-01-01");
    const sums = await classSums("2025-01-01", "2025-12-31");

    expect(s.previous).toBeNull();
    expect(s.year.closed).toBe(false);
    expect(row(s.income, "totalIncome").n).toBe(-sums["7"]);
    expect(row(s.income, "totalCharges").n).toBe(sums["6"]);
    expect(row(s.income, "totalIncome").n).toBe(PRODUCTS);
    expect(row(s.income, "totalCharges").n).toBe(CHARGES);
    expect(row(s.income, "netResult").n).toBe(RESULT);
    expect(s.result.n).toBe(RESULT);
    expect(row(s.liabilities, "result").n).toBe(RESULT);

    expect(s.totals.assets).toBe(s.totals.liabilities);
    const bilan = bilanClassSums(s);
    for (const c of ["1", "2", "3", "4", "5"]) expect(bilan[c] ?? 0, `classe ${c}`).toBe(sums[c] ?? 0);
    // Total actif − total passif = Σ classes 1–5 + result = 0.
    expect(["1", "2", "3", "4", "5"].reduce((t, c) => t + (sums[c] ?? 0), 0)).toBe(RESULT);
  });

  it("puts each account on its line of the simplified layout", async () => {
    await seedYear(2025);
    const s = await statementsOf("2025-01-01");
    const income = (key: string) => row(s.income, key).n;
    expect(income("productionServices")).toBe(10_000 - 5_000);
    expect(income("operatingGrants")).toBe(800_000);
    expect(income("operatingIncome")).toBe(805_000);
    expect(income("stockChangeMaterials")).toBe(-20_000);
    expect(income("external")).toBe(7_000 - 10_000);
    expect(income("wages")).toBe(300_000);
    expect(income("social")).toBe(120_000);
    expect(income("depreciation")).toBe(50_000);
    expect(income("operatingResult")).toBe(805_000 - (300_000 + 120_000 + 50_000 - 3_000 - 20_000));
    expect(income("financialCharges")).toBe(5_000);
    expect(income("financialResult")).toBe(-5_000);
    expect(income("exceptionalResult")).toBe(1_000);
    expect(income("incomeTax")).toBe(3_000);

    const assets = (key: string) => row(s.assets, key);
    expect(assets("tangible")).toMatchObject({ gross: 300_000, depreciation: 50_000, n: 250_000 });
    expect(assets("stocks").n).toBe(20_000);
    expect(assets("clients").n).toBe(12_000);
    expect(assets("otherReceivables").n).toBe(60_000); // deductible VAT on the fixed asset
    expect(assets("prepaid").n).toBe(10_000);
    expect(assets("cash").n).toBe(1_000_000 + 500_000 - 200_000 + 800_000 - 300_000 - 5_000 + 1_000 + 4_000);
    const liabilities = (key: string) => row(s.liabilities, key).n;
    expect(liabilities("capital")).toBe(1_000_000);
    expect(liabilities("borrowings")).toBe(500_000 + 7_000); // the loan and the overdrawn second account
    expect(liabilities("suppliers")).toBe(160_000);
    expect(liabilities("taxSocial")).toBe(120_000 + 2_000 + 3_000);
    expect(liabilities("otherDebts")).toBe(4_000); // 419100, an advance received
    expect(liabilities("deferredIncome")).toBe(5_000);
    expect(liabilities("pendingResults")).toBe(0);
  });

  it("places class 4 and 5 accounts by the side of their balance", () => {
    expect(placeBalance("401000", 100)).toEqual({ side: "assets", key: "otherReceivables", depreciation: false });
    expect(placeBalance("411000", -100)).toEqual({ side: "liabilities", key: "otherDebts" });
    expect(placeBalance("445660", 100)).toEqual({ side: "assets", key: "otherReceivables", depreciation: false });
    expect(placeBalance("445710", -100)).toEqual({ side: "liabilities", key: "taxSocial" });
    expect(placeBalance("419100", 100)).toEqual({ side: "assets", key: "otherReceivables", depreciation: false });
    expect(placeBalance("512000", -100)).toEqual({ side: "liabilities", key: "borrowings" });
    expect(placeBalance("491000", -100)).toEqual({ side: "assets", key: "clients", depreciation: true });
    expect(placeBalance("119000", 100)).toEqual({ side: "liabilities", key: "retained" });
    expect(placeBalance("106100", -100)).toEqual({ side: "liabilities", key: "legalReserve" });
    expect(placeBalance("280500", -100)).toEqual({ side: "assets", key: "intangible", depreciation: true });
  });
});

describe("a year closed with its opening entry in the next one", () => {
  it("shows N and N−1, both balanced and both equal to their trial balance", async () => {
    await seedYear(2025);
    const before = await statementsOf("2025-01-01");
    const carried = await closeWithOpening({ start: "2025-01-01", end: "2025-12-31" }, "2026-01-01");
    expect(carried).toBe(RESULT);
    await entry("2026-02-10", [
      ["512000", 30_000, 0],
      ["740000", 0, 30_000],
    ]);
    await entry("2026-03-10", [
      ["401000", 160_000, 0],
      ["512000", 0, 160_000],
    ]);
    await entry("2026-04-30", [
      ["641000", 50_000, 0],
      ["512000", 0, 50_000],
    ]);

    const s = await statementsOf("2026-01-01");
    expect(s.balancesFrom).toBe("2026-01-01");
    expect(s.previous).toMatchObject({ startDate: "2025-01-01", closed: true });
    expect(s.year.closed).toBe(false);
    expect(s.result).toEqual({ n: 30_000 - 50_000, prev: RESULT });
    // The previous year's column is that year's own statement, unchanged by the AN entry of 2026.
    const after = await statementsOf("2025-01-01");
    expect(after.year.closed).toBe(true);
    for (const [rows, prevRows] of [
      [s.income, before.income],
      [s.assets, before.assets],
      [s.liabilities, before.liabilities],
    ] as const) {
      expect(rows.map((r) => [r.key, r.prev])).toEqual(prevRows.map((r) => [r.key, r.kind === "heading" ? null : r.n]));
    }
    expect(after.totals).toEqual(before.totals);

    const sums = await classSums("2026-01-01", "2026-12-31");
    const bilan = bilanClassSums(s);
    for (const c of ["1", "2", "3", "4", "5"]) expect(bilan[c] ?? 0, `classe ${c}`).toBe(sums[c] ?? 0);
    expect(row(s.income, "totalIncome").n).toBe(-sums["7"]);
    expect(row(s.income, "totalCharges").n).toBe(sums["6"]);
    expect(s.totals.assets).toBe(s.totals.liabilities);
    expect(s.totals.prevAssets).toBe(s.totals.prevLiabilities);
    expect(s.totals.prevAssets).toBe(before.totals.assets);
    // 2025's profit sits on 120000 until the members allocate it.
    expect(row(s.liabilities, "pendingResults").n).toBe(RESULT);
    expect(row(s.liabilities, "result").n).toBe(-20_000);
    expect(row(s.liabilities, "suppliers").n).toBe(0);

    // The members allocate it to the indivisible reserves: the line moves, the bilan still balances.
    await entry("2026-06-30", [
      ["120000", RESULT, 0],
      ["106800", 0, RESULT],
    ]);
    const allocated = await statementsOf("2026-01-01");
    expect(row(allocated.liabilities, "pendingResults").n).toBe(0);
    expect(row(allocated.liabilities, "otherReserves").n).toBe(RESULT);
    expect(allocated.totals.assets).toBe(allocated.totals.liabilities);
  });

  it("carries a loss on 129000 and keeps the bilan balanced", async () => {
    await entry("2025-03-01", [
      ["606000", 40_000, 0],
      ["512000", 0, 40_000],
    ]);
    await closeWithOpening({ start: "2025-01-01", end: "2025-12-31" }, "2026-01-01");
    const s = await statementsOf("2026-01-01");
    expect(s.result.prev).toBe(-40_000);
    expect(row(s.liabilities, "pendingResults").n).toBe(-40_000);
    expect(row(s.liabilities, "borrowings").n).toBe(40_000); // the overdrawn bank
    expect(s.totals.assets).toBe(s.totals.liabilities);
  });

  it("without an opening entry, sums the balance accounts from the start and shows the earlier result apart", async () => {
    await seedYear(2025);
    await entry("2026-02-10", [
      ["512000", 30_000, 0],
      ["740000", 0, 30_000],
    ]);
    const s = await statementsOf("2026-01-01");
    expect(s.balancesFrom).toBeNull();
    expect(row(s.liabilities, "pendingResults").n).toBe(RESULT);
    expect(row(s.liabilities, "result").n).toBe(30_000);
    expect(s.totals.assets).toBe(s.totals.liabilities);
    const sums = await classSums("1900-01-01", "2026-12-31");
    const bilan = bilanClassSums(s);
    for (const c of ["1", "2", "3", "4", "5"]) expect(bilan[c] ?? 0, `classe ${c}`).toBe(sums[c] ?? 0);
  });

  it("ignores an opening entry that was reversed (a reopened year)", async () => {
    await seedYear(2025);
    await closeWithOpening({ start: "2025-01-01", end: "2025-12-31" }, "2026-01-01");
    const opening = await db.journalEntry.findFirstOrThrow({ where: { poleId, journal: "AN" } });
    await reverse(db, { poleId, entryId: opening.id, reason: "Réouverture", date: isoDate("2026-01-01") });
    const s = await statementsOf("2026-01-01");
    expect(s.balancesFrom).toBeNull();
    expect(s.totals.assets).toBe(s.totals.liabilities);
    expect(row(s.liabilities, "pendingResults").n).toBe(RESULT);
  });
});

describe("third-party accounts", () => {
  it("places each customer's balance on its own side: one who paid in advance is a debt, not less receivable", async () => {
    const [owes, advanced] = await Promise.all([
      createPerson(db, { poleId, name: "Jeanne Cazals" }),
      createPerson(db, { poleId, name: "Thomas Roudier" }),
    ]);
    const third = (personId: string) => ({ thirdPartyPersonId: personId });
    const at = (date: string, lines: LineInput[]) =>
      post(db, {
        poleId,
        sourceKey: `test:${++keys}`,
        date: isoDate(date),
        journal: "OD",
        label: "Tiers",
        pieceRef: `T-${keys}`,
        lines,
      });
    await at("2025-03-01", [
      { account: "411000", debit: cents(12_000), ...third(owes.id) },
      { account: "706100", credit: cents(12_000) },
    ]);
    // Thomas paid 3 000 more than he owed: the pole owes it back (or will invoice it).
    await at("2025-03-02", [
      { account: "411000", debit: cents(5_000), ...third(advanced.id) },
      { account: "706100", credit: cents(5_000) },
    ]);
    await at("2025-03-20", [
      { account: "512000", debit: cents(8_000) },
      { account: "411000", credit: cents(8_000), ...third(advanced.id) },
    ]);
    // Netted, 411000 would read 9 000 of receivables; the bilan shows 12 000 owed and 3 000 due.
    const s = await statementsOf("2025-01-01");
    expect(row(s.assets, "clients")).toMatchObject({
      n: 12_000,
      accounts: [{ code: "411000", label: expect.stringContaining("soldes débiteurs"), amount: 12_000 }],
    });
    expect(row(s.liabilities, "otherDebts")).toMatchObject({
      n: 3_000,
      accounts: [{ code: "411000", label: expect.stringContaining("soldes créditeurs"), amount: 3_000 }],
    });
    expect(s.totals.assets).toBe(s.totals.liabilities);
    const sums = await classSums("2025-01-01", "2025-12-31");
    expect(bilanClassSums(s)["4"]).toBe(sums["4"]);

    // Settled, the account reads zero and leaves the bilan.
    await at("2025-04-01", [
      { account: "411000", debit: cents(3_000), ...third(advanced.id) },
      { account: "512000", credit: cents(3_000) },
    ]);
    await at("2025-04-02", [
      { account: "512000", debit: cents(12_000) },
      { account: "411000", credit: cents(12_000), ...third(owes.id) },
    ]);
    const settled = await statementsOf("2025-01-01");
    expect(row(settled.assets, "clients").n).toBe(0);
    expect(row(settled.liabilities, "otherDebts").n).toBe(0);
  });

  it("keeps an account netted when lines naming no third party hold part of it (a manual entry)", async () => {
    const customer = await createPerson(db, { poleId, name: "Jeanne Cazals" });
    await post(db, {
      poleId,
      sourceKey: "test:invoice",
      date: isoDate("2025-03-01"),
      journal: "VT",
      label: "Facture",
      pieceRef: "F-1",
      lines: [
        { account: "411000", debit: cents(12_000), thirdPartyPersonId: customer.id },
        { account: "706100", credit: cents(12_000) },
      ],
    });
    // Her payment typed as a manual entry, on 411000 without her name: split, it would read 12 000 owed by her
    // and 12 000 owed to nobody; netted, the account is settled.
    await entry("2025-03-20", [
      ["512000", 12_000, 0],
      ["411000", 0, 12_000],
    ]);
    const s = await statementsOf("2025-01-01");
    expect(row(s.assets, "clients").n).toBe(0);
    expect(row(s.liabilities, "otherDebts").n).toBe(0);
    expect(s.totals.assets).toBe(s.totals.liabilities);
  });
});

describe("the statements PDF", () => {
  it("names the pole and the year, and says an open year is provisional", async () => {
    await seedYear(2025);
    const s = await statementsOf("2025-01-01");
    const issuer = {
      name: "Pôle de la Vallée Fertile",
      legalName: "SCIC La Vallée Fertile",
      legalForm: "SCIC SAS à capital variable",
      siren: "912345675",
      address: "12 route des Vergers, 31450 Montgiscard",
    };
    const text = pdfText(await renderStatementsPdf(s, issuer, new Date("2026-02-01T10:00:00Z"), { compress: false }));
    for (const expected of [
      "SCIC La Vallée Fertile",
      "Pôle de la Vallée Fertile",
      "Exercice du 1 janvier 2025 au 31 décembre 2025",
      "Compte de résultat",
      "Bilan — actif",
      "Bilan — passif",
      "Résultat de l'exercice (bénéfice ou perte)",
      "Total de l'actif",
    ])
      expect(text).toContain(expected);
    expect(text).toMatch(/PROVISOIRE/);
    expect(text).toContain(pdf(`Total de l'actif = total du passif = ${formatAmount(s.totals.assets)} €.`));

    await db.fiscalYear.update({ where: { id: s.year.id }, data: { closedAt: new Date() } });
    const closed = (await financialStatements(db, { poleId, fiscalYearId: s.year.id }))!;
    expect(pdfText(await renderStatementsPdf(closed, issuer, new Date(), { compress: false }))).not.toMatch(
      /PROVISOIRE/,
    );
  });
});
