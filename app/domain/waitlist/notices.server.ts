import type { WaitlistStatus } from "~/generated/prisma/client";
import { inTransaction, type Tx, type Client } from "~/utils/db.server";
import { recordEvent } from "./entries.server";
import type { NoticeKind, Slot } from "./kinds";

// Lists served by notices (desk slots): a notice holds nothing, so everyone waiting for a slot that is now
// wholly free is told, in queue order, and the first to take it through the stream's own flow gets it.

const NOTICED: WaitlistStatus[] = ["WAITING", "NOTIFIED"];

/**
 * After a slot of a resource was freed: the waiting entries that overlap it, whose own slot has not begun and is
 * now wholly free (the kind's check), are marked NOTIFIED, in queue order; they are returned to be told.
 */
export async function notifyFreed(tx: Tx, kind: NoticeKind, input: Slot & { now: Date }) {
  const candidates = await tx.waitlistEntry.findMany({
    where: {
      kind: kind.kind,
      resourceId: input.resourceId,
      status: "WAITING",
      startsAt: { lt: input.endsAt, gt: input.now },
      endsAt: { gt: input.startsAt },
    },
    orderBy: [{ queueKey: "asc" }, { createdAt: "asc" }],
    include: { person: { select: { name: true, email: true } } },
  });
  const notified = [];
  for (const entry of candidates) {
    const slot = { resourceId: entry.resourceId!, startsAt: entry.startsAt!, endsAt: entry.endsAt! };
    if (!(await kind.isFree(tx, slot, input.now))) continue;
    const { count } = await tx.waitlistEntry.updateMany({
      where: { id: entry.id, status: "WAITING" },
      data: { status: "NOTIFIED", notifiedAt: input.now },
    });
    if (count === 0) continue;
    await recordEvent(tx, entry.id, "NOTIFIED", { note: "Le créneau attendu s'est libéré." });
    notified.push(entry);
  }
  return notified;
}

/** The person took (part of) what they waited for through the stream's flow: their overlapping entries are settled. */
export async function fulfilSlot(
  tx: Tx,
  kind: NoticeKind,
  input: Slot & { personId: string; now: Date; note: string },
) {
  const settled = await tx.waitlistEntry.updateManyAndReturn({
    where: {
      kind: kind.kind,
      personId: input.personId,
      resourceId: input.resourceId,
      status: { in: NOTICED },
      startsAt: { lt: input.endsAt },
      endsAt: { gt: input.startsAt },
    },
    data: { status: "FULFILLED", fulfilledAt: input.now },
    select: { id: true },
  });
  for (const { id } of settled) await recordEvent(tx, id, "ACCEPTED", { note: input.note, actorId: input.personId });
  return settled.length;
}

/** Entries whose slot has begun can no longer be served: they lapse. */
export function lapseStarted(client: Client, kind: NoticeKind, now: Date) {
  return inTransaction(client, async (tx) => {
    const lapsed = await tx.waitlistEntry.updateManyAndReturn({
      where: { kind: kind.kind, status: { in: NOTICED }, startsAt: { lte: now } },
      data: { status: "LAPSED" },
      select: { id: true },
    });
    if (lapsed.length)
      await tx.waitlistEvent.createMany({
        data: lapsed.map(({ id }) => ({ entryId: id, kind: "LAPSED" as const, note: "Le créneau a commencé." })),
      });
    return lapsed.length;
  });
}

/** A person's live entries on a slot list, for slots still to come. */
export function personSlotEntries(
  tx: Client,
  kind: NoticeKind,
  input: { poleId: string; personId: string; now: Date },
) {
  return tx.waitlistEntry.findMany({
    where: {
      poleId: input.poleId,
      personId: input.personId,
      kind: kind.kind,
      status: { in: NOTICED },
      startsAt: { gt: input.now },
    },
    orderBy: { startsAt: "asc" },
  });
}
