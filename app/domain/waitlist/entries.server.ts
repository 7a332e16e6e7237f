import { DateTime } from "luxon";
import type { WaitlistEntry, WaitlistEventKind, WaitlistKind, WaitlistStatus } from "~/generated/prisma/client";
import { fail, ok, type Failure, type Result } from "~/domain/result";
import { withSavepoint } from "~/utils/savepoint.server";
import { inTransaction, type Client, type Tx } from "~/utils/db.server";
import { lockRow } from "~/utils/row-locks.server";
import { isUniqueViolation } from "~/utils/db-errors.server";
import type { RefusalCode, Slot } from "./kinds";

// The entries of the one waiting-list engine: joining, the order (the time of joining, moved only by staff with
// a written reason), staff notes, and the history — every change to an entry is an event with its reason and
// who acted (null: the engine itself, on a deadline), never edited (WaitlistEvent is append-only in the database).

/** Statuses of an entry that is still in its queue. */
export const LIVE: readonly WaitlistStatus[] = ["WAITING", "NOTIFIED", "OFFERED"];
const QUEUED = ["WAITING", "OFFERED"] as const;

const GENERIC_REFUSALS: Record<RefusalCode, () => Failure<RefusalCode>> = {
  ALREADY_WAITING: () => fail("ALREADY_WAITING", "Vous êtes déjà sur cette liste d'attente.", { status: 409 }),
  ALREADY_OFFERED: () =>
    fail("ALREADY_OFFERED", "Une proposition attend déjà la réponse de cette personne.", { status: 409 }),
  NOT_WAITING: () => fail("NOT_WAITING", "Cette inscription n'est plus sur la liste d'attente.", { status: 409 }),
  TAKEN: () => fail("TAKEN", "Il n'y a plus de place libre à proposer.", { status: 409 }),
  NOT_QUEUED: () => fail("NOT_QUEUED", "Cette inscription n'est plus sur la liste d'attente.", { status: 409 }),
  OFFER_CHANGED: () =>
    fail("OFFER_CHANGED", "Une proposition vient de vous être faite : rechargez la page.", { status: 409 }),
  OFFER_EXPIRED: () =>
    fail("OFFER_EXPIRED", "Le délai pour répondre à cette proposition est passé : elle n'est plus valable.", {
      status: 410,
    }),
};

/** A refusal in the kind's words when it has some. */
export function refuse(kind: { refusals?: Partial<Record<RefusalCode, () => Failure>> }, code: RefusalCode): Failure {
  return (kind.refusals?.[code] ?? GENERIC_REFUSALS[code])();
}

export function recordEvent(
  tx: Client,
  entryId: string,
  kind: WaitlistEventKind,
  why: { note?: string; actorId?: string | null; unit?: string | null } = {},
) {
  return tx.waitlistEvent.create({
    data: { entryId, kind, note: why.note ?? "", actorId: why.actorId ?? null, unit: why.unit ?? null },
  });
}

/** Locks an entry and reads it again under the lock. */
export async function lockEntry(tx: Tx, entryId: string) {
  await lockRow(tx, "WaitlistEntry", { id: entryId });
  return tx.waitlistEntry.findUnique({ where: { id: entryId } });
}

/**
 * A person joins a kind's queue, at its end (the time of joining). `slot` is what a slot list's entry waits for;
 * `reconfirmMonths` asks a long queue's entry to reconfirm that often. One live entry per person where the
 * database says so (a slot, a plot application): a second one is refused, and nothing else of the caller's
 * transaction is undone.
 */
export async function joinWaitlist(
  client: Client,
  kind: { kind: WaitlistKind; refusals?: Partial<Record<RefusalCode, () => Failure>> },
  input: { poleId: string; personId: string; now: Date; slot?: Slot; reconfirmMonths?: number },
): Promise<Result<WaitlistEntry>> {
  return inTransaction(client, async (tx) => {
    try {
      const entry = await withSavepoint(tx, "waitlist_join", async () => {
        const created = await tx.waitlistEntry.create({
          data: {
            poleId: input.poleId,
            kind: kind.kind,
            personId: input.personId,
            ...input.slot,
            queueKey: input.now.getTime(),
            reconfirmDueAt: input.reconfirmMonths
              ? DateTime.fromJSDate(input.now).plus({ months: input.reconfirmMonths }).toJSDate()
              : null,
          },
        });
        await recordEvent(tx, created.id, "JOINED", { actorId: input.personId });
        return created;
      });
      return ok(entry);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return refuse(kind, "ALREADY_WAITING");
    }
  });
}

/** The live entries of a queue, first come first: WAITING and OFFERED (an offer keeps its place). */
export function queueOf(tx: Client, input: { poleId: string; kind: WaitlistKind }) {
  return tx.waitlistEntry.findMany({
    where: { poleId: input.poleId, kind: input.kind, status: { in: [...QUEUED] } },
    orderBy: [{ queueKey: "asc" }, { id: "asc" }],
  });
}

/**
 * Entries of a kind with their person, first come first: by id (a stream that keeps what its entries wait for in
 * its own table, as trainings keep a session's waits), by person, by status.
 */
export function findEntries(
  tx: Client,
  input: { poleId: string; kind: WaitlistKind; ids?: string[]; personId?: string; statuses?: WaitlistStatus[] },
) {
  return tx.waitlistEntry.findMany({
    where: {
      poleId: input.poleId,
      kind: input.kind,
      ...(input.ids ? { id: { in: input.ids } } : {}),
      ...(input.personId ? { personId: input.personId } : {}),
      ...(input.statuses ? { status: { in: input.statuses } } : {}),
    },
    include: { person: { select: { id: true, name: true, email: true } } },
    orderBy: [{ queueKey: "asc" }, { id: "asc" }],
  });
}

/** The entry whose live offer `ref` holds (what the stream wrote for it: an offered lease, a registration). */
export function offerHeldBy(tx: Client, input: { kind: WaitlistKind; ref: string }) {
  return tx.waitlistEntry.findFirst({ where: { kind: input.kind, offerRef: input.ref, status: "OFFERED" } });
}

/** How many entries of a queue wait (without an offer). */
export function waitingCount(tx: Client, input: { poleId: string; kind: WaitlistKind }) {
  return tx.waitlistEntry.count({ where: { poleId: input.poleId, kind: input.kind, status: "WAITING" } });
}

/** 1 for the first in the queue; null when the entry is not queued. */
export async function positionOf(tx: Client, entry: Pick<WaitlistEntry, "poleId" | "kind" | "status" | "queueKey">) {
  if (!(QUEUED as readonly string[]).includes(entry.status)) return null;
  return (
    1 +
    (await tx.waitlistEntry.count({
      where: { poleId: entry.poleId, kind: entry.kind, status: { in: [...QUEUED] }, queueKey: { lt: entry.queueKey } },
    }))
  );
}

/**
 * Staff move an entry just before another one (or to the end), with a reason kept in its history. The new key
 * sits between the neighbours', so nobody else moves.
 */
export function moveEntry(
  client: Client,
  input: { poleId: string; entryId: string; beforeEntryId: string | null; reason: string; actorId: string },
): Promise<Result<WaitlistEntry>> {
  return inTransaction(client, async (tx) => {
    const reason = input.reason.trim();
    if (reason.length < 5)
      return fail("REASON", "Écrivez la raison de ce changement d'ordre (elle reste dans l'historique).", {
        field: "reason",
        status: 422,
      });
    const entry = await tx.waitlistEntry.findFirst({
      where: { id: input.entryId, poleId: input.poleId, status: { in: [...QUEUED] } },
    });
    if (!entry) return fail("NOT_FOUND", "Cette candidature n'est pas dans la file.", { status: 404 });
    const queue = (await queueOf(tx, { poleId: input.poleId, kind: entry.kind })).filter((e) => e.id !== entry.id);
    let key: number;
    if (input.beforeEntryId === null) {
      key = (queue.at(-1)?.queueKey ?? entry.queueKey) + 1;
    } else {
      const at = queue.findIndex((e) => e.id === input.beforeEntryId);
      if (at === -1)
        return fail("NOT_FOUND", "La candidature de référence n'est pas dans la file.", {
          field: "beforeEntryId",
          status: 422,
        });
      const after = queue[at].queueKey;
      const before = at > 0 ? queue[at - 1].queueKey : after - 2;
      key = (before + after) / 2;
    }
    const moved = await tx.waitlistEntry.update({ where: { id: entry.id }, data: { queueKey: key } });
    await recordEvent(tx, entry.id, "MOVED", { note: reason, actorId: input.actorId });
    return ok(moved);
  });
}

/** A staff note in an entry's history (the entry itself does not change). */
export async function noteEntry(tx: Client, input: { entryId: string; note: string; actorId: string }) {
  await recordEvent(tx, input.entryId, "NOTE", { note: input.note, actorId: input.actorId });
}

/**
 * A note the system writes about an entry and a unit (why it was passed over for it), once: the same note about
 * the same unit is not repeated each time the unit is offered.
 */
export async function noteEntryOnce(tx: Client, input: { entryId: string; note: string; unit: string }) {
  const seen = await tx.waitlistEvent.findFirst({
    where: { entryId: input.entryId, kind: "NOTE", unit: input.unit, note: input.note },
    select: { id: true },
  });
  if (!seen) await recordEvent(tx, input.entryId, "NOTE", { note: input.note, unit: input.unit });
}

export function entryHistory(tx: Client, entryId: string) {
  return tx.waitlistEvent.findMany({ where: { entryId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}
