import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { createPerson, createPole } from "../factories";
import { resetDatabase, sessionCookie } from "../helpers";
import { useHttpServer } from "../http-server";
import { comingWinterMonday, createTrainingCourse, createTrainingSession } from "../training-factories";

// Never overbooked, proven through the real HTTP server (issue 15, decision 020): 50 logged-in people press
// "Réserver ma place" at once for the last 3 seats of a session. The session's seat counter, moved by one
// conditional UPDATE and held by a CHECK, lets 3 through — each led to their held registration — and the others get
// a clear French 409 offering the waiting list, with nothing written for them.
// (On the embedded database requests are served one at a time, so there the race cannot really collide.)

const server = useHttpServer();
const people: string[] = [];
let sessionId: string;

beforeAll(async () => {
  await resetDatabase();
  const pole = await createPole(db);
  const course = await createTrainingCourse(db, { poleId: pole.id, slug: "maraichage" });
  const session = await createTrainingSession(db, {
    poleId: pole.id,
    courseId: course.id,
    day: comingWinterMonday(),
    capacity: 12,
    now: new Date(),
  });
  sessionId = session.id;
  // 9 of the 12 seats are taken already: 3 are left.
  await db.trainingSession.update({ where: { id: sessionId }, data: { seatsTaken: 9 } });
  for (let i = 0; i < 50; i++) people.push(await sessionCookie((await createPerson(db, { poleId: pole.id })).id));
});

describe("50 concurrent sign-ups for the last 3 seats of a session", () => {
  it("end with exactly 3 held registrations and 47 refusals in French", async () => {
    const responses = await Promise.all(
      people.map((cookie, i) =>
        fetch(`${server.baseUrl}/formations/maraichage/inscription?session=${sessionId}`, {
          method: "POST",
          redirect: "manual",
          headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ idempotencyKey: `course-inscription-${i}` }),
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 302)).toHaveLength(3);
    expect(statuses.filter((s) => s === 409)).toHaveLength(47);
    const registrations = await db.registration.findMany({ where: { sessionId } });
    expect(registrations).toHaveLength(3);
    expect(registrations.every((r) => r.status === "HELD")).toBe(true);
    // Each winner is led to their own held registration.
    const locations = responses.filter((r) => r.status === 302).map((r) => r.headers.get("Location"));
    expect(new Set(locations)).toEqual(new Set(registrations.map((r) => `/compte/formations/${r.id}?place=retenue`)));
    const refusal = await responses.find((r) => r.status === 409)!.text();
    expect(refusal).toContain("Cette session est complète : inscrivez-vous sur sa liste d&#x27;attente.");
    const session = await db.trainingSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session.seatsTaken).toBe(session.capacity);
  });
});
