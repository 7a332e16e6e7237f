import { createHash, randomBytes } from "node:crypto";
import type { Tx } from "~/utils/db.server";
import { fail, ok, type Result } from "../result";
import { hashPassword } from "./passwords.server";

export const RESET_TOKEN_MINUTES = 60;

const digest = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Creates a single-use token when the address has an account. The caller answers the same thing either way,
 * so the form reveals nothing about who has an account.
 */
export async function requestPasswordReset(tx: Tx, input: { email: string; now: Date }) {
  const person = await tx.person.findUnique({ where: { email: input.email.toLowerCase() } });
  if (!person) return null;
  const token = randomBytes(32).toString("base64url");
  await tx.passwordResetToken.create({
    data: {
      personId: person.id,
      tokenHash: digest(token),
      expiresAt: new Date(input.now.getTime() + RESET_TOKEN_MINUTES * 60_000),
    },
  });
  return { token, person };
}

export async function resetPassword(
  tx: Tx,
  input: { token: string; password: string; now: Date },
): Promise<Result<{ personId: string }, "TOKEN_INVALID" | "TOKEN_EXPIRED" | "TOKEN_USED">> {
  const record = await tx.passwordResetToken.findUnique({ where: { tokenHash: digest(input.token) } });
  if (!record) return fail("TOKEN_INVALID", "Ce lien de réinitialisation n'est pas valide. Demandez-en un nouveau.", { status: 400 });
  if (record.usedAt) return fail("TOKEN_USED", "Ce lien a déjà servi. Demandez un nouveau lien si besoin.", { status: 410 });
  if (record.expiresAt <= input.now) return fail("TOKEN_EXPIRED", "Ce lien a expiré. Demandez un nouveau lien.", { status: 410 });
  // Marking it used with a guard on usedAt makes a double submission change the password only once.
  const claimed = await tx.passwordResetToken.updateMany({
    where: { id: record.id, usedAt: null },
    data: { usedAt: input.now },
  });
  if (claimed.count === 0) return fail("TOKEN_USED", "Ce lien a déjà servi. Demandez un nouveau lien si besoin.", { status: 410 });
  await tx.person.update({ where: { id: record.personId }, data: { passwordHash: await hashPassword(input.password) } });
  // A reset closes every open session: whoever knew the old password is logged out.
  await tx.session.deleteMany({ where: { personId: record.personId } });
  return ok({ personId: record.personId });
}
