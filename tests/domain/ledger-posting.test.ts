import pg from "pg";
import { beforeEach, describe, expect, it } from "vitest";
import {
  closeFiscalYear,
  createFiscalYear,
  issueInvoice,
  LedgerError,
  post,
  reverse,
  type PostInput,
} from "~/domain/ledger/index.server";
import { inTransaction, db } from "~/utils/db.server";
import { createPerson, createPole } from "../factories";
import { dayAfter, resetDatabase } from "../helpers";
import { isoDate } from "~/domain/ledger/dates";
import { cents } from "~/domain/money";
import { uncheckedLines } from "../unchecked";

let poleId: string;
beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
});

const subsidy = (overrides: Partial<PostInput> = {}): PostInput => ({
  poleId,
  sourceKey: "subsidy:region:2027",
  date: isoDate("2027-03-15"),
  journal: "BQ",
  label: "Subvention Région Occitanie",
  pieceRef: "REG-2027-01",
  lines: [
    { account: "512000", debit: cents(2_500_000) },
    { account: "740000", credit: cents(2_500_000) },
  ],
  ...overrides,
});

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LedgerError);
  return error as LedgerError;
}

describe("post", () => {
  it("writes a balanced entry whose revenue line takes the account's stream", async () => {
    const { entry, created } = await post(db, subsidy());
    expect(created).toBe(true);
    expect(entry.lines.map((l) => [l.account.code, l.debit, l.credit, l.stream])).toEqual([
      ["512000", 2_500_000, 0, null],
      ["740000", 0, 2_500_000, "SUBSIDY"],
    ]);
  });

  it("returns the first entry for a second post with the same sourceKey and writes nothing", async () => {
    const first = await post(db, subsidy());
    const second = await post(
      db,
      subsidy({
        label: "autre libellé",
        lines: [
          { account: "512000", debit: cents(1) },
          { account: "740000", credit: cents(1) },
        ],
      }),
    );
    expect(second).toEqual({ entry: first.entry, created: false });
    expect(await db.entryLine.count()).toBe(2);
  });

  it.each([
    [
      "UNBALANCED",
      [
        { account: "512000", debit: 100 },
        { account: "740000", credit: 99 },
      ],
    ],
    [
      "DEBIT_XOR_CREDIT",
      [
        { account: "512000", debit: 100, credit: 100 },
        { account: "740000", credit: 0 },
      ],
    ],
    ["DEBIT_XOR_CREDIT", [{ account: "512000" }, { account: "740000" }]],
    [
      "NEGATIVE_AMOUNT",
      [
        { account: "512000", debit: -100 },
        { account: "740000", credit: -100 },
      ],
    ],
    [
      "NOT_CENTS",
      [
        { account: "512000", debit: 10.5 },
        { account: "740000", credit: 10.5 },
      ],
    ],
    [
      "UNKNOWN_ACCOUNT",
      [
        { account: "512000", debit: 100 },
        { account: "799999", credit: 100 },
      ],
    ],
    ["NO_LINES", [{ account: "512000", debit: 100 }]],
  ] as const)("refuses %s with a typed error and writes nothing", async (code, lines) => {
    const error = await refusal(post(db, subsidy({ lines: uncheckedLines(lines) })));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/[a-zé]/);
    expect(await db.journalEntry.count()).toBe(0);
  });

  it("refuses a date inside a closed fiscal year, and the database refuses it too", async () => {
    const staff = await createPerson(db, { poleId, role: "STAFF" });
    const year = await createFiscalYear(db, {
      poleId,
      startDate: isoDate("2026-01-01"),
      endDate: isoDate("2026-12-31"),
    });
    if (!year.ok) throw new Error(year.message);
    await post(db, subsidy({ date: isoDate("2026-06-01"), sourceKey: "early" }));
    const closed = await closeFiscalYear(db, {
      poleId,
      fiscalYearId: year.value.id,
      closedById: staff.id,
      now: dayAfter(year.value.endDate),
    });
    expect(closed.ok).toBe(true);
    expect((await refusal(post(db, subsidy({ date: isoDate("2026-12-31") })))).code).toBe("CLOSED_PERIOD");
    // A replay of an entry posted before the close still answers with that entry.
    expect((await post(db, subsidy({ date: isoDate("2026-06-01"), sourceKey: "early" }))).created).toBe(false);
    await expect(
      db.$executeRaw`INSERT INTO "JournalEntry" ("id","poleId","journal","date","label","pieceRef","pieceDate","sourceKey")
        VALUES ('x', ${poleId}, 'OD', '2026-07-01', 'l', 'p', '2026-07-01', 'raw')`,
    ).rejects.toThrow(/closed/);
  });

  it("creates the calendar fiscal year when none covers the date", async () => {
    await post(db, subsidy());
    const years = await db.fiscalYear.findMany({ where: { poleId } });
    expect(years.map((y) => [y.startDate.toISOString().slice(0, 10), y.endDate.toISOString().slice(0, 10)])).toEqual([
      ["2027-01-01", "2027-12-31"],
    ]);
  });
});

describe("reverse", () => {
  it("posts the opposite entry linked to the original, once", async () => {
    const { entry } = await post(db, subsidy());
    const first = await reverse(db, {
      poleId,
      entryId: entry.id,
      reason: "Montant erroné",
      date: isoDate("2027-03-20"),
    });
    expect(first.created).toBe(true);
    expect(first.entry.reversalOfId).toBe(entry.id);
    expect(first.entry.reversalReason).toBe("Montant erroné");
    expect(first.entry.lines.map((l) => [l.account.code, l.debit, l.credit])).toEqual([
      ["512000", 0, 2_500_000],
      ["740000", 2_500_000, 0],
    ]);
    const again = await reverse(db, { poleId, entryId: entry.id, reason: "encore", date: isoDate("2027-03-21") });
    expect(again).toEqual({ entry: first.entry, created: false });
  });

  it("requires a reason and refuses to reverse a reversal", async () => {
    const { entry } = await post(db, subsidy());
    expect(
      (await refusal(reverse(db, { poleId, entryId: entry.id, reason: "  ", date: isoDate("2027-03-20") }))).field,
    ).toBe("reason");
    const { entry: reversal } = await reverse(db, {
      poleId,
      entryId: entry.id,
      reason: "Erreur",
      date: isoDate("2027-03-20"),
    });
    expect(
      (await refusal(reverse(db, { poleId, entryId: reversal.id, reason: "Erreur", date: isoDate("2027-03-20") })))
        .code,
    ).toBe("INVALID");
  });
});

describe("closed years are final", () => {
  it("refuses any date up to the last closed year, reopening, moving or deleting it, and earlier years left open", async () => {
    const staff = await createPerson(db, { poleId, role: "STAFF" });
    await post(db, subsidy({ date: isoDate("2026-05-01"), sourceKey: "in-2026" }));
    const y2027 = await createFiscalYear(db, {
      poleId,
      startDate: isoDate("2027-01-01"),
      endDate: isoDate("2027-12-31"),
    });
    if (!y2027.ok) throw new Error(y2027.message);
    const early = await closeFiscalYear(db, {
      poleId,
      fiscalYearId: y2027.value.id,
      closedById: staff.id,
      now: dayAfter(y2027.value.endDate),
      confirmEmpty: true,
    });
    expect(early).toMatchObject({ ok: false, code: "NOT_READY", message: expect.stringContaining("Clôturez d'abord") });
    const y2026 = await db.fiscalYear.findFirstOrThrow({ where: { poleId, startDate: new Date("2026-01-01") } });
    expect(
      (
        await closeFiscalYear(db, {
          poleId,
          fiscalYearId: y2026.id,
          closedById: staff.id,
          now: dayAfter(y2026.endDate),
        })
      ).ok,
    ).toBe(true);
    // 2025 has no fiscal year: it is not opened behind the closed 2026.
    expect((await refusal(post(db, subsidy({ date: isoDate("2025-06-01"), sourceKey: "before" })))).code).toBe(
      "CLOSED_PERIOD",
    );
    expect(
      await createFiscalYear(db, { poleId, startDate: isoDate("2025-01-01"), endDate: isoDate("2025-12-31") }),
    ).toMatchObject({
      ok: false,
      code: "CLOSED",
    });
    // Reopening goes through reopenFiscalYear: the database refuses it without a reason in the audit log.
    await expect(db.$executeRaw`UPDATE "FiscalYear" SET "closedAt" = NULL WHERE "id" = ${y2026.id}`).rejects.toThrow(
      /closed/,
    );
    await expect(db.$executeRaw`DELETE FROM "FiscalYear" WHERE "id" = ${y2026.id}`).rejects.toThrow(/closed/);
    await expect(
      db.$executeRaw`INSERT INTO "JournalEntry" ("id","poleId","journal","date","label","pieceRef","pieceDate","sourceKey")
        VALUES ('old', ${poleId}, 'OD', '2020-01-01', 'l', 'p', '2020-01-01', 'raw-old')`,
    ).rejects.toThrow(/closed/);
  });

  it("keeps account numbers and refuses to reverse a sale's entry (a credit note cancels it)", async () => {
    await expect(
      db.$executeRaw`UPDATE "Account" SET "code" = '706900' WHERE "poleId" = ${poleId} AND "code" = '706100'`,
    ).rejects.toThrow(/renumbered/);
    const buyer = await createPerson(db, { poleId });
    const { invoice } = await issueInvoice(db, {
      poleId,
      sourceKey: "sale",
      issueDate: isoDate("2027-03-01"),
      stream: "COWORKING",
      buyer: { name: buyer.name, personId: buyer.id },
      lines: [
        { description: "Journée", quantity: 1, unitInclTax: cents(1200), vatRateBp: 2000, accountCode: "706100" },
      ],
    });
    const error = await refusal(
      reverse(db, { poleId, entryId: invoice.entryId!, reason: "Erreur", date: isoDate("2027-03-02") }),
    );
    expect(error.message).toBe(`Cette écriture est celle de la facture ${invoice.number} : annulez-la par un avoir.`);
  });
});

describe("the database keeps the books append-only and balanced", () => {
  it("refuses UPDATE and DELETE on entries and lines", async () => {
    const { entry } = await post(db, subsidy());
    await expect(db.$executeRaw`UPDATE "EntryLine" SET "debit" = 1 WHERE "entryId" = ${entry.id}`).rejects.toThrow(
      /append-only/,
    );
    await expect(db.$executeRaw`DELETE FROM "EntryLine" WHERE "entryId" = ${entry.id}`).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`UPDATE "JournalEntry" SET "label" = 'x' WHERE "id" = ${entry.id}`).rejects.toThrow(
      /append-only/,
    );
    await expect(db.$executeRaw`DELETE FROM "JournalEntry" WHERE "id" = ${entry.id}`).rejects.toThrow(/append-only/);
  });

  it("refuses lines that unbalance an entry, lines added later, a line with both sides and an entry without lines", async () => {
    const { entry } = await post(db, subsidy());
    const accountId = entry.lines[0].accountId;
    const date = entry.date;
    await expect(db.$executeRaw`INSERT INTO "EntryLine" ("entryId","poleId","date","accountId","debit","credit")
      VALUES (${entry.id}, ${poleId}, ${date}, ${accountId}, 5, 0), (${entry.id}, ${poleId}, ${date}, ${accountId}, 0, 5)`).rejects.toThrow(
      /with their entry/,
    );
    await expect(
      inTransaction(db, async (tx) => {
        await tx.$executeRaw`INSERT INTO "JournalEntry" ("id","poleId","journal","date","label","pieceRef","pieceDate","sourceKey")
          VALUES ('e2', ${poleId}, 'OD', ${date}, 'l', 'p', ${date}, 'raw-2')`;
        await tx.$executeRaw`INSERT INTO "EntryLine" ("entryId","poleId","date","accountId","debit","credit")
          VALUES ('e2', ${poleId}, ${date}, ${accountId}, 5, 0), ('e2', ${poleId}, ${date}, ${accountId}, 0, 4)`;
      }),
    ).rejects.toThrow(/unbalanced/);
    await expect(
      inTransaction(db, async (tx) => {
        await tx.$executeRaw`INSERT INTO "JournalEntry" ("id","poleId","journal","date","label","pieceRef","pieceDate","sourceKey")
          VALUES ('e3', ${poleId}, 'OD', ${date}, 'l', 'p', ${date}, 'raw-3')`;
        await tx.$executeRaw`INSERT INTO "EntryLine" ("entryId","poleId","date","accountId","debit","credit")
          VALUES ('e3', ${poleId}, ${date}, ${accountId}, 5, 5), ('e3', ${poleId}, ${date}, ${accountId}, 0, 0)`;
      }),
    ).rejects.toThrow(/debit_xor_credit/);
    await expect(
      db.$executeRaw`INSERT INTO "JournalEntry" ("id","poleId","journal","date","label","pieceRef","pieceDate","sourceKey")
        VALUES ('e4', ${poleId}, 'OD', ${date}, 'l', 'p', ${date}, 'raw-4')`,
    ).rejects.toThrow(/fewer than two lines/);
    expect(await db.journalEntry.count()).toBe(1);
  });
});

describe("concurrency", () => {
  it("50 concurrent posts with one sourceKey write exactly one entry", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        inTransaction(db, (tx) => post(tx, subsidy()), { timeout: 30_000, maxWait: 30_000 }),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.entry.id)).size).toBe(1);
    expect(await db.journalEntry.count()).toBe(1);
    expect(await db.entryLine.count()).toBe(2);
  });

  it("a post waiting on an uncommitted twin returns the twin once it commits", async () => {
    // Hold a competing entry with the same key open on a second connection, so the collision is certain.
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const account = await db.account.findUniqueOrThrow({ where: { poleId_code: { poleId, code: "512000" } } });
      const revenue = await db.account.findUniqueOrThrow({ where: { poleId_code: { poleId, code: "740000" } } });
      await post(db, subsidy({ sourceKey: "open-the-year" }));
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO "JournalEntry" ("id","poleId","journal","date","label","pieceRef","pieceDate","sourceKey")
         VALUES ('twin', $1, 'BQ', '2027-03-15', 'Jumeau', 'J', '2027-03-15', 'subsidy:region:2027')`,
        [poleId],
      );
      await client.query(
        `INSERT INTO "EntryLine" ("entryId","poleId","date","accountId","debit","credit")
         VALUES ('twin', $1, '2027-03-15', $2, 100, 0), ('twin', $1, '2027-03-15', $3, 0, 100)`,
        [poleId, account.id, revenue.id],
      );
      const waiting = inTransaction(db, (tx) => post(tx, subsidy()));
      await new Promise((r) => setTimeout(r, 200));
      await client.query("COMMIT");
      const result = await waiting;
      expect(result.created).toBe(false);
      expect(result.entry.id).toBe("twin");
    } finally {
      await client.end();
    }
  });
});
