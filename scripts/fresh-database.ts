import pg from "pg";
import { startEmbeddedPostgres } from "../app/db/embedded.server";
import { applyMigrations } from "../app/db/migrations.server";

/**
 * A fresh, migrated database for one test or benchmark run: a new database on the server of DATABASE_URL when it
 * is set (CI: the PostgreSQL server on this machine), otherwise an in-memory embedded PostgreSQL. `drop` removes it.
 */
export async function createFreshDatabase(label: string) {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres();
    await applyMigrations(embedded.url);
    return { url: embedded.url, drop: embedded.stop };
  }
  const name = `terrain_commun_${label}_${process.pid}`;
  const admin = new URL(serverUrl);
  admin.pathname = "/postgres";
  const adminClient = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin.href });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await adminClient(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await adminClient(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await applyMigrations(url.href);
  return { url: url.href, drop: () => adminClient(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
