import type { Prisma, RegistrationStatus } from "~/generated/prisma/client";
import type { Client } from "~/utils/db.server";
import { ATTENDED } from "./attendance.server";
import { SEAT_HOLDING } from "./registrations.server";

// What trainees read of trainings (decision 020): the catalogue by the pole's axes, a course's programme page with
// its upcoming sessions, their own registrations. Seats left come from the session's own counter (capacity −
// seatsTaken, kept in the transaction of each change), never from a count of registrations — and a page only
// shows them: the sign-up's conditional UPDATE decides.

/** Sessions that take sign-ups (until their deadline) or will take place. */
const LIVE_SESSIONS = ["SCHEDULED", "CONFIRMED"] as const;
/** How many upcoming sessions a catalogue card lists. */
const CARD_SESSIONS = 3;

/** A session's dated parts, each in its room: the live TRAINING bookings of the session. */
const partsInclude = {
  where: { kind: "TRAINING", status: { not: "CANCELLED" } },
  orderBy: { startsAt: "asc" },
  select: {
    id: true,
    startsAt: true,
    endsAt: true,
    resource: { select: { name: true, space: { select: { name: true } } } },
  },
} as const satisfies Prisma.TrainingSession$partsArgs;

type PartRow = Prisma.BookingGetPayload<{ select: typeof partsInclude.select }>;

export type SessionPart = { id: string; startsAt: Date; endsAt: Date; room: string; space: string };

const partOf = (p: PartRow): SessionPart => ({
  id: p.id,
  startsAt: p.startsAt,
  endsAt: p.endsAt,
  room: p.resource.name,
  space: p.resource.space.name,
});

type SessionFacts = {
  id: string;
  capacity: number;
  seatsTaken: number;
  status: string;
  registrationDeadline: Date;
  startsAt: Date;
  endsAt: Date;
};

/** What a page says of a session's availability: seats left, whether sign-ups are open, whether it is full. */
export function availability(session: SessionFacts, now: Date) {
  const seatsLeft = Math.max(0, session.capacity - session.seatsTaken);
  const live = (LIVE_SESSIONS as readonly string[]).includes(session.status);
  const open = live && now < session.registrationDeadline;
  return { seatsLeft, open, full: seatsLeft === 0 };
}

export type CatalogueSession = ReturnType<typeof availability> & {
  id: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  registrationDeadline: Date;
};

export type CatalogueCourse = {
  id: string;
  slug: string;
  title: string;
  axis: string;
  objectives: string;
  durationHours: number;
  memberCents: number;
  publicCents: number;
  fundedCents: number;
  opensPlotPath: boolean;
  sessions: CatalogueSession[];
};

export type AxisGroup = { axis: string; text: string; courses: CatalogueCourse[] };

/** The pole's axes as they are stored on the pole: [{ title, text }]. */
export function poleAxes(axes: unknown): { title: string; text: string }[] {
  if (!Array.isArray(axes)) return [];
  return axes.flatMap((a) =>
    a && typeof a === "object" && typeof (a as { title?: unknown }).title === "string"
      ? [{ title: (a as { title: string }).title, text: String((a as { text?: unknown }).text ?? "") }]
      : [],
  );
}

/**
 * Courses grouped by the pole's axes, in the pole's order; a course whose axis is none of the pole's gets a group
 * of its own after them (alphabetically), and one without an axis goes to "Autres formations", last.
 */
export function groupByAxis(courses: CatalogueCourse[], axes: { title: string; text: string }[]): AxisGroup[] {
  const key = (s: string) => s.trim().toLocaleLowerCase("fr");
  const groups = new Map<string, AxisGroup>();
  for (const a of axes) groups.set(key(a.title), { axis: a.title, text: a.text, courses: [] });
  const others: AxisGroup = { axis: "Autres formations", text: "", courses: [] };
  const extra = new Map<string, AxisGroup>();
  for (const c of courses) {
    const k = key(c.axis);
    if (!k) others.courses.push(c);
    else if (groups.has(k)) groups.get(k)!.courses.push(c);
    else {
      if (!extra.has(k)) extra.set(k, { axis: c.axis.trim(), text: "", courses: [] });
      extra.get(k)!.courses.push(c);
    }
  }
  const sortedExtra = [...extra.values()].sort((a, b) => a.axis.localeCompare(b.axis, "fr"));
  return [...groups.values(), ...sortedExtra, others].filter((g) => g.courses.length > 0);
}

/** /formations: the published courses with their next sessions, grouped by the pole's axes. */
export async function catalogue(client: Client, input: { poleId: string; now: Date }) {
  const pole = await client.pole.findUniqueOrThrow({ where: { id: input.poleId }, select: { axes: true } });
  const courses = await client.course.findMany({
    where: { poleId: input.poleId, published: true },
    orderBy: { title: "asc" },
    include: {
      sessions: {
        where: { status: { in: [...LIVE_SESSIONS] }, startsAt: { gt: input.now } },
        orderBy: { startsAt: "asc" },
        take: CARD_SESSIONS,
      },
    },
  });
  const cards: CatalogueCourse[] = courses.map((c) => ({
    id: c.id,
    slug: c.slug,
    title: c.title,
    axis: c.axis,
    objectives: c.objectives,
    durationHours: c.durationHours,
    memberCents: c.memberCents,
    publicCents: c.publicCents,
    fundedCents: c.fundedCents,
    opensPlotPath: c.opensPlotPath,
    sessions: c.sessions.map((s) => ({
      id: s.id,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      capacity: s.capacity,
      registrationDeadline: s.registrationDeadline,
      ...availability(s, input.now),
    })),
  }));
  return groupByAxis(cards, poleAxes(pole.axes));
}

/**
 * /formations/<slug>: a published course, its programme and its upcoming sessions (each part with its room and
 * times, seats left, the deadline). With a person, which sessions they already hold a seat in.
 */
export async function coursePage(
  client: Client,
  input: { poleId: string; slug: string; personId?: string; now: Date },
) {
  const course = await client.course.findFirst({
    where: { poleId: input.poleId, slug: input.slug, published: true },
    include: {
      sessions: {
        where: { status: { in: [...LIVE_SESSIONS] }, startsAt: { gt: input.now } },
        orderBy: { startsAt: "asc" },
        include: { parts: partsInclude },
        take: 20,
      },
    },
  });
  if (!course) return null;
  const mine = input.personId
    ? await client.registration.findMany({
        where: {
          personId: input.personId,
          sessionId: { in: course.sessions.map((s) => s.id) },
          status: { in: [...SEAT_HOLDING] },
        },
        select: { id: true, sessionId: true, status: true },
      })
    : [];
  const { sessions, ...programme } = course;
  return {
    course: programme,
    sessions: sessions.map((s) => ({
      id: s.id,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      capacity: s.capacity,
      registrationDeadline: s.registrationDeadline,
      status: s.status,
      parts: s.parts.map(partOf),
      ...availability(s, input.now),
      registrationId: mine.find((r) => r.sessionId === s.id)?.id ?? null,
    })),
  };
}

/** The session a sign-up form is about: of a published course of the pole, with its parts and availability. */
export async function sessionForSignUp(
  client: Client,
  input: { poleId: string; slug: string; sessionId: string; now: Date },
) {
  const session = await client.trainingSession.findFirst({
    where: { id: input.sessionId, poleId: input.poleId, course: { slug: input.slug, published: true } },
    include: { course: true, parts: partsInclude },
  });
  if (!session) return null;
  return { ...session, parts: session.parts.map(partOf), ...availability(session, input.now) };
}

/** The pole's organisations a trainee may name as their funder. */
export function poleFunders(client: Client, poleId: string) {
  return client.organisation.findMany({
    where: { poleId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, city: true },
  });
}

const registrationRowInclude = {
  session: { include: { course: true, parts: partsInclude } },
  funder: { select: { id: true, name: true } },
  certificate: { select: { id: true, number: true } },
  satisfaction: { select: { id: true } },
  _count: { select: { attendance: { where: { status: { in: [...ATTENDED] } } } } },
} as const satisfies Prisma.RegistrationInclude;

type RegistrationRow = Prisma.RegistrationGetPayload<{ include: typeof registrationRowInclude }>;

async function invoiceNumbers(client: Client, rows: { invoiceId: string | null }[]) {
  const ids = rows.flatMap((r) => (r.invoiceId ? [r.invoiceId] : []));
  if (!ids.length) return new Map<string, string>();
  const invoices = await client.invoice.findMany({ where: { id: { in: ids } }, select: { id: true, number: true } });
  return new Map(invoices.map((i) => [i.id, i.number]));
}

/** A registration as Mon compte lists it. */
function registrationView(r: RegistrationRow, invoices: Map<string, string>, now: Date) {
  const held = r.status === "HELD" && r.holdExpiresAt !== null && r.holdExpiresAt > now;
  return {
    id: r.id,
    status: r.status,
    held,
    holdExpiresAt: held ? r.holdExpiresAt : null,
    /** An offer from the waiting list, open until then. */
    offerExpiresAt: r.status === "OFFERED" && r.holdExpiresAt && r.holdExpiresAt > now ? r.holdExpiresAt : null,
    payer: r.payer,
    paymentMethod: r.paymentMethod,
    priceCents: r.priceCents,
    memberRate: r.memberRate,
    funder: r.funder,
    createdAt: r.createdAt,
    confirmedAt: r.confirmedAt,
    cancelledAt: r.cancelledAt,
    invoice: r.invoiceId ? { id: r.invoiceId, number: invoices.get(r.invoiceId) ?? "" } : null,
    certificate: r.certificate,
    satisfactionAnswered: Boolean(r.satisfaction),
    // The satisfaction form is for those who attended a delivered session (satisfaction.server.ts decides).
    satisfactionOpen: r.status === "CONFIRMED" && r.session.status === "DELIVERED" && r._count.attendance > 0,
    course: {
      id: r.session.course.id,
      slug: r.session.course.slug,
      title: r.session.course.title,
      fundedCents: r.session.course.fundedCents,
    },
    session: {
      id: r.session.id,
      status: r.session.status,
      startsAt: r.session.startsAt,
      endsAt: r.session.endsAt,
      deliveredAt: r.session.deliveredAt,
      cancelReason: r.session.cancelReason,
      parts: r.session.parts.map(partOf),
    },
  };
}

export type RegistrationView = ReturnType<typeof registrationView>;

/** Statuses Mon compte lists: a hold that lapsed unpaid is noise once gone. */
const LISTED: RegistrationStatus[] = ["HELD", "OFFERED", "CONFIRMED", "CANCELLED"];

/**
 * Mon compte › Mes formations: the person's registrations, upcoming (a live seat in a session not over yet, the
 * soonest first) and past (over, cancelled or lapsed: the latest first).
 */
export async function personRegistrations(client: Client, input: { poleId: string; personId: string; now: Date }) {
  const rows = await client.registration.findMany({
    where: { poleId: input.poleId, personId: input.personId, status: { in: LISTED } },
    include: registrationRowInclude,
    orderBy: { session: { startsAt: "asc" } },
    take: 500,
  });
  const invoices = await invoiceNumbers(client, rows);
  const views = rows.map((r) => registrationView(r, invoices, input.now));
  const live = (v: RegistrationView) =>
    (v.status === "CONFIRMED" || v.offerExpiresAt !== null || v.held) &&
    v.session.endsAt > input.now &&
    v.session.status !== "CANCELLED";
  // A hold that lapsed unpaid, or an offer unanswered (the sweep has not passed yet), is listed nowhere, as once
  // the sweep has made it EXPIRED.
  const lapsed = (v: RegistrationView) =>
    (v.status === "HELD" && !v.held) || (v.status === "OFFERED" && v.offerExpiresAt === null);
  return {
    upcoming: views.filter(live),
    past: views.filter((v) => !live(v) && !lapsed(v)).reverse(),
  };
}

/**
 * One registration of the person, with what its page shows: the session's parts and rooms, what was paid and
 * refunded, the funder, the pole's cancellation policy applied to it, and the other sessions of the course it
 * could move to. Another person's registration is null, like an unknown one.
 */
export async function personRegistration(
  client: Client,
  input: { poleId: string; personId: string; registrationId: string; now: Date },
) {
  const r = await client.registration.findFirst({
    where: { id: input.registrationId, poleId: input.poleId, personId: input.personId },
    include: {
      ...registrationRowInclude,
      payments: {
        where: { status: "SUCCEEDED" },
        orderBy: { createdAt: "asc" },
        include: { refunds: { orderBy: { createdAt: "asc" } } },
      },
    },
  });
  if (!r) return null;
  const invoices = await invoiceNumbers(client, [r]);
  const pole = await client.pole.findUniqueOrThrow({
    where: { id: input.poleId },
    select: {
      trainingCancelDays: true,
      trainingOfflineDays: true,
      legalName: true,
      addressLine: true,
      postalCode: true,
      city: true,
      bankIban: true,
      bankBic: true,
    },
  });
  const freeUntil = new Date(r.session.startsAt.getTime() - pole.trainingCancelDays * 86_400_000);
  const seatHolding = (SEAT_HOLDING as readonly string[]).includes(r.status);
  const otherSessions = await client.trainingSession.findMany({
    where: {
      courseId: r.session.courseId,
      id: { not: r.sessionId },
      status: { in: [...LIVE_SESSIONS] },
      registrationDeadline: { gt: input.now },
    },
    orderBy: { startsAt: "asc" },
    include: { parts: partsInclude },
    take: 10,
  });
  return {
    ...registrationView(r, invoices, input.now),
    payments: r.payments.map((p) => ({
      id: p.id,
      method: p.method,
      amountCents: p.amountCents,
      status: p.status,
      reference: p.reference,
      confirmedAt: p.confirmedAt,
      createdAt: p.createdAt,
      refunds: p.refunds.map((f) => ({ id: f.id, amountCents: f.amountCents, status: f.status })),
    })),
    policy: {
      cancelDays: pole.trainingCancelDays,
      offlineDays: pole.trainingOfflineDays,
      freeUntil,
      // What cancelling now would do: a person cancels until the start, free (everything paid back) until the
      // pole's deadline, later keeping nothing back (cancellation.server.ts decides; this only says it).
      cancellable: seatHolding && input.now < r.session.startsAt && r.session.status !== "CANCELLED",
      refundable: input.now < freeUntil,
    },
    payee: {
      legalName: pole.legalName,
      address: `${pole.addressLine}, ${pole.postalCode} ${pole.city}`,
      iban: pole.bankIban,
      bic: pole.bankBic,
    },
    otherSessions: otherSessions.map((s) => ({
      id: s.id,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      parts: s.parts.map(partOf),
      ...availability(s, input.now),
    })),
  };
}

/**
 * The parts of the person's confirmed registrations for their private calendar feed, with the cancelled ones of
 * the last month (so that calendars remove them). Read by the feed's route, which merges them with the bookings.
 */
export async function calendarTrainingParts(client: Client, input: { poleId: string; personId: string; now: Date }) {
  const since = new Date(input.now.getTime() - 30 * 86_400_000);
  const rows = await client.registration.findMany({
    where: {
      poleId: input.poleId,
      personId: input.personId,
      status: { in: ["CONFIRMED", "CANCELLED"] },
      // A cancelled registration appears only if it had been confirmed: a hold never reached the calendar.
      confirmedAt: { not: null },
      session: { endsAt: { gte: since } },
    },
    include: {
      session: {
        include: {
          course: { select: { title: true, slug: true } },
          parts: {
            where: { kind: "TRAINING" },
            orderBy: { startsAt: "asc" },
            select: { ...partsInclude.select, status: true, updatedAt: true },
          },
        },
      },
    },
    orderBy: { session: { startsAt: "asc" } },
    take: 200,
  });
  return rows.flatMap((r) =>
    r.session.parts.map((p, index) => ({
      id: `formation-${r.id}-${p.id}`,
      registrationId: r.id,
      startsAt: p.startsAt,
      endsAt: p.endsAt,
      cancelled: r.status === "CANCELLED" || p.status === "CANCELLED",
      course: r.session.course.title,
      slug: r.session.course.slug,
      part: r.session.parts.length > 1 ? `${index + 1}/${r.session.parts.length}` : null,
      room: p.resource.name,
      space: p.resource.space.name,
      updatedAt: [r.cancelledAt, p.updatedAt, r.confirmedAt].reduce<Date>(
        (latest, d) => (d && d > latest ? d : latest),
        p.updatedAt,
      ),
    })),
  );
}
