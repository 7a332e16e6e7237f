import type { Request, RequestHandler } from "express";
import { refuse } from "./refusal.server";

// Guards that run before Remix on every request that reaches the app (static files are served earlier).

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
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

/**
 * An address whose decoded path or query holds a control character (a NUL byte reaches PostgreSQL as error
 * 22021) or a broken percent-encoding is bad input: 400, for every route and parameter at once.
 */
export const cleanAddressOnly: RequestHandler = (req, res, next) => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(req.originalUrl);
  } catch {
    return refuse(req, res, 400, "Cette adresse est mal formée.");
  }
  if (CONTROL_CHARACTERS.test(decoded)) return refuse(req, res, 400, "Cette adresse contient des caractères non autorisés.");
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
      claimed === undefined ? site !== undefined && site !== "same-origin" && site !== "none" : claimed !== requestOrigin(req) && claimed !== configured;
    if (foreign) return refuse(req, res, 403, "Cette demande ne vient pas de ce site : elle a été refusée. Rechargez la page et recommencez.");
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
