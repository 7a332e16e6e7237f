import type { Booking } from "~/generated/prisma/client";
import { hasMemberRate } from "~/domain/identity/index.server";
import { fail, ok, type Failure, type Result } from "~/domain/result";
import { inTransaction, type Tx, type Client } from "~/utils/db.server";
import { lockRow } from "~/utils/row-locks.server";
import { isExclusionViolation, isUniqueViolation } from "~/utils/db-errors.server";
import { busyRanges } from "./availability.server";
import { findResource, hoursOf, ratesOf } from "./catalogue.server";
import { quote, rangeRefusal } from "./rules";

// Booking a slot starts with a hold: the slot is the person's for the pole's hold time (10 minutes by
// default) while they pay. The exclusion constraint on live rows is the guarantee; the checks before the
// insert only word the refusal.

export const slotTaken = (kind?: string): Failure =>
  kind === "CLOSURE"
    ? fail("SLOT_TAKEN", "Cet espace est fermé sur ce créneau : choisissez-en un autre.", {
        field: "start",
        status: 409,
      })
    : fail("SLOT_TAKEN", "Ce créneau vient d'être réservé par quelqu'un d'autre : choisissez-en un autre.", {
        field: "start",
        status: 409,
      });

export type HoldInput = {
  poleId: string;
  /** The resource's slug or id, as the URL or the form gave it. */
  resourceKey: string;
  personId: string;
  startsAt: Date;
  endsAt: Date;
  /** The form's one-time key: a retried submission returns the first booking. */
  idempotencyKey: string;
  now: Date;
  /** Staff booking on the person's behalf. */
  bookedById?: string | null;
};

export async function holdBooking(
  client: Client,
  input: HoldInput,
): Promise<Result<{ booking: Booking; replay: boolean }>> {
  try {
    return await inTransaction(client, (tx) => placeHold(tx, input));
  } catch (error) {
    const refusal = await holdRefusal(client, input, error);
    if (refusal) return refusal;
    throw error;
  }
}

/**
 * What to answer when the database refused a hold's insert, or null when `error` is something else. Read with a
 * client outside the failed transaction (it is aborted): a command that holds inside a larger transaction catches
 * the error where that transaction ends.
 */
export async function holdRefusal(
  client: Client,
  input: HoldInput,
  error: unknown,
): Promise<Result<{ booking: Booking; replay: boolean }> | null> {
  if (!isExclusionViolation(error) && !isUniqueViolation(error)) return null;
  // The same form submitted twice at once: the first one won (its row may have met this one on the exclusion
  // constraint before the key's index), this is its replay.
  const twin = await client.booking.findUnique({
    where: { poleId_idempotencyKey: { poleId: input.poleId, idempotencyKey: input.idempotencyKey } },
    select: { id: true },
  });
  if (twin || isUniqueViolation(error)) return replayOf(client, input);
  // A concurrent booking committed between our check and our insert: the constraint said no.
  return slotTaken();
}

async function replayOf(tx: Client, input: HoldInput): Promise<Result<{ booking: Booking; replay: boolean }>> {
  const existing = await tx.booking.findUnique({
    where: { poleId_idempotencyKey: { poleId: input.poleId, idempotencyKey: input.idempotencyKey } },
  });
  if (!existing) return fail("RETRY", "Votre demande n'a pas abouti : réessayez.", { status: 409 });
  if (existing.personId !== input.personId)
    return fail("DUPLICATE", "Ce formulaire a déjà servi : rechargez la page.", { status: 409 });
  return ok({ booking: existing, replay: true });
}

/** The hold itself, inside the caller's transaction; the database's refusals are thrown (see holdRefusal). */
export async function placeHold(tx: Tx, input: HoldInput): Promise<Result<{ booking: Booking; replay: boolean }>> {
  const replay = await tx.booking.findUnique({
    where: { poleId_idempotencyKey: { poleId: input.poleId, idempotencyKey: input.idempotencyKey } },
    select: { id: true },
  });
  if (replay) return replayOf(tx, input);

  const resource = await findResource(tx, input.poleId, input.resourceKey);
  if (!resource)
    return fail("NOT_FOUND", "Cet espace n'existe pas ou ne se réserve pas.", { field: "resourceId", status: 404 });
  const membership = await tx.membership.findUnique({
    where: { poleId_personId: { poleId: input.poleId, personId: input.personId } },
    select: { id: true },
  });
  if (!membership)
    return fail("UNKNOWN_PERSON", "Cette personne n'a pas de compte sur ce pôle.", { field: "personId", status: 422 });
  const pole = await tx.pole.findUniqueOrThrow({
    where: { id: input.poleId },
    select: { openingHours: true, holdMinutes: true },
  });

  const refusal = rangeRefusal(resource, hoursOf(resource, pole), input.startsAt, input.endsAt, input.now);
  if (refusal) return refusal;
  const member = await hasMemberRate(tx, input.poleId, input.personId);
  const minutes = Math.round((input.endsAt.getTime() - input.startsAt.getTime()) / 60_000);
  const price = quote(ratesOf(resource.rates), minutes, member);
  if (!price)
    return fail("NO_RATE", `${resource.name} ne se loue pas pour cette durée : choisissez un autre créneau.`, {
      field: "end",
      status: 422,
    });

  await expireStaleHolds(tx, { resourceId: resource.id, from: input.startsAt, to: input.endsAt, now: input.now });
  const [taken] = await busyRanges(tx, {
    resourceId: resource.id,
    from: input.startsAt,
    to: input.endsAt,
    now: input.now,
  });
  if (taken?.personId === input.personId) {
    const message = input.bookedById
      ? "Cette personne a déjà une réservation sur ce créneau."
      : "Vous avez déjà une réservation sur ce créneau : retrouvez-la dans Mon compte.";
    return fail("ALREADY_YOURS", message, { field: "start", status: 409 });
  }
  if (taken) return slotTaken(taken.kind);

  const booking = await tx.booking.create({
    data: {
      poleId: input.poleId,
      resourceId: resource.id,
      personId: input.personId,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      status: "HELD",
      holdExpiresAt: new Date(input.now.getTime() + pole.holdMinutes * 60_000),
      priceCents: price.totalCents,
      memberRate: member,
      priceDetail: price.lines,
      idempotencyKey: input.idempotencyKey,
      bookedById: input.bookedById ?? null,
    },
  });
  return ok({ booking, replay: false });
}

/** Holds past their expiry that overlap a range are marked EXPIRED, so they leave the exclusion constraint. */
export function expireStaleHolds(tx: Tx, input: { resourceId: string; from: Date; to: Date; now: Date }) {
  return tx.$executeRaw`UPDATE "Booking" SET "status" = 'EXPIRED', "updatedAt" = ${input.now}
    WHERE "resourceId" = ${input.resourceId} AND "status" = 'HELD' AND "holdExpiresAt" <= ${input.now}
      AND tstzrange("startsAt", "endsAt", '[)') && tstzrange(${input.from}::timestamptz, ${input.to}::timestamptz, '[)')`;
}

export const bookingInclude = {
  resource: { include: { space: true } },
  person: { select: { id: true, name: true, email: true, address: true } },
} as const;

/**
 * Locks one of the person's bookings that is still waiting for its payment. A hold past its time is released
 * on the spot and refused with 410.
 */
export async function lockHeldBooking(
  tx: Tx,
  input: { poleId: string; bookingId: string; personId: string; now: Date },
) {
  const where = { id: input.bookingId, poleId: input.poleId, personId: input.personId, kind: "BOOKING" };
  if (!(await lockRow(tx, "Booking", where)))
    return fail("NOT_FOUND", "Cette réservation n'existe pas.", { status: 404 });
  const booking = await tx.booking.findUniqueOrThrow({ where: { id: input.bookingId }, include: bookingInclude });
  if (booking.status === "HELD" && booking.holdExpiresAt! <= input.now) {
    await tx.booking.update({ where: { id: booking.id }, data: { status: "EXPIRED" } });
    return holdExpired();
  }
  if (booking.status === "EXPIRED") return holdExpired();
  if (booking.status !== "HELD")
    return fail("NOT_HELD", "Cette réservation n'attend plus de paiement.", { status: 409 });
  return ok(booking);
}

const holdExpired = () =>
  fail(
    "HOLD_EXPIRED",
    "Le délai pour payer est dépassé et le créneau a été libéré : réservez-le à nouveau s'il est encore libre.",
    { status: 410 },
  );
