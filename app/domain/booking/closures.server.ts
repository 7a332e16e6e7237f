import type { Booking } from "~/generated/prisma/client";
import { fail, ok, type Result } from "~/domain/result";
import { inTransaction, type Client } from "~/utils/db.server";
import { isExclusionViolation, isUniqueViolation } from "~/utils/db-errors.server";
import { busyRanges } from "./availability.server";
import { findResource } from "./catalogue.server";
import { expireStaleHolds } from "./holds.server";

// Staff block a resource (maintenance, an event): a closure is a row of the bookings table, so the same
// exclusion constraint refuses a closure over a booking, a booking over a closure, and two closures at once.

const MAX_CLOSURE_DAYS = 366;

export async function closeResource(
  client: Client,
  input: {
    poleId: string;
    resourceKey: string;
    startsAt: Date;
    endsAt: Date;
    reason: string;
    staffId: string;
    idempotencyKey: string;
    now: Date;
  },
): Promise<Result<Booking>> {
  if (!(input.endsAt > input.startsAt))
    return fail("INVALID_RANGE", "La fin doit suivre le début.", { field: "end", status: 422 });
  if (input.endsAt <= input.now)
    return fail("IN_THE_PAST", "Cette période est déjà passée.", { field: "end", status: 422 });
  if (input.endsAt.getTime() - input.startsAt.getTime() > MAX_CLOSURE_DAYS * 86_400_000)
    return fail("TOO_LONG", "Une fermeture dure au plus un an : désactivez plutôt l'espace.", {
      field: "end",
      status: 422,
    });
  if (!input.reason.trim())
    return fail("REASON", "Indiquez le motif de la fermeture.", { field: "reason", status: 422 });
  const taken = (n: number) =>
    fail(
      "SLOT_TAKEN",
      n > 1
        ? `${n} réservations occupent déjà cette période : annulez-les d'abord.`
        : "Une réservation ou une fermeture occupe déjà cette période : annulez-la d'abord.",
      { field: "start", status: 409 },
    );
  try {
    return await inTransaction(client, async (tx) => {
      const existing = await tx.booking.findUnique({
        where: { poleId_idempotencyKey: { poleId: input.poleId, idempotencyKey: input.idempotencyKey } },
      });
      if (existing) return ok(existing);
      const resource = await findResource(tx, input.poleId, input.resourceKey, { includeInactive: true });
      if (!resource) return fail("NOT_FOUND", "Cet espace n'existe pas.", { field: "resourceId", status: 404 });
      await expireStaleHolds(tx, { resourceId: resource.id, from: input.startsAt, to: input.endsAt, now: input.now });
      const busy = await busyRanges(tx, {
        resourceId: resource.id,
        from: input.startsAt,
        to: input.endsAt,
        now: input.now,
      });
      if (busy.length) return taken(busy.length);
      const closure = await tx.booking.create({
        data: {
          poleId: input.poleId,
          resourceId: resource.id,
          kind: "CLOSURE",
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          status: "CONFIRMED",
          reason: input.reason.trim(),
          bookedById: input.staffId,
          idempotencyKey: input.idempotencyKey,
          confirmedAt: input.now,
        },
      });
      return ok(closure);
    });
  } catch (error) {
    if (isExclusionViolation(error)) return taken(1);
    if (isUniqueViolation(error))
      return fail("DUPLICATE", "Ce formulaire a déjà servi : rechargez la page.", { status: 409 });
    throw error;
  }
}

export async function reopenResource(
  client: Client,
  input: { poleId: string; closureId: string; staffId: string; now: Date },
): Promise<Result<Booking>> {
  const closure = await client.booking.findFirst({
    where: { id: input.closureId, poleId: input.poleId, kind: "CLOSURE", status: "CONFIRMED" },
  });
  if (!closure) return fail("NOT_FOUND", "Cette fermeture n'existe pas ou est déjà levée.", { status: 404 });
  return ok(
    await client.booking.update({
      where: { id: closure.id },
      data: { status: "CANCELLED", cancelledAt: input.now, cancelledById: input.staffId },
    }),
  );
}
