import { Prisma } from "~/generated/prisma/client";
import type { InvoiceKind, VatBasis, VatPeriod } from "~/generated/prisma/enums";
import { csvDocument, csvSignedAmount, frenchDate } from "~/utils/csv";
import { inTransaction, type Client } from "~/utils/db.server";
import { fail, ok } from "../result";
import { fromSqlDate, isoDate, toSqlDate, type IsoDate } from "./dates";
import { MONTH_NAMES } from "./plan-schemas";
import { VAT_ITEM_HOW, type VatItemHow } from "./vat-schemas";

// The figures of the CA3 VAT return for one month or quarter (decision 024), read from the sales documents and
// the ledger; nothing is posted. Collected VAT comes from invoices and credit notes, by rate:
// - on debits (DEBITS), each document counts on its issue date, credit notes negative;
// - on receipts (RECEIPTS, the rule for services), each line counts when it is paid. A document posted against
//   money (card, transfer, cheque, cash) or an advance (419) was paid on its issue date; one posted on 411 is paid
//   by the receipt entries that credit 411 and name it (source key "invoice:<number>:paid" or the invoice number as
//   piece reference), each receipt spread over what the invoice still has unpaid, pro rata of each rate. A credit
//   note on 411 first cancels what is unpaid (no VAT was due on it) and counts, negative, only for the part already
//   paid; a credit note that repays money counts on its date. Goods (70[1237]) stay due on delivery — the issue
//   date — whatever the basis (CGI art. 269-2-a).
// Deductible VAT is the balance of the period's movements on 4456 (44562 fixed assets on line 19, the others on
// 20), à-nouveaux and return settlements (entries moving 4455 or 44567) left out.

// ---------------------------------------------------------------------------------------------------------------
// Periods

export type VatPeriodRange = { key: string; kind: VatPeriod; from: IsoDate; to: IsoDate; label: string };

const MONTH_KEY = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER_KEY = /^(\d{4})-T([1-4])$/;

const lastDayOfMonth = (year: number, month: number) =>
  isoDate(new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10));
const pad = (n: number) => String(n).padStart(2, "0");

function monthPeriod(year: number, month: number): VatPeriodRange {
  return {
    key: `${year}-${pad(month)}`,
    kind: "MONTHLY",
    from: isoDate(`${year}-${pad(month)}-01`),
    to: lastDayOfMonth(year, month),
    label: `${MONTH_NAMES[month - 1]} ${year}`,
  };
}

function quarterPeriod(year: number, quarter: number): VatPeriodRange {
  return {
    key: `${year}-T${quarter}`,
    kind: "QUARTERLY",
    from: isoDate(`${year}-${pad(quarter * 3 - 2)}-01`),
    to: lastDayOfMonth(year, quarter * 3),
    label: `${quarter === 1 ? "1er" : `${quarter}e`} trimestre ${year}`,
  };
}

/** "2027-03" (a month) or "2027-T1" (a quarter), years 2000 to 2999; null for anything else. */
export function parseVatPeriod(key: string): VatPeriodRange | null {
  const month = MONTH_KEY.exec(key);
  const quarter = QUARTER_KEY.exec(key);
  const year = Number((month ?? quarter)?.[1]);
  if (!(year >= 2000 && year <= 2999)) return null;
  return month ? monthPeriod(year, Number(month[2])) : quarterPeriod(year, Number(quarter![2]));
}

/** The month or quarter holding `day`, shifted by `shift` periods (−1: the one before). */
export function vatPeriodOf(day: IsoDate, kind: VatPeriod, shift = 0): VatPeriodRange {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  if (kind === "MONTHLY") {
    const index = year * 12 + month - 1 + shift;
    return monthPeriod(Math.floor(index / 12), (index % 12) + 1);
  }
  const index = year * 4 + Math.floor((month - 1) / 3) + shift;
  return quarterPeriod(Math.floor(index / 4), (index % 4) + 1);
}

/** The periods a return may be prepared for, newest first: the current one and the `count` − 1 before it. */
export const recentVatPeriods = (today: IsoDate, kind: VatPeriod, count: number) =>
  Array.from({ length: count }, (_, i) => vatPeriodOf(today, kind, -i));

// ---------------------------------------------------------------------------------------------------------------
// CA3 lines

export type Ca3Code = "A1" | "E2" | "08" | "9B" | "09" | "T6" | "14" | "16" | "19" | "20" | "23" | "25" | "28";

export const CA3_LABELS: Record<Ca3Code, string> = {
  A1: "Ventes, prestations de services",
  E2: "Autres opérations non imposables",
  "08": "Taux normal 20 %",
  "9B": "Taux réduit 10 %",
  "09": "Taux réduit 5,5 %",
  T6: "Taux réduit 2,1 %",
  "14": "Opérations imposables à un taux particulier",
  "16": "Total de la TVA brute due",
  "19": "TVA déductible sur biens constituant des immobilisations",
  "20": "TVA déductible sur autres biens et services",
  "23": "Total TVA déductible",
  "25": "Crédit de TVA (ligne 23 − ligne 16)",
  "28": "TVA nette due (ligne 16 − ligne 23)",
};

const RATE_LINES: [number, Ca3Code][] = [
  [2000, "08"],
  [1000, "9B"],
  [550, "09"],
  [210, "T6"],
];

/** The CA3 line a sale at this rate is declared on: E2 when exempt, 14 for a rate the form has no line for. */
export const lineOfRate = (rateBp: number): Ca3Code =>
  rateBp === 0 ? "E2" : (RATE_LINES.find(([r]) => r === rateBp)?.[1] ?? "14");

export type Ca3Line = {
  code: Ca3Code;
  label: string;
  /** Cents; null where the form has no such box. */
  base: number | null;
  tax: number | null;
  /** What is typed on the form: whole euros, each box rounded, totals from the rounded boxes. */
  declaredBase: number | null;
  declaredTax: number | null;
  /** A line the form always shows; the others are shown only when they hold something. */
  always: boolean;
};

/** What a sales document adds to the period, at one rate. Negative for credit notes and reversed receipts. */
export type VatSaleItem = {
  line: Ca3Code;
  rateBp: number;
  documentId: string;
  number: string;
  kind: InvoiceKind;
  issueDate: IsoDate;
  /** The day it counts in the return: the issue date, or the receipt's. */
  date: IsoDate;
  /** The entry that makes it due: the document's own, or the receipt's. */
  entryId: string | null;
  how: VatItemHow;
  base: number;
  tax: number;
};

export type VatDeductibleItem = {
  line: "19" | "20";
  entryId: string;
  date: IsoDate;
  label: string;
  pieceRef: string;
  accountCode: string;
  amount: number;
};

export type VatReturn = {
  period: VatPeriodRange;
  basis: VatBasis;
  lines: Ca3Line[];
  sales: VatSaleItem[];
  deductible: VatDeductibleItem[];
  /** Receipts on 411 in the period that name no invoice: not in the return, for the accountant to look at. */
  unmatchedReceipts: { entryId: string; date: IsoDate; label: string; pieceRef: string; amount: number }[];
  /** On debits: VAT collected as the ledger has it (445710 and its sub-accounts), to compare with line 16. */
  ledgerCollected: number | null;
};

/** Whole euros as the form wants them, half away from zero. */
export const toEuros = (cents: number) => Math.sign(cents) * Math.floor((Math.abs(cents) + 50) / 100);

// ---------------------------------------------------------------------------------------------------------------
// Amount vectors: base and tax per rate, split goods / services.

type Amounts = { base: number; tax: number };
type Vector = Map<string, Amounts>;
const keyOf = (rateBp: number, goods: boolean) => `${rateBp}|${goods ? "g" : "s"}`;
const rateOfKey = (key: string) => Number(key.split("|")[0]);
const isGoodsKey = (key: string) => key.endsWith("|g");
const isGoodsAccount = (code: string) => /^70[1237]/.test(code);

function vectorOf(lines: readonly { vatRateBp: number; exclTax: number; tax: number; accountCode: string }[]) {
  const v: Vector = new Map();
  for (const l of lines) {
    const key = keyOf(l.vatRateBp, isGoodsAccount(l.accountCode));
    const a = v.get(key) ?? { base: 0, tax: 0 };
    v.set(key, { base: a.base + l.exclTax, tax: a.tax + l.tax });
  }
  return v;
}

const inclOf = (v: Vector) => [...v.values()].reduce((s, a) => s + a.base + a.tax, 0);
const only = (v: Vector, goods: boolean): Vector => new Map([...v].filter(([k]) => isGoodsKey(k) === goods));
const negate = (v: Vector): Vector => new Map([...v].map(([k, a]) => [k, { base: -a.base, tax: -a.tax }]));

function combine(a: Vector, b: Vector, sign: 1 | -1): Vector {
  const out: Vector = new Map(a);
  for (const [k, x] of b) {
    const y = out.get(k) ?? { base: 0, tax: 0 };
    out.set(k, { base: y.base + sign * x.base, tax: y.tax + sign * x.tax });
  }
  return out;
}

/** `share` cents (VAT included) of `from`, spread pro rata over its rates; the parts add up to `share` exactly. */
function portion(from: Vector, share: number): Vector {
  const total = inclOf(from);
  if (share >= total) return new Map(from);
  const out: Vector = new Map();
  const entries = [...from].filter(([, a]) => a.base + a.tax > 0);
  let left = share;
  entries.forEach(([k, a], i) => {
    const incl = a.base + a.tax;
    const part = i === entries.length - 1 ? left : Math.min(incl, Math.round((incl * share) / total));
    left -= part;
    const tax = Math.round((a.tax * part) / incl);
    out.set(k, { base: part - tax, tax });
  });
  return out;
}

/** The part of `wanted` that `available` holds, per rate and component (both non-negative). */
function within(wanted: Vector, available: Vector): Vector {
  const out: Vector = new Map();
  for (const [k, w] of wanted) {
    const a = available.get(k) ?? { base: 0, tax: 0 };
    out.set(k, { base: Math.min(w.base, Math.max(0, a.base)), tax: Math.min(w.tax, Math.max(0, a.tax)) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the documents and receipts

const documentInclude = {
  lines: { select: { vatRateBp: true, exclTax: true, tax: true, accountCode: true } },
  entry: { select: { lines: { select: { debit: true, credit: true, account: { select: { code: true } } } } } },
} as const;

type LoadedDocument = Prisma.InvoiceGetPayload<{ include: typeof documentInclude }>;

/** Whether the document's buyer side is the receivable 411 (the sale is paid later), not money or an advance. */
const onReceivable = (d: LoadedDocument) =>
  (d.entry?.lines ?? []).some(
    (l) => l.account.code.startsWith("411") && (d.kind === "INVOICE" ? l.debit > 0 : l.credit > 0),
  );

type Receipt = {
  entryId: string;
  date: IsoDate;
  label: string;
  pieceRef: string;
  /** The invoice number it names, from its source key or piece reference. */
  ref: string;
  amount: number;
};

const PAID_KEY = /^invoice:(.+):paid$/;

/**
 * Entries that credit (or, reversed, debit) 411 and are not a sales document's own: receipts from customers. Within
 * [from, to], and naming one of `numbers` when given.
 */
async function receipts(tx: Client, poleId: string, range: { from?: IsoDate; to: IsoDate }, numbers?: string[]) {
  const from = range.from ?? "1900-01-01";
  const named = numbers
    ? Prisma.sql`AND (e."pieceRef" = ANY(${numbers}::text[])
        OR coalesce(o."sourceKey", e."sourceKey") = ANY(${numbers.map((n) => `invoice:${n}:paid`)}::text[]))`
    : Prisma.empty;
  const rows = await tx.$queryRaw<
    { entryId: string; date: Date; label: string; pieceRef: string; key: string; amount: bigint }[]
  >`
    SELECT e."id" AS "entryId", e."date", e."label", e."pieceRef", coalesce(o."sourceKey", e."sourceKey") AS "key",
      sum(l."credit" - l."debit")::bigint AS "amount"
    FROM "JournalEntry" e
    JOIN "EntryLine" l ON l."entryId" = e."id"
    JOIN "Account" a ON a."id" = l."accountId"
    LEFT JOIN "JournalEntry" o ON o."id" = e."reversalOfId"
    WHERE e."poleId" = ${poleId} AND e."journal" <> 'AN' AND a."code" LIKE '411%'
      AND e."date" BETWEEN ${from}::date AND ${range.to}::date
      AND NOT EXISTS (SELECT 1 FROM "Invoice" i WHERE i."entryId" = e."id")
      ${named}
    GROUP BY e."id", o."id"
    HAVING sum(l."credit" - l."debit") <> 0
    ORDER BY e."date", e."createdAt", e."id"`;
  return rows.map((r): Receipt => ({
    entryId: r.entryId,
    date: fromSqlDate(r.date),
    label: r.label,
    pieceRef: r.pieceRef,
    ref: PAID_KEY.exec(r.key)?.[1] ?? r.pieceRef,
    amount: Number(r.amount),
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Emissions: what each document adds, and when

type Emission = Omit<VatSaleItem, "line" | "rateBp" | "base" | "tax"> & { vector: Vector };

const emission = (
  d: LoadedDocument,
  how: Emission["how"],
  date: IsoDate,
  entryId: string | null,
  vector: Vector,
): Emission => ({
  documentId: d.id,
  number: d.number,
  kind: d.kind,
  issueDate: fromSqlDate(d.issueDate),
  date,
  entryId,
  how,
  vector,
});

/** On debits: each document at its issue date. */
const onDebits = (d: LoadedDocument): Emission =>
  emission(
    d,
    d.kind === "INVOICE" ? "ISSUED" : "CREDIT_NOTE",
    fromSqlDate(d.issueDate),
    d.entryId,
    d.kind === "INVOICE" ? vectorOf(d.lines) : negate(vectorOf(d.lines)),
  );

/** On receipts: the life of one invoice — its receipts and credit notes in date order — as it falls due. */
function onReceipts(invoice: LoadedDocument, creditNotes: LoadedDocument[], paid: Receipt[]): Emission[] {
  const out: Emission[] = [];
  const issued = fromSqlDate(invoice.issueDate);
  const full = vectorOf(invoice.lines);
  const services = (v: Vector) => only(v, false);
  if (only(full, true).size) out.push(emission(invoice, "GOODS", issued, invoice.entryId, only(full, true)));
  let unpaid: Vector = new Map();
  let settled: Vector = new Map();
  if (onReceivable(invoice)) unpaid = full;
  else {
    settled = full;
    out.push(emission(invoice, "PAID_AT_ISSUE", issued, invoice.entryId, services(full)));
  }
  const events = [
    ...creditNotes.map((note) => ({ date: fromSqlDate(note.issueDate), order: 0, note, receipt: null })),
    ...paid.map((receipt) => ({ date: receipt.date, order: 1, note: null, receipt })),
  ].sort((a, b) => a.date.localeCompare(b.date) || a.order - b.order);
  for (const event of events) {
    if (event.receipt) {
      const r = event.receipt;
      if (r.amount > 0) {
        const part = portion(unpaid, r.amount);
        unpaid = combine(unpaid, part, -1);
        settled = combine(settled, part, 1);
        out.push(emission(invoice, "RECEIPT", r.date, r.entryId, services(part)));
      } else {
        const part = portion(settled, -r.amount);
        settled = combine(settled, part, -1);
        unpaid = combine(unpaid, part, 1);
        out.push(emission(invoice, "RECEIPT_REVERSED", r.date, r.entryId, negate(services(part))));
      }
      continue;
    }
    const note = event.note!;
    const credited = vectorOf(note.lines);
    const date = fromSqlDate(note.issueDate);
    if (only(credited, true).size) out.push(emission(note, "GOODS", date, note.entryId, negate(only(credited, true))));
    // A credit note on 411 cancels unpaid debt first: no VAT was due on it, none is given back.
    const cancelled = onReceivable(note) ? within(credited, unpaid) : new Map<string, Amounts>();
    unpaid = combine(unpaid, cancelled, -1);
    const repaid = combine(credited, cancelled, -1);
    settled = combine(settled, repaid, -1);
    out.push(emission(note, "CREDIT_NOTE", date, note.entryId, negate(services(repaid))));
  }
  return out;
}

function toItems(emissions: Emission[], range: { from: IsoDate; to: IsoDate }): VatSaleItem[] {
  const items: VatSaleItem[] = [];
  for (const e of emissions) {
    if (e.date < range.from || e.date > range.to) continue;
    const { vector, ...rest } = e;
    const byRate = new Map<number, Amounts>();
    for (const [k, a] of vector) {
      const r = byRate.get(rateOfKey(k)) ?? { base: 0, tax: 0 };
      byRate.set(rateOfKey(k), { base: r.base + a.base, tax: r.tax + a.tax });
    }
    for (const [rateBp, a] of byRate) {
      if (a.base === 0 && a.tax === 0) continue;
      items.push({ ...rest, line: lineOfRate(rateBp), rateBp, base: a.base, tax: a.tax });
    }
  }
  return items.sort((a, b) => a.date.localeCompare(b.date) || a.number.localeCompare(b.number) || b.rateBp - a.rateBp);
}

async function salesOnDebits(tx: Client, poleId: string, range: { from: IsoDate; to: IsoDate }) {
  const documents = await tx.invoice.findMany({
    where: { poleId, issueDate: { gte: toSqlDate(range.from), lte: toSqlDate(range.to) } },
    include: documentInclude,
  });
  return { items: toItems(documents.map(onDebits), range), unmatched: [] as Receipt[] };
}

async function salesOnReceipts(tx: Client, poleId: string, range: { from: IsoDate; to: IsoDate }) {
  const period = { gte: toSqlDate(range.from), lte: toSqlDate(range.to) };
  const [issued, received] = await Promise.all([
    tx.invoice.findMany({ where: { poleId, issueDate: period }, select: { id: true, creditedInvoiceId: true } }),
    receipts(tx, poleId, range),
  ]);
  const named = await tx.invoice.findMany({
    where: { poleId, kind: "INVOICE", number: { in: [...new Set(received.map((r) => r.ref))] } },
    select: { id: true, number: true },
  });
  const known = new Set(named.map((n) => n.number));
  const ids = new Set([...issued.map((d) => d.creditedInvoiceId ?? d.id), ...named.map((n) => n.id)]);
  const invoices = await tx.invoice.findMany({
    where: { poleId, kind: "INVOICE", id: { in: [...ids] } },
    include: {
      ...documentInclude,
      creditNotes: { where: { issueDate: { lte: toSqlDate(range.to) } }, include: documentInclude },
    },
  });
  const history = invoices.length
    ? await receipts(
        tx,
        poleId,
        { to: range.to },
        invoices.map((i) => i.number),
      )
    : [];
  const emissions = invoices.flatMap((invoice) =>
    onReceipts(
      invoice,
      invoice.creditNotes,
      history.filter((r) => r.ref === invoice.number),
    ),
  );
  return { items: toItems(emissions, range), unmatched: received.filter((r) => !known.has(r.ref)) };
}

// ---------------------------------------------------------------------------------------------------------------
// Deductible VAT and the ledger's collected VAT

/** Entries that settle a return (moving VAT due 4455 or a VAT credit 44567) are not purchases or sales. */
const NOT_SETTLEMENT = Prisma.sql`e."journal" <> 'AN' AND NOT EXISTS (
  SELECT 1 FROM "EntryLine" s JOIN "Account" sa ON sa."id" = s."accountId"
  WHERE s."entryId" = e."id" AND (sa."code" LIKE '4455%' OR sa."code" LIKE '44567%'))`;

async function deductibleVat(tx: Client, poleId: string, range: { from: IsoDate; to: IsoDate }) {
  const rows = await tx.$queryRaw<
    { entryId: string; date: Date; label: string; pieceRef: string; code: string; debit: number; credit: number }[]
  >`
    SELECT e."id" AS "entryId", e."date", e."label", e."pieceRef", a."code", l."debit", l."credit"
    FROM "EntryLine" l
    JOIN "JournalEntry" e ON e."id" = l."entryId"
    JOIN "Account" a ON a."id" = l."accountId"
    WHERE l."poleId" = ${poleId} AND l."date" BETWEEN ${range.from}::date AND ${range.to}::date
      AND a."code" LIKE '4456%' AND a."code" NOT LIKE '44567%' AND ${NOT_SETTLEMENT}
    ORDER BY e."date", e."createdAt", e."id", l."id"`;
  return rows.map((r): VatDeductibleItem => ({
    line: r.code.startsWith("44562") ? "19" : "20",
    entryId: r.entryId,
    date: fromSqlDate(r.date),
    label: r.label,
    pieceRef: r.pieceRef,
    accountCode: r.code,
    amount: r.debit - r.credit,
  }));
}

async function ledgerCollected(tx: Client, poleId: string, range: { from: IsoDate; to: IsoDate }) {
  const [row] = await tx.$queryRaw<{ amount: bigint | null }[]>`
    SELECT sum(l."credit" - l."debit")::bigint AS "amount"
    FROM "EntryLine" l
    JOIN "JournalEntry" e ON e."id" = l."entryId"
    JOIN "Account" a ON a."id" = l."accountId"
    WHERE l."poleId" = ${poleId} AND l."date" BETWEEN ${range.from}::date AND ${range.to}::date
      AND a."code" LIKE '4457%' AND ${NOT_SETTLEMENT}`;
  return Number(row?.amount ?? 0);
}

// ---------------------------------------------------------------------------------------------------------------
// The return

function ca3Lines(sales: VatSaleItem[], deductible: VatDeductibleItem[]): Ca3Line[] {
  const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);
  const taxable = sales.filter((s) => s.line !== "E2");
  const line = (
    code: Ca3Code,
    base: number | null,
    tax: number | null,
    always: boolean,
    declared?: { base?: number | null; tax?: number | null },
  ): Ca3Line => ({
    code,
    label: CA3_LABELS[code],
    base,
    tax,
    declaredBase: declared?.base !== undefined ? declared.base : base === null ? null : toEuros(base),
    declaredTax: declared?.tax !== undefined ? declared.tax : tax === null ? null : toEuros(tax),
    always,
  });
  const rateLine = (code: Ca3Code, always: boolean) => {
    const items = sales.filter((s) => s.line === code);
    return line(
      code,
      sum(items, (s) => s.base),
      sum(items, (s) => s.tax),
      always,
    );
  };
  const rates = [rateLine("08", true), rateLine("9B", true), rateLine("09", true), rateLine("T6", false)];
  const special = rateLine("14", false);
  const gross = [...rates, special];
  const l16 = line(
    "16",
    null,
    sum(gross, (l) => l.tax!),
    true,
    { tax: sum(gross, (l) => l.declaredTax!) },
  );
  const deduct = (code: "19" | "20", always: boolean) =>
    line(
      code,
      null,
      sum(
        deductible.filter((d) => d.line === code),
        (d) => d.amount,
      ),
      always,
    );
  const l19 = deduct("19", false);
  const l20 = deduct("20", true);
  const l23 = line("23", null, l19.tax! + l20.tax!, true, { tax: l19.declaredTax! + l20.declaredTax! });
  const net = l16.tax! - l23.tax!;
  const declaredNet = l16.declaredTax! - l23.declaredTax!;
  return [
    line(
      "A1",
      sum(taxable, (s) => s.base),
      null,
      true,
    ),
    line(
      "E2",
      sum(
        sales.filter((s) => s.line === "E2"),
        (s) => s.base,
      ),
      null,
      true,
    ),
    ...gross,
    l16,
    l19,
    l20,
    l23,
    line("25", null, Math.max(0, -net), true, { tax: Math.max(0, -declaredNet) }),
    line("28", null, Math.max(0, net), true, { tax: Math.max(0, declaredNet) }),
  ];
}

/** The CA3 figures of a period on the pole's basis (or the one given), with what is behind each. */
export async function vatReturn(
  tx: Client,
  input: { poleId: string; period: VatPeriodRange; basis?: VatBasis },
): Promise<VatReturn> {
  const basis =
    input.basis ??
    (await tx.pole.findUniqueOrThrow({ where: { id: input.poleId }, select: { vatBasis: true } })).vatBasis;
  const range = { from: input.period.from, to: input.period.to };
  const [sales, deductible, collected] = await Promise.all([
    basis === "DEBITS" ? salesOnDebits(tx, input.poleId, range) : salesOnReceipts(tx, input.poleId, range),
    deductibleVat(tx, input.poleId, range),
    basis === "DEBITS" ? ledgerCollected(tx, input.poleId, range) : null,
  ]);
  return {
    period: input.period,
    basis,
    lines: ca3Lines(sales.items, deductible),
    sales: sales.items,
    deductible,
    unmatchedReceipts: sales.unmatched.map(({ ref: _ref, ...r }) => r),
    ledgerCollected: collected,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CSV

export const VAT_CSV_HEADER = [
  "Ligne",
  "Libellé",
  "Pièce",
  "Date de la pièce",
  "Exigible le",
  "Base HT",
  "TVA",
  "Base à déclarer (€)",
  "TVA à déclarer (€)",
] as const;

/** The period's figures as one table: the CA3 lines first, then every document and entry behind them. */
export function vatReturnCsv(r: VatReturn) {
  const amount = (cents: number | null) => (cents === null ? "" : csvSignedAmount(cents));
  const whole = (euros: number | null) => (euros === null ? "" : String(euros));
  const lines = r.lines
    .filter((l) => l.always || l.base || l.tax)
    .map((l) => [
      l.code,
      l.label,
      "",
      "",
      "",
      amount(l.base),
      amount(l.tax),
      whole(l.declaredBase),
      whole(l.declaredTax),
    ]);
  const sales = r.sales.map((s) => [
    s.line,
    `${VAT_ITEM_HOW[s.how]} ${s.number}`,
    s.number,
    frenchDate(s.issueDate),
    frenchDate(s.date),
    amount(s.base),
    amount(s.tax),
    "",
    "",
  ]);
  const deductible = r.deductible.map((d) => [
    d.line,
    `${d.label} (compte ${d.accountCode})`,
    d.pieceRef,
    frenchDate(d.date),
    frenchDate(d.date),
    "",
    amount(d.amount),
    "",
    "",
  ]);
  return csvDocument(VAT_CSV_HEADER, [...lines, ...sales, ...deductible]);
}

// ---------------------------------------------------------------------------------------------------------------
// Settings

export function vatSettings(tx: Client, poleId: string) {
  return tx.pole.findUniqueOrThrow({ where: { id: poleId }, select: { vatBasis: true, vatPeriod: true } });
}

/** Changes how the pole's returns are computed; the change is written to the audit log with who made it. */
export function updateVatSettings(
  client: Client,
  input: { poleId: string; actorId: string; vatBasis: VatBasis; vatPeriod: VatPeriod },
) {
  return inTransaction(client, async (tx) => {
    const before = await tx.pole.findUnique({
      where: { id: input.poleId },
      select: { vatBasis: true, vatPeriod: true },
    });
    if (!before) return fail("NOT_FOUND", "Ce pôle n'existe pas.", { status: 404 });
    if (before.vatBasis === input.vatBasis && before.vatPeriod === input.vatPeriod) return ok({ changed: false });
    await tx.pole.update({
      where: { id: input.poleId },
      data: { vatBasis: input.vatBasis, vatPeriod: input.vatPeriod },
    });
    await tx.auditLog.create({
      data: {
        poleId: input.poleId,
        actorId: input.actorId,
        action: "vat:settings",
        subject: input.poleId,
        reason: "Réglages de la déclaration de TVA modifiés",
        details: { before, after: { vatBasis: input.vatBasis, vatPeriod: input.vatPeriod } },
      },
    });
    return ok({ changed: true });
  });
}
