import { defineConfig } from "prisma/config";

// Prisma's native engines cannot be downloaded on our machines: the JS engine with the pg driver adapter is
// used everywhere (CLI and app). See docs/decisions/001-database.md.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    const { PrismaPg } = await import("@prisma/adapter-pg");
    return new PrismaPg({
      connectionString: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
    });
  },
});
