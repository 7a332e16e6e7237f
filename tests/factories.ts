import type { OrganisationKind, Role } from "~/generated/prisma/client";
import { hashPassword } from "~/domain/identity/index.server";
import { installChartOfAccounts } from "~/domain/ledger/index.server";
import type { Tx } from "~/utils/db.server";

// Builders shared by the tests and the demo seed. Each one upserts on its natural key (slug, email, name), so
// the seed can run twice without changing anything and tests get fresh rows from unique defaults.
let counter = 0;
const next = () => `${Date.now().toString(36)}${(++counter).toString(36)}`;

export const DEFAULT_OPENING_HOURS = {
  mon: [{ open: "08:30", close: "18:30" }],
  tue: [{ open: "08:30", close: "18:30" }],
  wed: [{ open: "08:30", close: "18:30" }],
  thu: [{ open: "08:30", close: "18:30" }],
  fri: [{ open: "08:30", close: "17:30" }],
  sat: [],
  sun: [],
};

export async function createPole(
  tx: Tx,
  overrides: Partial<{
    slug: string;
    name: string;
    legalName: string;
    siren: string | null;
    vatNumber: string | null;
    addressLine: string;
    postalCode: string;
    city: string;
    tagline: string;
    description: string;
    siteHectares: number;
    axes: { title: string; text: string }[];
  }> = {},
) {
  const slug = overrides.slug ?? `pole-${next()}`;
  const data = {
    slug,
    name: overrides.name ?? `Pôle ${slug}`,
    legalName: overrides.legalName ?? `SCIC ${slug}`,
    siren: overrides.siren ?? null,
    vatNumber: overrides.vatNumber ?? null,
    addressLine: overrides.addressLine ?? "1 chemin des Champs",
    postalCode: overrides.postalCode ?? "31450",
    city: overrides.city ?? "Montgiscard",
    tagline: overrides.tagline ?? "",
    description: overrides.description ?? "",
    siteHectares: overrides.siteHectares ?? 0,
    axes: overrides.axes ?? [],
    openingHours: DEFAULT_OPENING_HOURS,
  };
  const pole = await tx.pole.upsert({ where: { slug }, create: data, update: {} });
  await installChartOfAccounts(tx, pole.id);
  return pole;
}

export async function createOrganisation(
  tx: Tx,
  input: {
    poleId: string;
    name?: string;
    kind?: OrganisationKind;
    isMember?: boolean;
    city?: string;
    description?: string;
  },
) {
  const name = input.name ?? `Organisation ${next()}`;
  return tx.organisation.upsert({
    where: { poleId_name: { poleId: input.poleId, name } },
    create: {
      poleId: input.poleId,
      name,
      kind: input.kind ?? "ASSOCIATION",
      isMember: input.isMember ?? true,
      city: input.city,
      description: input.description ?? "",
    },
    update: {},
  });
}

export const DEFAULT_TEST_PASSWORD = "mot-de-passe-de-test";

export async function createPerson(
  tx: Tx,
  input: {
    poleId: string;
    role?: Role;
    email?: string;
    name?: string;
    password?: string;
    organisationId?: string;
    organisationName?: string;
  },
) {
  const email = (input.email ?? `personne-${next()}@exemple.test`).toLowerCase();
  const existing = await tx.person.findUnique({ where: { email } });
  const person =
    existing ??
    (await tx.person.create({
      data: {
        email,
        name: input.name ?? `Personne ${next()}`,
        organisationName: input.organisationName,
        passwordHash: await hashPassword(input.password ?? DEFAULT_TEST_PASSWORD),
      },
    }));
  const membership = await tx.membership.upsert({
    where: { poleId_personId: { poleId: input.poleId, personId: person.id } },
    create: {
      poleId: input.poleId,
      personId: person.id,
      role: input.role ?? "USER",
      organisationId: input.organisationId,
    },
    update: {},
  });
  return { ...person, membership };
}

export const DESK_RATES = {
  HALF_DAY: { memberCents: 1200, publicCents: 1800 },
  DAY: { memberCents: 2000, publicCents: 3000 },
} as const;
export const ROOM_RATES = {
  HOUR: { memberCents: 1500, publicCents: 2500 },
  HALF_DAY: { memberCents: 5000, publicCents: 8000 },
  DAY: { memberCents: 8000, publicCents: 13000 },
} as const;

export async function createSpace(
  tx: Tx,
  input: {
    poleId: string;
    slug?: string;
    name?: string;
    building?: string;
    floor?: string;
    description?: string;
    photo?: string;
    position?: number;
  },
) {
  const slug = input.slug ?? `espace-${next()}`;
  const data = {
    name: input.name ?? `Espace ${slug}`,
    building: input.building ?? "",
    floor: input.floor ?? "",
    description: input.description ?? "",
    photo: input.photo ?? null,
    position: input.position ?? 0,
  };
  return tx.space.upsert({
    where: { poleId_slug: { poleId: input.poleId, slug } },
    create: { poleId: input.poleId, slug, ...data },
    update: {},
  });
}

export async function createResource(
  tx: Tx,
  input: {
    poleId: string;
    spaceId: string;
    kind?: "DESK" | "ROOM";
    slug?: string;
    name?: string;
    capacity?: number;
    equipment?: string[];
    description?: string;
    photo?: string;
    slotMinutes?: number;
    minMinutes?: number;
    maxMinutes?: number;
    position?: number;
    openingHours?: Record<string, { open: string; close: string }[]>;
    rates?: Partial<Record<"HOUR" | "HALF_DAY" | "DAY", { memberCents: number; publicCents: number }>>;
  },
) {
  const kind = input.kind ?? "DESK";
  const slug = input.slug ?? `${kind === "DESK" ? "poste" : "salle"}-${next()}`;
  const existing = await tx.resource.findUnique({
    where: { poleId_slug: { poleId: input.poleId, slug } },
    include: { rates: true },
  });
  if (existing) return existing;
  const rates = input.rates ?? (kind === "DESK" ? DESK_RATES : ROOM_RATES);
  return tx.resource.create({
    data: {
      poleId: input.poleId,
      spaceId: input.spaceId,
      slug,
      kind,
      name: input.name ?? (kind === "DESK" ? `Poste ${slug}` : `Salle ${slug}`),
      capacity: input.capacity ?? (kind === "DESK" ? 1 : 8),
      equipment: input.equipment ?? [],
      description: input.description ?? "",
      photo: input.photo ?? null,
      slotMinutes: input.slotMinutes ?? 30,
      minMinutes: input.minMinutes ?? 60,
      maxMinutes: input.maxMinutes ?? 600,
      position: input.position ?? 0,
      openingHours: input.openingHours ?? undefined,
      rates: {
        create: Object.entries(rates).map(([unit, r]) => ({
          unit: unit as "HOUR" | "HALF_DAY" | "DAY",
          memberCents: r.memberCents,
          publicCents: r.publicCents,
        })),
      },
    },
    include: { rates: true },
  });
}

export async function createPassProduct(
  tx: Tx,
  input: {
    poleId: string;
    name?: string;
    credits?: number;
    validityMonths?: number;
    memberCents?: number;
    publicCents?: number;
  },
) {
  const name = input.name ?? `Carnet ${next()}`;
  const existing = await tx.passProduct.findFirst({ where: { poleId: input.poleId, name } });
  if (existing) return existing;
  return tx.passProduct.create({
    data: {
      poleId: input.poleId,
      name,
      credits: input.credits ?? 10,
      validityMonths: input.validityMonths ?? 6,
      memberCents: input.memberCents ?? 10_000,
      publicCents: input.publicCents ?? 15_000,
    },
  });
}

export async function createPlot(
  tx: Tx,
  input: {
    poleId: string;
    code?: string;
    name?: string;
    surfaceM2?: number;
    rentPerHectareCents?: number;
    shapeId?: string;
    soil?: string;
    waterAccess?: string;
    shelter?: string;
    currentUse?: string;
    description?: string;
  },
) {
  const code = input.code ?? `P${next()}`;
  const existing = await tx.plot.findUnique({ where: { poleId_code: { poleId: input.poleId, code } } });
  if (existing) return existing;
  return tx.plot.create({
    data: {
      poleId: input.poleId,
      code,
      name: input.name ?? "",
      surfaceM2: input.surfaceM2 ?? 10_000,
      rentPerHectareCents: input.rentPerHectareCents ?? 15_000,
      shapeId: input.shapeId ?? `parcelle-${code}`,
      soil: input.soil ?? "Limon argileux",
      waterAccess: input.waterAccess ?? "Irrigation goutte-à-goutte",
      shelter: input.shelter ?? "",
      currentUse: input.currentUse ?? "Prairie",
      description: input.description ?? "",
    },
  });
}

/** A year's prefectoral bounds and national index (`index: null` when that year's index is not published yet). */
export async function createLandTerms(
  tx: Tx,
  input: {
    poleId: string;
    year: number;
    minPerHectareCents?: number;
    maxPerHectareCents?: number;
    index?: number | null;
  },
) {
  const bounds = {
    minPerHectareCents: input.minPerHectareCents ?? 5_000,
    maxPerHectareCents: input.maxPerHectareCents ?? 30_000,
  };
  await tx.rentBounds.upsert({
    where: { poleId_year: { poleId: input.poleId, year: input.year } },
    create: { poleId: input.poleId, year: input.year, ...bounds },
    update: {},
  });
  if (input.index === null) return;
  await tx.farmRentIndex.upsert({
    where: { poleId_year: { poleId: input.poleId, year: input.year } },
    create: { poleId: input.poleId, year: input.year, value: input.index ?? 12255 },
    update: {},
  });
}
