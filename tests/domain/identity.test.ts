import pg from "pg";
import { beforeEach, describe, expect, it } from "vitest";
import {
  authenticate,
  changeMembership,
  confirmSignUp,
  findSessionPerson,
  hasMemberRate,
  pendingSignUp,
  requestPasswordReset,
  requestSignUp,
  resetPassword,
  saveOrganisation,
  createSession,
  type SignUpFollowUps,
} from "~/domain/identity/index.server";
import { fail, ok } from "~/domain/result";
import { inTransaction, db } from "~/utils/db.server";
import { createOrganisation, createPerson, createPole, DEFAULT_TEST_PASSWORD } from "../factories";
import { resetDatabase } from "../helpers";

let poleId: string;
beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
});

describe("accounts", () => {
  const now = new Date("2027-03-01T10:00:00Z");
  const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);
  const none: SignUpFollowUps = {};
  const tokenOf = (text: string) => decodeURIComponent(/jeton=([^\s]+)/.exec(text)![1]);
  const PASSWORD = "une phrase assez longue";

  /** Asks for an account and returns the token of the link mailed. */
  async function signUp(
    email: string,
    options: {
      name?: string;
      password?: string;
      followUps?: SignUpFollowUps;
      followUp?: { kind: string; payload: object };
    } = {},
  ) {
    const pole = await db.pole.findUniqueOrThrow({ where: { id: poleId } });
    const {
      value: { emails },
    } = await requestSignUp(db, {
      pole,
      name: options.name ?? "Ada",
      email,
      password: options.password ?? PASSWORD,
      followUp: options.followUp,
      followUps: options.followUps ?? none,
      now,
    });
    expect(emails).toHaveLength(1);
    return { email: emails[0], token: /jeton=/.test(emails[0].text) ? tokenOf(emails[0].text) : null };
  }

  it("creates the account only when the emailed link is confirmed, a user of the pole with a hashed password", async () => {
    const { email, token } = await signUp("Ada@Exemple.test");
    expect(email).toMatchObject({
      poleId,
      to: "ada@exemple.test",
      subject: expect.stringContaining("confirmez votre adresse email"),
    });
    expect(await db.person.count()).toBe(0);
    const stored = await db.signUpRequest.findFirstOrThrow();
    expect(stored.tokenHash).not.toContain(token!);
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);

    // Reading the link (what a mail scanner does) creates nothing.
    expect(await pendingSignUp(db, { token: token!, now: hours(1), followUps: none })).toMatchObject({
      ok: true,
      value: { email: "ada@exemple.test", name: "Ada", requestedAt: now },
    });
    expect(await db.person.count()).toBe(0);

    const confirmed = await confirmSignUp(db, { token: token!, password: PASSWORD, now: hours(1), followUps: none });
    expect(confirmed).toMatchObject({
      ok: true,
      value: {
        redirectTo: "/compte?bienvenue=1",
        followUp: "NONE",
        emails: [expect.objectContaining({ subject: expect.stringContaining("Bienvenue") })],
      },
    });
    const person = await db.person.findUniqueOrThrow({
      where: { email: "ada@exemple.test" },
      include: { memberships: true },
    });
    expect(person.passwordHash).toBe(stored.passwordHash);
    expect(person.memberships).toEqual([expect.objectContaining({ poleId, role: "USER" })]);
    expect(
      (await authenticate(db, { poleId, email: "ada@exemple.test", password: "une phrase assez longue" })).ok,
    ).toBe(true);

    expect(
      await confirmSignUp(db, { token: token!, password: PASSWORD, now: hours(2), followUps: none }),
    ).toMatchObject({ ok: false, code: "TOKEN_USED", status: 410 });
    expect(await db.person.count()).toBe(1);
  });

  it("refuses to confirm with another password than the one chosen at sign-up, and leaves the link usable", async () => {
    // An attacker asks for an account with the victim's address and a password of their own.
    const { token } = await signUp("victime@exemple.test", { name: "Ada", password: "le mot de passe de l'attaquant" });
    // The victim clicks the link they did not ask for, and types the password they would use.
    const refused = await confirmSignUp(db, {
      token: token!,
      password: "le mot de passe de la victime",
      now: hours(1),
      followUps: none,
    });
    expect(refused).toEqual({
      ok: false,
      code: "WRONG_PASSWORD",
      field: "password",
      status: 422,
      message:
        "Ce n'est pas le mot de passe choisi lors de l'inscription. Si vous n'avez pas demandé ce compte, ignorez ce lien.",
    });
    expect(await db.person.count()).toBe(0);
    expect(await db.signUpRequest.findFirstOrThrow()).toMatchObject({ usedAt: null, replacedAt: null });
    expect(await pendingSignUp(db, { token: token!, now: hours(1), followUps: none })).toMatchObject({ ok: true });
    expect(await confirmSignUp(db, { token: token!, password: "", now: hours(1), followUps: none })).toMatchObject({
      ok: false,
      code: "WRONG_PASSWORD",
    });

    // The link still opens the account for whoever knows the password chosen with it.
    expect(
      await confirmSignUp(db, {
        token: token!,
        password: "le mot de passe de l'attaquant",
        now: hours(2),
        followUps: none,
      }),
    ).toMatchObject({ ok: true });
    expect(await db.person.count()).toBe(1);
  });

  it("lets the owner of an address sign up over an attacker's pending request, with their own password only", async () => {
    const attacker = await signUp("victime@exemple.test", {
      name: "Faux nom",
      password: "le mot de passe de l'attaquant",
    });
    const victim = await signUp("victime@exemple.test", { name: "Ada", password: "le mot de passe de la victime" });
    expect(
      await confirmSignUp(db, {
        token: attacker.token!,
        password: "le mot de passe de l'attaquant",
        now,
        followUps: none,
      }),
    ).toMatchObject({ ok: false, code: "TOKEN_REPLACED" });
    expect(
      await confirmSignUp(db, {
        token: victim.token!,
        password: "le mot de passe de l'attaquant",
        now,
        followUps: none,
      }),
    ).toMatchObject({ ok: false, code: "WRONG_PASSWORD" });
    expect(
      await confirmSignUp(db, {
        token: victim.token!,
        password: "le mot de passe de la victime",
        now,
        followUps: none,
      }),
    ).toMatchObject({ ok: true });
    expect(
      (await authenticate(db, { poleId, email: "victime@exemple.test", password: "le mot de passe de la victime" })).ok,
    ).toBe(true);
    expect(
      (await authenticate(db, { poleId, email: "victime@exemple.test", password: "le mot de passe de l'attaquant" }))
        .ok,
    ).toBe(false);
  });

  it("refuses an expired, a replaced or a forged link", async () => {
    const first = await signUp("lent@exemple.test");
    expect(
      await confirmSignUp(db, { token: first.token!, password: PASSWORD, now: hours(24), followUps: none }),
    ).toMatchObject({ ok: false, code: "TOKEN_EXPIRED", status: 410 });
    const older = await signUp("hesitant@exemple.test", { name: "Premier nom" });
    const newer = await signUp("hesitant@exemple.test", { name: "Second nom" });
    expect(await pendingSignUp(db, { token: older.token!, now, followUps: none })).toMatchObject({
      ok: false,
      code: "TOKEN_REPLACED",
      status: 410,
    });
    expect(await confirmSignUp(db, { token: older.token!, password: PASSWORD, now, followUps: none })).toMatchObject({
      ok: false,
      code: "TOKEN_REPLACED",
    });
    expect(await confirmSignUp(db, { token: newer.token!, password: PASSWORD, now, followUps: none })).toMatchObject({
      ok: true,
    });
    expect((await db.person.findUniqueOrThrow({ where: { email: "hesitant@exemple.test" } })).name).toBe("Second nom");
    expect(
      await confirmSignUp(db, { token: "inventé-de-toutes-pièces", password: PASSWORD, now, followUps: none }),
    ).toMatchObject({ ok: false, code: "TOKEN_INVALID", status: 400 });
    expect(await db.person.count()).toBe(1);
  });

  it("mails the owner of an address that has an account instead, and creates nothing", async () => {
    await createPerson(db, { poleId, email: "pris@exemple.test", name: "Propriétaire" });
    const { email, token } = await signUp("PRIS@exemple.test");
    expect(token).toBeNull();
    expect(email).toMatchObject({
      to: "pris@exemple.test",
      subject: expect.stringContaining("vous avez déjà un compte"),
    });
    expect(email.text).toContain("Bonjour Propriétaire,");
    expect(email.text).toMatch(/Se connecter : http:\/\/\S+\/connexion\n/);
    expect(email.text).toMatch(/Mot de passe oublié : http:\/\/\S+\/mot-de-passe-oublie\n/);
    expect(await db.signUpRequest.count()).toBe(0);
    expect(await db.person.count()).toBe(1);
  });

  it("does the same work for a new and a taken address: both hash the password, so timing tells nothing", async () => {
    await createPerson(db, { poleId, email: "pris@exemple.test" });
    const time = async (email: string) => {
      const started = performance.now();
      await signUp(email);
      return performance.now() - started;
    };
    await time("echauffement@exemple.test");
    const taken: number[] = [];
    const fresh: number[] = [];
    for (let i = 0; i < 7; i++) {
      taken.push(await time("pris@exemple.test"));
      fresh.push(await time(`nouveau-${i}@exemple.test`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // Without the hash on the taken branch it answers in a few milliseconds against ~50 for a new address.
    const ratio = median(taken) / median(fresh);
    expect(ratio, `taken ${median(taken).toFixed(1)} ms, new ${median(fresh).toFixed(1)} ms`).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it("answers that the address is taken when it was between the request and the confirmation", async () => {
    const { token } = await signUp("course@exemple.test");
    await createPerson(db, { poleId, email: "course@exemple.test" });
    expect(await confirmSignUp(db, { token: token!, password: PASSWORD, now, followUps: none })).toMatchObject({
      ok: false,
      code: "EMAIL_TAKEN",
      status: 409,
    });
    // The link is spent all the same: clicking again says so.
    expect(await confirmSignUp(db, { token: token!, password: PASSWORD, now, followUps: none })).toMatchObject({
      ok: false,
      code: "TOKEN_USED",
    });
  });

  it("lets exactly one account through when two live links of one address are confirmed at once", async () => {
    const links = [await signUp("meme@exemple.test"), await signUp("meme@exemple.test")];
    // Two requests that raced each other can both stay live; the unique index on the address decides.
    await db.signUpRequest.updateMany({ data: { replacedAt: null } });
    const attempts = await Promise.all(
      links.map((l) =>
        inTransaction(db, (tx) => confirmSignUp(tx, { token: l.token!, password: PASSWORD, now, followUps: none })),
      ),
    );
    expect(attempts.filter((a) => a.ok)).toHaveLength(1);
    expect(attempts.find((a) => !a.ok)).toMatchObject({ code: "EMAIL_TAKEN" });
    expect(await db.person.count({ where: { email: "meme@exemple.test" } })).toBe(1);
  });

  it("runs the follow-up a stream registered once the account exists, and keeps the account when it refuses", async () => {
    const seen: unknown[] = [];
    const followUps: SignUpFollowUps = {
      ESSAI: {
        purpose: "tester la suite",
        confirmLabel: "Confirmer et tester",
        loginPath: "/essai",
        retryPath: "/essai?encore=1",
        async run(tx, input) {
          seen.push(input.payload);
          await tx.person.update({ where: { id: input.person.id }, data: { phone: "01 02 03 04 05" } });
          if ((input.payload as { refuse?: boolean }).refuse) return fail("NON", "Refusé.");
          return ok({
            redirectTo: "/essai/fait",
            emails: [{ to: input.person.email, subject: "Suite faite", text: "" }],
          });
        },
      },
    };
    const done = await signUp("suite@exemple.test", {
      followUps,
      followUp: { kind: "ESSAI", payload: { choix: [1, 2] } },
    });
    expect(done.email.text).toContain("et tester la suite");
    expect(await pendingSignUp(db, { token: done.token!, now, followUps })).toMatchObject({
      ok: true,
      value: { confirmLabel: "Confirmer et tester", purpose: "tester la suite" },
    });
    const confirmed = await confirmSignUp(db, { token: done.token!, password: PASSWORD, now, followUps });
    expect(confirmed).toMatchObject({ ok: true, value: { redirectTo: "/essai/fait", followUp: "DONE" } });
    expect(confirmed.ok && confirmed.value.emails.map((e) => e.subject)).toEqual([
      expect.stringContaining("Bienvenue"),
      "Suite faite",
    ]);
    expect(seen).toEqual([{ choix: [1, 2] }]);
    expect((await db.person.findUniqueOrThrow({ where: { email: "suite@exemple.test" } })).phone).toBe(
      "01 02 03 04 05",
    );

    const refused = await signUp("refus@exemple.test", {
      followUps,
      followUp: { kind: "ESSAI", payload: { refuse: true } },
    });
    const kept = await confirmSignUp(db, { token: refused.token!, password: PASSWORD, now, followUps });
    expect(kept).toMatchObject({ ok: true, value: { redirectTo: "/essai?encore=1", followUp: "REFUSED" } });
    // The follow-up's own writes are undone; the account stays.
    expect(await db.person.findUniqueOrThrow({ where: { email: "refus@exemple.test" } })).toMatchObject({
      phone: null,
    });
  });

  it("tells the owner of a taken address how to log in to carry on with the follow-up", async () => {
    await createPerson(db, { poleId, email: "deja@exemple.test" });
    const followUps: SignUpFollowUps = {
      ESSAI: {
        purpose: "tester la suite",
        confirmLabel: "",
        loginPath: "/essai",
        retryPath: "/",
        run: async () => ok({ redirectTo: "/", emails: [] }),
      },
    };
    const { email } = await signUp("deja@exemple.test", { followUps, followUp: { kind: "ESSAI", payload: {} } });
    expect(email.text).toContain("Connectez-vous pour tester la suite.");
    expect(email.text).toMatch(/Se connecter : http:\/\/\S+\/connexion\?redirectTo=%2Fessai\n/);
  });

  it("answers one generic message for a wrong password and an unknown address", async () => {
    await createPerson(db, { poleId, email: "connu@exemple.test" });
    const wrong = await authenticate(db, { poleId, email: "connu@exemple.test", password: "pas le bon mot de passe" });
    const unknown = await authenticate(db, {
      poleId,
      email: "inconnu@exemple.test",
      password: "pas le bon mot de passe",
    });
    expect(wrong).toMatchObject({ ok: false, message: "Email ou mot de passe incorrect.", status: 401 });
    expect(unknown).toEqual(wrong);
    const good = await authenticate(db, { poleId, email: "CONNU@exemple.test", password: DEFAULT_TEST_PASSWORD });
    expect(good.ok).toBe(true);
  });

  it("makes a person of another pole a user of this one when they log in", async () => {
    const other = await createPole(db);
    const person = await createPerson(db, { poleId: other.id, role: "MEMBER" });
    await authenticate(db, { poleId, email: person.email, password: DEFAULT_TEST_PASSWORD });
    expect(await db.membership.findMany({ where: { personId: person.id }, orderBy: { role: "asc" } })).toEqual([
      expect.objectContaining({ poleId: other.id, role: "MEMBER" }),
      expect.objectContaining({ poleId, role: "USER" }),
    ]);
  });
});

describe("password reset", () => {
  const now = new Date("2027-03-01T10:00:00Z");
  const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

  it("gives nothing for an unknown address", async () => {
    expect(await requestPasswordReset(db, { email: "personne@exemple.test", now })).toBeNull();
    expect(await db.passwordResetToken.count()).toBe(0);
  });

  it("changes the password once, closes open sessions, and refuses the link afterwards", async () => {
    const person = await createPerson(db, { poleId });
    const session = await createSession(db, person.id, now);
    const reset = await requestPasswordReset(db, { email: person.email, now });
    expect(reset).not.toBeNull();
    const stored = await db.passwordResetToken.findFirstOrThrow();
    expect(stored.tokenHash).not.toContain(reset!.token);

    const first = await resetPassword(db, { token: reset!.token, password: "un tout nouveau secret", now: later(5) });
    expect(first.ok).toBe(true);
    expect(await findSessionPerson(db, session.id, later(5))).toBeNull();
    expect((await authenticate(db, { poleId, email: person.email, password: "un tout nouveau secret" })).ok).toBe(true);

    const again = await resetPassword(db, { token: reset!.token, password: "encore un autre secret", now: later(6) });
    expect(again).toMatchObject({ ok: false, code: "TOKEN_USED", status: 410 });
  });

  it("refuses an expired or unknown link", async () => {
    const person = await createPerson(db, { poleId });
    const reset = await requestPasswordReset(db, { email: person.email, now });
    expect(
      await resetPassword(db, { token: reset!.token, password: "un tout nouveau secret", now: later(61) }),
    ).toMatchObject({ code: "TOKEN_EXPIRED", status: 410 });
    expect(
      await resetPassword(db, { token: "inventé-de-toutes-pièces", password: "un tout nouveau secret", now }),
    ).toMatchObject({ code: "TOKEN_INVALID", status: 400 });
  });

  it("keeps only the latest link: asking again retires the earlier one", async () => {
    const person = await createPerson(db, { poleId });
    const older = await requestPasswordReset(db, { email: person.email, now });
    const newer = await requestPasswordReset(db, { email: person.email, now: later(1) });
    expect(
      await resetPassword(db, { token: older!.token, password: "un tout nouveau secret", now: later(2) }),
    ).toMatchObject({ ok: false, code: "TOKEN_REPLACED", status: 410 });
    expect((await authenticate(db, { poleId, email: person.email, password: DEFAULT_TEST_PASSWORD })).ok).toBe(true);
    expect(
      (await resetPassword(db, { token: newer!.token, password: "un tout nouveau secret", now: later(3) })).ok,
    ).toBe(true);
    expect(
      await resetPassword(db, { token: older!.token, password: "encore un autre secret", now: later(4) }),
    ).toMatchObject({ ok: false, code: "TOKEN_REPLACED" });
    expect((await authenticate(db, { poleId, email: person.email, password: "un tout nouveau secret" })).ok).toBe(true);
  });

  it("retires every other live link when one is used", async () => {
    const person = await createPerson(db, { poleId });
    const older = await requestPasswordReset(db, { email: person.email, now });
    const newer = await requestPasswordReset(db, { email: person.email, now: later(1) });
    // Two links issued in a race could both be live: using one must still end the other.
    await db.passwordResetToken.updateMany({ data: { replacedAt: null } });
    expect(
      (await resetPassword(db, { token: newer!.token, password: "un tout nouveau secret", now: later(2) })).ok,
    ).toBe(true);
    expect(
      await resetPassword(db, { token: older!.token, password: "encore un autre secret", now: later(3) }),
    ).toMatchObject({ ok: false, code: "TOKEN_REPLACED", status: 410 });
    expect((await authenticate(db, { poleId, email: person.email, password: "un tout nouveau secret" })).ok).toBe(true);
  });

  it("leaves one live link when several are asked for at once", async () => {
    const person = await createPerson(db, { poleId });
    const links = await Promise.all(
      Array.from({ length: 6 }, (_, i) => requestPasswordReset(db, { email: person.email, now: later(i) })),
    );
    expect(await db.passwordResetToken.count({ where: { personId: person.id, replacedAt: null } })).toBe(1);
    const outcomes = [];
    for (const link of links)
      outcomes.push(
        (await resetPassword(db, { token: link!.token, password: "un tout nouveau secret", now: later(10) })).ok,
      );
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });

  it("changes the password only once when the same link is submitted twice at once", async () => {
    const person = await createPerson(db, { poleId });
    const reset = await requestPasswordReset(db, { email: person.email, now });
    const results = await Promise.all(
      ["premier secret assez long", "second secret assez long"].map((password) =>
        inTransaction(db, (tx) => resetPassword(tx, { token: reset!.token, password, now: later(1) })),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});

describe("roles and organisations", () => {
  it("lets only an admin grant a staff role, and keeps one admin", async () => {
    const admin = await createPerson(db, { poleId, role: "ADMIN" });
    const user = await createPerson(db, { poleId });
    const byStaff = await changeMembership(db, { poleId, actorRole: "STAFF", personId: user.id, role: "STAFF" });
    expect(byStaff).toMatchObject({ ok: false, code: "FORBIDDEN", field: "role", status: 403 });
    const byStaffToMember = await changeMembership(db, {
      poleId,
      actorRole: "STAFF",
      personId: user.id,
      role: "MEMBER",
    });
    expect(byStaffToMember.ok).toBe(true);
    const lastAdmin = await changeMembership(db, { poleId, actorRole: "ADMIN", personId: admin.id, role: "USER" });
    expect(lastAdmin).toMatchObject({ ok: false, code: "LAST_ADMIN", status: 409 });
  });

  it("only links people to organisations of the same pole", async () => {
    const other = await createPole(db);
    const foreign = await createOrganisation(db, { poleId: other.id });
    const user = await createPerson(db, { poleId });
    const result = await changeMembership(db, {
      poleId,
      actorRole: "STAFF",
      personId: user.id,
      role: "USER",
      organisationId: foreign.id,
    });
    expect(result).toMatchObject({ ok: false, code: "UNKNOWN_ORGANISATION", field: "organisationId" });
  });

  it("gives member pricing to members and to people of member organisations only", async () => {
    const memberOrg = await createOrganisation(db, { poleId, isMember: true });
    const partner = await createOrganisation(db, { poleId, isMember: false });
    const member = await createPerson(db, { poleId, role: "MEMBER" });
    const employee = await createPerson(db, { poleId, organisationId: memberOrg.id });
    const partnerEmployee = await createPerson(db, { poleId, organisationId: partner.id });
    const plain = await createPerson(db, { poleId });
    expect(await hasMemberRate(db, poleId, member.id)).toBe(true);
    expect(await hasMemberRate(db, poleId, employee.id)).toBe(true);
    expect(await hasMemberRate(db, poleId, partnerEmployee.id)).toBe(false);
    expect(await hasMemberRate(db, poleId, plain.id)).toBe(false);
  });

  it("keeps organisation names unique within a pole and edits only the pole's own", async () => {
    const org = await createOrganisation(db, { poleId, name: "Compost Commun" });
    const clash = await saveOrganisation(db, poleId, undefined, {
      name: "compost commun",
      kind: "ASSOCIATION",
      isMember: true,
    });
    expect(clash).toMatchObject({ ok: false, code: "NAME_TAKEN", field: "name" });
    const other = await createPole(db);
    const foreignEdit = await saveOrganisation(db, other.id, org.id, {
      name: "Piraté",
      kind: "COMPANY",
      isMember: false,
    });
    expect(foreignEdit).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect((await db.organisation.findUniqueOrThrow({ where: { id: org.id } })).name).toBe("Compost Commun");
  });
});

describe("organisation names under concurrency", () => {
  it("refuses in the database a second name that differs only in case", async () => {
    await createOrganisation(db, { poleId, name: "Ferme du Canal" });
    await expect(db.organisation.create({ data: { poleId, name: "FERME DU CANAL" } })).rejects.toMatchObject({
      code: "P2002",
    });
  });

  it("answers the field message when another transaction takes the name between the check and the insert", async () => {
    // A second connection inserts the name and holds its transaction open: the domain's check cannot see the
    // row yet, its insert waits on the unique index, and fails once the other transaction commits.
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    await other.query("BEGIN");
    await other.query(
      `INSERT INTO "Organisation" (id, "poleId", name, "updatedAt") VALUES ('org-concurrente', $1, 'Ferme du Canal', now())`,
      [poleId],
    );
    const pending = saveOrganisation(db, poleId, undefined, {
      name: "ferme du canal",
      kind: "ASSOCIATION",
      isMember: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await other.query("COMMIT");
    await other.end();
    expect(await pending).toMatchObject({ ok: false, code: "NAME_TAKEN", field: "name", status: 409 });
    expect(await db.organisation.count({ where: { poleId } })).toBe(1);
  });
});
