import { randomBytes } from "node:crypto";
import type { RequestHandler } from "express";

/**
 * Security headers on every answer (pages, files, refusals), with a fresh CSP nonce per request that the
 * document's scripts carry. HSTS only where the connection is HTTPS or the deployment is production.
 */
export function securityHeaders(options: { development: boolean; production: boolean }): RequestHandler {
  const devSocket = options.development ? " ws://localhost:*" : "";
  return (req, res, next) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
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
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
    if (options.production || req.secure)
      res.setHeader("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    next();
  };
}
