import { beforeAll, describe, expect, it } from "vitest";
import { addDays, mondayOf } from "~/domain/booking/time";
import { parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { createPerson, createPole, createResource, createSpace } from "../factories";
import { resetDatabase, sessionCookie } from "../helpers";
import { useHttpServer } from "../http-server";

// Never double-booked, proven through the real HTTP server: 50 people press "Réserver" at once on
// overlapping ranges of one desk. The exclusion constraint lets one through; the others get a clear 409.
// (On the embedded database requests are served one at a time, so there the race cannot really collide.)

const server = useHttpServer();
const people: string[] = [];
const staff: string[] = [];
let roomId: string;

beforeAll(async () => {
  await resetDatabase();
  const pole = await createPole(db);
  const space = await createSpace(db, { poleId: pole.id });
  await createResource(db, { poleId: pole.id, spaceId: space.id, kind: "DESK", slug: "poste-course" });
  roomId = (await createResource(db, { poleId: pole.id, spaceId: space.id, kind: "ROOM", slug: "salle-course" })).id;
  for (let i = 0; i < 50; i++) people.push(await sessionCookie((await createPerson(db, { poleId: pole.id })).id));
  for (let i = 0; i < 2; i++)
    staff.push(await sessionCookie((await createPerson(db, { poleId: pole.id, role: "STAFF" })).id));
});

const post = (path: string, cookie: string, form: Record<string, string>) =>
  fetch(`${server.baseUrl}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });

describe("50 concurrent bookings of one desk over overlapping ranges", () => {
  it("end with exactly one booking held and 49 refusals in French", async () => {
    const day = addDays(mondayOf(parisDate(new Date())), 9);
    const ranges = [
      ["08:30", "12:30"],
      ["10:00", "14:00"],
      ["12:00", "16:00"],
      ["09:00", "18:00"],
    ];
    const responses = await Promise.all(
      people.map((cookie, i) => {
        const [start, end] = ranges[i % ranges.length];
        return post("/espaces/poste-course", cookie, {
          intent: "hold",
          idempotencyKey: `course-${i}-cle`,
          date: day,
          start,
          end,
        });
      }),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 302)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const refusal = await responses.find((r) => r.status === 409)!.text();
    expect(refusal).toContain("Ce créneau vient d&#x27;être réservé par quelqu&#x27;un d&#x27;autre");
    const winner = responses.find((r) => r.status === 302)!;
    expect(winner.headers.get("location")).toMatch(/^\/compte\/reservations\/\w+$/);
    expect(await db.booking.count({ where: { status: { in: ["HELD", "AWAITING_PAYMENT", "CONFIRMED"] } } })).toBe(1);
  });
});

describe("two staff closing one room at once over overlapping periods", () => {
  it("end with exactly one closure and one clear refusal", async () => {
    const monday = addDays(mondayOf(parisDate(new Date())), 14);
    const [a, b] = await Promise.all([
      post(`/gestion/espaces/ressources/${roomId}`, staff[0], {
        intent: "close",
        idempotencyKey: "fermeture-a-cle",
        startDate: monday,
        startTime: "08:00",
        endDate: addDays(monday, 2),
        endTime: "18:00",
        reason: "Peinture des murs",
      }),
      post(`/gestion/espaces/ressources/${roomId}`, staff[1], {
        intent: "close",
        idempotencyKey: "fermeture-b-cle",
        startDate: addDays(monday, 1),
        startTime: "09:00",
        endDate: addDays(monday, 1),
        endTime: "12:00",
        reason: "Réparation du vidéoprojecteur",
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([302, 409]);
    const refusal = await (a.status === 409 ? a : b).text();
    expect(refusal).toContain("occupe déjà cette période");
    expect(await db.booking.count({ where: { resourceId: roomId, kind: "CLOSURE", status: "CONFIRMED" } })).toBe(1);
  });
});
