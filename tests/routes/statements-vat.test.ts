import { beforeEach, describe, expect, it } from "vitest";
import { isoDate } from "~/domain/ledger/dates";
import { issueInvoice, type FinancialStatements, type VatReturn } from "~/domain/ledger/index.server";
import { cents } from "~/domain/money";
import * as statementsPdf from "~/routes/gestion+/comptabilite.etats[.pdf]";
import * as statements from "~/routes/gestion+/comptabilite.etats";
import * as vatCsv from "~/routes/gestion+/comptabilite.tva[.csv]";
import * as vat from "~/routes/gestion+/comptabilite.tva";
import { db } from "~/utils/db.server";
import { createPole } from "../factories";
import {
  callRoute,
  errorsOf,
  json,
  logInEveryRole,
  makeRequest,
  resetDatabase,
  routeCallers,
  type Handler,
  type Role,
} from "../helpers";
import { pdfText } from "../pdf-text";

let poleId: string;
let yearId: string;
const cookies: Record<Role, string> = { ADMIN: "", STAFF: "", MEMBER: "", USER: "" };
const { get, post } = routeCallers(cookies);

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  await logInEveryRole(poleId, cookies);
  await issueInvoice(db, {
    poleId,
    sourceKey: "sale:1",
    issueDate: isoDate("2026-03-02"),
    stream: "COWORKING",
    buyer: { name: "Compost'Lauragais" },
    lines: [
      {
        description: "Postes résidents",
        quantity: 4,
        unitInclTax: cents(30_000),
        vatRateBp: 2000,
        accountCode: "706100",
      },
    ],
    receivableAccount: "512000",
  });
  yearId = (await db.fiscalYear.findFirstOrThrow({ where: { poleId } })).id;
});

const LOADERS: [string, Handler, () => string][] = [
  ["the statements page", statements.loader as Handler, () => `/gestion/comptabilite/etats?exercice=${yearId}`],
  ["the statements PDF", statementsPdf.loader as Handler, () => `/gestion/comptabilite/etats.pdf?exercice=${yearId}`],
  ["the VAT page", vat.loader as Handler, () => "/gestion/comptabilite/tva?periode=2026-03"],
  ["the VAT CSV", vatCsv.loader as Handler, () => "/gestion/comptabilite/tva.csv?periode=2026-03"],
];

const settings = { intent: "settings", vatBasis: "DEBITS", vatPeriod: "QUARTERLY" };
const auditCount = () => db.auditLog.count();

describe("permissions", () => {
  it.each(LOADERS)(
    "%s: a visitor logs in, a user and a member get a French 403, staff read it",
    async (_, loader, path) => {
      const visitor = await get(loader, path(), null);
      expect(visitor.status).toBe(302);
      expect(visitor.headers.get("Location")).toMatch(/^\/connexion\?redirectTo=/);
      for (const role of ["USER", "MEMBER"] as const) {
        const response = await get(loader, path(), role);
        expect(response.status).toBe(403);
        expect(await response.json()).toEqual({ message: "Cette page est réservée à l'équipe du pôle." });
      }
      for (const role of ["STAFF", "ADMIN"] as const) expect((await get(loader, path(), role)).status).toBe(200);
    },
  );

  it("only an administrator changes the VAT settings", async () => {
    const visitor = await callRoute(
      vat.action as Handler,
      makeRequest("/gestion/comptabilite/tva", { form: settings }),
    );
    expect(visitor.status).toBe(302);
    for (const role of ["USER", "MEMBER", "STAFF"] as const) {
      const response = await post(vat.action as Handler, "/gestion/comptabilite/tva", settings, {}, role);
      expect(response.status, role).toBe(403);
    }
    expect(await db.pole.findUniqueOrThrow({ where: { id: poleId } })).toMatchObject({
      vatBasis: "RECEIPTS",
      vatPeriod: "MONTHLY",
    });
    expect(await auditCount()).toBe(0);

    const saved = await post(vat.action as Handler, "/gestion/comptabilite/tva", settings, {}, "ADMIN");
    expect(saved.status).toBe(200);
    expect(await json(saved)).toMatchObject({ saved: true });
    expect(await db.pole.findUniqueOrThrow({ where: { id: poleId } })).toMatchObject({
      vatBasis: "DEBITS",
      vatPeriod: "QUARTERLY",
    });
    expect(await auditCount()).toBe(1);
    // The page now reads quarters on debits.
    const page = await json<{ figures: VatReturn; canEdit: boolean }>(
      await get(vat.loader as Handler, "/gestion/comptabilite/tva?periode=2026-T1", "ADMIN"),
    );
    expect(page.canEdit).toBe(true);
    expect(page.figures).toMatchObject({ basis: "DEBITS", period: { key: "2026-T1" } });
    const staffPage = await json<{ canEdit: boolean }>(await get(vat.loader as Handler, "/gestion/comptabilite/tva"));
    expect(staffPage.canEdit).toBe(false);
  });
});

describe("bad input", () => {
  it.each([["2026-13"], ["2026-T5"], ["mars-2026"], ["2026-03-01"], ["1999-12"], ["2026-0\u00003"], [""]])(
    "the period %j is a French 400, on the page and the CSV",
    async (periode) => {
      for (const loader of [vat.loader, vatCsv.loader] as Handler[]) {
        const response = await get(loader, `/gestion/comptabilite/tva?${new URLSearchParams({ periode })}`);
        expect(response.status).toBe(400);
        expect((await errorsOf(response))[""][0]).toMatch(/^Période invalide : indiquez un mois \(AAAA-MM/);
      }
    },
  );

  it("refuses settings it cannot read with French field messages, and writes nothing", async () => {
    const response = await post(
      vat.action as Handler,
      "/gestion/comptabilite/tva",
      { intent: "settings", vatBasis: "CASH", vatPeriod: "" },
      {},
      "ADMIN",
    );
    expect(response.status).toBe(400);
    expect(await errorsOf(response)).toEqual({
      vatBasis: ["Choisissez l'exigibilité : sur les encaissements ou sur les débits."],
      vatPeriod: ["Choisissez la périodicité : mensuelle ou trimestrielle."],
    });
    const unknown = await post(vat.action as Handler, "/gestion/comptabilite/tva", { intent: "purge" }, {}, "ADMIN");
    expect(unknown.status).toBe(400);
    expect(await db.pole.findUniqueOrThrow({ where: { id: poleId } })).toMatchObject({ vatBasis: "RECEIPTS" });
    expect(await auditCount()).toBe(0);
  });

  it("answers an unknown year with a 404 and an unreadable one with a 400, in French", async () => {
    for (const loader of [statements.loader, statementsPdf.loader] as Handler[]) {
      const missing = await get(loader, "/gestion/comptabilite/etats?exercice=cl0000000000000000000000");
      expect(missing.status).toBe(404);
      expect(await errorsOf(missing)).toEqual({ "": ["Cet exercice n'existe pas."] });
      const bad = await get(loader, "/gestion/comptabilite/etats?exercice=%27%3B--");
      expect(bad.status).toBe(400);
      expect(await errorsOf(bad)).toEqual({ "": ["Exercice invalide : choisissez un exercice dans la liste."] });
    }
  });
});

describe("what the pages give", () => {
  it("the statements of the year holding today by default, with the list of years", async () => {
    const explicit = await json<{ statements: FinancialStatements; years: { id: string }[] }>(
      await get(statements.loader as Handler, `/gestion/comptabilite/etats?exercice=${yearId}&comptes=1`),
    );
    expect(explicit.statements.year.id).toBe(yearId);
    expect(explicit.statements.totals.assets).toBe(explicit.statements.totals.liabilities);
    expect(explicit.statements.result.n).toBe(100_000);
    expect(explicit.years.map((y) => y.id)).toContain(yearId);
    const byDefault = await json<{ statements: FinancialStatements }>(
      await get(statements.loader as Handler, "/gestion/comptabilite/etats"),
    );
    expect(byDefault.statements.year.id).toBe(yearId);
  });

  it("the PDF is a provisional statement of the year", async () => {
    const response = await get(statementsPdf.loader as Handler, `/gestion/comptabilite/etats.pdf?exercice=${yearId}`);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toBe(
      'attachment; filename="etats-financiers-2026-provisoires.pdf"',
    );
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdfText(body)).toMatch(/PROVISOIRE/);
  });

  it("the VAT page and its CSV give the period's lines", async () => {
    const page = await json<{ figures: VatReturn; periods: { key: string }[] }>(
      await get(vat.loader as Handler, "/gestion/comptabilite/tva?periode=2026-03"),
    );
    expect(page.figures.lines.find((l) => l.code === "08")).toMatchObject({ base: 100_000, tax: 20_000 });
    expect(page.periods.map((p) => p.key)).toContain("2026-03");
    const csv = await get(vatCsv.loader as Handler, "/gestion/comptabilite/tva.csv?periode=2026-03");
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("Content-Disposition")).toBe('attachment; filename="tva-ca3-2026-03.csv"');
    expect(await csv.text()).toContain("08;Taux normal 20 %;;;;1000,00;200,00;1000;200");
  });
});
