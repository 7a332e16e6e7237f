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

export function bookingsCalendar(input: {
  pole: { name: string; addressLine: string; postalCode: string; city: string };
  bookings: CalendarBooking[];
  url: string;
  method?: "PUBLISH";
}) {
  const calendar = ical({
    name: `${input.pole.name} — mes réservations`,
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
  return calendar.toString();
}
