import type { RateUnit, ResourceKind } from "~/generated/prisma/enums";
import type { Client } from "~/utils/db.server";

// Setting up desks and rooms from code (the demo seed, the tests' factories); staff use saveSpace and
// saveResource. Each function creates what is missing and leaves an existing row (same slug or name in the
// pole) as it is, so the demo seed can run again and change nothing.

/** A resource's rates when none are given, VAT included: the demo pole's prices. */
export const DEFAULT_RATES = {
  DESK: {
    HALF_DAY: { memberCents: 1200, publicCents: 1800 },
    DAY: { memberCents: 2000, publicCents: 3000 },
  },
  ROOM: {
    HOUR: { memberCents: 1500, publicCents: 2500 },
    HALF_DAY: { memberCents: 5000, publicCents: 8000 },
    DAY: { memberCents: 8000, publicCents: 13000 },
  },
} as const satisfies Record<ResourceKind, Partial<Record<RateUnit, { memberCents: number; publicCents: number }>>>;

export function provisionSpace(
  tx: Client,
  input: {
    poleId: string;
    slug: string;
    name: string;
    building?: string;
    floor?: string;
    description?: string;
    photo?: string | null;
    position?: number;
  },
) {
  return tx.space.upsert({
    where: { poleId_slug: { poleId: input.poleId, slug: input.slug } },
    create: {
      poleId: input.poleId,
      slug: input.slug,
      name: input.name,
      building: input.building ?? "",
      floor: input.floor ?? "",
      description: input.description ?? "",
      photo: input.photo ?? null,
      position: input.position ?? 0,
    },
    update: {},
  });
}

/** A desk or room with its rates; the booking grid and opening hours are the schema's (the pole's hours) unless given. */
export async function provisionResource(
  tx: Client,
  input: {
    poleId: string;
    spaceId: string;
    kind: ResourceKind;
    slug: string;
    name: string;
    capacity?: number;
    equipment?: readonly string[];
    description?: string;
    photo?: string | null;
    slotMinutes?: number;
    minMinutes?: number;
    maxMinutes?: number;
    position?: number;
    openingHours?: Record<string, { open: string; close: string }[]>;
    rates?: Partial<Record<RateUnit, { memberCents: number; publicCents: number }>>;
  },
) {
  const existing = await tx.resource.findUnique({
    where: { poleId_slug: { poleId: input.poleId, slug: input.slug } },
    include: { rates: true },
  });
  if (existing) return existing;
  const rates: Partial<Record<RateUnit, { memberCents: number; publicCents: number }>> =
    input.rates ?? DEFAULT_RATES[input.kind];
  return tx.resource.create({
    data: {
      poleId: input.poleId,
      spaceId: input.spaceId,
      slug: input.slug,
      kind: input.kind,
      name: input.name,
      capacity: input.capacity ?? 1,
      equipment: [...(input.equipment ?? [])],
      description: input.description ?? "",
      photo: input.photo ?? null,
      slotMinutes: input.slotMinutes ?? 30,
      minMinutes: input.minMinutes ?? 60,
      maxMinutes: input.maxMinutes ?? 600,
      position: input.position ?? 0,
      openingHours: input.openingHours ?? undefined,
      rates: {
        create: Object.entries(rates).map(([unit, r]) => ({
          unit: unit as RateUnit,
          memberCents: r.memberCents,
          publicCents: r.publicCents,
        })),
      },
    },
    include: { rates: true },
  });
}

/** A booklet on sale, by its name in the pole. */
export async function provisionPassProduct(
  tx: Client,
  input: {
    poleId: string;
    name: string;
    credits: number;
    validityMonths: number;
    memberCents: number;
    publicCents: number;
  },
) {
  const existing = await tx.passProduct.findFirst({ where: { poleId: input.poleId, name: input.name } });
  if (existing) return existing;
  return tx.passProduct.create({
    data: {
      poleId: input.poleId,
      name: input.name,
      credits: input.credits,
      validityMonths: input.validityMonths,
      memberCents: input.memberCents,
      publicCents: input.publicCents,
    },
  });
}
