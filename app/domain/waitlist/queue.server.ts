import { createHash, randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import type { WaitlistEntry, WaitlistEventKind, WaitlistKind } from "~/generated/prisma/client";
import { fail, ok, type Result } from "~/domain/result";
import type { Tx } from "~/utils/db.server";

// The queue side of the one waiting-list engine (plots now, training seats later): entries in the order people
// joined, moved only by staff with a written reason, a timed offer to one entry at a time, a yearly
// reconfirmation with a one-click link, and a history that is never edited (WaitlistEvent, append-only).

const QUEUED = ["WAITING", "OFFERED"] as const;

export function recordEvent(
  tx: Tx,
  entryId: string,
  kind: WaitlistEventKind,
  note = "",
  actorId: string | null = null,
) {
  return tx.waitlistEvent.create({ data: { entryId, kind, note, actorId } });
}

export async function joinQueue(
  tx: Tx,
  input: { poleId: string; kind: WaitlistKind; personId: string; now: Date; reconfirmMonths: number },
) {
  const entry = await tx.waitlistEntry.create({
    data: {
      poleId: input.poleId,
      kind: input.kind,
      personId: input.personId,
      queueKey: input.now.getTime(),
      reconfirmDueAt: DateTime.fromJSDate(input.now).plus({ months: input.reconfirmMonths }).toJSDate(),
    },
  });
  await recordEvent(tx, entry.id, "JOINED", "", input.personId);
  return entry;
}

/** The live entries of a queue, first come first: WAITING and OFFERED (an offer keeps its place). */
export function queueOf(tx: Tx, input: { poleId: string; kind: WaitlistKind }) {
  return tx.waitlistEntry.findMany({
    where: { poleId: input.poleId, kind: input.kind, status: { in: [...QUEUED] } },
    orderBy: [{ queueKey: "asc" }, { id: "asc" }],
  });
}

/** 1 for the first in the queue; null when the entry is not queued. */
export async function positionOf(tx: Tx, entry: Pick<WaitlistEntry, "poleId" | "kind" | "status" | "queueKey">) {
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
export async function moveEntry(
  tx: Tx,
  input: { poleId: string; entryId: string; beforeEntryId: string | null; reason: string; actorId: string },
): Promise<Result<WaitlistEntry>> {
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
  await recordEvent(tx, entry.id, "MOVED", reason, input.actorId);
  return ok(moved);
}

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/** Entries whose yearly reconfirmation is due and not yet asked: each gets a one-click token (returned once). */
export async function askReconfirmations(tx: Tx, input: { kind: WaitlistKind; now: Date }) {
  const due = await tx.waitlistEntry.findMany({
    where: { kind: input.kind, status: "WAITING", reconfirmDueAt: { lte: input.now }, reconfirmAskedAt: null },
    include: {
      person: { select: { name: true, email: true } },
      pole: { select: { name: true, reconfirmGraceDays: true } },
    },
    take: 200,
  });
  const asked = [];
  for (const entry of due) {
    const token = randomBytes(24).toString("base64url");
    await tx.waitlistEntry.update({
      where: { id: entry.id },
      data: { reconfirmAskedAt: input.now, reconfirmTokenHash: hash(token) },
    });
    await recordEvent(tx, entry.id, "RECONFIRM_ASKED");
    asked.push({
      entry,
      token,
      lapsesAt: DateTime.fromJSDate(input.now).plus({ days: entry.pole.reconfirmGraceDays }).toJSDate(),
    });
  }
  return asked;
}

/** The one-click link: the entry stays in the queue, at its place, for another period. */
export async function reconfirm(
  tx: Tx,
  input: { token: string; now: Date; months: (poleId: string) => Promise<number> },
): Promise<Result<WaitlistEntry>> {
  const entry = await tx.waitlistEntry.findUnique({ where: { reconfirmTokenHash: hash(input.token) } });
  if (!entry)
    return fail(
      "UNKNOWN_TOKEN",
      "Ce lien n'est pas (ou plus) valable : votre demande a peut-être déjà été confirmée.",
      { status: 410 },
    );
  if (!(QUEUED as readonly string[]).includes(entry.status))
    return fail("NOT_QUEUED", "Cette candidature n'est plus sur la liste d'attente.", { status: 410 });
  const updated = await tx.waitlistEntry.update({
    where: { id: entry.id },
    data: {
      reconfirmedAt: input.now,
      reconfirmAskedAt: null,
      reconfirmTokenHash: null,
      reconfirmDueAt: DateTime.fromJSDate(input.now)
        .plus({ months: await input.months(entry.poleId) })
        .toJSDate(),
    },
  });
  await recordEvent(tx, entry.id, "RECONFIRMED", "", entry.personId);
  return ok(updated);
}

/** Entries asked to reconfirm that did not within the pole's grace period leave the queue. */
export async function lapseUnconfirmed(tx: Tx, input: { kind: WaitlistKind; now: Date }) {
  const asked = await tx.waitlistEntry.findMany({
    where: { kind: input.kind, status: "WAITING", reconfirmAskedAt: { not: null } },
    include: {
      pole: { select: { reconfirmGraceDays: true, name: true } },
      person: { select: { name: true, email: true } },
    },
  });
  const lapsed = [];
  for (const entry of asked) {
    // The grace period runs from the email, not from the due date: an entry asked late still gets all of it.
    if (
      DateTime.fromJSDate(entry.reconfirmAskedAt!).plus({ days: entry.pole.reconfirmGraceDays }).toJSDate() > input.now
    )
      continue;
    const { count } = await tx.waitlistEntry.updateMany({
      where: { id: entry.id, status: "WAITING" },
      data: { status: "LAPSED", reconfirmTokenHash: null },
    });
    if (count === 0) continue;
    await recordEvent(tx, entry.id, "LAPSED", "Demande non reconfirmée à temps");
    lapsed.push(entry);
  }
  return lapsed;
}

export function entryHistory(tx: Tx, entryId: string) {
  return tx.waitlistEvent.findMany({ where: { entryId }, orderBy: { createdAt: "asc" } });
}
