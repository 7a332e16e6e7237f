import type { Request, RequestHandler } from "express";
import { hasControlCharacter } from "~/utils/validation";
import { refuse } from "./refusal.server";

// Guards that run before Remix on every request that reaches the app (static files are served earlier).

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The request's own origin as the app sees it: the scheme and host honour `trust proxy` (X-Forwarded-Proto and
 * X-Forwarded-Host are believed only from a trusted proxy), the port is kept.
 */
export function requestOrigin(req: Request) {
  const trusted = req.app.get("trust proxy fn")(req.socket.remoteAddress, 0) as boolean;
  const host = ((trusted && req.get("x-forwarded-host")) || req.get("host") || "").split(",")[0].trim();
  try {
    // Through URL so a default port written out (":443") compares equal to the browser's Origin.
    return new URL(`${req.protocol}://${host}`).origin;
  } catch {
    return "invalid";
  }
}

// Methods Remix and the app know; anything else (TRACE, a made-up verb) never reaches them.
const KNOWN_METHODS = new Set(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]);

/**
 * An address the app could choke on is bad input, answered before any route: a control character in the
 * decoded path or query (a NUL byte reaches PostgreSQL as error 22021), a broken percent-encoding in the path
 * (route parameters are decoded from it), a Host no URL can be built from, an unknown method.
 */
export const cleanAddressOnly: RequestHandler = (req, res, next) => {
  if (!KNOWN_METHODS.has(req.method)) {
    res.setHeader("Allow", [...KNOWN_METHODS].join(", "));
    return refuse(req, res, 405, "Cette méthode n'est pas acceptée.");
  }
  if (requestOrigin(req) === "invalid") return refuse(req, res, 400, "L'adresse du site demandée est invalide.");
  const [path, query = ""] = req.originalUrl.split(/\?(.*)/s);
  let decodedPath: string;
  try {
    decodedPath = decodeURIComponent(path);
  } catch {
    return refuse(req, res, 400, "Cette adresse est mal formée.");
  }
  // The query is read the tolerant way URLSearchParams reads it ("?utm=50%off" is fine), then checked.
  const queryParts = [...new URLSearchParams(query)].flat();
  if (hasControlCharacter(decodedPath) || queryParts.some(hasControlCharacter)) {
    return refuse(req, res, 400, "Cette adresse contient des caractères non autorisés.");
  }
  next();
};

/**
 * Our own defence against cross-site request forgery, on every request that can change something — pages,
 * `?_data=` requests and resource routes alike, which Remix's own Origin check skips (decision 011). A browser
 * sends Origin with every POST (or "null", refused); without it the Referer stands in. A request with neither
 * comes from no browser (curl, a script) and carries no forged intent.
 */
export function sameOriginOnly(options: { appUrl?: string; exempt: string[] }): RequestHandler {
  const configured = options.appUrl ? new URL(options.appUrl).origin : null;
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method) || options.exempt.includes(req.path)) return next();
    const claimed = req.get("origin") ?? originOfReferer(req.get("referer"));
    const site = req.get("sec-fetch-site");
    const foreign =
      claimed === undefined
        ? site !== undefined && site !== "same-origin" && site !== "none"
        : claimed !== requestOrigin(req) && claimed !== configured;
    if (foreign)
      return refuse(
        req,
        res,
        403,
        "Cette demande ne vient pas de ce site : elle a été refusée. Rechargez la page et recommencez.",
      );
    next();
  };
}

function originOfReferer(referer: string | undefined) {
  if (referer === undefined) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return "invalid";
  }
}
