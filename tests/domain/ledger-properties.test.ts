import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Stream } from "~/generated/prisma/enums";
import { DEFAULT_CHART } from "~/domain/ledger/chart";
import {
  closeFiscalYear,
  createFiscalYear,
  LedgerError,
  post,
  reverse,
  trialBalance,
  type PostInput,
} from "~/domain/ledger/index.server";
import { firstDayOfYear, isoDate as day, lastDayOfYear, type IsoDate } from "~/domain/ledger/dates";
import { JOURNALS, STREAMS } from "~/domain/ledger/streams";
import { db } from "~/utils/db.server";
import { createPole } from "../factories";
import { resetDatabase } from "../helpers";
import { cents } from "~/domain/money";
import { uncheckedLines, type RawLine } from "../unchecked";

// Property: whatever sequence of posts, refused posts, replays, reversals and closings staff and streams throw at
// the ledger, every entry stays balanced, the trial balance stays at zero, no sourceKey is duplicated, reversals
// cancel their original, and exactly the lines of the created posts are written. Runs against the real database.

const CODES = DEFAULT_CHART.map((a) => a.code);
const YEARS = ["2026", "2027"] as const;

// ─── Generators ──────────────────────────────────────────────────────────────────────────────────────────────

const isoDate = fc
  .integer({ min: 0, max: 729 })
  .map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10));
const amount = fc.integer({ min: 1, max: 50_000_000 });
const stream = fc.constantFrom<Stream | null | undefined>(undefined, null, ...STREAMS);
const account = fc.constantFrom(...CODES);

/** Balanced lines: 1–3 debits, and their total split over 1–3 credits, on random accounts and streams. */
const balancedLines: fc.Arbitrary<RawLine[]> = fc
  .record({
    debits: fc.array(fc.record({ account, stream, amount }), { minLength: 1, maxLength: 3 }),
    credits: fc.array(fc.record({ account, stream, weight: fc.integer({ min: 1, max: 100 }) }), {
      minLength: 1,
      maxLength: 3,
    }),
  })
  .map(({ debits, credits }) => {
    const total = debits.reduce((s, d) => s + d.amount, 0);
    const weights = credits.reduce((s, c) => s + c.weight, 0);
    const parts = credits.map((c) => Math.floor((total * c.weight) / weights));
    parts[0] += total - parts.reduce((s, p) => s + p, 0);
    return [
      ...debits.map((d) => ({ account: d.account, stream: d.stream, debit: d.amount })),
      ...credits
        .map((c, i) => ({ account: c.account, stream: c.stream, credit: parts[i] }))
        .filter((l) => l.credit > 0),
    ];
  });

type Invalid =
  "UNBALANCED" | "DEBIT_XOR_CREDIT" | "NEGATIVE_AMOUNT" | "NOT_CENTS" | "UNKNOWN_ACCOUNT" | "NO_LINES" | "INVALID";

/** An entry the ledger must refuse, with the error code it must give. */
const invalidLines: fc.Arbitrary<{ code: Invalid; lines: RawLine[]; date?: string; label?: string }> = fc.oneof(
  fc.tuple(balancedLines, fc.integer({ min: 1, max: 1000 })).map(([lines, delta]) => ({
    code: "UNBALANCED" as const,
    lines: lines.map((l, i) => (i === 0 ? { ...l, debit: l.debit! + delta } : l)),
  })),
  fc.tuple(account, account, amount).map(([a, b, x]) => ({
    code: "DEBIT_XOR_CREDIT" as const,
    lines: [
      { account: a, debit: x, credit: x },
      { account: b, credit: x },
    ],
  })),
  fc
    .tuple(account, account)
    .map(([a, b]) => ({ code: "DEBIT_XOR_CREDIT" as const, lines: [{ account: a }, { account: b }] })),
  fc.tuple(account, account, amount).map(([a, b, x]) => ({
    code: "NEGATIVE_AMOUNT" as const,
    lines: [
      { account: a, debit: -x },
      { account: b, credit: -x },
    ],
  })),
  fc.tuple(account, account, amount).map(([a, b, x]) => ({
    code: "NOT_CENTS" as const,
    lines: [
      { account: a, debit: x + 0.5 },
      { account: b, credit: x + 0.5 },
    ],
  })),
  fc.tuple(account, amount).map(([a, x]) => ({
    code: "UNKNOWN_ACCOUNT" as const,
    lines: [
      { account: a, debit: x },
      { account: "799999", credit: x },
    ],
  })),
  fc.tuple(account, amount).map(([a, x]) => ({ code: "NO_LINES" as const, lines: [{ account: a, debit: x }] })),
  balancedLines.map((lines) => ({ code: "INVALID" as const, lines, date: "2027-02-30" })),
  balancedLines.map((lines) => ({ code: "INVALID" as const, lines, label: "   " })),
);

type Command =
  | { kind: "post"; date: string; journal: (typeof JOURNALS)[number]; lines: RawLine[] }
  | { kind: "invalid"; date: string; invalid: { code: Invalid; lines: RawLine[]; date?: string; label?: string } }
  | { kind: "replay"; pick: number; lines: RawLine[] }
  | { kind: "reverse"; pick: number; date: string }
  | { kind: "close"; year: (typeof YEARS)[number] };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("post" as const),
      date: isoDate,
      journal: fc.constantFrom(...JOURNALS),
      lines: balancedLines,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("invalid" as const), date: isoDate, invalid: invalidLines }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("replay" as const), pick: fc.nat(), lines: balancedLines }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("reverse" as const), pick: fc.nat(), date: isoDate }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("close" as const), year: fc.constantFrom(...YEARS) }) },
);

// ─── Model and runner ────────────────────────────────────────────────────────────────────────────────────────

type Model = {
  poleId: string;
  entries: { id: string; sourceKey: string; isReversal: boolean }[];
  reversalOf: Map<string, string>;
  /** Years that have a fiscal year row (posting opens its calendar year), and the last closed year. */
  years: Set<string>;
  closedUntil: string | null;
  lines: number;
  keys: number;
};

async function counts() {
  const [entries, lines] = await Promise.all([db.journalEntry.count(), db.entryLine.count()]);
  return { entries, lines };
}

async function expectRefusal(attempt: () => Promise<unknown>, code: string) {
  const before = await counts();
  const error = await attempt().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `attendu : LedgerError ${code}`).toBeInstanceOf(LedgerError);
  expect((error as LedgerError).code).toBe(code);
  expect(await counts()).toEqual(before);
}

/** Dated on or before the end of the last closed year. */
const isClosed = (model: Model, date: string) => model.closedUntil !== null && date.slice(0, 4) <= model.closedUntil;

// The model generates impossible days ("2027-02-30") on purpose: like an untyped caller, they reach post as
// strings, and post must refuse them at run time.
const unchecked = (date: string) => date as IsoDate;

async function run(model: Model, cmd: Command) {
  const base = (lines: RawLine[], date: string): PostInput => ({
    poleId: model.poleId,
    sourceKey: `k${++model.keys}`,
    date: unchecked(date),
    journal: "OD",
    label: "Écriture générée",
    pieceRef: `P-${model.keys}`,
    lines: uncheckedLines(lines),
  });
  switch (cmd.kind) {
    case "post": {
      const input = { ...base(cmd.lines, cmd.date), journal: cmd.journal };
      if (isClosed(model, cmd.date)) return expectRefusal(() => post(db, input), "CLOSED_PERIOD");
      const { entry, created } = await post(db, input);
      model.years.add(cmd.date.slice(0, 4));
      expect(created).toBe(true);
      expect(entry.lines).toHaveLength(cmd.lines.length);
      model.entries.push({ id: entry.id, sourceKey: input.sourceKey, isReversal: false });
      model.lines += cmd.lines.length;
      return;
    }
    case "invalid": {
      const { code, lines, date, label } = cmd.invalid;
      const input = { ...base(lines, date ?? cmd.date), ...(label === undefined ? {} : { label }) };
      return expectRefusal(() => post(db, input), code);
    }
    case "replay": {
      if (model.entries.length === 0) return;
      const first = model.entries[cmd.pick % model.entries.length];
      const before = await counts();
      // Another date, label and lines: the key alone decides, even inside a closed year.
      const again = await post(db, { ...base(cmd.lines, "2027-06-15"), sourceKey: first.sourceKey, label: "Rejouée" });
      expect(again.created).toBe(false);
      expect(again.entry.id).toBe(first.id);
      expect(await counts()).toEqual(before);
      return;
    }
    case "reverse": {
      if (model.entries.length === 0) return;
      const original = model.entries[cmd.pick % model.entries.length];
      const input = {
        poleId: model.poleId,
        entryId: original.id,
        reason: "Erreur de saisie",
        date: unchecked(cmd.date),
      };
      if (original.isReversal) return expectRefusal(() => reverse(db, input), "INVALID");
      const existing = model.reversalOf.get(original.id);
      if (!existing && isClosed(model, cmd.date)) return expectRefusal(() => reverse(db, input), "CLOSED_PERIOD");
      const first = await reverse(db, input);
      if (!existing) model.years.add(cmd.date.slice(0, 4));
      expect(first.created).toBe(!existing);
      if (existing) expect(first.entry.id).toBe(existing);
      else {
        model.reversalOf.set(original.id, first.entry.id);
        model.entries.push({ id: first.entry.id, sourceKey: first.entry.sourceKey, isReversal: true });
        model.lines += first.entry.lines.length;
      }
      // Reversing twice gives the same reversal and writes nothing.
      const before = await counts();
      const second = await reverse(db, { ...input, reason: "Encore", date: unchecked("2027-12-31") });
      expect(second).toMatchObject({ created: false, entry: { id: first.entry.id } });
      expect(await counts()).toEqual(before);
      return;
    }
    case "close": {
      const y = cmd.year;
      let year = await db.fiscalYear.findFirst({
        where: { poleId: model.poleId, startDate: new Date(`${y}-01-01T00:00:00Z`) },
      });
      const earlierOpen = [...model.years].some((other) => other < y && !isClosed(model, `${other}-01-01`));
      // Years are closed in order and never before the last closed one: anything else is refused.
      const expectClosed = !isClosed(model, `${y}-01-01`) && !earlierOpen;
      if (!year) {
        const created = await createFiscalYear(db, {
          poleId: model.poleId,
          startDate: firstDayOfYear(y),
          endDate: lastDayOfYear(y),
        });
        expect(created.ok).toBe(!isClosed(model, `${y}-01-01`));
        if (created.ok) {
          year = created.value;
          model.years.add(y);
        }
      }
      if (year) {
        const closed = await closeFiscalYear(db, {
          poleId: model.poleId,
          fiscalYearId: year.id,
          closedById: "property-test",
          now: new Date("2028-01-15T10:00:00Z"),
          confirmEmpty: true,
        });
        expect(closed.ok).toBe(expectClosed);
        if (closed.ok) {
          model.closedUntil = y;
          // The closing opens the next year (creating it when needed) with its opening entry, if any balance.
          model.years.add(String(Number(y) + 1));
          if (closed.value.openingEntryId) {
            const opening = await db.journalEntry.findUniqueOrThrow({
              where: { id: closed.value.openingEntryId },
              include: { lines: true },
            });
            expect(opening.journal).toBe("AN");
            model.entries.push({ id: opening.id, sourceKey: opening.sourceKey, isReversal: false });
            model.lines += opening.lines.length;
          }
        }
      }
      if (!isClosed(model, `${y}-07-01`)) return;
      // Posting into a closed period is refused, by the code and by the database.
      await expectRefusal(
        () =>
          post(
            db,
            base(
              [
                { account: "512000", debit: cents(100) },
                { account: "708000", credit: cents(100) },
              ],
              `${y}-07-01`,
            ),
          ),
        "CLOSED_PERIOD",
      );
      await expect(
        db.$executeRaw`INSERT INTO "JournalEntry" ("id","poleId","journal","date","label","pieceRef","pieceDate","sourceKey")
          VALUES (gen_random_uuid()::text, ${model.poleId}, 'OD', ${`${y}-07-01`}::date, 'l', 'p', ${`${y}-07-01`}::date, 'raw')`,
      ).rejects.toThrow(/closed/);
      return;
    }
  }
}

/** The invariants over the whole ledger, checked in SQL after every run. */
async function checkInvariants(model: Model) {
  const unbalanced = await db.$queryRaw<{ entryId: string }[]>`
    SELECT "entryId" FROM "EntryLine" GROUP BY "entryId" HAVING sum("debit") <> sum("credit") OR count(*) < 2`;
  expect(unbalanced).toEqual([]);
  const withoutLines = await db.$queryRaw<{ id: string }[]>`
    SELECT e."id" FROM "JournalEntry" e WHERE NOT EXISTS (SELECT 1 FROM "EntryLine" l WHERE l."entryId" = e."id")`;
  expect(withoutLines).toEqual([]);

  const { rows, totals } = await trialBalance(db, {
    poleId: model.poleId,
    from: day("2000-01-01"),
    to: day("2099-12-31"),
  });
  expect(totals.debit).toBe(totals.credit);
  expect(rows.reduce((s, r) => s + r.debit - r.credit, 0)).toBe(0);
  const [overall] = await db.$queryRaw<
    { net: bigint | null }[]
  >`SELECT sum("debit" - "credit")::bigint AS net FROM "EntryLine"`;
  expect(overall.net ?? 0n).toBe(0n);

  const duplicates = await db.$queryRaw<{ sourceKey: string }[]>`
    SELECT "sourceKey" FROM "JournalEntry" GROUP BY "poleId", "sourceKey" HAVING count(*) > 1`;
  expect(duplicates).toEqual([]);

  // A reversal and its original cancel out account by account and stream by stream.
  const notNetted = await db.$queryRaw<{ id: string }[]>`
    SELECT r."id" FROM "JournalEntry" r JOIN "EntryLine" l ON l."entryId" IN (r."id", r."reversalOfId")
    WHERE r."reversalOfId" IS NOT NULL
    GROUP BY r."id", l."accountId", l."stream" HAVING sum(l."debit" - l."credit") <> 0`;
  expect(notNetted).toEqual([]);
  expect(await db.journalEntry.count({ where: { reversalOfId: { not: null } } })).toBe(model.reversalOf.size);

  expect(await db.entryLine.count()).toBe(model.lines);
  expect(await db.journalEntry.count()).toBe(model.entries.length);
}

describe("ledger properties", () => {
  it("random sequences of posts, refusals, replays, reversals and closings keep the books sound", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 14 }), async (commands) => {
        await resetDatabase();
        const pole = await createPole(db);
        const model: Model = {
          poleId: pole.id,
          entries: [],
          reversalOf: new Map(),
          years: new Set(),
          closedUntil: null,
          lines: 0,
          keys: 0,
        };
        for (const cmd of commands) await run(model, cmd);
        await checkInvariants(model);
      }),
      { numRuns: 40 },
    );
  }, 240_000);
});
