import type { Request, Response } from "express";

/**
 * A refusal answered before Remix runs (bad address, foreign origin, oversized body): JSON for the app's own
 * data requests, a small French page for a browser's navigation, so nobody ever sees a stack trace.
 */
export function refuse(req: Request, res: Response, status: number, message: string) {
  const wantsJson = "_data" in req.query || (req.get("accept") ?? "").includes("application/json");
  res.status(status);
  if (wantsJson) {
    res.json({ message });
    return;
  }
  res.type("html").send(
    `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
      `<title>Erreur ${status} — Terrain Commun</title></head><body><main><p>Erreur ${status}</p><h1>Requête refusée</h1>` +
      `<p>${escapeHtml(message)}</p><p><a href="/">Retour à l'accueil</a></p></main></body></html>`,
  );
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
