import { once } from "node:events";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll } from "vitest";
import { createHttpApp } from "~/http/express.server";
import type { Env } from "~/utils/env.server";

/**
 * The real HTTP server (the one server.ts runs: Express, security headers, the built Remix app) on a free
 * loopback port, for tests that race real concurrent requests. Needs `npm run build` (npm test runs it first).
 */
export function useHttpServer(env: Partial<Pick<Env, "APP_URL" | "TRUST_PROXY" | "APP_ENV">> = {}) {
  const handle = { baseUrl: "" };
  let close = async () => {};
  beforeAll(async () => {
    const build = (await import(pathToFileURL(path.resolve("build/server/index.js")).href)) as ServerBuild;
    const server = createHttpApp(build, { NODE_ENV: "production", APP_ENV: "test", ...env }).listen(0, "127.0.0.1");
    await once(server, "listening");
    handle.baseUrl = `http://127.0.0.1:${(server as { address(): AddressInfo }).address().port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());
  return handle;
}
