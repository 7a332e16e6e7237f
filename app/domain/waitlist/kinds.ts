import type { WaitlistEntry, WaitlistKind } from "~/generated/prisma/client";
import type { Failure, Result } from "~/domain/result";
import type { Tx } from "~/utils/db.server";
import type { EmailMessage } from "~/utils/email.server";

// What a stream gives the waiting-list engine for each kind of list it runs (decision 014). The engine keeps the
// queue — order, timed offers, answers, lapses, passing on, reconfirmation, history — and knows no stream: what
// a unit is, how much of it is free, what holds it for an offer and what accepting yields are the stream's
// callbacks. Each callback runs inside the engine's transaction and writes only the stream's own tables.

/** The refusals the engine can give, which a kind may word in its own terms. */
export type RefusalCode =
  "ALREADY_WAITING" | "ALREADY_OFFERED" | "NOT_WAITING" | "TAKEN" | "NOT_QUEUED" | "OFFER_CHANGED" | "OFFER_EXPIRED";

type KindBase = {
  kind: WaitlistKind;
  /** Refusals in the stream's words; the engine's generic French ones otherwise. */
  refusals?: Partial<Record<RefusalCode, () => Failure>>;
};

/** How an offer that did not become a yield ended. */
export type OfferEnd = "DECLINED" | "EXPIRED" | "WITHDRAWN";

/**
 * A list served by timed offers that hold their unit (a plot, a training seat): each unit of capacity goes to one
 * entry at a time, in queue order; an offer declined, lapsed or withdrawn passes the unit to the next entry that
 * wants it and has not turned it down.
 */
export type OfferKind<Unit = unknown, Held = unknown, Yielded = unknown> = KindBase & {
  serving: "offers";
  /**
   * Each entry waits for one unit only (a training session's seats): turning an offer down — declining it or
   * letting it lapse — ends the entry (CANCELLED, LAPSED), since it will never be offered that unit again (an
   * offer passes on, never back). Otherwise (plots) the entry keeps its place for other units.
   */
  endsOnTurnDown?: boolean;
  /** The unit's key, stored with each offer and event ("plot:<id>"); offers are counted per key. */
  unitKey(unit: Unit): string;
  /**
   * Takes the stream's locks for a unit — and for what holds one of its offers, when `ref` is given — in the
   * stream's own order. The engine calls it before it locks an entry, so every change to a unit's offers is
   * serialised on the stream's lock and nothing waits in the opposite order.
   */
  lock(tx: Tx, at: { unitKey: string; ref: string | null }): Promise<void>;
  /**
   * How many more offers the unit can take now: its capacity less what is taken (leases, registrations) and what
   * live offers hold (offers past their deadline hold nothing any more). Called under the unit's lock.
   */
  freeCapacity(tx: Tx, unit: Unit, now: Date): Promise<number>;
  /** The ids of those waiting entries that want this unit (the stream's criteria: choices, a minimum size). */
  wants(tx: Tx, unit: Unit, waiting: WaitlistEntry[]): Promise<string[]>;
  /**
   * Holds the unit for the entry (writes what holds it, e.g. an OFFERED lease) and says until when. Checks come
   * before any write: a refusal writes nothing. The database may still refuse the hold (a constraint): the
   * engine then takes the unit as taken.
   */
  hold(
    tx: Tx,
    offer: { entry: WaitlistEntry; unit: Unit; now: Date; actorId: string | null },
  ): Promise<Result<{ ref: string; expiresAt: Date; note: string; value: Held; emails: EmailMessage[] }>>;
  /** A refusal of `hold` that concerns the unit or the pole rather than the entry: passing on stops there. */
  stopsQueue(code: string): boolean;
  /** What accepting yields (the lease made active, a registration confirmed), from what held the unit. */
  yield(
    tx: Tx,
    answer: { entry: WaitlistEntry; ref: string; now: Date; actorId: string | null },
  ): Promise<Result<{ value: Yielded; note: string; emails: EmailMessage[] }>>;
  /** Frees what held the unit for an offer that ended; returns the unit to pass on (null: nothing to pass on). */
  release(
    tx: Tx,
    end: { entry: WaitlistEntry; ref: string; outcome: OfferEnd; now: Date },
  ): Promise<{ note: string; next: Unit | null; emails: EmailMessage[] }>;
};

/** A slot of one thing an entry waits for: [startsAt, endsAt) of a resource. */
export type Slot = { resourceId: string; startsAt: Date; endsAt: Date };

/**
 * A list served by notices (desk slots): when a slot frees, everyone waiting for a slot that is now wholly free
 * is told at once, in queue order; nothing is held, the first to take it through the stream's own flow gets it
 * (the stream's constraint decides) and that settles their entry; an entry lapses when its slot begins.
 */
export type NoticeKind = KindBase & {
  serving: "notices";
  /** Whether the slot is wholly free now. */
  isFree(tx: Tx, slot: Slot, now: Date): Promise<boolean>;
};

/** What the stream registry lists of each kind (streams.server.ts): one definition per kind. */
export type WaitlistKindDef = Pick<OfferKind, "kind" | "serving"> | NoticeKind;
