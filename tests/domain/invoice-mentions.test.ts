import { beforeEach, describe, expect, it } from "vitest";
import { invoicePaidSale } from "~/domain/booking/sales.server";
import {
  getInvoiceForViewer,
  issueCreditNote,
  issueInvoice,
  LedgerError,
  organisationBuyer,
  personBuyer,
  poleIdentityGaps,
  professionalPersonBuyer,
  renderInvoicePdf,
  type IssueInvoiceInput,
} from "~/domain/ledger/index.server";
import { isoDate } from "~/domain/ledger/dates";
import { VAT_EXEMPTIONS } from "~/domain/ledger/vat";
import { identityGaps } from "~/domain/ledger/legal-identity";
import { cents } from "~/domain/money";
import { db, inTransaction, type Tx } from "~/utils/db.server";
import { pdf } from "~/utils/pdf.server";
import {
  createLandTerms,
  createOrganisation,
  createPerson,
  createPlot,
  createPole,
  createRunningLease,
} from "../factories";
import { resetDatabase } from "../helpers";
import { pdfText } from "../pdf-text";

// Every legal mention of an invoice (decision 022; CGI ann. II art. 242 nonies A, Code de commerce L441-9,
// L441-10, D441-5): the seller's full identity from the pole's settings, the buyer's address and SIREN, the due
// date, the exemption per line, and the late-payment mentions for professional buyers only.

const NOW = new Date("2027-03-01T08:00:00Z");
const TODAY = isoDate("2027-03-01");

const FULL_IDENTITY = {
  legalName: "SCIC La Vallée Fertile",
  legalForm: "SCIC SAS",
  capitalVariable: true,
  siren: "912345675",
  rcsCity: "Toulouse",
  vatNumber: "FR65912345675",
  addressLine: "Domaine de la Luzernière",
  postalCode: "31450",
  city: "Montgiscard",
};

beforeEach(resetDatabase);

const documentOf = async (poleId: string, invoiceId: string) =>
  (await getInvoiceForViewer(db, { poleId, invoiceId, personId: "", isStaff: true }))!;
const pdfTextOf = async (poleId: string, invoiceId: string) =>
  pdfText(await renderInvoicePdf(await documentOf(poleId, invoiceId))).replace(/\s+/g, " ");
/** The PDF text, as pdf() writes it (no-break spaces in amounts), with runs of spaces made one. */
const expectInPdf = (text: string, expected: string) => expect(text).toContain(pdf(expected).replace(/\s+/g, " "));

/** A farmer's lease on the real path: application, offer, acceptance — which invoices the first month's rent. */
async function farmerLease(poleId: string) {
  await createLandTerms(db, { poleId, year: 2027 });
  const plot = await createPlot(db, { poleId, code: "P01", surfaceM2: 20_000, rentPerHectareCents: 18_000 });
  const staff = await createPerson(db, { poleId, role: "STAFF" });
  const farmer = await createPerson(db, {
    poleId,
    name: "Jeanne Cazals",
    address: "Chemin du Canal\n31450 Donneville",
    siren: "842136574",
  });
  const lease = await createRunningLease(db, {
    poleId,
    plotId: plot.id,
    farmerId: farmer.id,
    staffId: staff.id,
    startsOn: TODAY,
    endsOn: isoDate("2027-09-01"),
    frequency: "MONTHLY",
    now: NOW,
  });
  const instalment = await db.rentInstalment.findFirstOrThrow({
    where: { leaseId: lease.id, status: "INVOICED" },
  });
  return { farmer, invoiceId: instalment.invoiceId! };
}

describe("a farmer's land rent: a professional buyer", () => {
  it("prints the seller's full identity, the 261 D 1° exemption, the buyer's address, penalties and the 40 € indemnity", async () => {
    const pole = await createPole(db, FULL_IDENTITY);
    await db.pole.update({ where: { id: pole.id }, data: { latePenaltyRate: "10 % par an" } });
    const { invoiceId } = await farmerLease(pole.id);

    const invoice = await db.invoice.findUniqueOrThrow({ where: { id: invoiceId }, include: { lines: true } });
    expect([invoice.buyerIsBusiness, invoice.buyerAddress, invoice.buyerSiren]).toEqual([
      true,
      "Chemin du Canal\n31450 Donneville",
      "842136574",
    ]);
    expect(invoice.lines.map((l) => [l.vatRateBp, l.vatExemption])).toEqual([
      [0, "Exonération de TVA, article 261 D 1° du CGI"],
    ]);

    const text = await pdfTextOf(pole.id, invoiceId);
    for (const expected of [
      "SCIC La Vallée Fertile",
      "SCIC SAS à capital variable",
      "RCS Toulouse 912345675",
      "Domaine de la Luzernière, 31450 Montgiscard",
      "N° de TVA intracommunautaire FR65912345675",
      "Jeanne Cazals",
      "Chemin du Canal",
      "31450 Donneville",
      "SIREN 842136574",
      "F-2027-0001",
      "Exonération de TVA, article 261 D 1° du CGI",
      "Pas d'escompte pour paiement anticipé.",
      "Pénalités de retard : 10 % par an, exigibles dès le lendemain de la date d'échéance (article L441-10 du Code de commerce).",
      "indemnité forfaitaire pour frais de recouvrement de 40 €",
      "(articles L441-10 et D441-5 du Code de commerce)",
    ]) {
      expectInPdf(text, expected);
    }
    // The old wording is gone.
    expect(text).not.toContain("TVA non applicable");
  });
});

describe("a coworking day bought by a person: a consumer", () => {
  it("has no late-payment mentions, and says it was paid when issued", async () => {
    const pole = await createPole(db, FULL_IDENTITY);
    // Her SIREN (she is a sole trader too) is not printed on what she buys as a consumer.
    const person = await createPerson(db, {
      poleId: pole.id,
      name: "Léa Fabre",
      address: "3 rue de l'Église\n31000 Toulouse",
      siren: "853729143",
    });
    const invoice = await inTransaction(db, (tx: Tx) =>
      invoicePaidSale(tx, {
        poleId: pole.id,
        personId: person.id,
        sourceKey: "booking:1",
        lines: [
          {
            description: "Poste nomade — journée",
            quantity: 1,
            unitInclTax: cents(1800),
            vatRateBp: 2000,
            accountCode: "706100",
          },
        ],
        method: "STRIPE",
        now: NOW,
      }),
    );
    const document = await documentOf(pole.id, invoice.id);
    expect(document.buyer).toMatchObject({
      address: "3 rue de l'Église\n31000 Toulouse",
      siren: null,
      isBusiness: false,
    });
    // Settled as it was issued: due that day, and said so.
    expect(document.dueDate).toBe("2027-03-01");
    expect(document.paymentTerms).toEqual(["Facture acquittée : le règlement a été reçu à son émission."]);
    const text = await pdfTextOf(pole.id, invoice.id);
    expectInPdf(text, "3 rue de l'Église");
    expectInPdf(text, "RCS Toulouse 912345675");
    for (const absent of ["Pénalités", "indemnité forfaitaire", "escompte", "L441-10", "SIREN 853729143"])
      expect(text).not.toContain(absent);
  });
});

describe("buyers", () => {
  it("an organisation is a business: its address from street, postal code and city, its SIREN from its SIRET", async () => {
    const pole = await createPole(db, FULL_IDENTITY);
    const organisation = await createOrganisation(db, {
      poleId: pole.id,
      name: "Biomasse Sud-Ouest",
      siret: "84412345500025",
      address: "12 rue Ampère",
      postalCode: "31670",
      city: "Labège",
    });
    const buyer = organisationBuyer(organisation);
    expect(buyer).toEqual({
      name: "Biomasse Sud-Ouest",
      address: "12 rue Ampère\n31670 Labège",
      siren: "844123455",
      isBusiness: true,
      organisationId: organisation.id,
    });
    const { invoice } = await issueInvoice(db, sale(pole.id, { buyer }));
    expect([invoice.buyerSiren, invoice.buyerIsBusiness, invoice.buyerAddress]).toEqual([
      "844123455",
      true,
      "12 rue Ampère\n31670 Labège",
    ]);
    const text = await pdfTextOf(pole.id, invoice.id);
    for (const expected of ["12 rue Ampère", "31670 Labège", "SIREN 844123455", "Pénalités de retard"])
      expectInPdf(text, expected);
    // A credit note keeps the buyer as invoiced.
    const { invoice: note } = await issueCreditNote(db, {
      poleId: pole.id,
      invoiceId: invoice.id,
      sourceKey: "cancel",
      issueDate: isoDate("2027-03-02"),
      reason: "Erreur",
    });
    expect([note.buyerSiren, note.buyerIsBusiness, note.buyerAddress, note.dueDate]).toEqual([
      "844123455",
      true,
      "12 rue Ampère\n31670 Labège",
      null,
    ]);
  });

  it("a person buys at their profile's address; an organisation without address or SIRET prints only its name", async () => {
    const pole = await createPole(db, FULL_IDENTITY);
    const person = await createPerson(db, { poleId: pole.id, address: "  " });
    expect(personBuyer(person)).toMatchObject({ address: null, isBusiness: false, personId: person.id });
    expect(professionalPersonBuyer({ ...person, siren: null }).isBusiness).toBe(true);
    const bare = await createOrganisation(db, { poleId: pole.id, name: "Collectif" });
    expect(organisationBuyer(bare)).toMatchObject({ address: null, siren: null, isBusiness: true });
  });

  it("refuses a buyer's SIREN that is not 9 digits, writing nothing", async () => {
    const pole = await createPole(db, FULL_IDENTITY);
    const error = await issueInvoice(db, sale(pole.id, { buyer: { name: "X", siren: "1234" } })).catch((e) => e);
    expect(error).toBeInstanceOf(LedgerError);
    expect([error.field, error.message]).toEqual(["buyer.siren", "Le SIREN du client compte 9 chiffres."]);
    expect(await db.invoice.count()).toBe(0);
  });
});

const sale = (poleId: string, overrides: Partial<IssueInvoiceInput> = {}): IssueInvoiceInput => ({
  poleId,
  sourceKey: "sale:1",
  issueDate: TODAY,
  stream: "COWORKING",
  buyer: { name: "Léa Fabre" },
  lines: [{ description: "Salle", quantity: 1, unitInclTax: cents(12_000), vatRateBp: 2000, accountCode: "706100" }],
  ...overrides,
});

describe("due date", () => {
  it("is the issue date plus the pole's payment terms, unless the caller gives one or the sale is already paid", async () => {
    const pole = await createPole(db, FULL_IDENTITY);
    await db.pole.update({ where: { id: pole.id }, data: { paymentTermDays: 45 } });
    const due = async (overrides: Partial<IssueInvoiceInput>) =>
      (await issueInvoice(db, sale(pole.id, overrides))).invoice.dueDate?.toISOString().slice(0, 10);
    expect(await due({ sourceKey: "a" })).toBe("2027-04-15");
    expect(await due({ sourceKey: "b", dueDate: isoDate("2027-03-10") })).toBe("2027-03-10");
    expect(await due({ sourceKey: "c", receivableAccount: "512000" })).toBe("2027-03-01");
    const document = await documentOf(pole.id, (await db.invoice.findFirstOrThrow({ where: { sourceKey: "a" } })).id);
    expect(document.paymentTerms[0]).toBe("Date d'échéance du paiement : 15 avril 2027.");
  });

  it("refuses a due date before the issue date", async () => {
    const pole = await createPole(db, FULL_IDENTITY);
    const error = await issueInvoice(db, sale(pole.id, { dueDate: isoDate("2027-02-28") })).catch((e) => e);
    expect([error.field, error.message]).toEqual(["dueDate", "L'échéance ne peut pas précéder la date de la facture."]);
    expect(await db.invoice.count()).toBe(0);
  });
});

describe("an incomplete legal identity", () => {
  it("is listed, and an invoice issued meanwhile prints what it has and says what it lacks", async () => {
    const pole = await createPole(db, { legalName: "SCIC du Pôle", siren: null, vatNumber: null });
    expect(identityGaps(pole)).toEqual([
      "la forme juridique (SCIC SA, SAS ou SARL)",
      "le SIREN",
      "la ville d'immatriculation au RCS",
    ]);
    expect(identityGaps({ ...pole, addressLine: "" })).toContain("l'adresse du siège");

    const { invoice } = await issueInvoice(db, sale(pole.id));
    const document = await documentOf(pole.id, invoice.id);
    // The sale charged VAT: the pole's VAT number is missing too.
    expect(document.sellerGaps).toEqual(identityGaps(pole, { chargesVat: true }));
    expect(document.sellerGaps).toContain("le numéro de TVA intracommunautaire");
    expect(await poleIdentityGaps(db, pole)).toEqual(document.sellerGaps);
    const text = await pdfTextOf(pole.id, invoice.id);
    expectInPdf(text, "SCIC du Pôle");
    expectInPdf(text, "SCIC à capital variable");
    // Nothing made up: no RCS, no SIREN, no VAT number.
    for (const absent of ["RCS", "SIREN", "TVA intracommunautaire"]) expect(text).not.toContain(absent);

    // Completed, the next invoice carries it all; the first keeps what it was issued with.
    await db.pole.update({
      where: { id: pole.id },
      data: { legalForm: "SCIC SA", siren: "912345675", rcsCity: "Toulouse", vatNumber: "FR65912345675" },
    });
    const completed = await db.pole.findUniqueOrThrow({ where: { id: pole.id } });
    expect(await poleIdentityGaps(db, completed)).toEqual([]);
    const { invoice: next } = await issueInvoice(db, sale(pole.id, { sourceKey: "sale:2" }));
    expect((await documentOf(pole.id, next.id)).sellerGaps).toEqual([]);
    expectInPdf(await pdfTextOf(pole.id, next.id), "SCIC SA à capital variable");
    expect((await documentOf(pole.id, invoice.id)).sellerGaps).toHaveLength(4);
  });

  it("asks for the VAT number once the pole charges VAT, then on its exempt invoices too", async () => {
    const pole = await createPole(db, { ...FULL_IDENTITY, vatNumber: null });
    expect(identityGaps(pole)).toEqual([]);
    const rent = (sourceKey: string, issueDate: string) =>
      issueInvoice(
        db,
        sale(pole.id, {
          sourceKey,
          issueDate: isoDate(issueDate),
          stream: "LAND",
          lines: [
            {
              description: "Fermage",
              quantity: 1,
              unitInclTax: cents(50_000),
              vatRateBp: 0,
              vatExemption: VAT_EXEMPTIONS.LAND_RENT,
              accountCode: "706300",
            },
          ],
        }),
      );
    const gapsOf = async (invoiceId: string) => (await documentOf(pole.id, invoiceId)).sellerGaps;
    const VAT_NUMBER = ["le numéro de TVA intracommunautaire"];

    // Exempt sales only (a pole under the franchise would be here): no VAT number asked for.
    const before = await rent("rent:1", "2027-03-01");
    expect(await gapsOf(before.invoice.id)).toEqual([]);
    expect(await poleIdentityGaps(db, pole)).toEqual([]);

    // The first sale charging VAT: the pole is identified for VAT, its number is due on that invoice and after.
    const taxed = await issueInvoice(db, sale(pole.id, { sourceKey: "sale:2", issueDate: isoDate("2027-03-02") }));
    expect(await gapsOf(taxed.invoice.id)).toEqual(VAT_NUMBER);
    expect(await poleIdentityGaps(db, pole)).toEqual(VAT_NUMBER);
    const after = await rent("rent:2", "2027-03-03");
    expect(await gapsOf(after.invoice.id)).toEqual(VAT_NUMBER);
    // The exempt invoice issued before it lacked nothing it owed then.
    expect(await gapsOf(before.invoice.id)).toEqual([]);
  });

  it("reads a seller snapshot taken before decision 022 as it was, with the statutory late-payment mention", async () => {
    const pole = await createPole(db, FULL_IDENTITY);
    const organisation = await createOrganisation(db, { poleId: pole.id });
    const { invoice } = await issueInvoice(db, sale(pole.id, { buyer: organisationBuyer(organisation) }));
    await inTransaction(db, async (tx) => {
      // Invoices are append-only: turn the trigger off for this transaction only, as a data migration would.
      await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
      await tx.invoice.update({
        where: { id: invoice.id },
        data: {
          buyerIsBusiness: false,
          seller: {
            name: "Pôle",
            legalName: "SCIC La Vallée Fertile",
            legalForm: "SCIC",
            siren: "912345675",
            vatNumber: null,
            address: "Domaine de la Luzernière, 31450 Montgiscard",
          },
        },
      });
    });
    const document = await documentOf(pole.id, invoice.id);
    expect(document.seller).toMatchObject({ legalForm: "SCIC", rcsCity: null, latePenaltyRate: null });
    expect(document.sellerGaps).toEqual([
      "la forme juridique (SCIC SA, SAS ou SARL)",
      "la ville d'immatriculation au RCS",
      "le numéro de TVA intracommunautaire",
    ]);
    // An organisation was the business buyer before the flag existed.
    expect(document.buyer.isBusiness).toBe(true);
    expect(document.paymentTerms.slice(1)).toEqual([
      "Pas d'escompte pour paiement anticipé.",
      expect.stringContaining("taux de refinancement de la Banque centrale européenne majoré de 10 points"),
    ]);
    expectInPdf(await pdfTextOf(pole.id, invoice.id), "SIREN 912345675");
  });
});

describe("exemption mentions", () => {
  it("reads as the CGI words them", () => {
    expect(VAT_EXEMPTIONS).toEqual({
      LAND_RENT: "Exonération de TVA, article 261 D 1° du CGI",
      TRAINING: "Exonération de TVA, article 261-4-4° a du CGI",
      FRANCHISE: "TVA non applicable, article 293 B du CGI",
    });
  });
});
