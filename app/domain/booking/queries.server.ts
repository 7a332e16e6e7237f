import type { BookingStatus, Prisma } from "~/generated/prisma/client";
import { csvAmount, csvDocument } from "~/utils/csv";
import type { Client } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { BOOKING_KIND_LABELS, PAID_WITH_LABELS } from "./describe";
import { bookingInclude } from "./holds.server";

// Reading bookings: a person's own (Mon compte, their calendar feed) and the pole's (staff lists, calendar, CSV).

export const STATUS_LABELS: Record<BookingStatus, string> = {
  HELD: "En attente de paiement",
  AWAITING_PAYMENT: "À régler sur place",
  CONFIRMED: "Confirmée",
  CANCELLED: "Annulée",
  EXPIRED: "Expirée",
};

const LIVE: BookingStatus[] = ["HELD", "AWAITING_PAYMENT", "CONFIRMED"];

/**
 * A person's bookings to come (all of them, soonest first), the 50 latest past or cancelled ones, and how many past
 * or cancelled ones there are in all.
 */
export async function personBookings(tx: Client, input: { poleId: string; personId: string; now: Date }) {
  const mine = { poleId: input.poleId, personId: input.personId, kind: "BOOKING" as const };
  const liveHold = { status: "HELD" as const, holdExpiresAt: { gt: input.now } };
  const include = { resource: { include: { space: true } } };
  const ended = {
    ...mine,
    OR: [
      { status: { in: ["AWAITING_PAYMENT", "CONFIRMED"] as BookingStatus[] }, endsAt: { lte: input.now } },
      { status: "CANCELLED" as const },
    ],
  };
  const [upcoming, past, pastTotal] = await Promise.all([
    tx.booking.findMany({
      where: {
        ...mine,
        endsAt: { gt: input.now },
        OR: [{ status: { in: ["AWAITING_PAYMENT", "CONFIRMED"] } }, liveHold],
      },
      include,
      orderBy: { startsAt: "asc" },
    }),
    tx.booking.findMany({ where: ended, include, orderBy: { startsAt: "desc" }, take: 50 }),
    tx.booking.count({ where: ended }),
  ]);
  return { upcoming, past, pastTotal };
}

export function getPersonBooking(tx: Client, input: { poleId: string; personId: string; bookingId: string }) {
  return tx.booking.findFirst({
    where: { id: input.bookingId, poleId: input.poleId, personId: input.personId, kind: "BOOKING" },
    include: {
      ...bookingInclude,
      pass: { select: { name: true } },
      payments: { include: { refunds: true }, orderBy: { createdAt: "asc" } },
    },
  });
}

/** What the person's calendar feed holds: their kept bookings from 30 days ago on, and recent cancellations. */
export function calendarBookings(tx: Client, input: { poleId: string; personId: string; now: Date }) {
  return tx.booking.findMany({
    where: {
      poleId: input.poleId,
      personId: input.personId,
      kind: "BOOKING",
      status: { in: ["AWAITING_PAYMENT", "CONFIRMED", "CANCELLED"] },
      endsAt: { gte: new Date(input.now.getTime() - 30 * 86_400_000) },
    },
    include: { resource: { include: { space: true } } },
    orderBy: { startsAt: "asc" },
    take: 500,
  });
}

export type BookingFilter = {
  from: Date;
  to: Date;
  spaceId?: string;
  status?: BookingStatus | "LIVE";
  q?: string;
  kind?: "BOOKING" | "CLOSURE" | "TRAINING";
};

function bookingWhere(poleId: string, f: BookingFilter): Prisma.BookingWhereInput {
  return {
    poleId,
    startsAt: { lt: f.to },
    endsAt: { gt: f.from },
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.spaceId ? { resource: { spaceId: f.spaceId } } : {}),
    ...(f.status === "LIVE" ? { status: { in: LIVE } } : f.status ? { status: f.status } : {}),
    ...(f.q
      ? {
          person: {
            OR: [{ name: { contains: f.q, mode: "insensitive" } }, { email: { contains: f.q, mode: "insensitive" } }],
          },
        }
      : {}),
  };
}

const PAGE_SIZE = 50;

export async function listBookings(tx: Client, poleId: string, filter: BookingFilter & { page?: number }) {
  const where = bookingWhere(poleId, filter);
  const page = Math.max(1, filter.page ?? 1);
  const [total, rows] = await Promise.all([
    tx.booking.count({ where }),
    tx.booking.findMany({
      where,
      include: { ...bookingInclude, payments: { include: { refunds: true } } },
      orderBy: [{ startsAt: "asc" }, { createdAt: "asc" }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
    }),
  ]);
  return { total, page, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)), rows };
}

/** The live bookings and closures of a space's resources over a range, for the staff calendar. */
export function spaceCalendar(tx: Client, input: { poleId: string; spaceId: string; from: Date; to: Date; now: Date }) {
  return tx.booking.findMany({
    where: {
      poleId: input.poleId,
      resource: { spaceId: input.spaceId },
      status: { in: LIVE },
      startsAt: { lt: input.to },
      endsAt: { gt: input.from },
      NOT: { status: "HELD", holdExpiresAt: { lte: input.now } },
    },
    include: bookingInclude,
    orderBy: { startsAt: "asc" },
  });
}

export const BOOKINGS_CSV_HEADER = [
  "Début",
  "Fin",
  "Espace",
  "Ressource",
  "Type",
  "Personne",
  "Email",
  "Statut",
  "Paiement",
  "Référence du paiement",
  "Montant TTC",
  "Tarif membre",
  "Absent",
  "Motif",
  "N° de réservation",
] as const;

/** The bookings of a filter as CSV (all pages): dates in Europe/Paris, amounts with a decimal comma. */
export async function bookingsCsv(tx: Client, poleId: string, filter: BookingFilter) {
  const rows = await tx.booking.findMany({
    where: bookingWhere(poleId, filter),
    include: {
      ...bookingInclude,
      payments: { where: { status: "SUCCEEDED" }, select: { reference: true, stripePaymentIntentId: true } },
    },
    orderBy: { startsAt: "asc" },
    take: 50_000,
  });
  return csvDocument(
    BOOKINGS_CSV_HEADER,
    rows.map((b) => [
      formatDate(b.startsAt, "short") + " " + formatDate(b.startsAt, "time"),
      formatDate(b.endsAt, "short") + " " + formatDate(b.endsAt, "time"),
      b.resource.space.name,
      b.resource.name,
      BOOKING_KIND_LABELS[b.kind],
      b.person?.name ?? "",
      b.person?.email ?? "",
      STATUS_LABELS[b.status],
      b.paymentMethod ? PAID_WITH_LABELS[b.paymentMethod] : "",
      b.payments
        .map((p) => p.reference ?? p.stripePaymentIntentId ?? "")
        .filter(Boolean)
        .join(", "),
      csvAmount(b.priceCents),
      b.memberRate ? "oui" : "non",
      b.noShow ? "oui" : "non",
      b.reason ?? "",
      b.id,
    ]),
  );
}
