import type { InvoiceKind, Stream } from "~/generated/prisma/enums";
import type { Prisma, Client } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { fromSqlDate, type IsoDate } from "./dates";
import { businessMentions, identityGaps, sellerGaps, type PoleIdentity, type Seller } from "./legal-identity";

// Read side of the sales documents: what an invoice or a credit note shows (the French legal mentions), who may
// see it, and the lists for staff and for "Mon compte". Issuing stays in invoices.server.ts.

export type { Seller } from "./legal-identity";

export type DocumentLine = {
  position: number;
  description: string;
  quantity: number;
  unitInclTax: number;
  /** Unit price VAT excluded, rounded half-up to the cent (shown; the line's amounts are computed on the line). */
  unitExclTax: number;
  vatRateBp: number;
  /** The exemption article of a line at 0 % (from the invoice's own mention for one issued before decision 022). */
  vatExemption: string | null;
  exclTax: number;
  tax: number;
  inclTax: number;
};

export type VatSummaryRow = { rateBp: number; base: number; tax: number };

export type InvoiceDocument = {
  id: string;
  kind: InvoiceKind;
  number: string;
  issueDate: IsoDate;
  dueDate: IsoDate | null;
  stream: Stream;
  seller: Seller;
  /** What the seller's identity lacked when the document was issued (shown to staff, never made up on it). */
  sellerGaps: string[];
  buyer: { name: string; email: string | null; address: string | null; siren: string | null; isBusiness: boolean };
  personId: string | null;
  lines: DocumentLine[];
  vatSummary: VatSummaryRow[];
  totals: { exclTax: number; tax: number; inclTax: number };
  /** "prestations de services", "livraison de biens" or both: the nature of the operation. */
  nature: string;
  /** The invoice a credit note cancels. */
  creditedInvoice: { id: string; number: string; issueDate: IsoDate } | null;
  /** Why a credit note was issued. */
  reason: string | null;
  /** The credit notes issued on an invoice. */
  creditNotes: { id: string; number: string; issueDate: IsoDate; totalInclTax: number }[];
  /** What is left to credit on an invoice (0 for a credit note). */
  creditableInclTax: number;
  /** True when the sale was paid before the invoice (posted against 419100, customer advances). */
  paidInAdvance: boolean;
  /** True when the invoice was settled as it was issued: paid in advance, or debiting the account the money landed in. */
  paidAtIssue: boolean;
  entryId: string | null;
  /** Payment terms and, for a business buyer, the late-payment mentions of the French Commercial Code. */
  paymentTerms: string[];
};

export const DOCUMENT_TITLES: Record<InvoiceKind, string> = { INVOICE: "Facture", CREDIT_NOTE: "Avoir" };

const documentInclude = {
  lines: { orderBy: { position: "asc" } },
  creditedInvoice: { select: { id: true, number: true, issueDate: true } },
  creditNotes: {
    select: { id: true, number: true, issueDate: true, totalInclTax: true },
    orderBy: [{ issueDate: "asc" }, { sequence: "asc" }],
  },
  entry: { select: { lines: { select: { debit: true, credit: true, account: { select: { code: true } } } } } },
} satisfies Prisma.InvoiceInclude;

/**
 * The invoice or credit note as the viewer may see it, or null when it does not exist in this pole or the viewer
 * is neither staff nor its buyer (routes answer 404 either way, so nothing is revealed).
 */
export async function getInvoiceForViewer(
  tx: Client,
  input: { poleId: string; invoiceId: string; personId: string; isStaff: boolean },
) {
  const invoice = await tx.invoice.findFirst({
    where: { id: input.invoiceId, poleId: input.poleId },
    include: documentInclude,
  });
  if (!invoice) return null;
  if (!input.isStaff && invoice.personId !== input.personId) return null;
  return toDocument(invoice, await chargedVatBy(tx, input.poleId, invoice.issueDate));
}

/**
 * Whether the pole had charged VAT on an invoice by that day (all time without one): a seller identified for VAT
 * prints its number on every invoice, exempt ones included (CGI ann. II art. 242 nonies A, 2°).
 */
async function chargedVatBy(tx: Client, poleId: string, day?: Date) {
  const taxed = await tx.invoiceLine.findFirst({
    where: { vatRateBp: { gt: 0 }, invoice: { poleId, kind: "INVOICE", ...(day ? { issueDate: { lte: day } } : {}) } },
    select: { id: true },
  });
  return taxed !== null;
}

/**
 * What the pole's legal identity lacks for the invoices it issues: the mentions every invoice prints, and the VAT
 * number once one of its invoices has charged VAT.
 */
export async function poleIdentityGaps(tx: Client, pole: PoleIdentity & { id: string }) {
  return identityGaps(pole, { chargesVat: await chargedVatBy(tx, pole.id) });
}

type LoadedInvoice = Prisma.InvoiceGetPayload<{ include: typeof documentInclude }>;

function toDocument(invoice: LoadedInvoice, poleChargedVat: boolean): InvoiceDocument {
  const lines = invoice.lines.map((l) => ({
    position: l.position,
    description: l.description,
    quantity: l.quantity,
    unitInclTax: l.unitInclTax,
    unitExclTax: unitExclTax(l.unitInclTax, l.vatRateBp),
    vatRateBp: l.vatRateBp,
    vatExemption: l.vatExemption ?? (l.vatRateBp === 0 ? invoice.vatMention : null),
    exclTax: l.exclTax,
    tax: l.tax,
    inclTax: l.inclTax,
  }));
  const creditNotes = invoice.creditNotes.map((n) => ({
    id: n.id,
    number: n.number,
    issueDate: fromSqlDate(n.issueDate),
    totalInclTax: n.totalInclTax,
  }));
  const credited = creditNotes.reduce((s, n) => s + n.totalInclTax, 0);
  // Before decision 022 the flag did not exist and an organisation was the one business buyer.
  const isBusiness = invoice.buyerIsBusiness || invoice.organisationId !== null;
  // The buyer's side of the sale: the one debit of an invoice (the one credit of a credit note).
  const buyerSide = (invoice.entry?.lines ?? []).find((l) => (invoice.kind === "INVOICE" ? l.debit > 0 : l.credit > 0));
  const paidInAdvance = buyerSide?.account.code === "419100";
  const paidAtIssue = buyerSide !== undefined && buyerSide.account.code !== "411000";
  const dueDate = invoice.dueDate ? fromSqlDate(invoice.dueDate) : null;
  const seller = readSeller(invoice.seller);
  return {
    id: invoice.id,
    kind: invoice.kind,
    number: invoice.number,
    issueDate: fromSqlDate(invoice.issueDate),
    dueDate,
    stream: invoice.stream,
    seller,
    sellerGaps: sellerGaps(seller, { chargesVat: poleChargedVat || lines.some((l) => l.vatRateBp > 0) }),
    buyer: {
      name: invoice.buyerName,
      email: invoice.buyerEmail,
      address: invoice.buyerAddress,
      siren: invoice.buyerSiren,
      isBusiness,
    },
    personId: invoice.personId,
    lines,
    vatSummary: vatSummary(lines),
    totals: { exclTax: invoice.totalExclTax, tax: invoice.totalTax, inclTax: invoice.totalInclTax },
    nature: natureOf(invoice.lines.map((l) => l.accountCode)),
    creditedInvoice: invoice.creditedInvoice
      ? {
          id: invoice.creditedInvoice.id,
          number: invoice.creditedInvoice.number,
          issueDate: fromSqlDate(invoice.creditedInvoice.issueDate),
        }
      : null,
    reason: invoice.reason,
    creditNotes,
    creditableInclTax: invoice.kind === "INVOICE" ? Math.max(0, invoice.totalInclTax - credited) : 0,
    paidInAdvance,
    paidAtIssue,
    entryId: invoice.entryId,
    paymentTerms:
      invoice.kind === "INVOICE" ? paymentTerms({ dueDate, paidInAdvance, paidAtIssue, isBusiness, seller }) : [],
  };
}

/** Base and tax per VAT rate, highest rate first: the sums of the lines (VAT is computed on each line). */
export function vatSummary(lines: readonly { vatRateBp: number; exclTax: number; tax: number }[]): VatSummaryRow[] {
  const byRate = new Map<number, VatSummaryRow>();
  for (const l of lines) {
    const row = byRate.get(l.vatRateBp) ?? { rateBp: l.vatRateBp, base: 0, tax: 0 };
    row.base += l.exclTax;
    row.tax += l.tax;
    byRate.set(l.vatRateBp, row);
  }
  return [...byRate.values()].sort((a, b) => b.rateBp - a.rateBp);
}

const unitExclTax = (unitInclTax: number, rateBp: number) =>
  Math.floor((2 * unitInclTax * 10000 + (10000 + rateBp)) / (2 * (10000 + rateBp)));

function natureOf(accountCodes: readonly string[]) {
  const goods = accountCodes.some((c) => c.startsWith("707"));
  const services = accountCodes.some((c) => !c.startsWith("707"));
  if (goods && services) return "Livraison de biens et prestations de services";
  return goods ? "Livraison de biens" : "Prestations de services";
}

function paymentTerms(input: {
  dueDate: IsoDate | null;
  paidInAdvance: boolean;
  paidAtIssue: boolean;
  isBusiness: boolean;
  seller: Seller;
}) {
  const terms: string[] = [];
  if (input.paidInAdvance) terms.push("Facture acquittée : le règlement a été reçu avant son émission.");
  else if (input.paidAtIssue) terms.push("Facture acquittée : le règlement a été reçu à son émission.");
  else if (input.dueDate) terms.push(`Date d'échéance du paiement : ${frenchDate(input.dueDate)}.`);
  else terms.push("Paiement à réception de la facture.");
  if (input.isBusiness) terms.push(...businessMentions(input.seller));
  return terms;
}

/** "2027-03-05" → "5 mars 2027": UTC midnight falls on the same calendar day in Europe/Paris (UTC+1/+2). */
export const frenchDate = (iso: IsoDate) => formatDate(`${iso}T00:00:00Z`);

function readSeller(value: unknown): Seller {
  const s = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === "string" && v.trim() ? v : null);
  return {
    name: text(s.name) ?? "",
    legalName: text(s.legalName) ?? text(s.name) ?? "",
    legalForm: text(s.legalForm) ?? "",
    siren: text(s.siren),
    rcsCity: text(s.rcsCity),
    vatNumber: text(s.vatNumber),
    address: text(s.address) ?? "",
    latePenaltyRate: text(s.latePenaltyRate),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Lists

export const INVOICE_PAGE_SIZE = 50;

export type InvoiceFilter = { kind?: InvoiceKind; stream?: Stream; year?: number; q?: string; page?: number };

const rowSelect = {
  id: true,
  kind: true,
  number: true,
  issueDate: true,
  dueDate: true,
  stream: true,
  buyerName: true,
  buyerEmail: true,
  personId: true,
  totalExclTax: true,
  totalTax: true,
  totalInclTax: true,
  entryId: true,
  creditedInvoice: { select: { id: true, number: true } },
  creditNotes: { select: { totalInclTax: true } },
} satisfies Prisma.InvoiceSelect;

type Row = {
  issueDate: Date;
  dueDate: Date | null;
  creditNotes: { totalInclTax: number }[];
  kind: InvoiceKind;
  totalInclTax: number;
};
const toRow = <R extends Row>({ creditNotes, ...r }: R) => ({
  ...r,
  issueDate: fromSqlDate(r.issueDate),
  dueDate: r.dueDate ? fromSqlDate(r.dueDate) : null,
  /** Credited so far (invoices only). */
  creditedInclTax: creditNotes.reduce((s, n) => s + n.totalInclTax, 0),
});

/** Staff list with filters, a page of rows and the totals of everything the filter matches, per kind. */
export async function listInvoices(tx: Client, input: { poleId: string } & InvoiceFilter) {
  const q = input.q?.trim();
  const where = {
    poleId: input.poleId,
    ...(input.kind ? { kind: input.kind } : {}),
    ...(input.stream ? { stream: input.stream } : {}),
    ...(input.year ? { year: input.year } : {}),
    ...(q
      ? {
          OR: [
            { number: { contains: q, mode: "insensitive" as const } },
            { buyerName: { contains: q, mode: "insensitive" as const } },
            { buyerEmail: { contains: q, mode: "insensitive" as const } },
          ],
        }
      : {}),
  };
  const page = Math.max(1, input.page ?? 1);
  const [rows, sums, years] = await Promise.all([
    tx.invoice.findMany({
      where,
      select: rowSelect,
      orderBy: [{ issueDate: "desc" }, { kind: "asc" }, { sequence: "desc" }],
      skip: (page - 1) * INVOICE_PAGE_SIZE,
      take: INVOICE_PAGE_SIZE,
    }),
    tx.invoice.groupBy({
      by: ["kind"],
      where,
      _count: { _all: true },
      _sum: { totalExclTax: true, totalTax: true, totalInclTax: true },
    }),
    tx.invoice.findMany({
      where: { poleId: input.poleId },
      distinct: ["year"],
      select: { year: true },
      orderBy: { year: "desc" },
    }),
  ]);
  const sumOf = (kind: InvoiceKind) => {
    const s = sums.find((x) => x.kind === kind);
    return {
      count: s?._count._all ?? 0,
      exclTax: s?._sum.totalExclTax ?? 0,
      tax: s?._sum.totalTax ?? 0,
      inclTax: s?._sum.totalInclTax ?? 0,
    };
  };
  const invoices = sumOf("INVOICE");
  const creditNotes = sumOf("CREDIT_NOTE");
  const total = invoices.count + creditNotes.count;
  return {
    rows: rows.map(toRow),
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / INVOICE_PAGE_SIZE)),
    totals: {
      invoices,
      creditNotes,
      net: {
        exclTax: invoices.exclTax - creditNotes.exclTax,
        tax: invoices.tax - creditNotes.tax,
        inclTax: invoices.inclTax - creditNotes.inclTax,
      },
    },
    years: years.map((y) => y.year),
  };
}

/** A person's invoices and credit notes in this pole, newest first (for "Mon compte"). */
export async function listPersonInvoices(tx: Client, input: { poleId: string; personId: string }) {
  const rows = await tx.invoice.findMany({
    where: { poleId: input.poleId, personId: input.personId },
    select: rowSelect,
    orderBy: [{ issueDate: "desc" }, { kind: "asc" }, { sequence: "desc" }],
  });
  return rows.map(toRow);
}
