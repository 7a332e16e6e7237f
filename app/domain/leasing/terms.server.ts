import type { FarmRentIndex, RentBounds } from "~/generated/prisma/client";
import { fail, ok, type Result } from "~/domain/result";
import { inTransaction, type Client } from "~/utils/db.server";

// What the pole enters each year: the prefectoral bounds of rent per hectare, and the national farm-rent index.

export function boundsFor(tx: Client, poleId: string, year: number) {
  return tx.rentBounds.findUnique({ where: { poleId_year: { poleId, year } } });
}

export function listBounds(tx: Client, poleId: string) {
  return tx.rentBounds.findMany({ where: { poleId }, orderBy: { year: "desc" } });
}

export async function saveBounds(
  tx: Client,
  input: { poleId: string; year: number; minPerHectareCents: number; maxPerHectareCents: number },
): Promise<Result<RentBounds>> {
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)
    return fail("YEAR", "Indiquez une année entre 2000 et 2100.", { field: "year", status: 422 });
  if (!(input.minPerHectareCents > 0))
    return fail("MIN", "La borne basse est un montant positif.", { field: "min", status: 422 });
  if (input.maxPerHectareCents < input.minPerHectareCents)
    return fail("ORDER", "La borne haute ne peut pas être sous la borne basse.", { field: "max", status: 422 });
  const data = { minPerHectareCents: input.minPerHectareCents, maxPerHectareCents: input.maxPerHectareCents };
  return ok(
    await tx.rentBounds.upsert({
      where: { poleId_year: { poleId: input.poleId, year: input.year } },
      create: { poleId: input.poleId, year: input.year, ...data },
      update: data,
    }),
  );
}

export function listIndexes(tx: Client, poleId: string) {
  return tx.farmRentIndex.findMany({ where: { poleId }, orderBy: { year: "desc" } });
}

/** The latest index known on a year (that year's, else the last before): the base of new leases. */
export function currentIndex(tx: Client, poleId: string, year: number) {
  return tx.farmRentIndex.findFirst({ where: { poleId, year: { lte: year } }, orderBy: { year: "desc" } });
}

export async function saveIndex(
  client: Client,
  input: { poleId: string; year: number; value: number | null; actorId: string },
): Promise<Result<FarmRentIndex>> {
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)
    return fail("YEAR", "Indiquez une année entre 2000 et 2100.", { field: "year", status: 422 });
  const value = input.value;
  if (value === null || !Number.isInteger(value) || value <= 0) {
    return fail("INDEX", "Indiquez la valeur de l'indice, un nombre positif (par exemple 122,55).", {
      field: "value",
      status: 422,
    });
  }
  return inTransaction(client, async (tx) => {
    // Locked like applyIndexation locks it: an index does not change while it is being applied.
    await tx.$queryRaw`SELECT 1 FROM "FarmRentIndex" WHERE "poleId" = ${input.poleId} AND "year" = ${input.year} FOR UPDATE`;
    const applied = await tx.leaseRentChange.count({
      where: { indexYear: input.year, lease: { poleId: input.poleId } },
    });
    if (applied > 0)
      return fail("APPLIED", `L'indice ${input.year} a déjà servi à réviser des loyers : il ne change plus.`, {
        field: "value",
        status: 409,
      });
    return ok(
      await tx.farmRentIndex.upsert({
        where: { poleId_year: { poleId: input.poleId, year: input.year } },
        create: { poleId: input.poleId, year: input.year, value, enteredById: input.actorId },
        update: { value, enteredById: input.actorId },
      }),
    );
  });
}
