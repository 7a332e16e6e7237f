import { fail, ok, type Result } from "~/domain/result";
import type { Tx } from "~/utils/db.server";
import { lockRow } from "~/utils/row-locks.server";
import { registrationInclude, type RegistrationFull } from "./books.server";

// One lock order for every change of a registration: its session's row first, then the registration. Sign-ups
// take the session row by their seat UPDATE and the waiting list's offers lock the session before what holds it,
// so nothing in trainings waits for a session while holding one of its registrations.

/** Locks a registration of the pole (the person's own, when `personId` is given) and re-reads it. */
export async function lockRegistration(
  tx: Tx,
  where: { poleId: string; registrationId: string; personId?: string },
): Promise<Result<RegistrationFull>> {
  const found = await tx.registration.findFirst({
    where: { id: where.registrationId, poleId: where.poleId, ...(where.personId ? { personId: where.personId } : {}) },
    select: { sessionId: true },
  });
  if (!found) return fail("NOT_FOUND", "Cette inscription n'existe pas.", { status: 404 });
  await lockRow(tx, "TrainingSession", { id: found.sessionId });
  await lockRow(tx, "Registration", { id: where.registrationId });
  return ok(
    await tx.registration.findUniqueOrThrow({ where: { id: where.registrationId }, include: registrationInclude }),
  );
}

/** The statuses that hold a seat: each counts once in the session's `seatsTaken`. */
export const SEAT_HOLDING = ["HELD", "OFFERED", "CONFIRMED"] as const;

/**
 * One seat of the session, if it has one left and still takes registrations: the row's own count decides, under
 * its lock (a concurrent cancellation of the session is seen: the UPDATE re-reads the row it waited for). Every
 * seat is taken so — a sign-up, a waiting-list offer, a move, a late card payment that takes its seat back.
 */
export async function claimSeat(tx: Tx, sessionId: string) {
  const taken = await tx.$executeRaw`
    UPDATE "TrainingSession" SET "seatsTaken" = "seatsTaken" + 1
    WHERE "id" = ${sessionId} AND "seatsTaken" < "capacity" AND "status" IN ('SCHEDULED', 'CONFIRMED')`;
  return taken === 1;
}

/** A seat goes back to its session (a cancellation, a lapsed hold), in the same transaction as the change. */
export const releaseSeat = (tx: Tx, sessionId: string) =>
  tx.$executeRaw`UPDATE "TrainingSession" SET "seatsTaken" = "seatsTaken" - 1 WHERE "id" = ${sessionId}`;
