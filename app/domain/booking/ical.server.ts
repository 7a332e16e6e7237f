import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import type { BookingStatus } from "~/generated/prisma/enums";

// Calendars people subscribe to (their private feed) and the invitation attached to a confirmation email.

export type CalendarBooking = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: BookingStatus;
  resourceName: string;
  spaceName: string;
  updatedAt: Date;
};

const STATUS: Partial<Record<BookingStatus, ICalEventStatus>> = {
  CONFIRMED: ICalEventStatus.CONFIRMED,
  AWAITING_PAYMENT: ICalEventStatus.TENTATIVE,
  HELD: ICalEventStatus.TENTATIVE,
  CANCELLED: ICalEventStatus.CANCELLED,
  EXPIRED: ICalEventStatus.CANCELLED,
};

/**
 * Another stream's dated event in the same feed (a training session's part): the feed's route reads them from
 * their own module and hands them over, so this module knows nothing of where they come from.
 */
export type CalendarEvent = {
  /** Unique and stable across versions of the event ("formation-<registration>-<part>"). */
  id: string;
  startsAt: Date;
  endsAt: Date;
  summary: string;
  location: string;
  description: string;
  cancelled: boolean;
  updatedAt: Date;
  url: string;
};

export function bookingsCalendar(input: {
  pole: { name: string; addressLine: string; postalCode: string; city: string };
  bookings: CalendarBooking[];
  events?: CalendarEvent[];
  url: string;
  method?: "PUBLISH";
}) {
  const calendar = ical({
    name: `${input.pole.name} — ${input.events?.length ? "mon agenda" : "mes réservations"}`,
    prodId: { company: "Terrain Commun", product: "reservations", language: "FR" },
    ttl: 60 * 60,
    ...(input.method ? { method: ICalCalendarMethod.PUBLISH } : {}),
  });
  const address = `${input.pole.addressLine}, ${input.pole.postalCode} ${input.pole.city}`;
  for (const b of input.bookings) {
    calendar.createEvent({
      id: `reservation-${b.id}@terrain-commun`,
      start: b.startsAt,
      end: b.endsAt,
      // Instants in UTC ("…Z"): every calendar shows them at the right time in its own zone, whatever the
      // server's. A cancellation is a new version of the event, so calendars replace it.
      stamp: b.updatedAt,
      sequence: b.status === "CANCELLED" || b.status === "EXPIRED" ? 1 : 0,
      summary: `${b.resourceName} — ${input.pole.name}`,
      location: `${b.spaceName}, ${address}`,
      description: b.status === "AWAITING_PAYMENT" ? "Réservation à régler sur place." : "Réservation confirmée.",
      status: STATUS[b.status] ?? null,
      url: input.url,
    });
  }
  for (const e of input.events ?? []) {
    calendar.createEvent({
      id: `${e.id}@terrain-commun`,
      start: e.startsAt,
      end: e.endsAt,
      stamp: e.updatedAt,
      sequence: e.cancelled ? 1 : 0,
      summary: e.summary,
      location: `${e.location}, ${address}`,
      description: e.description,
      status: e.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      url: e.url,
    });
  }
  return calendar.toString();
}
