import { inTransaction, type Client, type Tx } from "~/utils/db.server";
import { formatCents, formatDate } from "~/utils/format";
import { fail, isRefusal, ok, Refusal, type Result } from "../../result";
import { fromSqlDate, type IsoDate } from "../dates";
import { letterAfter } from "./letters";
import { foldText } from "./statement";

// Lettrage: a bank line is matched by hand to the line(s) of the books on the bank account whose amounts add up
// to it, and both get one letter. The database keeps a line matched once: the bank line is updated only while it
// has no letter (compare-and-set) and an entry line is in at most one match (unique BankMatch.entryLineId).

/** The bank account of the books (PCG 512). */
export const BANK_ACCOUNT_CODE = "512000";
/** How far apart, in days, a bank line and a line of the books may be to be suggested. */
export const SUGGESTION_WINDOW_DAYS = 10;
/** How far apart they may be when staff pick the lines themselves. */
export const PICK_WINDOW_DAYS = 31;
/** At most this many lines of the books in one match. */
export const MAX_LINES_PER_MATCH = 20;

export type CandidateLine = {
  entryLineId: number;
  entryId: string;
  date: IsoDate;
  /** Signed like the bank: debit on 512000 (money in) > 0. */
  amount: number;
  label: string;
  pieceRef: string;
  /** Days between the bank line and this line. */
  distance: number;
};

export type Suggestion = {
  lines: CandidateLine[];
  /** The largest gap in days. */
  distance: number;
  /** 0..1: how alike the labels are; 1 when the piece reference is in the bank's label. */
  similarity: number;
};

type CandidateRow = {
  bankLineId: string;
  bankLabel: string;
  bankReference: string | null;
  entryLineId: number;
  entryId: string;
  date: string;
  amount: number;
  label: string;
  pieceRef: string;
  distance: number;
};

export async function bankAccountId(client: Client, poleId: string) {
  const account = await client.account.findUnique({
    where: { poleId_code: { poleId, code: BANK_ACCOUNT_CODE } },
    select: { id: true },
  });
  return account?.id ?? null;
}

/**
 * Lines of the books on the bank account that no bank line holds, of the bank line's direction and within
 * `window` days of it. Opening entries (AN) restate a balance, not a movement; an entry cancelled by a reversal
 * is left out of suggestions (`excludeReversed`) since the pair never reached the bank.
 */
async function candidates(
  client: Client,
  input: { poleId: string; bankLineIds: string[]; window: number; exactOnly: boolean; excludeReversed: boolean },
) {
  const accountId = await bankAccountId(client, input.poleId);
  if (!accountId || input.bankLineIds.length === 0) return [];
  return client.$queryRaw<CandidateRow[]>`
    SELECT b."id" AS "bankLineId", b."label" AS "bankLabel", b."reference" AS "bankReference",
           l."id" AS "entryLineId", e."id" AS "entryId", l."date"::text AS "date", (l."debit" - l."credit") AS "amount",
           coalesce(l."label", e."label") AS "label", e."label" AS "entryLabel", e."pieceRef",
           abs(l."date" - b."date") AS "distance"
    FROM "BankLine" b
    JOIN "EntryLine" l ON l."poleId" = b."poleId" AND l."accountId" = ${accountId}
      AND l."date" BETWEEN b."date" - ${input.window}::int AND b."date" + ${input.window}::int
      AND sign(l."debit" - l."credit") = sign(b."amount")
      AND abs(l."debit" - l."credit") <= abs(b."amount")
      AND (NOT ${input.exactOnly} OR l."debit" - l."credit" = b."amount")
    JOIN "JournalEntry" e ON e."id" = l."entryId" AND e."journal" <> 'AN'
    WHERE b."poleId" = ${input.poleId} AND b."letter" IS NULL AND b."id" = ANY(${input.bankLineIds}::text[])
      AND NOT EXISTS (SELECT 1 FROM "BankMatch" m WHERE m."entryLineId" = l."id")
      AND (NOT ${input.excludeReversed} OR (e."reversalOfId" IS NULL
           AND NOT EXISTS (SELECT 1 FROM "JournalEntry" r WHERE r."reversalOfId" = e."id")))
    ORDER BY b."id", abs(l."date" - b."date"), l."id"`;
}

const STOP_WORDS = new Set(
  "VIR VIREMENT SEPA RECU EMIS PRLV PRELEVEMENT DE DU DES LA LE LES ET EN AU AUX POUR PAR REF MOTIF FACTURE REGLEMENT CB CARTE"
    .split(" ")
    .filter(Boolean),
);

const words = (text: string) =>
  new Set(
    foldText(text)
      .split(/[^A-Z0-9]+/)
      .filter((w) => (w.length >= 3 || /\d/.test(w)) && !STOP_WORDS.has(w)),
  );

const squash = (text: string) => foldText(text).replace(/[^A-Z0-9]/g, "");

/** How alike a bank label and a line of the books are: shared words (Dice), 1 when the piece reference is there. */
export function labelSimilarity(bank: string, line: { label: string; pieceRef: string }) {
  const ref = squash(line.pieceRef);
  if (ref.length >= 4 && squash(bank).includes(ref)) return 1;
  const a = words(bank);
  const b = words(`${line.label} ${line.pieceRef}`);
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared += 1;
  return (2 * shared) / (a.size + b.size);
}

/** Lower is better: each day apart costs 1, alike labels win back up to 5. */
const rank = (s: Suggestion) => s.distance - 5 * s.similarity + (s.lines.length - 1) * 2;

const toCandidate = (row: CandidateRow): CandidateLine => ({
  entryLineId: row.entryLineId,
  entryId: row.entryId,
  date: row.date as IsoDate,
  amount: Number(row.amount),
  label: row.label,
  pieceRef: row.pieceRef,
  distance: Number(row.distance),
});

/** Up to `limit` sets of 2 to 4 lines, all of the bank line's direction, adding up exactly to its amount. */
function combinations(target: number, pool: CandidateLine[], limit: number): CandidateLine[][] {
  const lines = [...pool]
    .sort((a, b) => a.distance - b.distance || a.entryLineId - b.entryLineId)
    .slice(0, 14)
    .sort((a, b) => Math.abs(b.amount) - Math.abs(a.amount));
  const found: CandidateLine[][] = [];
  const goal = Math.abs(target);
  const walk = (start: number, picked: CandidateLine[], sum: number) => {
    if (found.length >= limit * 4) return;
    if (sum === goal && picked.length >= 2) {
      found.push([...picked]);
      return;
    }
    if (picked.length === 4) return;
    for (let i = start; i < lines.length; i++) {
      const next = sum + Math.abs(lines[i].amount);
      if (next > goal) continue;
      picked.push(lines[i]);
      walk(i + 1, picked, next);
      picked.pop();
    }
  };
  walk(0, [], 0);
  return found;
}

/**
 * Suggestions for each unmatched bank line: lines of the books of the same amount within ±10 days, best first
 * (the closest date, then the most alike label); when no single line fits, sets of lines adding up to it.
 */
export async function suggestMatches(
  client: Client,
  input: { poleId: string; bankLineIds: string[]; perLine?: number },
): Promise<Map<string, Suggestion[]>> {
  const perLine = input.perLine ?? 3;
  const rows = await candidates(client, {
    poleId: input.poleId,
    bankLineIds: input.bankLineIds,
    window: SUGGESTION_WINDOW_DAYS,
    exactOnly: false,
    excludeReversed: true,
  });
  const bankLines = await client.bankLine.findMany({
    where: { poleId: input.poleId, id: { in: input.bankLineIds }, letter: null },
    select: { id: true, amount: true, label: true, reference: true },
  });
  const byLine = new Map<string, CandidateRow[]>();
  for (const row of rows) byLine.set(row.bankLineId, [...(byLine.get(row.bankLineId) ?? []), row]);
  const result = new Map<string, Suggestion[]>();
  for (const bank of bankLines) {
    const text = `${bank.label} ${bank.reference ?? ""}`;
    const pool = (byLine.get(bank.id) ?? []).map(toCandidate);
    const singles = pool.filter((c) => c.amount === bank.amount);
    const suggestion = (lines: CandidateLine[]): Suggestion => ({
      lines,
      distance: Math.max(...lines.map((l) => l.distance)),
      similarity: lines.reduce((s, l) => s + labelSimilarity(text, l), 0) / lines.length,
    });
    const sets = singles.length
      ? singles.map((c) => suggestion([c]))
      : combinations(bank.amount, pool, perLine).map(suggestion);
    result.set(
      bank.id,
      sets.sort((a, b) => rank(a) - rank(b) || a.lines[0].entryLineId - b.lines[0].entryLineId).slice(0, perLine),
    );
  }
  return result;
}

/** Every line of the books staff may pick for a bank line: its direction, unmatched, within a month. */
export async function pickableLines(client: Client, input: { poleId: string; bankLineId: string }) {
  const rows = await candidates(client, {
    poleId: input.poleId,
    bankLineIds: [input.bankLineId],
    window: PICK_WINDOW_DAYS,
    exactOnly: false,
    excludeReversed: false,
  });
  return rows
    .map(toCandidate)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.entryLineId - b.entryLineId));
}

const alreadyMatched = (letter: string) =>
  fail("ALREADY_MATCHED", `Cette ligne du relevé est déjà rapprochée (lettre ${letter}).`, { status: 409 });

/** The last letter the pole gave, matched now or freed by an unmatch since. */
async function lastLetter(tx: Tx, poleId: string) {
  const [row] = await tx.$queryRaw<{ letter: string }[]>`
    SELECT "letter" FROM (
      SELECT "letter" FROM "BankLine" WHERE "poleId" = ${poleId} AND "letter" IS NOT NULL
      UNION ALL
      SELECT "details"->>'letter' FROM "AuditLog" WHERE "poleId" = ${poleId} AND "action" = 'bank:unmatch'
    ) given WHERE "letter" IS NOT NULL
    ORDER BY length("letter") DESC, "letter" DESC LIMIT 1`;
  return row?.letter ?? null;
}

export type MatchInput = {
  poleId: string;
  bankLineId: string;
  entryLineIds: number[];
  matchedById: string | null;
  now: Date;
};

/**
 * Matches a bank line to one or more lines of the books on 512000 whose amounts (debit − credit) add up to it.
 * Two requests at once for the same bank line or the same entry line: one match, the other a 409.
 */
export async function confirmMatch(
  client: Client,
  input: MatchInput,
): Promise<Result<{ letter: string; bankLineId: string; entryLineIds: number[] }>> {
  try {
    return await inTransaction(client, (tx) => match(tx, input));
  } catch (error) {
    if (isRefusal(error)) return error.toFailure();
    throw error;
  }
}

async function match(tx: Tx, input: MatchInput) {
  const ids = [...new Set(input.entryLineIds)];
  if (ids.length === 0) {
    return fail("INVALID", "Choisissez au moins une écriture à rapprocher.", { field: "entryLineIds", status: 400 });
  }
  if (ids.length > MAX_LINES_PER_MATCH) {
    return fail("INVALID", `Une ligne du relevé se rapproche d'au plus ${MAX_LINES_PER_MATCH} écritures.`, {
      field: "entryLineIds",
      status: 400,
    });
  }
  // Letters are given one at a time per pole, so two matches never take the same one.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`bank-letters:${input.poleId}`}))`;
  const line = await tx.bankLine.findFirst({ where: { id: input.bankLineId, poleId: input.poleId } });
  if (!line) return fail("NOT_FOUND", "Cette ligne de relevé n'existe pas.", { status: 404 });
  if (line.letter) return alreadyMatched(line.letter);

  const entryLines = await tx.entryLine.findMany({
    where: { id: { in: ids }, poleId: input.poleId },
    select: {
      id: true,
      date: true,
      debit: true,
      credit: true,
      account: { select: { code: true } },
      entry: { select: { journal: true, pieceRef: true } },
    },
  });
  if (entryLines.length !== ids.length) {
    return fail("NOT_FOUND", "Une des écritures choisies n'existe pas.", { field: "entryLineIds", status: 404 });
  }
  const wrong = entryLines.find((l) => l.account.code !== BANK_ACCOUNT_CODE || l.entry.journal === "AN");
  if (wrong) {
    return fail(
      "NOT_BANK",
      `La pièce ${wrong.entry.pieceRef} n'est pas un mouvement du compte ${BANK_ACCOUNT_CODE} : seules ses lignes se rapprochent d'un relevé.`,
      { field: "entryLineIds", status: 422 },
    );
  }
  const taken = await tx.bankMatch.findFirst({ where: { entryLineId: { in: ids } } });
  if (taken) {
    return fail("ALREADY_MATCHED", `Une des écritures choisies est déjà rapprochée (lettre ${taken.letter}).`, {
      field: "entryLineIds",
      status: 409,
    });
  }
  const total = entryLines.reduce((sum, l) => sum + l.debit - l.credit, 0);
  if (total !== line.amount) {
    return fail(
      "AMOUNT_MISMATCH",
      `Les écritures choisies totalisent ${formatCents(total)} et la ligne du relevé ${formatCents(line.amount)} : choisissez des écritures de même total.`,
      { field: "entryLineIds", status: 422 },
    );
  }

  const letter = letterAfter(await lastLetter(tx, input.poleId));
  // Compare-and-set: only a line still without a letter takes this one.
  const updated = await tx.$executeRaw`
    UPDATE "BankLine" SET "letter" = ${letter}, "matchedAt" = ${input.now}, "matchedById" = ${input.matchedById}
    WHERE "id" = ${line.id} AND "poleId" = ${input.poleId} AND "letter" IS NULL`;
  if (updated !== 1) throw Refusal.from(alreadyMatched("?"));
  const { count } = await tx.bankMatch.createMany({
    data: ids.map((entryLineId) => ({
      poleId: input.poleId,
      bankLineId: line.id,
      entryLineId,
      letter,
      createdAt: input.now,
    })),
    skipDuplicates: true,
  });
  if (count !== ids.length) {
    throw new Refusal("ALREADY_MATCHED", "Une des écritures choisies vient d'être rapprochée : rechargez la page.", {
      status: 409,
    });
  }
  return ok({ letter, bankLineId: line.id, entryLineIds: ids });
}

export type UnmatchInput = { poleId: string; bankLineId: string; actorId: string | null; now: Date };

/**
 * Undoes a match while the fiscal years of its lines (and of the bank line) are open, or were closed before it was
 * made: a closed year's FEC keeps the letters it was closed with. The letter stays spent (written to the audit log with the lines it joined).
 */
export async function unmatchBankLine(
  client: Client,
  input: UnmatchInput,
): Promise<Result<{ letter: string; entryLineIds: number[] }>> {
  return inTransaction(client, async (tx) => {
    const [line] = await tx.$queryRaw<{ id: string; letter: string | null; date: Date; amount: number }[]>`
      SELECT "id", "letter", "date", "amount" FROM "BankLine"
      WHERE "id" = ${input.bankLineId} AND "poleId" = ${input.poleId} FOR UPDATE`;
    if (!line) return fail("NOT_FOUND", "Cette ligne de relevé n'existe pas.", { status: 404 });
    if (!line.letter) return fail("NOT_MATCHED", "Cette ligne du relevé n'est pas rapprochée.", { status: 409 });
    const matches = await tx.bankMatch.findMany({ where: { bankLineId: line.id }, select: { entryLineId: true } });
    const entryLineIds = matches.map((m) => m.entryLineId);
    const entryDates = await tx.entryLine.findMany({ where: { id: { in: entryLineIds } }, select: { date: true } });
    const days = [line.date, ...entryDates.map((l) => l.date)].map(fromSqlDate).sort();
    // FOR SHARE: a closing (FOR UPDATE on its year) waits for this unmatch, or this unmatch sees the year closed.
    const years = await tx.$queryRaw<{ startDate: Date; endDate: Date; closedAt: Date | null }[]>`
      SELECT "startDate", "endDate", "closedAt" FROM "FiscalYear"
      WHERE "poleId" = ${input.poleId} AND "endDate" >= ${days[0]}::date AND "startDate" <= ${days[days.length - 1]}::date
      ORDER BY "startDate" FOR SHARE`;
    // A match made after a year's closing never reached that year's FEC: it may still be undone.
    const matchedAt = (await tx.bankMatch.findFirst({ where: { bankLineId: line.id }, select: { createdAt: true } }))
      ?.createdAt;
    const closed = years.find((y) => y.closedAt && (!matchedAt || matchedAt <= y.closedAt));
    if (closed) {
      return fail(
        "CLOSED_PERIOD",
        `L'exercice du ${formatDate(closed.startDate)} au ${formatDate(closed.endDate)} est clôturé : ce rapprochement (lettre ${line.letter}) ne peut plus être défait.`,
        { status: 409 },
      );
    }
    await tx.bankMatch.deleteMany({ where: { bankLineId: line.id } });
    await tx.bankLine.update({
      where: { id: line.id },
      data: { letter: null, matchedAt: null, matchedById: null },
    });
    await tx.auditLog.create({
      data: {
        poleId: input.poleId,
        actorId: input.actorId,
        action: "bank:unmatch",
        subject: line.id,
        reason: `Rapprochement ${line.letter} défait`,
        details: { letter: line.letter, entryLineIds, amount: line.amount, date: fromSqlDate(line.date) },
        at: input.now,
      },
    });
    return ok({ letter: line.letter, entryLineIds });
  });
}

/**
 * Confirms, line by line, the suggestions that are exact: one line of the books of the same amount on the same
 * day. What the demo's seed does after importing its statement; staff confirm the others by hand.
 */
export async function matchExactSuggestions(
  client: Client,
  input: { poleId: string; statementId: string; matchedById: string | null; now: Date },
) {
  const lines = await client.bankLine.findMany({
    where: { poleId: input.poleId, statementId: input.statementId, letter: null },
    orderBy: [{ date: "asc" }, { id: "asc" }],
    select: { id: true },
  });
  let matched = 0;
  for (const { id } of lines) {
    const [best] =
      (await suggestMatches(client, { poleId: input.poleId, bankLineIds: [id], perLine: 1 })).get(id) ?? [];
    if (!best || best.lines.length !== 1 || best.distance !== 0) continue;
    const result = await confirmMatch(client, {
      poleId: input.poleId,
      bankLineId: id,
      entryLineIds: [best.lines[0].entryLineId],
      matchedById: input.matchedById,
      now: input.now,
    });
    if (result.ok) matched += 1;
  }
  return { matched, unmatched: lines.length - matched };
}
