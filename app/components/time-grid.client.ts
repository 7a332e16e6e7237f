import type { CalendarOptions } from "@fullcalendar/core";
import frLocale from "@fullcalendar/core/locales/fr";
import luxonPlugin from "@fullcalendar/luxon3";
import timeGridPlugin from "@fullcalendar/timegrid";

/** What every FullCalendar time grid of the app shares: French, Monday first, 24-hour clock, Europe/Paris whatever the browser's zone. */
export const PARIS_TIME_GRID: CalendarOptions & { plugins: NonNullable<CalendarOptions["plugins"]> } = {
  plugins: [timeGridPlugin, luxonPlugin],
  locale: frLocale,
  timeZone: "Europe/Paris",
  firstDay: 1,
  allDaySlot: false,
  height: "auto",
  nowIndicator: true,
  slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
  eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
};
