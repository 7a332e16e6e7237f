import type { OrganisationKind } from "~/generated/prisma/client";
import type { Client } from "~/utils/db.server";
import { fail, ok, type Result } from "../result";

export type OrganisationInput = {
  name: string;
  kind: OrganisationKind;
  isMember: boolean;
  siret?: string;
  address?: string;
  postalCode?: string;
  city?: string;
  website?: string;
  description?: string;
};

export function listOrganisations(tx: Client, poleId: string) {
  return tx.organisation.findMany({
    where: { poleId },
    orderBy: { name: "asc" },
    include: { _count: { select: { people: true } } },
  });
}

export function getOrganisation(tx: Client, poleId: string, id: string) {
  return tx.organisation.findFirst({
    where: { id, poleId },
    include: {
      people: {
        include: { person: { select: { id: true, name: true, email: true } } },
        orderBy: { person: { name: "asc" } },
      },
    },
  });
}

/** Creates (no id) or updates an organisation of the pole; names are unique within a pole. */
export async function saveOrganisation(
  tx: Client,
  poleId: string,
  id: string | undefined,
  input: OrganisationInput,
): Promise<Result<{ id: string }, "NOT_FOUND" | "NAME_TAKEN">> {
  const data = {
    name: input.name,
    kind: input.kind,
    isMember: input.isMember,
    siret: input.siret || null,
    address: input.address || null,
    postalCode: input.postalCode || null,
    city: input.city || null,
    website: input.website || null,
    description: input.description ?? "",
  };
  const clash = await tx.organisation.findFirst({
    where: { poleId, name: { equals: input.name, mode: "insensitive" }, NOT: id ? { id } : undefined },
  });
  if (clash) return nameTaken();
  try {
    if (!id) {
      const created = await tx.organisation.create({ data: { ...data, poleId } });
      return ok({ id: created.id });
    }
    const updated = await tx.organisation.updateMany({ where: { id, poleId }, data });
    if (updated.count === 0) return fail("NOT_FOUND", "Cette organisation n'existe pas.", { status: 404 });
    return ok({ id });
  } catch (error) {
    // Two staff saving the same name at once: the unique index decides, the loser gets the field message.
    if ((error as { code?: string }).code === "P2002") return nameTaken();
    throw error;
  }
}

const nameTaken = () => fail("NAME_TAKEN", "Une organisation porte déjà ce nom.", { field: "name", status: 409 });
