import type { ServerBuild } from "@remix-run/node";
import express from "express";
import type { Env } from "~/utils/env.server";
import { inRequestScope } from "~/utils/request-scope.server";
import { answeringBadInput } from "./bad-input.server";
import { cappedBody } from "./body.server";
import { remixHandler } from "./remix-adapter.server";
import { cleanAddressOnly, sameOriginOnly } from "./request-guards.server";
import { securityHeaders } from "./security-headers.server";

// The HTTP server around the Remix build: security headers, static files, then for the app itself the guards
// (clean address, same origin, body cap) before Remix. server.ts serves it; the tests that race real requests
// and the benchmarks start the same one.

export const BODY_LIMIT_BYTES = 1024 * 1024;
// Stripe signs its webhook: its origin is Stripe's, its proof the signature.
const SIGNED_ENDPOINTS = ["/webhooks/stripe"];

type HttpEnv = Pick<Env, "NODE_ENV" | "APP_ENV"> & Partial<Pick<Env, "APP_URL" | "TRUST_PROXY">>;

export function createHttpApp(build: ServerBuild, env: HttpEnv) {
  const app = express();
  app.disable("x-powered-by");
  // Behind a reverse proxy, TRUST_PROXY says whose X-Forwarded-* to believe (scheme, host, client address).
  app.set("trust proxy", env.TRUST_PROXY ?? false);

  app.use(securityHeaders({ development: env.NODE_ENV === "development", production: env.APP_ENV === "production" }));
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));

  app.use(cleanAddressOnly);
  app.use(sameOriginOnly({ appUrl: env.APP_URL, exempt: SIGNED_ENDPOINTS }));
  app.use(cappedBody(BODY_LIMIT_BYTES));

  const remix = remixHandler(answeringBadInput(build), (req, res) => ({
    cspNonce: res.locals.cspNonce as string,
    clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
  }));
  // Each request in its own scope, so its loaders share per-request lookups (the viewer).
  app.all("*", (req, res, next) => inRequestScope(() => remix(req, res, next)));
  return app;
}
