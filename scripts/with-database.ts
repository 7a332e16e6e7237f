import path from "node:path";
import { exitIfDataDirLocked } from "../app/db/data-dir-lock.server";
import { startEmbeddedPostgres } from "../app/db/embedded.server";
import { applyMigrations } from "../app/db/migrations.server";

/** Runs a command-line task against DATABASE_URL, or the embedded database when it is not set, migrated. */
export async function withDatabase(task: (url: string) => Promise<void>) {
  const embedded = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ dataDir: path.resolve(process.env.EMBEDDED_DATA_DIR ?? ".data/pglite") }).catch(
        exitIfDataDirLocked,
      );
  if (embedded) process.env.DATABASE_URL = embedded.url;
  try {
    await applyMigrations(process.env.DATABASE_URL!);
    await task(process.env.DATABASE_URL!);
  } finally {
    await embedded?.stop();
  }
}
