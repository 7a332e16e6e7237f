import pg from "pg";
import { beforeEach, describe, expect, it } from "vitest";
import {
  authenticate,
  changeMembership,
  findSessionPerson,
  hasMemberRate,
  registerPerson,
  requestPasswordReset,
  resetPassword,
  saveOrganisation,
  createSession,
} from "~/domain/identity/index.server";
import { db } from "~/utils/db.server";
import { createOrganisation, createPerson, createPole, DEFAULT_TEST_PASSWORD } from "../factories";
import { resetDatabase } from "../helpers";

let poleId: string;
beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
});

describe("accounts", () => {
  it("registers a person as a user of the pole, with a hashed password", async () => {
    const result = await registerPerson(db, { poleId, name: "Ada", email: "Ada@Exemple.test", password: "une phrase assez longue" });
    expect(result.ok).toBe(true);
    const person = await db.person.findUniqueOrThrow({ where: { email: "ada@exemple.test" }, include: { memberships: true } });
    expect(person.passwordHash).toMatch(/^\$argon2id\$/);
    expect(person.memberships).toEqual([expect.objectContaining({ poleId, role: "USER" })]);
  });

  it("refuses an address already used, as a field error", async () => {
    await createPerson(db, { poleId, email: "pris@exemple.test" });
    const result = await registerPerson(db, { poleId, name: "Bis", email: "PRIS@exemple.test", password: "une phrase assez longue" });
    expect(result).toMatchObject({ ok: false, code: "EMAIL_TAKEN", field: "email", status: 409 });
  });

  it("lets exactly one of concurrent sign-ups with one address through", async () => {
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () => registerPerson(db, { poleId, name: "Même", email: "meme@exemple.test", password: "une phrase assez longue" })),
    );
    expect(attempts.filter((a) => a.ok)).toHaveLength(1);
    expect(attempts.filter((a) => !a.ok).every((a) => !a.ok && a.code === "EMAIL_TAKEN")).toBe(true);
    expect(await db.person.count({ where: { email: "meme@exemple.test" } })).toBe(1);
  });

  it("answers one generic message for a wrong password and an unknown address", async () => {
    await createPerson(db, { poleId, email: "connu@exemple.test" });
    const wrong = await authenticate(db, { poleId, email: "connu@exemple.test", password: "pas le bon mot de passe" });
    const unknown = await authenticate(db, { poleId, email: "inconnu@exemple.test", password: "pas le bon mot de passe" });
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
    expect(await resetPassword(db, { token: reset!.token, password: "un tout nouveau secret", now: later(61) })).toMatchObject({ code: "TOKEN_EXPIRED", status: 410 });
    expect(await resetPassword(db, { token: "inventé-de-toutes-pièces", password: "un tout nouveau secret", now })).toMatchObject({ code: "TOKEN_INVALID", status: 400 });
  });

  it("keeps only the latest link: asking again retires the earlier one", async () => {
    const person = await createPerson(db, { poleId });
    const older = await requestPasswordReset(db, { email: person.email, now });
    const newer = await requestPasswordReset(db, { email: person.email, now: later(1) });
    expect(await resetPassword(db, { token: older!.token, password: "un tout nouveau secret", now: later(2) })).toMatchObject({ ok: false, code: "TOKEN_REPLACED", status: 410 });
    expect((await authenticate(db, { poleId, email: person.email, password: DEFAULT_TEST_PASSWORD })).ok).toBe(true);
    expect((await resetPassword(db, { token: newer!.token, password: "un tout nouveau secret", now: later(3) })).ok).toBe(true);
    expect(await resetPassword(db, { token: older!.token, password: "encore un autre secret", now: later(4) })).toMatchObject({ ok: false, code: "TOKEN_REPLACED" });
    expect((await authenticate(db, { poleId, email: person.email, password: "un tout nouveau secret" })).ok).toBe(true);
  });

  it("retires every other live link when one is used", async () => {
    const person = await createPerson(db, { poleId });
    const older = await requestPasswordReset(db, { email: person.email, now });
    const newer = await requestPasswordReset(db, { email: person.email, now: later(1) });
    // Two links issued in a race could both be live: using one must still end the other.
    await db.passwordResetToken.updateMany({ data: { replacedAt: null } });
    expect((await resetPassword(db, { token: newer!.token, password: "un tout nouveau secret", now: later(2) })).ok).toBe(true);
    expect(await resetPassword(db, { token: older!.token, password: "encore un autre secret", now: later(3) })).toMatchObject({ ok: false, code: "TOKEN_REPLACED", status: 410 });
    expect((await authenticate(db, { poleId, email: person.email, password: "un tout nouveau secret" })).ok).toBe(true);
  });

  it("leaves one live link when several are asked for at once", async () => {
    const person = await createPerson(db, { poleId });
    const links = await Promise.all(Array.from({ length: 6 }, (_, i) => requestPasswordReset(db, { email: person.email, now: later(i) })));
    expect(await db.passwordResetToken.count({ where: { personId: person.id, replacedAt: null } })).toBe(1);
    const outcomes = [];
    for (const link of links) outcomes.push((await resetPassword(db, { token: link!.token, password: "un tout nouveau secret", now: later(10) })).ok);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });

  it("changes the password only once when the same link is submitted twice at once", async () => {
    const person = await createPerson(db, { poleId });
    const reset = await requestPasswordReset(db, { email: person.email, now });
    const results = await Promise.all(
      ["premier secret assez long", "second secret assez long"].map((password) =>
        db.$transaction((tx) => resetPassword(tx, { token: reset!.token, password, now: later(1) })),
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
    const byStaffToMember = await changeMembership(db, { poleId, actorRole: "STAFF", personId: user.id, role: "MEMBER" });
    expect(byStaffToMember.ok).toBe(true);
    const lastAdmin = await changeMembership(db, { poleId, actorRole: "ADMIN", personId: admin.id, role: "USER" });
    expect(lastAdmin).toMatchObject({ ok: false, code: "LAST_ADMIN", status: 409 });
  });

  it("only links people to organisations of the same pole", async () => {
    const other = await createPole(db);
    const foreign = await createOrganisation(db, { poleId: other.id });
    const user = await createPerson(db, { poleId });
    const result = await changeMembership(db, { poleId, actorRole: "STAFF", personId: user.id, role: "USER", organisationId: foreign.id });
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
    const clash = await saveOrganisation(db, poleId, undefined, { name: "compost commun", kind: "ASSOCIATION", isMember: true });
    expect(clash).toMatchObject({ ok: false, code: "NAME_TAKEN", field: "name" });
    const other = await createPole(db);
    const foreignEdit = await saveOrganisation(db, other.id, org.id, { name: "Piraté", kind: "COMPANY", isMember: false });
    expect(foreignEdit).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect((await db.organisation.findUniqueOrThrow({ where: { id: org.id } })).name).toBe("Compost Commun");
  });
});

describe("organisation names under concurrency", () => {
  it("refuses in the database a second name that differs only in case", async () => {
    await createOrganisation(db, { poleId, name: "Ferme du Canal" });
    await expect(db.organisation.create({ data: { poleId, name: "FERME DU CANAL" } })).rejects.toMatchObject({ code: "P2002" });
  });

  it("answers the field message when another transaction takes the name between the check and the insert", async () => {
    // A second connection inserts the name and holds its transaction open: the domain's check cannot see the
    // row yet, its insert waits on the unique index, and fails once the other transaction commits.
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    await other.query("BEGIN");
    await other.query(`INSERT INTO "Organisation" (id, "poleId", name, "updatedAt") VALUES ('org-concurrente', $1, 'Ferme du Canal', now())`, [poleId]);
    const pending = saveOrganisation(db, poleId, undefined, { name: "ferme du canal", kind: "ASSOCIATION", isMember: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await other.query("COMMIT");
    await other.end();
    expect(await pending).toMatchObject({ ok: false, code: "NAME_TAKEN", field: "name", status: 409 });
    expect(await db.organisation.count({ where: { poleId } })).toBe(1);
  });
});
