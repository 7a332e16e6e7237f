import type { provisionPole } from "~/domain/identity/index.server";

// The demo pole: fictional, modelled on a real PTCE near Toulouse (a SCIC, a 55 ha site, 20+ member
// organisations, six axes around the circular economy of organic matter).
export const DEMO_POLE = {
  slug: "vallee-fertile",
  name: "Pôle de la Vallée Fertile",
  legalName: "SCIC La Vallée Fertile",
  siren: "912345675",
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
  city: string;
  isMember?: boolean;
}[] = [
  { name: "Compost'Lauragais", kind: "ASSOCIATION", city: "Villefranche-de-Lauragais" },
  { name: "Les Jardins de la Garonnette", kind: "ASSOCIATION", city: "Montgiscard" },
  { name: "Biomasse Sud-Ouest", kind: "COMPANY", city: "Labège" },
  { name: "Méthagri 31", kind: "COOPERATIVE", city: "Baziège" },
  { name: "Institut de l'Agroécologie du Sud", kind: "RESEARCH", city: "Auzeville-Tolosane" },
  { name: "Lycée agricole d'Auzeville", kind: "PUBLIC_BODY", city: "Auzeville-Tolosane" },
  { name: "Zéro Gaspi Toulouse", kind: "ASSOCIATION", city: "Toulouse" },
  { name: "La Cagette Solidaire", kind: "ASSOCIATION", city: "Ramonville-Saint-Agne" },
  { name: "Luzerne & Co", kind: "COOPERATIVE", city: "Ayguesvives" },
  { name: "Terres de Lien Occitanie (antenne)", kind: "ASSOCIATION", city: "Toulouse" },
  { name: "Couveuse Agricole du Lauragais", kind: "ASSOCIATION", city: "Montgiscard" },
  { name: "Recyclerie du Sicoval", kind: "ASSOCIATION", city: "Castanet-Tolosan" },
  { name: "Maraîchers Associés du Canal", kind: "COOPERATIVE", city: "Donneville" },
  { name: "Atelier Bois & Paille", kind: "COMPANY", city: "Escalquens" },
  { name: "Énergies Citoyennes du Lauragais", kind: "COOPERATIVE", city: "Villenouvelle" },
  { name: "Conserverie Les Bocaux Voyageurs", kind: "COMPANY", city: "Baziège" },
  { name: "Réseau des AMAP du Sud-Est toulousain", kind: "ASSOCIATION", city: "Toulouse" },
  { name: "Lombric'Actions", kind: "COMPANY", city: "Labège" },
  { name: "Chantier d'insertion Les Semeurs", kind: "ASSOCIATION", city: "Montgiscard" },
  { name: "Bureau d'études Sols Vivants", kind: "COMPANY", city: "Toulouse" },
  { name: "Collectif des Paysans Boulangers", kind: "ASSOCIATION", city: "Ayguesvives" },
  { name: "Coopérative d'activités Ozon", kind: "COOPERATIVE", city: "Toulouse" },
  { name: "Communauté d'agglomération du Sicoval", kind: "PUBLIC_BODY", city: "Labège", isMember: false },
  { name: "Chambre régionale de l'ESS", kind: "ASSOCIATION", city: "Toulouse", isMember: false },
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
  { role: "USER", email: "usager@vallee-fertile.demo", password: "demo-usager-2026", name: "Léa Fabre" },
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
