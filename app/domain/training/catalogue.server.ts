import type { Course, TrainingSession } from "~/generated/prisma/client";
import type { z } from "zod";
import { fail, isRefusal, ok, type Result } from "~/domain/result";
import { isUniqueViolation } from "~/utils/db-errors.server";
import { reserveRoom } from "~/domain/booking/index.server";
import { inTransaction, type Client, type Tx } from "~/utils/db.server";
import { CourseSchema, type CourseData } from "./admin-schemas";

// The training catalogue (decision 020): courses with their programme and prices, and their dated sessions with
// a capacity, a minimum and a registration deadline.

export type CourseInput = { poleId: string } & CourseData;

/** A course's fields checked by the one schema the staff form also uses: the first problem, on its field. */
function checkCourse(input: CourseData): Result<z.output<typeof CourseSchema>> {
  const parsed = CourseSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const field = typeof issue.path[0] === "string" ? issue.path[0] : undefined;
  return fail(field === "durationHours" ? "DURATION" : "INVALID", issue.message, { field, status: 422 });
}

const slugTaken = () =>
  fail("SLUG_TAKEN", "Une autre formation du pôle a déjà cette adresse.", { field: "slug", status: 409 });

export async function createCourse(client: Client, input: CourseInput): Promise<Result<Course>> {
  const { poleId, ...fields } = input;
  const checked = checkCourse(fields);
  if (!checked.ok) return checked;
  try {
    return ok(await client.course.create({ data: { poleId, ...checked.value } }));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return slugTaken();
  }
}

/**
 * A course's programme, prices and publication changed. Registrations keep the price they were made at; a
 * changed address (slug) changes the course's public page address.
 */
export async function updateCourse(client: Client, input: CourseInput & { courseId: string }): Promise<Result<Course>> {
  const { poleId, courseId, ...fields } = input;
  const checked = checkCourse(fields);
  if (!checked.ok) return checked;
  try {
    const { count } = await client.course.updateMany({ where: { id: courseId, poleId }, data: checked.value });
    if (count === 0) return fail("NOT_FOUND", "Cette formation n'existe pas.", { status: 404 });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return slugTaken();
  }
  return ok(await client.course.findUniqueOrThrow({ where: { id: courseId } }));
}

export type PartInput = { resourceId: string; startsAt: Date; endsAt: Date };

export type SessionInput = {
  poleId: string;
  courseId: string;
  capacity: number;
  minimum: number;
  registrationDeadline: Date;
  /** The session's dated parts, each in a room of the pole (booked through the booking module). */
  parts: PartInput[];
  /** People of the pole who train it: they see and mark its attendance. */
  trainerIds?: string[];
  staffId?: string | null;
  now: Date;
};

const MAX_PARTS = 40;

/**
 * A new session of a course: parts in the future that do not overlap one another, each taking its room through
 * the booking module (a room already taken refuses the whole session), a minimum its capacity can meet,
 * registrations closing by its start, trainers who belong to the pole.
 */
export async function scheduleSession(client: Client, input: SessionInput): Promise<Result<TrainingSession>> {
  try {
    return await inTransaction(client, (tx) => schedule(tx, input));
  } catch (error) {
    // A room refused by the booking module rolled the whole session back.
    if (isRefusal(error)) return error.toFailure();
    throw error;
  }
}

async function schedule(tx: Tx, input: SessionInput): Promise<Result<TrainingSession>> {
  const course = await tx.course.findFirst({ where: { id: input.courseId, poleId: input.poleId } });
  if (!course) return fail("NOT_FOUND", "Cette formation n'existe pas.", { status: 404 });
  const parts = [...input.parts].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  if (parts.length === 0)
    return fail("NO_PARTS", "Ajoutez au moins une partie (date, horaires, salle).", { field: "parts" });
  if (parts.length > MAX_PARTS)
    return fail("TOO_MANY_PARTS", `Une session compte au plus ${MAX_PARTS} parties.`, { field: "parts" });
  for (const [i, part] of parts.entries()) {
    if (part.endsAt <= part.startsAt)
      return fail("DATES", "Chaque partie de la session doit finir après son début.", {
        field: "parts",
        status: 422,
      });
    if (part.startsAt <= input.now)
      return fail("PAST", "La session doit commencer dans le futur.", { field: "parts", status: 422 });
    if (i > 0 && part.startsAt < parts[i - 1].endsAt)
      return fail("PARTS_OVERLAP", "Deux parties de la session se chevauchent.", { field: "parts", status: 422 });
  }
  const startsAt = parts[0].startsAt;
  const endsAt = parts.reduce((end, p) => (p.endsAt > end ? p.endsAt : end), parts[0].endsAt);
  if (input.registrationDeadline > startsAt)
    return fail("DEADLINE", "Les inscriptions ferment au plus tard au début de la session.", {
      field: "registrationDeadline",
      status: 422,
    });
  if (!Number.isInteger(input.capacity) || input.capacity < 1)
    return fail("CAPACITY", "La capacité est un nombre entier de places, au moins 1.", { field: "capacity" });
  if (!Number.isInteger(input.minimum) || input.minimum < 1 || input.minimum > input.capacity)
    return fail("MINIMUM", "Le minimum est un nombre entier entre 1 et la capacité.", { field: "minimum" });
  const trainerIds = [...new Set(input.trainerIds ?? [])];
  const trainers = await tx.membership.count({ where: { poleId: input.poleId, personId: { in: trainerIds } } });
  if (trainers !== trainerIds.length)
    return fail("TRAINER", "Chaque formateur ou formatrice doit avoir un compte sur le pôle.", {
      field: "trainerIds",
    });
  const session = await tx.trainingSession.create({
    data: {
      poleId: input.poleId,
      courseId: course.id,
      capacity: input.capacity,
      minimum: input.minimum,
      registrationDeadline: input.registrationDeadline,
      startsAt,
      endsAt,
      trainers: { create: trainerIds.map((personId) => ({ personId })) },
    },
  });
  for (const part of parts) {
    await reserveRoom(tx, {
      poleId: input.poleId,
      resourceId: part.resourceId,
      trainingSessionId: session.id,
      startsAt: part.startsAt,
      endsAt: part.endsAt,
      label: `Formation — ${course.title}`,
      staffId: input.staffId ?? null,
      now: input.now,
    });
  }
  return ok(session);
}
