import { randomBytes } from "node:crypto";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import type { Env } from "~/utils/env.server";
import { inRequestScope } from "~/utils/request-scope.server";

// The HTTP server around the Remix build: body cap, security headers with a per-request CSP nonce, static
// files. server.ts serves it; the tests that race real requests and the benchmarks start the same one.

const BODY_LIMIT_BYTES = 1024 * 1024;

export function createHttpApp(build: ServerBuild, env: Pick<Env, "NODE_ENV" | "APP_ENV">) {
  const app = express();
  app.disable("x-powered-by");

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
        // FullCalendar ships its arrow icons as a data: font.
        "font-src 'self' data:",
        `connect-src 'self'${devSocket}`,
        "frame-ancestors 'none'",
        "base-uri 'self'",
        // Stripe Checkout is a redirect after a form post: the form's action is ours, the redirect is allowed.
        "form-action 'self' https://checkout.stripe.com",
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

  const remix = createRequestHandler({
    build,
    mode: build.mode,
    getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce as string, clientIp: req.socket.remoteAddress ?? "unknown" }),
  });
  // Each request in its own scope, so its loaders share per-request lookups (the viewer).
  app.all("*", (req, res, next) => inRequestScope(() => remix(req, res, next)));
  return app;
}
