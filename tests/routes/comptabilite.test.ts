import { beforeEach, describe, expect, it } from "vitest";
import {
  closeFiscalYear,
  createFiscalYear,
  fiscalYearOf,
  parisDate,
  post,
  toSqlDate,
} from "~/domain/ledger/index.server";
import * as balance from "~/routes/gestion+/comptabilite.balance";
import * as accountLedger from "~/routes/gestion+/comptabilite.comptes.$code";
import * as accounts from "~/routes/gestion+/comptabilite.comptes._index";
import * as entryPage from "~/routes/gestion+/comptabilite.ecritures.$entryId";
import * as newEntry from "~/routes/gestion+/comptabilite.ecritures.nouvelle";
import * as years from "~/routes/gestion+/comptabilite.exercices";
import * as layout from "~/routes/gestion+/comptabilite";
import * as journal from "~/routes/gestion+/comptabilite._index";
import { db } from "~/utils/db.server";
import { formatCents, formatDate } from "~/utils/format";
import { createPerson, createPole } from "../factories";
import { callRoute, dayAfter, errorsOf, makeRequest, resetDatabase, sessionCookie } from "../helpers";
import { isoDate } from "~/domain/ledger/dates";
import { cents } from "~/domain/money";

type Role = "ADMIN" | "STAFF" | "MEMBER" | "USER";
let poleId: string;
let adminId: string;
const cookies: Record<Role, string> = { ADMIN: "", STAFF: "", MEMBER: "", USER: "" };
let entryId: string;

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  for (const role of ["ADMIN", "STAFF", "MEMBER", "USER"] as const) {
    const person = await createPerson(db, { poleId, role });
    if (role === "ADMIN") adminId = person.id;
    cookies[role] = await sessionCookie(person.id);
  }
  const { entry } = await post(db, {
    poleId,
    sourceKey: "subsidy:region",
    date: isoDate("2026-03-15"),
    journal: "BQ",
    label: "Subvention Région Occitanie",
    pieceRef: "REG-1",
    lines: [
      { account: "512000", debit: cents(2_500_000) },
      { account: "740000", credit: cents(2_500_000) },
    ],
  });
  entryId = entry.id;
});

const counts = async () => ({
  entries: await db.journalEntry.count(),
  accounts: await db.account.count(),
  years: await db.fiscalYear.count(),
  closed: await db.fiscalYear.count({ where: { closedAt: { not: null } } }),
});

type Handler = Parameters<typeof callRoute>[0];
const LOADERS: [string, Handler, () => Record<string, string>][] = [
  ["/gestion/comptabilite (layout)", layout.loader as Handler, () => ({})],
  ["/gestion/comptabilite", journal.loader as Handler, () => ({})],
  ["/gestion/comptabilite/balance", balance.loader as Handler, () => ({})],
  ["/gestion/comptabilite/comptes", accounts.loader as Handler, () => ({})],
  ["/gestion/comptabilite/comptes/512000", accountLedger.loader as Handler, () => ({ code: "512000" })],
  ["/gestion/comptabilite/ecritures/:id", entryPage.loader as Handler, () => ({ entryId })],
  ["/gestion/comptabilite/ecritures/nouvelle", newEntry.loader as Handler, () => ({})],
  ["/gestion/comptabilite/exercices", years.loader as Handler, () => ({})],
];

const validEntry = (overrides: Record<string, string> = {}) => ({
  idempotencyKey: "6a1d2c3b-0000-4000-8000-000000000001",
  journal: "BQ",
  date: "2026-06-01",
  label: "Subvention État AMI",
  pieceRef: "AMI-1",
  "lines[0].account": "512000",
  "lines[0].debit": "1 500,00",
  "lines[1].account": "740000",
  "lines[1].credit": "1500",
  ...overrides,
});

const ACTIONS: [string, Handler, () => Record<string, string>, () => Record<string, string>][] = [
  ["new entry", newEntry.action as Handler, () => ({}), () => validEntry()],
  ["reversal", entryPage.action as Handler, () => ({ entryId }), () => ({ reason: "Erreur de saisie" })],
  [
    "sub-account",
    accounts.action as Handler,
    () => ({}),
    () => ({ parentCode: "740000", code: "740100", label: "Subvention Région" }),
  ],
  [
    "fiscal year",
    years.action as Handler,
    () => ({}),
    () => ({ intent: "create", startDate: "2030-01-01", endDate: "2030-12-31" }),
  ],
];

describe("access", () => {
  it.each(LOADERS)("%s sends a visitor to log in", async (path, loader, params) => {
    const response = await callRoute(loader, makeRequest("/gestion/comptabilite"), params());
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/connexion\?redirectTo=/);
  });

  it.each(LOADERS)("%s refuses a plain user and a member with a French 403", async (path, loader, params) => {
    for (const role of ["USER", "MEMBER"] as const) {
      const response = await callRoute(
        loader,
        makeRequest("/gestion/comptabilite", { cookie: cookies[role] }),
        params(),
      );
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ message: "Cette page est réservée à l'équipe du pôle." });
    }
  });

  it.each(LOADERS)("%s opens for staff", async (path, loader, params) => {
    const response = await callRoute(loader, makeRequest("/gestion/comptabilite", { cookie: cookies.STAFF }), params());
    expect(response.status).toBe(200);
  });

  it.each(ACTIONS)(
    "the %s action refuses visitors, users and members and writes nothing",
    async (name, action, params, form) => {
      const before = await counts();
      const visitor = await callRoute(action, makeRequest("/gestion/comptabilite", { form: form() }), params());
      expect(visitor.status).toBe(302);
      for (const role of ["USER", "MEMBER"] as const) {
        const response = await callRoute(
          action,
          makeRequest("/gestion/comptabilite", { cookie: cookies[role], form: form() }),
          params(),
        );
        expect(response.status).toBe(403);
      }
      expect(await counts()).toEqual(before);
    },
  );

  it.each(ACTIONS)("the %s action works for staff", async (name, action, params, form) => {
    const before = await counts();
    const response = await callRoute(
      action,
      makeRequest("/gestion/comptabilite", { cookie: cookies.STAFF, form: form() }),
      params(),
    );
    expect([200, 302]).toContain(response.status);
    expect(await counts()).not.toEqual(before);
  });

  it("lets only an admin close a fiscal year", async () => {
    const past = await createFiscalYear(db, {
      poleId,
      startDate: isoDate("2020-01-01"),
      endDate: isoDate("2020-12-31"),
    });
    if (!past.ok) throw new Error(past.message);
    const year = past.value;
    const close = { intent: "close", fiscalYearId: year.id, confirmEmpty: "on" };
    for (const role of ["STAFF", "MEMBER", "USER"] as const) {
      const refused = await callRoute(
        years.action as Handler,
        makeRequest("/gestion/comptabilite/exercices", { cookie: cookies[role], form: close }),
      );
      expect(refused.status).toBe(403);
    }
    expect((await counts()).closed).toBe(0);
    const staffPage = await callRoute(
      years.loader as Handler,
      makeRequest("/gestion/comptabilite/exercices", { cookie: cookies.STAFF }),
    );
    expect(await staffPage.json()).toMatchObject({ canClose: false });
    const done = await callRoute(
      years.action as Handler,
      makeRequest("/gestion/comptabilite/exercices", { cookie: cookies.ADMIN, form: close }),
    );
    expect(done.status).toBe(200);
    expect(await db.fiscalYear.findUniqueOrThrow({ where: { id: year.id } })).toMatchObject({ closedById: adminId });
  });

  it("does not show another pole's entry and answers 404 for an unknown account", async () => {
    const other = await createPole(db);
    const { entry } = await post(db, {
      poleId: other.id,
      sourceKey: "x",
      date: isoDate("2026-01-02"),
      journal: "OD",
      label: "Autre pôle",
      pieceRef: "X",
      lines: [
        { account: "512000", debit: cents(1) },
        { account: "740000", credit: cents(1) },
      ],
    });
    expect(
      (
        await callRoute(entryPage.loader as Handler, makeRequest("/x", { cookie: cookies.STAFF }), {
          entryId: entry.id,
        })
      ).status,
    ).toBe(404);
    const reversal = await callRoute(
      entryPage.action as Handler,
      makeRequest("/x", { cookie: cookies.STAFF, form: { reason: "pas à nous" } }),
      { entryId: entry.id },
    );
    expect(reversal.status).toBe(404);
    expect((await errorsOf(reversal))[""]).toEqual(["Cette écriture n'existe pas."]);
    expect(await db.journalEntry.count({ where: { poleId: other.id } })).toBe(1);
    expect(
      (
        await callRoute(accountLedger.loader as Handler, makeRequest("/x", { cookie: cookies.STAFF }), {
          code: "999999",
        })
      ).status,
    ).toBe(404);
    expect(
      (await callRoute(accountLedger.loader as Handler, makeRequest("/x", { cookie: cookies.STAFF }), { code: "abc" }))
        .status,
    ).toBe(404);
  });
});

const postEntry = (form: Record<string, string>) =>
  callRoute(
    newEntry.action as Handler,
    makeRequest("/gestion/comptabilite/ecritures/nouvelle", { cookie: cookies.STAFF, form }),
  );

describe("manual entry", () => {
  it("posts a subsidy typed in euros and sends staff to it; a double submit posts once", async () => {
    const first = await postEntry(validEntry());
    expect(first.status).toBe(302);
    const location = first.headers.get("Location")!;
    expect(location).toMatch(/^\/gestion\/comptabilite\/ecritures\/.+\?enregistree$/);
    const second = await postEntry(validEntry());
    expect(second.headers.get("Location")).toBe(location);
    const entries = await db.journalEntry.findMany({
      where: { sourceKey: { startsWith: "manual:" } },
      include: { lines: true },
    });
    expect(entries).toHaveLength(1);
    expect(entries[0].lines.map((l) => [l.debit, l.credit])).toEqual([
      [150_000, 0],
      [0, 150_000],
    ]);
  });

  it("renders four blank lines, a fresh key each time, and presets for a subsidy", async () => {
    const a = (await (
      await callRoute(
        newEntry.loader as Handler,
        makeRequest("/gestion/comptabilite/ecritures/nouvelle", { cookie: cookies.STAFF }),
      )
    ).json()) as {
      defaultValue: { idempotencyKey: string; lines: unknown[]; date: string };
    };
    const b = (await (
      await callRoute(
        newEntry.loader as Handler,
        makeRequest("/gestion/comptabilite/ecritures/nouvelle?modele=subvention", { cookie: cookies.STAFF }),
      )
    ).json()) as {
      defaultValue: { idempotencyKey: string; journal: string; lines: { account?: string; stream?: string }[] };
    };
    expect(a.defaultValue.lines).toHaveLength(4);
    expect(a.defaultValue.date).toBe(parisDate(new Date()));
    expect(a.defaultValue.idempotencyKey).not.toBe(b.defaultValue.idempotencyKey);
    expect(b.defaultValue.journal).toBe("BQ");
    expect(b.defaultValue.lines.slice(0, 2)).toEqual([{ account: "512000" }, { account: "740000", stream: "SUBSIDY" }]);
  });

  it("answers the add-line button without JavaScript with the longer list, not an error", async () => {
    const response = await postEntry({
      ...validEntry(),
      __intent__: JSON.stringify({ type: "insert", payload: { name: "lines" } }),
    });
    expect(response.status).toBe(200);
    expect(await db.journalEntry.count()).toBe(1);
  });

  it.each([
    [
      "unbalanced",
      { "lines[1].credit": "1 499,99" },
      400,
      "lines",
      `L'écriture n'est pas équilibrée : débit ${formatCents(150_000)}, crédit ${formatCents(149_999)} (écart ${formatCents(1)}).`,
    ],
    [
      "both debit and credit",
      { "lines[1].debit": "10" },
      400,
      "lines[1].credit",
      "Une ligne porte soit un débit, soit un crédit, pas les deux.",
    ],
    [
      "neither debit nor credit",
      { "lines[2].account": "606000" },
      400,
      "lines[2].debit",
      "Indiquez un débit ou un crédit.",
    ],
    [
      "negative",
      { "lines[0].debit": "-1500", "lines[1].credit": "-1500" },
      400,
      "lines[0].debit",
      "Un montant ne peut pas être négatif.",
    ],
    [
      "zero",
      { "lines[0].debit": "0", "lines[1].credit": "0" },
      400,
      "lines[0].debit",
      "Un montant doit être supérieur à zéro.",
    ],
    [
      "three decimals",
      { "lines[0].debit": "1500,001" },
      400,
      "lines[0].debit",
      "Un montant compte au plus deux décimales (centimes).",
    ],
    ["a line without account", { "lines[1].account": "" }, 400, "lines[1].account", "Choisissez un compte."],
    [
      "a single line",
      { "lines[1].account": "", "lines[1].credit": "" },
      400,
      "lines",
      "Une écriture compte au moins deux lignes.",
    ],
    ["bad date", { date: "2026-02-30" }, 400, "date", "Indiquez une date valide (jj/mm/aaaa)."],
    ["missing date", { date: "" }, 400, "date", "Indiquez la date de l'écriture."],
    ["unknown journal", { journal: "XX" }, 400, "journal", "Choisissez un journal (VT, BQ ou OD)."],
    ["missing label", { label: "" }, 400, "label", "Indiquez le libellé de l'écriture."],
    [
      "missing piece",
      { pieceRef: "" },
      400,
      "pieceRef",
      "Indiquez la référence de la pièce (n° de virement, de facture…).",
    ],
    ["no key", { idempotencyKey: "" }, 400, "idempotencyKey", "Le formulaire a expiré : rechargez la page."],
  ])("refuses %s with a French field message and writes nothing", async (name, overrides, status, field, message) => {
    const response = await postEntry(validEntry(overrides));
    expect(response.status).toBe(status);
    expect((await errorsOf(response))[field]).toEqual([message]);
    expect(await db.journalEntry.count()).toBe(1);
  });

  it("refuses an unknown account on the row it was typed in", async () => {
    // Row 1 is blank: the unknown account sits on the third row of the form but is the second line posted.
    const response = await postEntry(
      validEntry({
        "lines[1].account": "",
        "lines[1].credit": "",
        "lines[2].account": "799999",
        "lines[2].credit": "1500",
      }),
    );
    expect(response.status).toBe(422);
    expect((await errorsOf(response))["lines[2].account"]).toEqual([
      "Le compte 799999 n'existe pas dans le plan comptable du pôle.",
    ]);
    expect(await db.journalEntry.count()).toBe(1);
  });

  it("refuses a date in a closed fiscal year with 409 on the date", async () => {
    const year = await db.fiscalYear.findFirstOrThrow({ where: { poleId } });
    await closeFiscalYear(db, { poleId, fiscalYearId: year.id, closedById: adminId, now: dayAfter(year.endDate) });
    const response = await postEntry(validEntry());
    expect(response.status).toBe(409);
    expect((await errorsOf(response)).date).toEqual(["L'exercice qui contient le 1 juin 2026 est clôturé."]);
    // The entry of the fixture and the opening entry the closing posted in the next year.
    expect(await db.journalEntry.count({ where: { journal: { not: "AN" } } })).toBe(1);
  });
});

const reverseEntry = (id: string, form: Record<string, string>) =>
  callRoute(
    entryPage.action as Handler,
    makeRequest(`/gestion/comptabilite/ecritures/${id}`, { cookie: cookies.STAFF, form }),
    { entryId: id },
  );

describe("reversal", () => {
  it("reverses an entry dated today with its reason and shows it on the entry", async () => {
    const response = await reverseEntry(entryId, { reason: "  Versement en double  " });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/gestion/comptabilite/ecritures/${entryId}?contrepassee`);
    const page = (await (
      await callRoute(entryPage.loader as Handler, makeRequest("/x", { cookie: cookies.STAFF }), { entryId })
    ).json()) as {
      entry: { reversedBy: { id: string; date: string; reason: string } };
    };
    expect(page.entry.reversedBy).toMatchObject({ date: parisDate(new Date()), reason: "Versement en double" });
    const reversal = await db.journalEntry.findUniqueOrThrow({
      where: { id: page.entry.reversedBy.id },
      include: { lines: { orderBy: { id: "asc" } } },
    });
    expect(reversal.lines.map((l) => [l.debit, l.credit])).toEqual([
      [0, 2_500_000],
      [2_500_000, 0],
    ]);
  });

  it.each([
    ["empty", { reason: "" }, "Indiquez la raison de la contrepassation."],
    ["blank", { reason: "   " }, "Indiquez la raison de la contrepassation."],
    ["too short", { reason: "ab" }, "Indiquez la raison de la contrepassation (3 caractères au moins)."],
  ])("refuses an %s reason and writes nothing", async (name, form, message) => {
    const response = await reverseEntry(entryId, form);
    expect(response.status).toBe(400);
    expect((await errorsOf(response)).reason).toEqual([message]);
    expect(await db.journalEntry.count()).toBe(1);
  });

  it("refuses to reverse a reversal with a French form message", async () => {
    await reverseEntry(entryId, { reason: "Erreur" });
    const reversal = await db.journalEntry.findFirstOrThrow({ where: { reversalOfId: entryId } });
    const response = await reverseEntry(reversal.id, { reason: "Encore" });
    expect(response.status).toBe(422);
    expect((await errorsOf(response))[""]).toEqual(["Une contrepassation ne se contrepasse pas."]);
    expect(await db.journalEntry.count()).toBe(2);
  });

  it("refuses a reversal when today's fiscal year is closed", async () => {
    const today = parisDate(new Date());
    const lastYear = String(Number(today.slice(0, 4)) - 1);
    const { entry } = await post(db, {
      poleId,
      sourceKey: "last-year",
      date: isoDate(`${lastYear}-06-01`),
      journal: "OD",
      label: "Écriture de l'an dernier",
      pieceRef: "LY",
      lines: [
        { account: "606000", debit: cents(100) },
        { account: "512000", credit: cents(100) },
      ],
    });
    // Years are closed in order: close the earlier ones first. Today's year exists already when the seeded entry
    // falls in it; otherwise create it.
    for (const earlier of await db.fiscalYear.findMany({
      where: { poleId, endDate: { lt: new Date(`${today.slice(0, 4)}-01-01`) } },
      orderBy: { startDate: "asc" },
    })) {
      expect(
        (
          await closeFiscalYear(db, {
            poleId,
            fiscalYearId: earlier.id,
            closedById: adminId,
            now: dayAfter(earlier.endDate),
            confirmEmpty: true,
          })
        ).ok,
      ).toBe(true);
    }
    const existing = await fiscalYearOf(db, poleId, today);
    const created = existing
      ? null
      : await createFiscalYear(db, {
          poleId,
          startDate: isoDate(`${today.slice(0, 4)}-01-01`),
          endDate: isoDate(`${today.slice(0, 4)}-12-31`),
        });
    const yearId = existing?.id ?? (created?.ok ? created.value.id : "");
    expect(
      (
        await closeFiscalYear(db, {
          poleId,
          fiscalYearId: yearId,
          closedById: adminId,
          now: dayAfter(`${today.slice(0, 4)}-12-31`),
          confirmEmpty: true,
        })
      ).ok,
    ).toBe(true);
    const before = await counts();
    const response = await reverseEntry(entry.id, { reason: "Erreur de saisie" });
    expect(response.status).toBe(409);
    expect((await errorsOf(response))[""]).toEqual([
      `L'exercice qui contient le ${formatDate(toSqlDate(today))} est clôturé.`,
    ]);
    expect(await counts()).toEqual(before);
  });
});

describe("accounts", () => {
  const add = (form: Record<string, string>) =>
    callRoute(
      accounts.action as Handler,
      makeRequest("/gestion/comptabilite/comptes", { cookie: cookies.STAFF, form }),
    );

  it("adds a sub-account that inherits its parent's stream", async () => {
    const response = await add({ parentCode: "740000", code: "740100", label: "Subvention Région Occitanie" });
    expect(response.status).toBe(200);
    expect(await db.account.findFirstOrThrow({ where: { poleId, code: "740100" } })).toMatchObject({
      label: "Subvention Région Occitanie",
      stream: "SUBSIDY",
    });
  });

  it.each([
    [
      "not under its parent",
      { parentCode: "740000", code: "750100", label: "Ailleurs" },
      400,
      "code",
      "Le numéro d'un sous-compte de 740000 commence par 74 et en diffère.",
    ],
    [
      "equal to its parent",
      { parentCode: "740000", code: "740000", label: "Même" },
      400,
      "code",
      "Le numéro d'un sous-compte de 740000 commence par 74 et en diffère.",
    ],
    [
      "the parent itself",
      { parentCode: "512000", code: "512000", label: "Banque" },
      400,
      "code",
      "Le numéro d'un sous-compte de 512000 commence par 512 et en diffère.",
    ],
    [
      "an unknown parent",
      { parentCode: "999000", code: "999100", label: "Inconnu" },
      400,
      "parentCode",
      "Choisissez un compte parent du plan comptable.",
    ],
    [
      "a code with letters",
      { parentCode: "740000", code: "74A100", label: "Lettres" },
      400,
      "code",
      "Un numéro de compte compte 6 à 10 chiffres.",
    ],
    ["no label", { parentCode: "740000", code: "740200", label: "" }, 400, "label", "Indiquez l'intitulé du compte."],
    [
      "an unknown stream",
      { parentCode: "740000", code: "740200", label: "Flux", stream: "MAGIC" },
      400,
      "stream",
      "Choisissez un flux dans la liste.",
    ],
  ])("refuses %s", async (name, form, status, field, message) => {
    const before = await counts();
    const response = await add(form);
    expect(response.status).toBe(status);
    expect((await errorsOf(response))[field]).toEqual([message]);
    expect(await counts()).toEqual(before);
  });

  it("refuses a sub-account that already exists with 409", async () => {
    await add({ parentCode: "740000", code: "740100", label: "Subvention Région" });
    const before = await counts();
    const response = await add({ parentCode: "740000", code: "740100", label: "Encore" });
    expect(response.status).toBe(409);
    expect((await errorsOf(response)).code).toEqual(["Le compte 740100 existe déjà."]);
    expect(await counts()).toEqual(before);
  });
});

describe("fiscal years", () => {
  const act = (role: Role, form: Record<string, string>) =>
    callRoute(years.action as Handler, makeRequest("/gestion/comptabilite/exercices", { cookie: cookies[role], form }));

  it("lists the years with their entry counts", async () => {
    const body = (await (
      await callRoute(years.loader as Handler, makeRequest("/x", { cookie: cookies.ADMIN }))
    ).json()) as { years: unknown[]; canClose: boolean };
    expect(body).toMatchObject({
      canClose: true,
      years: [
        {
          id: expect.any(String),
          startDate: "2026-01-01",
          endDate: "2026-12-31",
          closedAt: null,
          resultCents: null,
          fecExportedAt: null,
          reopenable: false,
          entries: 1,
        },
      ],
      check: { entries: 1, unbalanced: 0 },
      log: [],
    });
  });

  it("closes once when two admins close at the same time, and never before the year's last day", async () => {
    expect((await act("STAFF", { intent: "create", startDate: "2090-01-01", endDate: "2090-12-31" })).status).toBe(200);
    const future = await db.fiscalYear.findFirstOrThrow({ where: { poleId, startDate: new Date("2090-01-01") } });
    const early = await act("ADMIN", { intent: "close", fiscalYearId: future.id, confirmEmpty: "on" });
    expect(early.status).toBe(409);
    expect((await errorsOf(early))[""]?.join(" ")).toContain("il se clôture à partir de ce jour-là");

    expect((await act("STAFF", { intent: "create", startDate: "2020-01-01", endDate: "2020-12-31" })).status).toBe(200);
    const past = await db.fiscalYear.findFirstOrThrow({ where: { poleId, startDate: new Date("2020-01-01") } });
    const both = await Promise.all([
      act("ADMIN", { intent: "close", fiscalYearId: past.id, confirmEmpty: "on" }),
      act("ADMIN", { intent: "close", fiscalYearId: past.id, confirmEmpty: "on" }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await counts()).closed).toBe(1);
  });

  it("lets only an admin reopen a closed year, with a reason written to the audit log", async () => {
    expect((await act("STAFF", { intent: "create", startDate: "2020-01-01", endDate: "2020-12-31" })).status).toBe(200);
    const year = await db.fiscalYear.findFirstOrThrow({ where: { poleId, startDate: new Date("2020-01-01") } });
    expect((await act("ADMIN", { intent: "close", fiscalYearId: year.id, confirmEmpty: "on" })).status).toBe(200);
    const reopen = { intent: "reopen", fiscalYearId: year.id, reason: "Un avoir de décembre arrivé en retard" };
    expect((await act("STAFF", reopen)).status).toBe(403);
    const short = await act("ADMIN", { ...reopen, reason: "oups" });
    expect(short.status).toBe(400);
    expect((await errorsOf(short)).reason).toEqual([
      "Expliquez en une phrase pourquoi l'exercice est rouvert (10 caractères au moins).",
    ]);
    expect((await counts()).closed).toBe(1);
    const unknown = await act("ADMIN", { ...reopen, fiscalYearId: "nope" });
    expect(unknown.status).toBe(404);
    const done = await act("ADMIN", reopen);
    expect(done.status).toBe(200);
    expect((await counts()).closed).toBe(0);
    expect(await db.auditLog.findMany({ select: { action: true, subject: true, reason: true } })).toEqual([
      { action: "fiscal-year:reopen", subject: year.id, reason: reopen.reason },
    ]);
    const again = await act("ADMIN", reopen);
    expect(again.status).toBe(409);
    expect((await errorsOf(again))[""]).toEqual(["Cet exercice n'est pas clôturé."]);
  });

  it.each([
    [
      "overlapping",
      { startDate: "2026-07-01", endDate: "2027-06-30" },
      409,
      "startDate",
      "Cet exercice chevauche l'exercice du 1 janvier 2026 au 31 décembre 2026.",
    ],
    [
      "ending before it starts",
      { startDate: "2030-12-31", endDate: "2030-01-01" },
      400,
      "endDate",
      "La fin de l'exercice doit suivre son début.",
    ],
    [
      "too long",
      { startDate: "2030-01-01", endDate: "2032-01-01" },
      400,
      "endDate",
      "Un exercice dure au plus 24 mois.",
    ],
    [
      "with a bad date",
      { startDate: "2030-13-01", endDate: "2030-12-31" },
      400,
      "startDate",
      "Indiquez une date valide (jj/mm/aaaa).",
    ],
    [
      "in year 0",
      { startDate: "0000-01-01", endDate: "0000-12-31" },
      400,
      "startDate",
      "Indiquez une date valide (jj/mm/aaaa).",
    ],
    [
      "without an end",
      { startDate: "2030-01-01", endDate: "" },
      400,
      "endDate",
      "Indiquez le dernier jour de l'exercice.",
    ],
  ])("refuses a year %s", async (name, form, status, field, message) => {
    const before = await counts();
    const response = await act("STAFF", { intent: "create", ...form });
    expect(response.status).toBe(status);
    expect((await errorsOf(response))[field]).toEqual([message]);
    expect(await counts()).toEqual(before);
  });

  it("refuses to close an empty year without confirmation, then closes it when confirmed", async () => {
    const created = await act("STAFF", { intent: "create", startDate: "2020-01-01", endDate: "2020-12-31" });
    expect(created.status).toBe(200);
    const year = await db.fiscalYear.findFirstOrThrow({ where: { poleId, startDate: new Date("2020-01-01") } });
    const refused = await act("ADMIN", { intent: "close", fiscalYearId: year.id });
    expect(refused.status).toBe(409);
    expect((await errorsOf(refused)).confirmEmpty).toEqual([
      "Cet exercice ne contient aucune écriture : confirmez sa clôture.",
    ]);
    expect((await counts()).closed).toBe(0);
    const done = await act("ADMIN", { intent: "close", fiscalYearId: year.id, confirmEmpty: "on" });
    expect(done.status).toBe(200);
    expect((await counts()).closed).toBe(1);
    const again = await act("ADMIN", { intent: "close", fiscalYearId: year.id, confirmEmpty: "on" });
    expect(again.status).toBe(409);
    expect((await errorsOf(again))[""]).toEqual(["Cet exercice est déjà clôturé."]);
  });

  it("refuses an unknown year or intent", async () => {
    const unknown = await act("ADMIN", { intent: "close", fiscalYearId: "nope" });
    expect(unknown.status).toBe(404);
    expect((await errorsOf(unknown))[""]).toEqual(["Cet exercice n'existe pas."]);
    const intent = await act("STAFF", { intent: "delete" });
    expect(intent.status).toBe(400);
    expect((await errorsOf(intent))[""]).toEqual(["Action inconnue sur les exercices."]);
  });
});

describe("screens", () => {
  it("filters the journal from the query string and ignores unreadable filters", async () => {
    const get = async (query: string) =>
      (await (
        await callRoute(
          journal.loader as Handler,
          makeRequest(`/gestion/comptabilite${query}`, { cookie: cookies.STAFF }),
        )
      ).json()) as { total: number; entries: { lines: unknown[] }[] };
    expect((await get("?stream=SUBSIDY&account=74&journal=BQ&from=2026-01-01&to=2026-12-31")).total).toBe(1);
    expect((await get("?journal=VT")).total).toBe(0);
    expect((await get("?from=demain&stream=MAGIC&page=-3")).total).toBe(1);
    // PostgreSQL has no year 0: such a date is unreadable, not a database error.
    expect((await get("?from=0000-01-01&to=9999-12-31")).total).toBe(1);
    expect((await get("")).entries[0].lines).toHaveLength(2);
  });

  it("shows a balanced trial balance for the asked period and refuses an inverted one", async () => {
    const ok = (await (
      await callRoute(
        balance.loader as Handler,
        makeRequest("/x?from=2026-01-01&to=2026-12-31", { cookie: cookies.STAFF }),
      )
    ).json()) as {
      rows: { code: string }[];
      totals: { debit: number; credit: number };
    };
    expect(ok.rows.map((r) => r.code)).toEqual(["512000", "740000"]);
    expect(ok.totals).toEqual({ debit: 2_500_000, credit: 2_500_000 });
    const inverted = (await (
      await callRoute(
        balance.loader as Handler,
        makeRequest("/x?from=2026-12-31&to=2026-01-01", { cookie: cookies.STAFF }),
      )
    ).json()) as { error: string };
    expect(inverted.error).toBe("La fin de la période précède son début.");
    const yearZero = await callRoute(
      balance.loader as Handler,
      makeRequest("/x?from=0000-01-01&to=2026-12-31", { cookie: cookies.STAFF }),
    );
    expect(yearZero.status).toBeLessThan(500);
  });

  it("shows an account's general ledger", async () => {
    const body = (await (
      await callRoute(
        accountLedger.loader as Handler,
        makeRequest("/x?from=2026-04-01&to=2026-12-31", { cookie: cookies.STAFF }),
        { code: "512000" },
      )
    ).json()) as {
      opening: number;
      closing: number;
      lines: unknown[];
    };
    expect(body).toMatchObject({ opening: 2_500_000, closing: 2_500_000, lines: [] });
  });
});
