import FullCalendar from "@fullcalendar/react";
import { PARIS_TIME_GRID } from "./time-grid.client";

// The staff week of a space as a FullCalendar time grid (browser only): every live booking and closure of its
// desks and rooms, coloured by status, each a link to its page. Europe/Paris whatever the browser's zone.

export type StaffEvent = {
  id: string;
  title: string;
  start: string;
  end: string;
  status: string;
  kind: "BOOKING" | "CLOSURE" | "TRAINING";
  href: string;
};
export type BusinessHours = { daysOfWeek: number[]; startTime: string; endTime: string }[];

// Text on fill: each pair keeps at least 4.5:1.
const COLORS: Record<string, { bg: string; text: string }> = {
  CONFIRMED: { bg: "#2f6b3b", text: "#ffffff" },
  AWAITING_PAYMENT: { bg: "#f2d49b", text: "#4a3208" },
  HELD: { bg: "#dde8f6", text: "#1d3c66" },
  CLOSURE: { bg: "#5b5f57", text: "#ffffff" },
  TRAINING: { bg: "#5a3d7a", text: "#ffffff" },
};

export type BackofficeCalendarProps = {
  monday: string;
  events: StaffEvent[];
  businessHours: BusinessHours;
  minTime: string;
  maxTime: string;
  hiddenDays: number[];
};

export default function BackofficeCalendar({
  monday,
  events,
  businessHours,
  minTime,
  maxTime,
  hiddenDays,
}: BackofficeCalendarProps) {
  return (
    <FullCalendar
      {...PARIS_TIME_GRID}
      initialView="timeGridWeek"
      initialDate={monday}
      hiddenDays={hiddenDays}
      headerToolbar={false}
      slotMinTime={`${minTime}:00`}
      slotMaxTime={`${maxTime}:00`}
      businessHours={businessHours}
      events={events.map((e) => {
        const color = COLORS[e.kind === "BOOKING" ? e.status : e.kind] ?? COLORS.CONFIRMED;
        return {
          id: e.id,
          title: e.title,
          start: e.start,
          end: e.end,
          url: e.href,
          backgroundColor: color.bg,
          borderColor: color.bg,
          textColor: color.text,
        };
      })}
    />
  );
}
