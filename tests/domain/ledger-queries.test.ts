import { beforeEach, describe, expect, it } from "vitest";
import {
  createSubAccount,
  describeSource,
  generalLedger,
  getEntry,
  issueInvoice,
  listEntries,
  post,
  postManualEntry,
  reverse,
  trialBalance,
  type PostInput,
} from "~/domain/ledger/index.server";
import { ManualEntrySchema, parseEuros } from "~/domain/ledger/schemas";
import { db } from "~/utils/db.server";
import { createPerson, createPole } from "../factories";
import { resetDatabase } from "../helpers";
import { isoDate } from "~/domain/ledger/dates";
import { cents } from "~/domain/money";

let poleId: string;
let staffId: string;

const entry = (
  sourceKey: string,
  date: string,
  lines: PostInput["lines"],
  overrides: Partial<PostInput> = {},
): PostInput => ({
  poleId,
  sourceKey,
  date: isoDate(date),
  journal: "BQ",
  label: sourceKey,
  pieceRef: sourceKey.toUpperCase(),
  lines,
  ...overrides,
});

// A small year: a subsidy, a coworking sale, a land rent, an expense, one in the previous year.
async function seedBooks() {
  await post(
    db,
    entry(
      "subsidy:2027",
      "2027-02-10",
      [
        { account: "512000", debit: cents(2_500_000) },
        { account: "740000", credit: cents(2_500_000) },
      ],
      { label: "Subvention Région" },
    ),
  );
  await post(
    db,
    entry(
      "booking:1",
      "2027-03-05",
      [
        { account: "411000", debit: cents(12_000) },
        { account: "706100", credit: cents(10_000) },
        { account: "445710", credit: cents(2_000) },
      ],
      { journal: "VT" },
    ),
  );
  await post(
    db,
    entry(
      "lease:1",
      "2027-04-01",
      [
        { account: "411000", debit: cents(50_000) },
        { account: "706300", credit: cents(50_000) },
      ],
      { journal: "VT" },
    ),
  );
  await post(
    db,
    entry(
      "expense:1",
      "2027-04-20",
      [
        { account: "606000", debit: cents(3_456) },
        { account: "512000", credit: cents(3_456) },
      ],
      { journal: "OD" },
    ),
  );
  await post(
    db,
    entry(
      "old:1",
      "2026-12-20",
      [
        { account: "512000", debit: cents(100_000) },
        { account: "101300", credit: cents(100_000) },
      ],
      { journal: "OD" },
    ),
  );
}

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  staffId = (await createPerson(db, { poleId, role: "STAFF" })).id;
});

const page = { page: 1, pageSize: 50 };

describe("listEntries", () => {
  it("filters by period, journal, stream and account (sub-accounts included)", async () => {
    await seedBooks();
    await createSubAccount(db, { poleId, parentCode: "740000", code: "740100", label: "Subvention État AMI" });
    await post(
      db,
      entry("subsidy:ami", "2027-05-02", [
        { account: "512000", debit: cents(800_000) },
        { account: "740100", credit: cents(800_000) },
      ]),
    );
    const keys = async (filter: Partial<Parameters<typeof listEntries>[1]>) =>
      (await listEntries(db, { poleId, ...page, ...filter })).entries.map((e) => e.sourceKey).sort();

    expect(await keys({})).toHaveLength(6);
    expect(await keys({ from: isoDate("2027-03-01"), to: isoDate("2027-04-01") })).toEqual(["booking:1", "lease:1"]);
    expect(await keys({ journal: "VT" })).toEqual(["booking:1", "lease:1"]);
    expect(await keys({ stream: "SUBSIDY" })).toEqual(["subsidy:2027", "subsidy:ami"]);
    expect(await keys({ stream: "LAND", journal: "OD" })).toEqual([]);
    expect(await keys({ accountCode: "740000" })).toEqual(["subsidy:2027", "subsidy:ami"]);
    expect(await keys({ accountCode: "740100" })).toEqual(["subsidy:ami"]);
    expect(await keys({ accountCode: "7" })).toEqual(["booking:1", "lease:1", "subsidy:2027", "subsidy:ami"]);
    expect(await keys({ accountCode: "512000", stream: "SUBSIDY", from: isoDate("2027-05-01") })).toEqual([
      "subsidy:ami",
    ]);
  });

  it("pages newest first with lines and account codes, and counts the whole result", async () => {
    await seedBooks();
    const first = await listEntries(db, { poleId, page: 1, pageSize: 2 });
    const last = await listEntries(db, { poleId, page: 3, pageSize: 2 });
    expect(first).toMatchObject({ total: 5, pageCount: 3, page: 1 });
    expect(first.entries.map((e) => e.sourceKey)).toEqual(["expense:1", "lease:1"]);
    expect(last.entries.map((e) => e.sourceKey)).toEqual(["old:1"]);
    expect(first.entries[0].lines.map((l) => [l.account.code, l.debit, l.credit])).toEqual([
      ["606000", 3_456, 0],
      ["512000", 0, 3_456],
    ]);
  });

  it("does not show another pole's entries", async () => {
    await seedBooks();
    const other = await createPole(db);
    expect((await listEntries(db, { poleId: other.id, ...page })).total).toBe(0);
  });
});

describe("trialBalance", () => {
  it("sums each account over the period, ordered by code, with balanced totals", async () => {
    await seedBooks();
    const { rows, totals } = await trialBalance(db, { poleId, from: isoDate("2027-01-01"), to: isoDate("2027-12-31") });
    expect(rows.map((r) => [r.code, r.debit, r.credit])).toEqual([
      ["411000", 62_000, 0],
      ["445710", 0, 2_000],
      ["512000", 2_500_000, 3_456],
      ["606000", 3_456, 0],
      ["706100", 0, 10_000],
      ["706300", 0, 50_000],
      ["740000", 0, 2_500_000],
    ]);
    expect(totals).toEqual({ debit: 2_565_456, credit: 2_565_456 });
    expect(
      rows.every((r) => typeof r.debit === "number" && typeof r.accountId === "string" && r.label.length > 0),
    ).toBe(true);
  });

  it("keeps to the period's bounds (inclusive) and stays balanced after a reversal", async () => {
    await seedBooks();
    expect(
      (await trialBalance(db, { poleId, from: isoDate("2027-04-01"), to: isoDate("2027-04-01") })).rows.map(
        (r) => r.code,
      ),
    ).toEqual(["411000", "706300"]);
    const lease = await db.journalEntry.findFirstOrThrow({ where: { sourceKey: "lease:1" } });
    await reverse(db, { poleId, entryId: lease.id, reason: "bail annulé", date: isoDate("2027-04-02") });
    const { rows, totals } = await trialBalance(db, { poleId, from: isoDate("2027-01-01"), to: isoDate("2027-12-31") });
    expect(rows.find((r) => r.code === "706300")).toMatchObject({ debit: 50_000, credit: 50_000 });
    expect(totals.debit).toBe(totals.credit);
  });

  it("is empty for a period without movement", async () => {
    await seedBooks();
    expect(await trialBalance(db, { poleId, from: isoDate("2030-01-01"), to: isoDate("2030-12-31") })).toEqual({
      rows: [],
      totals: { debit: 0, credit: 0 },
    });
  });
});

describe("generalLedger", () => {
  it("carries the opening balance, runs the balance line by line and closes it", async () => {
    await seedBooks();
    const ledger = await generalLedger(db, {
      poleId,
      accountCode: "512000",
      from: isoDate("2027-01-01"),
      to: isoDate("2027-04-30"),
    });
    expect(ledger?.opening).toBe(100_000);
    expect(ledger?.lines.map((l) => [l.date, l.journal, l.pieceRef, l.debit, l.credit, l.balance])).toEqual([
      ["2027-02-10", "BQ", "SUBSIDY:2027", 2_500_000, 0, 2_600_000],
      ["2027-04-20", "OD", "EXPENSE:1", 0, 3_456, 2_596_544],
    ]);
    expect(ledger?.closing).toBe(2_596_544);
    expect(ledger?.totals).toEqual({ debit: 2_500_000, credit: 3_456 });
    expect(ledger?.lines[0].label).toBe("Subvention Région");

    const later = await generalLedger(db, {
      poleId,
      accountCode: "512000",
      from: isoDate("2027-03-01"),
      to: isoDate("2027-12-31"),
    });
    expect(later?.opening).toBe(2_600_000);
  });

  it("answers null for an account the pole does not have", async () => {
    expect(
      await generalLedger(db, {
        poleId,
        accountCode: "999999",
        from: isoDate("2027-01-01"),
        to: isoDate("2027-12-31"),
      }),
    ).toBeNull();
  });
});

describe("getEntry", () => {
  it("links an entry and its reversal both ways and says where each comes from", async () => {
    const { entry: original } = await postManualEntry(db, {
      poleId,
      createdById: staffId,
      today: isoDate("2027-12-31"),
      idempotencyKey: "key-12345678",
      date: isoDate("2027-02-10"),
      journal: "BQ",
      label: "Subvention",
      pieceRef: "VIR-1",
      lines: [
        { accountCode: "512000", debit: cents(1000), credit: cents(0) },
        { accountCode: "740000", debit: cents(0), credit: cents(1000), stream: "SUBSIDY" },
      ],
    });
    const { entry: reversal } = await reverse(db, {
      poleId,
      entryId: original.id,
      reason: "doublon",
      date: isoDate("2027-02-11"),
      createdById: staffId,
    });
    const shown = await getEntry(db, { poleId, entryId: original.id });
    expect(shown?.source).toEqual({ kind: "manual", label: "Saisie manuelle", href: null });
    expect(shown?.reversedBy).toMatchObject({ id: reversal.id, reversalReason: "doublon" });
    expect(shown?.createdBy?.id).toBe(staffId);
    const back = await getEntry(db, { poleId, entryId: reversal.id });
    expect(back?.reversalOf?.id).toBe(original.id);
    expect(back?.source).toEqual({
      kind: "reversal",
      label: "Contrepassation",
      href: `/gestion/comptabilite/ecritures/${original.id}`,
    });
    expect(await getEntry(db, { poleId: (await createPole(db)).id, entryId: original.id })).toBeNull();
  });

  it("links an invoice's entry to its invoice page", async () => {
    const { invoice } = await issueInvoice(db, {
      poleId,
      sourceKey: "booking:42:invoice",
      issueDate: isoDate("2027-03-01"),
      stream: "COWORKING",
      buyer: { name: "Atelier Paysan" },
      lines: [
        {
          description: "Poste de travail",
          quantity: 1,
          unitInclTax: cents(2400),
          vatRateBp: 2000,
          accountCode: "706100",
        },
      ],
    });
    const shown = await getEntry(db, { poleId, entryId: invoice.entryId! });
    expect(shown?.invoice?.id).toBe(invoice.id);
    expect(shown?.source).toEqual({
      kind: "invoice",
      label: `Facture ${invoice.number}`,
      href: `/gestion/factures/${invoice.id}`,
    });
  });

  it("describes the streams' source keys", () => {
    expect(describeSource("booking:abc:paid", null)).toMatchObject({
      kind: "booking",
      label: "Réservation d'espace (abc:paid)",
    });
    expect(describeSource("lease:7", null).kind).toBe("lease");
    expect(describeSource("pledge:9", null).kind).toBe("pledge");
    expect(describeSource("registration:3", null).kind).toBe("registration");
    expect(describeSource("seed:demo", null)).toEqual({ kind: "other", label: "Source : seed:demo", href: null });
  });
});

describe("postManualEntry", () => {
  const input = () => ({
    poleId,
    createdById: staffId,
    today: isoDate("2027-12-31"),
    idempotencyKey: "0b6f1c1e-5b8e-4c55-9a57-2f4a9a3d1c11",
    date: isoDate("2027-06-01"),
    journal: "BQ" as const,
    label: "Subvention État AMI",
    pieceRef: "AMI-2027",
    lines: [
      { accountCode: "512000", debit: cents(1_500_000), credit: cents(0) },
      { accountCode: "740000", debit: cents(0), credit: cents(1_500_000) },
    ],
  });

  it("posts once for the same key, even submitted twice at the same time", async () => {
    const [a, b] = await Promise.all([postManualEntry(db, input()), postManualEntry(db, input())]);
    const again = await postManualEntry(db, input());
    expect(new Set([a.entry.id, b.entry.id, again.entry.id]).size).toBe(1);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
    expect(again.created).toBe(false);
    expect(await db.journalEntry.count()).toBe(1);
    expect(a.entry.sourceKey).toBe(`manual:${input().idempotencyKey}`);
    expect(a.entry.lines.map((l) => [l.account.code, l.stream])).toEqual([
      ["512000", null],
      ["740000", "SUBSIDY"],
    ]);
  });

  it("refuses an unknown account with the line's field", async () => {
    const bad = {
      ...input(),
      lines: [input().lines[0], { accountCode: "799999", debit: cents(0), credit: cents(1_500_000) }],
    };
    await expect(postManualEntry(db, bad)).rejects.toMatchObject({
      code: "UNKNOWN_ACCOUNT",
      field: "lines[1].account",
    });
    expect(await db.journalEntry.count()).toBe(0);
  });

  it("refuses a date after today, the day itself being fine", async () => {
    await expect(postManualEntry(db, { ...input(), today: isoDate("2027-05-31") })).rejects.toMatchObject({
      code: "INVALID",
      field: "date",
      message: expect.stringContaining("après aujourd'hui"),
    });
    expect(await db.journalEntry.count()).toBe(0);
    expect((await postManualEntry(db, { ...input(), today: isoDate("2027-06-01") })).created).toBe(true);
  });
});

describe("euros typed by staff", () => {
  it.each([
    ["1234.56", 123_456],
    ["1234,56", 123_456],
    ["1 234,56", 123_456],
    ["1\u202f234,56 €", 123_456],
    ["1\u00a0234,5", 123_450],
    ["0,01", 1],
    ["0.1", 10],
    ["12", 1_200],
    ["007", 700],
    ["  25 000  ", 2_500_000],
    ["10000000,00", 1_000_000_000],
    ["0,29", 29],
  ])("reads %j as %i cents", (text, cents) => {
    expect(parseEuros(text)).toEqual({ ok: true, cents });
  });

  it.each([
    ["", "Indiquez un montant."],
    ["-12", "Un montant ne peut pas être négatif."],
    ["−12,00", "Un montant ne peut pas être négatif."],
    ["12,345", "Un montant compte au plus deux décimales (centimes)."],
    ["1.234,56", "Indiquez un montant en euros, par exemple 1 234,56."],
    ["12,", "Indiquez un montant en euros, par exemple 1 234,56."],
    [",5", "Indiquez un montant en euros, par exemple 1 234,56."],
    ["1e3", "Indiquez un montant en euros, par exemple 1 234,56."],
    ["abc", "Indiquez un montant en euros, par exemple 1 234,56."],
  ])("refuses %j", (text, message) => {
    expect(parseEuros(text)).toEqual({ ok: false, message });
  });

  it("refuses more than a line can hold", () => {
    expect(parseEuros("10000000,01")).toMatchObject({ ok: false, message: expect.stringMatching(/trop élevé/) });
    expect(parseEuros("999999999")).toMatchObject({ ok: false, message: expect.stringMatching(/trop élevé/) });
  });

  it("never goes through floating point: every cent of 0,00 € to 100,00 € comes back exact", () => {
    for (let cents = 0; cents <= 10_000; cents++) {
      const text = `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, "0")}`;
      expect(parseEuros(text)).toEqual({ ok: true, cents });
    }
  });

  it("turns the form into cents and keeps each line's row, dropping blank rows", () => {
    const parsed = ManualEntrySchema.safeParse({
      idempotencyKey: "abcdefgh-1234",
      journal: "BQ",
      date: "2027-06-01",
      label: "Subvention",
      pieceRef: "X",
      lines: [
        { account: "512000", debit: "1 000,10" },
        undefined,
        { account: "740000", credit: "1000.1", stream: "SUBSIDY" },
        {},
      ],
    });
    expect(parsed.success && parsed.data.lines).toEqual([
      { row: 0, accountCode: "512000", debit: 100_010, credit: 0, stream: undefined, label: undefined },
      { row: 2, accountCode: "740000", debit: 0, credit: 100_010, stream: "SUBSIDY", label: undefined },
    ]);
  });
});
