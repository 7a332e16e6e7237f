import { beforeEach, describe, expect, it } from "vitest";
import { post } from "~/domain/ledger/index.server";
import { decodeLatin9 } from "~/domain/ledger/latin9";
import * as csvRoute from "~/routes/gestion+/comptabilite.exports.ecritures[.csv]";
import * as fecRoute from "~/routes/gestion+/comptabilite.exports.fec";
import * as page from "~/routes/gestion+/comptabilite.exports";
import { db } from "~/utils/db.server";
import { createPerson, createPole } from "../factories";
import { callRoute, errorsOf, makeRequest, resetDatabase, sessionCookie } from "../helpers";
import { isoDate } from "~/domain/ledger/dates";
import { cents } from "~/domain/money";

const SIREN = "912345675";
let poleId: string;
let fiscalYearId: string;
const cookies: Record<"ADMIN" | "STAFF" | "MEMBER" | "USER", string> = { ADMIN: "", STAFF: "", MEMBER: "", USER: "" };

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db, { siren: SIREN })).id;
  for (const role of ["ADMIN", "STAFF", "MEMBER", "USER"] as const) {
    cookies[role] = await sessionCookie((await createPerson(db, { poleId, role })).id);
  }
  await post(db, {
    poleId,
    sourceKey: "subsidy:region",
    date: isoDate("2027-03-15"),
    journal: "BQ",
    label: "Subvention Région — Évaluation",
    pieceRef: "REG-1",
    lines: [
      { account: "512000", debit: cents(1_234_56) },
      { account: "740000", credit: cents(1_234_56) },
    ],
  });
  fiscalYearId = (await db.fiscalYear.findFirstOrThrow({ where: { poleId } })).id;
});

const CSV = `/gestion/comptabilite/exports/ecritures.csv?from=2027-01-01&to=2027-12-31`;
const FEC = () => `/gestion/comptabilite/exports/fec?fiscalYearId=${fiscalYearId}`;
const ROUTES = [
  ["page", page.loader, () => "/gestion/comptabilite/exports"],
  ["CSV", csvRoute.loader, () => CSV],
  ["FEC", fecRoute.loader, FEC],
] as const;

describe("access to the exports", () => {
  it.each(ROUTES)("%s sends a visitor to log in", async (_, loader, path) => {
    const response = await callRoute(loader, makeRequest(path()));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/connexion\?redirectTo=/);
  });

  it.each(ROUTES)("%s refuses a plain user and a member with a French 403 and no data", async (_, loader, path) => {
    for (const role of ["USER", "MEMBER"] as const) {
      const response = await callRoute(loader, makeRequest(path(), { cookie: cookies[role] }));
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ message: "Cette page est réservée à l'équipe du pôle." });
    }
  });

  it.each(ROUTES)("%s opens for staff and admins", async (_, loader, path) => {
    for (const role of ["STAFF", "ADMIN"] as const) {
      const response = await callRoute(loader, makeRequest(path(), { cookie: cookies[role] }));
      expect(response.status).toBe(200);
    }
  });
});

describe("downloads", () => {
  it("the page lists the fiscal years and the default period", async () => {
    const response = await callRoute(
      page.loader,
      makeRequest("/gestion/comptabilite/exports", { cookie: cookies.STAFF }),
    );
    const data = await response.json();
    expect(data.hasSiren).toBe(true);
    expect(data.encoding).toBe("ISO-8859-15");
    expect(data.years).toEqual([
      { id: fiscalYearId, startDate: "2027-01-01", endDate: "2027-12-31", closed: false, entries: 1 },
    ]);
  });

  it("the CSV comes as an attachment named after the period, with a BOM", async () => {
    const response = await callRoute(csvRoute.loader, makeRequest(CSV, { cookie: cookies.STAFF }));
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(
      'attachment; filename="ecritures-2027-01-01-2027-12-31.csv"',
    );
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
    const lines = text.split("\r\n");
    expect(lines[0].startsWith("\uFEFFDate;Journal;N° pièce;Libellé")).toBe(true);
    expect(lines.slice(1, 3)).toEqual([
      "15/03/2027;BQ;REG-1;Subvention Région — Évaluation;512000;Banque;1234,56;;;;subsidy:region;",
      "15/03/2027;BQ;REG-1;Subvention Région — Évaluation;740000;Subventions d'exploitation;;1234,56;Subventions;;subsidy:region;",
    ]);
    expect(lines.slice(3)).toEqual([""]);
  });

  it("the FEC comes as an ISO 8859-15 attachment named <SIREN>FEC<closing date>.txt", async () => {
    const response = await callRoute(fecRoute.loader, makeRequest(FEC(), { cookie: cookies.ADMIN }));
    expect(response.headers.get("Content-Type")).toBe("text/plain; charset=ISO-8859-15");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${SIREN}FEC20271231.txt"`);
    const body = Buffer.from(await response.arrayBuffer());
    expect(response.headers.get("Content-Length")).toBe(String(body.byteLength));
    const [header, first, second, end] = decodeLatin9(body).split("\r\n");
    expect(header.split("\t")).toHaveLength(18);
    expect(first.split("\t").slice(0, 13)).toEqual([
      "BQ",
      "Banque",
      "1",
      "20270315",
      "512000",
      "Banque",
      "",
      "",
      "REG-1",
      "20270315",
      "Subvention Région - Évaluation",
      "1234,56",
      "0,00",
    ]);
    expect(second.split("\t")[2]).toBe("1");
    expect(end).toBe("");
  });
});

describe("bad queries get a French 4xx, never a 500", () => {
  it.each([
    ["no period", "/gestion/comptabilite/exports/ecritures.csv", 400, /date de début/],
    ["no end", "/gestion/comptabilite/exports/ecritures.csv?from=2027-01-01", 400, /date de fin valide/],
    [
      "an impossible date",
      "/gestion/comptabilite/exports/ecritures.csv?from=2027-02-30&to=2027-03-01",
      400,
      /date de début valide/,
    ],
    [
      "year 0",
      "/gestion/comptabilite/exports/ecritures.csv?from=0000-01-01&to=2027-03-01",
      400,
      /date de début valide/,
    ],
    [
      "a French-formatted date",
      "/gestion/comptabilite/exports/ecritures.csv?from=01/01/2027&to=2027-03-01",
      400,
      /date de début valide/,
    ],
    [
      "an end before the start",
      "/gestion/comptabilite/exports/ecritures.csv?from=2027-03-01&to=2027-02-01",
      400,
      /fin doit suivre/,
    ],
    ["repeated garbage", "/gestion/comptabilite/exports/ecritures.csv?from=x&from=y&to=%00", 400, /date/],
  ] as const)("CSV: %s", async (_, path, status, message) => {
    const response = await callRoute(csvRoute.loader, makeRequest(path, { cookie: cookies.STAFF }));
    expect(response.status).toBe(status);
    expect((await errorsOf(response))[""][0]).toMatch(message);
  });

  it("FEC: no fiscal year, an unknown one, another pole's one", async () => {
    const otherPole = (await createPole(db, { siren: "552100554" })).id;
    const otherYear = await db.fiscalYear.create({
      data: { poleId: otherPole, startDate: new Date("2027-01-01"), endDate: new Date("2027-12-31") },
    });
    const cases = [
      ["/gestion/comptabilite/exports/fec", 400, /Choisissez un exercice/],
      ["/gestion/comptabilite/exports/fec?fiscalYearId=", 400, /Choisissez un exercice/],
      ["/gestion/comptabilite/exports/fec?fiscalYearId=inconnu", 404, /n'existe pas/],
      [`/gestion/comptabilite/exports/fec?fiscalYearId=${"x".repeat(500)}`, 400, /n'existe pas/],
      [`/gestion/comptabilite/exports/fec?fiscalYearId=${otherYear.id}`, 404, /n'existe pas/],
    ] as const;
    for (const [path, status, message] of cases) {
      const response = await callRoute(fecRoute.loader, makeRequest(path, { cookie: cookies.STAFF }));
      expect(response.status, path).toBe(status);
      expect((await errorsOf(response))[""][0]).toMatch(message);
    }
  });

  it("FEC: a pole without SIREN is asked to fill it in the settings", async () => {
    await db.pole.update({ where: { id: poleId }, data: { siren: null } });
    const response = await callRoute(fecRoute.loader, makeRequest(FEC(), { cookie: cookies.STAFF }));
    expect(response.status).toBe(409);
    expect((await errorsOf(response))[""][0]).toMatch(/Renseignez le SIREN du pôle dans les paramètres/);
    const pageData = await (
      await callRoute(page.loader, makeRequest("/gestion/comptabilite/exports", { cookie: cookies.ADMIN }))
    ).json();
    expect(pageData).toMatchObject({ hasSiren: false, canEditSettings: true });
  });
});
