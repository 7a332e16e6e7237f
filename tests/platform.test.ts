import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { applyMigrations, listMigrations } from "~/db/migrations.server";
import { parseEnv } from "~/utils/env.server";

describe("migrations", () => {
  it("cover the whole schema: the schema of the last migration is the current one", async () => {
    const [current, migrated] = await Promise.all([readFile("prisma/schema.prisma", "utf8"), readFile("prisma/schema.migrated.prisma", "utf8")]);
    expect(migrated, "run `npm run db:migration -- <name>` after changing prisma/schema.prisma").toBe(current);
  });

  it("apply nothing a second time", async () => {
    expect(await applyMigrations(process.env.DATABASE_URL!)).toEqual([]);
    expect((await listMigrations()).length).toBeGreaterThan(0);
  });
});

describe("environment", () => {
  it("stops a production start-up that lacks a secret, naming it", () => {
    expect(() => parseEnv({ APP_ENV: "production", DATABASE_URL: "postgresql://x", APP_URL: "https://pole.example" })).toThrow(/SESSION_SECRET est obligatoire en production/);
  });

  it("has safe defaults in development", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ APP_ENV: "development", PORT: 3000, APP_URL: "http://localhost:3000" });
    expect(env.SESSION_SECRET.length).toBeGreaterThanOrEqual(32);
  });
});
