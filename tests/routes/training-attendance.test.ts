import { beforeEach, describe, expect, it } from "vitest";
import { cancelRegistration, markAttendance, type AttendanceMark } from "~/domain/training/index.server";
import * as myCertificate from "~/routes/compte+/formations.$registrationId.attestation[.pdf]";
import * as myAnswer from "~/routes/compte+/formations_.$registrationId.avis";
import * as trained from "~/routes/compte+/formations_.animees";
import * as layout from "~/routes/gestion+/_layout";
import * as sheet from "~/routes/gestion+/formations.sessions.$sessionId.emargement[.pdf]";
import * as results from "~/routes/gestion+/formations.sessions.$sessionId.avis";
import * as presences from "~/routes/gestion+/formations_.sessions.$sessionId.presences";
import { db } from "~/utils/db.server";
import { createOrganisation, createPerson, createPole } from "../factories";
import { callRoute, errorsOf, json, makeRequest, resetDatabase, sessionCookie, type Handler } from "../helpers";
import { pdfText, pdfTextPages } from "../pdf-text";
import { confirmedRegistration, createTrainingCourse, createTrainingSession, holdSeat } from "../training-factories";

// The attendance pages of trainings (issue 15, decision 020), called like Remix calls them, on the real clock: a
// trainer — a plain user of the pole — sees and marks the attendance of the session they train and of no other;
// a plain user gets a 403; staff close the session; a trainee downloads only their own certificate and answers
// only their own satisfaction form; the attendance sheet lists every confirmed person and every half-day; each bad
// input is a French 4xx with nothing written.

// Sessions are scheduled "in the future" of an injected past instant, so that on the real clock they are over.
const THEN = new Date("2024-02-01T08:00:00Z");
// Monday 11 March 2024 (UTC+1): 09:00–12:30 and 13:30–17:00 Paris.
const MORNING = "2024-03-11T08:00:00.000Z";
const AFTERNOON = "2024-03-11T12:30:00.000Z";

type Who = "staff" | "trainer" | "otherTrainer" | "user" | "alice" | "bruno" | "chloe";
let poleId: string;
let ids: Record<Who, string>;
let cookies: Record<Who, string>;
let course: { id: string; title: string };
let past: string;
let other: string;
let upcoming: string;
let regs: { alice: string; bruno: string; chloe: string };

const path = (sessionId: string, page = "presences") => `/gestion/formations/sessions/${sessionId}/${page}`;
const get = (handler: Handler, url: string, who: Who | null, params: Record<string, string>) =>
  callRoute(handler, makeRequest(url, { cookie: who ? cookies[who] : undefined }), params);
const post = (
  handler: Handler,
  url: string,
  who: Who | null,
  params: Record<string, string>,
  form: Record<string, string>,
) => callRoute(handler, makeRequest(url, { cookie: who ? cookies[who] : undefined, form }), params);

const mark = (who: Who, sessionId: string, form: Record<string, string>) =>
  post(presences.action, path(sessionId), who, { sessionId }, { intent: "mark", ...form });

async function marked(marks: AttendanceMark[], sessionId = past) {
  const done = await markAttendance(db, {
    poleId,
    sessionId,
    marks,
    actor: { personId: ids.staff, staff: true },
    now: new Date(),
  });
  if (!done.ok) throw new Error(done.message);
}

/** The PDF's text in one line: items joined, lines that wrapped put back together. */
const flat = (body: Buffer) => pdfText(body).replace(/\s+/g, " ");

const pdfOf = async (response: Response) => {
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("application/pdf");
  return Buffer.from(await response.arrayBuffer());
};

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db, { name: "Organic'Vallée", legalName: "SCIC Organic'Vallée", siren: "912345675" })).id;
  const people: [Who, string, "STAFF" | "USER"][] = [
    ["staff", "Camille Équipe", "STAFF"],
    ["trainer", "Fanny Formatrice", "USER"],
    ["otherTrainer", "Omar Formateur", "USER"],
    ["user", "Ulysse Usager", "USER"],
    ["alice", "Alice Arnaud", "USER"],
    ["bruno", "Bruno Bernard", "USER"],
    ["chloe", "Chloé Charpentier", "USER"],
  ];
  ids = {} as typeof ids;
  cookies = {} as typeof cookies;
  for (const [who, name, role] of people) {
    ids[who] = (await createPerson(db, { poleId, name, role })).id;
    cookies[who] = await sessionCookie(ids[who]);
  }
  course = await createTrainingCourse(db, { poleId, title: "Initiation au maraîchage bio" });
  past = (
    await createTrainingSession(db, {
      poleId,
      courseId: course.id,
      day: "2024-03-11",
      trainerIds: [ids.trainer],
      now: THEN,
    })
  ).id;
  other = (
    await createTrainingSession(db, {
      poleId,
      courseId: course.id,
      day: "2024-03-12",
      trainerIds: [ids.otherTrainer],
      now: THEN,
    })
  ).id;
  upcoming = (
    await createTrainingSession(db, {
      poleId,
      courseId: course.id,
      day: "2027-03-15",
      trainerIds: [ids.trainer],
      now: new Date(),
    })
  ).id;
  const funder = await createOrganisation(db, { poleId, name: "OPCO Agri" });
  const confirmed = (who: Who, sessionId: string, funderId?: string) =>
    confirmedRegistration(db, { poleId, sessionId, personId: ids[who], staffId: ids.staff, funderId, now: THEN });
  regs = {
    alice: (await confirmed("alice", past)).id,
    bruno: (await confirmed("bruno", past, funder.id)).id,
    chloe: (await confirmed("chloe", other)).id,
  };
});

describe("who sees and marks attendance", () => {
  it("lets a trainer into their session's attendance page, marking it, and nowhere else of the back office", async () => {
    const inLayout = await get(layout.loader, path(past), "trainer", { sessionId: past });
    expect(inLayout.status).toBe(200);
    expect(await json(inLayout)).toEqual({ staff: false });
    for (const [url, params] of [
      ["/gestion", {}],
      ["/gestion/personnes", {}],
      [path(other), { sessionId: other }],
      [path(past, "avis"), { sessionId: past }],
    ] as const) {
      const refused = await get(layout.loader, url, "trainer", params);
      expect(refused.status).toBe(403);
    }
    expect((await get(layout.loader, path(past), "user", { sessionId: past })).status).toBe(403);
    expect(await json(await get(layout.loader, path(past), "staff", { sessionId: past }))).toEqual({ staff: true });

    const page = await get(presences.loader, path(past), "trainer", { sessionId: past });
    expect(page.status).toBe(200);
    const body = await json<{
      staff: boolean;
      rows: { name: string; organisation: string | null }[];
      halfDays: { key: string }[];
      selected: string;
    }>(page);
    expect(body.staff).toBe(false);
    expect(body.rows.map((r) => [r.name, r.organisation])).toEqual([
      ["Alice Arnaud", null],
      ["Bruno Bernard", "OPCO Agri"],
    ]);
    expect(body.halfDays.map((h) => h.key)).toEqual([MORNING, AFTERNOON]);
    expect(body.selected).toBe(AFTERNOON);

    const saved = await mark("trainer", past, { registrationId: regs.alice, halfDayStart: MORNING, status: "LATE" });
    expect(saved.status).toBe(200);
    expect(await json(saved)).toMatchObject({ saved: true });
    const row = await db.attendance.findFirstOrThrow();
    expect([row.registrationId, row.halfDayStart.toISOString(), row.status, row.markedById]).toEqual([
      regs.alice,
      MORNING,
      "LATE",
      ids.trainer,
    ]);

    const all = await post(
      presences.action,
      path(past),
      "trainer",
      { sessionId: past },
      {
        intent: "mark-all",
        halfDayStart: MORNING,
      },
    );
    expect(all.status).toBe(302);
    expect(all.headers.get("Location")).toContain("fait=tous");
    expect(
      (await db.attendance.findMany({ orderBy: { registrationId: "asc" } })).map((a) => [a.registrationId, a.status]),
    ).toEqual(
      [
        [regs.alice, "LATE"],
        [regs.bruno, "PRESENT"],
      ].sort((x, y) => (x[0] < y[0] ? -1 : 1)),
    );
  });

  it("refuses another session's attendance, a plain user, a visitor, and closing by a trainer", async () => {
    expect((await get(presences.loader, path(other), "trainer", { sessionId: other })).status).toBe(403);
    expect((await get(presences.loader, path(past), "user", { sessionId: past })).status).toBe(403);
    expect((await get(presences.loader, path(past), "alice", { sessionId: past })).status).toBe(403);
    expect((await get(presences.loader, path("inconnue"), "staff", { sessionId: "inconnue" })).status).toBe(404);
    const visitor = await get(presences.loader, path(past), null, { sessionId: past });
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toMatch(/^\/connexion\?redirectTo=/);

    const forbidden = await mark("trainer", other, {
      registrationId: regs.chloe,
      halfDayStart: "2024-03-12T08:00:00.000Z",
      status: "PRESENT",
    });
    expect(forbidden.status).toBe(403);
    expect(await errorsOf(forbidden)).toEqual({
      "": ["Cette page est réservée à l'équipe du pôle et aux formateurs de cette session."],
    });
    expect(
      (await mark("user", past, { registrationId: regs.alice, halfDayStart: MORNING, status: "PRESENT" })).status,
    ).toBe(403);
    const close = await post(presences.action, path(past), "trainer", { sessionId: past }, { intent: "deliver" });
    expect(close.status).toBe(403);
    expect(await db.attendance.count()).toBe(0);
    expect((await db.trainingSession.findUniqueOrThrow({ where: { id: past } })).status).not.toBe("DELIVERED");
  });

  it("answers each bad input with a French 4xx on its field, writing nothing", async () => {
    const cases: [Record<string, string>, number, string, string, string?][] = [
      [
        { registrationId: regs.alice, halfDayStart: MORNING, status: "DORMANT" },
        400,
        "status",
        "Choisissez présent·e, en retard, absent·e ou excusé·e.",
      ],
      [
        { registrationId: regs.alice, halfDayStart: "hier", status: "PRESENT" },
        400,
        "halfDayStart",
        "Choisissez une demi-journée de la session.",
      ],
      [
        { registrationId: "", halfDayStart: MORNING, status: "PRESENT" },
        400,
        "registrationId",
        "Choisissez une personne inscrite.",
      ],
      [
        { registrationId: regs.alice, halfDayStart: "2024-03-11T09:00:00.000Z", status: "PRESENT" },
        422,
        "halfDayStart",
        "Cette demi-journée n'appartient pas à la session.",
      ],
      [
        { registrationId: regs.chloe, halfDayStart: MORNING, status: "PRESENT" },
        422,
        "registrationId",
        "Cette personne n'est pas inscrite à cette session.",
      ],
    ];
    for (const [form, status, field, message] of cases) {
      const response = await mark("trainer", past, form);
      expect(response.status, JSON.stringify(form)).toBe(status);
      expect((await errorsOf(response))[field]).toEqual([message]);
    }
    // A held seat is not a registration to mark either.
    const held = await holdSeat(db, { poleId, sessionId: upcoming, personId: ids.user, now: new Date() });
    const notRegistered = await mark("trainer", upcoming, {
      registrationId: held.id,
      halfDayStart: "2027-03-15T08:00:00.000Z",
      status: "PRESENT",
    });
    expect(notRegistered.status).toBe(422);
    expect((await errorsOf(notRegistered)).registrationId).toEqual([
      "Cette personne n'est pas inscrite à cette session.",
    ]);
    // A half-day that has not begun.
    const future = await confirmedRegistration(db, {
      poleId,
      sessionId: upcoming,
      personId: ids.chloe,
      staffId: ids.staff,
      now: new Date(),
    });
    const early = await mark("trainer", upcoming, {
      registrationId: future.id,
      halfDayStart: "2027-03-15T08:00:00.000Z",
      status: "PRESENT",
    });
    expect(early.status).toBe(409);
    expect((await errorsOf(early)).halfDayStart?.[0]).toMatch(/^Cette demi-journée n'a pas encore commencé/);
    const unknown = await post(presences.action, path(past), "staff", { sessionId: past }, { intent: "dormir" });
    expect(unknown.status).toBe(400);
    const badAll = await post(
      presences.action,
      path(past),
      "staff",
      { sessionId: past },
      {
        intent: "mark-all",
        halfDayStart: "2024-03-11T07:00:00.000Z",
      },
    );
    expect(badAll.status).toBe(422);
    expect(await db.attendance.count()).toBe(0);
  });
});

describe("closing a session and its documents", () => {
  it("lets staff close it once; the trainee downloads their own certificate only", async () => {
    await marked([
      { registrationId: regs.alice, halfDayStart: new Date(MORNING), status: "PRESENT" },
      { registrationId: regs.alice, halfDayStart: new Date(AFTERNOON), status: "LATE" },
      { registrationId: regs.bruno, halfDayStart: new Date(MORNING), status: "PRESENT" },
      { registrationId: regs.bruno, halfDayStart: new Date(AFTERNOON), status: "ABSENT" },
    ]);
    const before = await json<{ deliverable: boolean; eligible: number; unmarked: number }>(
      await get(presences.loader, path(past), "staff", { sessionId: past }),
    );
    expect(before).toMatchObject({ deliverable: true, eligible: 1, unmarked: 0 });
    const closed = await post(presences.action, path(past), "staff", { sessionId: past }, { intent: "deliver" });
    expect(closed.status).toBe(302);
    expect(closed.headers.get("Location")).toBe(`${path(past)}?fait=close`);
    const again = await post(presences.action, path(past), "staff", { sessionId: past }, { intent: "deliver" });
    expect(again.status).toBe(409);
    expect(await errorsOf(again)).toEqual({ "": ["Cette session est déjà close."] });
    expect(await db.certificate.count()).toBe(1);
    const late = await mark("staff", past, { registrationId: regs.bruno, halfDayStart: AFTERNOON, status: "PRESENT" });
    expect(late.status).toBe(409);
    expect((await errorsOf(late))[""]).toEqual(["Cette session est close : ses présences ne se modifient plus."]);

    const url = (id: string) => `/compte/formations/${id}/attestation.pdf`;
    const own = await pdfOf(await get(myCertificate.loader, url(regs.alice), "alice", { registrationId: regs.alice }));
    const text = flat(own);
    for (const expected of [
      "ATTESTATION DE FIN DE FORMATION",
      "Alice Arnaud",
      "Initiation au maraîchage bio",
      "SCIC Organic'Vallée",
      "SIREN 912345675",
      "Savoir conduire une planche de culture.",
      "7 heures",
      "le 11 mars 2024",
      "Signature et cachet",
    ])
      expect(text, expected).toContain(expected);
    expect(text).toMatch(/2 demi-journées suivies sur 2 demi-journées/);
    expect(text).toMatch(/n° ATT-\d{4}-0001/);
    expect(text).toMatch(/Fait à Montgiscard, le/);
    // Bruno attended half the session: no certificate; nobody gets another's.
    expect((await get(myCertificate.loader, url(regs.bruno), "bruno", { registrationId: regs.bruno })).status).toBe(
      404,
    );
    expect((await get(myCertificate.loader, url(regs.alice), "bruno", { registrationId: regs.alice })).status).toBe(
      404,
    );
    expect((await get(myCertificate.loader, url(regs.alice), "staff", { registrationId: regs.alice })).status).toBe(
      404,
    );
    const visitor = await get(myCertificate.loader, url(regs.alice), null, { registrationId: regs.alice });
    expect(visitor.status).toBe(302);
  });

  it("prints the attendance sheet with every confirmed person and every half-day, page after page", async () => {
    // A second session over two days: the first day crosses 13:00 (two half-days), the second is a morning.
    const room = await db.booking.findFirstOrThrow({ where: { trainingSessionId: past } });
    const { scheduleSession } = await import("~/domain/training/index.server");
    const long = await scheduleSession(db, {
      poleId,
      courseId: course.id,
      capacity: 40,
      minimum: 1,
      registrationDeadline: new Date("2024-03-13T20:00:00Z"),
      parts: [
        {
          resourceId: room.resourceId,
          startsAt: new Date("2024-03-14T08:00:00Z"),
          endsAt: new Date("2024-03-14T16:00:00Z"),
        },
        {
          resourceId: room.resourceId,
          startsAt: new Date("2024-03-15T08:00:00Z"),
          endsAt: new Date("2024-03-15T11:30:00Z"),
        },
      ],
      trainerIds: [ids.trainer],
      now: THEN,
    });
    if (!long.ok) throw new Error(long.message);
    const names: string[] = [];
    for (let i = 0; i < 24; i++) {
      const name = `Stagiaire ${String(i + 1).padStart(2, "0")} Dupont`;
      const person = await createPerson(db, { poleId, name });
      await confirmedRegistration(db, {
        poleId,
        sessionId: long.value.id,
        personId: person.id,
        staffId: ids.staff,
        now: THEN,
      });
      names.push(name);
    }
    const gone = await createPerson(db, { poleId, name: "Zoé Partie" });
    const cancelled = await confirmedRegistration(db, {
      poleId,
      sessionId: long.value.id,
      personId: gone.id,
      staffId: ids.staff,
      now: THEN,
    });
    const undone = await cancelRegistration(db, {
      poleId,
      registrationId: cancelled.id,
      actor: { personId: ids.staff, staff: true },
      now: THEN,
    });
    expect(undone.ok).toBe(true);
    await holdSeat(db, { poleId, sessionId: long.value.id, personId: ids.user, now: THEN });
    const first = await db.registration.findFirstOrThrow({
      where: { sessionId: long.value.id, status: "CONFIRMED", person: { name: names[0] } },
    });
    await marked(
      [{ registrationId: first.id, halfDayStart: new Date("2024-03-15T08:00:00Z"), status: "EXCUSED" }],
      long.value.id,
    );

    const id = long.value.id;
    const response = await get(sheet.loader, path(id, "emargement.pdf"), "trainer", { sessionId: id });
    const body = await pdfOf(response);
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="emargement-2024-03-14-/);
    const text = flat(body);
    for (const expected of [
      "FEUILLE D'ÉMARGEMENT",
      "Organic'Vallée",
      "Initiation au maraîchage bio",
      "Fanny Formatrice",
    ])
      expect(text).toContain(expected);
    for (const name of names) expect(text).toContain(name);
    expect(text).not.toContain("Zoé Partie");
    expect(text).not.toContain("Ulysse Usager");
    // Three half-days, each with its date and its part of the day; the excused mark is printed.
    for (const head of ["14 mars 2024", "15 mars 2024", "matin (09:00)", "après-midi (13:00)"])
      expect(text).toContain(head);
    expect(pdfTextPages(body).filter((page) => page.includes("matin (09:00)")).length).toBeGreaterThan(1);
    expect(text).toContain("Excusé·e");
    expect(text).toContain("Signature du formateur ou de la formatrice");

    // The first session's sheet names its funder; only staff and its trainer may print it.
    const own = pdfText(
      await pdfOf(await get(sheet.loader, path(past, "emargement.pdf"), "staff", { sessionId: past })),
    );
    for (const expected of [
      "Alice Arnaud",
      "Bruno Bernard",
      "OPCO Agri",
      "11 mars 2024",
      "matin (09:00)",
      "après-midi (13:30)",
    ])
      expect(own).toContain(expected);
    expect(own).not.toContain("Chloé Charpentier");
    for (const who of ["user", "otherTrainer", "alice"] as const)
      expect((await get(sheet.loader, path(past, "emargement.pdf"), who, { sessionId: past })).status).toBe(403);
  });
});

describe("the satisfaction form and its results", () => {
  const answer = (who: Who, registrationId: string, form: Record<string, string>) =>
    post(myAnswer.action, `/compte/formations/${registrationId}/avis`, who, { registrationId }, form);
  const valid = {
    overall: "5",
    content: "4",
    trainer: "5",
    organisation: "3",
    recommend: "oui",
    comment: "Très concret.",
  };

  it("is answered once by the trainee who attended a delivered session; staff read the results", async () => {
    const notYet = await get(myAnswer.loader, `/compte/formations/${regs.alice}/avis`, "alice", {
      registrationId: regs.alice,
    });
    expect(notYet.status).toBe(409);
    await marked([
      { registrationId: regs.alice, halfDayStart: new Date(MORNING), status: "PRESENT" },
      { registrationId: regs.bruno, halfDayStart: new Date(MORNING), status: "ABSENT" },
    ]);
    expect((await post(presences.action, path(past), "staff", { sessionId: past }, { intent: "deliver" })).status).toBe(
      302,
    );

    const page = await get(myAnswer.loader, `/compte/formations/${regs.alice}/avis`, "alice", {
      registrationId: regs.alice,
    });
    expect(await json(page)).toMatchObject({ course: "Initiation au maraîchage bio", answeredAt: null });
    const bad = await answer("alice", regs.alice, {
      ...valid,
      overall: "9",
      recommend: "peut-être",
      comment: "x".repeat(2001),
    });
    expect(bad.status).toBe(400);
    const errors = await errorsOf(bad);
    expect(errors.overall).toEqual(["Satisfaction générale : choisissez une note de 1 à 5."]);
    expect(errors.recommend).toEqual(["Dites-nous si vous recommanderiez cette formation."]);
    expect(errors.comment).toEqual(["Le commentaire ne peut pas dépasser 2 000 caractères."]);
    const missing = await answer("alice", regs.alice, { recommend: "oui" });
    expect(Object.keys(await errorsOf(missing)).sort()).toEqual(["content", "organisation", "overall", "trainer"]);
    expect(await db.satisfactionAnswer.count()).toBe(0);

    const done = await answer("alice", regs.alice, valid);
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe(`/compte/formations/${regs.alice}/avis`);
    const thanks = await get(myAnswer.loader, `/compte/formations/${regs.alice}/avis`, "alice", {
      registrationId: regs.alice,
    });
    expect((await json<{ answeredAt: string | null }>(thanks)).answeredAt).not.toBeNull();
    const twice = await answer("alice", regs.alice, valid);
    expect(twice.status).toBe(409);
    expect(await errorsOf(twice)).toEqual({ "": ["Vous avez déjà donné votre avis sur cette session. Merci !"] });

    // Someone else's registration is a 404; one who did not attend is refused.
    expect((await answer("bruno", regs.alice, valid)).status).toBe(404);
    const absent = await answer("bruno", regs.bruno, valid);
    expect(absent.status).toBe(403);
    expect(await db.satisfactionAnswer.count()).toBe(1);

    const read = await get(results.loader, path(past, "avis"), "staff", { sessionId: past });
    expect(read.status).toBe(200);
    const body = await json<{
      count: number;
      attendees: number;
      recommendPercent: number;
      comments: { comment: string }[];
    }>(read);
    expect([body.count, body.attendees, body.recommendPercent]).toEqual([1, 1, 100]);
    expect(body.comments.map((c) => c.comment)).toEqual(["Très concret."]);
    expect((await get(results.loader, path(past, "avis"), "trainer", { sessionId: past })).status).toBe(403);
    expect((await get(results.loader, path("inconnue", "avis"), "staff", { sessionId: "inconnue" })).status).toBe(404);
  });

  it("lists the sessions a trainer trains, upcoming, recent and not closed, and none to others", async () => {
    // A session that ended a few days ago: the last weekday at least two days back.
    const day = new Date(Date.now() - 2 * 86_400_000);
    while ([0, 6].includes(day.getUTCDay())) day.setUTCDate(day.getUTCDate() - 1);
    const recent = (
      await createTrainingSession(db, {
        poleId,
        courseId: course.id,
        day: day.toISOString().slice(0, 10),
        trainerIds: [ids.trainer],
        now: new Date(day.getTime() - 10 * 86_400_000),
      })
    ).id;
    const mine = await json<{ upcoming: { id: string }[]; recent: { id: string }[] }>(
      await get(trained.loader, "/compte/formations/animees", "trainer", {}),
    );
    expect(mine.upcoming.map((s) => s.id)).toEqual([upcoming]);
    // The recent one first, then the March 2024 one: long over, but not closed yet.
    expect(mine.recent.map((s) => s.id)).toEqual([recent, past]);
    // Once closed, an old session leaves the list.
    await db.trainingSession.update({ where: { id: past }, data: { status: "DELIVERED", deliveredAt: new Date() } });
    const later = await json<{ recent: { id: string }[] }>(
      await get(trained.loader, "/compte/formations/animees", "trainer", {}),
    );
    expect(later.recent.map((s) => s.id)).toEqual([recent]);
    const theirs = await json<{ upcoming: unknown[]; recent: unknown[] }>(
      await get(trained.loader, "/compte/formations/animees", "user", {}),
    );
    expect(theirs).toEqual({ upcoming: [], recent: [] });
    const visitor = await get(trained.loader, "/compte/formations/animees", null, {});
    expect(visitor.status).toBe(302);
  });
});
