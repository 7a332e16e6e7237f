import type { Booking } from "~/generated/prisma/client";
import { fail, Refusal } from "~/domain/result";
import type { Tx } from "~/utils/db.server";
import { isExclusionViolation } from "~/utils/db-errors.server";
import { withSavepoint } from "~/utils/savepoint.server";
import { busyRanges, LIVE_STATUSES } from "./availability.server";
import { findResource, hoursOf } from "./catalogue.server";
import { expireStaleHolds } from "./holds.server";
import { wallClock } from "./rules";
import { toMinutes } from "./time";

// A room taken for another stream's activity (a part of a training session, decision 020): a Booking of kind
// TRAINING, so the exclusion constraint that keeps desk bookings, meetings and closures apart keeps these too,
// and the booking calendars show them. The caller's transaction is the one that commits or rolls back.

export type RoomReservation = {
  poleId: string;
  resourceId: string;
  trainingSessionId: string;
  startsAt: Date;
  endsAt: Date;
  /** What the calendars show in place of a person ("Formation — compostage"). */
  label: string;
  staffId: string | null;
  now: Date;
};

/**
 * Takes a room for [startsAt, endsAt): a room of the pole, within one day and its opening hours, free. A part
 * refused throws a Refusal (the caller's whole schedule rolls back); the database's constraint has the last word.
 */
export async function reserveRoom(tx: Tx, input: RoomReservation): Promise<Booking> {
  const refusal = await roomRefusal(tx, input);
  if (refusal) throw Refusal.from(refusal);
  try {
    return await withSavepoint(tx, "reserve_room", () =>
      tx.booking.create({
        data: {
          poleId: input.poleId,
          resourceId: input.resourceId,
          kind: "TRAINING",
          trainingSessionId: input.trainingSessionId,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          status: "CONFIRMED",
          reason: input.label.slice(0, 200),
          bookedById: input.staffId,
          idempotencyKey: `training:${input.trainingSessionId}:${input.resourceId}:${input.startsAt.toISOString()}`,
          confirmedAt: input.now,
        },
      }),
    );
  } catch (error) {
    if (isExclusionViolation(error)) throw Refusal.from(roomTaken());
    throw error;
  }
}

async function roomRefusal(tx: Tx, input: RoomReservation) {
  const resource = await tx.resource.findFirst({ where: { id: input.resourceId, poleId: input.poleId } });
  if (!resource || resource.kind !== "ROOM")
    return fail("NO_ROOM", "Choisissez une salle du pôle.", { field: "resourceId", status: 422 });
  const full = await findResource(tx, input.poleId, resource.slug, { includeInactive: true });
  const pole = await tx.pole.findUniqueOrThrow({ where: { id: input.poleId }, select: { openingHours: true } });
  if (!(input.endsAt > input.startsAt))
    return fail("INVALID_RANGE", "Chaque partie finit après son début.", { field: "parts", status: 422 });
  if (input.startsAt <= input.now)
    return fail("IN_THE_PAST", "Chaque partie de la session doit être à venir.", { field: "parts", status: 422 });
  const clock = wallClock(input.startsAt, input.endsAt);
  if (clock.end === null)
    return fail("SPANS_DAYS", "Une partie tient dans une seule journée.", { field: "parts", status: 422 });
  const ranges = hoursOf(full ?? resource, pole)[clock.weekday];
  const inside = ranges.some((r) => toMinutes(r.open) <= clock.start && clock.end! <= toMinutes(r.close));
  if (!inside)
    return fail(
      "OUTSIDE_HOURS",
      ranges.length
        ? `Une partie sort des heures d'ouverture de ${resource.name} (${ranges.map((r) => `${r.open}–${r.close}`).join(", ")}).`
        : `${resource.name} est fermée ce jour-là.`,
      { field: "parts", status: 422 },
    );
  await expireStaleHolds(tx, { resourceId: resource.id, from: input.startsAt, to: input.endsAt, now: input.now });
  const busy = await busyRanges(tx, {
    resourceId: resource.id,
    from: input.startsAt,
    to: input.endsAt,
    now: input.now,
  });
  return busy.length ? roomTaken(resource.name) : null;
}

const roomTaken = (name = "La salle") =>
  fail("ROOM_TAKEN", `${name} est déjà occupée sur ce créneau (réservation, réunion ou fermeture).`, {
    field: "parts",
    status: 409,
  });

/** Gives a session's rooms back (the session is cancelled): its live parts are cancelled. */
export async function releaseRooms(tx: Tx, input: { trainingSessionId: string; now: Date }) {
  const { count } = await tx.booking.updateMany({
    where: { trainingSessionId: input.trainingSessionId, kind: "TRAINING", status: { in: [...LIVE_STATUSES] } },
    data: { status: "CANCELLED", cancelledAt: input.now },
  });
  return count;
}
