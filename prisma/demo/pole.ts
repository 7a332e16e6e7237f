import type { provisionPole } from "~/domain/identity/index.server";

// The demo pole: fictional, modelled on a real PTCE near Toulouse (a SCIC, a 55 ha site, 20+ member
// organisations, six axes around the circular economy of organic matter).
export const DEMO_POLE = {
  slug: "vallee-fertile",
  name: "Pôle de la Vallée Fertile",
  legalName: "SCIC La Vallée Fertile",
  // The legal identity its invoices print (decision 022): a Luhn-valid SIREN and its matching VAT number.
  legalForm: "SCIC SAS",
  capitalVariable: true,
  siren: "912345675",
  rcsCity: "Toulouse",
  vatNumber: "FR65912345675",
  addressLine: "Domaine de la Luzernière, chemin de la Garonnette",
  postalCode: "31450",
  city: "Montgiscard",
  siteHectares: 55,
  tagline:
    "Un pôle coopératif du Lauragais où la matière organique de la ville nourrit les sols, les emplois et les projets.",
  description:
    "La SCIC La Vallée Fertile porte un pôle territorial de coopération économique aux portes de Toulouse. Associations, entreprises, instituts de recherche, collectivités et acteurs de l'économie sociale et solidaire y coopèrent autour d'un fil conducteur : la matière organique, détournée de l'incinération et de l'enfouissement pour revenir aux sols agricoles.\n\n" +
    "Son site de 55 hectares accueille des bureaux partagés, des parcelles pour les agriculteurs qui s'installent, des formations et des chantiers collectifs. Ses recettes — locations d'espaces et de terres, formations, financement participatif — visent l'autofinancement du pôle, en toute transparence pour ses membres.",
  axes: [
    { title: "Circuits courts alimentaires", text: "Rapprocher producteurs du Lauragais et mangeurs de la métropole." },
    {
      title: "Valorisation locale de la biomasse",
      text: "Composter et méthaniser les biodéchets urbains au plus près des champs.",
    },
    {
      title: "Agroécologie en Lauragais",
      text: "Des couverts et des luzernes pour des sols vivants et des fermes autonomes.",
    },
    {
      title: "Lutte contre le gaspillage alimentaire",
      text: "Collecter, transformer et redistribuer les invendus du territoire.",
    },
    {
      title: "Soutien au développement local",
      text: "Accueillir et accompagner les porteurs de projet et les installations agricoles.",
    },
    {
      title: "Formation et diffusion",
      text: "Former et sensibiliser le plus large public aux pratiques mises en œuvre.",
    },
  ],
};

export const DEMO_ORGANISATIONS: {
  name: string;
  kind: "ASSOCIATION" | "COMPANY" | "COOPERATIVE" | "RESEARCH" | "PUBLIC_BODY" | "OTHER";
  address: string;
  postalCode: string;
  city: string;
  /** Fictional, with a valid key: the SIREN its invoices print is its first 9 digits. */
  siret?: string;
  isMember?: boolean;
}[] = [
  {
    name: "Compost'Lauragais",
    kind: "ASSOCIATION",
    address: "4 chemin du Ramier",
    postalCode: "31290",
    city: "Villefranche-de-Lauragais",
    siret: "81234567600017",
  },
  {
    name: "Les Jardins de la Garonnette",
    kind: "ASSOCIATION",
    address: "Chemin de la Garonnette",
    postalCode: "31450",
    city: "Montgiscard",
  },
  {
    name: "Biomasse Sud-Ouest",
    kind: "COMPANY",
    address: "12 rue Ampère",
    postalCode: "31670",
    city: "Labège",
    siret: "84412345500025",
  },
  { name: "Méthagri 31", kind: "COOPERATIVE", address: "Route de Villefranche", postalCode: "31450", city: "Baziège" },
  {
    name: "Institut de l'Agroécologie du Sud",
    kind: "RESEARCH",
    address: "24 chemin de Borde-Rouge",
    postalCode: "31320",
    city: "Auzeville-Tolosane",
  },
  {
    name: "Lycée agricole d'Auzeville",
    kind: "PUBLIC_BODY",
    address: "2 route de Narbonne",
    postalCode: "31320",
    city: "Auzeville-Tolosane",
  },
  {
    name: "Zéro Gaspi Toulouse",
    kind: "ASSOCIATION",
    address: "18 rue des Amidonniers",
    postalCode: "31000",
    city: "Toulouse",
  },
  {
    name: "La Cagette Solidaire",
    kind: "ASSOCIATION",
    address: "7 avenue de Toulouse",
    postalCode: "31520",
    city: "Ramonville-Saint-Agne",
  },
  {
    name: "Luzerne & Co",
    kind: "COOPERATIVE",
    address: "Lieu-dit En Jouanis",
    postalCode: "31450",
    city: "Ayguesvives",
  },
  {
    name: "Terres de Lien Occitanie (antenne)",
    kind: "ASSOCIATION",
    address: "9 rue de la Colombette",
    postalCode: "31000",
    city: "Toulouse",
  },
  {
    name: "Couveuse Agricole du Lauragais",
    kind: "ASSOCIATION",
    address: "Domaine de la Luzernière",
    postalCode: "31450",
    city: "Montgiscard",
    siret: "79845612500011",
  },
  {
    name: "Recyclerie du Sicoval",
    kind: "ASSOCIATION",
    address: "3 rue du Lauragais",
    postalCode: "31320",
    city: "Castanet-Tolosan",
  },
  {
    name: "Maraîchers Associés du Canal",
    kind: "COOPERATIVE",
    address: "Chemin du Canal",
    postalCode: "31450",
    city: "Donneville",
    siret: "88123456100010",
  },
  {
    name: "Atelier Bois & Paille",
    kind: "COMPANY",
    address: "5 impasse des Charpentiers",
    postalCode: "31750",
    city: "Escalquens",
    siret: "90187654000013",
  },
  {
    name: "Énergies Citoyennes du Lauragais",
    kind: "COOPERATIVE",
    address: "1 place de la Mairie",
    postalCode: "31290",
    city: "Villenouvelle",
  },
  {
    name: "Conserverie Les Bocaux Voyageurs",
    kind: "COMPANY",
    address: "ZA du Rivel",
    postalCode: "31450",
    city: "Baziège",
  },
  {
    name: "Réseau des AMAP du Sud-Est toulousain",
    kind: "ASSOCIATION",
    address: "31 rue Riquet",
    postalCode: "31000",
    city: "Toulouse",
  },
  { name: "Lombric'Actions", kind: "COMPANY", address: "8 rue de l'Innovation", postalCode: "31670", city: "Labège" },
  {
    name: "Chantier d'insertion Les Semeurs",
    kind: "ASSOCIATION",
    address: "Chemin de la Garonnette",
    postalCode: "31450",
    city: "Montgiscard",
  },
  {
    name: "Bureau d'études Sols Vivants",
    kind: "COMPANY",
    address: "40 allées Jean-Jaurès",
    postalCode: "31000",
    city: "Toulouse",
  },
  {
    name: "Collectif des Paysans Boulangers",
    kind: "ASSOCIATION",
    address: "Ferme de Peyrolles",
    postalCode: "31450",
    city: "Ayguesvives",
  },
  {
    name: "Coopérative d'activités Ozon",
    kind: "COOPERATIVE",
    address: "15 rue de Metz",
    postalCode: "31000",
    city: "Toulouse",
    siret: "52278945200037",
  },
  {
    name: "Communauté d'agglomération du Sicoval",
    kind: "PUBLIC_BODY",
    address: "110 rue Marco-Polo",
    postalCode: "31670",
    city: "Labège",
    isMember: false,
  },
  {
    name: "Chambre régionale de l'ESS",
    kind: "ASSOCIATION",
    address: "20 rue de Belfort",
    postalCode: "31000",
    city: "Toulouse",
    isMember: false,
  },
];

// Listed in the README; the passwords are public on purpose: this is demo data.
export const DEMO_ACCOUNTS = [
  { role: "ADMIN", email: "admin@vallee-fertile.demo", password: "demo-admin-2026", name: "Camille Durand" },
  { role: "STAFF", email: "equipe@vallee-fertile.demo", password: "demo-equipe-2026", name: "Nadia Benali" },
  {
    role: "MEMBER",
    email: "membre@vallee-fertile.demo",
    password: "demo-membre-2026",
    name: "Julien Marty",
    organisation: "Compost'Lauragais",
  },
  {
    role: "USER",
    email: "usager@vallee-fertile.demo",
    password: "demo-usager-2026",
    name: "Léa Fabre",
    address: "3 rue de l'Église\n31000 Toulouse",
  },
] as const;

/** The pole as provisioned: its row, the fiscal year of the seed's day, its organisations by name, its accounts by email. */
export type DemoPole = Awaited<ReturnType<typeof provisionPole>>;

/** One of the four demo accounts, by its role. */
export function demoAccount(demo: DemoPole, role: (typeof DEMO_ACCOUNTS)[number]["role"]) {
  return demo.people.get(DEMO_ACCOUNTS.find((a) => a.role === role)!.email)!;
}

/** A demo organisation, by its name; one missing is a broken demo. */
export function demoOrganisation(demo: DemoPole, name: string) {
  const organisation = demo.organisations.get(name);
  if (!organisation) throw new Error(`Organisation de démonstration inconnue : ${name}`);
  return organisation;
}
