import type { WaitlistEntry } from "~/generated/prisma/client";
import { ok, type Result } from "~/domain/result";
import { inTransaction, type Db, type Tx, type Client } from "~/utils/db.server";
import { isExclusionViolation, isUniqueViolation } from "~/utils/db-errors.server";
import type { EmailMessage } from "~/utils/email.server";
import { LIVE, lockEntry, recordEvent, refuse } from "./entries.server";
import { withSavepoint } from "~/utils/savepoint.server";
import type { NoticeKind, OfferKind } from "./kinds";

// Timed offers that hold their unit. Every step takes the stream's lock of the unit first (kind.lock), then the
// entry, and reads the entry again under its lock: whichever of an answer, a deadline, a withdrawal or another
// offer comes first wins, and the others see it. An offer is over at its deadline (offerExpiresAt <= now).

const NO_OFFER = { offerExpiresAt: null, offerUnit: null, offerRef: null } as const;

/**
 * Offers a unit to one entry: the queue's next (offerNext) or the one staff chose, out of turn. The entry must be
 * waiting without an offer, and the unit have free capacity; the stream's hold writes what holds it.
 */
export function offerTo<U, H>(
  client: Client,
  kind: OfferKind<U, H>,
  input: { entryId: string; unit: U; actorId: string | null; now: Date },
): Promise<Result<{ value: H; ref: string; emails: EmailMessage[] }>> {
  return inTransaction(client, async (tx) => {
    const unitKey = kind.unitKey(input.unit);
    await kind.lock(tx, { unitKey, ref: null });
    return offerLocked(tx, kind, input, unitKey);
  });
}

async function offerLocked<U, H>(
  tx: Tx,
  kind: OfferKind<U, H>,
  input: { entryId: string; unit: U; actorId: string | null; now: Date },
  unitKey: string,
): Promise<Result<{ value: H; ref: string; emails: EmailMessage[] }>> {
  const entry = await lockEntry(tx, input.entryId);
  if (!entry || entry.kind !== kind.kind) return refuse(kind, "NOT_WAITING");
  if (entry.status === "OFFERED") return refuse(kind, "ALREADY_OFFERED");
  if (entry.status !== "WAITING") return refuse(kind, "NOT_WAITING");
  if ((await kind.freeCapacity(tx, input.unit, input.now)) <= 0) return refuse(kind, "TAKEN");
  const held = await kind.hold(tx, { entry, unit: input.unit, now: input.now, actorId: input.actorId });
  if (!held.ok) return held;
  const { ref, expiresAt, note, value, emails } = held.value;
  await tx.waitlistEntry.update({
    where: { id: entry.id },
    data: { status: "OFFERED", offerExpiresAt: expiresAt, notifiedAt: input.now, offerUnit: unitKey, offerRef: ref },
  });
  await recordEvent(tx, entry.id, "OFFERED", { note, actorId: input.actorId, unit: unitKey });
  return ok({ value, ref, emails });
}

/**
 * The unit goes, with a timed offer, to the first waiting entries in queue order that want it and have not
 * turned it down (declined it or let an offer of it lapse) — as many as it has free capacity. A refusal that
 * concerns the entry passes to the next one; one that concerns the unit, or a database refusal of the hold
 * (a concurrent offer), stops: staff take it from there. Each try is a savepoint, so a refusal by the database
 * never undoes the caller's work (the answer that freed the unit).
 */
export function offerNext<U>(
  client: Client,
  kind: OfferKind<U>,
  input: { poleId: string; unit: U; now: Date },
): Promise<EmailMessage[]> {
  return inTransaction(client, async (tx) => {
    const unitKey = kind.unitKey(input.unit);
    await kind.lock(tx, { unitKey, ref: null });
    let free = await kind.freeCapacity(tx, input.unit, input.now);
    if (free <= 0) return [];
    const waiting = await tx.waitlistEntry.findMany({
      where: { poleId: input.poleId, kind: kind.kind, status: "WAITING" },
      orderBy: [{ queueKey: "asc" }, { id: "asc" }],
    });
    if (waiting.length === 0) return [];
    const turnedDown = new Set(
      (
        await tx.waitlistEvent.findMany({
          where: {
            unit: unitKey,
            kind: { in: ["DECLINED", "OFFER_EXPIRED"] },
            entryId: { in: waiting.map((e) => e.id) },
          },
          select: { entryId: true },
        })
      ).map((e) => e.entryId),
    );
    const open = waiting.filter((e) => !turnedDown.has(e.id));
    const wanted = new Set(await kind.wants(tx, input.unit, open));
    const taken = refuse(kind, "TAKEN").code;
    const emails: EmailMessage[] = [];
    // The engine keeps the order: the stream only says who wants the unit.
    for (const entry of open.filter((e) => wanted.has(e.id))) {
      let offered: Awaited<ReturnType<typeof offerLocked>>;
      try {
        offered = await withSavepoint(tx, "waitlist_offer_next", () =>
          offerLocked(tx, kind, { entryId: entry.id, unit: input.unit, actorId: null, now: input.now }, unitKey),
        );
      } catch (error) {
        if (!isExclusionViolation(error) && !isUniqueViolation(error)) throw error;
        break;
      }
      if (offered.ok) {
        emails.push(...offered.value.emails);
        if (--free <= 0) break;
        continue;
      }
      if (offered.code === taken || kind.stopsQueue(offered.code)) break;
    }
    return emails;
  });
}

/**
 * Locks an entry's live offer — the stream's locks for its unit and holder first, then the entry — and checks it
 * is still the offer `ref`, open at `now`.
 */
async function lockOffer(
  tx: Tx,
  kind: OfferKind<unknown>,
  input: { entryId: string; ref: string; now: Date; lapsed?: boolean },
): Promise<Result<WaitlistEntry>> {
  const before = await tx.waitlistEntry.findUnique({ where: { id: input.entryId } });
  if (!before || before.kind !== kind.kind || !before.offerUnit) return refuse(kind, "NOT_QUEUED");
  await kind.lock(tx, { unitKey: before.offerUnit, ref: before.offerRef });
  const entry = await lockEntry(tx, input.entryId);
  if (!entry || entry.status !== "OFFERED" || entry.offerRef !== input.ref) return refuse(kind, "NOT_QUEUED");
  const over = entry.offerExpiresAt! <= input.now;
  if (over !== Boolean(input.lapsed)) return refuse(kind, over ? "OFFER_EXPIRED" : "NOT_QUEUED");
  return ok(entry);
}

/** The entry's person accepts the offer before its deadline: the stream yields (a lease, a seat); fulfilled. */
export function acceptOffered<Y>(
  client: Client,
  kind: OfferKind<unknown, unknown, Y>,
  input: { entryId: string; ref: string; actorId: string | null; now: Date },
): Promise<Result<{ value: Y; emails: EmailMessage[] }>> {
  return inTransaction(client, async (tx) => {
    const locked = await lockOffer(tx, kind, input);
    if (!locked.ok) return locked;
    const entry = locked.value;
    const yielded = await kind.yield(tx, { entry, ref: input.ref, now: input.now, actorId: input.actorId });
    if (!yielded.ok) return yielded;
    await tx.waitlistEntry.update({
      where: { id: entry.id },
      data: { status: "FULFILLED", fulfilledAt: input.now, ...NO_OFFER },
    });
    await recordEvent(tx, entry.id, "ACCEPTED", {
      note: yielded.value.note,
      actorId: input.actorId,
      unit: entry.offerUnit,
    });
    return ok({ value: yielded.value.value, emails: yielded.value.emails });
  });
}

/**
 * The offer is declined before its deadline: the entry keeps its place (or ends, for a kind whose entries wait for
 * one unit only), the unit passes on.
 */
export function declineOffered(
  client: Client,
  kind: OfferKind<unknown>,
  input: { entryId: string; ref: string; actorId: string | null; now: Date },
): Promise<Result<{ emails: EmailMessage[] }>> {
  return inTransaction(client, async (tx) => {
    const locked = await lockOffer(tx, kind, input);
    if (!locked.ok) return locked;
    return ok({ emails: await endOffer(tx, kind, locked.value, "DECLINED", input.actorId, input.now, true) });
  });
}

/**
 * An offer past its deadline lapses: the entry keeps its place (or ends, as for a decline), the unit passes on
 * (`passOn`), or not when the caller is about to offer it itself.
 */
export function lapseOffered(
  client: Client,
  kind: OfferKind<unknown>,
  input: { entryId: string; ref: string; now: Date; passOn: boolean },
): Promise<Result<{ emails: EmailMessage[] }>> {
  return inTransaction(client, async (tx) => {
    const locked = await lockOffer(tx, kind, { ...input, lapsed: true });
    if (!locked.ok) return locked;
    return ok({ emails: await endOffer(tx, kind, locked.value, "EXPIRED", null, input.now, input.passOn) });
  });
}

async function endOffer(
  tx: Tx,
  kind: OfferKind<unknown>,
  entry: WaitlistEntry,
  outcome: "DECLINED" | "EXPIRED",
  actorId: string | null,
  now: Date,
  passOn: boolean,
) {
  const released = await kind.release(tx, { entry, ref: entry.offerRef!, outcome, now });
  const status = !kind.endsOnTurnDown ? "WAITING" : outcome === "DECLINED" ? "CANCELLED" : "LAPSED";
  await tx.waitlistEntry.update({ where: { id: entry.id }, data: { status, ...NO_OFFER } });
  await recordEvent(tx, entry.id, outcome === "DECLINED" ? "DECLINED" : "OFFER_EXPIRED", {
    note: released.note,
    actorId,
    unit: entry.offerUnit,
  });
  const next =
    passOn && released.next !== null
      ? await offerNext(tx, kind, { poleId: entry.poleId, unit: released.next, now })
      : [];
  return [...released.emails, ...next];
}

/** The sweeper: offers of a kind past their deadline lapse and pass on, one transaction each. */
export async function expireOffers(db: Db, kind: OfferKind<unknown>, now: Date) {
  const due = await db.waitlistEntry.findMany({
    where: { kind: kind.kind, status: "OFFERED", offerExpiresAt: { lte: now } },
    select: { id: true, offerRef: true },
    orderBy: { offerExpiresAt: "asc" },
    take: 100,
  });
  const emails: EmailMessage[] = [];
  for (const { id, offerRef } of due) {
    // Answered (or withdrawn) while we were on our way: lapseOffered finds it so under the locks and does nothing.
    const lapsed = await inTransaction(db, (tx) =>
      lapseOffered(tx, kind, { entryId: id, ref: offerRef!, now, passOn: true }),
    );
    if (lapsed.ok) emails.push(...lapsed.value.emails);
  }
  return emails;
}

/**
 * The entry leaves its queue (its person withdraws, or leaves a slot list). An open offer is withdrawn and its
 * unit passes on. `personId` restricts it to the person's own entry.
 */
export async function leaveWaitlist(
  client: Client,
  kind: OfferKind<unknown> | NoticeKind,
  input: { poleId: string; entryId: string; personId?: string; actorId: string | null; now: Date; note?: string },
): Promise<Result<{ emails: EmailMessage[] }>> {
  return inTransaction(client, async (tx) => {
    const before = await tx.waitlistEntry.findFirst({
      where: {
        id: input.entryId,
        poleId: input.poleId,
        kind: kind.kind,
        ...(input.personId ? { personId: input.personId } : {}),
      },
    });
    if (!before || !LIVE.includes(before.status)) return refuse(kind, "NOT_QUEUED");
    const offers = kind.serving === "offers" ? kind : null;
    if (offers && before.offerUnit) await offers.lock(tx, { unitKey: before.offerUnit, ref: before.offerRef });
    const entry = (await lockEntry(tx, before.id))!;
    if (!LIVE.includes(entry.status)) return refuse(kind, "NOT_QUEUED");
    // An offer made between the first read and the locks holds a unit whose lock we do not have: stop, write nothing.
    if (entry.offerRef !== before.offerRef) return refuse(kind, "OFFER_CHANGED");
    await tx.waitlistEntry.update({ where: { id: entry.id }, data: { status: "CANCELLED", ...NO_OFFER } });
    await recordEvent(tx, entry.id, "WITHDRAWN", { note: input.note, actorId: input.actorId, unit: entry.offerUnit });
    if (!offers || entry.status !== "OFFERED") return ok({ emails: [] });
    const released = await offers.release(tx, { entry, ref: entry.offerRef!, outcome: "WITHDRAWN", now: input.now });
    const next =
      released.next !== null
        ? await offerNext(tx, offers, { poleId: entry.poleId, unit: released.next, now: input.now })
        : [];
    return ok({ emails: [...released.emails, ...next] });
  });
}
