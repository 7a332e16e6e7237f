import type { PaymentMethod } from "~/generated/prisma/enums";
import { METHOD_LABELS } from "~/domain/payments/methods";
import { formatDate } from "~/utils/format";

// How a booking is named everywhere a person reads it: invoices, emails, calendars, Stripe's checkout page.

/** "mardi 2 mars 2027, 09:00–13:00" (Europe/Paris). */
export const formatSlot = (startsAt: Date | string, endsAt: Date | string) =>
  `${formatDate(startsAt, "longDay")}, ${formatDate(startsAt, "time")}–${formatDate(endsAt, "time")}`;

/** "Bureau B12 — mardi 2 mars 2027, 09:00–13:00". */
export const bookingLabel = (resourceName: string, startsAt: Date | string, endsAt: Date | string) =>
  `${resourceName} — ${formatSlot(startsAt, endsAt)}`;

/** How a booking or one of its payments was paid: the ways money comes in, and the booklet, which is ours. */
export const PAID_WITH_LABELS: Record<PaymentMethod, string> = { ...METHOD_LABELS, PASS: "Carnet" };

/** What a calendar row is, in the exports. */
export const BOOKING_KIND_LABELS = { BOOKING: "Réservation", CLOSURE: "Fermeture", TRAINING: "Formation" } as const;
