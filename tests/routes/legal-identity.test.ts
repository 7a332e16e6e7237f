import { parse } from "node-html-parser";
import { beforeEach, describe, expect, it } from "vitest";
import { issueInvoice } from "~/domain/ledger/index.server";
import { isoDate } from "~/domain/ledger/dates";
import { cents } from "~/domain/money";
import * as staffDetail from "~/routes/gestion+/factures.$invoiceId";
import * as staffList from "~/routes/gestion+/factures._index";
import * as settings from "~/routes/gestion+/parametres";
import { db } from "~/utils/db.server";
import { createPerson, createPole } from "../factories";
import { callRoute, makeRequest, resetDatabase, sessionCookie } from "../helpers";
import { useHttpServer } from "../http-server";

// The pole's legal identity is a setting staff fill once (decision 022). Until it is complete, the back office's
// invoice pages and the settings page say what is missing and link to where it is filled in; an invoice issued
// meanwhile says, on its staff page, what it was issued without.

const server = useHttpServer();
let poleId: string;
let cookies: { staff: string; admin: string };

beforeEach(async () => {
  await resetDatabase();
  // As a pole starts: a legal name and an address, the form "SCIC" of old, no SIREN, no RCS city.
  poleId = (await createPole(db, { legalName: "SCIC du Pôle", siren: null, vatNumber: null })).id;
  cookies = {
    staff: await sessionCookie((await createPerson(db, { poleId, role: "STAFF" })).id),
    admin: await sessionCookie((await createPerson(db, { poleId, role: "ADMIN" })).id),
  };
});

const issue = async (sourceKey: string) =>
  (
    await issueInvoice(db, {
      poleId,
      sourceKey,
      issueDate: isoDate("2027-03-01"),
      stream: "COWORKING",
      buyer: { name: "Léa Fabre" },
      lines: [{ description: "Salle", quantity: 1, unitInclTax: cents(6000), vatRateBp: 2000, accountCode: "706100" }],
    })
  ).invoice.id;

const page = async (path: string, cookie = cookies.staff) => {
  const response = await fetch(`${server.baseUrl}${path}`, { headers: { Cookie: cookie } });
  expect(response.status).toBe(200);
  return parse(await response.text());
};

const WARNING = "L'identité légale du pôle est incomplète.";
const warningOf = (html: ReturnType<typeof parse>) =>
  html.querySelectorAll(".notice-warning").find((n) => n.text.includes(WARNING)) ?? null;

const complete = () =>
  db.pole.update({
    where: { id: poleId },
    data: { legalForm: "SCIC SAS", siren: "912345675", rcsCity: "Toulouse", vatNumber: "FR65912345675" },
  });

describe("an incomplete legal identity in the back office", () => {
  it("is said on the invoice list, on an invoice and on the settings page, with a link to the settings", async () => {
    const invoiceId = await issue("sale:1");
    for (const path of ["/gestion/factures", `/gestion/factures/${invoiceId}`]) {
      const warning = warningOf(await page(path));
      expect(warning, path).not.toBeNull();
      expect(warning!.text.replace(/\s+/g, " ")).toContain(
        "Il manque la forme juridique (SCIC SA, SAS ou SARL), le SIREN, la ville d'immatriculation au RCS et le numéro de TVA intracommunautaire.",
      );
      expect(warning!.querySelector("a")?.getAttribute("href")).toBe("/gestion/parametres#identite-legale");
    }
    const settingsPage = await page("/gestion/parametres", cookies.admin);
    expect(warningOf(settingsPage)?.querySelector("a")?.getAttribute("href")).toBe("#identite-legale");
    // The link lands on the fieldset that holds the identity.
    expect(settingsPage.querySelector("#identite-legale")?.querySelector("legend")?.text).toBe(
      "Identité légale (imprimée sur les factures)",
    );
    expect(settingsPage.querySelector("#identite-legale select[name=legalForm]")).not.toBeNull();
    expect(settingsPage.querySelector("#identite-legale input[name=rcsCity]")).not.toBeNull();

    // The invoice issued meanwhile says what it lacks, and prints only what it has.
    const detail = await page(`/gestion/factures/${invoiceId}`);
    expect(detail.text.replace(/\s+/g, " ")).toContain(
      "Cette facture a été émise sans la forme juridique (SCIC SA, SAS ou SARL), le SIREN, la ville d'immatriculation au RCS et le numéro de TVA intracommunautaire du pôle",
    );
    const sheet = detail.querySelector(".invoice-sheet")!.text;
    expect(sheet).not.toContain("SIREN");
    expect(sheet).not.toContain("RCS");
  });

  it("goes once the identity is complete; the invoice issued before keeps its own notice", async () => {
    const before = await issue("sale:1");
    await complete();
    const after = await issue("sale:2");
    expect(warningOf(await page("/gestion/factures"))).toBeNull();
    expect(warningOf(await page("/gestion/parametres", cookies.admin))).toBeNull();
    const old = await page(`/gestion/factures/${before}`);
    expect(warningOf(old)).toBeNull();
    expect(old.text).toContain("Cette facture a été émise sans");
    const fresh = await page(`/gestion/factures/${after}`);
    expect(fresh.text).not.toContain("a été émise sans");
    expect(fresh.querySelector(".invoice-sheet")!.text).toContain("RCS Toulouse 912345675");
    expect(fresh.querySelector(".invoice-sheet")!.text).toContain("SCIC SAS à capital variable");
  });

  it("the loaders name what is missing", async () => {
    const invoiceId = await issue("sale:1");
    const gaps = [
      "la forme juridique (SCIC SA, SAS ou SARL)",
      "le SIREN",
      "la ville d'immatriculation au RCS",
      "le numéro de TVA intracommunautaire",
    ];
    const json = async (loader: Parameters<typeof callRoute>[0], path: string, params = {}) =>
      (await callRoute(loader, makeRequest(path, { cookie: cookies.staff }), params)).json();
    expect((await json(staffList.loader, "/gestion/factures")).identityGaps).toEqual(gaps);
    expect((await json(staffDetail.loader, `/gestion/factures/${invoiceId}`, { invoiceId })).identityGaps).toEqual(
      gaps,
    );
    expect((await json(settings.loader, "/gestion/parametres")).identityGaps).toEqual(gaps);
    await complete();
    expect((await json(staffList.loader, "/gestion/factures")).identityGaps).toEqual([]);
  });
});
