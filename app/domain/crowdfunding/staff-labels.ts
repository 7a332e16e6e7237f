import type { CampaignMode, CampaignStatus, PledgeStatus, RewardKind, TierKind } from "~/generated/prisma/enums";

// The French words of crowdfunding's states and kinds as the back office shows them (browser and server alike).

export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = {
  DRAFT: "Brouillon",
  PUBLISHED: "Publiée",
  CLOSING: "En clôture",
  SUCCEEDED: "Réussie",
  FAILED: "Non atteinte",
};

export const CAMPAIGN_MODES = ["ALL_OR_NOTHING", "KEEP_IT_ALL"] as const satisfies readonly CampaignMode[];

export const TIER_KINDS = ["GIFT", "REWARD", "SHARE"] as const satisfies readonly TierKind[];

export const REWARD_KINDS = ["BOOKLET", "TRAINING_CREDIT", "OTHER"] as const satisfies readonly RewardKind[];
export const REWARD_KIND_LABELS: Record<RewardKind, string> = {
  BOOKLET: "Carnet de coworking",
  TRAINING_CREDIT: "Crédit de formation",
  OTHER: "Autre (produits, visite…)",
};

/** The VAT rates a reward may carry, in basis points: none (outside VAT's scope), 5,5 %, 10 %, 20 %. */
export const TIER_VAT_RATES = [0, 550, 1000, 2000] as const;
export const vatRateLabel = (bp: number) => `${String(bp / 100).replace(".", ",")} %`;

export const PLEDGE_STATUSES = [
  "PENDING",
  "SECURED",
  "COLLECTED",
  "ACTION_REQUIRED",
  "LAPSED",
  "CANCELLED",
  "REFUNDED",
] as const satisfies readonly PledgeStatus[];
export const PLEDGE_STATUS_LABELS: Record<PledgeStatus, string> = {
  PENDING: "En attente de carte",
  SECURED: "Promise",
  COLLECTED: "Encaissée",
  ACTION_REQUIRED: "Paiement à reprendre",
  LAPSED: "Expirée",
  CANCELLED: "Annulée",
  REFUNDED: "Remboursée",
};

/** How a pledge is paid, as staff filter it: the card, or an offline method announced. */
export const PLEDGE_METHODS = ["STRIPE", "TRANSFER", "CHEQUE"] as const;
export const PLEDGE_METHOD_LABELS: Record<(typeof PLEDGE_METHODS)[number] | "CASH" | "PASS", string> = {
  STRIPE: "Carte",
  TRANSFER: "Virement",
  CHEQUE: "Chèque",
  CASH: "Espèces",
  PASS: "Carnet",
};

// The campaign modes and tier kinds read the same for staff and contributors: one wording, in labels.ts.
export { MODE_LABELS as CAMPAIGN_MODE_LABELS, TIER_KIND_LABELS } from "./labels";
