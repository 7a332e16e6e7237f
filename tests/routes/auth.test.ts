import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as forgot from "~/routes/mot-de-passe-oublie";
import * as login from "~/routes/connexion";
import * as reset from "~/routes/reinitialiser-mot-de-passe";
import * as signUp from "~/routes/inscription+/_index";
import * as confirm from "~/routes/inscription+/confirmer";
import * as account from "~/routes/compte+/_index";
import { db } from "~/utils/db.server";
import { resetEnvCache } from "~/utils/env.server";
import { createPerson, createPole, DEFAULT_TEST_PASSWORD } from "../factories";
import { callRoute, cookiesOf, errorsOf, makeRequest, resetDatabase, sessionCookie } from "../helpers";

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

const postSignUp = (form: Record<string, string>, ip?: string) =>
  callRoute(signUp.action, makeRequest("/inscription", { form }), {}, ip);

/** The confirmation form's POST: the link's token and the password typed again (the sign-up form's by default). */
const postConfirm = (token: string, options: { password?: string; cookie?: string } = {}) =>
  callRoute(
    confirm.action,
    makeRequest("/inscription/confirmer", {
      form: { token, password: options.password ?? signUpForm().password },
      cookie: options.cookie,
    }),
  );

/** The confirmation link mailed to the address, as the path and query the browser opens. */
async function confirmationLink(to: string) {
  const mail = await db.outboxEmail.findFirstOrThrow({
    where: { to, subject: { contains: "confirmez votre adresse" } },
    orderBy: { createdAt: "desc" },
  });
  const url = new URL(/(https?:\/\/\S+\/inscription\/confirmer\?jeton=\S+)/.exec(mail.text)![1]);
  return { path: url.pathname + url.search, token: url.searchParams.get("jeton")! };
}

describe("sign-up", () => {
  it("answers 'check your mailbox'; the emailed link's page changes nothing, its button creates the account and logs in", async () => {
    const response = await postSignUp(signUpForm());
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sent: true, email: "alice@exemple.test" });
    expect(await db.person.count()).toBe(0);

    const link = await confirmationLink("alice@exemple.test");
    // Mail scanners open links before people do: opening it twice creates nothing.
    for (let i = 0; i < 2; i++) {
      const page = await callRoute(confirm.loader, makeRequest(link.path));
      expect(page.status).toBe(200);
      expect(await page.json()).toMatchObject({
        ok: true,
        email: "alice@exemple.test",
        name: "Alice Martin",
        requestedAt: expect.any(String),
        confirmLabel: "Confirmer et créer mon compte",
      });
    }
    expect(await db.person.count()).toBe(0);

    const done = await postConfirm(link.token);
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/compte?bienvenue=1");
    expect(done.headers.get("Set-Cookie")).toMatch(/__tc_session=.+; .*HttpOnly.*SameSite=Lax/i);
    const page = await callRoute(account.loader, makeRequest("/compte", { cookie: cookiesOf(done)[0] }));
    expect(await page.json()).toMatchObject({ person: { name: "Alice Martin", email: "alice@exemple.test" } });
    const outbox = await db.outboxEmail.findMany({ orderBy: { createdAt: "asc" } });
    expect(outbox.map((m) => [m.to, m.poleId, m.subject])).toEqual([
      ["alice@exemple.test", poleId, "Pôle des tests — confirmez votre adresse email"],
      ["alice@exemple.test", poleId, "Bienvenue sur Pôle des tests"],
    ]);

    const again = await postConfirm(link.token);
    expect(again.status).toBe(410);
    expect(await errorsOf(again)).toEqual({ "": ["Ce lien a déjà servi. Si votre compte est créé, connectez-vous."] });
    expect((await callRoute(confirm.loader, makeRequest(link.path))).status).toBe(410);
    expect(await db.person.count()).toBe(1);
  });

  it("answers an address that has an account exactly like a new one, and mails its owner how to log in instead", async () => {
    await createPerson(db, { poleId, email: "alice@exemple.test", name: "Alice déjà là" });
    const taken = await postSignUp(signUpForm());
    const fresh = await postSignUp(signUpForm({ email: "bruno@exemple.test" }));
    expect(taken.status).toBe(200);
    expect(fresh.status).toBe(200);
    // Each answer only echoes the address typed; nothing else differs.
    const withoutEcho = async (r: Response) => ({
      ...((await r.json()) as object),
      initialValue: undefined,
      email: undefined,
    });
    expect(await withoutEcho(taken)).toEqual(await withoutEcho(fresh));

    const notice = await db.outboxEmail.findFirstOrThrow({ where: { to: "alice@exemple.test" } });
    expect(notice.subject).toBe("Pôle des tests — vous avez déjà un compte");
    expect(notice.text).toContain("Bonjour Alice déjà là,");
    expect(notice.text).toMatch(/Se connecter : http:\/\/\S+\/connexion\n/);
    expect(notice.text).toMatch(/Mot de passe oublié : http:\/\/\S+\/mot-de-passe-oublie\n/);
    expect(notice.text).not.toContain("jeton=");
    expect((await db.outboxEmail.findFirstOrThrow({ where: { to: "bruno@exemple.test" } })).subject).toBe(
      "Pôle des tests — confirmez votre adresse email",
    );
    expect(await db.signUpRequest.count({ where: { email: "alice@exemple.test" } })).toBe(0);
    expect(await db.person.count()).toBe(1);
  });

  it("refuses a confirmation with another password than the sign-up's on the field, creating nothing and keeping the link", async () => {
    // Someone signs up with Alice's address and a password of their own; Alice gets the link and types hers.
    await postSignUp(signUpForm({ password: "le mot de passe de l'attaquant" }), "198.51.100.66");
    const link = await confirmationLink("alice@exemple.test");
    const refused = await postConfirm(link.token, { password: "le mot de passe d'Alice" });
    expect(refused.status).toBe(422);
    expect(await errorsOf(refused)).toEqual({
      password: [
        "Ce n'est pas le mot de passe choisi lors de l'inscription. Si vous n'avez pas demandé ce compte, ignorez ce lien.",
      ],
    });
    expect(JSON.stringify(await refused.json())).not.toContain("le mot de passe d'Alice");
    expect(refused.headers.get("Set-Cookie")).toBeNull();
    expect(await db.person.count()).toBe(0);
    expect(await db.session.count()).toBe(0);

    const empty = await postConfirm(link.token, { password: "" });
    expect(empty.status).toBe(400);
    expect((await errorsOf(empty)).password).toEqual(["Indiquez votre mot de passe."]);

    // The page still offers the form, and the link still works with the password chosen with it.
    const page = await callRoute(confirm.loader, makeRequest(link.path));
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ ok: true, email: "alice@exemple.test" });
    const done = await postConfirm(link.token, { password: "le mot de passe de l'attaquant" });
    expect(done.status).toBe(302);
    expect(await db.person.count()).toBe(1);
  });

  it("limits the tries at one confirmation link, saying when to come back", async () => {
    await postSignUp(signUpForm());
    const link = await confirmationLink("alice@exemple.test");
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await postConfirm(link.token, { password: `essai numéro ${i}` })).status);
    expect(statuses).toEqual(Array(10).fill(422));
    // Even the right password waits: a guesser holding a leaked link must not tell which try would have worked.
    const refused = await postConfirm(link.token);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(800);
    expect((await errorsOf(refused))[""]?.[0]).toMatch(/^Trop d'essais avec ce lien\. Réessayez dans \d+ minutes\.$/);
    expect(await db.person.count()).toBe(0);
    expect(await db.signUpRequest.count({ where: { usedAt: null } })).toBe(1);
  });

  it("creates nothing when the address got an account between the request and the confirmation", async () => {
    await postSignUp(signUpForm());
    const link = await confirmationLink("alice@exemple.test");
    await createPerson(db, { poleId, email: "alice@exemple.test" });
    const response = await postConfirm(link.token);
    expect(response.status).toBe(409);
    expect((await errorsOf(response))[""]?.[0]).toMatch(/^Un compte existe déjà avec cette adresse email/);
    expect(response.headers.get("Set-Cookie")).toBeNull();
  });

  it("refuses an unknown or incomplete link in French", async () => {
    const unknown = await callRoute(
      confirm.loader,
      makeRequest("/inscription/confirmer?jeton=inventé-de-toutes-pièces"),
    );
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({
      ok: false,
      message: "Ce lien de confirmation n'est pas valide : copiez l'adresse entière reçue par email.",
    });
    const cut = await callRoute(confirm.loader, makeRequest("/inscription/confirmer?jeton=abc"));
    expect(await cut.json()).toMatchObject({
      ok: false,
      message: "Ce lien est incomplet : copiez l'adresse entière reçue par email.",
    });
  });

  it.each([
    [{ email: "" }, "email", "Indiquez votre adresse email."],
    [{ email: "pas-une-adresse" }, "email", "Cette adresse email n'est pas valide."],
    [{ password: "court" }, "password", "Le mot de passe doit compter au moins 12 caractères."],
    [{ name: "" }, "name", "Indiquez votre nom."],
  ])("answers 400 with a French message for %o", async (overrides, field, message) => {
    const response = await postSignUp(signUpForm(overrides));
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[field]).toEqual([message]);
  });

  it("keeps what was typed but never echoes the password", async () => {
    for (const form of [signUpForm({ password: "court" }), signUpForm()]) {
      const reply = (await (await postSignUp(form)).json()) as { initialValue: Record<string, string> };
      expect(reply.initialValue).toMatchObject({ name: "Alice Martin", email: "alice@exemple.test" });
      expect(reply.initialValue.password).toBeUndefined();
    }
  });

  it("refuses a bot that fills the honeypot", async () => {
    const response = await postSignUp(signUpForm({ site_web: "http://spam.example" }));
    expect(response.status).toBe(400);
    expect(await errorsOf(response)).toEqual({ "": [expect.stringContaining("Envoi refusé")] });
    expect(await db.signUpRequest.count()).toBe(0);
    expect(await db.outboxEmail.count()).toBe(0);
  });

  it("refuses an oversized body with 413", async () => {
    const response = await postSignUp(signUpForm({ name: "x".repeat(70_000) }));
    expect(response.status).toBe(413);
    expect(await errorsOf(response)).toEqual({ "": ["Le formulaire envoyé est trop volumineux."] });
  });

  it("limits sign-ups per client address and per email, saying when to come back", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++)
      statuses.push((await postSignUp(signUpForm({ email: `n${i}@exemple.test` }), "198.51.100.7")).status);
    expect(statuses).toEqual([...Array(30).fill(200), 429]);

    const sameEmail: number[] = [];
    for (let i = 0; i < 11; i++)
      sameEmail.push((await postSignUp(signUpForm({ email: "insistant@exemple.test" }), `192.0.2.${i}`)).status);
    expect(sameEmail).toEqual([...Array(10).fill(200), 429]);
    const refused = await postSignUp(signUpForm({ email: "insistant@exemple.test" }));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(800);
    expect(await errorsOf(refused)).toEqual({
      "": ["Trop de tentatives de création de compte. Réessayez dans quelques minutes."],
    });
  });
});

const loginForm = (email: string, password = DEFAULT_TEST_PASSWORD, redirectTo = "") => ({
  email,
  password,
  redirectTo,
  site_web: "",
});
const postLogin = (form: Record<string, string>, options: { ip?: string; cookie?: string; origin?: string } = {}) =>
  callRoute(
    login.action,
    makeRequest("/connexion", { form, cookie: options.cookie, origin: options.origin }),
    {},
    options.ip,
  );

describe("login", () => {
  it("logs in and goes back where the person was going", async () => {
    const person = await createPerson(db, { poleId, email: "bob@exemple.test" });
    const response = await postLogin(loginForm("BOB@exemple.test", DEFAULT_TEST_PASSWORD, "/gestion"));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/gestion");
    expect(await db.session.count({ where: { personId: person.id } })).toBe(1);
  });

  it("never redirects off-site", async () => {
    await createPerson(db, { poleId, email: "bob@exemple.test" });
    const response = await postLogin(loginForm("bob@exemple.test", DEFAULT_TEST_PASSWORD, "//evil.example"));
    expect(response.headers.get("Location")).toBe("/compte");
  });

  it("answers a wrong password with one generic message, without echoing it", async () => {
    await createPerson(db, { poleId, email: "bob@exemple.test" });
    const response = await postLogin(loginForm("bob@exemple.test", "mauvais mot de passe"));
    expect(response.status).toBe(401);
    expect(await errorsOf(response)).toEqual({ "": ["Email ou mot de passe incorrect."] });
    expect(JSON.stringify(await response.json())).not.toContain("mauvais mot de passe");
  });
});

describe("login throttling", () => {
  const WAIT_2S = "Trop de tentatives de connexion pour cette adresse email. Réessayez dans 2 secondes.";

  /** Fails `count` times on the address, each from its own IP (an attacker spreading out); returns the statuses. */
  async function failFromEverywhere(email: string, count: number, from = 0) {
    const statuses: number[] = [];
    for (let i = from; i < from + count; i++)
      statuses.push((await postLogin(loginForm(email, "devine-devine"), { ip: `192.0.2.${i}` })).status);
    return statuses;
  }

  it("slows an address down after a few failures, saying how long to wait, rather than locking it out", async () => {
    await createPerson(db, { poleId, email: "cible@exemple.test" });
    expect(await failFromEverywhere("cible@exemple.test", 5)).toEqual(Array(5).fill(401));
    // The sixth comes too soon, from anywhere, even with the right password.
    const early = await postLogin(loginForm("cible@exemple.test"), { ip: "203.0.113.99" });
    expect(early.status).toBe(429);
    // Two seconds from the fifth attempt, rounded up: one left if this machine took over a second since.
    const wait = early.headers.get("Retry-After");
    expect(["1", "2"]).toContain(wait);
    expect(await errorsOf(early)).toEqual({
      "": [wait === "2" ? WAIT_2S : WAIT_2S.replace("2 secondes", "1 seconde")],
    });
    // An unknown address gets the same treatment: the throttle tells nothing about who has an account.
    expect(await failFromEverywhere("inconnue@exemple.test", 6)).toEqual([...Array(5).fill(401), 429]);

    // Once the wait is over (moved back in time rather than slept), the owner gets in and the count starts over.
    await db.loginThrottle.updateMany({ data: { notBefore: new Date(Date.now() - 1000) } });
    expect((await postLogin(loginForm("cible@exemple.test"), { ip: "203.0.113.99" })).status).toBe(302);
    expect(await db.loginThrottle.count({ where: { key: "login:email:cible@exemple.test" } })).toBe(0);
  });

  it("starts the count over after a success", async () => {
    await createPerson(db, { poleId, email: "cible@exemple.test" });
    expect(await failFromEverywhere("cible@exemple.test", 4)).toEqual(Array(4).fill(401));
    expect((await postLogin(loginForm("cible@exemple.test"))).status).toBe(302);
    // Without the reset the first of these would already wait.
    expect(await failFromEverywhere("cible@exemple.test", 6, 10)).toEqual([...Array(5).fill(401), 429]);
  });

  it("never holds back the owner's known browser, whatever fails from elsewhere", async () => {
    await createPerson(db, { poleId, email: "cible@exemple.test" });
    await createPerson(db, { poleId, email: "voisin@exemple.test" });
    const first = await postLogin(loginForm("cible@exemple.test"), { ip: "198.51.100.20" });
    expect(first.status).toBe(302);
    const [session, device] = cookiesOf(first);
    expect(device).toMatch(/^__tc_device=/);
    expect(first.headers.getSetCookie()[1]).toMatch(/HttpOnly.*SameSite=Lax/i);

    // An attacker tries from twenty addresses: the address is cooling down for every other browser.
    expect(await failFromEverywhere("cible@exemple.test", 20)).toEqual([...Array(5).fill(401), ...Array(15).fill(429)]);
    expect((await postLogin(loginForm("cible@exemple.test"), { ip: "198.51.100.21" })).status).toBe(429);

    // The owner's browser: a typo is just a typo, and the right password gets in.
    const cookie = `${session}; ${device}`;
    expect(
      (await postLogin(loginForm("cible@exemple.test", "faute de frappe"), { ip: "198.51.100.20", cookie })).status,
    ).toBe(401);
    const back = await postLogin(loginForm("cible@exemple.test"), { ip: "198.51.100.20", cookie });
    expect(back.status).toBe(302);
    // The cookie vouches for its own account only.
    await failFromEverywhere("voisin@exemple.test", 5, 30);
    expect((await postLogin(loginForm("voisin@exemple.test"), { ip: "198.51.100.20", cookie })).status).toBe(429);
  });

  it("gives a known-browser cookie a cool-down of its own, so a stolen one does not guess forever", async () => {
    await createPerson(db, { poleId, email: "cible@exemple.test" });
    const device = cookiesOf(await postLogin(loginForm("cible@exemple.test")))[1];
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await postLogin(loginForm("cible@exemple.test", "devine-devine"), { ip: `192.0.2.${i}`, cookie: device }))
          .status,
      );
    expect(statuses).toEqual([...Array(5).fill(401), 429]);
    // A forged or tampered cookie counts for nothing: that browser is an unknown one.
    const forged = device.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    expect((await postLogin(loginForm("cible@exemple.test", "devine-devine"), { cookie: forged })).status).toBe(401);
  });

  it("keeps the limit per client address, known browser or not", async () => {
    await createPerson(db, { poleId, email: "cible@exemple.test" });
    const device = cookiesOf(await postLogin(loginForm("cible@exemple.test"), { ip: "198.51.100.30" }))[1];
    // RATE_LIMIT_MAX (10) × 3 attempts per address in the window, the login above included.
    const statuses: number[] = [];
    for (let i = 0; i < 29; i++)
      statuses.push(
        (await postLogin(loginForm(`n${i}@exemple.test`, "devine-devine"), { ip: "198.51.100.30" })).status,
      );
    expect(statuses).toEqual(Array(29).fill(401));
    const blocked = await postLogin(loginForm("cible@exemple.test"), { ip: "198.51.100.30", cookie: device });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(800);
    expect((await errorsOf(blocked))[""]?.[0]).toMatch(
      /^Trop de tentatives de connexion depuis votre réseau\. Réessayez dans 1[45] minutes\.$/,
    );
    // Another address is not affected.
    expect((await postLogin(loginForm("cible@exemple.test"), { ip: "198.51.100.31", cookie: device })).status).toBe(
      302,
    );
  });
});

describe("sessions", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ["APP_ENV", "APP_URL", "SESSION_SECRET"] as const) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    resetEnvCache();
  });

  it("ends the browser's previous session when it logs in again", async () => {
    const person = await createPerson(db, { poleId, email: "bob@exemple.test" });
    const other = await createPerson(db, { poleId, email: "chloe@exemple.test" });
    const first = cookiesOf(await postLogin(loginForm("bob@exemple.test")))[0];
    const firstId = (await db.session.findFirstOrThrow({ where: { personId: person.id } })).id;
    const second = cookiesOf(await postLogin(loginForm("chloe@exemple.test"), { cookie: first }))[0];
    expect(await db.session.findUnique({ where: { id: firstId } })).toBeNull();
    expect(await db.session.count()).toBe(1);
    const asFirst = await callRoute(account.loader, makeRequest("/compte", { cookie: first }));
    expect(asFirst.status).toBe(302);
    expect(await (await callRoute(account.loader, makeRequest("/compte", { cookie: second }))).json()).toMatchObject({
      person: { email: other.email },
    });
  });

  it("ends the browser's previous session when a sign-up is confirmed in it", async () => {
    const person = await createPerson(db, { poleId });
    const cookie = await sessionCookie(person.id);
    await postSignUp(signUpForm());
    const link = await confirmationLink("alice@exemple.test");
    const done = await postConfirm(link.token, { cookie });
    expect(done.status).toBe(302);
    expect(await db.session.count({ where: { personId: person.id } })).toBe(0);
    expect(await db.session.count()).toBe(1);
  });

  it("makes the cookies Secure when the request came over HTTPS, or in production", async () => {
    await createPerson(db, { poleId, email: "bob@exemple.test" });
    const overHttp = await postLogin(loginForm("bob@exemple.test"));
    expect(overHttp.headers.getSetCookie()).toHaveLength(2);
    for (const cookie of overHttp.headers.getSetCookie()) expect(cookie).not.toMatch(/;\s*Secure/i);

    const overHttps = await postLogin(loginForm("bob@exemple.test"), { origin: "https://pole.example" });
    expect(overHttps.headers.getSetCookie()).toHaveLength(2);
    for (const cookie of overHttps.headers.getSetCookie()) expect(cookie).toMatch(/;\s*Secure/i);
    const logout = await callRoute(
      (await import("~/routes/deconnexion")).action,
      makeRequest("/deconnexion", { form: {}, cookie: cookiesOf(overHttps)[0], origin: "https://pole.example" }),
    );
    expect(logout.headers.get("Set-Cookie")).toMatch(/;\s*Secure/i);

    Object.assign(process.env, {
      APP_ENV: "production",
      APP_URL: "https://pole.example",
      SESSION_SECRET: saved.SESSION_SECRET ?? "terrain-commun-local-session-secret-not-for-production",
    });
    resetEnvCache();
    const inProduction = await postLogin(loginForm("bob@exemple.test"));
    for (const cookie of inProduction.headers.getSetCookie()) expect(cookie).toMatch(/;\s*Secure/i);
  });
});

describe("password reset", () => {
  const ask = (email: string) =>
    callRoute(forgot.action, makeRequest("/mot-de-passe-oublie", { form: { email, site_web: "" } }));

  it("answers the same for known and unknown addresses, and mails each: a link, or that no account uses it", async () => {
    await createPerson(db, { poleId, email: "connue@exemple.test" });
    const known = await ask("connue@exemple.test");
    const unknown = await ask("inconnue@exemple.test");
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    // Each answer only echoes the address typed; nothing else differs.
    const withoutEcho = async (r: Response) => ({ ...((await r.json()) as object), initialValue: undefined });
    expect(await withoutEcho(known)).toEqual(await withoutEcho(unknown));
    const mails = await db.outboxEmail.findMany({
      orderBy: { createdAt: "asc" },
      select: { to: true, subject: true, text: true },
    });
    expect(mails.map((m) => [m.to, m.subject])).toEqual([
      ["connue@exemple.test", "Pôle des tests — réinitialisation de votre mot de passe"],
      ["inconnue@exemple.test", "Pôle des tests — aucun compte avec cette adresse"],
    ]);
    expect(mails[1].text).not.toMatch(/token=/);
  });

  it("takes as long for an address without an account as for one with (a common floor)", async () => {
    await createPerson(db, { poleId, email: "connue@exemple.test" });
    const timed = async (email: string) => {
      const start = performance.now();
      await ask(email);
      return performance.now() - start;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      known.push(await timed("connue@exemple.test"));
      unknown.push(await timed(`inconnue-${i}@exemple.test`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    expect(Math.min(...known, ...unknown)).toBeGreaterThanOrEqual(395);
    expect(median(known) / median(unknown)).toBeGreaterThan(0.8);
    expect(median(known) / median(unknown)).toBeLessThan(1.25);
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
    const [older, newer] = (await db.outboxEmail.findMany({ orderBy: { createdAt: "asc" } })).map((m) =>
      decodeURIComponent(/token=([^\s]+)/.exec(m.text)![1]),
    );
    const form = (token: string, password: string) => ({ token, password, confirm: password });
    const REPLACED = {
      "": [
        "Ce lien a été remplacé par un lien plus récent. Utilisez le dernier email reçu, ou demandez un nouveau lien.",
      ],
    };

    const early = await callRoute(
      reset.action,
      makeRequest("/reinitialiser-mot-de-passe", { form: form(older, "ancien lien, nouveau secret") }),
    );
    expect(early.status).toBe(410);
    expect(await errorsOf(early)).toEqual(REPLACED);
    const done = await callRoute(
      reset.action,
      makeRequest("/reinitialiser-mot-de-passe", { form: form(newer, "le secret du dernier lien") }),
    );
    expect(done.status).toBe(302);
    const late = await callRoute(
      reset.action,
      makeRequest("/reinitialiser-mot-de-passe", { form: form(older, "ancien lien, nouveau secret") }),
    );
    expect(late.status).toBe(410);
    expect(await errorsOf(late)).toEqual(REPLACED);
    expect((await postLogin(loginForm("connue@exemple.test", "le secret du dernier lien"))).status).toBe(302);
  });

  it("refuses mismatched passwords and a forged token", async () => {
    const mismatch = await callRoute(
      reset.action,
      makeRequest("/reinitialiser-mot-de-passe", {
        form: { token: "x".repeat(40), password: "nouveau mot de passe", confirm: "autre mot de passe" },
      }),
    );
    expect(mismatch.status).toBe(400);
    expect((await errorsOf(mismatch)).confirm).toEqual(["Les deux mots de passe ne sont pas identiques."]);
    const forged = await callRoute(
      reset.action,
      makeRequest("/reinitialiser-mot-de-passe", {
        form: { token: "x".repeat(40), password: "nouveau mot de passe", confirm: "nouveau mot de passe" },
      }),
    );
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
    const bad = await callRoute(
      account.action,
      makeRequest("/compte", { cookie, form: { name: "Chloé", phone: "appelez-moi" } }),
    );
    expect(bad.status).toBe(400);
    expect((await errorsOf(bad)).phone).toEqual(["Ce numéro de téléphone n'est pas valide."]);
  });

  it("records a farmer's SIREN, checked by its key, and forgets it when emptied", async () => {
    const person = await createPerson(db, { poleId, name: "Jeanne" });
    const cookie = await sessionCookie(person.id);
    const save = (siren: string) =>
      callRoute(account.action, makeRequest("/compte", { cookie, form: { name: "Jeanne", siren } }));
    const stored = async () => (await db.person.findUniqueOrThrow({ where: { id: person.id } })).siren;
    expect((await save("842 136 574")).status).toBe(200);
    expect(await stored()).toBe("842136574");
    for (const siren of ["842136575", "84213657", "SIREN"]) {
      const refused = await save(siren);
      expect(refused.status).toBe(400);
      expect((await errorsOf(refused)).siren).toEqual(["Ce SIREN n'est pas valide (9 chiffres, clé de contrôle)."]);
    }
    expect(await stored()).toBe("842136574");
    expect((await save("")).status).toBe(200);
    expect(await stored()).toBeNull();
  });

  it("records the postal address printed on the person's invoices", async () => {
    const person = await createPerson(db, { poleId, name: "Chloé" });
    const cookie = await sessionCookie(person.id);
    const save = (address: string) =>
      callRoute(account.action, makeRequest("/compte", { cookie, form: { name: "Chloé", address } }));
    expect((await save("  3 rue de l'Église  \r\n\r\n31000 Toulouse ")).status).toBe(200);
    expect((await db.person.findUniqueOrThrow({ where: { id: person.id } })).address).toBe(
      "3 rue de l'Église\n31000 Toulouse",
    );
    const page = await (await callRoute(account.loader, makeRequest("/compte", { cookie }))).json();
    expect(page.person.address).toBe("3 rue de l'Église\n31000 Toulouse");

    for (const [address, message] of [
      ["a\nb\nc\nd\ne", "L'adresse tient en 4 lignes au plus."],
      ["x".repeat(301), "L'adresse ne peut pas dépasser 300 caractères."],
      ["3 rue\u0000", "Ce champ contient des caractères invisibles non autorisés (caractères de contrôle)."],
    ]) {
      const refused = await save(address);
      expect(refused.status).toBe(400);
      expect((await errorsOf(refused)).address).toEqual([message]);
    }
    expect((await db.person.findUniqueOrThrow({ where: { id: person.id } })).address).toBe(
      "3 rue de l'Église\n31000 Toulouse",
    );
    // Emptied, it is no address at all.
    expect((await save("")).status).toBe(200);
    expect((await db.person.findUniqueOrThrow({ where: { id: person.id } })).address).toBeNull();
  });
});
