import type { WaitlistEntry } from "~/generated/prisma/client";
import { fail, ok, type Result } from "~/domain/result";
import type { Tx } from "~/utils/db.server";
import { isUniqueViolation } from "~/utils/db-errors.server";

// The waiting-list engine, as desks and rooms use it: people wait for a resource's slot; when a booking that
// covered it is cancelled or expires, everyone still waiting for a slot that is now wholly free is told, and
// the first to book it gets it. (Plots and training seats will add timed offers to the same table.)

const LIVE = ["WAITING", "NOTIFIED"] as const;

export async function joinSlotWaitlist(
  tx: Tx,
  input: { poleId: string; personId: string; resourceId: string; startsAt: Date; endsAt: Date },
): Promise<Result<WaitlistEntry>> {
  try {
    const entry = await tx.waitlistEntry.create({ data: { ...input, kind: "RESOURCE_SLOT" } });
    return ok(entry);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return fail("ALREADY_WAITING", "Vous êtes déjà sur la liste d'attente de ce créneau.", { status: 409 });
  }
}

export async function leaveWaitlist(tx: Tx, input: { poleId: string; personId: string; entryId: string }) {
  const { count } = await tx.waitlistEntry.updateMany({
    where: { id: input.entryId, poleId: input.poleId, personId: input.personId, status: { in: [...LIVE] } },
    data: { status: "CANCELLED" },
  });
  return count === 1;
}

/**
 * After a slot was freed: the waiting entries that overlap it and whose own slot is now wholly free, in
 * order of arrival, marked NOTIFIED. `isFree` is the booking module's availability check.
 */
export async function entriesToNotify(
  tx: Tx,
  input: {
    resourceId: string;
    startsAt: Date;
    endsAt: Date;
    now: Date;
    isFree: (entry: { startsAt: Date; endsAt: Date }) => Promise<boolean>;
  },
) {
  const candidates = await tx.waitlistEntry.findMany({
    where: {
      kind: "RESOURCE_SLOT",
      resourceId: input.resourceId,
      status: "WAITING",
      startsAt: { lt: input.endsAt, gt: input.now },
      endsAt: { gt: input.startsAt },
    },
    orderBy: { createdAt: "asc" },
    include: { person: { select: { name: true, email: true } } },
  });
  const notified = [];
  for (const entry of candidates) {
    if (!(await input.isFree({ startsAt: entry.startsAt!, endsAt: entry.endsAt! }))) continue;
    await tx.waitlistEntry.update({ where: { id: entry.id }, data: { status: "NOTIFIED", notifiedAt: input.now } });
    notified.push(entry);
  }
  return notified;
}

/** A booking made by someone who was waiting for (part of) it settles their entries. */
export function fulfilSlotEntries(
  tx: Tx,
  input: { personId: string; resourceId: string; startsAt: Date; endsAt: Date; now: Date },
) {
  return tx.waitlistEntry.updateMany({
    where: {
      kind: "RESOURCE_SLOT",
      personId: input.personId,
      resourceId: input.resourceId,
      status: { in: [...LIVE] },
      startsAt: { lt: input.endsAt },
      endsAt: { gt: input.startsAt },
    },
    data: { status: "FULFILLED", fulfilledAt: input.now },
  });
}

/** Entries for slots that have begun can no longer be served. */
export function lapsePastEntries(tx: Tx, now: Date) {
  return tx.waitlistEntry.updateMany({
    where: { kind: "RESOURCE_SLOT", status: { in: [...LIVE] }, startsAt: { lte: now } },
    data: { status: "LAPSED" },
  });
}

export function listPersonSlotEntries(tx: Tx, input: { poleId: string; personId: string; now: Date }) {
  return tx.waitlistEntry.findMany({
    where: {
      poleId: input.poleId,
      personId: input.personId,
      kind: "RESOURCE_SLOT",
      status: { in: [...LIVE] },
      startsAt: { gt: input.now },
    },
    orderBy: { startsAt: "asc" },
  });
}
