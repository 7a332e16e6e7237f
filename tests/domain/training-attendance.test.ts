import { beforeEach, describe, expect, it } from "vitest";
import {
  answerSatisfaction,
  cancelSession,
  deliverSession,
  halfDaysOf,
  markAttendance,
  meetsAttendanceRule,
  sendSatisfactionForms,
  sessionSatisfaction,
  type AttendanceMark,
} from "~/domain/training/index.server";
import { db } from "~/utils/db.server";
import { createOrganisation, createPerson, createPole } from "../factories";
import { resetDatabase } from "../helpers";
import { confirmedRegistration, createTrainingCourse, createTrainingSession, holdSeat } from "../training-factories";

// Attendance, delivery and satisfaction (issue 15, decision 020): half-days derived from a session's parts (a part
// crossing 13:00 Paris is two), marks by staff or the session's trainer with each refusal in French and nothing
// written, a session delivered once — revenue recognised exactly once even when closed twice at the same instant,
// a certificate only with 80 % attendance, numbered without a gap — and the satisfaction form sent and answered once.

const NOW = new Date("2027-03-01T08:00:00Z");
// Monday 15 March 2027 (UTC+1): parts 09:00–12:30 and 13:30–17:00 Paris.
const MORNING = new Date("2027-03-15T08:00:00Z");
const AFTERNOON = new Date("2027-03-15T12:30:00Z");
const DURING = new Date("2027-03-15T13:00:00Z");
const AFTER = new Date("2027-03-15T17:00:00Z");

const part = (startsAt: string, endsAt: string) => ({ startsAt: new Date(startsAt), endsAt: new Date(endsAt) });
const keys = (parts: ReturnType<typeof part>[]) =>
  halfDaysOf(parts).map((h) => [h.start.toISOString(), h.day, h.period]);

describe("half-days of a session", () => {
  it("counts a part crossing 13:00 Paris as a morning and an afternoon, keyed by their start", () => {
    expect(keys([part("2027-03-15T08:00:00Z", "2027-03-15T16:00:00Z")])).toEqual([
      ["2027-03-15T08:00:00.000Z", "2027-03-15", "MORNING"],
      ["2027-03-15T12:00:00.000Z", "2027-03-15", "AFTERNOON"],
    ]);
    expect(halfDaysOf([part("2027-03-15T08:00:00Z", "2027-03-15T16:00:00Z")])[0].end.toISOString()).toBe(
      "2027-03-15T12:00:00.000Z",
    );
  });

  it("finds 13:00 Paris on the days the clocks change (summer and winter time)", () => {
    // Sunday 28 March 2027, the first day of summer time (UTC+2): 09:00–17:00 Paris.
    expect(keys([part("2027-03-28T07:00:00Z", "2027-03-28T15:00:00Z")])).toEqual([
      ["2027-03-28T07:00:00.000Z", "2027-03-28", "MORNING"],
      ["2027-03-28T11:00:00.000Z", "2027-03-28", "AFTERNOON"],
    ]);
    // Sunday 31 October 2027, back to winter time (UTC+1).
    expect(keys([part("2027-10-31T08:00:00Z", "2027-10-31T16:00:00Z")])).toEqual([
      ["2027-10-31T08:00:00.000Z", "2027-10-31", "MORNING"],
      ["2027-10-31T12:00:00.000Z", "2027-10-31", "AFTERNOON"],
    ]);
    // The Friday before, still in winter time, and the Monday after, in summer time.
    expect(
      keys([
        part("2027-03-29T11:30:00Z", "2027-03-29T15:00:00Z"),
        part("2027-03-26T08:00:00Z", "2027-03-26T11:00:00Z"),
      ]),
    ).toEqual([
      ["2027-03-26T08:00:00.000Z", "2027-03-26", "MORNING"],
      ["2027-03-29T11:30:00.000Z", "2027-03-29", "AFTERNOON"],
    ]);
  });

  it("makes one half-day of two parts of one morning; a part ending or starting at 13:00 is one half-day", () => {
    expect(
      keys([
        part("2027-03-15T10:00:00Z", "2027-03-15T11:30:00Z"),
        part("2027-03-15T08:00:00Z", "2027-03-15T09:30:00Z"),
        part("2027-03-15T12:00:00Z", "2027-03-15T16:00:00Z"),
      ]),
    ).toEqual([
      ["2027-03-15T08:00:00.000Z", "2027-03-15", "MORNING"],
      ["2027-03-15T12:00:00.000Z", "2027-03-15", "AFTERNOON"],
    ]);
    expect(halfDaysOf([part("2027-03-15T08:00:00Z", "2027-03-15T12:00:00Z")])).toHaveLength(1);
    expect(halfDaysOf([])).toEqual([]);
  });

  it("gives a certificate at 80 % of the half-days and not below", () => {
    expect(meetsAttendanceRule(4, 5)).toBe(true);
    expect(meetsAttendanceRule(8, 10)).toBe(true);
    expect(meetsAttendanceRule(3, 5)).toBe(false);
    expect(meetsAttendanceRule(1, 2)).toBe(false);
    expect(meetsAttendanceRule(0, 0)).toBe(false);
  });
});

let poleId: string;
let staffId: string;
let trainerId: string;
let otherTrainerId: string;
let userId: string;
let courseId: string;
let sessionId: string;
let otherSessionId: string;
let trainees: { id: string; name: string }[];

const staff = () => ({ personId: staffId, staff: true });
const trainer = () => ({ personId: trainerId, staff: false });

const mark = (registrationId: string, halfDayStart: Date, status: AttendanceMark["status"] = "PRESENT") => ({
  registrationId,
  halfDayStart,
  status,
});

const marking = (marks: AttendanceMark[], overrides: Partial<Parameters<typeof markAttendance>[1]> = {}) =>
  markAttendance(db, { poleId, sessionId, marks, actor: trainer(), now: DURING, ...overrides });

async function marked(marks: AttendanceMark[], actor = trainer(), now = DURING, session = sessionId) {
  const result = await markAttendance(db, { poleId, sessionId: session, marks, actor, now });
  if (!result.ok) throw new Error(result.message);
}

/** Lines of the TRAINING stream on an account, as debit − credit. */
async function balance(code: string) {
  const lines = await db.entryLine.findMany({ where: { poleId, account: { code } } });
  return lines.reduce((sum, l) => sum + l.debit - l.credit, 0);
}

/** A pole with staff, a trainer of each session, a plain user, four trainees and two sessions of one course. */
async function setUp() {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  staffId = (await createPerson(db, { poleId, role: "STAFF", name: "Camille Équipe" })).id;
  trainerId = (await createPerson(db, { poleId, role: "USER", name: "Fanny Formatrice" })).id;
  otherTrainerId = (await createPerson(db, { poleId, role: "USER", name: "Omar Formateur" })).id;
  userId = (await createPerson(db, { poleId, role: "USER", name: "Ulysse Usager" })).id;
  courseId = (await createTrainingCourse(db, { poleId, title: "Initiation au maraîchage bio" })).id;
  sessionId = (await createTrainingSession(db, { poleId, courseId, trainerIds: [trainerId], now: NOW })).id;
  otherSessionId = (
    await createTrainingSession(db, { poleId, courseId, day: "2027-03-16", trainerIds: [otherTrainerId], now: NOW })
  ).id;
  trainees = [];
  for (const name of ["Alice Arnaud", "Bruno Bernard", "Chloé Charpentier", "Daniel Dupuis"])
    trainees.push({ id: (await createPerson(db, { poleId, name })).id, name });
}

describe("marking attendance", () => {
  beforeEach(setUp);

  it("lets the session's trainer and staff mark each half-day once begun, a second mark replacing the first", async () => {
    const a = await confirmedRegistration(db, { poleId, sessionId, personId: trainees[0].id, staffId, now: NOW });
    const b = await confirmedRegistration(db, { poleId, sessionId, personId: trainees[1].id, staffId, now: NOW });
    await marked([mark(a.id, MORNING), mark(b.id, MORNING, "LATE")]);
    await marked([mark(a.id, MORNING, "EXCUSED"), mark(b.id, AFTERNOON, "ABSENT")], staff());
    const rows = await db.attendance.findMany();
    const seen = rows.map((r) => `${r.registrationId} ${r.halfDayStart.toISOString()} ${r.status} ${r.markedById}`);
    expect(seen.sort()).toEqual(
      [
        `${a.id} ${MORNING.toISOString()} EXCUSED ${staffId}`,
        `${b.id} ${MORNING.toISOString()} LATE ${trainerId}`,
        `${b.id} ${AFTERNOON.toISOString()} ABSENT ${staffId}`,
      ].sort(),
    );
  });

  it("refuses, in French and writing nothing, whoever is not registered, a half-day not of the session or not begun, and anyone but staff or its trainer", async () => {
    const a = await confirmedRegistration(db, { poleId, sessionId, personId: trainees[0].id, staffId, now: NOW });
    const held = await holdSeat(db, { poleId, sessionId, personId: trainees[1].id, now: NOW });
    const elsewhere = await confirmedRegistration(db, {
      poleId,
      sessionId: otherSessionId,
      personId: trainees[2].id,
      staffId,
      now: NOW,
    });
    const refusals = [
      [await marking([mark(held.id, MORNING)]), "NOT_REGISTERED", 422],
      [await marking([mark(elsewhere.id, MORNING)]), "NOT_REGISTERED", 422],
      [await marking([mark("inconnue", MORNING)]), "NOT_REGISTERED", 422],
      [await marking([mark(a.id, new Date("2027-03-15T09:00:00Z"))]), "NOT_A_HALF_DAY", 422],
      [await marking([mark(a.id, new Date("invalid"))]), "NOT_A_HALF_DAY", 422],
      [await marking([mark(a.id, AFTERNOON)], { now: new Date("2027-03-15T12:29:00Z") }), "NOT_BEGUN", 409],
      [await marking([mark(a.id, MORNING), mark(held.id, AFTERNOON)]), "NOT_REGISTERED", 422],
      [await marking([mark(a.id, MORNING), mark(a.id, MORNING, "ABSENT")]), "DUPLICATE_MARK", 422],
      [await marking([mark(a.id, MORNING, "SLEEPING" as "PRESENT")]), "STATUS", 422],
      [await marking([]), "NO_MARKS", 422],
      [await marking([mark(a.id, MORNING)], { actor: { personId: otherTrainerId, staff: false } }), "FORBIDDEN", 403],
      [await marking([mark(a.id, MORNING)], { actor: { personId: userId, staff: false } }), "FORBIDDEN", 403],
      [await marking([mark(a.id, MORNING)], { actor: { personId: trainees[0].id, staff: false } }), "FORBIDDEN", 403],
      [await marking([mark(a.id, MORNING)], { sessionId: "inconnue" }), "NOT_FOUND", 404],
      [await marking([mark(a.id, MORNING)], { sessionId: otherSessionId }), "FORBIDDEN", 403],
    ] as const;
    for (const [result, code, status] of refusals) {
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect([result.code, result.status]).toEqual([code, status]);
      expect(result.message).toMatch(/[éèàç]|Cette|Choisissez|Indiquez|Seuls|La même/);
    }
    const notRegistered = refusals[0][0];
    expect(notRegistered.ok ? "" : notRegistered.message).toBe("Cette personne n'est pas inscrite à cette session.");
    expect(await db.attendance.count()).toBe(0);
  });

  it("refuses marks on a cancelled session and on a delivered one", async () => {
    const a = await confirmedRegistration(db, { poleId, sessionId, personId: trainees[0].id, staffId, now: NOW });
    const other = await confirmedRegistration(db, {
      poleId,
      sessionId: otherSessionId,
      personId: trainees[1].id,
      staffId,
      now: NOW,
    });
    const cancelled = await cancelSession(db, {
      poleId,
      sessionId: otherSessionId,
      reason: "Formateur malade",
      staffId,
      now: NOW,
    });
    expect(cancelled.ok).toBe(true);
    const onCancelled = await markAttendance(db, {
      poleId,
      sessionId: otherSessionId,
      marks: [mark(other.id, new Date("2027-03-16T08:00:00Z"))],
      actor: staff(),
      now: new Date("2027-03-16T10:00:00Z"),
    });
    expect(onCancelled.ok ? "" : onCancelled.code).toBe("CANCELLED");

    await marked([mark(a.id, MORNING)]);
    expect((await deliverSession(db, { poleId, sessionId, staffId, now: AFTER })).ok).toBe(true);
    const onDelivered = await marking([mark(a.id, AFTERNOON)], { now: AFTER, actor: staff() });
    expect(onDelivered.ok ? "" : `${onDelivered.code} ${onDelivered.status}`).toBe("DELIVERED 409");
    expect(await db.attendance.count()).toBe(1);
  });
});

describe("delivering a session", () => {
  beforeEach(setUp);

  it("is refused before the last part ends, with nothing written", async () => {
    await confirmedRegistration(db, { poleId, sessionId, personId: trainees[0].id, staffId, now: NOW });
    const before = await db.journalEntry.count();
    const early = await deliverSession(db, { poleId, sessionId, staffId, now: new Date("2027-03-15T15:59:59Z") });
    expect(early.ok ? "" : `${early.code} ${early.status}`).toBe("NOT_ENDED 409");
    expect(early.ok ? "" : early.message).toContain("15 mars 2027 à 17:00");
    const session = await db.trainingSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect([session.status, session.deliveredAt]).toEqual(["SCHEDULED", null]);
    expect(await db.journalEntry.count()).toBe(before);
    expect(await db.certificate.count()).toBe(0);
    const unknown = await deliverSession(db, { poleId, sessionId: "inconnue", staffId, now: AFTER });
    expect(unknown.ok ? "" : unknown.status).toBe(404);
  });

  it("recognises the invoices' revenue exactly once when closed twice at the same instant, and certifies only 80 % attendance", async () => {
    const funder = await createOrganisation(db, { poleId, name: "OPCO Agri" });
    const [a, b, c, d] = [
      await confirmedRegistration(db, { poleId, sessionId, personId: trainees[0].id, staffId, now: NOW }),
      await confirmedRegistration(db, { poleId, sessionId, personId: trainees[1].id, staffId, now: NOW }),
      await confirmedRegistration(db, { poleId, sessionId, personId: trainees[2].id, staffId, now: NOW }),
      await confirmedRegistration(db, {
        poleId,
        sessionId,
        personId: trainees[3].id,
        staffId,
        funderId: funder.id,
        now: NOW,
      }),
    ];
    // Alice both half-days, Bruno one of two (50 %), Chloé late then present, Daniel (funded) both.
    await marked([
      mark(a.id, MORNING),
      mark(a.id, AFTERNOON),
      mark(b.id, MORNING),
      mark(b.id, AFTERNOON, "ABSENT"),
      mark(c.id, MORNING, "LATE"),
      mark(c.id, AFTERNOON),
      mark(d.id, MORNING),
      mark(d.id, AFTERNOON),
    ]);
    const invoices = await db.invoice.findMany({ where: { id: { in: [a, b, c, d].map((r) => r.invoiceId!) } } });
    expect(invoices).toHaveLength(4);
    const exclTax = invoices.reduce((sum, i) => sum + i.totalExclTax, 0);
    expect(await balance("706200")).toBe(0);
    expect(await balance("487000")).toBe(-exclTax);

    const results = await Promise.all([
      deliverSession(db, { poleId, sessionId, staffId, now: AFTER }),
      deliverSession(db, { poleId, sessionId, staffId, now: AFTER }),
    ]);
    const done = results.filter((r) => r.ok);
    expect(done).toHaveLength(1);
    const refused = results.find((r) => !r.ok);
    expect(refused && !refused.ok ? `${refused.code} ${refused.status}` : "").toBe("ALREADY_DELIVERED 409");
    expect(await balance("706200")).toBe(-exclTax);
    expect(await balance("487000")).toBe(0);
    const revenue = await db.entryLine.findMany({ where: { poleId, account: { code: "706200" } } });
    expect(revenue.every((l) => l.stream === "TRAINING")).toBe(true);
    expect(revenue).toHaveLength(4);

    const value = done[0].ok ? done[0].value : null;
    expect(value?.recognised).toBe(4);
    const certificates = await db.certificate.findMany({ orderBy: { number: "asc" } });
    expect(certificates.map((x) => [x.registrationId, x.number, x.halfDaysPresent, x.halfDaysTotal])).toEqual([
      [a.id, "ATT-2027-0001", 2, 2],
      [c.id, "ATT-2027-0002", 2, 2],
      [d.id, "ATT-2027-0003", 2, 2],
    ]);
    expect(value?.effects.emails.map((e) => e.to).sort()).toEqual(
      (await db.person.findMany({ where: { id: { in: [trainees[0].id, trainees[2].id, trainees[3].id] } } }))
        .map((p) => p.email)
        .sort(),
    );
    expect(value?.effects.emails[0].text).toContain(`/compte/formations/${a.id}/attestation.pdf`);
    const session = await db.trainingSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect([session.status, session.deliveredAt?.toISOString()]).toEqual(["DELIVERED", AFTER.toISOString()]);

    // Later, a third try posts nothing and issues nothing.
    const entries = await db.journalEntry.count();
    const again = await deliverSession(db, { poleId, sessionId, staffId, now: new Date("2027-03-20T10:00:00Z") });
    expect(again.ok ? "" : again.code).toBe("ALREADY_DELIVERED");
    expect(await db.journalEntry.count()).toBe(entries);
    expect(await db.certificate.count()).toBe(3);
  });

  it("numbers certificates per pole without a gap when two sessions close at once", async () => {
    const regs: string[] = [];
    for (const [i, t] of trainees.entries()) {
      const session = i < 2 ? sessionId : otherSessionId;
      const r = await confirmedRegistration(db, { poleId, sessionId: session, personId: t.id, staffId, now: NOW });
      regs.push(r.id);
      const day = i < 2 ? "2027-03-15" : "2027-03-16";
      await marked(
        [mark(r.id, new Date(`${day}T08:00:00Z`)), mark(r.id, new Date(`${day}T12:30:00Z`))],
        staff(),
        new Date(`${day}T13:00:00Z`),
        session,
      );
    }
    const later = new Date("2027-03-17T10:00:00Z");
    const [one, two] = await Promise.all([
      deliverSession(db, { poleId, sessionId, staffId, now: later }),
      deliverSession(db, { poleId, sessionId: otherSessionId, staffId, now: later }),
    ]);
    expect([one.ok, two.ok]).toEqual([true, true]);
    const numbers = (await db.certificate.findMany({ orderBy: { number: "asc" } })).map((c) => c.number);
    expect(numbers).toEqual(["ATT-2027-0001", "ATT-2027-0002", "ATT-2027-0003", "ATT-2027-0004"]);
  });
});

describe("the satisfaction form", () => {
  beforeEach(setUp);

  /** Alice present twice, Bruno late then absent, Chloé absent then excused, Daniel never marked. */
  async function registeredWithAttendance() {
    const regs = [];
    for (const t of trainees)
      regs.push(await confirmedRegistration(db, { poleId, sessionId, personId: t.id, staffId, now: NOW }));
    const [a, b, c, d] = regs;
    await marked([
      mark(a.id, MORNING),
      mark(a.id, AFTERNOON),
      mark(b.id, MORNING, "LATE"),
      mark(b.id, AFTERNOON, "ABSENT"),
      mark(c.id, MORNING, "ABSENT"),
      mark(c.id, AFTERNOON, "EXCUSED"),
    ]);
    return { a, b, c, d };
  }

  async function deliveredWithAttendance() {
    const regs = await registeredWithAttendance();
    const delivered = await deliverSession(db, { poleId, sessionId, staffId, now: AFTER });
    if (!delivered.ok) throw new Error(delivered.message);
    return regs;
  }

  const scores = { overall: 5, content: 4, trainer: 5, organisation: 3 };
  const answer = (
    registrationId: string,
    personId: string,
    extra: Partial<Parameters<typeof answerSatisfaction>[1]> = {},
  ) =>
    answerSatisfaction(db, {
      poleId,
      registrationId,
      personId,
      scores,
      recommend: true,
      comment: "Très concret.",
      now: new Date("2027-03-16T09:00:00Z"),
      ...extra,
    });

  it("is sent once, after the session is delivered, to those who attended", async () => {
    const { a } = await registeredWithAttendance();
    expect(await sendSatisfactionForms(db, AFTER)).toEqual({ sessions: 0, emails: 0 });
    expect(await answer(a.id, trainees[0].id).then((r) => (r.ok ? "" : r.code))).toBe("NOT_DELIVERED");
    const delivered = await deliverSession(db, { poleId, sessionId, staffId, now: AFTER });
    expect(delivered.ok).toBe(true);
    const runs = await Promise.all([
      sendSatisfactionForms(db, new Date("2027-03-15T17:05:00Z")),
      sendSatisfactionForms(db, new Date("2027-03-15T17:05:00Z")),
    ]);
    expect(runs.reduce((s, r) => s + r.emails, 0)).toBe(2);
    expect(await sendSatisfactionForms(db, new Date("2027-03-16T17:05:00Z"))).toEqual({ sessions: 0, emails: 0 });
    const sent = await db.outboxEmail.findMany({ where: { subject: { contains: "votre avis" } } });
    const emails = await db.person.findMany({ where: { id: { in: [trainees[0].id, trainees[1].id] } } });
    expect(sent.map((e) => e.to).sort()).toEqual(emails.map((p) => p.email).sort());
    expect(sent[0].text).toMatch(/\/compte\/formations\/[^/]+\/avis/);
    expect(
      (await db.trainingSession.findUniqueOrThrow({ where: { id: sessionId } })).satisfactionSentAt,
    ).not.toBeNull();
  });

  it("is answered once, by its trainee, for a delivered session they attended; results per session", async () => {
    const { a, b, c, d } = await deliveredWithAttendance();
    const first = await answer(a.id, trainees[0].id);
    expect(first.ok).toBe(true);
    const twice = await Promise.all([answer(b.id, trainees[1].id), answer(b.id, trainees[1].id, { recommend: false })]);
    expect(twice.filter((r) => r.ok)).toHaveLength(1);
    const second = twice.find((r) => !r.ok);
    expect(second && !second.ok ? `${second.code} ${second.status}` : "").toBe("ALREADY_ANSWERED 409");
    const again = await answer(a.id, trainees[0].id);
    expect(again.ok ? "" : again.code).toBe("ALREADY_ANSWERED");

    const refusals = [
      [await answer(a.id, trainees[1].id), "NOT_FOUND", 404],
      [await answer(c.id, trainees[2].id), "NOT_ATTENDED", 403],
      [await answer(d.id, trainees[3].id), "NOT_ATTENDED", 403],
      [await answer(d.id, trainees[3].id, { scores: { ...scores, trainer: 6 } }), "SCORE", 422],
      [await answer(d.id, trainees[3].id, { scores: { ...scores, overall: 0 } }), "SCORE", 422],
      [await answer(d.id, trainees[3].id, { scores: { ...scores, content: 2.5 } }), "SCORE", 422],
      [await answer(d.id, trainees[3].id, { comment: "x".repeat(2001) }), "COMMENT", 422],
    ] as const;
    for (const [result, code, status] of refusals)
      expect(result.ok ? "" : `${result.code} ${result.status}`).toBe(`${code} ${status}`);
    expect(await db.satisfactionAnswer.count()).toBe(2);

    const results = await sessionSatisfaction(db, { poleId, sessionId });
    expect(results?.count).toBe(2);
    expect(results?.attendees).toBe(2);
    expect(results?.questions.map((q) => [q.name, q.average])).toEqual([
      ["overall", 5],
      ["content", 4],
      ["trainer", 5],
      ["organisation", 3],
    ]);
    expect(results?.questions[0].spread).toEqual([0, 0, 0, 0, 2]);
    expect(results?.comments.map((x) => x.comment)).toEqual(["Très concret.", "Très concret."]);
    expect([50, 100]).toContain(results?.recommendPercent);
    expect(await sessionSatisfaction(db, { poleId, sessionId: "inconnue" })).toBeNull();
  });
});
