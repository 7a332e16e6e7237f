// The pole's four offers, presented on the home page; `coming` is what an offer's page announces until it lands.
export const OFFERS = [
  {
    to: "/espaces",
    title: "Espaces de coworking",
    icon: "desk" as const,
    summary:
      "Postes de travail et salles de réunion sur le site, à l'heure, à la demi-journée ou à la journée, avec un tarif membre.",
    coming: [],
  },
  {
    to: "/terres",
    title: "Terres agricoles",
    icon: "sprout" as const,
    summary: "Des parcelles du site pour s'installer en espace-test, en convention d'occupation ou en bail rural.",
    coming: [
      "Plan du site avec les parcelles libres, proposées et louées",
      "Candidature en ligne et liste d'attente transparente",
      "Baux, échéancier des loyers et factures dans votre compte",
    ],
  },
  {
    to: "/formations",
    title: "Formations",
    icon: "book" as const,
    summary: "Des sessions sur l'économie circulaire de la matière organique, animées par les membres du pôle.",
    coming: [],
  },
  {
    to: "/financement",
    title: "Financement participatif",
    icon: "hands" as const,
    summary: "Soutenez le pôle par un don, une contrepartie ou en devenant sociétaire de la SCIC.",
    coming: [],
  },
] as const;

export type Offer = (typeof OFFERS)[number];
export const offerAt = (to: Offer["to"]) => OFFERS.find((o) => o.to === to)!;
