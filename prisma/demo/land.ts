import { provisionPerson } from "~/domain/identity/index.server";
import {
  acceptOffer,
  offerPlot,
  provisionLandTerms,
  provisionPlot,
  submitApplication,
} from "~/domain/leasing/index.server";
import { addMonths } from "~/domain/leasing/rules";
import { parisDate } from "~/domain/ledger/dates";
import type { LeaseKind } from "~/generated/prisma/enums";
import type { Client } from "~/utils/db.server";
import { demoAccount, type DemoPole } from "./pole";
import { isoDate } from "~/domain/ledger/dates";

// The demo pole's land: 20 plots drawn on the site plan (public/images/terres/plan-du-site.svg), the year's
// prefectoral bounds and farm-rent index, farmers whose leases run (accepted through the domain, their first
// rent invoiced), an offer waiting for its answer and a queue of applications — Léa's among them. Every step
// carries a "demo:" key, so a second run changes nothing.

const SOILS = [
  "Limon argileux profond",
  "Sable limoneux",
  "Argilo-calcaire (terrefort)",
  "Alluvions de la Garonne",
  "Boulbène",
];
const WATER = [
  "Irrigation goutte-à-goutte (forage)",
  "Borne du réseau d'irrigation",
  "Point d'eau à 50 m",
  "Aucun accès à l'eau",
  "Forage partagé",
];
const SHELTER = ["Serre tunnel de 400 m²", "Abri à outils en bois", "Aucun", "Hangar partagé", "Aucun"];
const USES = [
  "Maraîchage diversifié",
  "Prairie temporaire",
  "Jachère fleurie",
  "Verger de plein vent",
  "Grandes cultures bio",
];

/** P01…P20: surfaces from 0,6 to 3,8 ha, rents from 120 to 300 €/ha (maraîchage irrigué au plus cher). */
export const DEMO_PLOTS = Array.from({ length: 20 }, (_, i) => {
  const n = i + 1;
  const code = `P${String(n).padStart(2, "0")}`;
  const surfaceM2 = [
    6_200, 9_800, 12_500, 15_000, 18_400, 21_000, 7_500, 25_000, 31_000, 11_200, 8_600, 14_300, 38_000, 22_500, 16_800,
    10_400, 27_300, 13_100, 19_900, 9_100,
  ][i];
  const irrigated = i % 5 < 2;
  return {
    code,
    name:
      ["Les Aubépines", "Le Pré du Canal", "La Garonnette", "Les Noyers", "Le Grand Champ"][i % 5] +
      (n > 5 ? ` ${Math.ceil(n / 5)}` : ""),
    surfaceM2,
    soil: SOILS[i % 5],
    waterAccess: WATER[i % 5],
    shelter: SHELTER[(i * 3) % 5],
    currentUse: USES[(i * 2) % 5],
    rentPerHectareCents: irrigated ? 30_000 - (i % 3) * 2_000 : 12_000 + (i % 4) * 2_500,
    shapeId: `parcelle-${code}`,
  };
});

const FARMERS = [
  {
    email: "aurore.lebrun@exemple.demo",
    name: "Aurore Lebrun",
    organisation: "Couveuse Agricole du Lauragais",
    address: "6 rue du Moulin\n31450 Montgiscard",
  },
  {
    email: "jeanne.cazals@exemple.demo",
    name: "Jeanne Cazals",
    organisation: "Maraîchers Associés du Canal",
    address: "Chemin du Canal\n31450 Donneville",
    // Installed farmers have their own SIREN, printed on their rent invoices (fictional numbers, valid keys).
    siren: "842136574",
  },
  { email: "malik.ferhat@exemple.demo", name: "Malik Ferhat", address: "14 avenue de la Gare\n31450 Baziège" },
  {
    email: "thomas.roudier@exemple.demo",
    name: "Thomas Roudier",
    organisation: "Collectif des Paysans Boulangers",
    address: "Ferme de Peyrolles\n31450 Ayguesvives",
    siren: "853729143",
  },
  {
    email: "elodie.vidal@exemple.demo",
    name: "Élodie Vidal",
    address: "3 place du Foirail\n31290 Villefranche-de-Lauragais",
  },
  { email: "pierre.sabatier@exemple.demo", name: "Pierre Sabatier", address: "22 chemin de Rivel\n31450 Montgiscard" },
  { email: "nina.rossi@exemple.demo", name: "Nina Rossi", address: "5 rue des Écoles\n31320 Castanet-Tolosan" },
] as const;

type Demo = {
  key: string;
  who: string;
  plots: string[];
  kind: LeaseKind;
  minSurfaceM2?: number;
  project: string;
  experience: string;
};

const PROJECTS = {
  maraichage: "Maraîchage diversifié sur sol vivant, 40 légumes par an, vente en AMAP et au marché de Castanet.",
  boulange: "Blés anciens et petit épeautre en bio pour le fournil du collectif, meunerie à la ferme.",
  plantes: "Plantes aromatiques et médicinales, séchage et tisanes vendues en circuit court.",
  elevage: "Poules pondeuses en parcours mobile (250 poules), œufs vendus à la Cagette Solidaire.",
  verger: "Verger-maraîcher en agroforesterie : fruits rouges, pommiers et légumes entre les rangs.",
};

export async function seedDemoLand(tx: Client, demo: DemoPole, now: Date) {
  const poleId = demo.pole.id;
  const today = parisDate(now);
  const year = Number(today.slice(0, 4));
  // Bounds of the Haute-Garonne order for bare land and market gardening, in €/ha, and the national index (next
  // year's is published in July: staff enter it and see the revised rents before applying them).
  await provisionLandTerms(tx, {
    poleId,
    year: year - 1,
    minPerHectareCents: 6_000,
    maxPerHectareCents: 35_000,
    index: 12_255,
  });
  await provisionLandTerms(tx, { poleId, year, minPerHectareCents: 6_200, maxPerHectareCents: 36_000, index: 12_306 });
  await provisionLandTerms(tx, { poleId, year: year + 1, minPerHectareCents: 6_400, maxPerHectareCents: 37_000 });

  const plots: Record<string, string> = {};
  for (const p of DEMO_PLOTS) plots[p.code] = (await provisionPlot(tx, { poleId, ...p })).id;

  const people: Record<string, string> = {};
  for (const f of FARMERS) {
    people[f.email] = (
      await provisionPerson(tx, {
        poleId,
        email: f.email,
        name: f.name,
        address: f.address,
        siren: "siren" in f ? f.siren : undefined,
        organisationId: "organisation" in f ? demo.organisations.get(f.organisation)?.id : undefined,
        password: crypto.randomUUID(),
      })
    ).id;
  }
  const lea = demoAccount(demo, "USER").id;
  const staffId = demoAccount(demo, "STAFF").id;

  const apply = async (d: Demo, at: Date) => {
    const result = await submitApplication(tx, {
      poleId,
      personId: d.who,
      plotIds: d.plots.map((c) => plots[c]),
      minSurfaceM2: d.minSurfaceM2 ?? null,
      project: d.project,
      experience: d.experience,
      desiredStartOn: today,
      leaseKind: d.kind,
      idempotencyKey: `demo:application:${d.key}`,
      today,
      now: at,
    });
    if (!result.ok) throw new Error(`Démo, candidature ${d.key} : ${result.message}`);
    return result.value;
  };
  const lease = async (
    d: Demo,
    plot: string,
    startsOn: string,
    frequency: "YEARLY" | "QUARTERLY" | "MONTHLY",
    accept: boolean,
    at: Date,
  ) => {
    const application = await apply(d, at);
    const offered = await offerPlot(tx, {
      poleId,
      applicationId: application.id,
      plotId: plots[plot],
      startsOn: isoDate(startsOn),
      frequency,
      staffId,
      idempotencyKey: `demo:offer:${plot}`,
      now,
    });
    if (!offered.ok) {
      // A second run: the offer was made (and maybe accepted) by the first.
      if (offered.code === "ALREADY_OFFERED" || offered.code === "NOT_WAITING") return;
      throw new Error(`Démo, proposition ${plot} : ${offered.message}`);
    }
    if (accept && offered.value.lease.status === "OFFERED")
      await acceptOffer(tx, { poleId, leaseId: offered.value.lease.id, personId: d.who, now });
  };

  // The applications, in the order they came (a minute apart), so the queue reads naturally.
  const t = (n: number) => new Date(now.getTime() - (60 - n) * 60_000);
  const f = (email: (typeof FARMERS)[number]["email"]) => people[email];
  // Running leases, accepted today or starting next month (their rents then feed the forecast).
  await lease(
    {
      key: "jeanne",
      who: f("jeanne.cazals@exemple.demo"),
      plots: ["P13"],
      kind: "BAIL_RURAL",
      project: PROJECTS.maraichage,
      experience: "Maraîchère depuis 12 ans, associée des Maraîchers Associés du Canal.",
    },
    "P13",
    today,
    "QUARTERLY",
    true,
    t(1),
  );
  await lease(
    {
      key: "aurore",
      who: f("aurore.lebrun@exemple.demo"),
      plots: ["P01"],
      kind: "ESPACE_TEST",
      project: PROJECTS.plantes,
      experience: "BPREA obtenu en 2025, stage de 6 mois à la Couveuse.",
    },
    "P01",
    today,
    "QUARTERLY",
    true,
    t(2),
  );
  await lease(
    {
      key: "thomas",
      who: f("thomas.roudier@exemple.demo"),
      plots: ["P09", "P17"],
      kind: "BAIL_RURAL",
      project: PROJECTS.boulange,
      experience: "Paysan boulanger, 8 ans d'installation.",
    },
    "P09",
    addMonths(isoDate(`${today.slice(0, 7)}-01`), 1),
    "YEARLY",
    true,
    t(3),
  );
  await lease(
    {
      key: "malik",
      who: f("malik.ferhat@exemple.demo"),
      plots: ["P04"],
      kind: "CONVENTION_PRECAIRE",
      project: PROJECTS.elevage,
      experience: "Éleveur amateur, formation en cours.",
    },
    "P04",
    today,
    "MONTHLY",
    true,
    t(4),
  );
  // An offer waiting for its answer.
  await lease(
    {
      key: "elodie",
      who: f("elodie.vidal@exemple.demo"),
      plots: ["P02", "P07"],
      kind: "ESPACE_TEST",
      project: PROJECTS.verger,
      experience: "Ingénieure agronome en reconversion.",
    },
    "P02",
    today,
    "QUARTERLY",
    false,
    t(5),
  );
  // The queue: Léa and two more wait.
  await apply(
    {
      key: "lea",
      who: lea,
      plots: ["P02", "P07", "P11"],
      kind: "ESPACE_TEST",
      project: PROJECTS.maraichage,
      experience: "Stage de 3 mois en maraîchage, BPREA en cours.",
    },
    t(6),
  );
  await apply(
    {
      key: "pierre",
      who: f("pierre.sabatier@exemple.demo"),
      plots: [],
      minSurfaceM2: 20_000,
      kind: "BAIL_RURAL",
      project: PROJECTS.boulange,
      experience: "Reprise d'exploitation familiale.",
    },
    t(7),
  );
  await apply(
    {
      key: "nina",
      who: f("nina.rossi@exemple.demo"),
      plots: ["P07"],
      kind: "CONVENTION_PRECAIRE",
      project: PROJECTS.plantes,
      experience: "Herboriste, 5 ans.",
    },
    t(8),
  );
}
