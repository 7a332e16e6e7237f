import type { RateUnit, ResourceKind } from "~/generated/prisma/enums";
import type { OpeningHours, TimeRange } from "~/domain/identity/opening-hours";
import { fail, type Failure } from "~/domain/result";
import { addDays, parisParts, toHhmm, toMinutes } from "./time";

// The booking rules that need no database: is a range bookable, what does it cost, which slots are free.
// Minutes are wall-clock minutes since midnight in Europe/Paris; ranges are half-open [start, end).

export const HALF_DAY_MINUTES = 240;
/** How far ahead a slot can be booked. */
export const MAX_ADVANCE_DAYS = 365;

export type Rates = Partial<Record<RateUnit, { memberCents: number; publicCents: number }>>;
export type PriceLine = { unit: RateUnit; quantity: number; unitCents: number };
export type Quote = { totalCents: number; lines: PriceLine[] };

export const UNIT_LABELS: Record<RateUnit, { one: string; many: string }> = {
  HOUR: { one: "heure", many: "heures" },
  HALF_DAY: { one: "demi-journée", many: "demi-journées" },
  DAY: { one: "journée", many: "journées" },
};

/**
 * The best price of a booking of `minutes` within one day, VAT included: the whole day, or half-days (up to 4 h
 * each) topped up with hours — whichever costs less with the units the resource is priced in. Null when no
 * combination of its units covers the duration (a desk priced only by the day booked for an hour, say).
 */
export function quote(rates: Rates, minutes: number, member: boolean): Quote | null {
  const price = (unit: RateUnit) => {
    const rate = rates[unit];
    return rate ? (member ? rate.memberCents : rate.publicCents) : null;
  };
  const candidates: PriceLine[][] = [];
  const day = price("DAY");
  if (day !== null) candidates.push([{ unit: "DAY", quantity: 1, unitCents: day }]);
  const halfDay = price("HALF_DAY");
  const hour = price("HOUR");
  const maxHalfDays = Math.ceil(minutes / HALF_DAY_MINUTES);
  for (let halves = 0; halves <= maxHalfDays; halves++) {
    if (halves > 0 && halfDay === null) break;
    const rest = Math.max(0, minutes - halves * HALF_DAY_MINUTES);
    if (rest > 0 && hour === null) continue;
    const lines: PriceLine[] = [];
    if (halves > 0) lines.push({ unit: "HALF_DAY", quantity: halves, unitCents: halfDay! });
    if (rest > 0) lines.push({ unit: "HOUR", quantity: Math.ceil(rest / 60), unitCents: hour! });
    candidates.push(lines);
  }
  const total = (lines: PriceLine[]) => lines.reduce((s, l) => s + l.quantity * l.unitCents, 0);
  // Cheapest first; on a tie, the fewest lines (a day rather than two half-days at the same price).
  const best = candidates.sort((a, b) => total(a) - total(b) || a.length - b.length)[0];
  return best ? { totalCents: total(best), lines: best } : null;
}

/** Credits a booking takes from a booklet: one for up to a half-day, two for more (a booking fits in a day). */
export const passCreditsFor = (minutes: number) => (minutes <= HALF_DAY_MINUTES ? 1 : 2);

export type ResourceRules = { kind: ResourceKind; slotMinutes: number; minMinutes: number; maxMinutes: number };

/** A range's Paris day and wall-clock minutes; an end at midnight counts as 24:00 of the start's day. */
export function wallClock(startsAt: Date, endsAt: Date) {
  const start = parisParts(startsAt);
  const end = parisParts(endsAt);
  const endMinutes =
    end.date === addDays(start.date, 1) && end.minutes === 0 ? 1440 : end.date === start.date ? end.minutes : null;
  return { date: start.date, weekday: start.weekday, start: start.minutes, end: endMinutes };
}

/**
 * Why a range cannot be booked, or null when it can: in the future (within a year), within one day, on the
 * resource's grid, between its minimum and maximum length, starting and ending inside the opening hours.
 */
export function rangeRefusal(
  resource: ResourceRules,
  hours: OpeningHours,
  startsAt: Date,
  endsAt: Date,
  now: Date,
): Failure | null {
  if (!(endsAt > startsAt)) return fail("INVALID_RANGE", "La fin doit suivre le début.", { field: "end", status: 422 });
  if (startsAt < now)
    return fail("IN_THE_PAST", "Ce créneau a déjà commencé : choisissez un horaire à venir.", {
      field: "start",
      status: 422,
    });
  if (startsAt.getTime() - now.getTime() > MAX_ADVANCE_DAYS * 86_400_000) {
    return fail("TOO_FAR", "On ne réserve pas plus d'un an à l'avance.", { field: "date", status: 422 });
  }
  const clock = wallClock(startsAt, endsAt);
  if (clock.end === null)
    return fail("SPANS_DAYS", "Une réservation tient dans une seule journée.", { field: "end", status: 422 });
  const grid = resource.slotMinutes;
  if (clock.start % grid !== 0 || clock.end % grid !== 0) {
    return fail(
      "OFF_GRID",
      `Les réservations commencent et finissent sur un pas de ${grid} minutes (par exemple ${toHhmm(540)} ou ${toHhmm(540 + grid)}).`,
      { field: "start", status: 422 },
    );
  }
  const length = clock.end - clock.start;
  if (length < resource.minMinutes)
    return fail("TOO_SHORT", `La durée minimale est de ${formatDuration(resource.minMinutes)}.`, {
      field: "end",
      status: 422,
    });
  if (length > resource.maxMinutes)
    return fail("TOO_LONG", `La durée maximale est de ${formatDuration(resource.maxMinutes)}.`, {
      field: "end",
      status: 422,
    });
  const ranges = hours[clock.weekday];
  if (ranges.length === 0) return fail("CLOSED_DAY", "Le lieu est fermé ce jour-là.", { field: "date", status: 422 });
  const startsInside = ranges.findIndex((r) => toMinutes(r.open) <= clock.start && clock.start < toMinutes(r.close));
  const endsInside = ranges.findIndex((r) => toMinutes(r.open) < clock.end! && clock.end! <= toMinutes(r.close));
  if (startsInside === -1 || endsInside === -1 || endsInside < startsInside) {
    return fail(
      "OUTSIDE_HOURS",
      `Ce créneau sort des heures d'ouverture (${ranges.map((r) => `${r.open}–${r.close}`).join(", ")}).`,
      { field: "start", status: 422 },
    );
  }
  return null;
}

export function formatDuration(minutes: number) {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, "0")}`;
}

export type Interval = { start: number; end: number };

/** The parts of a day's opening ranges that no busy interval covers. */
export function freeIntervals(ranges: TimeRange[], busy: Interval[]): Interval[] {
  const sorted = [...busy].sort((a, b) => a.start - b.start);
  const free: Interval[] = [];
  for (const range of ranges) {
    let cursor = toMinutes(range.open);
    const close = toMinutes(range.close);
    for (const b of sorted) {
      if (b.end <= cursor || b.start >= close) continue;
      if (b.start > cursor) free.push({ start: cursor, end: b.start });
      cursor = Math.max(cursor, b.end);
    }
    if (cursor < close) free.push({ start: cursor, end: close });
  }
  return free;
}

export type StandardSlot = Interval & { label: string };

/**
 * The slots offered as one-click choices on a day: morning, afternoon and whole day for a desk; each hour as
 * well for a room. Only those the resource's rules accept are returned (the caller keeps the free ones).
 */
export function standardSlots(resource: ResourceRules, ranges: TimeRange[]): StandardSlot[] {
  if (ranges.length === 0) return [];
  const open = toMinutes(ranges[0].open);
  const close = toMinutes(ranges[ranges.length - 1].close);
  const slots: StandardSlot[] = [];
  if (resource.kind === "ROOM") {
    for (const r of ranges) {
      for (let t = toMinutes(r.open); t + 60 <= toMinutes(r.close); t += 60)
        slots.push({ start: t, end: t + 60, label: `${toHhmm(t)}–${toHhmm(t + 60)}` });
    }
  }
  if (close - open > HALF_DAY_MINUTES) {
    slots.push({
      start: open,
      end: open + HALF_DAY_MINUTES,
      label: `Matin (${toHhmm(open)}–${toHhmm(open + HALF_DAY_MINUTES)})`,
    });
    slots.push({
      start: close - HALF_DAY_MINUTES,
      end: close,
      label: `Après-midi (${toHhmm(close - HALF_DAY_MINUTES)}–${toHhmm(close)})`,
    });
  }
  slots.push({ start: open, end: close, label: `Journée (${toHhmm(open)}–${toHhmm(close)})` });
  const inHours = (m: number, edge: "start" | "end") =>
    ranges.some((r) =>
      edge === "start"
        ? toMinutes(r.open) <= m && m < toMinutes(r.close)
        : toMinutes(r.open) < m && m <= toMinutes(r.close),
    );
  return slots.filter(
    (s) =>
      s.start % resource.slotMinutes === 0 &&
      s.end % resource.slotMinutes === 0 &&
      s.end - s.start >= resource.minMinutes &&
      s.end - s.start <= resource.maxMinutes &&
      inHours(s.start, "start") &&
      inHours(s.end, "end"),
  );
}
