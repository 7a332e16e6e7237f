import type { RateUnit } from "~/generated/prisma/enums";
import { normaliseOpeningHours, type OpeningHours } from "~/domain/identity/opening-hours";
import type { Client } from "~/utils/db.server";
import type { Rates } from "./rules";

// The spaces and their resources as people browse them, and as the booking rules read them.

const withRates = { rates: true } as const;

export function ratesOf(rows: { unit: RateUnit; memberCents: number; publicCents: number }[]): Rates {
  return Object.fromEntries(rows.map((r) => [r.unit, { memberCents: r.memberCents, publicCents: r.publicCents }]));
}

/** A resource's opening hours: its own when staff set them, the pole's otherwise. */
export function hoursOf(resource: { openingHours: unknown }, pole: { openingHours: unknown }): OpeningHours {
  return normaliseOpeningHours(resource.openingHours ?? pole.openingHours);
}

export function listSpaces(tx: Client, poleId: string, options: { includeInactive?: boolean } = {}) {
  return tx.space.findMany({
    where: { poleId },
    orderBy: [{ position: "asc" }, { name: "asc" }],
    include: {
      resources: {
        where: options.includeInactive ? {} : { active: true },
        orderBy: [{ position: "asc" }, { name: "asc" }],
        include: withRates,
      },
    },
  });
}

/** A resource of the pole by its slug or id, with its space and rates; null for another pole's or none. */
export function findResource(tx: Client, poleId: string, key: string, options: { includeInactive?: boolean } = {}) {
  return tx.resource.findFirst({
    where: { poleId, OR: [{ slug: key }, { id: key }], ...(options.includeInactive ? {} : { active: true }) },
    include: { ...withRates, space: true },
  });
}

export type ResourceWithRates = NonNullable<Awaited<ReturnType<typeof findResource>>>;
