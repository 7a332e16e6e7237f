import { inTransaction } from "~/utils/db.server";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { startEmbeddedPostgres } from "~/db/embedded.server";
import { applyMigrations, listMigrations } from "~/db/migrations.server";
import { PrismaClient } from "~/generated/prisma/client";
import { parseEnv } from "~/utils/env.server";

describe("migrations", () => {
  it("cover the whole schema: the schema of the last migration is the current one", async () => {
    const [current, migrated] = await Promise.all([
      readFile("prisma/schema.prisma", "utf8"),
      readFile("prisma/schema.migrated.prisma", "utf8"),
    ]);
    expect(migrated, "run `npm run db:migration -- <name>` after changing prisma/schema.prisma").toBe(current);
  });

  it("apply nothing a second time", async () => {
    expect(await applyMigrations(process.env.DATABASE_URL!)).toEqual([]);
    expect((await listMigrations()).length).toBeGreaterThan(0);
  });
});

describe("environment", () => {
  it("stops a production start-up that lacks a secret, naming it", () => {
    expect(() =>
      parseEnv({ APP_ENV: "production", DATABASE_URL: "postgresql://x", APP_URL: "https://pole.example" }),
    ).toThrow(/SESSION_SECRET est obligatoire en production/);
  });

  it("has safe defaults in development", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ APP_ENV: "development", PORT: 3000, APP_URL: "http://localhost:3000" });
    expect(env.SESSION_SECRET.length).toBeGreaterThanOrEqual(32);
  });
});

describe("the embedded database", () => {
  it("gives each of many concurrent requests its own rows, transactions and plain queries mixed (decision 008)", async () => {
    const embedded = await startEmbeddedPostgres();
    await applyMigrations(embedded.url);
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: embedded.url, max: 10 }) });
    try {
      // Unpatched, a transaction opened between another connection's Parse and Bind made that connection
      // bind the transaction's statement: requests got someone else's row, or "portal does not exist".
      const results = await Promise.allSettled(
        Array.from({ length: 100 }, async (_, i) => {
          const email = `concurrent-${i}@exemple.test`;
          const data = { email, name: `Personne ${i}`, passwordHash: "x".repeat(100) };
          const created =
            i % 2
              ? await inTransaction(prisma, (tx) => tx.person.create({ data }))
              : await prisma.person.create({ data });
          return (await prisma.person.findUnique({ where: { email } }))?.email === email && created.email === email;
        }),
      );
      expect(results.map((r) => (r.status === "fulfilled" ? r.value : String(r.reason)))).toEqual(
        Array(100).fill(true),
      );
    } finally {
      await prisma.$disconnect();
      await embedded.stop();
    }
  });
});

describe("Stripe settings", () => {
  it("need the key and the webhook secret together", () => {
    expect(() => parseEnv({ STRIPE_SECRET_KEY: "sk_test_123" })).toThrow(
      /STRIPE_WEBHOOK_SECRET est obligatoire avec l'autre clé Stripe/,
    );
    expect(() => parseEnv({ STRIPE_WEBHOOK_SECRET: "whsec_123" })).toThrow(/STRIPE_SECRET_KEY est obligatoire/);
    expect(() => parseEnv({ STRIPE_SECRET_KEY: "pk_test_123", STRIPE_WEBHOOK_SECRET: "whsec_1" })).toThrow(/sk_test_/);
    expect(parseEnv({ STRIPE_SECRET_KEY: "sk_test_123", STRIPE_WEBHOOK_SECRET: "whsec_123" }).STRIPE_SECRET_KEY).toBe(
      "sk_test_123",
    );
  });
});
