import { noAccountEmail, passwordResetEmail } from "~/emails/account";
import { inTransaction, type Tx, type Client } from "~/utils/db.server";
import type { EmailMessage } from "~/utils/email.server";
import { appUrl } from "~/utils/env.server";
import { lockRow } from "~/utils/row-locks.server";
import { fail, ok, type Result, type Success } from "../result";
import { hashPassword } from "./passwords.server";
import { digestToken, newToken } from "./tokens.server";
import { RESET_TOKEN_MINUTES } from "./link-lifetimes";

/**
 * Creates a single-use token when the address has an account, and retires the person's earlier links: only the
 * latest one asked for works. The caller answers the same thing either way, so the form reveals nothing about
 * who has an account.
 */
export async function requestPasswordReset(client: Client, input: { email: string; now: Date }) {
  const person = await client.person.findUnique({ where: { email: input.email.toLowerCase() } });
  if (!person) return null;
  const token = newToken();
  await inTransaction(client, async (tx) => {
    // Two requests at once would each retire the links they can see and both survive: the person's row lock
    // orders them, so the later one retires the earlier one's link.
    await lockRow(tx, "Person", { id: person.id });
    await tx.passwordResetToken.updateMany({
      where: { personId: person.id, usedAt: null, replacedAt: null },
      data: { replacedAt: input.now },
    });
    await tx.passwordResetToken.create({
      data: {
        personId: person.id,
        tokenHash: digestToken(token),
        expiresAt: new Date(input.now.getTime() + RESET_TOKEN_MINUTES * 60_000),
      },
    });
  });
  return { token, person };
}

/**
 * What the "mot de passe oublié" form sends: a reset link when the address has an account, otherwise an email
 * saying there is none (with the way to create one). Never refused: whoever asks learns nothing from the answer.
 */
export async function sendResetLink(
  client: Client,
  input: { pole: { id: string; name: string }; email: string; now: Date },
): Promise<Success<{ emails: EmailMessage[] }>> {
  const reset = await requestPasswordReset(client, input);
  const content = reset
    ? passwordResetEmail({
        poleName: input.pole.name,
        name: reset.person.name,
        url: `${appUrl()}/reinitialiser-mot-de-passe?token=${encodeURIComponent(reset.token)}`,
        validMinutes: RESET_TOKEN_MINUTES,
      })
    : noAccountEmail({ poleName: input.pole.name, signUpUrl: `${appUrl()}/inscription` });
  return ok({ emails: [{ poleId: input.pole.id, to: input.email, ...content }] });
}

const used = () => fail("TOKEN_USED", "Ce lien a déjà servi. Demandez un nouveau lien si besoin.", { status: 410 });

export function resetPassword(
  client: Client,
  input: { token: string; password: string; now: Date },
): Promise<Result<{ personId: string }, "TOKEN_INVALID" | "TOKEN_EXPIRED" | "TOKEN_USED" | "TOKEN_REPLACED">> {
  return inTransaction(client, async (tx) => {
    const record = await tx.passwordResetToken.findUnique({ where: { tokenHash: digestToken(input.token) } });
    if (!record)
      return fail("TOKEN_INVALID", "Ce lien de réinitialisation n'est pas valide. Demandez-en un nouveau.", {
        status: 400,
      });
    if (record.usedAt) return used();
    if (record.replacedAt) return replaced();
    if (record.expiresAt <= input.now)
      return fail("TOKEN_EXPIRED", "Ce lien a expiré. Demandez un nouveau lien.", { status: 410 });
    const passwordHash = await hashPassword(input.password);
    return inTransaction(tx, (tx) => claimAndReset(tx, record, passwordHash, input.now));
  });
}

async function claimAndReset(
  tx: Tx,
  record: { id: string; personId: string },
  passwordHash: string,
  now: Date,
): Promise<Result<{ personId: string }, "TOKEN_USED">> {
  // The person first, then the tokens: the order requestPasswordReset locks them in, so the two never deadlock.
  await lockRow(tx, "Person", { id: record.personId });
  // Claiming it with a guard on usedAt and replacedAt makes a double submission, or a newer link asked for in
  // the meantime, change the password at most once.
  const claimed = await tx.passwordResetToken.updateMany({
    where: { id: record.id, usedAt: null, replacedAt: null },
    data: { usedAt: now },
  });
  if (claimed.count === 0) return used();
  await tx.person.update({ where: { id: record.personId }, data: { passwordHash } });
  // Any other link still out there dies with this one: whoever holds an older email cannot reset again.
  await tx.passwordResetToken.updateMany({
    where: { personId: record.personId, usedAt: null, replacedAt: null },
    data: { replacedAt: now },
  });
  // A reset closes every open session: whoever knew the old password is logged out.
  await tx.session.deleteMany({ where: { personId: record.personId } });
  return ok({ personId: record.personId });
}

const replaced = () =>
  fail(
    "TOKEN_REPLACED",
    "Ce lien a été remplacé par un lien plus récent. Utilisez le dernier email reçu, ou demandez un nouveau lien.",
    { status: 410 },
  );
