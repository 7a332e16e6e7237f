import type { OrganisationKind, Role } from "~/generated/prisma/client";
import { DEFAULT_RATES, provisionPassProduct, provisionResource, provisionSpace } from "~/domain/booking/index.server";
import {
  DEFAULT_OPENING_HOURS,
  provisionOrganisation,
  provisionPerson,
  provisionPole,
} from "~/domain/identity/index.server";
import type { IsoDate } from "~/domain/ledger/dates";
import {
  acceptOffer,
  offerPlot,
  provisionLandTerms,
  provisionPlot,
  submitApplication,
} from "~/domain/leasing/index.server";
import type { Client } from "~/utils/db.server";

// Test sugar over the domain's provisioning, which the demo seed uses too: the same rows either way, with
// defaults here — unique slugs, emails and names, so each test gets fresh rows — and only what a test names.
let counter = 0;
const next = () => `${Date.now().toString(36)}${(++counter).toString(36)}`;

export { DEFAULT_OPENING_HOURS };
export const DESK_RATES = DEFAULT_RATES.DESK;
export const ROOM_RATES = DEFAULT_RATES.ROOM;
export const DEFAULT_TEST_PASSWORD = "mot-de-passe-de-test";

export async function createPole(
  tx: Client,
  overrides: Partial<{
    slug: string;
    name: string;
    legalName: string;
    legalForm: string;
    capitalVariable: boolean;
    siren: string | null;
    rcsCity: string | null;
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
  const { pole } = await provisionPole(tx, {
    profile: {
      ...overrides,
      slug,
      name: overrides.name ?? `Pôle ${slug}`,
      legalName: overrides.legalName ?? `SCIC ${slug}`,
      addressLine: overrides.addressLine ?? "1 chemin des Champs",
      postalCode: overrides.postalCode ?? "31450",
      city: overrides.city ?? "Montgiscard",
    },
  });
  return pole;
}

export function createOrganisation(
  tx: Client,
  input: {
    poleId: string;
    name?: string;
    kind?: OrganisationKind;
    isMember?: boolean;
    siret?: string;
    address?: string;
    postalCode?: string;
    city?: string;
    description?: string;
  },
) {
  return provisionOrganisation(tx, { ...input, name: input.name ?? `Organisation ${next()}` });
}

export function createPerson(
  tx: Client,
  input: {
    poleId: string;
    role?: Role;
    email?: string;
    name?: string;
    password?: string;
    organisationId?: string;
    organisationName?: string;
    address?: string;
    siren?: string;
  },
) {
  return provisionPerson(tx, {
    ...input,
    email: input.email ?? `personne-${next()}@exemple.test`,
    name: input.name ?? `Personne ${next()}`,
    password: input.password ?? DEFAULT_TEST_PASSWORD,
  });
}

export function createSpace(
  tx: Client,
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
  return provisionSpace(tx, { ...input, slug, name: input.name ?? `Espace ${slug}` });
}

export function createResource(
  tx: Client,
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
  return provisionResource(tx, {
    ...input,
    kind,
    slug,
    name: input.name ?? (kind === "DESK" ? `Poste ${slug}` : `Salle ${slug}`),
    capacity: input.capacity ?? (kind === "DESK" ? 1 : 8),
  });
}

export function createPassProduct(
  tx: Client,
  input: {
    poleId: string;
    name?: string;
    credits?: number;
    validityMonths?: number;
    memberCents?: number;
    publicCents?: number;
  },
) {
  return provisionPassProduct(tx, {
    poleId: input.poleId,
    name: input.name ?? `Carnet ${next()}`,
    credits: input.credits ?? 10,
    validityMonths: input.validityMonths ?? 6,
    memberCents: input.memberCents ?? 10_000,
    publicCents: input.publicCents ?? 15_000,
  });
}

export function createPlot(
  tx: Client,
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
  return provisionPlot(tx, {
    ...input,
    code,
    surfaceM2: input.surfaceM2 ?? 10_000,
    rentPerHectareCents: input.rentPerHectareCents ?? 15_000,
    shapeId: input.shapeId ?? `parcelle-${code}`,
    soil: input.soil ?? "Limon argileux",
    waterAccess: input.waterAccess ?? "Irrigation goutte-à-goutte",
    currentUse: input.currentUse ?? "Prairie",
  });
}

/** A year's prefectoral bounds and national index (`index: null` when that year's index is not published yet). */
export function createLandTerms(
  tx: Client,
  input: {
    poleId: string;
    year: number;
    minPerHectareCents?: number;
    maxPerHectareCents?: number;
    index?: number | null;
  },
) {
  return provisionLandTerms(tx, {
    poleId: input.poleId,
    year: input.year,
    minPerHectareCents: input.minPerHectareCents ?? 5_000,
    maxPerHectareCents: input.maxPerHectareCents ?? 30_000,
    index: input.index === null ? undefined : (input.index ?? 12255),
  });
}

/**
 * A farmer's running lease of a plot, the way it comes: an application, the staff's offer, the farmer's acceptance
 * (which invoices the first instalment). Bounds and index of the start's year must exist (createLandTerms).
 */
export async function createRunningLease(
  tx: Client,
  input: {
    poleId: string;
    plotId: string;
    farmerId: string;
    staffId: string;
    startsOn: IsoDate;
    endsOn: IsoDate;
    frequency: "MONTHLY" | "QUARTERLY";
    now: Date;
  },
) {
  const application = await submitApplication(tx, {
    poleId: input.poleId,
    personId: input.farmerId,
    plotIds: [input.plotId],
    minSurfaceM2: null,
    project: "Maraîchage sur sol vivant.",
    experience: "",
    desiredStartOn: input.startsOn,
    leaseKind: "CONVENTION_PRECAIRE",
    idempotencyKey: "k-app",
    today: input.startsOn,
    now: input.now,
  });
  if (!application.ok) throw new Error(application.message);
  const offered = await offerPlot(tx, {
    poleId: input.poleId,
    applicationId: application.value.id,
    plotId: input.plotId,
    startsOn: input.startsOn,
    endsOn: input.endsOn,
    frequency: input.frequency,
    staffId: input.staffId,
    idempotencyKey: "k-offer",
    now: input.now,
  });
  if (!offered.ok) throw new Error(offered.message);
  await acceptOffer(tx, {
    poleId: input.poleId,
    leaseId: offered.value.lease.id,
    personId: input.farmerId,
    now: input.now,
  });
  return offered.value.lease;
}
