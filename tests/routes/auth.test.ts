import { beforeEach, describe, expect, it } from "vitest";
import * as forgot from "~/routes/mot-de-passe-oublie";
import * as login from "~/routes/connexion";
import * as reset from "~/routes/reinitialiser-mot-de-passe";
import * as signUp from "~/routes/inscription";
import * as account from "~/routes/compte+/_index";
import { db } from "~/utils/db.server";
import { createPerson, createPole, DEFAULT_TEST_PASSWORD } from "../factories";
import { callRoute, errorsOf, makeRequest, resetDatabase, sessionCookie } from "../helpers";

let poleId: string;
beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db, { name: "Pôle des tests" })).id;
});

const signUpForm = (overrides: Record<string, string> = {}) => ({
  name: "Alice Martin",
  email: "alice@exemple.test",
  password: "un mot de passe long",
  organisationName: "",
  site_web: "",
  ...overrides,
});

describe("sign-up", () => {
  it("creates the account, mails a welcome and opens a session", async () => {
    const response = await callRoute(signUp.action, makeRequest("/inscription", { form: signUpForm() }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/compte?bienvenue=1");
    expect(response.headers.get("Set-Cookie")).toMatch(/__tc_session=.+; .*HttpOnly.*SameSite=Lax/i);
    const outbox = await db.outboxEmail.findMany();
    expect(outbox).toEqual([expect.objectContaining({ to: "alice@exemple.test", transport: "OUTBOX", poleId })]);
  });

  it.each([
    [{ email: "" }, "email", "Indiquez votre adresse email."],
    [{ email: "pas-une-adresse" }, "email", "Cette adresse email n'est pas valide."],
    [{ password: "court" }, "password", "Le mot de passe doit compter au moins 12 caractères."],
    [{ name: "" }, "name", "Indiquez votre nom."],
  ])("answers 400 with a French message for %o", async (overrides, field, message) => {
    const response = await callRoute(signUp.action, makeRequest("/inscription", { form: signUpForm(overrides) }));
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[field]).toEqual([message]);
  });

  it("keeps what was typed but never echoes the password", async () => {
    const response = await callRoute(signUp.action, makeRequest("/inscription", { form: signUpForm({ password: "court" }) }));
    const reply = (await response.json()) as { initialValue: Record<string, string> };
    expect(reply.initialValue).toMatchObject({ name: "Alice Martin", email: "alice@exemple.test" });
    expect(reply.initialValue.password).toBeUndefined();
  });

  it("refuses an address already used with a field error, not a 500", async () => {
    await createPerson(db, { poleId, email: "alice@exemple.test" });
    const response = await callRoute(signUp.action, makeRequest("/inscription", { form: signUpForm() }));
    expect(response.status).toBe(409);
    expect((await errorsOf(response)).email?.[0]).toMatch(/^Un compte existe déjà avec cette adresse email/);
  });

  it("refuses a bot that fills the honeypot", async () => {
    const response = await callRoute(signUp.action, makeRequest("/inscription", { form: signUpForm({ site_web: "http://spam.example" }) }));
    expect(response.status).toBe(400);
    expect(await errorsOf(response)).toEqual({ "": [expect.stringContaining("Envoi refusé")] });
    expect(await db.person.count()).toBe(0);
  });

  it("refuses an oversized body with 413", async () => {
    const response = await callRoute(signUp.action, makeRequest("/inscription", { form: signUpForm({ name: "x".repeat(70_000) }) }));
    expect(response.status).toBe(413);
    expect(await errorsOf(response)).toEqual({ "": ["Le formulaire envoyé est trop volumineux."] });
  });

  it("limits sign-ups per client address and per email", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const response = await callRoute(signUp.action, makeRequest("/inscription", { form: signUpForm({ email: `n${i}@exemple.test` }) }), {}, "198.51.100.7");
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 302)).toBe(true);
    expect(statuses[30]).toBe(429);

    const sameEmail: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await callRoute(signUp.action, makeRequest("/inscription", { form: signUpForm({ email: "insistant@exemple.test" }) }), {}, `192.0.2.${i}`);
      sameEmail.push(response.status);
    }
    expect(sameEmail).toEqual([302, ...Array(9).fill(409), 429]);
    expect(await errorsOf(await callRoute(signUp.action, makeRequest("/inscription", { form: signUpForm({ email: "insistant@exemple.test" }) })))).toEqual({
      "": ["Trop de tentatives de création de compte. Réessayez dans quelques minutes."],
    });
  });
});

describe("login", () => {
  it("logs in and goes back where the person was going", async () => {
    const person = await createPerson(db, { poleId, email: "bob@exemple.test" });
    const response = await callRoute(login.action, makeRequest("/connexion", { form: { email: "BOB@exemple.test", password: DEFAULT_TEST_PASSWORD, redirectTo: "/gestion", site_web: "" } }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/gestion");
    expect(await db.session.count({ where: { personId: person.id } })).toBe(1);
  });

  it("never redirects off-site", async () => {
    await createPerson(db, { poleId, email: "bob@exemple.test" });
    const response = await callRoute(login.action, makeRequest("/connexion", { form: { email: "bob@exemple.test", password: DEFAULT_TEST_PASSWORD, redirectTo: "//evil.example", site_web: "" } }));
    expect(response.headers.get("Location")).toBe("/compte");
  });

  it("answers a wrong password with one generic message", async () => {
    await createPerson(db, { poleId, email: "bob@exemple.test" });
    const response = await callRoute(login.action, makeRequest("/connexion", { form: { email: "bob@exemple.test", password: "mauvais mot de passe", site_web: "" } }));
    expect(response.status).toBe(401);
    expect(await errorsOf(response)).toEqual({ "": ["Email ou mot de passe incorrect."] });
  });

  it("throttles repeated attempts on one address", async () => {
    await createPerson(db, { poleId, email: "cible@exemple.test" });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await callRoute(login.action, makeRequest("/connexion", { form: { email: "cible@exemple.test", password: "devine-devine", site_web: "" } }), {}, `192.0.2.${i}`);
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    expect(await errorsOf(await callRoute(login.action, makeRequest("/connexion", { form: { email: "cible@exemple.test", password: DEFAULT_TEST_PASSWORD, site_web: "" } })))).toEqual({
      "": ["Trop de tentatives de connexion. Réessayez dans quelques minutes."],
    });
  });
});

describe("password reset", () => {
  const ask = (email: string) => callRoute(forgot.action, makeRequest("/mot-de-passe-oublie", { form: { email, site_web: "" } }));

  it("answers the same for known and unknown addresses, and mails only the known one", async () => {
    await createPerson(db, { poleId, email: "connue@exemple.test" });
    const known = await ask("connue@exemple.test");
    const unknown = await ask("inconnue@exemple.test");
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    // Each answer only echoes the address typed; nothing else differs.
    const withoutEcho = async (r: Response) => ({ ...((await r.json()) as object), initialValue: undefined });
    expect(await withoutEcho(known)).toEqual(await withoutEcho(unknown));
    expect(await db.outboxEmail.findMany({ select: { to: true } })).toEqual([{ to: "connue@exemple.test" }]);
  });

  it("refuses a malformed address with a field error", async () => {
    const response = await ask("nimporte-quoi");
    expect(response.status).toBe(400);
    expect((await errorsOf(response)).email).toEqual(["Cette adresse email n'est pas valide."]);
  });

  it("sets a new password from the emailed link, once", async () => {
    await createPerson(db, { poleId, email: "connue@exemple.test" });
    await ask("connue@exemple.test");
    const mail = await db.outboxEmail.findFirstOrThrow();
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mail.text)![1]);
    const form = { token, password: "nouveau mot de passe", confirm: "nouveau mot de passe" };
    const done = await callRoute(reset.action, makeRequest("/reinitialiser-mot-de-passe", { form }));
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/connexion?reinitialise=1");
    const reused = await callRoute(reset.action, makeRequest("/reinitialiser-mot-de-passe", { form }));
    expect(reused.status).toBe(410);
    expect(await errorsOf(reused)).toEqual({ "": ["Ce lien a déjà servi. Demandez un nouveau lien si besoin."] });
  });

  it("honours only the latest link mailed: an older one is refused before and after the newer one is used", async () => {
    await createPerson(db, { poleId, email: "connue@exemple.test" });
    await ask("connue@exemple.test");
    await ask("connue@exemple.test");
    const [older, newer] = (await db.outboxEmail.findMany({ orderBy: { createdAt: "asc" } })).map((m) => decodeURIComponent(/token=([^\s]+)/.exec(m.text)![1]));
    const form = (token: string, password: string) => ({ token, password, confirm: password });
    const REPLACED = { "": ["Ce lien a été remplacé par un lien plus récent. Utilisez le dernier email reçu, ou demandez un nouveau lien."] };

    const early = await callRoute(reset.action, makeRequest("/reinitialiser-mot-de-passe", { form: form(older, "ancien lien, nouveau secret") }));
    expect(early.status).toBe(410);
    expect(await errorsOf(early)).toEqual(REPLACED);
    const done = await callRoute(reset.action, makeRequest("/reinitialiser-mot-de-passe", { form: form(newer, "le secret du dernier lien") }));
    expect(done.status).toBe(302);
    const late = await callRoute(reset.action, makeRequest("/reinitialiser-mot-de-passe", { form: form(older, "ancien lien, nouveau secret") }));
    expect(late.status).toBe(410);
    expect(await errorsOf(late)).toEqual(REPLACED);
    const login2 = await callRoute(login.action, makeRequest("/connexion", { form: { email: "connue@exemple.test", password: "le secret du dernier lien", site_web: "" } }));
    expect(login2.status).toBe(302);
  });

  it("refuses mismatched passwords and a forged token", async () => {
    const mismatch = await callRoute(reset.action, makeRequest("/reinitialiser-mot-de-passe", { form: { token: "x".repeat(40), password: "nouveau mot de passe", confirm: "autre mot de passe" } }));
    expect(mismatch.status).toBe(400);
    expect((await errorsOf(mismatch)).confirm).toEqual(["Les deux mots de passe ne sont pas identiques."]);
    const forged = await callRoute(reset.action, makeRequest("/reinitialiser-mot-de-passe", { form: { token: "x".repeat(40), password: "nouveau mot de passe", confirm: "nouveau mot de passe" } }));
    expect(forged.status).toBe(400);
    expect((await errorsOf(forged))[""]?.[0]).toMatch(/n'est pas valide/);
  });
});

describe("Mon compte", () => {
  it("sends a visitor to the login page", async () => {
    const response = await callRoute(account.loader, makeRequest("/compte"));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/connexion?redirectTo=%2Fcompte");
  });

  it("shows the person their own details and validates the profile form", async () => {
    const person = await createPerson(db, { poleId, name: "Chloé" });
    const cookie = await sessionCookie(person.id);
    const page = await callRoute(account.loader, makeRequest("/compte", { cookie }));
    expect(await page.json()).toMatchObject({ person: { name: "Chloé", email: person.email }, role: "Usager·e" });
    const bad = await callRoute(account.action, makeRequest("/compte", { cookie, form: { name: "Chloé", phone: "appelez-moi" } }));
    expect(bad.status).toBe(400);
    expect((await errorsOf(bad)).phone).toEqual(["Ce numéro de téléphone n'est pas valide."]);
  });
});
