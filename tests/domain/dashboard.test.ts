import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  createFiscalYear,
  dashboard,
  issueCreditNote,
  issueInvoice,
  LedgerError,
  post,
  reverse,
  savePlanLine,
  spreadPlan,
  monthsBetween,
  type ForecastSource,
} from "~/domain/ledger/index.server";
import type { Stream } from "~/generated/prisma/enums";
import { db } from "~/utils/db.server";
import { createPole } from "../factories";
import { resetDatabase } from "../helpers";
import { isoDate } from "~/domain/ledger/dates";
import { cents } from "~/domain/money";

let poleId: string;
let fiscalYearId: string;

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  const year = await createFiscalYear(db, { poleId, startDate: isoDate("2027-01-01"), endDate: isoDate("2027-12-31") });
  if (!year.ok) throw new Error(year.message);
  fiscalYearId = year.value.id;
});

const plan = async (stream: Stream, label: string, amount: number, month?: number) => {
  const saved = await savePlanLine(db, {
    poleId,
    fiscalYearId,
    stream,
    label,
    period: month ? "MONTH" : "YEAR",
    month,
    amount: cents(amount),
  });
  if (!saved.ok) throw new Error(saved.message);
};

const bank = (sourceKey: string, date: string, account: string, credit: number) =>
  post(db, {
    poleId,
    sourceKey,
    date: isoDate(date),
    journal: "BQ",
    label: sourceKey,
    pieceRef: sourceKey,
    lines: [
      { account: "512000", debit: cents(credit) },
      { account, credit: cents(credit) },
    ],
  });

const sale = (
  sourceKey: string,
  issueDate: string,
  stream: Stream,
  accountCode: string,
  unitInclTax: number,
  vatRateBp: number,
) =>
  issueInvoice(db, {
    poleId,
    sourceKey,
    issueDate: isoDate(issueDate),
    stream,
    buyer: { name: "Compost'Lauragais" },
    lines: [{ description: sourceKey, quantity: 1, unitInclTax: cents(unitInclTax), vatRateBp, accountCode }],
    vatMention: vatRateBp === 0 ? "Exonération de TVA, article 261 D 1° du CGI" : null,
  });

describe("spreading the plan", () => {
  it("puts a monthly line in its month and spreads a yearly one in cents, the remainder on the last month", () => {
    const months = monthsBetween(isoDate("2027-01-01"), isoDate("2027-12-31"));
    expect(months).toHaveLength(12);
    const spread = spreadPlan(months, [
      { stream: "COWORKING", month: null, amount: 1_200_001 },
      { stream: "LAND", month: 3, amount: 300_000 },
      { stream: "LAND", month: 3, amount: 5 },
    ]);
    expect(spread.map((m) => m.COWORKING)).toEqual([...Array(11).fill(100_000), 100_001]);
    expect(spread.reduce((s, m) => s + m.COWORKING, 0)).toBe(1_200_001);
    expect(spread.map((m) => m.LAND)).toEqual([0, 0, 300_005, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("follows a fiscal year that does not start in January", () => {
    const months = monthsBetween(isoDate("2026-07-01"), isoDate("2027-06-30"));
    expect(months[0]).toBe("2026-07");
    expect(months.at(-1)).toBe("2027-06");
    const spread = spreadPlan(months, [
      { stream: "TRAINING", month: 2, amount: 700 },
      { stream: "OTHER", month: null, amount: 11 },
    ]);
    expect(spread[7].TRAINING).toBe(700); // February 2027 is the 8th month
    expect(spread.map((m) => m.OTHER)).toEqual([...Array(11).fill(0), 11]);
  });
});

describe("dashboard", () => {
  async function scenario() {
    await plan("COWORKING", "Postes de travail", 1_200_001);
    await plan("SUBSIDY", "Région et État", 2_400_000);
    await plan("LAND", "Fermages", 300_000, 3);
    await plan("TRAINING", "Formation compostage", 150_000, 2);

    // January: a coworking sale (100 000 excl. VAT), its payment (bank, not revenue) and the building's rent.
    await sale("cw-jan", "2027-01-10", "COWORKING", "706100", 120_000, 2000);
    await post(db, {
      poleId,
      sourceKey: "pay-jan",
      date: isoDate("2027-01-20"),
      journal: "BQ",
      label: "Règlement",
      pieceRef: "R1",
      lines: [
        { account: "512000", debit: cents(120_000) },
        { account: "411000", credit: cents(120_000) },
      ],
    });
    await post(db, {
      poleId,
      sourceKey: "rent-jan",
      date: isoDate("2027-01-31"),
      journal: "BQ",
      label: "Loyer",
      pieceRef: "L1",
      lines: [
        { account: "613200", debit: cents(80_000) },
        { account: "512000", credit: cents(80_000) },
      ],
    });
    // February: a sale of 50 000 and a credit note of 10 000 on it; the Region's subsidy.
    const feb = await sale("cw-feb", "2027-02-05", "COWORKING", "706100", 60_000, 2000);
    await issueCreditNote(db, {
      poleId,
      invoiceId: feb.invoice.id,
      sourceKey: "cw-feb-avoir",
      issueDate: isoDate("2027-02-20"),
      reason: "Geste commercial",
      lines: [
        { description: "Remise", quantity: 1, unitInclTax: cents(12_000), vatRateBp: 2000, accountCode: "706100" },
      ],
    });
    await bank("region", "2027-02-15", "740000", 1_000_000);
    // March: land rent (exempt), a wrong income reversed in the same month, a gift (758: not own revenue).
    await sale("land-q1", "2027-03-01", "LAND", "706300", 250_000, 0);
    const wrong = await bank("wrong", "2027-03-03", "708000", 20_000);
    await reverse(db, { poleId, entryId: wrong.entry.id, reason: "Doublon", date: isoDate("2027-03-10") });
    await bank("gift", "2027-03-20", "758000", 50_000);
    // April: a sale dated after today counts in April's actual, not to date.
    await sale("cw-apr-late", "2027-04-20", "COWORKING", "706100", 36_000, 2000);
    // Outside the year, and another pole: not counted.
    await bank("last-year", "2026-12-15", "706100", 999_999);
    const other = await createPole(db);
    await post(db, {
      poleId: other.id,
      sourceKey: "x",
      date: isoDate("2027-01-05"),
      journal: "BQ",
      label: "x",
      pieceRef: "x",
      lines: [
        { account: "512000", debit: cents(777) },
        { account: "706100", credit: cents(777) },
      ],
    });
  }

  const source: ForecastSource = vi.fn(async () => [
    { stream: "COWORKING" as const, month: "2027-04", amount: 45_000 },
    { stream: "COWORKING" as const, month: "2027-06", amount: 60_000 },
    { stream: "LAND" as const, month: "2027-03", amount: 999 }, // before today's month: ignored
    { stream: "TRAINING" as const, month: "2028-01", amount: 5 }, // after the year: ignored
  ]);

  it("gives plan, actual, forecast and variance per stream and month, and the self-financing ratio", async () => {
    await scenario();
    const d = await dashboard(db, { poleId, fiscalYearId, today: isoDate("2027-04-15"), forecastSources: [source] });
    expect(source).toHaveBeenCalledWith(expect.anything(), {
      poleId,
      from: "2027-04-15",
      to: "2027-12-31",
      today: "2027-04-15",
    });

    expect(d.months.map((m) => m.elapsed)).toEqual([true, true, true, true, ...Array(8).fill(false)]);
    const cell = (month: number, stream: Stream) => d.months[month - 1].byStream[stream];
    expect(cell(1, "COWORKING")).toEqual({ plan: 100_000, actual: 100_000, actualToDate: 100_000, forecast: 0 });
    expect(cell(2, "COWORKING")).toEqual({ plan: 100_000, actual: 40_000, actualToDate: 40_000, forecast: 0 });
    expect(cell(2, "SUBSIDY")).toMatchObject({ plan: 200_000, actual: 1_000_000 });
    expect(cell(2, "TRAINING")).toMatchObject({ plan: 150_000, actual: 0 });
    expect(cell(3, "LAND")).toEqual({ plan: 300_000, actual: 250_000, actualToDate: 250_000, forecast: 0 });
    expect(cell(3, "OTHER")).toMatchObject({ actual: 50_000 }); // the reversal netted the wrong income to zero
    expect(cell(4, "COWORKING")).toEqual({ plan: 100_000, actual: 30_000, actualToDate: 0, forecast: 45_000 });
    expect(cell(6, "COWORKING")).toEqual({ plan: 100_000, actual: 0, actualToDate: 0, forecast: 60_000 });
    expect(cell(12, "COWORKING").plan).toBe(100_001);

    const stream = (s: Stream) => d.perStream.find((r) => r.stream === s)!;
    expect(stream("COWORKING")).toEqual({
      stream: "COWORKING",
      plan: 1_200_001,
      planToDate: 400_000,
      actual: 170_000,
      actualToDate: 140_000,
      forecast: 105_000,
      projected: 245_000,
      variance: -260_000,
      variancePct: -0.65,
    });
    expect(stream("LAND")).toMatchObject({ planToDate: 300_000, actualToDate: 250_000, variance: -50_000 });
    expect(stream("LAND").variancePct).toBeCloseTo(-1 / 6, 12);
    expect(stream("TRAINING")).toMatchObject({ variance: -150_000, variancePct: -1 });
    expect(stream("SUBSIDY")).toMatchObject({
      planToDate: 800_000,
      actualToDate: 1_000_000,
      variance: 200_000,
      variancePct: 0.25,
    });
    expect(stream("OTHER")).toMatchObject({ planToDate: 0, actualToDate: 50_000, variance: 50_000, variancePct: null });
    expect(stream("CROWDFUNDING")).toMatchObject({ plan: 0, actual: 0, variance: 0, variancePct: null });

    expect(d.perMonth[0]).toMatchObject({ month: "2027-01", plan: 300_000, actual: 100_000, variance: -200_000 });
    expect(d.perMonth[3]).toMatchObject({
      month: "2027-04",
      plan: 300_000,
      actual: 30_000,
      actualToDate: 0,
      forecast: 45_000,
      variance: -300_000,
      variancePct: -1,
    });
    expect(d.perMonth[4]).toMatchObject({ month: "2027-05", variance: null, variancePct: null });
    expect(d.total).toMatchObject({
      plan: 4_050_001,
      planToDate: 1_650_000,
      actual: 1_470_000,
      actualToDate: 1_440_000,
      forecast: 105_000,
      variance: -210_000,
    });
    expect(d.total.variancePct).toBeCloseTo(-210_000 / 1_650_000, 12);

    // Own revenue to date = coworking 140 000 + land 250 000; subsidies 1 000 000; gifts 50 000.
    expect(d.autofinancement.toDate).toEqual({
      own: 390_000,
      subsidies: 1_000_000,
      gifts: 50_000,
      total: 1_440_000,
      ratio: 390_000 / 1_440_000,
    });
    expect(d.autofinancement.planned).toEqual({
      own: 1_650_001,
      subsidies: 2_400_000,
      gifts: 0,
      total: 4_050_001,
      ratio: 1_650_001 / 4_050_001,
    });
    expect(d.autofinancement.plannedToDate).toEqual({
      own: 850_000,
      subsidies: 800_000,
      gifts: 0,
      total: 1_650_000,
      ratio: 850_000 / 1_650_000,
    });
  });

  it("before the year starts: nothing elapsed, no variance, the forecast asked from the first day", async () => {
    await plan("COWORKING", "Postes", 120_000);
    const calls: unknown[] = [];
    const d = await dashboard(db, {
      poleId,
      fiscalYearId,
      today: isoDate("2026-11-20"),
      forecastSources: [async (_tx, q) => (calls.push(q), [])],
    });
    expect(calls).toEqual([{ poleId, from: "2027-01-01", to: "2027-12-31", today: "2026-11-20" }]);
    expect(d.months.every((m) => !m.elapsed)).toBe(true);
    expect(d.total).toMatchObject({ plan: 120_000, planToDate: 0, variance: null, variancePct: null });
    expect(d.autofinancement.toDate.ratio).toBeNull();
  });

  it("after the year ends: every month elapsed and no forecast asked", async () => {
    await bank("cw", "2027-05-02", "706100", 10_000);
    const asked = vi.fn<ForecastSource>(async () => []);
    const d = await dashboard(db, { poleId, fiscalYearId, today: isoDate("2028-02-01"), forecastSources: [asked] });
    expect(asked).not.toHaveBeenCalled();
    expect(d.months.every((m) => m.elapsed)).toBe(true);
    expect(d.autofinancement.toDate).toEqual({ own: 10_000, subsidies: 0, gifts: 0, total: 10_000, ratio: 1 });
  });

  it("uses the registered sources by default (none yet) and refuses another pole's year", async () => {
    const d = await dashboard(db, { poleId, fiscalYearId, today: isoDate("2027-06-01") });
    expect(d.total.forecast).toBe(0);
    const other = await createPole(db);
    await expect(
      dashboard(db, { poleId: other.id, fiscalYearId, today: isoDate("2027-06-01") }),
    ).rejects.toBeInstanceOf(LedgerError);
  });
});
