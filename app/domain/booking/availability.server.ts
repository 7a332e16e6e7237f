import type { BookingKind } from "~/generated/prisma/enums";
import type { IsoDate } from "~/domain/ledger/dates";
import type { Client } from "~/utils/db.server";
import { hoursOf } from "./catalogue.server";
import { freeIntervals, standardSlots, type Interval, type ResourceRules } from "./rules";
import { addDays, parisInstant, parisParts, weekdayOf } from "./time";

export const LIVE_STATUSES = ["HELD", "AWAITING_PAYMENT", "CONFIRMED"] as const;

export type BusyRange = { id: string; startsAt: Date; endsAt: Date; kind: BookingKind; personId: string | null };

/**
 * The live bookings and closures of a resource that overlap [from, to): the query the exclusion constraint's
 * GiST index answers. A hold past its expiry no longer counts, even before the sweeper marks it EXPIRED.
 */
export function busyRanges(tx: Client, input: { resourceId: string; from: Date; to: Date; now: Date }) {
  return tx.$queryRaw<BusyRange[]>`
    SELECT "id", "startsAt", "endsAt", "kind", "personId" FROM "Booking"
    WHERE "resourceId" = ${input.resourceId}
      AND "status" IN ('HELD', 'AWAITING_PAYMENT', 'CONFIRMED')
      AND tstzrange("startsAt", "endsAt", '[)') && tstzrange(${input.from}::timestamptz, ${input.to}::timestamptz, '[)')
      AND NOT ("status" = 'HELD' AND "holdExpiresAt" <= ${input.now}::timestamptz)
    ORDER BY "startsAt"`;
}

export type DayAvailability = {
  date: IsoDate;
  open: boolean;
  hours: { open: string; close: string }[];
  /** Free wall-clock intervals, from now on for today. */
  free: { start: number; end: number }[];
  /** One-click slots (morning, afternoon, day; hours for rooms) that are free and ahead. */
  slots: { start: number; end: number; label: string }[];
  /** Taken ranges, without who took them — except the viewer's own. */
  busy: { start: number; end: number; kind: BookingKind; mine: boolean }[];
};

/**
 * A resource's week from a Monday: per day, the opening hours, what is taken (anonymously), what is free and
 * the one-click slots a person can book. Rendered on the server so booking works without JavaScript.
 */
export async function weekAvailability(
  tx: Client,
  input: {
    resource: ResourceRules & { id: string; openingHours: unknown };
    pole: { openingHours: unknown };
    monday: IsoDate;
    now: Date;
    viewerId?: string | null;
    days?: number;
  },
): Promise<DayAvailability[]> {
  const days = input.days ?? 7;
  const hours = hoursOf(input.resource, input.pole);
  const from = parisInstant(input.monday, 0);
  const to = parisInstant(addDays(input.monday, days), 0);
  const busy = await busyRanges(tx, { resourceId: input.resource.id, from, to, now: input.now });
  const nowClock = parisParts(input.now);
  return Array.from({ length: days }, (_, i) => {
    const date = addDays(input.monday, i);
    const ranges = hours[weekdayOf(date)];
    const dayStart = parisInstant(date, 0).getTime();
    const dayBusy = busy
      .filter(
        (b) => b.endsAt.getTime() > dayStart && b.startsAt.getTime() < parisInstant(addDays(date, 1), 0).getTime(),
      )
      .map((b) => ({
        start: Math.max(0, minutesFrom(date, b.startsAt)),
        end: Math.min(1440, minutesFrom(date, b.endsAt)),
        kind: b.kind,
        mine: Boolean(input.viewerId) && b.personId === input.viewerId,
      }));
    // What is past is not free: block the day up to now.
    const blocked: Interval[] = [...dayBusy];
    if (date < nowClock.date) blocked.push({ start: 0, end: 1440 });
    else if (date === nowClock.date) blocked.push({ start: 0, end: Math.ceil(nowClock.minutes) });
    const free = freeIntervals(ranges, blocked);
    const slots = standardSlots(input.resource, ranges).filter((s) =>
      free.some((f) => f.start <= s.start && s.end <= f.end),
    );
    return { date, open: ranges.length > 0, hours: ranges, free, slots, busy: dayBusy };
  });
}

/**
 * Wall-clock minutes of an instant counted from the start of a Paris day (DST days have 23 or 25 hours): 0 before
 * the day, 1440 after it.
 */
export function minutesFrom(date: IsoDate, instant: Date) {
  const clock = parisParts(instant);
  if (clock.date === date) return clock.minutes;
  return clock.date < date ? 0 : 1440;
}
