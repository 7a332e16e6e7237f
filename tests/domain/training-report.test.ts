import { beforeEach, describe, expect, it } from "vitest";
import { isoDate } from "~/domain/ledger/dates";
import { post, reverse } from "~/domain/ledger/index.server";
import {
  cancelRegistration,
  confirmFunding,
  confirmRegistrationPayment,
  grantSeat,
  recogniseRegistration,
  reportCsv,
  requestFunding,
  yearlyReport,
} from "~/domain/training/index.server";
import { cents } from "~/domain/money";
import { db, inTransaction } from "~/utils/db.server";
import { createOrganisation, createPerson, createPole } from "../factories";
import { resetDatabase } from "../helpers";
import { createTrainingCourse, createTrainingSession, holdSeat } from "../training-factories";

// The yearly report (bilan pédagogique et financier, decision 020): trainees and hours × trainees by trainee type
// from the confirmed registrations of sessions delivered in the year, revenue by funder type from the TRAINING
// lines on 706200 joined back to their registration by the delivery entry's source key, and per course.
// Delivering is done here by setting the session DELIVERED and recognising each registration (deliverSession is
// written elsewhere); what a session not delivered, a registration never paid or cancelled, or another year has
// must not count.

const NOW = new Date("2027-03-01T08:00:00Z");
const DELIVERED_AT = new Date("2027-03-20T10:00:00Z");
let poleId: string;
let staffId: string;

async function deliver(sessionId: string, at = DELIVERED_AT) {
  await db.trainingSession.update({ where: { id: sessionId }, data: { status: "DELIVERED", deliveredAt: at } });
  const confirmed = await db.registration.findMany({ where: { sessionId, status: "CONFIRMED" } });
  for (const r of confirmed) await inTransaction(db, (tx) => recogniseRegistration(tx, r.id, at));
}

async function paidOffline(sessionId: string, personId: string, now = NOW) {
  const held = await holdSeat(db, { poleId, sessionId, personId, now });
  const paid = await confirmRegistrationPayment(db, {
    poleId,
    registrationId: held.id,
    method: "TRANSFER",
    reference: `VIR-${held.id.slice(-4)}`,
    staffId,
    now,
  });
  if (!paid.ok) throw new Error(paid.message);
  return held.id;
}

async function funded(sessionId: string, personId: string, funderType: "OPCO" | "EMPLOYER") {
  const held = await holdSeat(db, { poleId, sessionId, personId, now: NOW });
  const funder = await createOrganisation(db, { poleId, name: `Financeur ${funderType}` });
  const asked = await requestFunding(db, {
    poleId,
    registrationId: held.id,
    personId,
    funderId: funder.id,
    funderType,
    traineeType: "EMPLOYEE",
    now: NOW,
  });
  if (!asked.ok) throw new Error(asked.message);
  const agreed = await confirmFunding(db, { poleId, registrationId: held.id, staffId, now: NOW });
  if (!agreed.ok) throw new Error(agreed.message);
  return held.id;
}

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  staffId = (await createPerson(db, { poleId, role: "STAFF" })).id;
});

describe("the yearly report", () => {
  it("counts trainees, hours × trainees and revenue by funder type from the delivered registrations and the books", async () => {
    // Course A: 7 h, public 240 € (200 € HT at 20 %), funded 420 € (350 € HT). Course B: 14 h, public 300 €.
    const a = await createTrainingCourse(db, { poleId, title: "Compostage", prices: [18_000, 24_000, 42_000] });
    const b = await createTrainingCourse(db, { poleId, title: "Gérer une SCIC", prices: [25_000, 30_000, 50_000] });
    await db.course.update({ where: { id: b.id }, data: { durationHours: 14 } });
    const sessionA = await createTrainingSession(db, { poleId, courseId: a.id, day: "2027-03-15", now: NOW });
    const sessionB = await createTrainingSession(db, { poleId, courseId: b.id, day: "2027-03-16", now: NOW });
    const [ana, bruno, chloe, dora, emile] = await Promise.all(
      ["Ana", "Bruno", "Chloé", "Dora", "Émile"].map((name) => createPerson(db, { poleId, name })),
    );
    await paidOffline(sessionA.id, ana.id); // an individual, course A
    await paidOffline(sessionB.id, ana.id); // the same person, course B: one trainee, two registrations
    await funded(sessionA.id, bruno.id, "OPCO"); // an employee funded by an OPCO
    const granted = await grantSeat(db, {
      poleId,
      sessionId: sessionA.id,
      personId: chloe.id,
      reason: "Bénévole de la ferme",
      traineeType: "JOB_SEEKER",
      staffId,
      now: NOW,
    });
    expect(granted.ok).toBe(true);
    await holdSeat(db, { poleId, sessionId: sessionA.id, personId: dora.id, now: NOW }); // never paid
    const cancelled = await paidOffline(sessionA.id, emile.id);
    const undone = await cancelRegistration(db, {
      poleId,
      registrationId: cancelled,
      actor: { personId: staffId, staff: true },
      now: NOW,
    });
    expect(undone.ok).toBe(true);
    // A session of the year not delivered yet, and one delivered the year before: neither counts for 2027.
    const notYet = await createTrainingSession(db, { poleId, courseId: a.id, day: "2027-03-17", now: NOW });
    await paidOffline(notYet.id, dora.id);
    const earlier = await createTrainingSession(db, { poleId, courseId: b.id, day: "2027-03-18", now: NOW });
    await paidOffline(earlier.id, emile.id);
    await db.trainingSession.update({
      where: { id: earlier.id },
      data: { startsAt: new Date("2026-11-02T08:00:00Z"), endsAt: new Date("2026-11-02T16:00:00Z") },
    });
    await deliver(earlier.id, new Date("2026-11-03T10:00:00Z"));

    await deliver(sessionA.id);
    await deliver(sessionB.id);
    // A 706200 TRAINING line typed by hand: revenue no registration explains.
    await post(db, {
      poleId,
      sourceKey: "manuel:formation-intra",
      date: isoDate("2027-05-02"),
      journal: "OD",
      label: "Formation intra-entreprise",
      pieceRef: "CONV-1",
      lines: [
        { account: "411000", debit: cents(5_000) },
        { account: "706200", credit: cents(5_000), stream: "TRAINING" },
      ],
    });

    const report = await yearlyReport(db, { poleId, year: 2027 });
    expect(report.total).toEqual({
      trainees: 3,
      registrations: 4,
      hours: 7 * 3 + 14,
      sessions: 2,
      revenueCents: 20_000 + 25_000 + 35_000 + 5_000,
    });
    const byType = Object.fromEntries(report.byTraineeType.map((t) => [t.type, t]));
    expect(byType.INDIVIDUAL).toMatchObject({ trainees: 1, registrations: 2, hours: 21 });
    expect(byType.EMPLOYEE).toMatchObject({ trainees: 1, registrations: 1, hours: 7 });
    expect(byType.JOB_SEEKER).toMatchObject({ trainees: 1, registrations: 1, hours: 7 });
    expect(byType.OTHER).toMatchObject({ trainees: 0, registrations: 0, hours: 0 });
    const byFunder = Object.fromEntries(report.byFunderType.map((f) => [f.type, f]));
    expect(byFunder.INDIVIDUAL).toMatchObject({ cents: 45_000, registrations: 2 });
    expect(byFunder.OPCO).toMatchObject({ cents: 35_000, registrations: 1 });
    expect(byFunder.EMPLOYER).toMatchObject({ cents: 0, registrations: 0 });
    expect(report.unexplainedCents).toBe(5_000);
    expect(report.courses).toEqual([
      {
        courseId: a.id,
        title: "Compostage",
        durationHours: 7,
        sessions: 1,
        trainees: 3,
        registrations: 3,
        hours: 21,
        revenueCents: 55_000,
      },
      {
        courseId: b.id,
        title: "Gérer une SCIC",
        durationHours: 14,
        sessions: 1,
        trainees: 1,
        registrations: 1,
        hours: 14,
        revenueCents: 25_000,
      },
    ]);

    // The year before has its own delivered session and revenue, and nothing of 2027.
    const before = await yearlyReport(db, { poleId, year: 2026 });
    expect(before.total).toMatchObject({ trainees: 1, registrations: 1, hours: 14, revenueCents: 25_000 });

    const csv = reportCsv(report);
    expect(
      csv.startsWith("\uFEFFRubrique;Catégorie;Stagiaires (personnes);Inscriptions;Heures-stagiaires;Produits HT"),
    ).toBe(true);
    expect(csv).toContain("Total;2027;3;4;35;850,00\r\n");
    expect(csv).toContain("Origine des produits;OPCO;;1;;350,00\r\n");
    expect(csv).toContain("Origine des produits;Écritures non rattachées à une inscription;;;;50,00\r\n");
    expect(csv).toContain("Formation;Compostage;3;3;21;550,00\r\n");
  });

  it("nets a reversed delivery out of its funder's revenue", async () => {
    const a = await createTrainingCourse(db, { poleId, prices: [18_000, 24_000, 42_000] });
    const session = await createTrainingSession(db, { poleId, courseId: a.id, now: NOW });
    const person = await createPerson(db, { poleId });
    const id = await paidOffline(session.id, person.id);
    await deliver(session.id);
    const entry = await db.journalEntry.findFirstOrThrow({ where: { sourceKey: `registration:${id}:delivered` } });
    await reverse(db, { poleId, entryId: entry.id, reason: "Erreur de date", date: isoDate("2027-04-01") });
    const report = await yearlyReport(db, { poleId, year: 2027 });
    expect(report.byFunderType.find((f) => f.type === "INDIVIDUAL")).toMatchObject({ cents: 0 });
    expect(report.total.revenueCents).toBe(0);
    expect(report.unexplainedCents).toBe(0);
  });
});
