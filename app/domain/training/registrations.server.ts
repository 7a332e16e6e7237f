import type { Registration } from "~/generated/prisma/client";
import { hasMemberRate } from "~/domain/identity/index.server";
import { fail, isRefusal, ok, type Result } from "~/domain/result";
import { inTransaction, type Client, type Tx } from "~/utils/db.server";
import { isUniqueViolation } from "~/utils/db-errors.server";
import { sendEmail } from "~/utils/email.server";
import { claimSeat, lockRegistration, releaseSeat, SEAT_HOLDING } from "./locks.server";
import { endWaitForSeat, passFreedSeat } from "./waitlist.server";

// Sign-ups (decision 020). A seat is taken by one conditional UPDATE of the session's own count, in the sign-up's
// transaction, held to the capacity by a CHECK — never a count of registrations then an insert, the way the
// registration systems we studied oversold. A held seat lapses with its hold; a cancelled one goes back.

export { SEAT_HOLDING };

export type SignUpInput = {
  poleId: string;
  sessionId: string;
  personId: string;
  idempotencyKey: string;
  /** How long the seat is held while the person pays, in minutes (the pole's booking hold by default). */
  holdMinutes?: number;
  now: Date;
};

export async function signUp(
  client: Client,
  input: SignUpInput,
): Promise<Result<{ registration: Registration; replay: boolean }>> {
  try {
    return await inTransaction(client, (tx) => takeSeat(tx, input));
  } catch (error) {
    if (isRefusal(error)) return error.toFailure();
    // A second live sign-up of the same person raced this one: the partial unique index said no.
    if (isUniqueViolation(error))
      return fail("ALREADY_REGISTERED", "Vous êtes déjà inscrit·e à cette session.", { status: 409 });
    throw error;
  }
}

async function takeSeat(tx: Tx, input: SignUpInput): Promise<Result<{ registration: Registration; replay: boolean }>> {
  const replay = await tx.registration.findUnique({
    where: { poleId_idempotencyKey: { poleId: input.poleId, idempotencyKey: input.idempotencyKey } },
  });
  if (replay) {
    if (replay.personId !== input.personId)
      return fail("NOT_FOUND", "Cette inscription n'existe pas.", { status: 404 });
    return ok({ registration: replay, replay: true });
  }
  const session = await tx.trainingSession.findFirst({
    where: { id: input.sessionId, poleId: input.poleId },
    include: { course: true },
  });
  if (!session) return fail("NOT_FOUND", "Cette session n'existe pas.", { status: 404 });
  if (session.status !== "SCHEDULED" && session.status !== "CONFIRMED")
    return fail("NOT_OPEN", "Cette session ne prend plus d'inscriptions.", { status: 409 });
  if (input.now >= session.registrationDeadline)
    return fail("DEADLINE", "Les inscriptions à cette session sont closes.", { status: 409 });
  const existing = await tx.registration.findFirst({
    where: { sessionId: session.id, personId: input.personId, status: { in: [...SEAT_HOLDING] } },
    select: { id: true },
  });
  if (existing) return fail("ALREADY_REGISTERED", "Vous êtes déjà inscrit·e à cette session.", { status: 409 });
  if (!(await claimSeat(tx, session.id)))
    return fail("FULL", "Cette session est complète : inscrivez-vous sur sa liste d'attente.", { status: 409 });
  const member = await hasMemberRate(tx, input.poleId, input.personId);
  const pole = await tx.pole.findUniqueOrThrow({ where: { id: input.poleId }, select: { holdMinutes: true } });
  const minutes = input.holdMinutes ?? pole.holdMinutes;
  const registration = await tx.registration.create({
    data: {
      poleId: input.poleId,
      sessionId: session.id,
      personId: input.personId,
      status: "HELD",
      holdExpiresAt: new Date(input.now.getTime() + minutes * 60_000),
      priceCents: member ? session.course.memberCents : session.course.publicCents,
      memberRate: member,
      idempotencyKey: input.idempotencyKey,
    },
  });
  // Waiting for this session, the person has a seat now: their wait is over.
  await endWaitForSeat(tx, {
    poleId: input.poleId,
    sessionId: session.id,
    personId: input.personId,
    now: input.now,
    note: "Inscrit·e directement à la session",
  });
  return ok({ registration, replay: false });
}

/**
 * Holds that lapsed unpaid give their seat back, and the seat goes to the session's waiting list (the sweep): each
 * in its own transaction — the session locked first, then the registration, read again — once; the offers' emails
 * go once it has committed.
 */
export async function expireLapsedHolds(client: Client, now: Date) {
  const lapsed = await client.registration.findMany({
    where: { status: "HELD", holdExpiresAt: { lte: now } },
    select: { id: true, poleId: true },
    take: 200,
  });
  let expired = 0;
  for (const { id, poleId } of lapsed) {
    const emails = await inTransaction(client, async (tx) => {
      const locked = await lockRegistration(tx, { poleId, registrationId: id });
      if (!locked.ok) return null;
      const r = locked.value;
      if (r.status !== "HELD" || r.holdExpiresAt! > now) return null;
      await tx.registration.update({ where: { id }, data: { status: "EXPIRED" } });
      await releaseSeat(tx, r.sessionId);
      return passFreedSeat(tx, { sessionId: r.sessionId, now });
    });
    if (!emails) continue;
    expired += 1;
    for (const email of emails) await sendEmail(email, client);
  }
  return expired;
}
