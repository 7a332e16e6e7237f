import pg from "pg";
import { beforeEach, describe, expect, it } from "vitest";
import {
  getInvoiceForViewer,
  listInvoices,
  listPersonInvoices,
  vatSummary,
} from "~/domain/ledger/invoice-documents.server";
import { renderInvoicePdf } from "~/domain/ledger/invoice-pdf.server";
import { pdf } from "~/utils/pdf.server";
import { issueCreditNote, issueInvoice, LedgerError, type IssueInvoiceInput } from "~/domain/ledger/index.server";
import { VAT_EXEMPTIONS } from "~/domain/ledger/vat";
import { inTransaction, db, type Tx } from "~/utils/db.server";
import { createOrganisation, createPerson, createPole } from "../factories";
import { resetDatabase } from "../helpers";
import { pdfText, pdfTextItems, pdfTextPages } from "../pdf-text";
import { isoDate } from "~/domain/ledger/dates";
import { cents } from "~/domain/money";

let poleId: string;
let buyerId: string;
beforeEach(async () => {
  await resetDatabase();
  poleId = (
    await createPole(db, {
      legalName: "SCIC Vallée Fertile",
      legalForm: "SCIC SAS",
      siren: "912345675",
      rcsCity: "Toulouse",
      vatNumber: "FR65912345675",
      addressLine: "12 route des Vergers",
      postalCode: "31450",
      city: "Montgiscard",
    })
  ).id;
  buyerId = (await createPerson(db, { poleId, name: "Léa Fabre" })).id;
});

const desk = {
  description: "Journée de coworking",
  quantity: 1,
  unitInclTax: cents(1000),
  vatRateBp: 2000,
  accountCode: "706100",
};
const rent = {
  description: "Location de la parcelle P-12",
  quantity: 1,
  unitInclTax: cents(12_000),
  vatRateBp: 0,
  accountCode: "706300",
};

const sale = (overrides: Partial<IssueInvoiceInput> = {}): IssueInvoiceInput => ({
  poleId,
  sourceKey: "booking:1",
  issueDate: isoDate("2027-03-05"),
  stream: "COWORKING",
  buyer: {
    name: "Léa Fabre",
    email: "lea@exemple.test",
    address: "3 rue de l'Église, 31000 Toulouse",
    personId: buyerId,
  },
  lines: [desk],
  ...overrides,
});

const entryLines = (entryId: string | null) =>
  db.entryLine
    .findMany({ where: { entryId: entryId ?? "" }, include: { account: true }, orderBy: { id: "asc" } })
    .then((lines) => lines.map((l) => [l.account.code, l.debit, l.credit]));

/**
 * Rewrites issued rows the way an older version stored them. Invoices are append-only (a trigger refuses any
 * update): the test turns the triggers off for its own transaction only, as a data migration would.
 */
const asLegacy = (rewrite: (tx: Tx) => Promise<void>) =>
  inTransaction(db, async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
    await rewrite(tx);
  });

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LedgerError);
  return error as LedgerError;
}

const numbers = async (kind: "INVOICE" | "CREDIT_NOTE" = "INVOICE") =>
  (await db.invoice.findMany({ where: { poleId, kind }, orderBy: { sequence: "asc" } })).map((i) => i.number);

describe("VAT split", () => {
  it("splits a VAT-included line half-up on the line: 10,00 € at 20 % is 8,33 € + 1,67 €", async () => {
    const { invoice } = await issueInvoice(db, sale());
    expect(invoice.lines.map((l) => [l.exclTax, l.tax, l.inclTax])).toEqual([[833, 167, 1000]]);
    expect([invoice.totalExclTax, invoice.totalTax, invoice.totalInclTax]).toEqual([833, 167, 1000]);
  });

  it("computes the tax on each line and adds the lines up", async () => {
    // 3 × 10,00 € = 30,00 € → 25,00 + 5,00; 7,00 € → 5,83 + 1,17 (5,8333 rounds down); 0,05 € → 0,04 + 0,01.
    const { invoice } = await issueInvoice(
      db,
      sale({
        lines: [
          { ...desk, quantity: 3 },
          { ...desk, unitInclTax: cents(700) },
          { ...desk, description: "Café", unitInclTax: cents(5) },
        ],
      }),
    );
    expect(invoice.lines.map((l) => [l.exclTax, l.tax])).toEqual([
      [2500, 500],
      [583, 117],
      [4, 1],
    ]);
    expect([invoice.totalExclTax, invoice.totalTax, invoice.totalInclTax]).toEqual([3087, 618, 3705]);
  });

  it("keeps the exemption mention when a line is at 0 %, and drops it when none is", async () => {
    const land = await issueInvoice(
      db,
      sale({ sourceKey: "lease:1", stream: "LAND", lines: [rent], vatMention: VAT_EXEMPTIONS.LAND_RENT }),
    );
    expect(land.invoice.vatMention).toBe("Exonération de TVA, article 261 D 1° du CGI");
    expect(land.invoice.lines.map((l) => [l.exclTax, l.tax, l.vatExemption])).toEqual([
      [12_000, 0, "Exonération de TVA, article 261 D 1° du CGI"],
    ]);
    const taxed = await issueInvoice(db, sale({ sourceKey: "booking:2", vatMention: VAT_EXEMPTIONS.LAND_RENT }));
    expect(taxed.invoice.vatMention).toBeNull();
    expect(taxed.invoice.lines.map((l) => l.vatExemption)).toEqual([null]);
  });

  it("names each 0 % line's own exemption, and lists them on the invoice", async () => {
    const { invoice } = await issueInvoice(
      db,
      sale({
        lines: [
          desk,
          { ...rent, vatExemption: VAT_EXEMPTIONS.LAND_RENT },
          { ...rent, description: "Formation", accountCode: "706200", vatExemption: VAT_EXEMPTIONS.TRAINING },
        ],
      }),
    );
    expect(invoice.lines.map((l) => l.vatExemption)).toEqual([
      null,
      "Exonération de TVA, article 261 D 1° du CGI",
      "Exonération de TVA, article 261-4-4° a du CGI",
    ]);
    expect(invoice.vatMention).toBe(
      "Exonération de TVA, article 261 D 1° du CGI ; Exonération de TVA, article 261-4-4° a du CGI",
    );
    const document = await getInvoiceForViewer(db, { poleId, invoiceId: invoice.id, personId: buyerId, isStaff: true });
    expect(document?.lines.map((l) => l.vatExemption)).toEqual([
      null,
      VAT_EXEMPTIONS.LAND_RENT,
      VAT_EXEMPTIONS.TRAINING,
    ]);
    expect(VAT_EXEMPTIONS.FRANCHISE).toBe("TVA non applicable, article 293 B du CGI");
  });

  it("reads the invoice-level mention of an invoice issued before lines named their exemption", async () => {
    const { invoice } = await issueInvoice(db, sale({ lines: [desk, rent], vatMention: VAT_EXEMPTIONS.LAND_RENT }));
    // As an invoice issued before decision 022 was stored: the mention on the invoice only, in the old words.
    await asLegacy(async (tx) => {
      await tx.invoiceLine.updateMany({ where: { invoiceId: invoice.id }, data: { vatExemption: null } });
      await tx.invoice.update({
        where: { id: invoice.id },
        data: { vatMention: "TVA non applicable — article 261 D 1° du CGI" },
      });
    });
    const document = await getInvoiceForViewer(db, { poleId, invoiceId: invoice.id, personId: buyerId, isStaff: true });
    expect(document?.lines.map((l) => l.vatExemption)).toEqual([null, "TVA non applicable — article 261 D 1° du CGI"]);
  });

  it("mixes rates on one invoice and sums base and tax per rate, highest rate first", async () => {
    const { invoice } = await issueInvoice(
      db,
      sale({
        lines: [
          desk,
          rent,
          { description: "Repas", quantity: 2, unitInclTax: cents(1100), vatRateBp: 1000, accountCode: "708000" },
          { ...desk, unitInclTax: cents(2400) },
        ],
        vatMention: VAT_EXEMPTIONS.LAND_RENT,
      }),
    );
    const document = await getInvoiceForViewer(db, {
      poleId,
      invoiceId: invoice.id,
      personId: buyerId,
      isStaff: false,
    });
    expect(document?.vatSummary).toEqual([
      { rateBp: 2000, base: 833 + 2000, tax: 167 + 400 },
      { rateBp: 1000, base: 2000, tax: 200 },
      { rateBp: 0, base: 12_000, tax: 0 },
    ]);
    expect(document?.totals).toEqual({ exclTax: 16_833, tax: 767, inclTax: 17_600 });
    expect(document?.lines.map((l) => l.vatExemption)).toEqual([null, VAT_EXEMPTIONS.LAND_RENT, null, null]);
    expect(vatSummary([])).toEqual([]);
  });
});

describe("ledger entries of sales documents", () => {
  it("an invoice debits 411000 with the total and credits revenue per account (excl. tax) and 445710 with the tax", async () => {
    const { invoice } = await issueInvoice(
      db,
      sale({
        lines: [desk, { ...desk, unitInclTax: cents(2400) }, { ...rent, description: "Parcelle" }],
        vatMention: VAT_EXEMPTIONS.LAND_RENT,
      }),
    );
    expect(await entryLines(invoice.entryId)).toEqual([
      ["411000", 15_400, 0],
      ["706100", 0, 833 + 2000],
      ["706300", 0, 12_000],
      ["445710", 0, 167 + 400],
    ]);
    const entry = await db.journalEntry.findUniqueOrThrow({ where: { id: invoice.entryId! } });
    expect([entry.journal, entry.pieceRef, entry.label]).toEqual([
      "VT",
      "F-2027-0001",
      "Facture F-2027-0001 — Léa Fabre",
    ]);
  });

  it("a credit note posts the opposite entry and references the invoice", async () => {
    const { invoice } = await issueInvoice(db, sale({ lines: [desk, rent], vatMention: VAT_EXEMPTIONS.LAND_RENT }));
    const { invoice: note } = await issueCreditNote(db, {
      poleId,
      invoiceId: invoice.id,
      sourceKey: "cancel:1",
      issueDate: isoDate("2027-03-10"),
      reason: "Réservation annulée",
    });
    expect(note.number).toBe("AV-2027-0001");
    expect(note.creditedInvoiceId).toBe(invoice.id);
    expect(await entryLines(note.entryId)).toEqual([
      ["411000", 0, 13_000],
      ["706100", 833, 0],
      ["706300", 12_000, 0],
      ["445710", 167, 0],
    ]);
    const document = await getInvoiceForViewer(db, { poleId, invoiceId: note.id, personId: buyerId, isStaff: false });
    expect(document?.creditedInvoice).toEqual({ id: invoice.id, number: "F-2027-0001", issueDate: "2027-03-05" });
    expect(document?.paymentTerms).toEqual([]);
    const original = await getInvoiceForViewer(db, {
      poleId,
      invoiceId: invoice.id,
      personId: buyerId,
      isStaff: false,
    });
    expect(original?.creditNotes).toEqual([
      { id: note.id, number: "AV-2027-0001", issueDate: "2027-03-10", totalInclTax: 13_000 },
    ]);
    expect(original?.creditableInclTax).toBe(0);
  });

  it("credit notes never exceed the invoice total", async () => {
    const { invoice } = await issueInvoice(db, sale({ lines: [{ ...desk, quantity: 3 }] }));
    await issueCreditNote(db, {
      poleId,
      invoiceId: invoice.id,
      sourceKey: "partial",
      issueDate: isoDate("2027-03-06"),
      reason: "Une journée annulée",
      lines: [desk],
    });
    const error = await refusal(
      issueCreditNote(db, {
        poleId,
        invoiceId: invoice.id,
        sourceKey: "full",
        issueDate: isoDate("2027-03-07"),
        reason: "Tout annuler",
      }),
    );
    expect([error.code, error.message]).toEqual([
      "INVALID",
      "Le total des avoirs dépasserait le montant de la facture.",
    ]);
    await issueCreditNote(db, {
      poleId,
      invoiceId: invoice.id,
      sourceKey: "rest",
      issueDate: isoDate("2027-03-07"),
      reason: "Le reste",
      lines: [{ ...desk, quantity: 2 }],
    });
    expect(
      (
        await refusal(
          issueCreditNote(db, {
            poleId,
            invoiceId: invoice.id,
            sourceKey: "more",
            issueDate: isoDate("2027-03-08"),
            reason: "Encore",
            lines: [{ ...desk, unitInclTax: cents(1) }],
          }),
        )
      ).code,
    ).toBe("INVALID");
    expect(await numbers("CREDIT_NOTE")).toEqual(["AV-2027-0001", "AV-2027-0002"]);
    // A credit note is not itself creditable.
    const note = await db.invoice.findFirstOrThrow({ where: { kind: "CREDIT_NOTE" } });
    expect(
      (
        await refusal(
          issueCreditNote(db, {
            poleId,
            invoiceId: note.id,
            sourceKey: "x",
            issueDate: isoDate("2027-03-08"),
            reason: "x",
          }),
        )
      ).code,
    ).toBe("NOT_FOUND");
  });

  it("keeps the credit note's reason, refuses one without reason or dated before its invoice", async () => {
    const { invoice } = await issueInvoice(db, sale());
    expect(
      (
        await refusal(
          issueCreditNote(db, {
            poleId,
            invoiceId: invoice.id,
            sourceKey: "a",
            issueDate: isoDate("2027-03-10"),
            reason: "  ",
          }),
        )
      ).field,
    ).toBe("reason");
    expect(
      (
        await refusal(
          issueCreditNote(db, {
            poleId,
            invoiceId: invoice.id,
            sourceKey: "a",
            issueDate: isoDate("2027-03-04"),
            reason: "Annulée",
          }),
        )
      ).field,
    ).toBe("issueDate");
    const { invoice: note } = await issueCreditNote(db, {
      poleId,
      invoiceId: invoice.id,
      sourceKey: "a",
      issueDate: isoDate("2027-03-05"),
      reason: "Réservation annulée",
    });
    expect(note.reason).toBe("Réservation annulée");
    const document = await getInvoiceForViewer(db, { poleId, invoiceId: note.id, personId: buyerId, isStaff: false });
    expect(document?.reason).toBe("Réservation annulée");
    expect((await pdfText(await renderInvoicePdf(document!))).replace(/\s+/g, " ")).toContain(
      "Motif : Réservation annulée",
    );
  });

  it("concurrent full credit notes on one invoice: exactly one goes through", async () => {
    const { invoice } = await issueInvoice(db, sale());
    const attempts = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        inTransaction(db, (tx) =>
          issueCreditNote(tx, {
            poleId,
            invoiceId: invoice.id,
            sourceKey: `cancel:${i}`,
            issueDate: isoDate("2027-03-10"),
            reason: "Annulée",
          }),
        ),
      ),
    );
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    expect(
      attempts.filter((a) => a.status === "rejected").map((a) => (a as PromiseRejectedResult).reason.code),
    ).toEqual(Array(5).fill("INVALID"));
    expect(await numbers("CREDIT_NOTE")).toEqual(["AV-2027-0001"]);
  });
});

describe("numbering", () => {
  it("numbers follow dates: a document dated before the previous one of its series is refused", async () => {
    await issueInvoice(db, sale({ sourceKey: "a", issueDate: isoDate("2027-03-05") }));
    const error = await refusal(issueInvoice(db, sale({ sourceKey: "b", issueDate: isoDate("2027-03-04") })));
    expect([error.field, error.message]).toEqual([
      "issueDate",
      "F-2027-0001 est daté du 5 mars 2027 : un nouveau document ne peut pas être antérieur.",
    ]);
    expect((await issueInvoice(db, sale({ sourceKey: "c", issueDate: isoDate("2027-03-05") }))).invoice.number).toBe(
      "F-2027-0002",
    );
  });

  it("refuses an exempt line without the exemption mention", async () => {
    const error = await refusal(issueInvoice(db, sale({ lines: [desk, rent] })));
    expect([error.field, error.message]).toEqual([
      "lines[1].vatExemption",
      "Une ligne sans TVA demande la mention d'exonération (article du CGI).",
    ]);
    expect(await numbers()).toEqual([]);
  });

  it("a replay with the same sourceKey returns the first invoice and consumes no number", async () => {
    const first = await issueInvoice(db, sale());
    const again = await issueInvoice(
      db,
      sale({ lines: [{ ...desk, unitInclTax: cents(99_999) }], issueDate: isoDate("2027-04-01") }),
    );
    expect(again.created).toBe(false);
    expect(again.invoice.id).toBe(first.invoice.id);
    expect(again.invoice.totalInclTax).toBe(1000);
    const next = await issueInvoice(db, sale({ sourceKey: "booking:2" }));
    expect(next.invoice.number).toBe("F-2027-0002");
    expect(await db.journalEntry.count()).toBe(2);
  });

  it("restarts at 0001 each year and keeps credit notes in their own series", async () => {
    const a = await issueInvoice(db, sale({ sourceKey: "a", issueDate: isoDate("2026-12-31") }));
    const b = await issueInvoice(db, sale({ sourceKey: "b", issueDate: isoDate("2026-12-31") }));
    const c = await issueInvoice(db, sale({ sourceKey: "c", issueDate: isoDate("2027-01-01") }));
    const note = await issueCreditNote(db, {
      poleId,
      invoiceId: b.invoice.id,
      sourceKey: "nb",
      issueDate: isoDate("2027-01-02"),
      reason: "Erreur",
    });
    const d = await issueInvoice(db, sale({ sourceKey: "d", issueDate: isoDate("2027-01-03") }));
    expect([a, b, c, note, d].map((r) => r.invoice.number)).toEqual([
      "F-2026-0001",
      "F-2026-0002",
      "F-2027-0001",
      "AV-2027-0001",
      "F-2027-0002",
    ]);
    // Another pole has its own series.
    const other = (await createPole(db)).id;
    expect((await issueInvoice(db, sale({ poleId: other, buyer: { name: "X" } }))).invoice.number).toBe("F-2027-0001");
  });
});

describe("concurrent issuing", () => {
  const issueIn = (i: number, then?: () => void) =>
    inTransaction(
      db,
      async (tx) => {
        const result = await issueInvoice(tx, sale({ sourceKey: `booking:${i}`, buyer: { name: `Client ${i}` } }));
        then?.();
        return result;
      },
      { timeout: 30_000, maxWait: 30_000 },
    );

  const expected = (n: number) => Array.from({ length: n }, (_, i) => `F-2027-${String(i + 1).padStart(4, "0")}`);

  it("20 concurrent invoices get F-2027-0001 to 0020, without gaps or duplicates", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => issueIn(i)));
    expect(results.map((r) => r.invoice.number).sort()).toEqual(expected(20));
    expect(await numbers()).toEqual(expected(20));
    expect(await db.journalEntry.count()).toBe(20);
  });

  it("transactions that roll back after issuing give their numbers back: the committed ones stay gapless", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        issueIn(i, () => {
          if (i % 3 === 0) throw new Error(`the sale ${i} failed after its invoice`);
        }),
      ),
    );
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected).toHaveLength(7);
    expect(await numbers()).toEqual(expected(13));
    const keys = (await db.invoice.findMany({ select: { sourceKey: true } })).map((i) =>
      Number(i.sourceKey.split(":")[1]),
    );
    expect(keys.filter((i) => i % 3 === 0)).toEqual([]);
    expect(await db.journalEntry.count()).toBe(13);
  });

  it("calls queued behind a counter locked by another connection number gaplessly once it commits", async () => {
    // Open the series, then hold its counter row on a second connection so every call below waits on it, and
    // releases all at once: they really run interleaved, not one after another.
    await issueIn(100);
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query(
        `SELECT "last" FROM "InvoiceCounter" WHERE "poleId" = $1 AND "kind" = 'INVOICE' AND "year" = 2027 FOR UPDATE`,
        [poleId],
      );
      const pending = Promise.allSettled(
        Array.from({ length: 12 }, (_, i) =>
          issueIn(i, () => {
            if (i % 4 === 1) throw new Error("rolled back");
          }),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Asked on the locking connection: the pool's connections are all busy waiting.
      expect((await client.query(`SELECT count(*)::int AS n FROM "Invoice"`)).rows[0].n).toBe(1);
      await client.query("COMMIT");
      const results = await pending;
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(9);
    } finally {
      await client.end();
    }
    expect(await numbers()).toEqual(expected(10));
  });
});

describe("documents and lists", () => {
  it("shows an invoice to its buyer and to staff only", async () => {
    const { invoice } = await issueInvoice(db, sale());
    const stranger = await createPerson(db, { poleId });
    expect(
      (await getInvoiceForViewer(db, { poleId, invoiceId: invoice.id, personId: buyerId, isStaff: false }))?.number,
    ).toBe("F-2027-0001");
    expect(
      await getInvoiceForViewer(db, { poleId, invoiceId: invoice.id, personId: stranger.id, isStaff: false }),
    ).toBeNull();
    expect(
      (await getInvoiceForViewer(db, { poleId, invoiceId: invoice.id, personId: stranger.id, isStaff: true }))?.number,
    ).toBe("F-2027-0001");
    expect(await getInvoiceForViewer(db, { poleId, invoiceId: "nope", personId: buyerId, isStaff: true })).toBeNull();
    const other = (await createPole(db)).id;
    expect(
      await getInvoiceForViewer(db, { poleId: other, invoiceId: invoice.id, personId: buyerId, isStaff: true }),
    ).toBeNull();
  });

  it("carries the seller's legal details as they were on the issue date", async () => {
    const { invoice } = await issueInvoice(db, sale({ dueDate: isoDate("2027-04-04") }));
    await db.pole.update({ where: { id: poleId }, data: { legalName: "Nouveau nom" } });
    const document = await getInvoiceForViewer(db, {
      poleId,
      invoiceId: invoice.id,
      personId: buyerId,
      isStaff: false,
    });
    expect(document?.seller).toEqual({
      name: expect.any(String),
      legalName: "SCIC Vallée Fertile",
      legalForm: "SCIC SAS à capital variable",
      siren: "912345675",
      rcsCity: "Toulouse",
      vatNumber: "FR65912345675",
      address: "12 route des Vergers, 31450 Montgiscard",
      latePenaltyRate: "trois fois le taux d'intérêt légal",
    });
    expect(document?.sellerGaps).toEqual([]);
    expect(document?.lines[0]).toMatchObject({ unitInclTax: 1000, unitExclTax: 833, vatRateBp: 2000 });
    // A private buyer: the due date, no business late-payment mentions.
    expect(document?.paymentTerms).toEqual(["Date d'échéance du paiement : 4 avril 2027."]);
    expect(document?.nature).toBe("Prestations de services");
  });

  it("adds the late-payment mentions for a business buyer and says when the sale was paid in advance", async () => {
    const organisation = await createOrganisation(db, { poleId, name: "Les Semeurs" });
    const b2b = await issueInvoice(
      db,
      sale({ buyer: { name: "Les Semeurs", organisationId: organisation.id }, dueDate: isoDate("2027-03-05") }),
    );
    const paid = await issueInvoice(
      db,
      sale({ sourceKey: "paid", receivableAccount: "419100", lines: [{ ...desk, accountCode: "707000" }] }),
    );
    const business = await getInvoiceForViewer(db, {
      poleId,
      invoiceId: b2b.invoice.id,
      personId: buyerId,
      isStaff: true,
    });
    expect(business?.paymentTerms).toEqual([
      "Date d'échéance du paiement : 5 mars 2027.",
      "Pas d'escompte pour paiement anticipé.",
      "Pénalités de retard : trois fois le taux d'intérêt légal, exigibles dès le lendemain de la date d'échéance (article L441-10 du Code de commerce).",
      "En cas de retard de paiement, une indemnité forfaitaire pour frais de recouvrement de 40 € est due (articles L441-10 et D441-5 du Code de commerce).",
    ]);
    const advance = await getInvoiceForViewer(db, {
      poleId,
      invoiceId: paid.invoice.id,
      personId: buyerId,
      isStaff: false,
    });
    expect(advance?.paidInAdvance).toBe(true);
    expect(advance?.paymentTerms).toEqual(["Facture acquittée : le règlement a été reçu avant son émission."]);
    expect(advance?.nature).toBe("Livraison de biens");
  });

  it("lists with filters, a search and totals per kind; a person sees only their own documents", async () => {
    const other = await createPerson(db, { poleId, name: "Marc Roux" });
    const a = await issueInvoice(db, sale({ sourceKey: "a" }));
    await issueInvoice(
      db,
      sale({
        sourceKey: "b",
        stream: "LAND",
        lines: [rent],
        vatMention: VAT_EXEMPTIONS.LAND_RENT,
        buyer: { name: "Marc Roux", personId: other.id },
      }),
    );
    await issueInvoice(db, sale({ sourceKey: "c", issueDate: isoDate("2026-06-01") }));
    await issueCreditNote(db, {
      poleId,
      invoiceId: a.invoice.id,
      sourceKey: "na",
      issueDate: isoDate("2027-03-06"),
      reason: "Erreur",
    });

    const all = await listInvoices(db, { poleId });
    expect(all.rows.map((r) => r.number)).toEqual(["AV-2027-0001", "F-2027-0002", "F-2027-0001", "F-2026-0001"]);
    expect(all.totals.invoices).toEqual({ count: 3, exclTax: 833 + 12_000 + 833, tax: 334, inclTax: 14_000 });
    expect(all.totals.creditNotes).toMatchObject({ count: 1, inclTax: 1000 });
    expect(all.totals.net.inclTax).toBe(13_000);
    expect(all.years).toEqual([2027, 2026]);
    expect(all.rows.find((r) => r.number === "F-2027-0001")?.creditedInclTax).toBe(1000);

    expect((await listInvoices(db, { poleId, kind: "CREDIT_NOTE" })).rows.map((r) => r.number)).toEqual([
      "AV-2027-0001",
    ]);
    expect((await listInvoices(db, { poleId, stream: "LAND" })).rows.map((r) => r.number)).toEqual(["F-2027-0002"]);
    expect((await listInvoices(db, { poleId, year: 2026 })).rows.map((r) => r.number)).toEqual(["F-2026-0001"]);
    expect((await listInvoices(db, { poleId, q: "marc" })).rows.map((r) => r.number)).toEqual(["F-2027-0002"]);
    expect((await listInvoices(db, { poleId, q: "av-2027" })).total).toBe(1);
    expect((await listInvoices(db, { poleId, q: "personne" })).rows).toEqual([]);

    expect((await listPersonInvoices(db, { poleId, personId: buyerId })).map((r) => r.number)).toEqual([
      "AV-2027-0001",
      "F-2027-0001",
      "F-2026-0001",
    ]);
    expect((await listPersonInvoices(db, { poleId, personId: other.id })).map((r) => r.number)).toEqual([
      "F-2027-0002",
    ]);
  });
});

describe("PDF", () => {
  it("renders an A4 PDF with the number, the legal mentions, French amounts and accents", async () => {
    const organisation = await createOrganisation(db, { poleId, name: "Les Semeurs" });
    const { invoice } = await issueInvoice(
      db,
      sale({
        buyer: {
          name: "Les Semeurs",
          address: "3 rue de l'Église\n31000 Toulouse",
          siren: "552100554",
          organisationId: organisation.id,
          personId: buyerId,
        },
        lines: [{ ...desk, quantity: 100, unitInclTax: cents(1234) }, rent],
        vatMention: VAT_EXEMPTIONS.LAND_RENT,
        dueDate: isoDate("2027-04-04"),
      }),
    );
    const document = (await getInvoiceForViewer(db, {
      poleId,
      invoiceId: invoice.id,
      personId: buyerId,
      isStaff: false,
    }))!;
    const file = await renderInvoicePdf(document);
    expect(file.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(file.includes("/MediaBox [0 0 595.28 841.89]")).toBe(true);
    const text = pdfText(file);
    for (const expected of [
      "FACTURE",
      "F-2027-0001",
      "SCIC Vallée Fertile",
      "SCIC SAS à capital variable",
      "RCS Toulouse 912345675",
      "N° de TVA intracommunautaire FR65912345675",
      "12 route des Vergers, 31450 Montgiscard",
      "Les Semeurs",
      "3 rue de l'Église",
      "SIREN 552100554",
      "5 mars 2027",
      "4 avril 2027",
      "1\u00a0234,00\u00a0€", // 100 × 12,34 € = 1 234,00 € with no-break spaces, never U+202F
      "20 %",
      "Exonération de TVA, article 261 D 1° du CGI",
      "Pas d'escompte pour paiement anticipé.",
      "Total TTC",
      "1\u00a0354,00\u00a0€",
    ]) {
      expect(text).toContain(pdf(expected));
    }
    expect(text.replace(/\s+/g, " ")).toContain("indemnité forfaitaire pour frais de recouvrement de 40 €");
    expect(text).not.toContain("\u202f");
    // Deterministic: the same document gives the same bytes.
    expect((await renderInvoicePdf(document)).equals(file)).toBe(true);
  });

  it("renders a credit note with the invoice it cancels, and spreads a long invoice over pages", async () => {
    const { invoice } = await issueInvoice(
      db,
      sale({
        lines: Array.from({ length: 60 }, (_, i) => ({
          ...desk,
          description: `Journée de coworking n° ${i + 1} — salle « Le Fournil »`,
        })),
      }),
    );
    const long = (await getInvoiceForViewer(db, { poleId, invoiceId: invoice.id, personId: buyerId, isStaff: false }))!;
    const file = await renderInvoicePdf(long, { compress: false });
    const pages = pdfTextPages(file);
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((items, i) => {
      expect(items).toContain(`F-2027-0001 — page ${i + 1}/${pages.length}`);
      // Every page that carries lines repeats the table's header.
      if (items.some((t) => t.startsWith("Journée de coworking n°"))) expect(items).toContain("Désignation");
    });
    const items = pdfTextItems(file);
    expect(items.filter((t) => t.startsWith("Journée de coworking n°"))).toHaveLength(60);
    // The totals come after the last line.
    expect(items.lastIndexOf("Total TTC")).toBeGreaterThan(
      items.findLastIndex((t) => t.startsWith("Journée de coworking n° 60")),
    );

    const { invoice: note } = await issueCreditNote(db, {
      poleId,
      invoiceId: invoice.id,
      sourceKey: "cancel",
      issueDate: isoDate("2027-03-09"),
      reason: "Erreur",
    });
    const credit = (await getInvoiceForViewer(db, { poleId, invoiceId: note.id, personId: buyerId, isStaff: false }))!;
    const text = pdfText(await renderInvoicePdf(credit)).replace(/\s+/g, " ");
    expect(text).toContain("AVOIR");
    expect(text).toContain("AV-2027-0001");
    expect(text).toContain("Avoir sur la facture F-2027-0001 du 5 mars 2027");
    expect(text).toContain("Montant de l'avoir TTC");
  });

  it("keeps to what the standard fonts can draw", () => {
    expect(pdf("1\u202f234,50\u00a0€")).toBe("1\u00a0234,50\u00a0€");
    expect(pdf("Œuvre — « été » ’")).toBe("Œuvre — « été » ’");
    expect(pdf("Łódź Győr 東京")).toBe("?ódz Gyor ??");
  });
});
