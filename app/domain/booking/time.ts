import { DateTime } from "luxon";
import type { IsoDate } from "~/domain/ledger/dates";
import type { WeekdayKey } from "~/domain/identity/opening-hours";
import { PARIS_TIME_ZONE } from "~/utils/format";

// Bookings are instants in UTC; people choose them as wall-clock times in Europe/Paris. Luxon does the
// conversion (DST included) so the rules below can think in "day + minutes since midnight".

const WEEKDAY_KEYS: WeekdayKey[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

export const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
export const toHhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/**
 * The instant of a wall-clock time in Paris: ("2027-03-02", 570) → 2027-03-02T08:30:00Z. The clock is set, not
 * counted from midnight, so DST days are right (on 28 March 2027, 09:30 is 07:30Z); 1440 is the next midnight.
 */
export function parisInstant(date: IsoDate, minutes: number): Date {
  const day = DateTime.fromISO(date, { zone: PARIS_TIME_ZONE }).plus({ days: Math.floor(minutes / 1440) });
  const rest = minutes % 1440;
  return day.set({ hour: Math.floor(rest / 60), minute: rest % 60, second: 0, millisecond: 0 }).toJSDate();
}

/** The Paris day of an instant and its minutes since that day's midnight (wall clock). */
export function parisParts(instant: Date): { date: IsoDate; minutes: number; weekday: WeekdayKey } {
  const local = DateTime.fromJSDate(instant, { zone: PARIS_TIME_ZONE });
  return {
    date: local.toISODate()! as IsoDate,
    minutes: local.hour * 60 + local.minute + (local.second || local.millisecond ? 1 / 60 : 0),
    weekday: WEEKDAY_KEYS[local.weekday - 1],
  };
}

export const weekdayOf = (date: IsoDate): WeekdayKey => WEEKDAY_KEYS[DateTime.fromISO(date).weekday - 1];

export const addDays = (date: IsoDate, days: number): IsoDate =>
  DateTime.fromISO(date).plus({ days }).toISODate()! as IsoDate;

/** The Monday of the week holding a date. */
export const mondayOf = (date: IsoDate): IsoDate => DateTime.fromISO(date).startOf("week").toISODate()! as IsoDate;
