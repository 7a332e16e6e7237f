import { beforeEach, describe, expect, it } from "vitest";
import { isoDate, parisDate } from "~/domain/ledger/dates";
import { generalLedger, LedgerError, post, trialBalance } from "~/domain/ledger/index.server";
import { eurosField } from "~/domain/ledger/schemas";
import { cents, MAX_CENTS, sumCents } from "~/domain/money";
import { db, inTransaction } from "~/utils/db.server";
import { isCheckViolation, sqlState } from "~/utils/db-errors.server";
import { formatCents } from "~/utils/format";
import { dayField } from "~/utils/validation";
import { createPole } from "../factories";
import { resetDatabase } from "../helpers";

// Decision 018: every amount is held to MAX_CENTS per row (forms first, the database last), sums over years are
// exact, and a calendar day is a checked IsoDate.

describe("Cents", () => {
  it("brands safe integers and throws on anything else", () => {
    expect(cents(0)).toBe(0);
    expect(cents(-120)).toBe(-120);
    for (const bad of [1.5, Number.NaN, Infinity, 2 ** 53]) expect(() => cents(bad)).toThrow(TypeError);
    expect(sumCents([MAX_CENTS, MAX_CENTS, MAX_CENTS])).toBe(3_000_000_000);
    expect(() => sumCents([Number.MAX_SAFE_INTEGER, 1])).toThrow(TypeError);
  });

  it("the money field refuses more than the ceiling with a French message", () => {
    expect(eurosField.safeParse("10 000 000,00")).toEqual({ success: true, data: MAX_CENTS });
    const above = eurosField.safeParse("10000000,01");
    expect(above.success).toBe(false);
    expect(above.error?.issues[0].message).toBe(`Ce montant est trop élevé (${formatCents(MAX_CENTS)} au plus).`);
  });
});

describe("IsoDate", () => {
  it("parses real calendar days only", () => {
    expect(isoDate("2028-02-29")).toBe("2028-02-29");
    for (const bad of ["2027-02-29", "2027-2-01", "31/03/2027", "2027-03-31T00:00:00Z", ""])
      expect(() => isoDate(bad)).toThrow(TypeError);
    expect(parisDate(new Date("2027-03-31T22:30:00Z"))).toBe("2027-04-01");
  });

  it("a form's date field outputs a day or gives a French field error", () => {
    const field = dayField("Indiquez la date.");
    expect(field.safeParse(" 2027-03-31 ")).toEqual({ success: true, data: "2027-03-31" });
    expect(field.safeParse("2027-02-30").error?.issues[0].message).toBe("Indiquez une date valide (jj/mm/aaaa).");
    expect(field.safeParse(undefined).error?.issues[0].message).toBe("Indiquez la date.");
  });
});

describe("the ceiling in the database and the ledger", () => {
  let poleId: string;
  beforeEach(async () => {
    await resetDatabase();
    poleId = (await createPole(db)).id;
  });

  const entry = (key: string, date: string, amount: number) => ({
    poleId,
    sourceKey: key,
    date: isoDate(date),
    journal: "OD" as const,
    label: "Apport",
    pieceRef: key,
    lines: [
      { account: "512000", debit: cents(amount) },
      { account: "740000", credit: cents(amount) },
    ],
  });

  it("refuses a journal line above the ceiling with a CHECK (23514), even from a raw query", async () => {
    const error = await inTransaction(db, async (tx) => {
      const [e] = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO "JournalEntry" ("id", "poleId", "journal", "date", "label", "pieceRef", "pieceDate", "sourceKey")
        VALUES (gen_random_uuid()::text, ${poleId}, 'OD', '2027-06-01', 'Brut', 'RAW', '2027-06-01', 'raw')
        RETURNING "id"`;
      const accounts = await tx.account.findMany({ where: { poleId, code: { in: ["512000", "740000"] } } });
      await tx.$executeRaw`INSERT INTO "EntryLine" ("entryId", "poleId", "date", "accountId", "debit", "credit")
        VALUES (${e.id}, ${poleId}, '2027-06-01', ${accounts[0].id}, ${MAX_CENTS + 1}, 0),
               (${e.id}, ${poleId}, '2027-06-01', ${accounts[1].id}, 0, ${MAX_CENTS + 1})`;
    }).catch((e: unknown) => e);
    expect(sqlState(error)).toBe("23514");
    expect(String((error as Error).message)).toMatch(/EntryLine_cents_ceiling/);
  });

  it("refuses any other amount column above the ceiling", async () => {
    const error =
      await db.$executeRaw`INSERT INTO "RentBounds" ("poleId", "year", "minPerHectareCents", "maxPerHectareCents", "updatedAt")
      VALUES (${poleId}, 2027, 100, ${MAX_CENTS + 1}, now())`.catch((e: unknown) => e);
    expect(isCheckViolation(error)).toBe(true);
  });

  it("post refuses a line above the ceiling with a typed error before the database sees it", async () => {
    const error = await post(db, entry("big", "2027-06-01", MAX_CENTS + 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerError);
    expect(error).toMatchObject({ code: "TOO_LARGE", status: 422, field: "lines[0]" });
    expect(await db.journalEntry.count()).toBe(0);
  });

  it("sums past 2^31 cents over years stay exact (balances, grand livre)", async () => {
    for (const year of [2027, 2028, 2029]) await post(db, entry(`k${year}`, `${year}-06-01`, MAX_CENTS));
    const { totals } = await trialBalance(db, { poleId, from: isoDate("2027-01-01"), to: isoDate("2029-12-31") });
    expect(totals).toMatchObject({ debit: 3 * MAX_CENTS, credit: 3 * MAX_CENTS });
    const ledger = await generalLedger(db, {
      poleId,
      accountCode: "512000",
      from: isoDate("2030-01-01"),
      to: isoDate("2030-12-31"),
    });
    expect(ledger?.opening).toBe(3 * MAX_CENTS);
  });
});
