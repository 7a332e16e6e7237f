import type { Request, Response } from "express";

/**
 * A refusal answered before Remix runs (bad address, foreign origin, oversized body): JSON for the app's own
 * data requests, a small French page for a browser's navigation, so nobody ever sees a stack trace.
 */
export function refuse(req: Request, res: Response, status: number, message: string) {
  const wantsJson = "_data" in req.query || (req.get("accept") ?? "").includes("application/json");
  res.status(status);
  // A body we will not read: close rather than let Node drain it for the next request on the connection.
  if (req.get("content-length") || req.get("transfer-encoding")) res.setHeader("Connection", "close");
  if (wantsJson) {
    res.json({ message });
    return;
  }
  res
    .type("html")
    .send(
      `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
        `<title>Erreur ${status} — Terrain Commun</title><style>${PAGE_STYLE}</style></head><body><main><p class="eyebrow">Erreur ${status}</p>` +
        `<h1>Requête refusée</h1><p>${escapeHtml(message)}</p><p><a class="button" href="/">Retour à l'accueil</a></p></main></body></html>`,
    );
}

// The app's stylesheet is a hashed build asset; these few rules give the refusal the same look.
const PAGE_STYLE = [
  "body{margin:0;background:#f9f8f4;color:#1c2b22;font:1.05rem/1.6 system-ui,-apple-system,'Segoe UI',sans-serif}",
  "main{max-width:40rem;margin:4rem auto;padding:0 1.25rem}",
  "h1{font-size:2.2rem;margin:.25rem 0 1rem}",
  ".eyebrow{color:#5a6b60;font-size:.9rem;margin:0}",
  ".button{display:inline-block;background:#2f6b3f;color:#fff;padding:.6rem 1.1rem;border-radius:.4rem;text-decoration:none;font-weight:600}",
  ".button:focus-visible{outline:3px solid #1c2b22;outline-offset:2px}",
].join("");

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
