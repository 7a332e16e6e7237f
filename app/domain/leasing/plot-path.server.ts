import type { LeaseKind } from "~/generated/prisma/enums";
import { fail } from "~/domain/result";
import { plotPathCompletions } from "~/domain/training/index.server";
import type { Client } from "~/utils/db.server";

// From training to land (decision 020): where the pole says so, an espace-test lease goes only to someone who
// completed a course that opens the plot path. The queue passes over the others for such offers, and says why in
// their history; an offer made by hand is refused with the same reason.

export const TRAINING_REQUIRED_NOTE =
  "Pas d'offre d'espace-test : aucune formation du parcours d'installation suivie (exigée par le pôle).";

export const trainingRequired = () =>
  fail(
    "TRAINING_REQUIRED",
    "Un espace-test demande d'avoir suivi une formation du parcours d'installation : cette candidature ne peut pas encore recevoir d'offre.",
    { status: 409 },
  );

/** The applications among these that may not get an espace-test offer yet: their entries' ids. */
export async function lackingTraining(
  tx: Client,
  poleId: string,
  applications: { entryId: string; personId: string; leaseKind: LeaseKind }[],
): Promise<Set<string>> {
  const pole = await tx.pole.findUniqueOrThrow({ where: { id: poleId }, select: { espaceTestRequiresTraining: true } });
  const concerned = applications.filter((a) => a.leaseKind === "ESPACE_TEST");
  if (!pole.espaceTestRequiresTraining || concerned.length === 0) return new Set();
  const done = await plotPathCompletions(tx, { poleId, personIds: concerned.map((a) => a.personId) });
  return new Set(concerned.filter((a) => !done.has(a.personId)).map((a) => a.entryId));
}

export type TrainingPath = { courses: { course: string; completedAt: Date }[]; required: boolean; missing: boolean };

/** For each application (by id): the plot-path courses its person completed, and whether one is still required. */
export async function trainingPaths(
  tx: Client,
  poleId: string,
  applications: { id: string; personId: string; leaseKind: LeaseKind }[],
): Promise<Map<string, TrainingPath>> {
  const pole = await tx.pole.findUniqueOrThrow({ where: { id: poleId }, select: { espaceTestRequiresTraining: true } });
  const done = await plotPathCompletions(tx, { poleId, personIds: [...new Set(applications.map((a) => a.personId))] });
  return new Map(
    applications.map((a) => {
      const courses = (done.get(a.personId) ?? []).map(({ course, completedAt }) => ({ course, completedAt }));
      const required = pole.espaceTestRequiresTraining && a.leaseKind === "ESPACE_TEST";
      return [a.id, { courses, required, missing: required && courses.length === 0 }];
    }),
  );
}
