import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createFreshDatabase } from "../../../scripts/fresh-database";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/**
 * Starts the built app the way `npm start` does (tsx server.ts, production build) on a fresh database: a new
 * database on the PostgreSQL server when DATABASE_URL is set, otherwise the app's own embedded database in a
 * temporary folder — so the browser tests also prove the two-command set-up.
 */
export default async function setup(project: TestProject) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const database = process.env.DATABASE_URL ? await createFreshDatabase("e2e") : undefined;
  const dataDir = database ? undefined : await mkdtemp(path.join(tmpdir(), "terrain-commun-e2e-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    APP_ENV: "test",
    PORT: String(port),
    HOST: "127.0.0.1",
    APP_URL: baseUrl,
    SEED_DEMO: "true",
    RATE_LIMIT_MAX: "1000",
  };
  if (database) env.DATABASE_URL = database.url;
  else {
    delete env.DATABASE_URL;
    env.EMBEDDED_DATA_DIR = dataDir;
  }
  const server: ChildProcess = spawn(path.resolve("node_modules/.bin/tsx"), ["server.ts"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Le serveur n'a pas démarré en 120 s :\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Terrain Commun : ")) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout!.on("data", onData);
    server.stderr!.on("data", onData);
    server.once("exit", (code) => reject(new Error(`Le serveur s'est arrêté (code ${code}) :\n${output}`)));
  });
  project.provide("baseUrl", baseUrl);
  return async () => {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}
