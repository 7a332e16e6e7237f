import interactionPlugin from "@fullcalendar/interaction";
import FullCalendar from "@fullcalendar/react";
import { PARIS_TIME_GRID } from "~/components/time-grid.client";
import type { OpeningHours } from "~/domain/identity/opening-hours";
import { addDays } from "~/domain/booking/time";
import { isoDate } from "~/domain/ledger/dates";

// The resource's week as a FullCalendar time grid (browser only): opening hours as business hours, taken
// slots as anonymous busy blocks, a free range selected by click-and-drag starts a booking. Times are in
// Europe/Paris whatever the visitor's own time zone (luxon plugin).

const BUSY_TITLES = { BOOKING: "Occupé", CLOSURE: "Fermé", TRAINING: "Formation" } as const;

export type BusyEvent = { start: string; end: string; kind: "BOOKING" | "CLOSURE" | "TRAINING"; mine: boolean };

const DAY_NUMBERS: Record<keyof OpeningHours, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

export default function AvailabilityCalendar({
  monday,
  hours,
  busy,
  slotMinutes,
  onSelect,
}: {
  monday: string;
  hours: OpeningHours;
  busy: BusyEvent[];
  slotMinutes: number;
  onSelect: (slot: { date: string; start: string; end: string }) => void;
}) {
  const ranges = Object.values(hours).flat();
  const min = ranges.length ? ranges.map((r) => r.open).sort()[0] : "08:00";
  const max = ranges.length
    ? ranges
        .map((r) => r.close)
        .sort()
        .at(-1)!
    : "19:00";
  const businessHours = (Object.keys(hours) as (keyof OpeningHours)[]).flatMap((day) =>
    hours[day].map((r) => ({ daysOfWeek: [DAY_NUMBERS[day]], startTime: r.open, endTime: r.close })),
  );
  return (
    <FullCalendar
      {...PARIS_TIME_GRID}
      plugins={[...PARIS_TIME_GRID.plugins, interactionPlugin]}
      initialView={typeof window !== "undefined" && window.innerWidth < 700 ? "timeGridDay" : "timeGridWeek"}
      initialDate={monday}
      // The week is the page's (the server renders it, with its free slots); within it, a day view.
      validRange={{ start: monday, end: addDays(isoDate(monday), 7) }}
      headerToolbar={{ left: "prev,next", center: "title", right: "timeGridWeek,timeGridDay" }}
      buttonText={{ week: "Semaine", day: "Jour" }}
      slotMinTime={`${min}:00`}
      slotMaxTime={`${max}:00`}
      slotDuration={{ minutes: slotMinutes }}
      snapDuration={{ minutes: slotMinutes }}
      businessHours={businessHours}
      selectable
      selectMirror
      selectOverlap={false}
      selectConstraint="businessHours"
      selectAllow={(info) => info.start.getTime() >= Date.now()}
      events={busy.map((b, i) => ({
        id: `busy-${i}`,
        start: b.start,
        end: b.end,
        title: b.mine ? "Votre réservation" : BUSY_TITLES[b.kind],
        classNames: [b.mine ? "fc-busy-mine" : b.kind === "CLOSURE" ? "fc-busy-closed" : "fc-busy"],
      }))}
      select={(info) => {
        // startStr/endStr carry the Paris offset ("2027-03-02T09:00:00+01:00"): read the wall clock from them.
        onSelect({
          date: info.startStr.slice(0, 10),
          start: info.startStr.slice(11, 16),
          end: info.endStr.slice(0, 10) === info.startStr.slice(0, 10) ? info.endStr.slice(11, 16) : "24:00",
        });
      }}
    />
  );
}
