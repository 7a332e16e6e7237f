import { beforeEach, describe, expect, it } from "vitest";
import { issueInvoice } from "~/domain/ledger/index.server";
import { VAT_EXEMPTIONS } from "~/domain/ledger/vat";
import * as account from "~/routes/compte+/_index";
import * as printable from "~/routes/factures+/$invoiceId";
import * as pdfRoute from "~/routes/factures+/$invoiceId[.pdf]";
import * as staffDetail from "~/routes/gestion+/factures.$invoiceId";
import * as staffList from "~/routes/gestion+/factures._index";
import { db } from "~/utils/db.server";
import { createPerson, createPole } from "../factories";
import { callRoute, errorsOf, makeRequest, resetDatabase, sessionCookie } from "../helpers";
import { pdfText } from "../pdf-text";
import { isoDate } from "~/domain/ledger/dates";
import { cents } from "~/domain/money";

let poleId: string;
let invoiceId: string;
const cookies = { owner: "", other: "", member: "", staff: "" };

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db, { legalName: "SCIC Vallée Fertile", siren: "912345675" })).id;
  const owner = await createPerson(db, { poleId, name: "Léa Fabre" });
  cookies.owner = await sessionCookie(owner.id);
  cookies.other = await sessionCookie((await createPerson(db, { poleId })).id);
  cookies.member = await sessionCookie((await createPerson(db, { poleId, role: "MEMBER" })).id);
  cookies.staff = await sessionCookie((await createPerson(db, { poleId, role: "STAFF" })).id);
  const { invoice } = await issueInvoice(db, {
    poleId,
    sourceKey: "lease:1:2026-03",
    issueDate: isoDate("2026-03-01"),
    stream: "LAND",
    buyer: { name: "Léa Fabre", personId: owner.id, address: "3 rue de l'Église, 31000 Toulouse" },
    lines: [
      {
        description: "Location de la parcelle P-12 — mars",
        quantity: 1,
        unitInclTax: cents(12_000),
        vatRateBp: 0,
        accountCode: "706300",
      },
    ],
    vatMention: VAT_EXEMPTIONS.LAND_RENT,
  });
  invoiceId = invoice.id;
});

const get = (
  loader: Parameters<typeof callRoute>[0],
  path: string,
  cookie?: string,
  params: Record<string, string> = { invoiceId },
) => callRoute(loader, makeRequest(path, { cookie }), params);

describe("printable invoice page and PDF: who may see them", () => {
  it.each([
    ["/factures/:id", printable.loader],
    ["/factures/:id.pdf", pdfRoute.loader],
  ] as const)("%s opens for the buyer and for staff", async (_, loader) => {
    for (const cookie of [cookies.owner, cookies.staff]) {
      expect((await get(loader, `/factures/${invoiceId}`, cookie)).status).toBe(200);
    }
  });

  it.each([
    ["/factures/:id", printable.loader],
    ["/factures/:id.pdf", pdfRoute.loader],
  ] as const)("%s answers 404 to anyone else, as for an unknown invoice", async (_, loader) => {
    for (const cookie of [cookies.other, cookies.member]) {
      const response = await get(loader, `/factures/${invoiceId}`, cookie);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: "Cette facture n'existe pas ou ne vous est pas adressée." });
    }
    const unknown = await get(loader, "/factures/inconnue", cookies.staff, { invoiceId: "inconnue" });
    expect(unknown.status).toBe(404);
  });

  it.each([
    ["/factures/:id", printable.loader],
    ["/factures/:id.pdf", pdfRoute.loader],
  ] as const)("%s sends a visitor to log in", async (_, loader) => {
    const response = await get(loader, `/factures/${invoiceId}.pdf`);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(
      `/connexion?redirectTo=${encodeURIComponent(`/factures/${invoiceId}.pdf`)}`,
    );
  });

  it("the page carries the document with its mentions", async () => {
    const response = await get(printable.loader, `/factures/${invoiceId}`, cookies.owner);
    const body = await response.json();
    expect(body.isStaff).toBe(false);
    expect(body.document).toMatchObject({
      number: "F-2026-0001",
      lines: [{ vatRateBp: 0, vatExemption: "Exonération de TVA, article 261 D 1° du CGI" }],
      buyer: { address: "3 rue de l'Église, 31000 Toulouse" },
      totals: { inclTax: 12_000 },
    });
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
  });

  it("the PDF is an attachment named after the number, and says it", async () => {
    const response = await get(pdfRoute.loader, `/factures/${invoiceId}.pdf`, cookies.owner);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="F-2026-0001.pdf"');
    const body = Buffer.from(await response.arrayBuffer());
    expect(response.headers.get("Content-Length")).toBe(String(body.length));
    expect(body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = pdfText(body);
    expect(text).toContain("F-2026-0001");
    expect(text).toContain("Location de la parcelle P-12 — mars");
    expect(text).toContain("Exonération de TVA, article 261 D 1° du CGI");
  });
});

describe("Mon compte lists the person's invoices", () => {
  it("shows the buyer's documents and nobody else's", async () => {
    const mine = await (await callRoute(account.loader, makeRequest("/compte", { cookie: cookies.owner }))).json();
    expect(mine.invoices.map((i: { number: string; totalInclTax: number }) => [i.number, i.totalInclTax])).toEqual([
      ["F-2026-0001", 12_000],
    ]);
    const theirs = await (await callRoute(account.loader, makeRequest("/compte", { cookie: cookies.other }))).json();
    expect(theirs.invoices).toEqual([]);
  });
});

describe("staff invoice screens", () => {
  it("refuses the list and the detail to users and members, and sends visitors to log in", async () => {
    for (const [loader, path] of [
      [staffList.loader, "/gestion/factures"],
      [staffDetail.loader, `/gestion/factures/${invoiceId}`],
    ] as const) {
      for (const cookie of [cookies.owner, cookies.member]) expect((await get(loader, path, cookie)).status).toBe(403);
      expect((await get(loader, path)).status).toBe(302);
      expect((await get(loader, path, cookies.staff)).status).toBe(200);
    }
    const action = await callRoute(
      staffDetail.action,
      makeRequest(`/gestion/factures/${invoiceId}`, {
        cookie: cookies.owner,
        form: { reason: "Je veux", idempotencyKey: "0123456789abcdef" },
      }),
      { invoiceId },
    );
    expect(action.status).toBe(403);
    expect(await db.invoice.count({ where: { kind: "CREDIT_NOTE" } })).toBe(0);
  });

  it("lists with filters and ignores a filter it cannot read", async () => {
    const list = async (query: string) =>
      (await (await get(staffList.loader, `/gestion/factures${query}`, cookies.staff)).json()) as {
        rows: { number: string }[];
        totals: { net: { inclTax: number } };
      };
    expect((await list("")).rows.map((r) => r.number)).toEqual(["F-2026-0001"]);
    expect((await list("")).totals.net.inclTax).toBe(12_000);
    expect((await list("?kind=CREDIT_NOTE")).rows).toEqual([]);
    expect((await list("?stream=LAND&year=2026&q=l%C3%A9a")).rows).toHaveLength(1);
    expect((await list("?year=2025")).rows).toEqual([]);
    expect((await list("?year=abc&kind=NOPE&stream=&page=-3")).rows).toHaveLength(1);
  });

  it("the detail answers 404 for an unknown invoice", async () => {
    expect((await get(staffDetail.loader, "/gestion/factures/x", cookies.staff, { invoiceId: "x" })).status).toBe(404);
  });
});

describe("cancelling an invoice by a credit note", () => {
  const cancel = (form: Record<string, string>, id = invoiceId) =>
    callRoute(staffDetail.action, makeRequest(`/gestion/factures/${id}`, { cookie: cookies.staff, form }), {
      invoiceId: id,
    });

  it("issues the credit note today, once per form", async () => {
    const { idempotencyKey } = await (
      await get(staffDetail.loader, `/gestion/factures/${invoiceId}`, cookies.staff)
    ).json();
    const first = await cancel({ reason: "Bail résilié au 28 février", idempotencyKey });
    expect(first.status).toBe(302);
    const note = await db.invoice.findFirstOrThrow({ where: { kind: "CREDIT_NOTE" } });
    expect(first.headers.get("Location")).toBe(`/gestion/factures/${invoiceId}?avoir=${note.id}`);
    expect([note.creditedInvoiceId, note.totalInclTax, note.sourceKey]).toEqual([
      invoiceId,
      12_000,
      `credit-note:${invoiceId}:${idempotencyKey}`,
    ]);
    expect(note.number).toBe(`AV-${note.year}-0001`);
    // The same form sent twice (a double click, a retry) gives the same credit note.
    const again = await cancel({ reason: "Bail résilié au 28 février", idempotencyKey });
    expect(again.headers.get("Location")).toBe(first.headers.get("Location"));
    expect(await db.invoice.count({ where: { kind: "CREDIT_NOTE" } })).toBe(1);
    const detail = await (await get(staffDetail.loader, `/gestion/factures/${invoiceId}`, cookies.staff)).json();
    expect(detail.document.creditNotes.map((n: { number: string }) => n.number)).toEqual([note.number]);
  });

  it.each([
    [{ reason: "", idempotencyKey: "0123456789abcdef" }, "reason", "Indiquez le motif de l'annulation."],
    [{ reason: "  ", idempotencyKey: "0123456789abcdef" }, "reason", "Le motif doit compter au moins 3 caractères."],
    [
      { reason: "x".repeat(501), idempotencyKey: "0123456789abcdef" },
      "reason",
      "Le motif ne peut pas dépasser 500 caractères.",
    ],
    [{ reason: "Erreur de tarif" }, "idempotencyKey", "Le formulaire a expiré : rechargez la page puis recommencez."],
    [
      { reason: "Erreur de tarif", idempotencyKey: "'; DROP" },
      "idempotencyKey",
      "Le formulaire a expiré : rechargez la page puis recommencez.",
    ],
  ])("refuses %o with a French message on %s", async (form, field, message) => {
    const response = await cancel(form);
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[field]).toEqual([message]);
    expect(await db.invoice.count({ where: { kind: "CREDIT_NOTE" } })).toBe(0);
  });

  it("refuses to credit an invoice already fully credited, and to credit a credit note", async () => {
    expect((await cancel({ reason: "Première annulation", idempotencyKey: "first-key-0000000001" })).status).toBe(302);
    const twice = await cancel({ reason: "Deuxième annulation", idempotencyKey: "second-key-000000002" });
    expect(twice.status).toBe(422);
    expect((await errorsOf(twice))[""]).toEqual(["Le total des avoirs dépasserait le montant de la facture."]);
    const note = await db.invoice.findFirstOrThrow({ where: { kind: "CREDIT_NOTE" } });
    const onNote = await cancel({ reason: "Annuler l'avoir", idempotencyKey: "third-key-0000000003" }, note.id);
    expect(onNote.status).toBe(404);
    expect((await errorsOf(onNote))[""]).toEqual(["Cette facture n'existe pas."]);
    expect(await db.invoice.count({ where: { kind: "CREDIT_NOTE" } })).toBe(1);
  });
});
