import { Prisma } from "~/generated/prisma/client";
import { fail, ok, type Result } from "~/domain/result";
import type { IsoDate } from "~/domain/ledger/dates";
import { divRoundHalfUp } from "~/domain/ledger/vat";
import { inTransaction, type Client } from "~/utils/db.server";
import { isUniqueViolation } from "~/utils/db-errors.server";
import { formatDate } from "~/utils/format";
import {
  hoursOfInput,
  ratesOfInput,
  type PassProductInput,
  type PolicyInput,
  type ResourceInput,
  type SpaceInput,
} from "./admin-schemas";
import { LIVE_STATUSES } from "./availability.server";
import { bookingInclude } from "./holds.server";
import { spaceCalendar } from "./queries.server";
import { addDays, parisInstant, parisParts, toHhmm } from "./time";

// The staff side of desks and rooms: spaces, resources and their rates, booklets on sale, the booking policy,
// and what waits for a human (payments on site, offline refunds, booklets to be paid). Money itself moves only
// through the booking and payments functions; nothing here writes a payment, an invoice or an entry.

/** "Salle des Semis" → "salle-des-semis". */
export function slugify(text: string) {
  return (
    text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/, "") || "espace"
  );
}

const slugTaken = (what: string) =>
  fail("SLUG_TAKEN", `${what} utilise déjà cet identifiant : choisissez-en un autre.`, { field: "slug", status: 409 });

// ─── Spaces ─────────────────────────────────────────────────────────────────────────────────────────────

export function getSpace(tx: Client, poleId: string, id: string) {
  return tx.space.findFirst({
    where: { id, poleId },
    include: { resources: { orderBy: [{ position: "asc" }, { name: "asc" }], include: { rates: true } } },
  });
}

/** Creates (no id) or updates a space of the pole; slugs are unique within a pole. */
export async function saveSpace(
  tx: Client,
  poleId: string,
  id: string | undefined,
  input: SpaceInput,
): Promise<Result<{ id: string }, "NOT_FOUND" | "SLUG_TAKEN">> {
  const slug = input.slug || slugify(input.name);
  const data = {
    name: input.name,
    slug,
    building: input.building ?? "",
    floor: input.floor ?? "",
    description: input.description ?? "",
    photo: input.photo || null,
    position: input.position ?? 0,
  };
  const clash = await tx.space.findFirst({
    where: { poleId, slug, NOT: id ? { id } : undefined },
    select: { id: true },
  });
  if (clash) return slugTaken("Un autre espace");
  try {
    if (!id) return ok({ id: (await tx.space.create({ data: { ...data, poleId } })).id });
    const updated = await tx.space.updateMany({ where: { id, poleId }, data });
    if (updated.count === 0) return fail("NOT_FOUND", "Cet espace n'existe pas.", { status: 404 });
    return ok({ id });
  } catch (error) {
    // Two staff saving the same slug at once: the unique index decides, the loser gets the field message.
    if (isUniqueViolation(error)) return slugTaken("Un autre espace");
    throw error;
  }
}

// ─── Resources ──────────────────────────────────────────────────────────────────────────────────────────

export function getResource(tx: Client, poleId: string, id: string) {
  return tx.resource.findFirst({ where: { id, poleId }, include: { rates: true, space: true } });
}

/** Creates or updates a resource with its rates (replaced as a whole) and its opening hours. */
export async function saveResource(
  client: Client,
  poleId: string,
  id: string | undefined,
  input: ResourceInput,
): Promise<Result<{ id: string }, "NOT_FOUND" | "SLUG_TAKEN" | "UNKNOWN_SPACE">> {
  const slug = input.slug || slugify(input.name);
  const hours = hoursOfInput(input);
  const data = {
    spaceId: input.spaceId,
    kind: input.kind,
    name: input.name,
    slug,
    description: input.description ?? "",
    capacity: input.capacity,
    equipment: input.equipment,
    photo: input.photo || null,
    slotMinutes: input.slotMinutes,
    minMinutes: input.minMinutes,
    maxMinutes: input.maxMinutes,
    active: input.active,
    position: input.position ?? 0,
    // The pole's hours: SQL NULL (Prisma's DbNull), which hoursOf reads as "the pole's".
    openingHours: hours ?? Prisma.DbNull,
  };
  const rates = ratesOfInput(input);
  try {
    return await inTransaction(client, async (tx) => {
      const space = await tx.space.findFirst({ where: { id: input.spaceId, poleId }, select: { id: true } });
      if (!space) return fail("UNKNOWN_SPACE", "Choisissez un espace du pôle.", { field: "spaceId", status: 422 });
      const clash = await tx.resource.findFirst({
        where: { poleId, slug, NOT: id ? { id } : undefined },
        select: { id: true },
      });
      if (clash) return slugTaken("Une autre ressource");
      let resourceId = id;
      if (!resourceId) {
        resourceId = (await tx.resource.create({ data: { ...data, poleId } })).id;
      } else {
        const updated = await tx.resource.updateMany({ where: { id: resourceId, poleId }, data });
        if (updated.count === 0) return fail("NOT_FOUND", "Cette ressource n'existe pas.", { status: 404 });
        await tx.resourceRate.deleteMany({ where: { resourceId } });
      }
      await tx.resourceRate.createMany({ data: rates.map((r) => ({ ...r, resourceId: resourceId! })) });
      return ok({ id: resourceId });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return slugTaken("Une autre ressource");
    throw error;
  }
}

/** The closures of a resource that are not over yet, soonest first. */
export function upcomingClosures(tx: Client, input: { poleId: string; resourceId: string; now: Date }) {
  return tx.booking.findMany({
    where: {
      poleId: input.poleId,
      resourceId: input.resourceId,
      kind: "CLOSURE",
      status: "CONFIRMED",
      endsAt: { gt: input.now },
    },
    orderBy: { startsAt: "asc" },
    take: 100,
  });
}

// ─── Policy and booklets ────────────────────────────────────────────────────────────────────────────────

export function updateBookingPolicy(tx: Client, poleId: string, input: PolicyInput) {
  return tx.pole.update({
    where: { id: poleId },
    data: {
      cancellationDeadlineHours: input.cancellationDeadlineHours,
      lateCancellationFeePercent: input.lateCancellationFeePercent,
      holdMinutes: input.holdMinutes,
    },
  });
}

export function getPassProduct(tx: Client, poleId: string, id: string) {
  return tx.passProduct.findFirst({ where: { id, poleId } });
}

export async function savePassProduct(
  tx: Client,
  poleId: string,
  id: string | undefined,
  input: PassProductInput,
): Promise<Result<{ id: string }, "NOT_FOUND">> {
  const data = {
    name: input.name,
    description: input.description ?? "",
    credits: input.credits,
    validityMonths: input.validityMonths,
    resourceKind: input.resourceKind,
    memberCents: input.memberPrice!,
    publicCents: input.publicPrice!,
    active: input.active,
  };
  if (!id) return ok({ id: (await tx.passProduct.create({ data: { ...data, poleId } })).id });
  const updated = await tx.passProduct.updateMany({ where: { id, poleId }, data });
  if (updated.count === 0) return fail("NOT_FOUND", "Ce carnet n'existe pas.", { status: 404 });
  return ok({ id });
}

/** Booklets ordered and not paid yet, newest first, with whether a card payment is under way. */
export async function listPendingPasses(tx: Client, poleId: string) {
  const passes = await tx.pass.findMany({
    where: { poleId, status: "PENDING" },
    include: {
      person: { select: { id: true, name: true, email: true } },
      payments: { select: { method: true, status: true } },
    },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  return passes.map((p) => ({
    ...p,
    cardPending: p.payments.some((pay) => pay.method === "STRIPE" && pay.status === "PENDING"),
  }));
}

/** Refunds the team still has to make by hand: of offline payments, and card refunds Stripe could not make. */
export function listPendingOfflineRefunds(tx: Client, poleId: string) {
  return tx.refund.findMany({
    where: {
      poleId,
      OR: [{ status: "PENDING", payment: { method: { in: ["TRANSFER", "CHEQUE", "CASH"] } } }, { status: "FAILED" }],
    },
    include: {
      payment: {
        include: {
          person: { select: { id: true, name: true } },
          booking: { select: { id: true, startsAt: true, endsAt: true, resource: { select: { name: true } } } },
        },
      },
    },
    orderBy: { createdAt: "asc" },
    take: 100,
  });
}

/** What waits for the team: bookings to be paid on site, offline refunds, booklets to be paid. */
export async function pendingActions(tx: Client, poleId: string) {
  const [awaitingPayment, refunds, passes] = await Promise.all([
    tx.booking.count({ where: { poleId, kind: "BOOKING", status: "AWAITING_PAYMENT" } }),
    listPendingOfflineRefunds(tx, poleId),
    tx.pass.count({ where: { poleId, status: "PENDING" } }),
  ]);
  return { awaitingPayment, refunds, passes };
}

// ─── Bookings ───────────────────────────────────────────────────────────────────────────────────────────

/** One booking or closure of the pole with everything staff see: payments, refunds, who did what. */
export async function getBookingForStaff(tx: Client, input: { poleId: string; bookingId: string; now: Date }) {
  const booking = await tx.booking.findFirst({
    where: { id: input.bookingId, poleId: input.poleId },
    include: {
      ...bookingInclude,
      pass: { select: { id: true, name: true } },
      payments: { include: { refunds: { orderBy: { createdAt: "asc" } } }, orderBy: { createdAt: "asc" } },
    },
  });
  if (!booking) return null;
  const staffIds = [booking.bookedById, booking.cancelledById, ...booking.payments.map((p) => p.confirmedById)].filter(
    (x): x is string => Boolean(x),
  );
  const [names, invoices, pole] = await Promise.all([
    tx.person.findMany({ where: { id: { in: staffIds } }, select: { id: true, name: true } }),
    // The booking's invoice, a late-cancellation fee's, and the credit notes of either.
    tx.invoice.findMany({
      where: {
        poleId: input.poleId,
        OR: [
          { sourceKey: { in: [`booking:${booking.id}`, `booking:${booking.id}:late-fee`] } },
          { creditedInvoice: { sourceKey: `booking:${booking.id}` } },
        ],
      },
      select: { id: true, number: true, kind: true, sourceKey: true, totalInclTax: true },
      orderBy: { createdAt: "asc" },
    }),
    tx.pole.findUniqueOrThrow({
      where: { id: input.poleId },
      select: { cancellationDeadlineHours: true, lateCancellationFeePercent: true },
    }),
  ]);
  const nameOf = (id: string | null) => (id ? (names.find((n) => n.id === id)?.name ?? null) : null);
  const live =
    LIVE_STATUSES.includes(booking.status as (typeof LIVE_STATUSES)[number]) &&
    !(booking.status === "HELD" && booking.holdExpiresAt! <= input.now);
  const late =
    booking.status !== "HELD" &&
    booking.startsAt.getTime() - input.now.getTime() < pole.cancellationDeadlineHours * 3_600_000;
  return {
    booking,
    invoices,
    live,
    /** The fee a cancellation now would charge, unless staff waive it. */
    lateFeeCents: live && late ? divRoundHalfUp(booking.priceCents * pole.lateCancellationFeePercent, 100) : 0,
    bookedBy: nameOf(booking.bookedById),
    cancelledBy: nameOf(booking.cancelledById),
    confirmedBy: (id: string | null) => nameOf(id),
  };
}

/** The pole's people staff can book for (by name or email), at most 200. */
export function bookablePeople(tx: Client, poleId: string, q?: string) {
  return tx.person.findMany({
    where: {
      memberships: { some: { poleId } },
      ...(q
        ? { OR: [{ name: { contains: q, mode: "insensitive" } }, { email: { contains: q, mode: "insensitive" } }] }
        : {}),
    },
    select: { id: true, name: true, email: true },
    orderBy: { name: "asc" },
    take: 200,
  });
}

/** The pole's active resources by space, for the booking form. */
export function bookableResources(tx: Client, poleId: string) {
  return tx.space.findMany({
    where: { poleId, resources: { some: { active: true } } },
    orderBy: [{ position: "asc" }, { name: "asc" }],
    select: {
      id: true,
      name: true,
      resources: {
        where: { active: true },
        orderBy: [{ position: "asc" }, { name: "asc" }],
        select: { id: true, name: true, kind: true },
      },
    },
  });
}

/** How staff lists show a range: its day(s), then its times ("lundi 30 novembre" / "08:30–12:30"). */
export function slotParts(startsAt: Date, endsAt: Date) {
  const sameDay = parisParts(startsAt).date === parisParts(new Date(endsAt.getTime() - 1)).date;
  return sameDay
    ? { day: formatDate(startsAt, "weekday"), time: `${formatDate(startsAt, "time")}–${formatDate(endsAt, "time")}` }
    : {
        day: `${formatDate(startsAt, "weekday")} → ${formatDate(endsAt, "weekday")}`,
        time: `${formatDate(startsAt, "time")} → ${formatDate(endsAt, "time")}`,
      };
}

export type CalendarItem = {
  id: string;
  kind: "BOOKING" | "CLOSURE" | "TRAINING";
  status: string;
  start: string;
  end: string;
  /** Wall-clock times in Paris on this day; "…" when the item began the day before or ends the day after. */
  from: string;
  to: string;
  resourceId: string;
  resourceName: string;
  personName: string | null;
  reason: string | null;
};

/** A space's week from a Monday: its live bookings and closures, and the same grouped by Paris day. */
export async function spaceWeek(tx: Client, input: { poleId: string; spaceId: string; monday: IsoDate; now: Date }) {
  const from = parisInstant(input.monday, 0);
  const to = parisInstant(addDays(input.monday, 7), 0);
  const rows = await spaceCalendar(tx, { poleId: input.poleId, spaceId: input.spaceId, from, to, now: input.now });
  const items = rows.map((b) => ({
    id: b.id,
    kind: b.kind,
    status: b.status,
    start: b.startsAt.toISOString(),
    end: b.endsAt.toISOString(),
    resourceId: b.resourceId,
    resourceName: b.resource.name,
    personName: b.person?.name ?? null,
    reason: b.reason,
  }));
  const days = Array.from({ length: 7 }, (_, i) => {
    const date = addDays(input.monday, i);
    const dayStart = parisInstant(date, 0).toISOString();
    const dayEnd = parisInstant(addDays(date, 1), 0).toISOString();
    const dayItems: CalendarItem[] = items
      .filter((item) => item.start < dayEnd && item.end > dayStart)
      .map((item) => ({
        ...item,
        from: item.start >= dayStart ? toHhmm(Math.floor(parisParts(new Date(item.start)).minutes)) : "…",
        to:
          item.end <= dayEnd
            ? item.end === dayEnd
              ? "24:00"
              : toHhmm(Math.ceil(parisParts(new Date(item.end)).minutes))
            : "…",
      }));
    return { date, items: dayItems };
  });
  return { items, days };
}
