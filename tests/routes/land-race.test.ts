import { beforeAll, describe, expect, it } from "vitest";
import { submitApplication } from "~/domain/leasing/index.server";
import { parisDate } from "~/domain/ledger/dates";
import { db } from "~/utils/db.server";
import { createLandTerms, createPerson, createPole, createPlot } from "../factories";
import { resetDatabase, sessionCookie } from "../helpers";
import { useHttpServer } from "../http-server";

// Never leased twice, through the real HTTP server: two staff press "Proposer la parcelle" at the same moment,
// for the same plot, to two applications. The exclusion constraint lets one offer through; the other gets a
// clear 409. (On the embedded database requests run one at a time: there the race cannot really collide.)

const server = useHttpServer();
const staff: string[] = [];
const applications: string[] = [];
let plotId: string;

beforeAll(async () => {
  await resetDatabase();
  const pole = await createPole(db);
  const today = parisDate(new Date());
  await createLandTerms(db, { poleId: pole.id, year: Number(today.slice(0, 4)) });
  plotId = (await createPlot(db, { poleId: pole.id, code: "P01" })).id;
  for (let i = 0; i < 2; i++) {
    staff.push(await sessionCookie((await createPerson(db, { poleId: pole.id, role: "STAFF" })).id));
    const farmer = await createPerson(db, { poleId: pole.id });
    const applied = await submitApplication(db, {
      poleId: pole.id,
      personId: farmer.id,
      plotIds: [plotId],
      minSurfaceM2: null,
      project: "Maraîchage.",
      experience: "",
      desiredStartOn: today,
      leaseKind: "ESPACE_TEST",
      idempotencyKey: `race-${i}`,
      today,
      now: new Date(Date.now() + i),
    });
    if (!applied.ok) throw new Error(applied.message);
    applications.push(applied.value.id);
  }
});

describe("two staff offering the same plot at once", () => {
  it("end with one offer and one clear refusal", async () => {
    const today = parisDate(new Date());
    const responses = await Promise.all(
      applications.map((applicationId, i) =>
        fetch(`${server.baseUrl}/gestion/terres/candidatures/${applicationId}`, {
          method: "POST",
          redirect: "manual",
          headers: { Cookie: staff[i], "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            intent: "offer",
            plotId,
            startsOn: today,
            endsOn: "",
            rentPerHectare: "",
            frequency: "QUARTERLY",
            idempotencyKey: `offre-course-${i}`,
          }),
        }),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([302, 409]);
    expect(await responses.find((r) => r.status === 409)!.text()).toContain(
      "Cette parcelle est déjà louée ou proposée sur cette période.",
    );
    expect(await db.lease.count({ where: { plotId, status: "OFFERED" } })).toBe(1);
  });
});
