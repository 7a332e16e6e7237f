import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

// `npm run db:migration -- <name> [--empty]`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the
// SQL that takes the schema as the last migration left it (prisma/schema.migrated.prisma) to prisma/schema.prisma.
// Prisma's `migrate dev` needs a native engine we cannot download, so the diff is made between two datamodels.
const [name, flag] = process.argv.slice(2);
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage : npm run db:migration -- <nom_en_snake_case> [--empty]");
  process.exit(2);
}
const snapshot = path.resolve("prisma/schema.migrated.prisma");
const schema = path.resolve("prisma/schema.prisma");
const from = existsSync(snapshot) ? ["--from-schema-datamodel", snapshot] : ["--from-empty"];
const sql = execFileSync("npx", ["prisma", "migrate", "diff", ...from, "--to-schema-datamodel", schema, "--script"], {
  encoding: "utf8",
  env: { ...process.env, PRISMA_QUERY_ENGINE_LIBRARY: "/dev/null", PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false" },
});
const empty = /empty migration/i.test(sql);
if (empty && flag !== "--empty") {
  console.error(
    "Le schéma n'a pas changé depuis la dernière migration (ajoutez --empty pour une migration SQL écrite à la main).",
  );
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.resolve("prisma/migrations", `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), empty ? "-- Hand-written migration: say why.\n" : sql);
copyFileSync(schema, snapshot);
console.log(
  `Migration créée : ${path.relative(process.cwd(), dir)}/migration.sql — relisez-la, ajoutez le SQL écrit à la main (contraintes, triggers) avec un commentaire.`,
);
