import type { Journal, Stream } from "~/generated/prisma/enums";

// Shared by server and browser code: labels and the own/external split behind the self-financing ratio.
export const STREAMS = [
  "COWORKING",
  "LAND",
  "TRAINING",
  "CROWDFUNDING",
  "SUBSIDY",
  "OTHER",
] as const satisfies readonly Stream[];

export const STREAM_LABELS: Record<Stream, string> = {
  COWORKING: "Coworking",
  LAND: "Terres agricoles",
  TRAINING: "Formations",
  CROWDFUNDING: "Financement participatif",
  SUBSIDY: "Subventions",
  OTHER: "Autres produits",
};

/**
 * Own revenues are what the pole earns by its activity; subsidies are not. Gifts (account 758) are not own
 * revenue either even though they sit in the OTHER or CROWDFUNDING stream: the ratio looks at accounts, see
 * dashboard.server.ts.
 */
export const OWN_STREAMS: readonly Stream[] = ["COWORKING", "LAND", "TRAINING", "CROWDFUNDING", "OTHER"];

export const JOURNALS = ["VT", "BQ", "OD"] as const satisfies readonly Journal[];
/** Every journal, for filters: AN holds the opening entries only a closing posts. */
export const ALL_JOURNALS = [...JOURNALS, "AN"] as const satisfies readonly Journal[];
export const JOURNAL_LABELS: Record<Journal, string> = {
  VT: "Ventes",
  BQ: "Banque",
  OD: "Opérations diverses",
  AN: "À-nouveaux",
};
