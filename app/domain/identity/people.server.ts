import type { Role } from "~/generated/prisma/client";
import { inTransaction, type Client } from "~/utils/db.server";
import { fail, ok, type Result } from "../result";

const PAGE_SIZE = 50;

export async function listPeople(tx: Client, poleId: string, filter: { q?: string; role?: Role; page?: number }) {
  const where = {
    poleId,
    ...(filter.role ? { role: filter.role } : {}),
    ...(filter.q
      ? {
          OR: [
            { person: { name: { contains: filter.q, mode: "insensitive" as const } } },
            { person: { email: { contains: filter.q, mode: "insensitive" as const } } },
            { organisation: { name: { contains: filter.q, mode: "insensitive" as const } } },
          ],
        }
      : {}),
  };
  const page = Math.max(1, filter.page ?? 1);
  const [total, rows] = await Promise.all([
    tx.membership.count({ where }),
    tx.membership.findMany({
      where,
      include: {
        person: { select: { id: true, name: true, email: true, organisationName: true, createdAt: true } },
        organisation: { select: { id: true, name: true, isMember: true } },
      },
      orderBy: [{ person: { name: "asc" } }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
    }),
  ]);
  return { total, page, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)), rows };
}

export function getMembership(tx: Client, poleId: string, personId: string) {
  return tx.membership.findUnique({
    where: { poleId_personId: { poleId, personId } },
    include: { person: true, organisation: true },
  });
}

const PRIVILEGED: Role[] = ["ADMIN", "STAFF"];

/**
 * Changes a person's role and organisation in one pole. Only an admin grants or withdraws staff and admin
 * roles, and the pole always keeps at least one admin.
 */
export function changeMembership(
  client: Client,
  input: { poleId: string; actorRole: Role; personId: string; role: Role; organisationId?: string | null },
): Promise<Result<{ id: string }, "NOT_FOUND" | "FORBIDDEN" | "LAST_ADMIN" | "UNKNOWN_ORGANISATION">> {
  return inTransaction(client, async (tx) => {
    const current = await tx.membership.findUnique({
      where: { poleId_personId: { poleId: input.poleId, personId: input.personId } },
    });
    if (!current) return fail("NOT_FOUND", "Cette personne n'a pas de compte sur ce pôle.", { status: 404 });
    const touchesPrivilege = PRIVILEGED.includes(input.role) || PRIVILEGED.includes(current.role);
    if (touchesPrivilege && current.role !== input.role && input.actorRole !== "ADMIN") {
      return fail("FORBIDDEN", "Seul·e un·e administrateur·rice peut donner ou retirer les rôles de l'équipe.", {
        field: "role",
        status: 403,
      });
    }
    if (current.role === "ADMIN" && input.role !== "ADMIN") {
      const admins = await tx.membership.count({ where: { poleId: input.poleId, role: "ADMIN" } });
      if (admins <= 1)
        return fail("LAST_ADMIN", "Le pôle doit garder au moins un·e administrateur·rice.", {
          field: "role",
          status: 409,
        });
    }
    if (input.organisationId) {
      const organisation = await tx.organisation.findFirst({
        where: { id: input.organisationId, poleId: input.poleId },
        select: { id: true },
      });
      if (!organisation)
        return fail("UNKNOWN_ORGANISATION", "Cette organisation n'existe pas sur ce pôle.", {
          field: "organisationId",
          status: 422,
        });
    }
    const updated = await tx.membership.update({
      where: { id: current.id },
      data: { role: input.role, organisationId: input.organisationId || null },
    });
    return ok({ id: updated.id });
  });
}

/** Member pricing: the person is a member of the pole, or works for one of its member organisations. */
export const memberRateOf = (
  membership: { role: Role; organisation: { isMember: boolean } | null } | null | undefined,
) => membership?.role === "MEMBER" || membership?.organisation?.isMember === true;

export async function hasMemberRate(tx: Client, poleId: string, personId: string) {
  const membership = await tx.membership.findUnique({
    where: { poleId_personId: { poleId, personId } },
    select: { role: true, organisation: { select: { isMember: true } } },
  });
  return memberRateOf(membership);
}
