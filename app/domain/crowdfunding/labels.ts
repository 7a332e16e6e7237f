import type { CampaignMode, PaymentMethod, PledgeStatus, TierKind } from "~/generated/prisma/enums";

// What the crowdfunding pages say, in French, and the figures they share with the server (browser-safe: no
// database here). The phase of a campaign is computed on the server from its status and the clock.

export const MODE_LABELS: Record<CampaignMode, string> = {
  ALL_OR_NOTHING: "Tout ou rien",
  KEEP_IT_ALL: "On garde tout",
};

export const MODE_SUMMARIES: Record<CampaignMode, string> = {
  ALL_OR_NOTHING:
    "Les contributions ne sont encaissées que si la campagne atteint son objectif à la date limite ; sinon, aucune carte n'est débitée et les virements et chèques reçus sont remboursés.",
  KEEP_IT_ALL:
    "Le pôle garde ce qui est collecté, que l'objectif soit atteint ou non : les contributions sont réglées tout de suite.",
};

export const TIER_KIND_LABELS: Record<TierKind, string> = {
  GIFT: "Don",
  REWARD: "Contrepartie",
  SHARE: "Parts sociales",
};

export const PLEDGE_STATUS_LABELS: Record<PledgeStatus, string> = {
  PENDING: "Carte à finaliser",
  SECURED: "Promesse enregistrée",
  COLLECTED: "Réglée",
  ACTION_REQUIRED: "Paiement à régler",
  LAPSED: "Expirée (non réglée)",
  CANCELLED: "Annulée",
  REFUNDED: "Remboursée",
};

/** A pledge's state as its contributor reads it: a promise is a card saved, or a transfer or cheque still to come. */
export function pledgeStatusLabel(status: PledgeStatus, method: PaymentMethod) {
  if (status === "SECURED") return method === "STRIPE" ? "Carte enregistrée" : "Règlement attendu";
  return PLEDGE_STATUS_LABELS[status];
}

/** How a pledge is paid, as Mon compte says it. */
export const PLEDGE_PAID_BY: Record<PaymentMethod, string> = {
  STRIPE: "Carte bancaire",
  TRANSFER: "Virement",
  CHEQUE: "Chèque",
  CASH: "Espèces",
  PASS: "Carnet",
};

/** Where a campaign stands for a visitor: before its start, open, past its deadline and being closed, or closed. */
export type CampaignPhase = "UPCOMING" | "LIVE" | "CLOSING" | "SUCCEEDED" | "FAILED";

export const PHASE_LABELS: Record<CampaignPhase, string> = {
  UPCOMING: "Bientôt ouverte",
  LIVE: "En cours",
  CLOSING: "Clôture en cours",
  SUCCEEDED: "Réussie",
  FAILED: "Objectif non atteint",
};

/** Whether a phase is one of a campaign still to come or open (listed first). */
export const isLivePhase = (phase: CampaignPhase) => phase === "UPCOMING" || phase === "LIVE";

/** "Aurore Lebrun" → "Aurore L.": how a named contributor appears in public (never the full name, never the email). */
export function shortName(name: string) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return "Anonyme";
  if (parts.length === 1) return parts[0];
  return `${parts[0]} ${parts[parts.length - 1].charAt(0).toLocaleUpperCase("fr-FR")}.`;
}

/** "Plus que 12 jours", "Dernier jour", for a campaign still open. */
export function timeLeftLabel(endsAt: Date | string, now: Date | string) {
  const ms = new Date(endsAt).getTime() - new Date(now).getTime();
  if (ms <= 0) return "Terminée";
  const hours = Math.ceil(ms / 3_600_000);
  if (hours < 24) return hours <= 1 ? "Dernière heure" : `Plus que ${hours} heures`;
  const days = Math.ceil(ms / 86_400_000);
  return days === 1 ? "Dernier jour" : `${days} jours restants`;
}

const deadlineFormat = new Intl.DateTimeFormat("fr-FR", {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/Paris",
  timeZoneName: "short",
});

/** "31 mai 2027 à 23:59 (heure de Paris, UTC+2)": a deadline with its zone, so no one wonders which midnight. */
export function deadlineLabel(endsAt: Date | string) {
  const parts = deadlineFormat.formatToParts(new Date(endsAt));
  const zone = parts.find((p) => p.type === "timeZoneName")?.value ?? "";
  const when = parts
    .filter((p) => p.type !== "timeZoneName")
    .map((p) => p.value)
    .join("")
    .trim();
  return `${when} (heure de Paris, ${zone})`;
}
