import { beforeEach, describe, expect, it } from "vitest";
import { createFiscalYear, parisDate, post } from "~/domain/ledger/index.server";
import { isoDate } from "~/domain/ledger/dates";
import { cents } from "~/domain/money";
import * as staffPdf from "~/routes/gestion+/rapport-annuel[.pdf]";
import * as staffPage from "~/routes/gestion+/rapport-annuel";
import * as membersPdf from "~/routes/transparence_.rapport-annuel[.pdf]";
import * as membersPage from "~/routes/transparence_.rapport-annuel";
import { db } from "~/utils/db.server";
import { createPole } from "../factories";
import {
  callRoute,
  logInEveryRole,
  makeRequest,
  resetDatabase,
  routeCallers,
  type Handler,
  type Role,
} from "../helpers";
import { pdfText } from "../pdf-text";

// Who reads the annual report (decision 025): staff and admins in the back office, members — who vote on it at
// the general assembly — on the transparency pages, page and PDF alike; users and visitors do not. A year that
// does not exist is a French 404, an unreadable one a 400.

const cookies: Record<Role, string> = { ADMIN: "", STAFF: "", MEMBER: "", USER: "" };
const { get } = routeCallers(cookies);
const thisYear = Number(parisDate(new Date()).slice(0, 4));
let poleId: string;
let lastYearId: string;
let thisYearId: string;

async function fiscalYear(year: number) {
  const made = await createFiscalYear(db, {
    poleId,
    startDate: isoDate(`${year}-01-01`),
    endDate: isoDate(`${year}-12-31`),
  });
  if (!made.ok) throw new Error(made.message);
  return made.value.id;
}

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db, { name: "Pôle des Coteaux" })).id;
  await logInEveryRole(poleId, cookies);
  lastYearId = await fiscalYear(thisYear - 1);
  thisYearId = await fiscalYear(thisYear);
  await post(db, {
    poleId,
    sourceKey: "vente",
    date: isoDate(`${thisYear - 1}-06-30`),
    journal: "OD",
    label: "Vente",
    pieceRef: "V1",
    lines: [
      { account: "512000", debit: cents(120_000) },
      { account: "706100", credit: cents(120_000) },
    ],
  });
});

const PAGES = [
  ["/gestion/rapport-annuel", staffPage.loader, ["STAFF", "ADMIN"], ["MEMBER", "USER"]],
  ["/gestion/rapport-annuel.pdf", staffPdf.loader, ["STAFF", "ADMIN"], ["MEMBER", "USER"]],
  ["/transparence/rapport-annuel", membersPage.loader, ["STAFF", "ADMIN", "MEMBER"], ["USER"]],
  ["/transparence/rapport-annuel.pdf", membersPdf.loader, ["STAFF", "ADMIN", "MEMBER"], ["USER"]],
] as const satisfies readonly (readonly [string, Handler, readonly Role[], readonly Role[]])[];

const refusal = (path: string) =>
  path.startsWith("/gestion")
    ? "Cette page est réservée à l'équipe du pôle."
    : "Cette page est réservée aux membres du pôle.";

describe("who reads it", () => {
  it.each(PAGES)(
    "%s opens for its readers, refuses the others in French, sends visitors to log in",
    async (path, loader, readers, refused) => {
      for (const role of readers) expect((await get(loader, path, role)).status, role).toBe(200);
      for (const role of refused) {
        const response = await get(loader, path, role);
        expect(response.status, role).toBe(403);
        expect(await response.json()).toEqual({ message: refusal(path) });
      }
      const visitor = await get(loader, path, null);
      expect(visitor.status).toBe(302);
      expect(visitor.headers.get("Location")).toMatch(/^\/connexion/);
    },
  );
});

describe("the page", () => {
  it("opens on the latest year that has ended, and shows another one asked for", async () => {
    const view = (await (await get(staffPage.loader, "/gestion/rapport-annuel")).json()) as {
      years: { id: string; label: string }[];
      report: { fiscalYear: { id: string; label: string }; revenue: { total: { actual: number } } };
    };
    expect(view.years.map((y) => y.label)).toEqual([`Exercice ${thisYear}`, `Exercice ${thisYear - 1}`]);
    expect(view.report.fiscalYear).toMatchObject({ id: lastYearId, label: `Exercice ${thisYear - 1}` });
    expect(view.report.revenue.total.actual).toBe(120_000);
    const asked = await get(membersPage.loader, `/transparence/rapport-annuel?exercice=${thisYearId}`, "MEMBER");
    expect(((await asked.json()) as typeof view).report.fiscalYear.id).toBe(thisYearId);
  });

  it.each(PAGES)(
    "%s answers an unknown year with a French 404 and an unreadable one with a 400",
    async (path, loader) => {
      const unknown = await get(loader, `${path}?exercice=inconnu`, "ADMIN");
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ message: "Cet exercice n'existe pas." });
      for (const bad of [encodeURIComponent("2026\u0007"), "x".repeat(65)]) {
        const response = await get(loader, `${path}?exercice=${bad}`, "ADMIN");
        expect(response.status).toBe(400);
        expect(((await response.json()) as { message: string }).message).toMatch(/[ée]/);
      }
    },
  );

  it("says so when the pole has no fiscal year yet: an empty page, no PDF", async () => {
    await resetDatabase();
    poleId = (await createPole(db)).id;
    await logInEveryRole(poleId, cookies);
    const page = await get(staffPage.loader, "/gestion/rapport-annuel");
    expect(page.status).toBe(200);
    expect(await page.json()).toEqual({ years: [], report: null });
    const pdf = await get(staffPdf.loader, "/gestion/rapport-annuel.pdf");
    expect(pdf.status).toBe(404);
    expect(await pdf.json()).toEqual({
      message: "Aucun exercice n'est encore ouvert : il n'y a pas de rapport annuel.",
    });
  });
});

describe("the PDF", () => {
  it("is a PDF download naming the pole, the year and each stream", async () => {
    const response = await callRoute(
      membersPdf.loader,
      makeRequest(`/transparence/rapport-annuel.pdf?exercice=${lastYearId}`, { cookie: cookies.MEMBER }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="rapport-annuel-${thisYear - 1}.pdf"`,
    );
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = pdfText(body);
    for (const words of [
      "Pôle des Coteaux",
      `Exercice ${thisYear - 1}`,
      "Coworking",
      "Terres agricoles",
      "Financement participatif",
      "Formations",
    ])
      expect(text).toContain(words);
  });
});
