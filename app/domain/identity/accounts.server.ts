import { inTransaction, type Client } from "~/utils/db.server";
import { fail, ok, type Result } from "../result";
import { decoyPasswordHash, verifyPassword } from "./passwords.server";

/** Checks the credentials; a person who has an account on another pole joins this one as a user. */
export function authenticate(
  client: Client,
  input: { poleId: string; email: string; password: string },
): Promise<Result<{ personId: string }, "BAD_CREDENTIALS">> {
  return inTransaction(client, async (tx) => {
    const person = await tx.person.findUnique({ where: { email: input.email.toLowerCase() } });
    const valid = await verifyPassword(person?.passwordHash ?? (await decoyPasswordHash()), input.password);
    if (!person || !valid) {
      return fail("BAD_CREDENTIALS", "Email ou mot de passe incorrect.", { status: 401 });
    }
    await tx.membership.upsert({
      where: { poleId_personId: { poleId: input.poleId, personId: person.id } },
      create: { poleId: input.poleId, personId: person.id, role: "USER" },
      update: {},
    });
    return ok({ personId: person.id });
  });
}

export async function updateProfile(
  tx: Client,
  personId: string,
  input: { name: string; phone?: string; organisationName?: string; address?: string; siren?: string },
) {
  return tx.person.update({
    where: { id: personId },
    data: {
      name: input.name,
      phone: input.phone || null,
      organisationName: input.organisationName || null,
      // Lines trimmed, blank ones dropped: the address prints as typed, without stray gaps.
      address:
        input.address
          ?.split("\n")
          .map((l) => l.trim())
          .filter(Boolean)
          .join("\n") || null,
      siren: input.siren || null,
    },
  });
}
