import { beforeEach, describe, expect, it } from "vitest";
import { bookOnBehalf } from "~/domain/booking/index.server";
import { addDays, parisInstant, toMinutes, weekdayOf } from "~/domain/booking/time";
import { parisDate, type IsoDate } from "~/domain/ledger/index.server";
import { confirmFunding, joinSessionWaitlist, requestFunding } from "~/domain/training/index.server";
import * as home from "~/routes/gestion+/_index";
import * as layout from "~/routes/gestion+/formations";
import * as coursePage from "~/routes/gestion+/formations.$courseId";
import * as courses from "~/routes/gestion+/formations._index";
import * as report from "~/routes/gestion+/formations.bilan";
import * as reportCsv from "~/routes/gestion+/formations.bilan[.csv]";
import * as newCourse from "~/routes/gestion+/formations.nouvelle";
import * as settings from "~/routes/gestion+/formations.reglages";
import * as sessionLayout from "~/routes/gestion+/formations.sessions.$sessionId";
import * as sessionPage from "~/routes/gestion+/formations.sessions.$sessionId._index";
import * as registrationsCsv from "~/routes/gestion+/formations.sessions.$sessionId.inscriptions[.csv]";
import * as sessions from "~/routes/gestion+/formations.sessions._index";
import * as newSession from "~/routes/gestion+/formations.sessions.nouvelle";
import { db } from "~/utils/db.server";
import { formatCents } from "~/utils/format";
import { createOrganisation, createPerson, createPole } from "../factories";
import { errorsOf, json, logInEveryRole, resetDatabase, routeCallers, type Handler, type Role } from "../helpers";
import { createRoom, createTrainingCourse, createTrainingSession, holdSeat } from "../training-factories";

// The staff side of trainings (/gestion/formations), called like Remix calls its loaders and actions, on the real
// database and the real clock: who may enter, each bad input of a course or a session a French field error with a
// 4xx and nothing written (a part in a room a booking already holds is refused by the booking module's exclusion
// constraint), and what staff do on a session — record a transfer, give a seat by hand, cancel the session after
// reading what it refunds — the CSV of its registrations, the yearly report, the pole's training settings.

const cookies: Record<Role, string> = { ADMIN: "", STAFF: "", MEMBER: "", USER: "" };
const { get, post } = routeCallers(cookies);
let poleId: string;
let staffId: string;
let roomId: string;
let courseId: string;
let sessionId: string;
let day: IsoDate;

/** A Monday three weeks or more ahead (Paris): parts of a session fall in the pole's opening hours. */
function futureMonday(): IsoDate {
  let d = addDays(parisDate(new Date()), 21);
  while (weekdayOf(d) !== "mon") d = addDays(d, 1);
  return d;
}

const validCourse = (overrides: Record<string, string> = {}) => ({
  title: "Initiation au maraîchage biologique",
  slug: "initiation-maraichage",
  axis: "Agriculture",
  objectives: "Conduire une planche de culture.\nRaisonner une rotation.",
  content: "Sol, semis, irrigation.",
  prerequisites: "Aucun",
  audience: "Porteurs de projet agricole",
  durationHours: "14",
  methods: "Alternance de théorie et de pratique au champ.",
  evaluation: "Mise en situation.",
  accessibility: "Parcelles accessibles en fauteuil.",
  accessibilityContact: "referent@exemple.test",
  memberPrice: "12,50",
  publicPrice: "240",
  fundedPrice: "420,00",
  opensPlotPath: "on",
  published: "on",
  ...overrides,
});

/** A new session's form: parts in `day` (a Monday ahead), in the test's room unless told. */
const validSession = (overrides: Record<string, string> = {}) => ({
  courseId,
  "parts[0].date": addDays(day, 7),
  "parts[0].start": "09:00",
  "parts[0].end": "12:30",
  "parts[0].resourceId": roomId,
  "parts[1].date": addDays(day, 7),
  "parts[1].start": "13:30",
  "parts[1].end": "17:00",
  "parts[1].resourceId": roomId,
  capacity: "10",
  minimum: "3",
  deadlineDate: "",
  deadlineTime: "",
  ...overrides,
});

const rows = async () => ({
  courses: await db.course.count(),
  sessions: await db.trainingSession.count(),
  bookings: await db.booking.count(),
  registrations: await db.registration.count(),
  payments: await db.payment.count(),
  emails: await db.outboxEmail.count(),
});

const sessionPath = () => `/gestion/formations/sessions/${sessionId}`;

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  staffId = await logInEveryRole(poleId, cookies);
  roomId = (await createRoom(db, poleId, "Salle des semis")).id;
  courseId = (await createTrainingCourse(db, { poleId, slug: "compostage", title: "Compostage" })).id;
  day = futureMonday();
  sessionId = (await createTrainingSession(db, { poleId, courseId, day, roomId, capacity: 3, now: new Date() })).id;
});

describe("who may enter", () => {
  const LOADERS: [string, Handler, "course" | "session" | null][] = [
    ["/gestion/formations (layout)", layout.loader as Handler, null],
    ["/gestion/formations", courses.loader as Handler, null],
    ["/gestion/formations/nouvelle", newCourse.loader as Handler, null],
    ["/gestion/formations/:id", coursePage.loader as Handler, "course"],
    ["/gestion/formations/sessions", sessions.loader as Handler, null],
    ["/gestion/formations/sessions/nouvelle", newSession.loader as Handler, null],
    ["/gestion/formations/sessions/:id (layout)", sessionLayout.loader as Handler, "session"],
    ["/gestion/formations/sessions/:id", sessionPage.loader as Handler, "session"],
    ["/gestion/formations/sessions/:id/inscriptions.csv", registrationsCsv.loader as Handler, "session"],
    ["/gestion/formations/bilan", report.loader as Handler, null],
    ["/gestion/formations/bilan.csv?annee=2027", reportCsv.loader as Handler, null],
    ["/gestion/formations/reglages", settings.loader as Handler, null],
  ];

  it.each(LOADERS)(
    "%s refuses a plain user and a member with the French 403, sends a visitor to log in, opens for staff",
    async (path, loader, with_) => {
      const params: Record<string, string> =
        with_ === "course" ? { courseId } : with_ === "session" ? { sessionId } : {};
      for (const role of ["USER", "MEMBER"] as const) {
        const response = await get(loader, path, role, params);
        expect(response.status).toBe(403);
        expect(await response.json()).toEqual({ message: "Cette page est réservée à l'équipe du pôle." });
      }
      const visitor = await get(loader, path, null, params);
      expect(visitor.status).toBe(302);
      expect(visitor.headers.get("Location")).toMatch(/^\/connexion\?redirectTo=/);
      expect((await get(loader, path, "STAFF", params)).status).toBe(200);
      expect((await get(loader, path, "ADMIN", params)).status).toBe(200);
    },
  );

  it("refuses every action to a plain user and a member (403), and changes nothing", async () => {
    const person = await createPerson(db, { poleId });
    const held = await holdSeat(db, { poleId, sessionId, personId: person.id, now: new Date() });
    const before = await rows();
    const actions: [Handler, Record<string, string>, Record<string, string>][] = [
      [newCourse.action as Handler, {}, validCourse()],
      [coursePage.action as Handler, { courseId }, validCourse({ slug: "intrus" })],
      [newSession.action as Handler, {}, validSession()],
      [
        sessionPage.action as Handler,
        { sessionId },
        { intent: "pay", registrationId: held.id, method: "TRANSFER", reference: "VIR-1" },
      ],
      [sessionPage.action as Handler, { sessionId }, { intent: "cancel", registrationId: held.id }],
      [
        sessionPage.action as Handler,
        { sessionId },
        { intent: "grant", personId: person.id, traineeType: "INDIVIDUAL", reason: "Intrus" },
      ],
      [sessionPage.action as Handler, { sessionId }, { intent: "confirm-session" }],
      [sessionPage.action as Handler, { sessionId }, { intent: "cancel-session", reason: "Intrus" }],
      [settings.action as Handler, {}, { trainingOfferHours: "2", trainingOfflineDays: "2", trainingCancelDays: "2" }],
    ];
    for (const [action, params, form] of actions) {
      for (const role of ["USER", "MEMBER"] as const) {
        const response = await post(action, "/gestion/formations", form, params, role);
        expect(response.status).toBe(403);
      }
    }
    expect(await rows()).toEqual(before);
    expect(await db.trainingSession.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({
      status: "SCHEDULED",
      seatsTaken: 1,
    });
    expect(await db.registration.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({ status: "HELD" });
    expect(await db.course.findUniqueOrThrow({ where: { id: courseId } })).toMatchObject({ slug: "compostage" });
  });

  it("shows another pole's course and session to nobody (404)", async () => {
    const other = (await createPole(db)).id;
    const foreignCourse = await createTrainingCourse(db, { poleId: other });
    const foreignSession = await createTrainingSession(db, {
      poleId: other,
      courseId: foreignCourse.id,
      day,
      now: new Date(),
    });
    expect((await get(coursePage.loader as Handler, "/x", "ADMIN", { courseId: foreignCourse.id })).status).toBe(404);
    for (const loader of [sessionLayout.loader, sessionPage.loader, registrationsCsv.loader]) {
      const response = await get(loader as Handler, "/x", "ADMIN", { sessionId: foreignSession.id });
      expect(response.status).toBe(404);
      expect(await json(response)).toEqual({ message: "Cette session n'existe pas." });
    }
    const response = await post(
      sessionPage.action as Handler,
      "/x",
      { intent: "cancel-session", reason: "Pas chez nous" },
      { sessionId: foreignSession.id },
    );
    expect(response.status).toBe(404);
    expect((await db.trainingSession.findUniqueOrThrow({ where: { id: foreignSession.id } })).status).toBe("SCHEDULED");
  });
});

describe("courses", () => {
  it("creates a course with every programme field, its prices typed in euros", async () => {
    const response = await post(newCourse.action as Handler, "/gestion/formations/nouvelle", validCourse());
    expect(response.status).toBe(302);
    const created = await db.course.findFirstOrThrow({ where: { slug: "initiation-maraichage" } });
    expect(response.headers.get("Location")).toBe(`/gestion/formations/${created.id}?fait=creee`);
    expect(created).toMatchObject({
      poleId,
      title: "Initiation au maraîchage biologique",
      axis: "Agriculture",
      objectives: "Conduire une planche de culture.\nRaisonner une rotation.",
      durationHours: 14,
      accessibilityContact: "referent@exemple.test",
      memberCents: 1_250,
      publicCents: 24_000,
      fundedCents: 42_000,
      opensPlotPath: true,
      published: true,
    });
    const list = await json<{ courses: { title: string; upcomingSessions: number }[] }>(
      await get(courses.loader as Handler, "/gestion/formations"),
    );
    expect(list.courses.map((c) => [c.title, c.upcomingSessions])).toEqual([
      ["Compostage", 1],
      ["Initiation au maraîchage biologique", 0],
    ]);
  });

  it("refuses three decimals, a negative price and a missing duration in French, writing nothing", async () => {
    const before = await rows();
    const cases: [Record<string, string>, string, string][] = [
      [{ memberPrice: "12,345" }, "memberPrice", "Un montant compte au plus deux décimales (centimes)."],
      [{ publicPrice: "-3" }, "publicPrice", "Un montant ne peut pas être négatif."],
      [{ fundedPrice: "douze" }, "fundedPrice", "Indiquez un montant en euros, par exemple 1 234,56."],
      [{ memberPrice: "0,20" }, "memberPrice", "Un prix payant est d'au moins 0,50 €"],
      [{ durationHours: "" }, "durationHours", "La durée est un nombre entier d'heures, de 1 à 1 000."],
      [{ durationHours: "1,5" }, "durationHours", "La durée est un nombre entier d'heures"],
      [{ slug: "Avec Accents é" }, "slug", "L'adresse s'écrit en minuscules"],
    ];
    for (const [overrides, field, message] of cases) {
      const response = await post(newCourse.action as Handler, "/x", validCourse(overrides));
      expect(response.status).toBe(400);
      expect((await errorsOf(response))[field]?.join(" ")).toContain(message);
    }
    // The slug of another course of the pole: the domain says so on the field, with a 409.
    const taken = await post(newCourse.action as Handler, "/x", validCourse({ slug: "compostage" }));
    expect(taken.status).toBe(409);
    expect(await errorsOf(taken)).toEqual({ slug: ["Une autre formation du pôle a déjà cette adresse."] });
    expect(await rows()).toEqual(before);
  });

  it("edits a course whole, and refuses a bad price or a taken slug with the course unchanged", async () => {
    const page = await json<{ values: Record<string, string> }>(
      await get(coursePage.loader as Handler, "/x", "STAFF", { courseId }),
    );
    expect(page.values).toMatchObject({ slug: "compostage", memberPrice: "180,00", publicPrice: "240,00" });
    const saved = await post(
      coursePage.action as Handler,
      "/x",
      validCourse({ title: "Compostage collectif", slug: "compostage", published: "" }),
      { courseId },
    );
    expect(saved.status).toBe(200);
    expect(await json(saved)).toMatchObject({ saved: true });
    expect(await db.course.findUniqueOrThrow({ where: { id: courseId } })).toMatchObject({
      title: "Compostage collectif",
      memberCents: 1_250,
      published: false,
      opensPlotPath: true,
    });
    const bad = await post(coursePage.action as Handler, "/x", validCourse({ slug: "compostage", publicPrice: "-3" }), {
      courseId,
    });
    expect(bad.status).toBe(400);
    expect((await errorsOf(bad)).publicPrice).toEqual(["Un montant ne peut pas être négatif."]);
    await createTrainingCourse(db, { poleId, slug: "scic" });
    const clash = await post(coursePage.action as Handler, "/x", validCourse({ slug: "scic" }), { courseId });
    expect(clash.status).toBe(409);
    expect((await errorsOf(clash)).slug).toEqual(["Une autre formation du pôle a déjà cette adresse."]);
    expect(await db.course.findUniqueOrThrow({ where: { id: courseId } })).toMatchObject({
      slug: "compostage",
      publicCents: 24_000,
    });
  });
});

describe("sessions", () => {
  it("schedules a session of two parts in Paris time, with a trainer and its deadline the evening before", async () => {
    const trainer = await createPerson(db, { poleId, name: "Formatrice" });
    const form = await json<{ values: { parts: unknown[] }; rooms: { resources: { id: string }[] }[] }>(
      await get(newSession.loader as Handler, `/gestion/formations/sessions/nouvelle?formation=${courseId}`),
    );
    expect(form.values).toMatchObject({ courseId, capacity: "12" });
    expect(form.values.parts).toHaveLength(2);
    expect(form.rooms.flatMap((s) => s.resources.map((r) => r.id))).toEqual([roomId]);
    const response = await post(newSession.action as Handler, "/x", validSession({ trainerIds: trainer.id }));
    expect(response.status).toBe(302);
    const created = await db.trainingSession.findFirstOrThrow({
      where: { id: { not: sessionId } },
      include: { parts: { orderBy: { startsAt: "asc" } }, trainers: true },
    });
    expect(response.headers.get("Location")).toBe(`/gestion/formations/sessions/${created.id}?fait=creee`);
    const partDay = addDays(day, 7);
    expect(created).toMatchObject({
      courseId,
      capacity: 10,
      minimum: 3,
      status: "SCHEDULED",
      startsAt: parisInstant(partDay, toMinutes("09:00")),
      endsAt: parisInstant(partDay, toMinutes("17:00")),
      registrationDeadline: parisInstant(addDays(partDay, -1), toMinutes("18:00")),
    });
    expect(created.parts.map((p) => [p.kind, p.resourceId, p.startsAt, p.endsAt])).toEqual([
      ["TRAINING", roomId, parisInstant(partDay, toMinutes("09:00")), parisInstant(partDay, toMinutes("12:30"))],
      ["TRAINING", roomId, parisInstant(partDay, toMinutes("13:30")), parisInstant(partDay, toMinutes("17:00"))],
    ]);
    expect(created.trainers.map((t) => t.personId)).toEqual([trainer.id]);
    const list = await json<{ sessions: { id: string; parts: unknown[] }[] }>(
      await get(sessions.loader as Handler, "/gestion/formations/sessions"),
    );
    expect(list.sessions.map((s) => [s.id, s.parts.length])).toEqual([
      [sessionId, 2],
      [created.id, 2],
    ]);
  });

  it("refuses a part in a room a booking already holds (409 on the parts), writing nothing", async () => {
    const partDay = addDays(day, 7);
    const someone = await createPerson(db, { poleId });
    const booked = await bookOnBehalf(db, {
      poleId,
      resourceKey: roomId,
      personId: someone.id,
      startsAt: parisInstant(partDay, toMinutes("14:00")),
      endsAt: parisInstant(partDay, toMinutes("15:00")),
      idempotencyKey: "reunion-1",
      now: new Date(),
      bookedById: staffId,
      settle: "onsite",
    });
    expect(booked.ok).toBe(true);
    const before = await rows();
    const response = await post(newSession.action as Handler, "/x", validSession());
    expect(response.status).toBe(409);
    expect(await errorsOf(response)).toEqual({
      parts: ["Salle des semis est déjà occupée sur ce créneau (réservation, réunion ou fermeture)."],
    });
    expect(await rows()).toEqual(before);
  });

  it("refuses a part outside opening hours, a capacity under its minimum or nil, in French, writing nothing", async () => {
    const before = await rows();
    const early = await post(newSession.action as Handler, "/x", validSession({ "parts[0].start": "06:00" }));
    expect(early.status).toBe(422);
    expect((await errorsOf(early)).parts?.join(" ")).toContain("sort des heures d'ouverture de Salle des semis");
    const sunday = await post(
      newSession.action as Handler,
      "/x",
      validSession({ "parts[0].date": addDays(day, 6), "parts[1].date": addDays(day, 6) }),
    );
    expect(sunday.status).toBe(422);
    expect((await errorsOf(sunday)).parts).toEqual(["Salle des semis est fermée ce jour-là."]);
    const under = await post(newSession.action as Handler, "/x", validSession({ capacity: "2", minimum: "3" }));
    expect(under.status).toBe(400);
    expect(await errorsOf(under)).toEqual({ minimum: ["Le minimum ne peut pas dépasser la capacité."] });
    const nil = await post(newSession.action as Handler, "/x", validSession({ capacity: "0", minimum: "0" }));
    expect(nil.status).toBe(400);
    expect(await errorsOf(nil)).toMatchObject({
      capacity: ["La capacité est un nombre entier de places, de 1 à 500."],
      minimum: ["Le minimum est un nombre entier de places, de 1 à 500."],
    });
    const backwards = await post(newSession.action as Handler, "/x", validSession({ "parts[0].end": "08:00" }));
    expect(backwards.status).toBe(400);
    expect(await errorsOf(backwards)).toEqual({ "parts[0].end": ["La partie finit après son début."] });
    const noRoom = await post(newSession.action as Handler, "/x", validSession({ "parts[1].resourceId": "" }));
    expect(noRoom.status).toBe(400);
    expect(await errorsOf(noRoom)).toEqual({ "parts[1].resourceId": ["Choisissez la salle de cette partie."] });
    const lateDeadline = await post(
      newSession.action as Handler,
      "/x",
      validSession({ deadlineDate: addDays(day, 8), deadlineTime: "09:00" }),
    );
    expect(lateDeadline.status).toBe(422);
    expect(await errorsOf(lateDeadline)).toEqual({
      deadlineDate: ["Les inscriptions ferment au plus tard au début de la session."],
    });
    const stranger = await createPerson(db, { poleId: (await createPole(db)).id });
    const foreignTrainer = await post(newSession.action as Handler, "/x", validSession({ trainerIds: stranger.id }));
    expect(foreignTrainer.status).toBe(422);
    expect(await errorsOf(foreignTrainer)).toEqual({
      trainerIds: ["Chaque formateur ou formatrice doit avoir un compte sur le pôle."],
    });
    expect(await rows()).toEqual(before);
  });
});

describe("a session's page", () => {
  it("records a transfer received: the registration is confirmed, invoiced and the payment recorded", async () => {
    const person = await createPerson(db, { poleId, name: "Ana Trainee" });
    const held = await holdSeat(db, { poleId, sessionId, personId: person.id, now: new Date() });
    const page = await json<{ rows: { id: string; can: Record<string, boolean> }[] }>(
      await get(sessionPage.loader as Handler, sessionPath(), "STAFF", { sessionId }),
    );
    expect(page.rows.find((r) => r.id === held.id)?.can).toEqual({ pay: true, fund: false, funderPaid: false, cancel: true });
    const missing = await post(
      sessionPage.action as Handler,
      sessionPath(),
      { intent: "pay", registrationId: held.id, method: "TRANSFER", reference: "" },
      { sessionId },
    );
    expect(missing.status).toBe(400);
    expect((await errorsOf(missing)).reference?.[0]).toContain("Indiquez la référence du paiement");
    const response = await post(
      sessionPage.action as Handler,
      `${sessionPath()}?status=HELD`,
      { intent: "pay", registrationId: held.id, method: "TRANSFER", reference: "VIR-ANA" },
      { sessionId },
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`${sessionPath()}?status=HELD&fait=paiement`);
    const paid = await db.registration.findUniqueOrThrow({ where: { id: held.id }, include: { payments: true } });
    expect(paid).toMatchObject({ status: "CONFIRMED", paymentMethod: "TRANSFER" });
    expect(paid.invoiceId).not.toBeNull();
    expect(paid.payments.map((p) => [p.method, p.status, p.amountCents, p.reference])).toEqual([
      ["TRANSFER", "SUCCEEDED", 24_000, "VIR-ANA"],
    ]);
    const twice = await post(
      sessionPage.action as Handler,
      sessionPath(),
      { intent: "pay", registrationId: held.id, method: "TRANSFER", reference: "VIR-ANA" },
      { sessionId },
    );
    expect(twice.status).toBe(409);
    expect(await errorsOf(twice)).toEqual({ "": ["Cette inscription est déjà réglée."] });
  });

  it("gives a seat by hand with its reason, and refuses no reason, a stranger, a second seat or a full session", async () => {
    const guest = await createPerson(db, { poleId, name: "Invitée" });
    const noReason = await post(
      sessionPage.action as Handler,
      sessionPath(),
      { intent: "grant", personId: guest.id, traineeType: "JOB_SEEKER", reason: " " },
      { sessionId },
    );
    expect(noReason.status).toBe(400);
    expect((await errorsOf(noReason)).reason?.[0]).toContain("Indiquez pourquoi cette place est offerte");
    const stranger = await createPerson(db, { poleId: (await createPole(db)).id });
    const foreign = await post(
      sessionPage.action as Handler,
      sessionPath(),
      { intent: "grant", personId: stranger.id, traineeType: "INDIVIDUAL", reason: "Partenaire" },
      { sessionId },
    );
    expect(foreign.status).toBe(422);
    expect(await errorsOf(foreign)).toEqual({ personId: ["Choisissez une personne qui a un compte sur le pôle."] });
    expect(await db.registration.count()).toBe(0);

    const granted = await post(
      sessionPage.action as Handler,
      sessionPath(),
      { intent: "grant", personId: guest.id, traineeType: "JOB_SEEKER", reason: "Bénévole de la ferme" },
      { sessionId },
    );
    expect(granted.status).toBe(302);
    expect(await db.registration.findFirstOrThrow({ where: { personId: guest.id } })).toMatchObject({
      status: "CONFIRMED",
      priceCents: 0,
      invoiceId: null,
      traineeType: "JOB_SEEKER",
      grantedById: staffId,
      grantReason: "Bénévole de la ferme",
    });
    expect((await db.trainingSession.findUniqueOrThrow({ where: { id: sessionId } })).seatsTaken).toBe(1);
    expect(await db.outboxEmail.count({ where: { to: guest.email } })).toBe(1);
    const again = await post(
      sessionPage.action as Handler,
      sessionPath(),
      { intent: "grant", personId: guest.id, traineeType: "JOB_SEEKER", reason: "Encore" },
      { sessionId },
    );
    expect(again.status).toBe(409);
    expect(await errorsOf(again)).toEqual({ personId: ["Cette personne est déjà inscrite à cette session."] });
    // Two more seats taken: the session (capacity 3) is full and refuses a given seat like a sign-up.
    for (const name of ["B", "C"]) {
      const p = await createPerson(db, { poleId, name });
      await holdSeat(db, { poleId, sessionId, personId: p.id, now: new Date() });
    }
    const late = await createPerson(db, { poleId });
    const full = await post(
      sessionPage.action as Handler,
      sessionPath(),
      { intent: "grant", personId: late.id, traineeType: "INDIVIDUAL", reason: "Une de plus" },
      { sessionId },
    );
    expect(full.status).toBe(409);
    expect(await errorsOf(full)).toEqual({ "": ["Cette session est complète : aucune place ne peut être donnée."] });
    expect(await db.registration.count()).toBe(3);
    expect((await db.trainingSession.findUniqueOrThrow({ where: { id: sessionId } })).seatsTaken).toBe(3);
  });

  it("previews then cancels a session: registrations cancelled, money to repay listed, the funder credited, rooms freed", async () => {
    const [ana, bruno, chloe] = await Promise.all(
      ["Ana", "Bruno", "Chloé"].map((name) => createPerson(db, { poleId, name })),
    );
    const paid = await holdSeat(db, { poleId, sessionId, personId: ana.id, now: new Date() });
    expect(
      (
        await post(
          sessionPage.action as Handler,
          sessionPath(),
          { intent: "pay", registrationId: paid.id, method: "CHEQUE", reference: "CHQ-77" },
          { sessionId },
        )
      ).status,
    ).toBe(302);
    const fundedSeat = await holdSeat(db, { poleId, sessionId, personId: bruno.id, now: new Date() });
    const funder = await createOrganisation(db, { poleId, name: "OPCO Agri" });
    const asked = await requestFunding(db, {
      poleId,
      registrationId: fundedSeat.id,
      personId: bruno.id,
      funderId: funder.id,
      funderType: "OPCO",
      traineeType: "EMPLOYEE",
      now: new Date(),
    });
    expect(asked.ok).toBe(true);
    expect((await confirmFunding(db, { poleId, registrationId: fundedSeat.id, staffId, now: new Date() })).ok).toBe(
      true,
    );
    const heldSeat = await holdSeat(db, { poleId, sessionId, personId: chloe.id, now: new Date() });

    const preview = await json<{
      askCancel: boolean;
      preview: { rows: { id: string; outcome: string }[]; offlineCents: number; creditNotes: number };
    }>(await get(sessionPage.loader as Handler, `${sessionPath()}?annuler`, "STAFF", { sessionId }));
    expect(preview.askCancel).toBe(true);
    expect(preview.preview).toMatchObject({ offlineCents: 24_000, creditNotes: 1 });
    const outcome = Object.fromEntries(preview.preview.rows.map((r) => [r.id, r.outcome]));
    expect(outcome[paid.id]).toBe(`${formatCents(24_000)} à rembourser par l'équipe (chèque)`);
    expect(outcome[fundedSeat.id]).toBe("Facture de OPCO Agri annulée par un avoir");
    expect(outcome[heldSeat.id]).toBe("Place libérée, rien n'avait été payé.");

    const noReason = await post(
      sessionPage.action as Handler,
      sessionPath(),
      { intent: "cancel-session", reason: "" },
      { sessionId },
    );
    expect(noReason.status).toBe(400);
    expect((await db.trainingSession.findUniqueOrThrow({ where: { id: sessionId } })).status).toBe("SCHEDULED");

    const emailsBefore = await db.outboxEmail.count();
    const response = await post(
      sessionPage.action as Handler,
      `${sessionPath()}?annuler`,
      { intent: "cancel-session", reason: "Formatrice malade" },
      { sessionId },
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`${sessionPath()}?fait=session-annulee`);
    expect(await db.trainingSession.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({
      status: "CANCELLED",
      cancelReason: "Formatrice malade",
      decidedById: staffId,
      seatsTaken: 0,
    });
    expect(
      (await db.registration.findMany({ where: { sessionId }, orderBy: { createdAt: "asc" } })).map((r) => r.status),
    ).toEqual(["CANCELLED", "CANCELLED", "CANCELLED"]);
    const refunds = await db.refund.findMany({ include: { payment: true } });
    expect(refunds.map((r) => [r.status, r.amountCents, r.payment.method, r.payment.registrationId])).toEqual([
      ["PENDING", 24_000, "CHEQUE", paid.id],
    ]);
    const fundedInvoice = await db.registration.findUniqueOrThrow({ where: { id: fundedSeat.id } });
    expect(await db.invoice.count({ where: { kind: "CREDIT_NOTE", creditedInvoiceId: fundedInvoice.invoiceId } })).toBe(
      1,
    );
    expect(await db.booking.count({ where: { trainingSessionId: sessionId, status: { not: "CANCELLED" } } })).toBe(0);
    expect(await db.outboxEmail.count()).toBe(emailsBefore + 3);
    // Once: a second cancellation is refused.
    const twice = await post(
      sessionPage.action as Handler,
      sessionPath(),
      { intent: "cancel-session", reason: "Encore" },
      { sessionId },
    );
    expect(twice.status).toBe(409);

    // The cheque given back: staff mark the repayment done from the registration's row.
    const page = await json<{ rows: { id: string; pendingRefunds: { id: string }[] }[] }>(
      await get(sessionPage.loader as Handler, sessionPath(), "STAFF", { sessionId }),
    );
    const pending = page.rows.find((r) => r.id === paid.id)!.pendingRefunds;
    expect(pending).toHaveLength(1);
    const repaid = await post(
      sessionPage.action as Handler,
      sessionPath(),
      { intent: "refund", refundId: pending[0].id },
      { sessionId },
    );
    expect(repaid.status).toBe(302);
    expect((await db.refund.findUniqueOrThrow({ where: { id: pending[0].id } })).status).toBe("SUCCEEDED");
  });

  it("confirms a session under its minimum, and cancels one registration with its refund", async () => {
    await db.trainingSession.update({ where: { id: sessionId }, data: { underMinimumAt: new Date() } });
    const listed = await json<{ toDecide: { id: string }[] }>(
      await get(sessions.loader as Handler, "/gestion/formations/sessions"),
    );
    expect(listed.toDecide.map((s) => s.id)).toEqual([sessionId]);
    const figures = await json<{ training: Record<string, number> }>(await get(home.loader as Handler, "/gestion"));
    expect(figures.training).toEqual({ upcomingSessions: 1, seatsTaken: 0, capacity: 3, underMinimum: 1 });
    const confirmed = await post(
      sessionPage.action as Handler,
      sessionPath(),
      { intent: "confirm-session" },
      { sessionId },
    );
    expect(confirmed.status).toBe(302);
    expect(await db.trainingSession.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({
      status: "CONFIRMED",
      decidedById: staffId,
    });
    const person = await createPerson(db, { poleId });
    const held = await holdSeat(db, { poleId, sessionId, personId: person.id, now: new Date() });
    await post(
      sessionPage.action as Handler,
      sessionPath(),
      { intent: "pay", registrationId: held.id, method: "CASH", reference: "REÇU-3" },
      { sessionId },
    );
    const cancelled = await post(
      sessionPage.action as Handler,
      sessionPath(),
      { intent: "cancel", registrationId: held.id },
      { sessionId },
    );
    expect(cancelled.status).toBe(302);
    expect(await db.registration.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({
      status: "CANCELLED",
      cancelledById: staffId,
    });
    expect((await db.refund.findFirstOrThrow()).amountCents).toBe(24_000);
    expect((await db.trainingSession.findUniqueOrThrow({ where: { id: sessionId } })).seatsTaken).toBe(0);
    // Another session's registration is not found from this page.
    const other = await createTrainingSession(db, { poleId, courseId, day: addDays(day, 1), now: new Date() });
    const elsewhere = await holdSeat(db, { poleId, sessionId: other.id, personId: person.id, now: new Date() });
    const wrong = await post(
      sessionPage.action as Handler,
      sessionPath(),
      { intent: "cancel", registrationId: elsewhere.id },
      { sessionId },
    );
    expect(wrong.status).toBe(404);
    expect((await db.registration.findUniqueOrThrow({ where: { id: elsewhere.id } })).status).toBe("HELD");
  });

  it("shows the waiting list in the engine's order, an offer after a cancellation, and a given seat ends a wait", async () => {
    const seated = [];
    for (const name of ["A", "B", "C"]) {
      const p = await createPerson(db, { poleId, name: `Inscrit·e ${name}` });
      seated.push(await holdSeat(db, { poleId, sessionId, personId: p.id, now: new Date() }));
    }
    const [first, second] = await Promise.all(
      ["Première", "Deuxième"].map((name) => createPerson(db, { poleId, name })),
    );
    for (const p of [first, second])
      expect((await joinSessionWaitlist(db, { poleId, sessionId, personId: p.id, now: new Date() })).ok).toBe(true);
    type Page = { waiting: { person: string; position: number; status: string; offerExpiresAt: string | null }[] };
    const page = async () =>
      (await json<Page>(await get(sessionPage.loader as Handler, sessionPath(), "STAFF", { sessionId }))).waiting;
    expect((await page()).map((w) => [w.position, w.person, w.status])).toEqual([
      [1, "Première", "WAITING"],
      [2, "Deuxième", "WAITING"],
    ]);
    // Staff cancel a seat: the engine offers it to the first in line, in the same transaction.
    const cancelled = await post(
      sessionPage.action as Handler,
      sessionPath(),
      { intent: "cancel", registrationId: seated[0].id },
      { sessionId },
    );
    expect(cancelled.status).toBe(302);
    const afterCancel = await page();
    expect(afterCancel.map((w) => [w.person, w.status])).toEqual([
      ["Première", "OFFERED"],
      ["Deuxième", "WAITING"],
    ]);
    expect(afterCancel[0].offerExpiresAt).not.toBeNull();
    // A seat added by hand (capacity raised in the database) given to the second: their wait is over.
    await db.trainingSession.update({ where: { id: sessionId }, data: { capacity: 4 } });
    const granted = await post(
      sessionPage.action as Handler,
      sessionPath(),
      { intent: "grant", personId: second.id, traineeType: "INDIVIDUAL", reason: "Promis au téléphone" },
      { sessionId },
    );
    expect(granted.status).toBe(302);
    expect((await page()).map((w) => w.person)).toEqual(["Première"]);
  });

  it("filters its registrations and exports them as CSV, in French", async () => {
    const ana = await createPerson(db, { poleId, name: "Ana Dupont", email: "ana@exemple.test" });
    const bruno = await createPerson(db, { poleId, name: "Bruno Martin", email: "bruno@exemple.test" });
    const paid = await holdSeat(db, { poleId, sessionId, personId: ana.id, now: new Date() });
    await post(
      sessionPage.action as Handler,
      sessionPath(),
      { intent: "pay", registrationId: paid.id, method: "TRANSFER", reference: "VIR-12" },
      { sessionId },
    );
    await holdSeat(db, { poleId, sessionId, personId: bruno.id, now: new Date() });
    const confirmedOnly = await json<{ rows: { person: { name: string } }[] }>(
      await get(sessionPage.loader as Handler, `${sessionPath()}?status=CONFIRMED`, "STAFF", { sessionId }),
    );
    expect(confirmedOnly.rows.map((r) => r.person.name)).toEqual(["Ana Dupont"]);
    const response = await get(registrationsCsv.loader as Handler, `${sessionPath()}/inscriptions.csv`, "STAFF", {
      sessionId,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="inscriptions-compostage-${addDays(day, 0)}.csv"`,
    );
    const text = await response.text();
    const lines = text
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe(
      "Référence;Stagiaire;Email;Statut;Inscrit·e le;Confirmée le;Payeur;Financeur;Type de financeur;Type de stagiaire;Tarif;Prix;Réglé;Paiement;Référence du paiement;Facture;Place offerte par;Raison;Annulée le",
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(";Ana Dupont;ana@exemple.test;Confirmée;");
    expect(lines[1]).toContain(
      ";La personne;;Particuliers (à leurs frais);Particulier (à titre individuel);Tarif public;240,00;240,00;Virement;VIR-12;F-",
    );
    expect(lines[2]).toContain(";Bruno Martin;bruno@exemple.test;En attente de paiement;");
    const filtered = await get(
      registrationsCsv.loader as Handler,
      `${sessionPath()}/inscriptions.csv?status=HELD`,
      "STAFF",
      { sessionId },
    );
    expect((await filtered.text()).trim().split("\r\n")).toHaveLength(2);
  });
});

describe("the yearly report and the settings", () => {
  it("shows the report for the chosen year and refuses an unreadable year for the CSV", async () => {
    const page = await json<{ report: { year: number; total: { trainees: number } }; years: number[] }>(
      await get(report.loader as Handler, "/gestion/formations/bilan?annee=2031"),
    );
    expect(page.report).toMatchObject({ year: 2031, total: { trainees: 0 } });
    const csv = await get(reportCsv.loader as Handler, "/gestion/formations/bilan.csv?annee=2031");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Disposition")).toBe('attachment; filename="bilan-formations-2031.csv"');
    expect(await csv.text()).toContain("Total;2031;0;0;0;0,00\r\n");
    const unreadable = await get(reportCsv.loader as Handler, "/gestion/formations/bilan.csv?annee=deux-mille");
    expect(unreadable.status).toBe(400);
    expect(await json(unreadable)).toEqual({ message: "Indiquez l'année du bilan (ex. ?annee=2027)." });
  });

  it("lets an administrator save the training settings, refuses bad values in French and staff's changes", async () => {
    const valid = {
      trainingDeclarationNumber: "76 31 12345 31",
      trainingExemptionAttestation: "Attestation DREETS du 12/01/2027",
      espaceTestRequiresTraining: "on",
      trainingOfferHours: "48",
      trainingOfflineDays: "10",
      trainingCancelDays: "0",
    };
    const staff = await post(settings.action as Handler, "/gestion/formations/reglages", valid, {}, "STAFF");
    expect(staff.status).toBe(403);
    const cases: [Record<string, string>, string, string][] = [
      [{ trainingDeclarationNumber: "7631" }, "trainingDeclarationNumber", "compte 11 chiffres"],
      [{ trainingOfferHours: "0" }, "trainingOfferHours", "de 1 à 720"],
      [{ trainingOfferHours: "721" }, "trainingOfferHours", "de 1 à 720"],
      [{ trainingOfflineDays: "61" }, "trainingOfflineDays", "de 1 à 60"],
      [{ trainingCancelDays: "-1" }, "trainingCancelDays", "de 0 à 90"],
      [{ trainingCancelDays: "" }, "trainingCancelDays", "de 0 à 90"],
    ];
    for (const [overrides, field, message] of cases) {
      const response = await post(settings.action as Handler, "/x", { ...valid, ...overrides }, {}, "ADMIN");
      expect(response.status).toBe(400);
      expect((await errorsOf(response))[field]?.join(" ")).toContain(message);
    }
    expect(await db.pole.findUniqueOrThrow({ where: { id: poleId } })).toMatchObject({
      trainingDeclarationNumber: null,
      trainingOfferHours: 24,
      espaceTestRequiresTraining: false,
    });
    const saved = await post(settings.action as Handler, "/x", valid, {}, "ADMIN");
    expect(saved.status).toBe(200);
    expect(await db.pole.findUniqueOrThrow({ where: { id: poleId } })).toMatchObject({
      trainingDeclarationNumber: "76311234531",
      trainingExemptionAttestation: "Attestation DREETS du 12/01/2027",
      espaceTestRequiresTraining: true,
      trainingOfferHours: 48,
      trainingOfflineDays: 10,
      trainingCancelDays: 0,
    });
    const page = await json<{ exempt: boolean; canEdit: boolean }>(
      await get(settings.loader as Handler, "/gestion/formations/reglages", "STAFF"),
    );
    expect(page).toMatchObject({ exempt: true, canEdit: false });
    // The number alone does not exempt: the attestation is needed too.
    await post(settings.action as Handler, "/x", { ...valid, trainingExemptionAttestation: "" }, {}, "ADMIN");
    expect(
      (await json<{ exempt: boolean }>(await get(settings.loader as Handler, "/gestion/formations/reglages", "ADMIN")))
        .exempt,
    ).toBe(false);
  });
});
