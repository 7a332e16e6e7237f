import { beforeEach, describe, expect, it } from "vitest";
import { declineOffer, offerPlot, submitApplication } from "~/domain/leasing/index.server";
import { isoDate } from "~/domain/ledger/dates";
import { entryHistory } from "~/domain/waitlist/index.server";
import { db } from "~/utils/db.server";
import { createLandTerms, createPerson, createPlot, createPole } from "../factories";
import { resetDatabase } from "../helpers";
import { createTrainingCourse, createTrainingSession } from "../training-factories";

// From training to land (issue 15, decision 020): where the pole requires it, an espace-test lease goes only to
// someone who completed a course opening the plot path; the queue passes over the others and says why.

const NOW = new Date("2027-03-01T08:00:00Z");
const TODAY = isoDate("2027-03-01");
let poleId: string;
let staffId: string;
let plotId: string;
let keys = 0;

async function apply(personId: string) {
  const made = await submitApplication(db, {
    poleId,
    personId,
    plotIds: [plotId],
    minSurfaceM2: null,
    project: "Maraîchage diversifié en espace-test.",
    experience: "",
    desiredStartOn: TODAY,
    leaseKind: "ESPACE_TEST",
    idempotencyKey: `app-${++keys}`,
    today: TODAY,
    now: NOW,
  });
  if (!made.ok) throw new Error(made.message);
  return made.value;
}

const offerTo = (applicationId: string) =>
  offerPlot(db, {
    poleId,
    applicationId,
    plotId,
    startsOn: TODAY,
    endsOn: isoDate("2028-03-01"),
    frequency: "QUARTERLY",
    staffId,
    idempotencyKey: `offer-${++keys}`,
    now: NOW,
  });

/** The person completed the plot-path course: a delivered session, their registration and its certificate. */
async function completedCourse(personId: string, sessionId: string) {
  const registration = await db.registration.create({
    data: { poleId, sessionId, personId, status: "CONFIRMED", priceCents: 0, idempotencyKey: `done-${++keys}` },
  });
  await db.certificate.create({
    data: {
      poleId,
      registrationId: registration.id,
      number: `ATT-2027-${keys}`,
      halfDaysPresent: 2,
      halfDaysTotal: 2,
      issuedAt: NOW,
    },
  });
}

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  await db.pole.update({ where: { id: poleId }, data: { espaceTestRequiresTraining: true } });
  await createLandTerms(db, { poleId, year: 2027 });
  plotId = (await createPlot(db, { poleId, code: "ET1", surfaceM2: 5_000, rentPerHectareCents: 15_000 })).id;
  staffId = (await createPerson(db, { poleId, role: "STAFF" })).id;
});

describe("the path from a course to a test plot", () => {
  it("offers an espace-test only to applicants who completed the course, and notes why in the others' history", async () => {
    const course = await createTrainingCourse(db, { poleId, title: "Parcours installation", opensPlotPath: true });
    const past = await createTrainingSession(db, {
      poleId,
      courseId: course.id,
      now: new Date("2027-01-01T08:00:00Z"),
    });
    await db.trainingSession.update({ where: { id: past.id }, data: { status: "DELIVERED" } });
    const [untrained, trained, first] = [
      await createPerson(db, { poleId, name: "Sans formation" }),
      await createPerson(db, { poleId, name: "Formée" }),
      await createPerson(db, { poleId, name: "Première" }),
    ];
    await completedCourse(trained.id, past.id);
    await completedCourse(first.id, past.id);
    const untrainedApp = await apply(untrained.id);
    const trainedApp = await apply(trained.id);
    const firstApp = await apply(first.id);

    // By hand: refused for the applicant without the course, with the reason.
    expect(await offerTo(untrainedApp.id)).toMatchObject({ ok: false, code: "TRAINING_REQUIRED", status: 409 });
    const offered = await offerTo(firstApp.id);
    if (!offered.ok) throw new Error(offered.message);
    // Declined: the queue passes over the untrained applicant (ahead in the queue) to the trained one.
    await declineOffer(db, { poleId, leaseId: offered.value.lease.id, personId: first.id, now: NOW });
    const next = await db.lease.findFirstOrThrow({ where: { plotId, status: "OFFERED" } });
    expect(next.applicationId).toBe(trainedApp.id);
    const history = await entryHistory(db, untrainedApp.entryId);
    expect(history.filter((e) => e.kind === "NOTE").map((e) => e.note)).toEqual([
      expect.stringContaining("aucune formation du parcours d'installation suivie"),
    ]);
  });

  it("does not ask for the course when the pole does not, nor for other lease kinds", async () => {
    await db.pole.update({ where: { id: poleId }, data: { espaceTestRequiresTraining: false } });
    const person = await createPerson(db, { poleId });
    const application = await apply(person.id);
    expect((await offerTo(application.id)).ok).toBe(true);
  });
});
