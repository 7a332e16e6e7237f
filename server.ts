import { randomBytes } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import express from "express";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./app/db/embedded.server";
import { applyMigrations } from "./app/db/migrations.server";
import { parseEnv } from "./app/utils/env.server";

// Start-up: check the environment, make sure a database is there (the embedded one when DATABASE_URL is not
// set), apply migrations, seed the demo pole into an empty database, then serve the Remix build.
const env = parseEnv();
let embedded: EmbeddedDatabase | undefined;
if (!env.DATABASE_URL) {
  embedded = await startEmbeddedPostgres({ dataDir: path.resolve(env.EMBEDDED_DATA_DIR) });
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

const app = express();
app.disable("x-powered-by");

const BODY_LIMIT_BYTES = 1024 * 1024;
app.use((req, res, next) => {
  if (Number(req.headers["content-length"] ?? 0) > BODY_LIMIT_BYTES) {
    res.status(413).type("text/plain; charset=utf-8").send("Requête trop volumineuse.");
    return;
  }
  next();
});

app.use((req, res, next) => {
  const nonce = randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  const devSocket = env.NODE_ENV === "development" ? " ws://localhost:*" : "";
  res.setHeader(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self'${devSocket}`,
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "object-src 'none'",
    ].join("; "),
  );
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (env.APP_ENV === "production") res.setHeader("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  next();
});

app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));

app.all(
  "*",
  createRequestHandler({
    build,
    mode: build.mode,
    getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce as string, clientIp: req.socket.remoteAddress ?? "unknown" }),
  }),
);

const server = app.listen(env.PORT, env.HOST, () => {
  console.log(`Terrain Commun : ${env.APP_URL} (écoute sur ${env.HOST}:${env.PORT})`);
  if (build.mode === "development") broadcastDevReady(build);
});

async function shutdown() {
  server.close();
  await embedded?.stop();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
