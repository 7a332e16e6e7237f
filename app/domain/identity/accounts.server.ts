import type { Tx } from "~/utils/db.server";
import { fail, ok, type Result } from "../result";
import { decoyPasswordHash, hashPassword, verifyPassword } from "./passwords.server";

type NewAccount = { poleId: string; name: string; email: string; password: string; organisationName?: string };

export async function registerPerson(tx: Tx, input: NewAccount): Promise<Result<{ personId: string }, "EMAIL_TAKEN">> {
  const email = input.email.toLowerCase();
  if (await tx.person.findUnique({ where: { email }, select: { id: true } })) {
    return emailTaken();
  }
  const passwordHash = await hashPassword(input.password);
  try {
    const person = await tx.person.create({
      data: {
        email,
        name: input.name,
        organisationName: input.organisationName || null,
        passwordHash,
        memberships: { create: { poleId: input.poleId, role: "USER" } },
      },
    });
    return ok({ personId: person.id });
  } catch (error) {
    // Two sign-ups with one address at once: the unique index decides, the loser gets the same message.
    if ((error as { code?: string }).code === "P2002") return emailTaken();
    throw error;
  }
}

const emailTaken = () =>
  fail("EMAIL_TAKEN", "Un compte existe déjà avec cette adresse email. Connectez-vous ou réinitialisez votre mot de passe.", {
    field: "email",
    status: 409,
  });

/** Checks the credentials; a person who has an account on another pole joins this one as a user. */
export async function authenticate(
  tx: Tx,
  input: { poleId: string; email: string; password: string },
): Promise<Result<{ personId: string }, "BAD_CREDENTIALS">> {
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
}

export async function updateProfile(
  tx: Tx,
  personId: string,
  input: { name: string; phone?: string; organisationName?: string },
) {
  return tx.person.update({
    where: { id: personId },
    data: { name: input.name, phone: input.phone || null, organisationName: input.organisationName || null },
  });
}
