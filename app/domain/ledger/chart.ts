import type { Stream } from "~/generated/prisma/enums";

// The accounts every pole starts with (PCG, ANC 2022-06). Staff add sub-accounts under them (e.g. 740100
// "Subvention Région Occitanie" under 740000). `stream` is the stream a revenue account feeds by default.
export const DEFAULT_CHART: readonly { code: string; label: string; stream?: Stream }[] = [
  { code: "101300", label: "Capital souscrit — appelé, versé" },
  { code: "106100", label: "Réserve légale" },
  { code: "106800", label: "Autres réserves (réserves impartageables)" },
  { code: "110000", label: "Report à nouveau (solde créditeur)" },
  { code: "119000", label: "Report à nouveau (solde débiteur)" },
  { code: "120000", label: "Résultat de l'exercice (bénéfice)" },
  { code: "129000", label: "Résultat de l'exercice (perte)" },
  { code: "401000", label: "Fournisseurs" },
  { code: "411000", label: "Clients" },
  { code: "419100", label: "Clients — avances et acomptes reçus" },
  { code: "445660", label: "TVA déductible sur autres biens et services" },
  { code: "445710", label: "TVA collectée" },
  { code: "456300", label: "Versements reçus sur augmentation de capital" },
  { code: "467000", label: "Autres comptes débiteurs ou créditeurs" },
  { code: "487000", label: "Produits constatés d'avance" },
  { code: "511200", label: "Chèques à encaisser" },
  { code: "512000", label: "Banque" },
  { code: "517000", label: "Stripe — solde à reverser (compte de passage)" },
  { code: "530000", label: "Caisse" },
  { code: "604000", label: "Achats d'études et prestations de services" },
  { code: "606000", label: "Achats non stockés de matières et fournitures" },
  { code: "613200", label: "Locations immobilières" },
  { code: "615000", label: "Entretien et réparations" },
  { code: "622600", label: "Honoraires" },
  { code: "626000", label: "Frais postaux et de télécommunications" },
  { code: "627000", label: "Services bancaires et assimilés" },
  { code: "641000", label: "Rémunérations du personnel" },
  { code: "645000", label: "Charges de sécurité sociale et de prévoyance" },
  { code: "706100", label: "Prestations — coworking", stream: "COWORKING" },
  { code: "706200", label: "Prestations — formations", stream: "TRAINING" },
  { code: "706300", label: "Locations de terres agricoles", stream: "LAND" },
  { code: "707000", label: "Ventes — contreparties", stream: "CROWDFUNDING" },
  { code: "708000", label: "Produits des activités annexes", stream: "OTHER" },
  { code: "740000", label: "Subventions d'exploitation", stream: "SUBSIDY" },
  { code: "758000", label: "Produits divers de gestion courante — dons", stream: "OTHER" },
];

/**
 * Revenue accounts (class 7) make a stream's actual. The pole's own revenue (autofinancement) is its sales (70)
 * and other operating income (75) except gifts (758); subsidies (74) and gifts are resources it did not earn.
 */
export const isRevenueAccount = (code: string) => code.startsWith("7");
export const isOwnRevenueAccount = (code: string) =>
  code.startsWith("70") || (code.startsWith("75") && !code.startsWith("758"));
