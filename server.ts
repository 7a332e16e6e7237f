import path from "node:path";
import { pathToFileURL } from "node:url";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import { exitIfDataDirLocked } from "./app/db/data-dir-lock.server";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./app/db/embedded.server";
import { applyMigrations } from "./app/db/migrations.server";
import { createHttpApp } from "./app/http/express.server";
import { parseEnv } from "./app/utils/env.server";

// Start-up: check the environment, make sure a database is there (the embedded one when DATABASE_URL is not
// set), apply migrations, seed the demo pole into an empty database, then serve the Remix build.
const env = parseEnv();
let embedded: EmbeddedDatabase | undefined;
if (!env.DATABASE_URL) {
  embedded = await startEmbeddedPostgres({ dataDir: path.resolve(env.EMBEDDED_DATA_DIR) }).catch(exitIfDataDirLocked);
  process.env.DATABASE_URL = embedded.url;
  console.log(`Base embarquée (PGlite) : ${env.EMBEDDED_DATA_DIR}`);
}
const applied = await applyMigrations(process.env.DATABASE_URL!);
if (applied.length) console.log(`Migrations appliquées : ${applied.join(", ")}`);
if (env.SEED_DEMO === "true") {
  const { seedDemoIfEmpty } = await import("./prisma/seed");
  await seedDemoIfEmpty();
}

const buildPath = path.resolve("build/server/index.js");
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;

const app = createHttpApp(build, env);

const server = app.listen(env.PORT, env.HOST, () => {
  console.log(`Terrain Commun : ${env.APP_URL} (écoute sur ${env.HOST}:${env.PORT})`);
  if (build.mode === "development") broadcastDevReady(build);
});

// The periodic sweeps of the stream registry (each stream's, then the payments'), each under a lease row so that
// several instances on one database never run the same sweep at once (decision 013).
let sweeper: { stop(): void } | undefined;
if (env.HOUSEKEEPING_SECONDS > 0) {
  const [{ SWEEPS }, { startSweeping }, { getStripe }, { db }] = await Promise.all([
    import("./app/domain/streams.server"),
    import("./app/domain/sweeps.server"),
    import("./app/domain/payments/index.server"),
    import("./app/utils/db.server"),
  ]);
  sweeper = startSweeping(db, SWEEPS, {
    tickSeconds: env.HOUSEKEEPING_SECONDS,
    context: () => ({ now: new Date(), stripe: getStripe() }),
  });
}

async function shutdown() {
  sweeper?.stop();
  server.close();
  await embedded?.stop();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
