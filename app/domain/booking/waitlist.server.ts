import type { WaitlistEntry } from "~/generated/prisma/client";
import { fail, type Result } from "~/domain/result";
import {
  fulfilSlot,
  joinWaitlist,
  lapseStarted,
  leaveWaitlist,
  notifyFreed,
  personSlotEntries,
  type NoticeKind,
  type Slot,
} from "~/domain/waitlist/index.server";
import type { Tx, Client } from "~/utils/db.server";
import { busyRanges } from "./availability.server";

// Desks and rooms on the waiting-list engine (decision 014): a person waits for a slot of a resource; when a
// booking that covered it is cancelled or expires, everyone waiting for a slot now wholly free is told (a notice
// holds nothing: a desk left empty for someone who reads their email late helps nobody), the first to book it
// gets it, and that booking settles their entry.

export const deskSlotWaitlist: NoticeKind = {
  kind: "RESOURCE_SLOT",
  serving: "notices",
  refusals: {
    ALREADY_WAITING: () =>
      fail("ALREADY_WAITING", "Vous êtes déjà sur la liste d'attente de ce créneau.", { status: 409 }),
    NOT_QUEUED: () => fail("NOT_FOUND", "Cette inscription n'existe pas.", { status: 404 }),
  },
  isFree: async (tx, slot, now) =>
    (await busyRanges(tx, { resourceId: slot.resourceId, from: slot.startsAt, to: slot.endsAt, now })).length === 0,
};

export function joinSlotWaitlist(
  client: Client,
  input: Slot & { poleId: string; personId: string; now: Date },
): Promise<Result<WaitlistEntry>> {
  const { poleId, personId, now, ...slot } = input;
  return joinWaitlist(client, deskSlotWaitlist, { poleId, personId, now, slot });
}

/** The person leaves one of their slot waiting lists; false when it is not theirs or no longer live. */
export async function leaveSlotWaitlist(
  client: Client,
  input: { poleId: string; personId: string; entryId: string; now: Date },
) {
  const left = await leaveWaitlist(client, deskSlotWaitlist, { ...input, actorId: input.personId });
  return left.ok;
}

export function personSlotWaits(tx: Client, input: { poleId: string; personId: string; now: Date }) {
  return personSlotEntries(tx, deskSlotWaitlist, input);
}

/** Who to tell that a freed slot is theirs to book, marked told. */
export function slotFreed(tx: Tx, input: Slot & { now: Date }) {
  return notifyFreed(tx, deskSlotWaitlist, input);
}

/** A booking kept (paid, confirmed, or to pay on site) by someone who was waiting for (part of) it settles their wait. */
export function settleSlotWaits(tx: Tx, input: Slot & { personId: string; now: Date }) {
  return fulfilSlot(tx, deskSlotWaitlist, { ...input, note: "Créneau réservé." });
}

/** Waits for slots that have begun can no longer be served. */
export function lapseStartedSlotWaits(client: Client, now: Date) {
  return lapseStarted(client, deskSlotWaitlist, now);
}
