import type { Course, TrainingSession } from "~/generated/prisma/client";
import type { Cents } from "~/domain/money";
import { fail, ok, type Result } from "~/domain/result";
import { isUniqueViolation } from "~/utils/db-errors.server";
import { inTransaction, type Client } from "~/utils/db.server";

// The training catalogue (decision 020): courses with their programme and prices, and their dated sessions with
// a capacity, a minimum and a registration deadline.

export type CourseInput = {
  poleId: string;
  slug: string;
  title: string;
  axis?: string;
  objectives?: string;
  durationHours: number;
  memberCents: Cents;
  publicCents: Cents;
  fundedCents: Cents;
  opensPlotPath?: boolean;
};

export async function createCourse(client: Client, input: CourseInput): Promise<Result<Course>> {
  if (!Number.isInteger(input.durationHours) || input.durationHours < 1)
    return fail("DURATION", "La durée est un nombre entier d'heures, au moins 1.", { field: "durationHours" });
  try {
    return ok(await client.course.create({ data: input }));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return fail("SLUG_TAKEN", "Une autre formation du pôle a déjà cette adresse.", { field: "slug", status: 409 });
  }
}

export type SessionInput = {
  poleId: string;
  courseId: string;
  capacity: number;
  minimum: number;
  startsAt: Date;
  endsAt: Date;
  registrationDeadline: Date;
  now: Date;
};

/** A new session of a course: it ends after it starts, in the future, with a minimum its capacity can meet. */
export function scheduleSession(client: Client, input: SessionInput): Promise<Result<TrainingSession>> {
  return inTransaction(client, async (tx) => {
    const course = await tx.course.findFirst({ where: { id: input.courseId, poleId: input.poleId } });
    if (!course) return fail("NOT_FOUND", "Cette formation n'existe pas.", { status: 404 });
    if (input.endsAt <= input.startsAt)
      return fail("DATES", "La session doit finir après son début.", { field: "endsAt", status: 422 });
    if (input.startsAt <= input.now)
      return fail("PAST", "La session doit commencer dans le futur.", { field: "startsAt", status: 422 });
    if (input.registrationDeadline > input.startsAt)
      return fail("DEADLINE", "Les inscriptions ferment au plus tard au début de la session.", {
        field: "registrationDeadline",
        status: 422,
      });
    if (!Number.isInteger(input.capacity) || input.capacity < 1)
      return fail("CAPACITY", "La capacité est un nombre entier de places, au moins 1.", { field: "capacity" });
    if (!Number.isInteger(input.minimum) || input.minimum < 1 || input.minimum > input.capacity)
      return fail("MINIMUM", "Le minimum est un nombre entier entre 1 et la capacité.", { field: "minimum" });
    const { now: _now, ...data } = input;
    return ok(await tx.trainingSession.create({ data }));
  });
}
