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

// The periodic sweep: lapsed holds, their Checkout pages, freed slots for the waiting list, pending refunds;
// plot offers past their deadline, rent instalments due and overdue, the yearly reconfirmation of the queue.
let sweeping = false;
const housekeeping =
  env.HOUSEKEEPING_SECONDS > 0
    ? setInterval(async () => {
        if (sweeping) return;
        sweeping = true;
        const [{ sweepBookings }, { sweepLand }, { getStripe }, { db }] = await Promise.all([
          import("./app/domain/booking/index.server"),
          import("./app/domain/leasing/index.server"),
          import("./app/domain/payments/index.server"),
          import("./app/utils/db.server"),
        ]);
        // Each sweep on its own: one that fails is logged and never holds back the other.
        const sweeps: [string, () => Promise<unknown>][] = [
          ["Ménage des réservations", () => sweepBookings(db, getStripe())],
          ["Ménage des terres", () => sweepLand(db)],
        ];
        for (const [name, sweep] of sweeps) await sweep().catch((error) => console.error(`${name} :`, error));
        sweeping = false;
      }, env.HOUSEKEEPING_SECONDS * 1000)
    : undefined;

async function shutdown() {
  clearInterval(housekeeping);
  server.close();
  await embedded?.stop();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
