import { requestSignUp, type SignUpFollowUps } from "~/domain/identity/index.server";
import { fail, ok, type Result } from "~/domain/result";
import type { Client } from "~/utils/db.server";
import type { EmailMessage } from "~/utils/email.server";
import { text, z } from "~/utils/validation";
import { registrationPath } from "./payment.server";
import { signUp } from "./registrations.server";
import type { VisitorSignUpSchema } from "./schemas";

// A visitor signs up to a session and gets an account on the way (decision 012): the sign-up waits in their
// sign-up request until they confirm their address, then this follow-up takes the seat — the same command a
// signed-in person's sign-up runs, so a session that filled meanwhile refuses it then. One identity: the account
// then books desks, pledges and applies for plots too.

const REGISTRATION = "REGISTRATION";

/** Where a sign-up leads once the seat is held: the registration's page, to choose how to pay. */
export const heldPath = (registrationId: string) => `${registrationPath(registrationId)}?place=retenue`;

/** What a visitor's sign-up keeps: the session and the form's key (never the password). */
const PayloadSchema = z.object({
  sessionId: text().min(1).max(40),
  idempotencyKey: text().min(8).max(100),
});

export const trainingSignUpFollowUps: SignUpFollowUps = {
  [REGISTRATION]: {
    purpose: "vous inscrire à une formation",
    confirmLabel: "Confirmer mon adresse et réserver ma place",
    loginPath: "/formations",
    retryPath: "/compte/formations?inscription=a-refaire",
    async run(tx, { pole, person, payload, now }) {
      // Checked again as it comes back: the session may have filled, or its registrations closed, meanwhile.
      const parsed = PayloadSchema.safeParse(payload);
      if (!parsed.success)
        return fail("UNREADABLE", "L'inscription jointe à la création du compte est illisible.", { status: 422 });
      const made = await signUp(tx, { poleId: pole.id, personId: person.id, now, ...parsed.data });
      if (!made.ok) return made;
      return ok({ redirectTo: heldPath(made.value.registration.id), emails: [] });
    },
  },
};

/**
 * What can be told of a visitor's sign-up before their address is confirmed — the session of the pole open for
 * sign-ups, a seat left now — so that the form, not a later page, says what is wrong. No seat is held meanwhile:
 * it is taken when the address is confirmed.
 */
export async function checkSignUp(
  client: Client,
  input: { poleId: string; sessionId: string; now: Date },
): Promise<Result<null>> {
  const session = await client.trainingSession.findFirst({
    where: { id: input.sessionId, poleId: input.poleId, course: { published: true } },
  });
  if (!session) return fail("NOT_FOUND", "Cette session n'existe pas.", { status: 404 });
  if (session.status !== "SCHEDULED" && session.status !== "CONFIRMED")
    return fail("NOT_OPEN", "Cette session ne prend plus d'inscriptions.", { status: 409 });
  if (input.now >= session.registrationDeadline)
    return fail("DEADLINE", "Les inscriptions à cette session sont closes.", { status: 409 });
  if (session.seatsTaken >= session.capacity)
    return fail("FULL", "Cette session est complète : inscrivez-vous sur sa liste d'attente.", { status: 409 });
  return ok(null);
}

/**
 * A visitor's sign-up: refused at once if the session cannot take it, otherwise kept in a sign-up request until
 * the address is confirmed. Whether the address has an account shows only in the email returned.
 */
export async function signUpWithAccount(
  client: Client,
  input: {
    pole: { id: string; name: string };
    sessionId: string;
    form: z.output<typeof VisitorSignUpSchema>;
    now: Date;
  },
): Promise<Result<{ emails: EmailMessage[] }>> {
  const { name, email, password, idempotencyKey } = input.form;
  const checked = await checkSignUp(client, { poleId: input.pole.id, sessionId: input.sessionId, now: input.now });
  if (!checked.ok) return checked;
  return requestSignUp(client, {
    pole: input.pole,
    name,
    email,
    password,
    followUp: { kind: REGISTRATION, payload: { sessionId: input.sessionId, idempotencyKey } },
    followUps: trainingSignUpFollowUps,
    now: input.now,
  });
}
