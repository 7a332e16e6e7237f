import type { Client } from "~/utils/db.server";

// Setting up the land from code (the demo seed, the tests' factories); staff use savePlotChecked, saveBounds
// and saveIndex. What exists is left as it is, so the demo seed can run again and change nothing — and an index
// entered by staff, or already applied to rents, is never overwritten.

/** A plot of the pole, by its code. */
export async function provisionPlot(
  tx: Client,
  input: {
    poleId: string;
    code: string;
    name?: string;
    surfaceM2: number;
    rentPerHectareCents: number;
    /** Its shape in the site plan; one plot per shape. */
    shapeId: string;
    soil?: string;
    waterAccess?: string;
    shelter?: string;
    currentUse?: string;
    description?: string;
  },
) {
  const existing = await tx.plot.findUnique({ where: { poleId_code: { poleId: input.poleId, code: input.code } } });
  if (existing) return existing;
  return tx.plot.create({
    data: {
      poleId: input.poleId,
      code: input.code,
      name: input.name ?? "",
      surfaceM2: input.surfaceM2,
      rentPerHectareCents: input.rentPerHectareCents,
      shapeId: input.shapeId,
      soil: input.soil ?? "",
      waterAccess: input.waterAccess ?? "",
      shelter: input.shelter ?? "",
      currentUse: input.currentUse ?? "",
      description: input.description ?? "",
    },
  });
}

/**
 * A year's prefectoral bounds of rent per hectare and, when `index` is given, the national farm-rent index
 * (122.55 as 12255); leave it out when that year's index is not published yet.
 */
export async function provisionLandTerms(
  tx: Client,
  input: { poleId: string; year: number; minPerHectareCents: number; maxPerHectareCents: number; index?: number },
) {
  const key = { poleId_year: { poleId: input.poleId, year: input.year } };
  await tx.rentBounds.upsert({
    where: key,
    create: {
      poleId: input.poleId,
      year: input.year,
      minPerHectareCents: input.minPerHectareCents,
      maxPerHectareCents: input.maxPerHectareCents,
    },
    update: {},
  });
  if (input.index === undefined) return;
  await tx.farmRentIndex.upsert({
    where: key,
    create: { poleId: input.poleId, year: input.year, value: input.index },
    update: {},
  });
}
