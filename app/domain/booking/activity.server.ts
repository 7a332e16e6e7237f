import type { ResourceKind } from "~/generated/prisma/enums";
import { formatFigure, type ActivityFigure, type AnnualActivity } from "~/domain/reporting/activity";
import { minutesFrom } from "./availability.server";
import { hoursOf } from "./catalogue.server";
import { freeIntervals, type Interval } from "./rules";
import { addDays, parisInstant, parisParts, weekdayOf } from "./time";
import type { IsoDate } from "~/domain/ledger/dates";

// Desks and rooms in the annual report (decision 025). Occupancy is the hours booked over the hours the resources
// were open to booking: each active resource's opening hours (its own or the pole's), day by day in Europe/Paris,
// less its closures and the training sessions held in it. Booked means a confirmed booking (paid, or booked with a
// booklet), counted within those open hours; held, unpaid and cancelled ones do not count. A resource deactivated
// is left out; one added during the year counts for the whole year.

const length = (intervals: readonly Interval[]) => intervals.reduce((sum, i) => sum + i.end - i.start, 0);

const overlap = (a: readonly Interval[], b: readonly Interval[]) => {
  let minutes = 0;
  for (const x of a) for (const y of b) minutes += Math.max(0, Math.min(x.end, y.end) - Math.max(x.start, y.start));
  return minutes;
};

/** The calendar days of [from, to] with their weekday, computed once (luxon per day and resource is slow). */
function calendarDays(from: IsoDate, to: IsoDate) {
  const days: { date: IsoDate; weekday: ReturnType<typeof weekdayOf> }[] = [];
  const first = weekdayOf(from);
  const order = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
  const offset = order.indexOf(first);
  for (let t = Date.parse(`${from}T00:00:00Z`), i = 0; ; t += 86_400_000, i++) {
    const date = new Date(t).toISOString().slice(0, 10) as IsoDate;
    if (date > to) break;
    days.push({ date, weekday: order[(offset + i) % 7] });
  }
  return days;
}

const plural = (n: number, one: string, many: string) =>
  `${formatFigure({ value: n, format: "count" })} ${n > 1 ? many : one}`;
const hours = (minutes: number) => formatFigure({ value: minutes / 60, format: "hours" });

export const coworkingActivity: AnnualActivity = async (tx, { poleId, from, to }) => {
  const start = parisInstant(from, 0);
  const end = parisInstant(addDays(to, 1), 0);
  const [pole, resources, taken] = await Promise.all([
    tx.pole.findUniqueOrThrow({ where: { id: poleId }, select: { openingHours: true } }),
    tx.resource.findMany({
      where: { poleId, active: true },
      select: { id: true, kind: true, openingHours: true },
    }),
    tx.booking.findMany({
      where: { poleId, status: "CONFIRMED", startsAt: { lt: end }, endsAt: { gt: start } },
      select: { resourceId: true, kind: true, personId: true, startsAt: true, endsAt: true },
    }),
  ]);
  const active = new Set(resources.map((r) => r.id));

  // Per resource and Paris day of the period: what kept it from being booked, and what was booked.
  const days = new Map<string, { blocked: Interval[]; booked: Interval[] }>();
  const bookings = taken.filter((b) => b.kind === "BOOKING" && active.has(b.resourceId));
  for (const b of taken) {
    if (!active.has(b.resourceId)) continue;
    const last = parisParts(new Date(b.endsAt.getTime() - 1)).date;
    for (let day = parisParts(b.startsAt).date; day <= last && day <= to; day = addDays(day, 1)) {
      if (day < from) continue;
      const key = `${b.resourceId} ${day}`;
      const cell = days.get(key) ?? { blocked: [], booked: [] };
      days.set(key, cell);
      (b.kind === "BOOKING" ? cell.booked : cell.blocked).push({
        start: minutesFrom(day, b.startsAt),
        end: minutesFrom(day, b.endsAt),
      });
    }
  }

  const tally: Record<ResourceKind, { resources: number; open: number; booked: number }> = {
    DESK: { resources: 0, open: 0, booked: 0 },
    ROOM: { resources: 0, open: 0, booked: 0 },
  };
  const calendar = calendarDays(from, to);
  for (const resource of resources) {
    const week = hoursOf(resource, pole);
    const kind = tally[resource.kind];
    kind.resources += 1;
    for (const { date, weekday } of calendar) {
      const ranges = week[weekday];
      if (ranges.length === 0) continue;
      const cell = days.get(`${resource.id} ${date}`);
      const open = freeIntervals(ranges, cell?.blocked ?? []);
      kind.open += length(open);
      if (cell) kind.booked += overlap(open, cell.booked);
    }
  }

  const occupancy = (label: string, t: (typeof tally)[ResourceKind]): ActivityFigure => ({
    label,
    value: t.open > 0 ? t.booked / t.open : null,
    format: "percent",
    note: `${hours(t.booked)} réservées sur ${hours(t.open)} ouvertes`,
  });
  const figures: ActivityFigure[] = [
    ...(tally.DESK.resources ? [occupancy("Occupation des postes", tally.DESK)] : []),
    ...(tally.ROOM.resources ? [occupancy("Occupation des salles", tally.ROOM)] : []),
    { label: "Heures réservées", value: (tally.DESK.booked + tally.ROOM.booked) / 60, format: "hours" },
    { label: "Réservations", value: bookings.length, format: "count" },
    {
      label: "Personnes ayant réservé",
      value: new Set(bookings.flatMap((b) => (b.personId ? [b.personId] : []))).size,
      format: "count",
    },
  ];
  return {
    figures,
    summary:
      `${plural(tally.DESK.resources, "poste", "postes")} et ${plural(tally.ROOM.resources, "salle", "salles")} ` +
      "ouverts à la réservation ; les heures de fermeture et de formation sont déduites des heures d'ouverture.",
  };
};
