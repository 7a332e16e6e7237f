import type { Prisma, RegistrationPayer, RegistrationStatus, Role } from "~/generated/prisma/client";
import { parisDate } from "~/domain/ledger/index.server";
import { csvAmount, csvDocument, frenchDate } from "~/utils/csv";
import type { Client } from "~/utils/db.server";
import { formatCents, formatDate } from "~/utils/format";
import { registrationRef } from "./payment.server";
import { SEAT_HOLDING } from "./registrations.server";
import {
  FUNDER_TYPE_LABELS,
  PAYER_LABELS,
  PAYMENT_METHOD_LABELS,
  rateLabel,
  REGISTRATION_STATUS_LABELS,
  type SessionWhen,
  TRAINEE_TYPE_LABELS,
} from "./staff-labels";

// What staff read of trainings: the courses with their upcoming sessions, the sessions with their seats and
// parts, one session with its registrations (and what cancelling it would refund), the CSV of its registrations,
// the rooms and people the session form offers, and the figures of the back office's home. Seats are read from
// the session's own counter (`seatsTaken`), never recounted here.

/** Sessions still to come or running: scheduled or confirmed, not ended yet. */
const upcoming = (now: Date): Prisma.TrainingSessionWhereInput => ({
  status: { in: ["SCHEDULED", "CONFIRMED"] },
  endsAt: { gt: now },
});

/** The pole's courses (published first, then drafts, by title) with how many sessions each has to come. */
export async function staffCourses(client: Client, poleId: string, now: Date) {
  const [courses, counts] = await Promise.all([
    client.course.findMany({
      where: { poleId },
      orderBy: [{ published: "desc" }, { title: "asc" }],
      include: { _count: { select: { sessions: true } } },
    }),
    client.trainingSession.groupBy({
      by: ["courseId"],
      where: { poleId, ...upcoming(now) },
      _count: { _all: true },
    }),
  ]);
  const upcomingOf = new Map(counts.map((c) => [c.courseId, c._count._all]));
  return courses.map((c) => ({ ...c, sessions: c._count.sessions, upcomingSessions: upcomingOf.get(c.id) ?? 0 }));
}

const partsInclude = {
  where: { kind: "TRAINING" },
  orderBy: { startsAt: "asc" },
  select: {
    id: true,
    startsAt: true,
    endsAt: true,
    status: true,
    resource: { select: { id: true, name: true, space: { select: { name: true } } } },
  },
} satisfies Prisma.TrainingSession$partsArgs;

/**
 * The pole's sessions (of one course, or all), with their parts in rooms and how their taken seats split between
 * confirmed, held while paying and offered from the waiting list. Upcoming ones soonest first; past ones latest
 * first.
 */
export async function staffSessions(
  client: Client,
  input: { poleId: string; courseId?: string; when: SessionWhen; now: Date },
) {
  const where: Prisma.TrainingSessionWhereInput = {
    poleId: input.poleId,
    ...(input.courseId ? { courseId: input.courseId } : {}),
    ...(input.when === "upcoming"
      ? upcoming(input.now)
      : input.when === "past"
        ? { OR: [{ endsAt: { lte: input.now } }, { status: { in: ["CANCELLED", "DELIVERED"] } }] }
        : {}),
  };
  const sessions = await client.trainingSession.findMany({
    where,
    orderBy: { startsAt: input.when === "upcoming" ? "asc" : "desc" },
    take: 300,
    include: {
      course: { select: { id: true, title: true, slug: true } },
      parts: partsInclude,
      _count: { select: { trainers: true } },
    },
  });
  const breakdown = await seatBreakdown(
    client,
    sessions.map((s) => s.id),
  );
  return sessions.map((s) => ({ ...s, seats: breakdown.get(s.id) ?? emptyBreakdown() }));
}

const emptyBreakdown = () => ({ CONFIRMED: 0, HELD: 0, OFFERED: 0 }) as Record<(typeof SEAT_HOLDING)[number], number>;

/** Per session, its seat-holding registrations by status (one grouped count). */
async function seatBreakdown(client: Client, sessionIds: string[]) {
  const groups = sessionIds.length
    ? await client.registration.groupBy({
        by: ["sessionId", "status"],
        where: { sessionId: { in: sessionIds }, status: { in: [...SEAT_HOLDING] } },
        _count: { _all: true },
      })
    : [];
  const bySession = new Map<string, ReturnType<typeof emptyBreakdown>>();
  for (const g of groups) {
    const counts = bySession.get(g.sessionId) ?? emptyBreakdown();
    counts[g.status as (typeof SEAT_HOLDING)[number]] = g._count._all;
    bySession.set(g.sessionId, counts);
  }
  return bySession;
}

/** One session of the pole for its staff page, or null. */
export async function staffSession(client: Client, input: { poleId: string; sessionId: string }) {
  const session = await client.trainingSession.findFirst({
    where: { id: input.sessionId, poleId: input.poleId },
    include: {
      course: true,
      parts: partsInclude,
      trainers: { include: { person: { select: { id: true, name: true, email: true } } } },
    },
  });
  if (!session) return null;
  const decidedBy = session.decidedById
    ? await client.person.findUnique({ where: { id: session.decidedById }, select: { name: true } })
    : null;
  const seats = (await seatBreakdown(client, [session.id])).get(session.id) ?? emptyBreakdown();
  return { ...session, decidedBy: decidedBy?.name ?? null, seats };
}

export type RegistrationFilter = {
  poleId: string;
  sessionId: string;
  status?: RegistrationStatus;
  payer?: RegistrationPayer;
  /** Part of the trainee's name or email. */
  q?: string;
};

function registrationWhere(f: RegistrationFilter): Prisma.RegistrationWhereInput {
  return {
    poleId: f.poleId,
    sessionId: f.sessionId,
    ...(f.status ? { status: f.status } : {}),
    ...(f.payer ? { payer: f.payer } : {}),
    ...(f.q
      ? {
          person: {
            OR: [{ name: { contains: f.q, mode: "insensitive" } }, { email: { contains: f.q, mode: "insensitive" } }],
          },
        }
      : {}),
  };
}

/** A session's registrations of the filter, live ones first (by sign-up), with their money and invoice. */
export async function sessionRegistrations(client: Client, filter: RegistrationFilter) {
  const rows = await client.registration.findMany({
    where: registrationWhere(filter),
    include: {
      person: { select: { id: true, name: true, email: true } },
      funder: { select: { id: true, name: true } },
      payments: {
        where: { status: "SUCCEEDED" },
        orderBy: { createdAt: "asc" },
        include: { refunds: { orderBy: { createdAt: "asc" } } },
      },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 2000,
  });
  const invoiceIds = rows.flatMap((r) => (r.invoiceId ? [r.invoiceId] : []));
  const grantedIds = [...new Set(rows.flatMap((r) => (r.grantedById ? [r.grantedById] : [])))];
  const [invoices, granters] = await Promise.all([
    invoiceIds.length
      ? client.invoice.findMany({ where: { id: { in: invoiceIds } }, select: { id: true, number: true } })
      : [],
    grantedIds.length
      ? client.person.findMany({ where: { id: { in: grantedIds } }, select: { id: true, name: true } })
      : [],
  ]);
  const invoiceNumber = new Map(invoices.map((i) => [i.id, i.number]));
  const granterName = new Map(granters.map((p) => [p.id, p.name]));
  const live = (s: RegistrationStatus) => (SEAT_HOLDING as readonly string[]).includes(s);
  return rows
    .map((r) => ({
      ...r,
      invoiceNumber: r.invoiceId ? (invoiceNumber.get(r.invoiceId) ?? null) : null,
      grantedBy: r.grantedById ? (granterName.get(r.grantedById) ?? null) : null,
      paidCents: r.payments.reduce((sum, p) => sum + p.amountCents, 0),
      pendingRefunds: r.payments.flatMap((p) =>
        p.refunds
          .filter((f) => f.status !== "SUCCEEDED" && (p.method !== "STRIPE" || f.status === "FAILED"))
          .map((f) => ({ ...f, method: p.method })),
      ),
    }))
    .sort((a, b) => Number(live(b.status)) - Number(live(a.status)));
}

/** How many of a session's registrations are in each state (the filter's labels). */
export async function registrationCounts(client: Client, sessionId: string) {
  const groups = await client.registration.groupBy({ by: ["status"], where: { sessionId }, _count: { _all: true } });
  return Object.fromEntries(groups.map((g) => [g.status, g._count._all])) as Partial<
    Record<RegistrationStatus, number>
  >;
}

/**
 * What cancelling the session would do to each live registration, as cancelSession will do it: a card payment
 * refunded through Stripe, money received by transfer, cheque or cash listed for staff to repay, a funder's unpaid
 * invoice cancelled by a credit note, a seat held or given freed with nothing to give back.
 */
export async function cancelPreview(client: Client, input: { poleId: string; sessionId: string }) {
  const live = await client.registration.findMany({
    where: { poleId: input.poleId, sessionId: input.sessionId, status: { in: [...SEAT_HOLDING] } },
    include: {
      person: { select: { name: true, email: true } },
      funder: { select: { name: true } },
      payments: { where: { status: "SUCCEEDED" }, select: { method: true, amountCents: true } },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  let cardCents = 0;
  let offlineCents = 0;
  let creditNotes = 0;
  const rows = live.map((r) => {
    if (r.status !== "CONFIRMED")
      return { id: r.id, person: r.person.name, status: r.status, outcome: "Place libérée, rien n'avait été payé." };
    const card = r.payments.filter((p) => p.method === "STRIPE").reduce((s, p) => s + p.amountCents, 0);
    const offline = r.payments.filter((p) => p.method !== "STRIPE");
    const offlineSum = offline.reduce((s, p) => s + p.amountCents, 0);
    cardCents += card;
    offlineCents += offlineSum;
    const said: string[] = [];
    if (card > 0) said.push(`${formatCents(card)} remboursés sur la carte (Stripe)`);
    if (offlineSum > 0)
      said.push(
        `${formatCents(offlineSum)} à rembourser par l'équipe (${offline.map((p) => PAYMENT_METHOD_LABELS[p.method]?.toLowerCase()).join(", ")})`,
      );
    if (r.payments.length === 0 && r.invoiceId) {
      creditNotes += 1;
      said.push(`facture${r.funder ? ` de ${r.funder.name}` : ""} annulée par un avoir`);
    }
    if (said.length === 0) said.push(r.grantedById ? "Place offerte : rien à rembourser." : "Rien à rembourser.");
    return { id: r.id, person: r.person.name, status: r.status, outcome: capitalise(said.join(" ; ")) };
  });
  return { rows, cardCents, offlineCents, creditNotes };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const REGISTRATIONS_CSV_HEADER = [
  "Référence",
  "Stagiaire",
  "Email",
  "Statut",
  "Inscrit·e le",
  "Confirmée le",
  "Payeur",
  "Financeur",
  "Type de financeur",
  "Type de stagiaire",
  "Tarif",
  "Prix",
  "Réglé",
  "Paiement",
  "Référence du paiement",
  "Facture",
  "Place offerte par",
  "Raison",
  "Annulée le",
] as const;

const day = (value: Date | null) => (value ? frenchDate(parisDate(value)) : "");

/** Every registration of the filter, oldest first (UTF-8 with BOM, ";" separators, French dates and amounts). */
export async function registrationsCsv(client: Client, filter: RegistrationFilter) {
  const rows = await sessionRegistrations(client, filter);
  rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  return csvDocument(
    REGISTRATIONS_CSV_HEADER,
    rows.map((r) => [
      registrationRef(r),
      r.person.name,
      r.person.email,
      REGISTRATION_STATUS_LABELS[r.status],
      `${day(r.createdAt)} ${formatDate(r.createdAt, "time")}`,
      day(r.confirmedAt),
      PAYER_LABELS[r.payer],
      r.funder?.name ?? "",
      FUNDER_TYPE_LABELS[r.funderType],
      TRAINEE_TYPE_LABELS[r.traineeType],
      rateLabel(r),
      csvAmount(r.priceCents),
      csvAmount(r.paidCents),
      r.paymentMethod ? (PAYMENT_METHOD_LABELS[r.paymentMethod] ?? r.paymentMethod) : "",
      r.payments
        .map((p) => p.reference ?? p.stripePaymentIntentId ?? "")
        .filter(Boolean)
        .join(", "),
      r.invoiceNumber ?? "",
      r.grantedBy ?? "",
      r.grantReason ?? "",
      day(r.cancelledAt),
    ]),
  );
}

/** The pole's rooms by space (closed-to-booking ones too: a training may still use them), for the parts' select. */
export function trainingRooms(client: Client, poleId: string) {
  return client.space.findMany({
    where: { poleId, resources: { some: { kind: "ROOM" } } },
    orderBy: [{ position: "asc" }, { name: "asc" }],
    select: {
      id: true,
      name: true,
      resources: {
        where: { kind: "ROOM" },
        orderBy: [{ position: "asc" }, { name: "asc" }],
        select: { id: true, name: true, active: true, capacity: true },
      },
    },
  });
}

const ROLE_RANK: Record<Role, number> = { ADMIN: 0, STAFF: 0, MEMBER: 1, USER: 2 };
export const PEOPLE_LIMIT = 300;

/**
 * People of the pole to choose from (trainers, a seat given by hand): the team first, then members, then everyone
 * else, by name; narrowed by part of a name or an email.
 */
export async function polePeople(client: Client, poleId: string, q?: string) {
  const memberships = await client.membership.findMany({
    where: {
      poleId,
      ...(q
        ? {
            person: {
              OR: [{ name: { contains: q, mode: "insensitive" } }, { email: { contains: q, mode: "insensitive" } }],
            },
          }
        : {}),
    },
    select: { role: true, person: { select: { id: true, name: true, email: true } } },
    orderBy: { person: { name: "asc" } },
    take: 2000,
  });
  return memberships
    .sort((a, b) => ROLE_RANK[a.role] - ROLE_RANK[b.role] || a.person.name.localeCompare(b.person.name, "fr"))
    .slice(0, PEOPLE_LIMIT)
    .map((m) => ({ ...m.person, role: m.role }));
}

/** The back office home's training figures: sessions to come, their seats, and those waiting for a decision. */
export async function trainingFigures(client: Client, poleId: string, now: Date) {
  const [seats, underMinimum] = await Promise.all([
    client.trainingSession.aggregate({
      where: { poleId, ...upcoming(now) },
      _count: { _all: true },
      _sum: { seatsTaken: true, capacity: true },
    }),
    client.trainingSession.count({ where: { poleId, status: "SCHEDULED", underMinimumAt: { not: null } } }),
  ]);
  return {
    upcomingSessions: seats._count._all,
    seatsTaken: seats._sum.seatsTaken ?? 0,
    capacity: seats._sum.capacity ?? 0,
    underMinimum,
  };
}

type StaffSessionRow = Awaited<ReturnType<typeof staffSessions>>[number];

/** A session as the staff tables show it (dates as ISO strings, parts with their room). */
export function sessionRow(s: StaffSessionRow) {
  return {
    id: s.id,
    course: s.course.title,
    courseId: s.course.id,
    status: s.status,
    underMinimum: Boolean(s.underMinimumAt),
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    registrationDeadline: s.registrationDeadline.toISOString(),
    capacity: s.capacity,
    minimum: s.minimum,
    seatsTaken: s.seatsTaken,
    seats: s.seats,
    trainers: s._count.trainers,
    parts: s.parts.map(partView),
  };
}

export const partView = (p: StaffSessionRow["parts"][number]) => ({
  id: p.id,
  startsAt: p.startsAt.toISOString(),
  endsAt: p.endsAt.toISOString(),
  status: p.status,
  room: p.resource.name,
  space: p.resource.space.name,
});
