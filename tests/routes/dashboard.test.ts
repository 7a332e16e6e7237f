import { beforeEach, describe, expect, it } from "vitest";
import { createFiscalYear, parisDate, savePlanLine } from "~/domain/ledger/index.server";
import * as planCsv from "~/routes/gestion+/plan-d-affaires[.csv]";
import * as plan from "~/routes/gestion+/plan-d-affaires";
import * as board from "~/routes/gestion+/tableau-de-bord";
import * as transparency from "~/routes/transparence";
import { db } from "~/utils/db.server";
import { createPerson, createPole } from "../factories";
import { callRoute, errorsOf, makeRequest, resetDatabase, sessionCookie } from "../helpers";
import { isoDate } from "~/domain/ledger/dates";
import { cents } from "~/domain/money";

type Role = "ADMIN" | "STAFF" | "MEMBER" | "USER";
let poleId: string;
let yearId: string;
const year = parisDate(new Date()).slice(0, 4);
const cookies: Record<Role, string> = { ADMIN: "", STAFF: "", MEMBER: "", USER: "" };

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  for (const role of ["ADMIN", "STAFF", "MEMBER", "USER"] as const) {
    cookies[role] = await sessionCookie((await createPerson(db, { poleId, role })).id);
  }
  const created = await createFiscalYear(db, {
    poleId,
    startDate: isoDate(`${year}-01-01`),
    endDate: isoDate(`${year}-12-31`),
  });
  if (!created.ok) throw new Error(created.message);
  yearId = created.value.id;
});

const get = (loader: Parameters<typeof callRoute>[0], path: string, role?: Role) =>
  callRoute(loader, makeRequest(path, role ? { cookie: cookies[role] } : {}));
const postPlan = (form: Record<string, string>, role: Role = "STAFF") =>
  callRoute(plan.action, makeRequest("/gestion/plan-d-affaires", { cookie: cookies[role], form }));

function upload(text: string | Uint8Array, role: Role = "STAFF", fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set("intent", "import");
  form.set("fiscalYearId", yearId);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (text !== "") form.set("fichier", new File([text as BlobPart], "plan.csv", { type: "text/csv" }));
  return callRoute(
    plan.action,
    new Request("http://localhost/gestion/plan-d-affaires", {
      method: "POST",
      body: form,
      headers: { Cookie: cookies[role] },
    }),
  );
}

const validLine = () => ({
  intent: "save",
  fiscalYearId: yearId,
  stream: "COWORKING",
  label: "Postes nomades",
  period: "MONTH",
  month: "3",
  amount: "1 250,00",
});

describe("access", () => {
  const STAFF_PAGES = [
    ["/gestion/tableau-de-bord", board.loader],
    ["/gestion/plan-d-affaires", plan.loader],
    ["/gestion/plan-d-affaires.csv", planCsv.loader],
  ] as const;

  it.each(STAFF_PAGES)(
    "%s opens for staff and admins, refuses members and users, sends visitors to log in",
    async (path, loader) => {
      for (const role of ["STAFF", "ADMIN"] as const) expect((await get(loader, path, role)).status).toBe(200);
      for (const role of ["MEMBER", "USER"] as const) {
        const response = await get(loader, path, role);
        expect(response.status).toBe(403);
        expect(await response.json()).toEqual({ message: "Cette page est réservée à l'équipe du pôle." });
      }
      const visitor = await get(loader, path);
      expect(visitor.status).toBe(302);
      expect(visitor.headers.get("Location")).toMatch(/^\/connexion\?redirectTo=/);
    },
  );

  it("refuses the plan's actions to members and users, writing nothing", async () => {
    for (const role of ["MEMBER", "USER"] as const) {
      expect((await postPlan(validLine(), role)).status).toBe(403);
      expect((await upload("flux;libelle;periode;mois;montant\nLAND;x;annuel;;1", role)).status).toBe(403);
    }
    expect(await db.businessPlanLine.count()).toBe(0);
    expect((await callRoute(plan.action, makeRequest("/gestion/plan-d-affaires", { form: validLine() }))).status).toBe(
      302,
    );
  });

  it("opens the transparency page to members and staff, not to plain users nor visitors", async () => {
    for (const role of ["MEMBER", "STAFF", "ADMIN"] as const)
      expect((await get(transparency.loader, "/transparence", role)).status).toBe(200);
    const user = await get(transparency.loader, "/transparence", "USER");
    expect(user.status).toBe(403);
    expect(await user.json()).toEqual({ message: "Cette page est réservée aux membres du pôle." });
    const visitor = await get(transparency.loader, "/transparence");
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toMatch(/^\/connexion\?redirectTo=%2Ftransparence/);
  });

  it("shows members the same figures as staff, and no third party", async () => {
    await savePlanLine(db, {
      poleId,
      fiscalYearId: yearId,
      stream: "LAND",
      label: "Fermages",
      period: "YEAR",
      amount: cents(1_200_000),
    });
    const staff = (await (await get(board.loader, "/gestion/tableau-de-bord", "STAFF")).json()) as { figures: unknown };
    const member = (await (await get(transparency.loader, "/transparence", "MEMBER")).json()) as {
      view: { figures: { total: { plan: number } } };
    };
    expect(member.view.figures).toEqual(staff.figures);
    expect(member.view.figures.total.plan).toBe(1_200_000);
  });
});

describe("the period picker", () => {
  const view = async (query: string) => {
    const response = await get(board.loader, `/gestion/tableau-de-bord${query}`, "STAFF");
    expect(response.status).toBe(200);
    return (await response.json()) as {
      errors: Record<string, string>;
      period: { fiscalYear: { id: string }; from: string; to: string };
      figures: { perMonth: unknown[] };
    };
  };

  it("shows the current fiscal year by default and a month range on request", async () => {
    expect(await view("")).toMatchObject({
      errors: {},
      period: { fiscalYear: { id: yearId }, from: `${year}-01`, to: `${year}-12` },
    });
    const range = await view(`?exercice=${yearId}&du=${year}-03&au=${year}-05`);
    expect(range.period).toMatchObject({ from: `${year}-03`, to: `${year}-05` });
    expect(range.figures.perMonth).toHaveLength(3);
  });

  it.each([
    ["?exercice=inconnu", "exercice", "Cet exercice n'existe pas : voici l'exercice en cours."],
    ["?du=2027-13", "du", "Choisissez un mois de début dans la liste."],
    ["?au=juin", "au", "Choisissez un mois de fin dans la liste."],
    ["?du=1999-01", "du", "Ce mois n'appartient pas à l'exercice choisi : la période commence au premier mois."],
    [`?du=${year}-06&au=${year}-02`, "au", "Le mois de fin doit suivre le mois de début : toute l'année est affichée."],
    [`?exercice=${"x".repeat(500)}`, "exercice", expect.any(String)],
  ])("falls back on a bad query (%#) with a French message for the field", async (query, field, message) => {
    const body = await view(query);
    expect(body.errors[field]).toEqual(message);
    expect(body.period).toMatchObject({ fiscalYear: { id: yearId }, from: `${year}-01`, to: `${year}-12` });
  });

  it("says so when the pole has no fiscal year yet", async () => {
    await resetDatabase();
    const pole = await createPole(db);
    const staff = await sessionCookie((await createPerson(db, { poleId: pole.id, role: "STAFF" })).id);
    const body = await (
      await callRoute(board.loader, makeRequest("/gestion/tableau-de-bord", { cookie: staff }))
    ).json();
    expect(body).toMatchObject({ years: [], period: null, figures: null });
  });
});

describe("business plan forms", () => {
  it("adds a line, then edits and deletes it", async () => {
    const added = await postPlan(validLine());
    expect(added.status).toBe(302);
    expect(added.headers.get("Location")).toBe(`/gestion/plan-d-affaires?exercice=${yearId}&enregistre=ajoutee`);
    const line = await db.businessPlanLine.findFirstOrThrow();
    expect(line).toMatchObject({
      stream: "COWORKING",
      label: "Postes nomades",
      period: "MONTH",
      month: 3,
      amount: 125_000,
    });

    const page = await (
      await get(plan.loader, `/gestion/plan-d-affaires?exercice=${yearId}&ligne=${line.id}`, "STAFF")
    ).json();
    expect(page.editing).toMatchObject({ id: line.id, amount: 125_000 });

    const edited = await postPlan({ ...validLine(), id: line.id, period: "YEAR", month: "", amount: "48000" });
    expect(edited.status).toBe(302);
    expect(await db.businessPlanLine.findFirstOrThrow()).toMatchObject({
      period: "YEAR",
      month: null,
      amount: 4_800_000,
    });

    expect((await postPlan({ intent: "delete", id: line.id })).status).toBe(302);
    expect(await db.businessPlanLine.count()).toBe(0);
  });

  it.each([
    [{ stream: "" }, "stream", "Choisissez un flux de recettes dans la liste."],
    [{ stream: "PARKING" }, "stream", "Choisissez un flux de recettes dans la liste."],
    [{ label: "   " }, "label", "Indiquez un libellé."],
    [{ label: "x".repeat(121) }, "label", "Le libellé tient en 120 caractères."],
    [{ period: "WEEK" }, "period", "Choisissez une période : mensuelle ou annuelle."],
    [{ month: "" }, "month", "Choisissez le mois d'une ligne mensuelle."],
    [{ month: "13" }, "month", "Choisissez un mois de 1 à 12."],
    [{ month: "mars" }, "month", "Choisissez un mois de 1 à 12."],
    [{ period: "YEAR", month: "4" }, "month", "Une ligne annuelle ne porte pas de mois : laissez-le vide."],
    [{ amount: "" }, "amount", "Indiquez un montant en euros."],
    [{ amount: "-10" }, "amount", "Indiquez un montant positif en euros, par exemple 1 250,00."],
    [{ amount: "12,345" }, "amount", "Indiquez un montant positif en euros, par exemple 1 250,00."],
    [{ amount: "beaucoup" }, "amount", "Indiquez un montant positif en euros, par exemple 1 250,00."],
    [{ amount: "99999999999" }, "amount", "Ce montant est trop élevé pour un objectif de plan d'affaires."],
    // Above what a PostgreSQL integer of cents holds: refused by the schema, never a database error.
    [{ amount: "30000000" }, "amount", "Ce montant est trop élevé pour un objectif de plan d'affaires."],
    [{ fiscalYearId: "" }, "fiscalYearId", "Choisissez un exercice."],
  ])("refuses %o with a 400 and a French field message", async (overrides, field, message) => {
    const response = await postPlan({ ...validLine(), ...overrides });
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[field]).toEqual([message]);
    expect(await db.businessPlanLine.count()).toBe(0);
  });

  it("refuses a duplicate line (409 on the label), an unknown year or line (404)", async () => {
    expect((await postPlan(validLine())).status).toBe(302);
    const twin = await postPlan({ ...validLine(), label: "POSTES NOMADES" });
    expect(twin.status).toBe(409);
    expect((await errorsOf(twin)).label).toEqual(["Une ligne de ce flux porte déjà ce libellé pour cette période."]);
    const noYear = await postPlan({ ...validLine(), fiscalYearId: "inconnu" });
    expect(noYear.status).toBe(404);
    expect((await errorsOf(noYear))[""]).toEqual(["Cet exercice n'existe pas."]);
    const noLine = await postPlan({ ...validLine(), id: "inconnue" });
    expect(noLine.status).toBe(404);
    const otherPole = await createPole(db);
    const foreign = await savePlanLine(db, {
      poleId: otherPole.id,
      fiscalYearId: (
        (await createFiscalYear(db, {
          poleId: otherPole.id,
          startDate: isoDate("2030-01-01"),
          endDate: isoDate("2030-12-31"),
        })) as {
          value: { id: string };
        }
      ).value.id,
      stream: "LAND",
      label: "x",
      period: "YEAR",
      amount: cents(1),
    });
    if (!foreign.ok) throw new Error(foreign.message);
    expect((await postPlan({ intent: "delete", id: foreign.value.id })).status).toBe(404);
    expect(await db.businessPlanLine.count()).toBe(2);
  });

  it("refuses a delete without a line, an unknown intent and a second opening of the year", async () => {
    const noId = await postPlan({ intent: "delete" });
    expect(noId.status).toBe(400);
    expect((await errorsOf(noId)).id).toEqual(["Choisissez la ligne à supprimer."]);
    const unknown = await postPlan({ intent: "tout-effacer" });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ message: "Action inconnue : rechargez la page et réessayez." });
    const again = await postPlan({ intent: "create-year" });
    expect(again.status).toBe(409);
    expect((await errorsOf(again))[""]?.[0]).toMatch(/chevauche/);
  });

  it("opens the current year when none covers today", async () => {
    await db.fiscalYear.delete({ where: { id: yearId } });
    const page = await (await get(plan.loader, "/gestion/plan-d-affaires", "STAFF")).json();
    expect(page).toMatchObject({ selected: null, todayYear: year });
    const created = await postPlan({ intent: "create-year" });
    expect(created.status).toBe(302);
    expect(await db.fiscalYear.count({ where: { poleId } })).toBe(1);
  });
});

describe("plan CSV import and export", () => {
  it("imports a file and exports it back", async () => {
    const imported = await upload(
      "flux;libelle;periode;mois;montant\nLAND;Fermages;annuel;;18 000,00\nCOWORKING;Postes;mensuel;1;4000",
    );
    expect(imported.status).toBe(200);
    expect(await imported.json()).toMatchObject({ intent: "import", imported: { created: 2, updated: 0 } });
    const csv = await get(planCsv.loader, `/gestion/plan-d-affaires.csv?exercice=${yearId}`, "STAFF");
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("Content-Disposition")).toBe(`attachment; filename="plan-d-affaires-${year}.csv"`);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toContain("LAND;Fermages;annuel;;18000,00");
  });

  it("answers 404 for the CSV of an unknown year", async () => {
    expect((await get(planCsv.loader, "/gestion/plan-d-affaires.csv?exercice=inconnu", "STAFF")).status).toBe(404);
  });

  it.each([
    ["", "Choisissez un fichier CSV à importer."],
    [
      new Uint8Array([0x66, 0x6c, 0x75, 0x78, 0xe9, 0x3b]),
      "Ce fichier n'est pas un CSV en UTF-8 : enregistrez-le au format « CSV UTF-8 » depuis votre tableur.",
    ],
    ["nom,montant\nx,1", expect.stringMatching(/^La première ligne du fichier doit nommer les colonnes/)],
  ])("refuses a missing, non-UTF-8 or headerless file with a 400 on the file field (%#)", async (content, message) => {
    const response = await upload(content);
    expect(response.status).toBe(400);
    expect((await errorsOf(response)).fichier).toEqual([message]);
  });

  it("lists the bad rows and writes nothing", async () => {
    const response = await upload(
      "flux;libelle;periode;mois;montant\nLAND;Fermages;annuel;;100\nPARKING;x;annuel;;1\nLAND;y;mensuel;0;1",
    );
    expect(response.status).toBe(400);
    expect((await errorsOf(response)).fichier).toEqual(["2 ligne(s) invalide(s) : rien n'a été importé."]);
    const body = (await response.json()) as { rows: { line: number; field: string; message: string }[] };
    expect(body.rows.map((r) => [r.line, r.field])).toEqual([
      [3, "flux"],
      [4, "mois"],
    ]);
    expect(await db.businessPlanLine.count()).toBe(0);
  });

  it("refuses an oversized upload with a 413", async () => {
    const response = await upload("flux;libelle;periode;mois;montant\n" + "LAND;x;annuel;;1\n".repeat(20_000));
    expect(response.status).toBe(413);
  });
});
