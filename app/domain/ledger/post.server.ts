import type { Journal, Stream } from "~/generated/prisma/enums";
import { cents, MAX_CENTS, type Cents } from "~/domain/money";
import { inTransaction, type Tx, type Client } from "~/utils/db.server";
import { formatCents } from "~/utils/format";
import { isIsoDate, toSqlDate, type IsoDate } from "./dates";
import { LedgerError } from "./errors";
import { lockOpenFiscalYear } from "./fiscal-years.server";

export type LineInput = {
  /** PCG code of an account of the pole, e.g. "706100". */
  account: string;
  debit?: Cents;
  credit?: Cents;
  /** Defaults to the account's stream. */
  stream?: Stream | null;
  label?: string | null;
  thirdPartyPersonId?: string | null;
  thirdPartyOrganisationId?: string | null;
};

export type PostInput = {
  poleId: string;
  /** Idempotency key of the money event, e.g. "booking:123:paid": a second post returns the first entry. */
  sourceKey: string;
  date: IsoDate;
  journal: Journal;
  label: string;
  pieceRef: string;
  pieceDate?: IsoDate;
  lines: readonly LineInput[];
  createdById?: string | null;
};

type ReversalLink = { reversalOfId: string; reversalReason: string };

const entryWithLines = {
  lines: { orderBy: { id: "asc" }, include: { account: { select: { code: true, label: true } } } },
} as const;

/**
 * Amounts read back are `Cents` without a check: the columns are integers the database holds to the ceiling. This
 * is the one place the posting module turns Prisma's numbers into its own type.
 */
function withCents<E extends { lines: { debit: number; credit: number }[] }>(entry: E) {
  type Line = E["lines"][number] & { debit: Cents; credit: Cents };
  return entry as unknown as Omit<E, "lines"> & { lines: Line[] };
}

/** Checks an entry's lines without touching the database: each refusal is a typed LedgerError. */
export function checkLines(lines: readonly LineInput[]) {
  if (lines.length < 2) throw new LedgerError("NO_LINES", "Une écriture compte au moins deux lignes.", "lines");
  let debit = 0;
  let credit = 0;
  lines.forEach((line, i) => {
    const d = line.debit ?? 0;
    const c = line.credit ?? 0;
    if (!Number.isSafeInteger(d) || !Number.isSafeInteger(c)) {
      throw new LedgerError("NOT_CENTS", "Les montants s'expriment en centimes entiers.", `lines[${i}]`);
    }
    if (d < 0 || c < 0) throw new LedgerError("NEGATIVE_AMOUNT", "Un montant ne peut pas être négatif.", `lines[${i}]`);
    if (d > MAX_CENTS || c > MAX_CENTS) {
      throw new LedgerError(
        "TOO_LARGE",
        `Un montant dépasse le plafond de ${formatCents(MAX_CENTS)} par ligne : répartissez-le sur plusieurs lignes.`,
        `lines[${i}]`,
      );
    }
    if ((d === 0) === (c === 0)) {
      throw new LedgerError("DEBIT_XOR_CREDIT", "Chaque ligne porte soit un débit, soit un crédit.", `lines[${i}]`);
    }
    debit += d;
    credit += c;
  });
  if (debit !== credit) {
    throw new LedgerError(
      "UNBALANCED",
      `L'écriture n'est pas équilibrée : débit ${debit} ≠ crédit ${credit} (centimes).`,
      "lines",
    );
  }
  return { total: cents(debit) };
}

/**
 * The only writer of journal entries. Refuses unbalanced entries, lines with both or neither side, negative
 * amounts, unknown accounts and dates in a closed fiscal year. A second call with the same sourceKey returns
 * the first entry and writes nothing — the unique index (poleId, sourceKey) settles concurrent calls.
 */
export function post(client: Client, input: PostInput) {
  return inTransaction(client, (tx) => postEntry(tx, input));
}

async function postEntry(tx: Tx, input: PostInput, reversal?: ReversalLink) {
  const existing = await findBySourceKey(tx, input.poleId, input.sourceKey);
  if (existing) return { entry: existing, created: false };

  if (!input.sourceKey.trim()) throw new LedgerError("INVALID", "La clé de source est obligatoire.", "sourceKey");
  if (!isIsoDate(input.date)) throw new LedgerError("INVALID", "La date de l'écriture est invalide.", "date");
  if (input.pieceDate && !isIsoDate(input.pieceDate))
    throw new LedgerError("INVALID", "La date de la pièce est invalide.", "pieceDate");
  if (!input.label.trim()) throw new LedgerError("INVALID", "Le libellé de l'écriture est obligatoire.", "label");
  if (!input.pieceRef.trim()) throw new LedgerError("INVALID", "La référence de la pièce est obligatoire.", "pieceRef");
  checkLines(input.lines);

  const codes = [...new Set(input.lines.map((l) => l.account))];
  const accounts = await tx.account.findMany({ where: { poleId: input.poleId, code: { in: codes } } });
  const byCode = new Map(accounts.map((a) => [a.code, a]));
  input.lines.forEach((line, i) => {
    if (!byCode.has(line.account)) {
      throw new LedgerError(
        "UNKNOWN_ACCOUNT",
        `Le compte ${line.account} n'existe pas dans le plan comptable du pôle.`,
        `lines[${i}].account`,
      );
    }
  });

  await lockOpenFiscalYear(tx, input.poleId, input.date);

  const date = toSqlDate(input.date);
  const [inserted] = await tx.journalEntry.createManyAndReturn({
    data: [
      {
        poleId: input.poleId,
        journal: input.journal,
        date,
        label: input.label.trim(),
        pieceRef: input.pieceRef.trim(),
        pieceDate: toSqlDate(input.pieceDate ?? input.date),
        sourceKey: input.sourceKey,
        createdById: input.createdById ?? null,
        ...reversal,
      },
    ],
    skipDuplicates: true,
  });
  if (!inserted) {
    // A concurrent post with the same key committed first: ours waited on the unique index and wrote nothing.
    const first = await findBySourceKey(tx, input.poleId, input.sourceKey);
    if (!first) throw new Error(`sourceKey ${input.sourceKey} conflicted but no entry holds it`);
    return { entry: first, created: false };
  }
  await tx.entryLine.createMany({
    data: input.lines.map((line) => {
      const account = byCode.get(line.account)!;
      return {
        entryId: inserted.id,
        poleId: input.poleId,
        date,
        accountId: account.id,
        debit: line.debit ?? 0,
        credit: line.credit ?? 0,
        stream: line.stream === undefined ? account.stream : line.stream,
        label: line.label?.trim() || null,
        thirdPartyPersonId: line.thirdPartyPersonId ?? null,
        thirdPartyOrganisationId: line.thirdPartyOrganisationId ?? null,
      };
    }),
  });
  const entry = await tx.journalEntry.findUniqueOrThrow({ where: { id: inserted.id }, include: entryWithLines });
  return { entry: withCents(entry), created: true };
}

async function findBySourceKey(tx: Tx, poleId: string, sourceKey: string) {
  const entry = await tx.journalEntry.findUnique({
    where: { poleId_sourceKey: { poleId, sourceKey } },
    include: entryWithLines,
  });
  return entry && withCents(entry);
}

/**
 * Posts the opposite of an entry, linked to it, with a reason. Idempotent: reversing twice returns the first
 * reversal. A reversal itself cannot be reversed (post the original again under a new key instead).
 */
export function reverse(
  client: Client,
  input: { poleId: string; entryId: string; reason: string; date: IsoDate; createdById?: string | null },
) {
  return inTransaction(client, (tx) => reverseEntry(tx, input));
}

async function reverseEntry(
  tx: Tx,
  input: { poleId: string; entryId: string; reason: string; date: IsoDate; createdById?: string | null },
) {
  const reason = input.reason.trim();
  if (!reason) throw new LedgerError("INVALID", "Indiquez la raison de la contrepassation.", "reason");
  const original = await tx.journalEntry.findFirst({
    where: { id: input.entryId, poleId: input.poleId },
    include: {
      ...entryWithLines,
      reversedBy: { select: { id: true } },
      invoice: { select: { number: true, kind: true } },
    },
  });
  if (!original) throw new LedgerError("NOT_FOUND", "Cette écriture n'existe pas.", "entryId");
  if (original.invoice) {
    // The document stays valid as long as its entry does: a sale is cancelled by a credit note, not a reversal.
    const what =
      original.invoice.kind === "INVOICE"
        ? `de la facture ${original.invoice.number} : annulez-la par un avoir`
        : `de l'avoir ${original.invoice.number}`;
    throw new LedgerError("INVALID", `Cette écriture est celle ${what}.`, "entryId");
  }
  if (original.reversalOfId) throw new LedgerError("INVALID", "Une contrepassation ne se contrepasse pas.", "entryId");
  const sourceKey = `reversal:${original.id}`;
  if (original.reversedBy) {
    const entry = await tx.journalEntry.findUniqueOrThrow({
      where: { id: original.reversedBy.id },
      include: entryWithLines,
    });
    return { entry: withCents(entry), created: false };
  }
  return postEntry(
    tx,
    {
      poleId: input.poleId,
      sourceKey,
      date: input.date,
      journal: original.journal,
      label: `Contrepassation — ${original.label}`.slice(0, 200),
      pieceRef: original.pieceRef,
      createdById: input.createdById,
      lines: withCents(original).lines.map((l) => ({
        account: l.account.code,
        debit: l.credit,
        credit: l.debit,
        stream: l.stream,
        label: l.label,
        thirdPartyPersonId: l.thirdPartyPersonId,
        thirdPartyOrganisationId: l.thirdPartyOrganisationId,
      })),
    },
    { reversalOfId: original.id, reversalReason: reason },
  );
}
