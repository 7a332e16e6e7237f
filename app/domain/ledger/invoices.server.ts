import type { InvoiceKind, Stream } from "~/generated/prisma/enums";
import { cents, MAX_CENTS, sumCents, type Cents } from "~/domain/money";
import { inTransaction, type Tx, type Client } from "~/utils/db.server";
import { lockRow } from "~/utils/row-locks.server";
import { formatCents, formatDate } from "~/utils/format";
import type { Buyer } from "./buyers";
import { fromSqlDate, toSqlDate, type IsoDate } from "./dates";
import { LedgerError } from "./errors";
import { sellerOf } from "./legal-identity";
import { post, type LineInput } from "./post.server";
import { splitInclTax } from "./vat";

export type { Buyer } from "./buyers";

export type InvoiceLineInput = {
  description: string;
  quantity: number;
  /** Unit price VAT included. */
  unitInclTax: Cents;
  /** VAT rate in basis points: 2000 = 20 %, 0 = exempt (then the line names its exemption). */
  vatRateBp: number;
  /** For a line at 0 %: the exemption article, e.g. VAT_EXEMPTIONS.LAND_RENT; the invoice's vatMention otherwise. */
  vatExemption?: string | null;
  /** Revenue account credited, e.g. "706100". */
  accountCode: string;
};

export type IssueInvoiceInput = {
  poleId: string;
  /** Idempotency key of the sale, e.g. "booking:123": issuing twice returns the first invoice. */
  sourceKey: string;
  issueDate: IsoDate;
  /**
   * When payment is due. By default: the issue date when the sale is settled as it is invoiced (a receivable
   * account other than 411000), else the issue date plus the pole's payment terms (Pole.paymentTermDays).
   */
  dueDate?: IsoDate;
  stream: Stream;
  buyer: Buyer;
  lines: readonly InvoiceLineInput[];
  /** The exemption of the 0 % lines that do not name their own. */
  vatMention?: string | null;
  /** The account the buyer owes on: 411000 (receivable) by default, 419100 when paid in advance. */
  receivableAccount?: string;
  createdById?: string | null;
};

const PREFIX: Record<InvoiceKind, string> = { INVOICE: "F", CREDIT_NOTE: "AV" };
export const invoiceNumber = (kind: InvoiceKind, year: number, sequence: number) =>
  `${PREFIX[kind]}-${year}-${String(sequence).padStart(4, "0")}`;

const withLines = { lines: { orderBy: { position: "asc" } } } as const;

/**
 * Issues an invoice and posts its sale in the same transaction: debit the buyer's account, credit revenue per
 * account (VAT excluded) and VAT collected. The number comes from a per pole, kind and year counter whose row
 * stays locked until commit, so numbers are gapless even under concurrent sales and rolled-back ones.
 */
export function issueInvoice(client: Client, input: IssueInvoiceInput) {
  return inTransaction(client, (tx) => issueDocument(tx, "INVOICE", input, null));
}

/** The invoice issued for a sale, by the sale's source key; null when none was (yet). */
export function invoiceOfSource(tx: Client, input: { poleId: string; sourceKey: string }) {
  return tx.invoice.findUnique({ where: { poleId_sourceKey: { poleId: input.poleId, sourceKey: input.sourceKey } } });
}

/**
 * Cancels all or part of an invoice with a credit note: the opposite posting, its own gapless number. The
 * credited amount never exceeds what the invoice still carries.
 */
export function issueCreditNote(client: Client, input: Parameters<typeof creditNote>[1]) {
  return inTransaction(client, (tx) => creditNote(tx, input));
}

async function creditNote(
  tx: Tx,
  input: {
    poleId: string;
    invoiceId: string;
    sourceKey: string;
    issueDate: IsoDate;
    reason: string;
    lines?: readonly InvoiceLineInput[];
    /** The account the money goes back from: 411000 (the buyer's debt is cancelled) by default, or the bank or Stripe account when it is refunded. */
    receivableAccount?: string;
    createdById?: string | null;
  },
) {
  const reason = input.reason.trim();
  if (!reason) throw new LedgerError("INVALID", "Indiquez le motif de l'avoir.", "reason");
  // Lock the invoice first: concurrent credit notes on one invoice queue here, so each sees the others' totals.
  await lockRow(tx, "Invoice", { id: input.invoiceId, poleId: input.poleId });
  const invoice = await tx.invoice.findFirst({
    where: { id: input.invoiceId, poleId: input.poleId, kind: "INVOICE" },
    include: { ...withLines, creditNotes: true },
  });
  if (!invoice) throw new LedgerError("NOT_FOUND", "Cette facture n'existe pas.", "invoiceId");
  const replay = invoice.creditNotes.find((n) => n.sourceKey === input.sourceKey);
  if (replay)
    return {
      invoice: await tx.invoice.findUniqueOrThrow({ where: { id: replay.id }, include: withLines }),
      created: false,
    };
  if (input.issueDate < fromSqlDate(invoice.issueDate)) {
    throw new LedgerError("INVALID", "Un avoir ne peut pas précéder la facture qu'il annule.", "issueDate");
  }
  const lines =
    input.lines ??
    invoice.lines.map(({ description, quantity, unitInclTax, vatRateBp, vatExemption, accountCode }) => ({
      description,
      quantity,
      unitInclTax: cents(unitInclTax),
      vatRateBp,
      vatExemption,
      accountCode,
    }));
  const already = invoice.creditNotes.reduce((s, n) => s + n.totalInclTax, 0);
  const amount = lines.reduce((s, l) => s + l.quantity * l.unitInclTax, 0);
  if (already + amount > invoice.totalInclTax) {
    throw new LedgerError("INVALID", "Le total des avoirs dépasserait le montant de la facture.", "lines");
  }
  return issueDocument(
    tx,
    "CREDIT_NOTE",
    {
      poleId: input.poleId,
      sourceKey: input.sourceKey,
      issueDate: input.issueDate,
      stream: invoice.stream,
      buyer: {
        name: invoice.buyerName,
        email: invoice.buyerEmail,
        address: invoice.buyerAddress,
        siren: invoice.buyerSiren,
        isBusiness: invoice.buyerIsBusiness,
        personId: invoice.personId,
        organisationId: invoice.organisationId,
      },
      lines,
      vatMention: invoice.vatMention,
      receivableAccount: input.receivableAccount,
      createdById: input.createdById,
    },
    { invoice, reason },
  );
}

async function issueDocument(
  tx: Tx,
  kind: InvoiceKind,
  input: IssueInvoiceInput,
  credit: { invoice: { id: string; number: string }; reason: string } | null,
) {
  const lines = priceLines(input.lines, input.vatMention);
  const buyer = checkBuyer(input.buyer);
  const year = Number(input.issueDate.slice(0, 4));
  // Take the counter row lock first: it serialises every document of this series, so the check for an
  // existing sourceKey below sees a concurrent twin that committed, and a replay consumes no number.
  await tx.$executeRaw`INSERT INTO "InvoiceCounter" ("poleId", "kind", "year", "last")
    VALUES (${input.poleId}, ${kind}::"InvoiceKind", ${year}, 0) ON CONFLICT DO NOTHING`;
  const [{ last }] = await tx.$queryRaw<{ last: number }[]>`SELECT "last" FROM "InvoiceCounter"
    WHERE "poleId" = ${input.poleId} AND "kind" = ${kind}::"InvoiceKind" AND "year" = ${year} FOR UPDATE`;
  const existing = await tx.invoice.findUnique({
    where: { poleId_sourceKey: { poleId: input.poleId, sourceKey: input.sourceKey } },
    include: withLines,
  });
  if (existing) return { invoice: existing, created: false };

  if (input.dueDate && input.dueDate < input.issueDate) {
    throw new LedgerError("INVALID", "L'échéance ne peut pas précéder la date de la facture.", "dueDate");
  }
  // Numbers follow dates (CGI ann. II art. 242 nonies A): a document cannot be dated before the previous one.
  const previous = await tx.invoice.findFirst({
    where: { poleId: input.poleId, kind, year },
    orderBy: { sequence: "desc" },
    select: { number: true, issueDate: true },
  });
  if (previous && input.issueDate < fromSqlDate(previous.issueDate)) {
    throw new LedgerError(
      "INVALID",
      `${previous.number} est daté du ${formatDate(previous.issueDate)} : un nouveau document ne peut pas être antérieur.`,
      "issueDate",
    );
  }

  const pole = await tx.pole.findUniqueOrThrow({ where: { id: input.poleId } });
  const settledAtIssue = (input.receivableAccount ?? "411000") !== "411000";
  const dueDate =
    kind === "CREDIT_NOTE"
      ? null
      : (input.dueDate ?? (settledAtIssue ? input.issueDate : plusDays(input.issueDate, pole.paymentTermDays)));
  const exemptions = [...new Set(lines.flatMap((l) => (l.vatExemption ? [l.vatExemption] : [])))];
  const sequence = last + 1;
  const number = invoiceNumber(kind, year, sequence);
  const totals = {
    exclTax: sumCents(lines.map((l) => l.exclTax)),
    tax: sumCents(lines.map((l) => l.tax)),
    inclTax: sumCents(lines.map((l) => l.inclTax)),
  };
  if (totals.inclTax > MAX_CENTS) throw tooLarge("lines");

  const { entry } = await post(tx, {
    poleId: input.poleId,
    sourceKey: `${kind === "INVOICE" ? "invoice" : "credit-note"}:${number}`,
    date: input.issueDate,
    journal: "VT",
    label: credit
      ? `Avoir ${number} sur ${credit.invoice.number} — ${buyer.name}`
      : `Facture ${number} — ${buyer.name}`,
    pieceRef: number,
    createdById: input.createdById,
    lines: saleLines(kind, input, lines, totals),
  });
  await tx.$executeRaw`UPDATE "InvoiceCounter" SET "last" = ${sequence}
    WHERE "poleId" = ${input.poleId} AND "kind" = ${kind}::"InvoiceKind" AND "year" = ${year}`;
  const invoice = await tx.invoice.create({
    data: {
      poleId: input.poleId,
      kind,
      year,
      sequence,
      number,
      issueDate: toSqlDate(input.issueDate),
      dueDate: dueDate ? toSqlDate(dueDate) : null,
      stream: input.stream,
      sourceKey: input.sourceKey,
      // What the invoice prints of its seller, as the pole's settings are today (decision 022).
      seller: sellerOf(pole),
      buyerName: buyer.name,
      buyerEmail: buyer.email,
      buyerAddress: buyer.address,
      buyerSiren: buyer.siren,
      buyerIsBusiness: buyer.isBusiness,
      personId: buyer.personId,
      organisationId: buyer.organisationId,
      totalExclTax: totals.exclTax,
      totalTax: totals.tax,
      totalInclTax: totals.inclTax,
      // Each 0 % line names its exemption; the invoice keeps their list (invoices before decision 022 had only this).
      vatMention: exemptions.length ? exemptions.join(" ; ") : null,
      creditedInvoiceId: credit?.invoice.id ?? null,
      reason: credit?.reason ?? null,
      entryId: entry.id,
      lines: { create: lines.map((l, position) => ({ position: position + 1, ...l })) },
    },
    include: withLines,
  });
  return { invoice, created: true };
}

/** Issue date + days, on calendar days (UTC midnight has no daylight saving). */
const plusDays = (date: IsoDate, days: number) => fromSqlDate(new Date(toSqlDate(date).getTime() + days * 86_400_000));

function checkBuyer(buyer: Buyer) {
  const name = buyer.name.trim();
  if (!name) throw new LedgerError("INVALID", "Indiquez le nom du client.", "buyer.name");
  const siren = buyer.siren?.replace(/\s/g, "") || null;
  if (siren !== null && !/^\d{9}$/.test(siren))
    throw new LedgerError("INVALID", "Le SIREN du client compte 9 chiffres.", "buyer.siren");
  return {
    name,
    email: buyer.email ?? null,
    address: buyer.address?.trim() || null,
    siren,
    isBusiness: buyer.isBusiness ?? Boolean(buyer.organisationId),
    personId: buyer.personId ?? null,
    organisationId: buyer.organisationId ?? null,
  };
}

function priceLines(lines: readonly InvoiceLineInput[], defaultExemption: string | null | undefined) {
  if (lines.length === 0) throw new LedgerError("NO_LINES", "Une facture compte au moins une ligne.", "lines");
  return lines.map((l, i) => {
    if (!l.description.trim())
      throw new LedgerError("INVALID", "Chaque ligne a une désignation.", `lines[${i}].description`);
    if (!Number.isSafeInteger(l.quantity) || l.quantity <= 0)
      throw new LedgerError("INVALID", "La quantité est un entier positif.", `lines[${i}].quantity`);
    if (!Number.isSafeInteger(l.unitInclTax) || l.unitInclTax < 0)
      throw new LedgerError(
        "NEGATIVE_AMOUNT",
        "Le prix est un montant positif en centimes.",
        `lines[${i}].unitInclTax`,
      );
    if (!Number.isInteger(l.vatRateBp) || l.vatRateBp < 0 || l.vatRateBp > 10000)
      throw new LedgerError("INVALID", "Le taux de TVA est invalide.", `lines[${i}].vatRateBp`);
    if (l.quantity * l.unitInclTax > MAX_CENTS) throw tooLarge(`lines[${i}]`);
    const vatExemption = l.vatRateBp === 0 ? l.vatExemption?.trim() || defaultExemption?.trim() || null : null;
    if (l.vatRateBp === 0 && !vatExemption)
      throw new LedgerError(
        "INVALID",
        "Une ligne sans TVA demande la mention d'exonération (article du CGI).",
        `lines[${i}].vatExemption`,
      );
    const { exclTax, tax, inclTax } = splitInclTax(l.quantity * l.unitInclTax, l.vatRateBp);
    return {
      description: l.description.trim(),
      quantity: l.quantity,
      unitInclTax: l.unitInclTax,
      vatRateBp: l.vatRateBp,
      vatExemption,
      accountCode: l.accountCode,
      exclTax: cents(exclTax),
      tax: cents(tax),
      inclTax: cents(inclTax),
    };
  });
}

type PricedLine = ReturnType<typeof priceLines>[number];

const tooLarge = (field: string) =>
  new LedgerError("TOO_LARGE", `Un document ne dépasse pas ${formatCents(MAX_CENTS)} : scindez-le.`, field);

function saleLines(
  kind: InvoiceKind,
  input: IssueInvoiceInput,
  lines: PricedLine[],
  totals: { tax: Cents; inclTax: Cents },
): LineInput[] {
  // An invoice debits the buyer and credits revenue and VAT; a credit note does the opposite.
  const side = (amount: Cents, buyerSide: boolean) =>
    (kind === "INVOICE") === buyerSide ? { debit: amount } : { credit: amount };
  const revenue = new Map<string, Cents>();
  for (const l of lines) revenue.set(l.accountCode, sumCents([revenue.get(l.accountCode) ?? 0, l.exclTax]));
  const third = {
    thirdPartyPersonId: input.buyer.personId ?? null,
    thirdPartyOrganisationId: input.buyer.organisationId ?? null,
  };
  return [
    {
      account: input.receivableAccount ?? "411000",
      stream: input.stream,
      label: input.buyer.name,
      ...third,
      ...side(totals.inclTax, true),
    },
    ...[...revenue]
      .filter(([, amount]) => amount > 0)
      .map(([account, amount]) => ({ account, stream: input.stream, ...side(amount, false) })),
    ...(totals.tax > 0 ? [{ account: "445710", stream: input.stream, ...side(totals.tax, false) }] : []),
  ].filter((l) => (l.debit ?? l.credit ?? 0) > 0);
}

/**
 * Records that an invoice issued on credit (debiting 411000, the buyer's debt) was paid: one bank entry, debit
 * the account the money landed in, credit the buyer's debt. Idempotent per invoice (one payment settles it).
 */
export function recordInvoicePayment(
  client: Client,
  input: {
    poleId: string;
    invoiceId: string;
    moneyAccount: string;
    date: IsoDate;
    reference: string;
    createdById?: string | null;
  },
) {
  return inTransaction(client, async (tx) => {
    const invoice = await tx.invoice.findFirst({
      where: { id: input.invoiceId, poleId: input.poleId, kind: "INVOICE" },
    });
    if (!invoice) throw new LedgerError("NOT_FOUND", "Cette facture n'existe pas.", "invoiceId");
    const receivable = await tx.entryLine.findFirst({
      where: { entryId: invoice.entryId!, debit: { gt: 0 } },
      include: { account: { select: { code: true } } },
    });
    if (receivable?.account.code !== "411000")
      throw new LedgerError("INVALID", `La facture ${invoice.number} était déjà payée à son émission.`, "invoiceId");
    return post(tx, {
      poleId: input.poleId,
      sourceKey: `invoice:${invoice.number}:paid`,
      date: input.date,
      journal: "BQ",
      label: `Règlement de la facture ${invoice.number} — ${invoice.buyerName}`,
      pieceRef: input.reference.trim() || invoice.number,
      createdById: input.createdById,
      lines: [
        { account: input.moneyAccount, debit: cents(invoice.totalInclTax) },
        {
          account: "411000",
          credit: cents(invoice.totalInclTax),
          label: invoice.buyerName,
          thirdPartyPersonId: invoice.personId,
          thirdPartyOrganisationId: invoice.organisationId,
        },
      ],
    });
  });
}
