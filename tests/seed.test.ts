import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../prisma/seed";
import { DEMO_ACCOUNTS, DEMO_POLE } from "../prisma/demo/pole";
import { authenticate } from "~/domain/identity/index.server";
import { db } from "~/utils/db.server";
import { resetDatabase } from "./helpers";

async function snapshot() {
  const [poles, people, memberships, organisations] = await Promise.all([
    db.pole.findMany({ orderBy: { id: "asc" } }),
    db.person.findMany({ orderBy: { id: "asc" } }),
    db.membership.findMany({ orderBy: { id: "asc" } }),
    db.organisation.findMany({ orderBy: { id: "asc" } }),
  ]);
  return { poles, people, memberships, organisations };
}

describe("demo seed", () => {
  beforeAll(resetDatabase);

  it("builds a pole with 20+ member organisations and the four demo accounts", async () => {
    const pole = await db.$transaction((tx) => seedDemo(tx), { timeout: 60_000 });
    expect(pole).toMatchObject({ name: DEMO_POLE.name, siteHectares: 55 });
    expect(await db.organisation.count({ where: { poleId: pole.id, isMember: true } })).toBeGreaterThanOrEqual(20);
    expect((pole.axes as unknown[]).length).toBe(6);
    for (const account of DEMO_ACCOUNTS) {
      const result = await authenticate(db, { poleId: pole.id, email: account.email, password: account.password });
      expect(result.ok, account.email).toBe(true);
      expect((await db.membership.findFirstOrThrow({ where: { person: { email: account.email } } })).role).toBe(account.role);
    }
  });

  it("changes nothing when it runs a second time", async () => {
    const before = await snapshot();
    await db.$transaction((tx) => seedDemo(tx), { timeout: 60_000 });
    expect(await snapshot()).toEqual(before);
  });
});
