import { beforeEach, describe, expect, it } from "vitest";
import * as layout from "~/routes/gestion+/_layout";
import * as home from "~/routes/gestion+/_index";
import * as emailPage from "~/routes/gestion+/emails.$emailId";
import * as emails from "~/routes/gestion+/emails._index";
import * as organisation from "~/routes/gestion+/organisations.$organisationId";
import * as newOrganisation from "~/routes/gestion+/organisations.nouvelle";
import * as organisations from "~/routes/gestion+/organisations._index";
import * as settings from "~/routes/gestion+/parametres";
import * as person from "~/routes/gestion+/personnes.$personId";
import * as people from "~/routes/gestion+/personnes._index";
import { db } from "~/utils/db.server";
import { sendEmail } from "~/utils/email.server";
import { createOrganisation, createPerson, createPole } from "../factories";
import { callRoute, errorsOf, makeRequest, resetDatabase, sessionCookie } from "../helpers";

let poleId: string;
const cookies: Record<"ADMIN" | "STAFF" | "MEMBER" | "USER", string> = { ADMIN: "", STAFF: "", MEMBER: "", USER: "" };
let subjectId: string;
let organisationId: string;
let emailId: string;

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db, { siren: "912345675" })).id;
  for (const role of ["ADMIN", "STAFF", "MEMBER", "USER"] as const) {
    cookies[role] = await sessionCookie((await createPerson(db, { poleId, role })).id);
  }
  subjectId = (await createPerson(db, { poleId, name: "Sujet" })).id;
  organisationId = (await createOrganisation(db, { poleId, name: "Les Composteurs" })).id;
  emailId = (await sendEmail({ poleId, to: "x@exemple.test", subject: "Secret", text: "lien https://exemple.test/t" }))
    .id;
});

const LOADERS = [
  ["/gestion", layout.loader, {}],
  ["/gestion", home.loader, {}],
  ["/gestion/personnes", people.loader, {}],
  ["/gestion/personnes/:id", person.loader, () => ({ personId: subjectId })],
  ["/gestion/organisations", organisations.loader, {}],
  ["/gestion/organisations/nouvelle", newOrganisation.loader, {}],
  ["/gestion/organisations/:id", organisation.loader, () => ({ organisationId })],
  ["/gestion/parametres", settings.loader, {}],
  ["/gestion/emails", emails.loader, {}],
  ["/gestion/emails/:id", emailPage.loader, () => ({ emailId })],
] as const;

const paramsOf = (p: (typeof LOADERS)[number][2]) => (typeof p === "function" ? p() : p);

describe("back-office access", () => {
  it.each(LOADERS)("%s refuses a plain user and a member with a French 403", async (path, loader, params) => {
    for (const role of ["USER", "MEMBER"] as const) {
      const response = await callRoute(loader, makeRequest(path, { cookie: cookies[role] }), paramsOf(params));
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ message: "Cette page est réservée à l'équipe du pôle." });
    }
  });

  it.each(LOADERS)("%s sends a visitor to log in", async (path, loader, params) => {
    const response = await callRoute(loader, makeRequest(path), paramsOf(params));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/connexion\?redirectTo=/);
  });

  it.each(LOADERS)("%s opens for staff", async (path, loader, params) => {
    const response = await callRoute(loader, makeRequest(path, { cookie: cookies.STAFF }), paramsOf(params));
    expect(response.status).toBe(200);
  });

  it("refuses every back-office action to a plain user", async () => {
    const actions = [
      [person.action, { personId: subjectId }, { role: "ADMIN" }],
      [newOrganisation.action, {}, { name: "Intrus", kind: "COMPANY" }],
      [organisation.action, { organisationId }, { name: "Intrus", kind: "COMPANY" }],
      [settings.action, {}, { name: "Intrus" }],
    ] as const;
    for (const [action, params, form] of actions) {
      const response = await callRoute(action, makeRequest("/gestion", { cookie: cookies.USER, form }), params);
      expect(response.status).toBe(403);
    }
    expect((await db.membership.findFirstOrThrow({ where: { personId: subjectId } })).role).toBe("USER");
  });

  it("does not show another pole's people, organisations or emails", async () => {
    const other = await createPole(db);
    const stranger = await createPerson(db, { poleId: other.id });
    const foreignOrg = await createOrganisation(db, { poleId: other.id });
    const foreignMail = await sendEmail({ poleId: other.id, to: "y@exemple.test", subject: "Autre", text: "…" });
    const cases = [
      [person.loader, { personId: stranger.id }],
      [organisation.loader, { organisationId: foreignOrg.id }],
      [emailPage.loader, { emailId: foreignMail.id }],
    ] as const;
    for (const [loader, params] of cases) {
      expect((await callRoute(loader, makeRequest("/gestion/x", { cookie: cookies.ADMIN }), params)).status).toBe(404);
    }
  });
});

describe("people and roles", () => {
  it("lets staff make someone a member of an organisation", async () => {
    const response = await callRoute(
      person.action,
      makeRequest("/gestion/personnes/x", { cookie: cookies.STAFF, form: { role: "MEMBER", organisationId } }),
      { personId: subjectId },
    );
    expect(response.status).toBe(200);
    expect(await db.membership.findFirstOrThrow({ where: { personId: subjectId } })).toMatchObject({
      role: "MEMBER",
      organisationId,
    });
  });

  it("refuses staff granting the admin role, with a field message", async () => {
    const response = await callRoute(
      person.action,
      makeRequest("/gestion/personnes/x", { cookie: cookies.STAFF, form: { role: "ADMIN" } }),
      { personId: subjectId },
    );
    expect(response.status).toBe(403);
    expect((await errorsOf(response)).role?.[0]).toMatch(/administrateur/);
  });

  it("refuses an unknown role", async () => {
    const response = await callRoute(
      person.action,
      makeRequest("/gestion/personnes/x", { cookie: cookies.ADMIN, form: { role: "GOD" } }),
      { personId: subjectId },
    );
    expect(response.status).toBe(400);
    expect((await errorsOf(response)).role).toEqual(["Choisissez un rôle dans la liste."]);
  });

  it("filters the people list", async () => {
    const response = await callRoute(
      people.loader,
      makeRequest("/gestion/personnes?q=sujet&role=USER", { cookie: cookies.STAFF }),
    );
    const body = (await response.json()) as { rows: { person: { name: string } }[] };
    expect(body.rows.map((r) => r.person.name)).toEqual(["Sujet"]);
  });
});

describe("organisations", () => {
  it("creates an organisation and refuses a duplicate name or a bad website", async () => {
    const created = await callRoute(
      newOrganisation.action,
      makeRequest("/gestion/organisations/nouvelle", {
        cookie: cookies.STAFF,
        form: { name: "Méthagri", kind: "COOPERATIVE", isMember: "on" },
      }),
    );
    expect(created.status).toBe(302);
    const duplicate = await callRoute(
      newOrganisation.action,
      makeRequest("/gestion/organisations/nouvelle", {
        cookie: cookies.STAFF,
        form: { name: "les composteurs", kind: "ASSOCIATION" },
      }),
    );
    expect(duplicate.status).toBe(409);
    expect((await errorsOf(duplicate)).name).toEqual(["Une organisation porte déjà ce nom."]);
    const badSite = await callRoute(
      newOrganisation.action,
      makeRequest("/gestion/organisations/nouvelle", {
        cookie: cookies.STAFF,
        form: { name: "Autre", kind: "ASSOCIATION", website: "chez nous" },
      }),
    );
    expect(badSite.status).toBe(400);
    expect((await errorsOf(badSite)).website).toEqual(["Indiquez une adresse web complète (https://…)."]);
  });

  it("edits an organisation, unticking membership", async () => {
    const response = await callRoute(
      organisation.action,
      makeRequest("/gestion/organisations/x", {
        cookie: cookies.STAFF,
        form: { name: "Les Composteurs", kind: "COMPANY" },
      }),
      { organisationId },
    );
    expect(response.status).toBe(200);
    expect(await db.organisation.findUniqueOrThrow({ where: { id: organisationId } })).toMatchObject({
      kind: "COMPANY",
      isMember: false,
    });
  });

  it("records the address its invoices print, and a SIRET whose SIREN key holds", async () => {
    const save = (form: Record<string, string>) =>
      callRoute(
        organisation.action,
        makeRequest("/gestion/organisations/x", {
          cookie: cookies.STAFF,
          form: { name: "Les Composteurs", kind: "COMPANY", ...form },
        }),
        { organisationId },
      );
    const saved = await save({
      siret: "844 123 455 00025",
      address: "12 rue Ampère",
      postalCode: "31670",
      city: "Labège",
    });
    expect(saved.status).toBe(200);
    expect(await db.organisation.findUniqueOrThrow({ where: { id: organisationId } })).toMatchObject({
      siret: "84412345500025",
      address: "12 rue Ampère",
      postalCode: "31670",
      city: "Labège",
    });
    const page = await (
      await callRoute(organisation.loader, makeRequest("/gestion/organisations/x", { cookie: cookies.STAFF }), {
        organisationId,
      })
    ).json();
    expect(page.organisation).toMatchObject({ address: "12 rue Ampère", postalCode: "31670" });

    for (const [form, field, message] of [
      [{ postalCode: "3167" }, "postalCode", "Le code postal compte 5 chiffres."],
      [
        { siret: "84412345600025" },
        "siret",
        "Ce SIRET n'est pas valide : ses 9 premiers chiffres (le SIREN) n'ont pas la bonne clé de contrôle.",
      ],
      [{ address: "x".repeat(201) }, "address", "L'adresse ne peut pas dépasser 200 caractères."],
    ] as const) {
      const refused = await save({ ...form, city: "Ailleurs" });
      expect(refused.status).toBe(400);
      expect((await errorsOf(refused))[field]).toEqual([message]);
    }
    expect((await db.organisation.findUniqueOrThrow({ where: { id: organisationId } })).city).toBe("Labège");
  });
});

describe("pole settings", () => {
  const validSettings = {
    name: "Pôle renommé",
    legalName: "SCIC Renommée",
    legalForm: "SCIC SAS",
    capitalVariable: "on",
    siren: "912 345 675",
    rcsCity: "Toulouse",
    vatNumber: "FR65912345675",
    paymentTermDays: "45",
    latePenaltyRate: "10 % par an",
    addressLine: "1 rue du Moulin",
    postalCode: "31450",
    city: "Montgiscard",
    hours_mon: "08:30-12:30, 13:30-18:00",
    hours_sat: "",
    pledgeGraceDays: "7",
  };

  it("lets an admin save the settings, opening hours included", async () => {
    const response = await callRoute(
      settings.action,
      makeRequest("/gestion/parametres", { cookie: cookies.ADMIN, form: validSettings }),
    );
    expect(response.status).toBe(200);
    const pole = await db.pole.findUniqueOrThrow({ where: { id: poleId } });
    expect(pole).toMatchObject({
      name: "Pôle renommé",
      legalForm: "SCIC SAS",
      capitalVariable: true,
      siren: "912345675",
      rcsCity: "Toulouse",
      vatNumber: "FR65912345675",
      paymentTermDays: 45,
      latePenaltyRate: "10 % par an",
    });
    // Capital no longer variable, no VAT number: both are written too.
    const { capitalVariable: _, ...fixedCapital } = validSettings;
    expect(
      (
        await callRoute(
          settings.action,
          makeRequest("/gestion/parametres", { cookie: cookies.ADMIN, form: { ...fixedCapital, vatNumber: "" } }),
        )
      ).status,
    ).toBe(200);
    expect(await db.pole.findUniqueOrThrow({ where: { id: poleId } })).toMatchObject({
      capitalVariable: false,
      vatNumber: null,
    });
    expect((pole.openingHours as Record<string, unknown>).mon).toEqual([
      { open: "08:30", close: "12:30" },
      { open: "13:30", close: "18:00" },
    ]);
  });

  it("shows staff the settings but refuses their changes", async () => {
    const page = await callRoute(settings.loader, makeRequest("/gestion/parametres", { cookie: cookies.STAFF }));
    expect(await page.json()).toMatchObject({ canEdit: false });
    const response = await callRoute(
      settings.action,
      makeRequest("/gestion/parametres", { cookie: cookies.STAFF, form: validSettings }),
    );
    expect(response.status).toBe(403);
  });

  it.each([
    [{ siren: "123456789" }, "siren", "Ce SIREN n'est pas valide (9 chiffres, clé de contrôle)."],
    [{ siren: "91234567" }, "siren", "Ce SIREN n'est pas valide (9 chiffres, clé de contrôle)."],
    [{ siren: "91234567A" }, "siren", "Ce SIREN n'est pas valide (9 chiffres, clé de contrôle)."],
    [
      { vatNumber: "FR00912345675" },
      "vatNumber",
      "Ce numéro de TVA ne correspond pas au SIREN (format FR + clé + SIREN).",
    ],
    // A valid VAT number (key right) of another company than this SIREN.
    [
      { vatNumber: "FR10844123455" },
      "vatNumber",
      "Ce numéro de TVA ne correspond pas au SIREN (format FR + clé + SIREN).",
    ],
    [
      { vatNumber: "DE123456789" },
      "vatNumber",
      "Ce numéro de TVA ne correspond pas au SIREN (format FR + clé + SIREN).",
    ],
    [
      { siren: "", vatNumber: "FR65912345675" },
      "siren",
      "Indiquez le SIREN : le numéro de TVA intracommunautaire en découle.",
    ],
    [{ legalForm: "SCIC" }, "legalForm", "Choisissez la forme juridique : SCIC SA, SCIC SAS ou SCIC SARL."],
    [{ legalForm: "" }, "legalForm", "Choisissez la forme juridique : SCIC SA, SCIC SAS ou SCIC SARL."],
    [{ rcsCity: "T" }, "rcsCity", "Indiquez la ville du greffe (au moins 2 caractères)."],
    [
      { paymentTermDays: "90" },
      "paymentTermDays",
      "Le délai de paiement ne dépasse pas 60 jours (article L441-10 du Code de commerce).",
    ],
    [{ paymentTermDays: "-1" }, "paymentTermDays", "Le délai de paiement ne peut pas être négatif."],
    [{ latePenaltyRate: "" }, "latePenaltyRate", "Indiquez le taux des pénalités de retard."],
    [{ postalCode: "314" }, "postalCode", "Le code postal compte 5 chiffres."],
    [
      { hours_mon: "toute la journée" },
      "hours_mon",
      "« toute la journée » n'est pas une plage horaire (ex. 08:30-18:00).",
    ],
  ])("refuses %o with a field message, writing nothing", async (overrides, field, message) => {
    const before = await db.pole.findUniqueOrThrow({ where: { id: poleId } });
    const response = await callRoute(
      settings.action,
      makeRequest("/gestion/parametres", { cookie: cookies.ADMIN, form: { ...validSettings, ...overrides } }),
    );
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[field]).toEqual([message]);
    expect(await db.pole.findUniqueOrThrow({ where: { id: poleId } })).toEqual(before);
  });
});
