import { DateTime } from "luxon";
import type { AttendanceStatus, TrainingSession } from "~/generated/prisma/client";
import { fail, ok, type Result } from "~/domain/result";
import { inTransaction, type Client, type Tx } from "~/utils/db.server";
import { PARIS_TIME_ZONE } from "~/utils/format";
import { lockRow } from "~/utils/row-locks.server";
import { ATTENDANCE_STATUSES, type HalfDayPeriod } from "./attendance-labels";

// Attendance per half-day (decision 020). A session's half-days come from its parts: a part crossing 13:00 Paris
// counts twice, morning and afternoon, and two parts of one morning count once. Each half-day is known by the
// instant it starts (UTC), the key of Attendance.halfDayStart. Staff, or a trainer of the session, mark each
// confirmed registration PRESENT, LATE, ABSENT or EXCUSED once the half-day has begun and until the session is
// delivered; the session's row is locked first, so a mark and the session's closing never interleave.

export type Part = { startsAt: Date; endsAt: Date };

export type HalfDay = {
  /** The key: the instant the half-day starts (its first part's start, or 13:00 for the afternoon of a crossing part). */
  start: Date;
  /** The instant its last part ends (13:00 for the morning of a crossing part). */
  end: Date;
  /** Its day in Europe/Paris, "2027-03-15". */
  day: string;
  period: HalfDayPeriod;
};

/** 13:00 Paris on the Paris day of `instant`, whatever the offset that day (winter, summer, the switch). */
function parisOnePm(instant: Date) {
  return DateTime.fromJSDate(instant, { zone: PARIS_TIME_ZONE })
    .set({ hour: 13, minute: 0, second: 0, millisecond: 0 })
    .toJSDate();
}

const parisDay = (instant: Date) => DateTime.fromJSDate(instant, { zone: PARIS_TIME_ZONE }).toISODate()!;

/**
 * The session's half-days from its parts, in time order. A part that starts before 13:00 Paris and ends after it is
 * a morning (until 13:00) and an afternoon (from 13:00); parts of the same morning or afternoon make one half-day,
 * keyed by the earliest start. Pure: the key of every attendance mark.
 */
export function halfDaysOf(parts: readonly Part[]): HalfDay[] {
  const pieces: HalfDay[] = [];
  for (const part of parts) {
    if (!(part.endsAt > part.startsAt)) continue;
    const noon = parisOnePm(part.startsAt);
    const day = parisDay(part.startsAt);
    if (part.startsAt < noon && part.endsAt > noon) {
      pieces.push({ start: part.startsAt, end: noon, day, period: "MORNING" });
      pieces.push({ start: noon, end: part.endsAt, day, period: "AFTERNOON" });
    } else {
      pieces.push({
        start: part.startsAt,
        end: part.endsAt,
        day,
        period: part.startsAt < noon ? "MORNING" : "AFTERNOON",
      });
    }
  }
  const merged = new Map<string, HalfDay>();
  for (const piece of pieces) {
    const id = `${piece.day}:${piece.period}`;
    const known = merged.get(id);
    if (!known) merged.set(id, { ...piece });
    else {
      if (piece.start < known.start) known.start = piece.start;
      if (piece.end > known.end) known.end = piece.end;
    }
  }
  return [...merged.values()].sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** The attendance rule of a certificate: at least 80 % of the half-days present or late. */
export const CERTIFICATE_THRESHOLD_PERCENT = 80;
export const ATTENDED: readonly AttendanceStatus[] = ["PRESENT", "LATE"];

/** Whether `attended` half-days of `total` meet the rule (a session without half-days gives none). */
export const meetsAttendanceRule = (attended: number, total: number) =>
  total > 0 && attended * 100 >= CERTIFICATE_THRESHOLD_PERCENT * total;

export type Actor = { personId: string; staff: boolean };

const collator = new Intl.Collator("fr", { sensitivity: "base", numeric: true });

/** Registrations in the order of their people's names as French sorts them ("Élodie" before "Gaëlle"). */
export const byPersonName = <T extends { id: string; person: { name: string } }>(rows: T[]) =>
  [...rows].sort((a, b) => collator.compare(a.person.name, b.person.name) || (a.id < b.id ? -1 : 1));

/** The session's parts: its rooms' bookings, still confirmed. */
export const sessionParts = (client: Client, sessionId: string) =>
  client.booking.findMany({
    where: { trainingSessionId: sessionId, kind: "TRAINING", status: "CONFIRMED" },
    orderBy: { startsAt: "asc" },
    include: { resource: { select: { name: true } } },
  });

/** When the session's last part ends (its own end when it has no part left). */
export const lastPartEnd = (session: Pick<TrainingSession, "endsAt">, parts: readonly Part[]) =>
  parts.reduce((end, p) => (p.endsAt > end ? p.endsAt : end), parts.length ? parts[0].endsAt : session.endsAt);

/** Whether the person trains the session (SessionTrainer). */
export async function isSessionTrainer(client: Client, input: { sessionId: string; personId: string }) {
  const trainer = await client.sessionTrainer.findUnique({
    where: { sessionId_personId: { sessionId: input.sessionId, personId: input.personId } },
    select: { id: true },
  });
  return Boolean(trainer);
}

/**
 * The session, for someone who may see and mark its attendance: staff, or one of its trainers. An unknown session
 * is a 404; anyone else is a 403.
 */
export async function sessionForActor(
  client: Client,
  input: { poleId: string; sessionId: string; actor: Actor },
): Promise<Result<TrainingSession & { course: { title: string } }>> {
  const session = await client.trainingSession.findFirst({
    where: { id: input.sessionId, poleId: input.poleId },
    include: { course: { select: { title: true } } },
  });
  if (!session) return fail("NOT_FOUND", "Cette session n'existe pas.", { status: 404 });
  if (
    !input.actor.staff &&
    !(await isSessionTrainer(client, { sessionId: session.id, personId: input.actor.personId }))
  )
    return fail("FORBIDDEN", "Seuls l'équipe du pôle et les formateurs de cette session notent ses présences.", {
      status: 403,
    });
  return ok(session);
}

export type AttendanceMark = { registrationId: string; halfDayStart: Date; status: AttendanceStatus };

export type MarkAttendanceInput = {
  poleId: string;
  sessionId: string;
  marks: AttendanceMark[];
  actor: Actor;
  now: Date;
};

/** At most this many marks in one call: every registration of a long session, with room to spare. */
const MAX_MARKS = 2_000;

/**
 * Records attendance marks of a session (upserted on the registration and half-day). Refused as a whole, nothing
 * written, for someone who is neither staff nor a trainer of the session, a session cancelled or delivered, a
 * person not registered (confirmed) in it, a half-day not of it or not begun yet.
 */
export function markAttendance(client: Client, input: MarkAttendanceInput): Promise<Result<{ marked: number }>> {
  return inTransaction(client, async (tx) => {
    if (!(await lockRow(tx, "TrainingSession", { id: input.sessionId, poleId: input.poleId })))
      return fail("NOT_FOUND", "Cette session n'existe pas.", { status: 404 });
    const access = await sessionForActor(tx, input);
    if (!access.ok) return access;
    const session = access.value;
    const closed = sessionClosed(session);
    if (closed) return closed;
    if (input.marks.length === 0)
      return fail("NO_MARKS", "Indiquez au moins une présence à enregistrer.", { field: "status" });
    if (input.marks.length > MAX_MARKS)
      return fail("TOO_MANY_MARKS", "Trop de présences en un seul envoi.", { field: "status" });
    const halfDays = halfDaysOf(await sessionParts(tx, session.id));
    const known = new Map(halfDays.map((h) => [h.start.getTime(), h]));
    const registrations = new Set(
      (
        await tx.registration.findMany({
          where: { sessionId: session.id, status: "CONFIRMED", id: { in: input.marks.map((m) => m.registrationId) } },
          select: { id: true },
        })
      ).map((r) => r.id),
    );
    const seen = new Set<string>();
    for (const mark of input.marks) {
      const refusal = markRefusal(mark, { known, registrations, now: input.now });
      if (refusal) return refusal;
      const key = `${mark.registrationId}:${mark.halfDayStart.getTime()}`;
      if (seen.has(key)) return fail("DUPLICATE_MARK", "La même présence est indiquée deux fois.", { field: "status" });
      seen.add(key);
    }
    for (const mark of input.marks) {
      await tx.attendance.upsert({
        where: {
          registrationId_halfDayStart: { registrationId: mark.registrationId, halfDayStart: mark.halfDayStart },
        },
        create: {
          registrationId: mark.registrationId,
          halfDayStart: mark.halfDayStart,
          status: mark.status,
          markedById: input.actor.personId,
          markedAt: input.now,
        },
        update: { status: mark.status, markedById: input.actor.personId, markedAt: input.now },
      });
    }
    return ok({ marked: input.marks.length });
  });
}

function markRefusal(
  mark: AttendanceMark,
  context: { known: Map<number, HalfDay>; registrations: Set<string>; now: Date },
) {
  if (!(ATTENDANCE_STATUSES as readonly string[]).includes(mark.status))
    return fail("STATUS", "Choisissez présent·e, en retard, absent·e ou excusé·e.", { field: "status" });
  if (!context.registrations.has(mark.registrationId))
    return fail("NOT_REGISTERED", "Cette personne n'est pas inscrite à cette session.", {
      field: "registrationId",
      status: 422,
    });
  const time = mark.halfDayStart.getTime();
  const halfDay = Number.isNaN(time) ? undefined : context.known.get(time);
  if (!halfDay)
    return fail("NOT_A_HALF_DAY", "Cette demi-journée n'appartient pas à la session.", {
      field: "halfDayStart",
      status: 422,
    });
  if (halfDay.start > context.now)
    return fail(
      "NOT_BEGUN",
      "Cette demi-journée n'a pas encore commencé : sa présence se note à partir de son début.",
      {
        field: "halfDayStart",
        status: 409,
      },
    );
  return null;
}

/** A cancelled or delivered session takes no more marks. */
function sessionClosed(session: Pick<TrainingSession, "status">) {
  if (session.status === "CANCELLED")
    return fail("CANCELLED", "Cette session est annulée : il n'y a pas de présences à noter.", { status: 409 });
  if (session.status === "DELIVERED")
    return fail("DELIVERED", "Cette session est close : ses présences ne se modifient plus.", { status: 409 });
  return null;
}

export type AttendanceBoard = Awaited<ReturnType<typeof boardOf>>;

/**
 * What the attendance page shows: the session, its half-days (begun or not), each confirmed registration with its
 * marks and its certificate, and whether staff may close the session now. For staff and the session's trainers.
 */
export async function attendanceBoard(
  client: Client,
  input: { poleId: string; sessionId: string; actor: Actor; now: Date },
): Promise<Result<AttendanceBoard>> {
  const access = await sessionForActor(client, input);
  if (!access.ok) return access;
  return ok(await boardOf(client, access.value, input.now));
}

async function boardOf(client: Client, session: TrainingSession & { course: { title: string } }, now: Date) {
  const parts = await sessionParts(client, session.id);
  const halfDays = halfDaysOf(parts);
  const registrations = byPersonName(
    await client.registration.findMany({
      where: { sessionId: session.id, status: "CONFIRMED" },
      include: {
        person: { select: { name: true, organisationName: true } },
        funder: { select: { name: true } },
        attendance: { select: { halfDayStart: true, status: true } },
        certificate: { select: { number: true } },
      },
    }),
  );
  const keys = new Set(halfDays.map((h) => h.start.getTime()));
  const lastEnd = lastPartEnd(session, parts);
  const open = session.status === "SCHEDULED" || session.status === "CONFIRMED";
  const rows = registrations.map((r) => {
    const marks = new Map(
      r.attendance.filter((a) => keys.has(a.halfDayStart.getTime())).map((a) => [a.halfDayStart.getTime(), a.status]),
    );
    const attended = [...marks.values()].filter((s) => ATTENDED.includes(s)).length;
    return {
      registrationId: r.id,
      name: r.person.name,
      organisation: r.funder?.name ?? r.person.organisationName ?? null,
      marks: halfDays.map((h) => marks.get(h.start.getTime()) ?? null),
      attended,
      eligible: meetsAttendanceRule(attended, halfDays.length),
      certificate: r.certificate?.number ?? null,
    };
  });
  const begun = halfDays.filter((h) => h.start <= now);
  return {
    session: {
      id: session.id,
      status: session.status,
      course: session.course.title,
      startsAt: session.startsAt,
      endsAt: lastEnd,
      deliveredAt: session.deliveredAt,
      rooms: [...new Set(parts.map((p) => p.resource.name))],
    },
    halfDays: halfDays.map((h) => ({ ...h, begun: h.start <= now })),
    rows,
    open,
    /** Staff may close it: open, and its last part has ended. */
    deliverable: open && now >= lastEnd,
    /** Marks still missing on the half-days already begun. */
    unmarked: rows.reduce((sum, r) => sum + r.marks.filter((m, i) => m === null && halfDays[i].start <= now).length, 0),
    begunCount: begun.length,
  };
}

/** Locks the session of the pole and re-reads it (the first lock of every change to a session). */
export async function lockSession(tx: Tx, input: { poleId: string; sessionId: string }) {
  if (!(await lockRow(tx, "TrainingSession", { id: input.sessionId, poleId: input.poleId }))) return null;
  return tx.trainingSession.findUniqueOrThrow({ where: { id: input.sessionId }, include: { course: true } });
}
