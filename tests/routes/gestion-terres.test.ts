import { DateTime } from "luxon";
import { beforeEach, describe, expect, it } from "vitest";
import { acceptOffer, offerPlot, submitApplication } from "~/domain/leasing/index.server";
import { parisDate } from "~/domain/ledger/index.server";
import * as home from "~/routes/gestion+/_index";
import * as layout from "~/routes/gestion+/terres";
import * as overview from "~/routes/gestion+/terres._index";
import * as lease from "~/routes/gestion+/terres.baux.$leaseId";
import * as leases from "~/routes/gestion+/terres.baux._index";
import * as application from "~/routes/gestion+/terres.candidatures.$applicationId";
import * as applications from "~/routes/gestion+/terres.candidatures._index";
import * as terms from "~/routes/gestion+/terres.fermages";
import * as overdue from "~/routes/gestion+/terres.impayes";
import * as plot from "~/routes/gestion+/terres.parcelles.$plotId";
import * as newPlot from "~/routes/gestion+/terres.parcelles.nouvelle";
import { db } from "~/utils/db.server";
import { createLandTerms, createPerson, createPlot, createPole } from "../factories";
import { errorsOf, json, logInEveryRole, resetDatabase, routeCallers, type Handler, type Role } from "../helpers";
import { isoDate } from "~/domain/ledger/dates";

// The staff back office of the land, called like Remix calls its loaders and actions, on the real database.
// Time is the real clock (the routes read it): leases start today, this year's bounds and index are entered.

const cookies: Record<Role, string> = { ADMIN: "", STAFF: "", MEMBER: "", USER: "" };
let poleId: string;
let staffId: string;
let farmerId: string;
let secondId: string;
let plotId: string;
let otherPlotId: string;
let applicationId: string;

const TODAY = parisDate(new Date());
const YEAR = Number(TODAY.slice(0, 4));
const inDays = (days: number) => DateTime.fromISO(TODAY).plus({ days }).toISODate()!;
const inMonths = (months: number) => DateTime.fromISO(TODAY).plus({ months }).toISODate()!;
let keys = 0;
const key = () => `cle-de-test-${++keys}-${Date.now()}`;

async function apply(personId: string, extra: Partial<Parameters<typeof submitApplication>[1]> = {}) {
  const result = await submitApplication(db, {
    poleId,
    personId,
    plotIds: [plotId],
    minSurfaceM2: null,
    project: "Maraîchage diversifié sur sol vivant, vente en AMAP.",
    experience: "BPREA 2025, deux saisons de salariat agricole.",
    desiredStartOn: TODAY,
    leaseKind: "ESPACE_TEST",
    idempotencyKey: key(),
    today: TODAY,
    now: new Date(),
    ...extra,
  });
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

/** An accepted lease of the farmer on P01: 200,00 € a year, quarterly, the first quarter invoiced. */
async function activeLease(frequency: "YEARLY" | "QUARTERLY" = "QUARTERLY") {
  const offered = await offerPlot(db, {
    poleId,
    applicationId,
    plotId,
    startsOn: TODAY,
    frequency,
    staffId,
    idempotencyKey: key(),
    now: new Date(),
  });
  if (!offered.ok) throw new Error(offered.message);
  const accepted = await acceptOffer(db, {
    poleId,
    leaseId: offered.value.lease.id,
    personId: farmerId,
    now: new Date(),
  });
  if (!accepted.ok) throw new Error(accepted.message);
  return accepted.value.lease.id;
}

const { get, post } = routeCallers(cookies);

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  staffId = await logInEveryRole(poleId, cookies);
  farmerId = (await createPerson(db, { poleId, name: "Aurore Lebrun", email: "aurore.lebrun@exemple.test" })).id;
  secondId = (await createPerson(db, { poleId, name: "Malik Ferhat", email: "malik.ferhat@exemple.test" })).id;
  // Bounds 50 to 300 €/ha; index 120,00.
  await createLandTerms(db, { poleId, year: YEAR, index: 12_000 });
  plotId = (await createPlot(db, { poleId, code: "P01", surfaceM2: 12_500, rentPerHectareCents: 16_000 })).id;
  otherPlotId = (await createPlot(db, { poleId, code: "P02", surfaceM2: 8_000 })).id;
  applicationId = (await apply(farmerId)).id;
});

describe("who may enter", () => {
  const LOADERS: [string, Handler, () => Promise<Record<string, string>>][] = [
    ["/gestion/terres (layout)", layout.loader as Handler, async () => ({})],
    ["/gestion/terres", overview.loader as Handler, async () => ({})],
    ["/gestion/terres/parcelles/nouvelle", newPlot.loader as Handler, async () => ({})],
    ["/gestion/terres/parcelles/:plotId", plot.loader as Handler, async () => ({ plotId })],
    ["/gestion/terres/fermages", terms.loader as Handler, async () => ({})],
    ["/gestion/terres/candidatures", applications.loader as Handler, async () => ({})],
    ["/gestion/terres/candidatures/:applicationId", application.loader as Handler, async () => ({ applicationId })],
    ["/gestion/terres/baux", leases.loader as Handler, async () => ({})],
    ["/gestion/terres/baux/:leaseId", lease.loader as Handler, async () => ({ leaseId: await activeLease() })],
    ["/gestion/terres/impayes", overdue.loader as Handler, async () => ({})],
  ];

  it.each(LOADERS)(
    "%s refuses a plain user and a member with the French 403, sends a visitor to log in, opens for staff",
    async (path, loader, params) => {
      const p = await params();
      for (const role of ["USER", "MEMBER"] as const) {
        const response = await get(loader, path, role, p);
        expect(response.status).toBe(403);
        expect(await response.json()).toEqual({ message: "Cette page est réservée à l'équipe du pôle." });
      }
      const visitor = await get(loader, path, null, p);
      expect(visitor.status).toBe(302);
      expect(visitor.headers.get("Location")).toMatch(/^\/connexion\?redirectTo=/);
      expect((await get(loader, path, "STAFF", p)).status).toBe(200);
      expect((await get(loader, path, "ADMIN", p)).status).toBe(200);
    },
  );

  it("refuses every action to a plain user and a member, and changes nothing", async () => {
    const leaseId = await activeLease();
    const instalment = await db.rentInstalment.findFirstOrThrow({ where: { leaseId, status: "INVOICED" } });
    const actions: [Handler, Record<string, string>, Record<string, string>][] = [
      [overview.action as Handler, {}, { offerDays: "3", reconfirmMonths: "6", reconfirmGraceDays: "10" }],
      [newPlot.action as Handler, {}, validPlot({ code: "P09", shapeId: "parcelle-P09" })],
      [plot.action as Handler, { plotId }, validPlot({ name: "Intrus" })],
      [terms.action as Handler, {}, { intent: "bounds", year: String(YEAR), min: "1", max: "2" }],
      [application.action as Handler, { applicationId }, { intent: "note", note: "Intrus" }],
      [
        lease.action as Handler,
        { leaseId },
        { intent: "pay", instalmentId: instalment.id, method: "CASH", reference: "R1" },
      ],
    ];
    for (const role of ["USER", "MEMBER"] as const) {
      for (const [action, params, form] of actions) {
        expect((await post(action, "/gestion/terres", form, params, role)).status).toBe(403);
      }
    }
    expect(await db.plot.count()).toBe(2);
    expect(await db.pole.findUniqueOrThrow({ where: { id: poleId } })).toMatchObject({
      offerDays: 7,
      reconfirmMonths: 12,
    });
    expect((await db.rentInstalment.findUniqueOrThrow({ where: { id: instalment.id } })).status).toBe("INVOICED");
    expect(await db.waitlistEvent.count({ where: { kind: "NOTE" } })).toBe(0);
  });

  it("shows another pole's plots, applications and leases to nobody (404), and lets nobody act on them", async () => {
    const other = await createPole(db);
    await createLandTerms(db, { poleId: other.id, year: YEAR });
    const foreignPlot = await createPlot(db, { poleId: other.id, code: "P01" });
    const stranger = await createPerson(db, { poleId: other.id });
    const foreignApplication = await submitApplication(db, {
      poleId: other.id,
      personId: stranger.id,
      plotIds: [foreignPlot.id],
      minSurfaceM2: null,
      project: "Projet",
      experience: "",
      desiredStartOn: TODAY,
      leaseKind: "ESPACE_TEST",
      idempotencyKey: key(),
      today: TODAY,
      now: new Date(),
    });
    if (!foreignApplication.ok) throw new Error(foreignApplication.message);
    const foreignOffer = await offerPlot(db, {
      poleId: other.id,
      applicationId: foreignApplication.value.id,
      plotId: foreignPlot.id,
      startsOn: TODAY,
      frequency: "YEARLY",
      staffId: null,
      idempotencyKey: key(),
      now: new Date(),
    });
    if (!foreignOffer.ok) throw new Error(foreignOffer.message);
    const loaders: [Handler, Record<string, string>, string][] = [
      [plot.loader as Handler, { plotId: foreignPlot.id }, "Cette parcelle n'existe pas."],
      [
        application.loader as Handler,
        { applicationId: foreignApplication.value.id },
        "Cette candidature n'existe pas.",
      ],
      [lease.loader as Handler, { leaseId: foreignOffer.value.lease.id }, "Ce bail n'existe pas."],
    ];
    for (const [loader, params, message] of loaders) {
      const response = await get(loader, "/gestion/terres/x", "ADMIN", params);
      expect(response.status).toBe(404);
      expect(await json(response)).toEqual({ message });
    }
    expect((await post(plot.action as Handler, "/x", validPlot(), { plotId: foreignPlot.id })).status).toBe(404);
    expect(
      (
        await post(
          application.action as Handler,
          "/x",
          { intent: "note", note: "Vue d'ailleurs" },
          { applicationId: foreignApplication.value.id },
        )
      ).status,
    ).toBe(404);
    expect(
      (await post(lease.action as Handler, "/x", { intent: "renew" }, { leaseId: foreignOffer.value.lease.id })).status,
    ).toBe(404);
    // A plot of the other pole offered from this one: unknown here.
    const offered = await post(application.action as Handler, "/x", offerForm({ plotId: foreignPlot.id }), {
      applicationId,
    });
    expect(offered.status).toBe(404);
    expect((await errorsOf(offered)).plotId).toEqual(["Cette parcelle n'existe pas sur ce pôle."]);
    // And the lists show none of it.
    const list = await json<{ rows: { id: string }[] }>(
      await get(applications.loader as Handler, "/gestion/terres/candidatures"),
    );
    expect(list.rows.map((r) => r.id)).toEqual([applicationId]);
  });

  it("answers an unknown application, lease or plot with 404, on the page and on its actions", async () => {
    expect((await get(application.loader as Handler, "/x", "STAFF", { applicationId: "inconnue" })).status).toBe(404);
    expect(
      (
        await post(
          application.action as Handler,
          "/x",
          { intent: "note", note: "Bonjour" },
          { applicationId: "inconnue" },
        )
      ).status,
    ).toBe(404);
    expect((await get(lease.loader as Handler, "/x", "STAFF", { leaseId: "inconnu" })).status).toBe(404);
    expect((await post(lease.action as Handler, "/x", { intent: "renew" }, { leaseId: "inconnu" })).status).toBe(404);
    // A plot's code is not its address.
    expect((await get(plot.loader as Handler, "/x", "STAFF", { plotId: "P01" })).status).toBe(404);
    const leaseId = await activeLease();
    const unknownInstalment = await post(
      lease.action as Handler,
      "/x",
      { intent: "pay", instalmentId: "inconnue", method: "CASH", reference: "Reçu 1" },
      { leaseId },
    );
    expect(unknownInstalment.status).toBe(404);
    expect(await json(unknownInstalment)).toEqual({ message: "Cette échéance n'existe pas." });
    expect((await post(lease.action as Handler, "/x", { intent: "teleport" }, { leaseId })).status).toBe(400);
  });
});

function validPlot(overrides: Record<string, string> = {}) {
  return {
    code: "P01",
    name: "Le Pré du Canal",
    surfaceM2: "12 500",
    soil: "Limon argileux",
    waterAccess: "Irrigation goutte-à-goutte",
    shelter: "Serre tunnel",
    currentUse: "Prairie",
    description: "Au bord du canal, plate et bien exposée.",
    shapeId: "parcelle-P01",
    rentPerHectare: "162,50",
    active: "on",
    ...overrides,
  };
}

describe("plots", () => {
  it("creates a plot with a surface typed with spaces and a rent with a decimal comma, then edits it", async () => {
    const created = await post(
      newPlot.action as Handler,
      "/gestion/terres/parcelles/nouvelle",
      validPlot({ code: "p07", shapeId: "parcelle-P07", surfaceM2: "8 750" }),
    );
    expect(created.status).toBe(302);
    const row = await db.plot.findFirstOrThrow({ where: { poleId, code: "P07" } });
    expect(created.headers.get("Location")).toBe(`/gestion/terres/parcelles/${row.id}?fait=creee`);
    expect(row).toMatchObject({
      surfaceM2: 8750,
      rentPerHectareCents: 16_250,
      shapeId: "parcelle-P07",
      name: "Le Pré du Canal",
      shelter: "Serre tunnel",
      active: true,
    });

    const page = await json<{ values: Record<string, string>; shapes: { id: string; usedBy: string | null }[] }>(
      await get(plot.loader as Handler, "/x", "STAFF", { plotId: row.id }),
    );
    expect(page.values).toMatchObject({ code: "P07", surfaceM2: "8750", rentPerHectare: "162,50", active: "on" });
    expect(page.shapes).toHaveLength(20);
    expect(page.shapes.find((s) => s.id === "parcelle-P07")).toEqual({ id: "parcelle-P07", usedBy: "P07" });

    const edited = await post(
      plot.action as Handler,
      "/x",
      validPlot({ code: "P07", shapeId: "parcelle-P07", active: "", surfaceM2: "9000" }),
      { plotId: row.id },
    );
    expect(edited.status).toBe(200);
    expect(await db.plot.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      active: false,
      surfaceM2: 9000,
    });
  });

  it.each([
    ["a negative surface", { surfaceM2: "-500" }, "surfaceM2", "La surface ne peut pas être négative."],
    ["a zero surface", { surfaceM2: "0" }, "surfaceM2", "La surface ne peut pas être nulle."],
    [
      "an absurd surface",
      { surfaceM2: "1250000" },
      "surfaceM2",
      "Une parcelle fait au plus 100 ha (1 000 000 m²) : vérifiez la surface.",
    ],
    [
      "a decimal surface",
      { surfaceM2: "1,25" },
      "surfaceM2",
      "La surface est un nombre entier de m², sans décimales (1 ha = 10 000 m²).",
    ],
    ["no surface", { surfaceM2: "" }, "surfaceM2", "Indiquez la surface en m²."],
    [
      "a code with spaces",
      { code: "P 07" },
      "code",
      "Le code s'écrit en lettres et chiffres, 12 caractères au plus (ex. P07).",
    ],
    ["a negative rent", { rentPerHectare: "-10" }, "rentPerHectare", "Un montant ne peut pas être négatif."],
    ["a rent of zero", { rentPerHectare: "0" }, "rentPerHectare", "Un loyer à l'hectare est un montant positif."],
    [
      "a shape outside the plan's naming",
      { shapeId: "../../etc/passwd" },
      "shapeId",
      "Choisissez une forme du plan du site.",
    ],
  ])("refuses %s with a French field message (400)", async (_, overrides, field, message) => {
    const response = await post(
      newPlot.action as Handler,
      "/x",
      validPlot({ code: "P07", shapeId: "parcelle-P07", ...overrides }),
    );
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[field]).toEqual([message]);
    expect(await db.plot.count()).toBe(2);
  });

  it.each([
    [
      "a code another plot has",
      { code: "P02", shapeId: "parcelle-P07" },
      409,
      "code",
      "Une autre parcelle porte déjà ce code.",
    ],
    [
      "a shape another plot uses",
      { code: "P07", shapeId: "parcelle-P02" },
      409,
      "shapeId",
      "Une autre parcelle utilise déjà cette forme du plan.",
    ],
    [
      "a shape the plan does not have",
      { code: "P07", shapeId: "parcelle-P99" },
      422,
      "shapeId",
      "Choisissez une forme du plan du site.",
    ],
    [
      "a rent outside this year's bounds",
      { code: "P07", shapeId: "parcelle-P07", rentPerHectare: "400" },
      422,
      "rentPerHectare",
      `Le loyer doit rester entre 50,00 € et 300,00 € par hectare (bornes préfectorales ${YEAR}).`,
    ],
  ])("refuses %s", async (_, overrides, status, field, message) => {
    const response = await post(newPlot.action as Handler, "/x", validPlot(overrides));
    expect(response.status).toBe(status);
    expect((await errorsOf(response))[field]?.map((m) => m.replace(/\u202f|\u00a0/g, " "))).toEqual([message]);
    expect(await db.plot.count()).toBe(2);
  });

  it("lists the plots with their status and the land's figures", async () => {
    await activeLease();
    await apply(secondId, { plotIds: [otherPlotId] });
    const body = await json<{
      counts: Record<string, number>;
      plots: { code: string; status: string; lease: { holder: string } | null }[];
    }>(await get(overview.loader as Handler, "/gestion/terres"));
    expect(body.counts).toMatchObject({
      free: 1,
      offered: 0,
      leased: 1,
      waiting: 1,
      offers: 0,
      overdue: 0,
      overdueCents: 0,
    });
    expect(body.plots.map((p) => [p.code, p.status, p.lease?.holder ?? null])).toEqual([
      ["P01", "LEASED", "Aurore Lebrun"],
      ["P02", "FREE", null],
    ]);
    const homeBody = await json(await get(home.loader as Handler, "/gestion"));
    expect(homeBody).toMatchObject({ runningLeases: 1, waitingApplications: 1 });
  });

  it("lets staff read the land settings but only an admin change them", async () => {
    const page = await json<{ canEdit: boolean; settings: Record<string, string> }>(
      await get(overview.loader as Handler, "/gestion/terres"),
    );
    expect(page).toMatchObject({
      canEdit: false,
      settings: { offerDays: "7", reconfirmMonths: "12", reconfirmGraceDays: "30", landRentVatOptIn: "" },
    });
    const settings = { offerDays: "10", reconfirmMonths: "6", reconfirmGraceDays: "15", landRentVatOptIn: "on" };
    expect((await post(overview.action as Handler, "/gestion/terres", settings)).status).toBe(403);
    expect((await post(overview.action as Handler, "/gestion/terres", settings, {}, "ADMIN")).status).toBe(200);
    expect(await db.pole.findUniqueOrThrow({ where: { id: poleId } })).toMatchObject({
      offerDays: 10,
      reconfirmMonths: 6,
      reconfirmGraceDays: 15,
      landRentVatOptIn: true,
    });
    const bad = await post(
      overview.action as Handler,
      "/gestion/terres",
      { ...settings, offerDays: "0", reconfirmGraceDays: "jamais" },
      {},
      "ADMIN",
    );
    expect(bad.status).toBe(400);
    expect(await errorsOf(bad)).toMatchObject({
      offerDays: ["Le délai de réponse à une proposition va de 1 à 60 jours."],
      reconfirmGraceDays: ["Le délai de grâce va de 1 à 180 jours."],
    });
  });
});

describe("the year's bounds and index, and the indexation", () => {
  it("enters next year's bounds and index", async () => {
    const bounds = await post(terms.action as Handler, "/gestion/terres/fermages", {
      intent: "bounds",
      year: String(YEAR + 1),
      min: "52,10",
      max: "270",
    });
    expect(bounds.status).toBe(302);
    expect(await db.rentBounds.findUniqueOrThrow({ where: { poleId_year: { poleId, year: YEAR + 1 } } })).toMatchObject(
      { minPerHectareCents: 5210, maxPerHectareCents: 27_000 },
    );
    const index = await post(terms.action as Handler, "/gestion/terres/fermages", {
      intent: "index",
      year: String(YEAR + 1),
      value: "126,07",
    });
    expect(index.status).toBe(302);
    expect(index.headers.get("Location")).toBe(`/gestion/terres/fermages?annee=${YEAR + 1}&fait=indice#revision`);
    expect(
      await db.farmRentIndex.findUniqueOrThrow({ where: { poleId_year: { poleId, year: YEAR + 1 } } }),
    ).toMatchObject({ value: 12_607, enteredById: staffId });
    const page = await json<{ bounds: { year: number }[]; indexes: { year: number; value: string }[] }>(
      await get(terms.loader as Handler, "/gestion/terres/fermages"),
    );
    expect(page.bounds.map((b) => b.year)).toEqual([YEAR + 1, YEAR]);
    expect(page.indexes.map((i) => [i.year, i.value])).toEqual([
      [YEAR + 1, "126,07"],
      [YEAR, "120,00"],
    ]);
  });

  it.each([
    [
      "bounds whose maximum is under the minimum",
      { intent: "bounds", year: "2030", min: "200", max: "150" },
      "max",
      "La borne haute ne peut pas être sous la borne basse.",
    ],
    [
      "bounds without a minimum",
      { intent: "bounds", year: "2030", max: "150" },
      "min",
      "Indiquez la borne basse, en euros par hectare.",
    ],
    [
      "a year out of range",
      { intent: "bounds", year: "1850", min: "50", max: "150" },
      "year",
      "Indiquez une année entre 2000 et 2100.",
    ],
    [
      "a missing index",
      { intent: "index", year: "2030" },
      "value",
      "Indiquez la valeur de l'indice, un nombre positif (par exemple 122,55).",
    ],
    [
      "an index of zero",
      { intent: "index", year: "2030", value: "0" },
      "value",
      "Indiquez la valeur de l'indice, un nombre positif (par exemple 122,55).",
    ],
    [
      "a negative index",
      { intent: "index", year: "2030", value: "-3,5" },
      "value",
      "Indiquez la valeur de l'indice, un nombre positif (par exemple 122,55).",
    ],
    [
      "an index that is not a number",
      { intent: "index", year: "2030", value: "cent" },
      "value",
      "Indiquez la valeur de l'indice, un nombre positif (par exemple 122,55).",
    ],
  ])("refuses %s with a French field message (400)", async (_, form, field, message) => {
    const response = await post(terms.action as Handler, "/gestion/terres/fermages", form);
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[field]).toEqual([message]);
    expect(await db.rentBounds.count()).toBe(1);
    expect(await db.farmRentIndex.count()).toBe(1);
  });

  it("shows the new rents before they apply, applies them once from each lease's next anniversary, and then keeps the index", async () => {
    // A two-year convention (a one-year espace-test ends before its first anniversary: nothing to index).
    await activeLease();
    const convention = await apply(secondId, { leaseKind: "CONVENTION_PRECAIRE", plotIds: [otherPlotId] });
    const offered = await offerPlot(db, {
      poleId,
      applicationId: convention.id,
      plotId: otherPlotId,
      startsOn: TODAY,
      endsOn: isoDate(inMonths(24)),
      rentPerHectareCents: 25_000,
      frequency: "QUARTERLY",
      staffId,
      idempotencyKey: key(),
      now: new Date(),
    });
    if (!offered.ok) throw new Error(offered.message);
    const accepted = await acceptOffer(db, {
      poleId,
      leaseId: offered.value.lease.id,
      personId: secondId,
      now: new Date(),
    });
    if (!accepted.ok) throw new Error(accepted.message);
    const leaseId = offered.value.lease.id;
    expect(
      (await post(terms.action as Handler, "/x", { intent: "index", year: String(YEAR + 1), value: "126,07" })).status,
    ).toBe(302);
    type Page = {
      revision: {
        year: number;
        applied: number;
        lines: {
          leaseId: string;
          plotCode: string;
          holder: string;
          currentCents: number;
          previousIndex: string;
          newCents: number;
          effectiveOn: string;
        }[];
      } | null;
    };
    const before = await json<Page>(await get(terms.loader as Handler, `/gestion/terres/fermages?annee=${YEAR + 1}`));
    // 0,8 ha × 250,00 €/ha = 200,00 €; × 126,07 ÷ 120,00 = 210,1166… → 210,12 €, from the lease's first anniversary.
    expect(before.revision).toMatchObject({
      year: YEAR + 1,
      applied: 0,
      lines: [
        {
          leaseId,
          plotCode: "P02",
          holder: "Malik Ferhat",
          currentCents: 20_000,
          previousIndex: "120,00",
          newCents: 21_012,
          effectiveOn: inMonths(12),
        },
      ],
    });
    expect((await db.lease.findUniqueOrThrow({ where: { id: leaseId } })).yearlyRentCents).toBe(20_000);

    const applied = await post(terms.action as Handler, "/x", { intent: "apply", year: String(YEAR + 1) });
    expect(applied.status).toBe(302);
    expect(applied.headers.get("Location")).toBe(
      `/gestion/terres/fermages?annee=${YEAR + 1}&fait=revision&n=1#revision`,
    );
    expect(await db.lease.findUniqueOrThrow({ where: { id: leaseId } })).toMatchObject({
      yearlyRentCents: 21_012,
      indexValue: 12_607,
      indexYear: YEAR + 1,
    });
    const again = await post(terms.action as Handler, "/x", { intent: "apply", year: String(YEAR + 1) });
    expect(again.headers.get("Location")).toContain("&n=0");
    expect(await db.leaseRentChange.count()).toBe(1);
    const after = await json<Page>(await get(terms.loader as Handler, `/gestion/terres/fermages?annee=${YEAR + 1}`));
    expect(after.revision).toMatchObject({ applied: 1, lines: [] });
    const amounts = (await db.rentInstalment.findMany({ where: { leaseId }, orderBy: { periodStart: "asc" } })).map(
      (i) => i.amountCents,
    );
    expect(amounts).toEqual([5000, 5000, 5000, 5000, 5253, 5253, 5253, 5253]);

    const leasePage = await json<{
      changes: { previousCents: number; newCents: number; index: string; actor: string }[];
    }>(await get(lease.loader as Handler, "/x", "STAFF", { leaseId }));
    expect(leasePage.changes).toEqual([
      expect.objectContaining({
        previousCents: 20_000,
        newCents: 21_012,
        index: `120,00 → 126,07 (${YEAR + 1})`,
        actor: "Équipe STAFF",
      }),
    ]);
    const changed = await post(terms.action as Handler, "/x", {
      intent: "index",
      year: String(YEAR + 1),
      value: "130",
    });
    expect(changed.status).toBe(409);
    expect((await errorsOf(changed)).value).toEqual([
      `L'indice ${YEAR + 1} a déjà servi à réviser des loyers : il ne change plus.`,
    ]);
    expect((await post(terms.action as Handler, "/x", { intent: "apply", year: "2099" })).status).toBe(422);
  });
});

function offerForm(overrides: Record<string, string> = {}) {
  return {
    intent: "offer",
    plotId,
    startsOn: TODAY,
    endsOn: inMonths(12),
    rentPerHectare: "160,00",
    frequency: "QUARTERLY",
    idempotencyKey: key(),
    ...overrides,
  };
}

describe("the queue and offers", () => {
  it("lists the applications in the queue's order with their place, choices and status, and filters them", async () => {
    const second = await apply(secondId, { plotIds: [otherPlotId], minSurfaceM2: 5000, leaseKind: "BAIL_RURAL" });
    type List = {
      rows: {
        id: string;
        position: number | null;
        person: string;
        choices: string[];
        minSurfaceM2: number | null;
        kind: string;
        statusLabel: string;
      }[];
      total: number;
      notices: string[];
    };
    const all = await json<List>(await get(applications.loader as Handler, "/gestion/terres/candidatures"));
    expect(all.rows.map((r) => [r.position, r.person, r.choices, r.kind, r.statusLabel])).toEqual([
      [1, "Aurore Lebrun", ["P01"], "Espace-test", "En attente"],
      [2, "Malik Ferhat", ["P02"], "Bail rural", "En attente"],
    ]);
    // Filtered, each keeps its place in the whole queue.
    const rural = await json<List>(
      await get(applications.loader as Handler, "/gestion/terres/candidatures?kind=BAIL_RURAL"),
    );
    expect(rural.rows).toMatchObject([{ id: second.id, position: 2, minSurfaceM2: 5000 }]);
    expect(
      (
        await json<List>(await get(applications.loader as Handler, `/gestion/terres/candidatures?plot=${plotId}`))
      ).rows.map((r) => r.id),
    ).toEqual([applicationId]);
    expect(
      (await json<List>(await get(applications.loader as Handler, "/gestion/terres/candidatures?q=ferhat"))).rows.map(
        (r) => r.id,
      ),
    ).toEqual([second.id]);
    expect(
      (await json<List>(await get(applications.loader as Handler, "/gestion/terres/candidatures?status=CLOSED"))).total,
    ).toBe(0);
    const unknown = await json<List>(
      await get(applications.loader as Handler, "/gestion/terres/candidatures?plot=inconnue&status=PEUT-ETRE"),
    );
    expect(unknown.notices).toEqual(["Cette parcelle n'existe pas : toutes les parcelles sont affichées."]);
    expect(unknown.total).toBe(2);
  });

  it("offers a plot with defaults taken from the application and the plot; the applicant gets an email", async () => {
    const page = await json<{ offer: Record<string, string>; application: { position: number } }>(
      await get(application.loader as Handler, "/x", "STAFF", { applicationId }),
    );
    expect(page.offer).toMatchObject({
      plotId,
      startsOn: TODAY,
      endsOn: inMonths(12),
      rentPerHectare: "160,00",
      frequency: "YEARLY",
    });
    expect(page.application.position).toBe(1);

    const response = await post(application.action as Handler, "/x", offerForm(), { applicationId });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/gestion/terres/candidatures/${applicationId}?fait=proposee`);
    const offer = await db.lease.findFirstOrThrow({ where: { applicationId } });
    expect(offer).toMatchObject({
      status: "OFFERED",
      plotId,
      kind: "ESPACE_TEST",
      yearlyRentCents: 20_000,
      frequency: "QUARTERLY",
      offeredById: staffId,
    });
    const emails = await db.outboxEmail.findMany({ where: { to: "aurore.lebrun@exemple.test" } });
    expect(emails).toHaveLength(1);
    expect(emails[0].text).toContain("P01");

    const after = await json<{
      application: { statusLabel: string };
      openOffer: { id: string; plot: string } | null;
      history: { label: string; note: string; actor: string | null }[];
    }>(await get(application.loader as Handler, "/x", "STAFF", { applicationId }));
    expect(after.application.statusLabel).toBe("Proposition en cours");
    expect(after.openOffer).toMatchObject({ id: offer.id, plot: "P01" });
    expect(after.history.map((h) => [h.label, h.actor])).toEqual([
      ["Inscription", "Aurore Lebrun"],
      ["Proposition", "Équipe STAFF"],
    ]);
    // A second offer while the first waits for its answer is refused.
    const twice = await post(application.action as Handler, "/x", offerForm({ plotId: otherPlotId }), {
      applicationId,
    });
    expect(twice.status).toBe(409);
    expect((await errorsOf(twice))[""]).toEqual([
      "Une parcelle est déjà proposée à cette candidature : attendez sa réponse.",
    ]);
    expect(await db.outboxEmail.count()).toBe(1);
  });

  it("takes the plot's own rent when the rent is left empty, and a form sent twice offers once", async () => {
    const form = offerForm({ rentPerHectare: "", endsOn: "" });
    expect((await post(application.action as Handler, "/x", form, { applicationId })).status).toBe(302);
    expect((await post(application.action as Handler, "/x", form, { applicationId })).status).toBe(302);
    expect(await db.lease.count()).toBe(1);
    expect(await db.lease.findFirstOrThrow()).toMatchObject({
      rentPerHectareCents: 16_000,
      endsOn: new Date(`${inMonths(12)}T00:00:00Z`),
    });
    expect(await db.outboxEmail.count()).toBe(1);
  });

  it.each([
    [
      "a rent outside the bounds",
      { rentPerHectare: "450" },
      422,
      "rentPerHectare",
      `Le loyer doit rester entre 50,00 € et 300,00 € par hectare (bornes préfectorales ${YEAR}).`,
    ],
    [
      "a lease longer than an espace-test allows",
      { endsOn: inMonths(24) },
      422,
      "endsOn",
      "Un espace-test agricole dure 1 an.",
    ],
    [
      "a lease shorter than an espace-test allows",
      { endsOn: inMonths(6) },
      422,
      "endsOn",
      "Un espace-test agricole dure 1 an.",
    ],
    [
      "a start in the past",
      { startsOn: inDays(-3), endsOn: "" },
      422,
      "startsOn",
      "Le bail ne peut pas commencer dans le passé.",
    ],
    ["an end before the start", { endsOn: inDays(-1) }, 400, "endsOn", "La fin du bail doit suivre son début."],
    ["an unknown plot", { plotId: "inconnue" }, 404, "plotId", "Cette parcelle n'existe pas sur ce pôle."],
    ["a malformed start", { startsOn: "demain" }, 400, "startsOn", "Indiquez une date valide (jj/mm/aaaa)."],
    [
      "an unknown frequency",
      { frequency: "WEEKLY" },
      400,
      "frequency",
      "Choisissez la périodicité des échéances : annuelle, trimestrielle ou mensuelle.",
    ],
    ["an expired form", { idempotencyKey: "" }, 400, "idempotencyKey", "Ce formulaire a expiré : rechargez la page."],
  ])("refuses an offer with %s, with a French message", async (_, overrides, status, field, message) => {
    const response = await post(application.action as Handler, "/x", offerForm(overrides), { applicationId });
    expect(response.status).toBe(status);
    expect((await errorsOf(response))[field]?.map((m) => m.replace(/\u202f|\u00a0/g, " "))).toEqual([message]);
    expect(await db.lease.count()).toBe(0);
    expect(await db.outboxEmail.count()).toBe(0);
  });

  it("refuses a bail rural shorter than nine years", async () => {
    const rural = await apply(secondId, { plotIds: [otherPlotId], leaseKind: "BAIL_RURAL" });
    const page = await json<{ offer: Record<string, string> }>(
      await get(application.loader as Handler, "/x", "STAFF", { applicationId: rural.id }),
    );
    expect(page.offer).toMatchObject({ plotId: otherPlotId, endsOn: inMonths(108) });
    const response = await post(
      application.action as Handler,
      "/x",
      offerForm({ plotId: otherPlotId, endsOn: inMonths(24) }),
      { applicationId: rural.id },
    );
    expect(response.status).toBe(422);
    expect((await errorsOf(response)).endsOn).toEqual(["Un bail rural dure de 9 ans à 25 ans."]);
  });

  it("refuses a plot already offered for the period (409)", async () => {
    const second = await apply(secondId);
    expect((await post(application.action as Handler, "/x", offerForm(), { applicationId })).status).toBe(302);
    const response = await post(application.action as Handler, "/x", offerForm(), { applicationId: second.id });
    expect(response.status).toBe(409);
    expect((await errorsOf(response)).plotId).toEqual(["Cette parcelle est déjà louée ou proposée sur cette période."]);
    // After it, the plot is free: the offer goes through, within that year's bounds.
    await createLandTerms(db, { poleId, year: Number(inMonths(12).slice(0, 4)) });
    expect(
      (
        await post(application.action as Handler, "/x", offerForm({ startsOn: inMonths(12), endsOn: inMonths(24) }), {
          applicationId: second.id,
        })
      ).status,
    ).toBe(302);
  });

  it("moves an application only with a written reason, kept in its history", async () => {
    const second = await apply(secondId);
    const first = await db.plotApplication.findUniqueOrThrow({ where: { id: applicationId } });
    const noReason = await post(
      application.action as Handler,
      "/x",
      { intent: "move", beforeEntryId: first.entryId, reason: "" },
      { applicationId: second.id },
    );
    expect(noReason.status).toBe(400);
    expect((await errorsOf(noReason)).reason).toEqual([
      "Écrivez la raison de ce changement d'ordre (elle reste dans l'historique).",
    ]);
    const short = await post(
      application.action as Handler,
      "/x",
      { intent: "move", beforeEntryId: first.entryId, reason: "ok" },
      { applicationId: second.id },
    );
    expect(short.status).toBe(400);
    const unknownPlace = await post(
      application.action as Handler,
      "/x",
      { intent: "move", beforeEntryId: "inconnue", reason: "Projet prioritaire du comité" },
      { applicationId: second.id },
    );
    expect(unknownPlace.status).toBe(422);
    expect((await errorsOf(unknownPlace)).beforeEntryId).toEqual([
      "La candidature de référence n'est pas dans la file.",
    ]);

    const moved = await post(
      application.action as Handler,
      "/x",
      { intent: "move", beforeEntryId: first.entryId, reason: "Projet prioritaire du comité d'installation" },
      { applicationId: second.id },
    );
    expect(moved.status).toBe(302);
    expect(moved.headers.get("Location")).toBe(`/gestion/terres/candidatures/${second.id}?fait=deplacee`);
    const list = await json<{ rows: { id: string; position: number }[] }>(
      await get(applications.loader as Handler, "/gestion/terres/candidatures"),
    );
    expect(list.rows.map((r) => [r.id, r.position])).toEqual([
      [second.id, 1],
      [applicationId, 2],
    ]);
    const page = await json<{ history: { label: string; note: string; actor: string }[] }>(
      await get(application.loader as Handler, "/x", "STAFF", { applicationId: second.id }),
    );
    expect(page.history.at(-1)).toMatchObject({
      label: "Déplacement dans la file",
      note: "Projet prioritaire du comité d'installation",
      actor: "Équipe STAFF",
    });

    // To the end, then back.
    expect(
      (
        await post(
          application.action as Handler,
          "/x",
          { intent: "move", beforeEntryId: "fin", reason: "Demande de la personne" },
          { applicationId: second.id },
        )
      ).status,
    ).toBe(302);
    const back = await json<{ rows: { id: string }[] }>(
      await get(applications.loader as Handler, "/gestion/terres/candidatures"),
    );
    expect(back.rows.map((r) => r.id)).toEqual([applicationId, second.id]);
  });

  it("adds a note to the history; an empty one is refused", async () => {
    const empty = await post(application.action as Handler, "/x", { intent: "note", note: " " }, { applicationId });
    expect(empty.status).toBe(400);
    expect((await errorsOf(empty)).note).toEqual(["Écrivez la note."]);
    const added = await post(
      application.action as Handler,
      "/x",
      { intent: "note", note: "Visite de la parcelle prévue jeudi." },
      { applicationId },
    );
    expect(added.status).toBe(302);
    const page = await json<{ history: { label: string; note: string }[] }>(
      await get(application.loader as Handler, "/x", "STAFF", { applicationId }),
    );
    expect(page.history.at(-1)).toMatchObject({ label: "Note", note: "Visite de la parcelle prévue jeudi." });
  });
});

describe("a lease", () => {
  it("lists leases and offers with what is unpaid, and filters them", async () => {
    const leaseId = await activeLease();
    const second = await apply(secondId, { plotIds: [otherPlotId] });
    await offerPlot(db, {
      poleId,
      applicationId: second.id,
      plotId: otherPlotId,
      startsOn: TODAY,
      frequency: "YEARLY",
      staffId,
      idempotencyKey: key(),
      now: new Date(),
    });
    type List = {
      rows: {
        id: string;
        plot: string;
        holder: string;
        unpaidCents: number;
        statusLabel: string;
        yearlyRentCents: number;
      }[];
      total: number;
      notices: string[];
    };
    const live = await json<List>(await get(leases.loader as Handler, "/gestion/terres/baux"));
    expect(live.rows.map((r) => [r.plot, r.holder, r.statusLabel, r.yearlyRentCents, r.unpaidCents])).toEqual([
      ["P01", "Aurore Lebrun", "En cours", 20_000, 5000],
      ["P02", "Malik Ferhat", "Proposition en attente de réponse", 12_000, 0],
    ]);
    expect(
      (await json<List>(await get(leases.loader as Handler, "/gestion/terres/baux?status=OFFERED"))).rows.map(
        (r) => r.plot,
      ),
    ).toEqual(["P02"]);
    expect(
      (await json<List>(await get(leases.loader as Handler, "/gestion/terres/baux?status=ACTIVE&q=lebrun"))).rows.map(
        (r) => r.id,
      ),
    ).toEqual([leaseId]);
    expect((await json<List>(await get(leases.loader as Handler, "/gestion/terres/baux?status=ENDED"))).total).toBe(0);
    expect((await json<List>(await get(leases.loader as Handler, "/gestion/terres/baux?kind=BAIL_RURAL"))).total).toBe(
      0,
    );
    expect(
      (await json<List>(await get(leases.loader as Handler, "/gestion/terres/baux?plot=inconnue"))).notices,
    ).toEqual(["Cette parcelle n'existe pas : toutes les parcelles sont affichées."]);
  });

  it("records a transfer for an invoiced instalment: one settlement entry; a second time is refused (409)", async () => {
    const leaseId = await activeLease();
    const page = await json<{
      instalments: {
        id: string;
        status: string;
        amountCents: number;
        invoice: { id: string; number: string } | null;
      }[];
    }>(await get(lease.loader as Handler, "/x", "STAFF", { leaseId }));
    expect(page.instalments.map((i) => [i.status, i.amountCents])).toEqual([
      ["INVOICED", 5000],
      ["SCHEDULED", 5000],
      ["SCHEDULED", 5000],
      ["SCHEDULED", 5000],
    ]);
    const first = page.instalments[0];
    expect(first.invoice?.number).toMatch(/^F-\d{4}-\d{4}$/);

    const noReference = await post(
      lease.action as Handler,
      "/x",
      { intent: "pay", instalmentId: first.id, method: "TRANSFER", reference: "" },
      { leaseId },
    );
    expect(noReference.status).toBe(400);
    expect((await errorsOf(noReference)).reference).toEqual([
      "Indiquez la référence du paiement (libellé du virement, numéro de chèque, numéro de reçu).",
    ]);

    const paid = await post(
      lease.action as Handler,
      "/x",
      { intent: "pay", instalmentId: first.id, method: "TRANSFER", reference: "VIR LEBRUN T1" },
      { leaseId },
    );
    expect(paid.status).toBe(302);
    expect(paid.headers.get("Location")).toBe(`/gestion/terres/baux/${leaseId}?fait=paiement`);
    expect(await db.rentInstalment.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: "PAID" });
    expect(await db.payment.findFirstOrThrow({ where: { instalmentId: first.id } })).toMatchObject({
      method: "TRANSFER",
      reference: "VIR LEBRUN T1",
      confirmedById: staffId,
      amountCents: 5000,
    });
    expect(await db.journalEntry.count({ where: { sourceKey: `invoice:${first.invoice!.number}:paid` } })).toBe(1);

    const again = await post(
      lease.action as Handler,
      "/x",
      { intent: "pay", instalmentId: first.id, method: "CHEQUE", reference: "Chèque 42" },
      { leaseId },
    );
    expect(again.status).toBe(409);
    expect((await errorsOf(again))[""]).toEqual(["Cette échéance est déjà réglée."]);
    expect(await db.journalEntry.count({ where: { sourceKey: `invoice:${first.invoice!.number}:paid` } })).toBe(1);
    const notYet = await post(
      lease.action as Handler,
      "/x",
      { intent: "pay", instalmentId: page.instalments[1].id, method: "CASH", reference: "Reçu 7" },
      { leaseId },
    );
    expect(notYet.status).toBe(409);
    expect((await errorsOf(notYet))[""]).toEqual(["Cette échéance n'est pas encore facturée."]);
  });

  it("invoices a scheduled instalment now and mails the invoice; a second time is refused (409)", async () => {
    const leaseId = await activeLease();
    const next = await db.rentInstalment.findFirstOrThrow({
      where: { leaseId, status: "SCHEDULED" },
      orderBy: { periodStart: "asc" },
    });
    const before = await db.outboxEmail.count({ where: { to: "aurore.lebrun@exemple.test" } });
    const invoiced = await post(
      lease.action as Handler,
      "/x",
      { intent: "invoice", instalmentId: next.id },
      { leaseId },
    );
    expect(invoiced.status).toBe(302);
    const row = await db.rentInstalment.findUniqueOrThrow({ where: { id: next.id } });
    expect(row.status).toBe("INVOICED");
    expect(await db.invoice.findUniqueOrThrow({ where: { id: row.invoiceId! } })).toMatchObject({
      stream: "LAND",
      totalInclTax: 5000,
    });
    expect(await db.outboxEmail.count({ where: { to: "aurore.lebrun@exemple.test" } })).toBe(before + 1);
    const twice = await post(lease.action as Handler, "/x", { intent: "invoice", instalmentId: next.id }, { leaseId });
    expect(twice.status).toBe(409);
    expect((await errorsOf(twice))[""]).toEqual(["Cette échéance est déjà facturée ou annulée."]);
  });

  it("renews an espace-test, then gives notice on the renewal", async () => {
    const leaseId = await activeLease("YEARLY");
    const renewed = await post(lease.action as Handler, "/x", { intent: "renew" }, { leaseId });
    expect(renewed.status).toBe(302);
    const renewal = await db.lease.findFirstOrThrow({ where: { renewalOfId: leaseId } });
    expect(renewed.headers.get("Location")).toBe(`/gestion/terres/baux/${renewal.id}?fait=renouvele`);
    expect(renewal).toMatchObject({
      status: "ACTIVE",
      renewalNumber: 1,
      yearlyRentCents: 20_000,
      startsOn: new Date(`${inMonths(12)}T00:00:00Z`),
      endsOn: new Date(`${inMonths(24)}T00:00:00Z`),
    });
    expect(await db.rentInstalment.count({ where: { leaseId: renewal.id } })).toBe(1);
    const twice = await post(lease.action as Handler, "/x", { intent: "renew" }, { leaseId });
    expect(twice.status).toBe(409);
    expect((await errorsOf(twice))[""]).toEqual(["Ce bail est déjà renouvelé."]);

    const tooLate = await post(
      lease.action as Handler,
      "/x",
      { intent: "notice", endsOn: inMonths(30), reason: "Installation sur une ferme voisine" },
      { leaseId: renewal.id },
    );
    expect(tooLate.status).toBe(422);
    expect((await errorsOf(tooLate)).endsOn).toEqual(["Un congé ne prolonge pas un bail : la date dépasse sa fin."]);
    const noReason = await post(
      lease.action as Handler,
      "/x",
      { intent: "notice", endsOn: inMonths(18), reason: "" },
      { leaseId: renewal.id },
    );
    expect(noReason.status).toBe(400);
    expect((await errorsOf(noReason)).reason).toEqual(["Indiquez le motif du congé."]);
    const past = await post(
      lease.action as Handler,
      "/x",
      { intent: "notice", endsOn: inDays(-1), reason: "Erreur de date" },
      { leaseId },
    );
    expect(past.status).toBe(422);
    expect((await errorsOf(past)).endsOn).toEqual(["La fin du bail ne peut pas être dans le passé."]);

    const notice = await post(
      lease.action as Handler,
      "/x",
      { intent: "notice", endsOn: inMonths(18), reason: "Installation sur une ferme voisine" },
      { leaseId: renewal.id },
    );
    expect(notice.status).toBe(302);
    expect(await db.lease.findUniqueOrThrow({ where: { id: renewal.id } })).toMatchObject({
      endsOn: new Date(`${inMonths(18)}T00:00:00Z`),
      endReason: "Installation sur une ferme voisine",
    });
    const page = await json<{ can: { renew: boolean }; lease: { endReason: string } }>(
      await get(lease.loader as Handler, "/x", "STAFF", { leaseId: renewal.id }),
    );
    expect(page).toMatchObject({ can: { renew: false }, lease: { endReason: "Installation sur une ferme voisine" } });
  });

  it("lists overdue instalments with their amount, days late and last reminder", async () => {
    const leaseId = await activeLease();
    const first = await db.rentInstalment.findFirstOrThrow({ where: { leaseId, status: "INVOICED" } });
    // The first quarter fell due 40 days ago, reminded 5 days ago.
    await db.rentInstalment.update({
      where: { id: first.id },
      data: { dueOn: new Date(`${inDays(-40)}T00:00:00Z`), remindedAt: new Date(Date.now() - 5 * 86_400_000) },
    });
    const body = await json<{
      totalCents: number;
      rows: {
        leaseId: string;
        plot: string;
        holder: string;
        amountCents: number;
        daysLate: number;
        remindedAt: string | null;
        invoice: { number: string } | null;
      }[];
    }>(await get(overdue.loader as Handler, "/gestion/terres/impayes"));
    expect(body.totalCents).toBe(5000);
    expect(body.rows).toMatchObject([
      { leaseId, plot: "P01", holder: "Aurore Lebrun", amountCents: 5000, daysLate: 40 },
    ]);
    expect(body.rows[0].remindedAt).not.toBeNull();
    expect(body.rows[0].invoice?.number).toMatch(/^F-\d{4}-\d{4}$/);
    const counts = await json<{ counts: Record<string, number> }>(
      await get(overview.loader as Handler, "/gestion/terres"),
    );
    expect(counts.counts).toMatchObject({ overdue: 1, overdueCents: 5000 });
  });
});
