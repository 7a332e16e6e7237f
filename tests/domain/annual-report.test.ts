import { beforeAll, describe, expect, it } from "vitest";
import { bookOnBehalf, closeResource, coworkingActivity } from "~/domain/booking/index.server";
import { parisInstant, toMinutes } from "~/domain/booking/time";
import {
  addTier,
  confirmPledgeReceived,
  createCampaign,
  crowdfundingActivity,
  pledge,
  publishCampaign,
  sweepCampaignClosings,
} from "~/domain/crowdfunding/index.server";
import {
  acceptOffer,
  invoiceDueInstalments,
  landActivity,
  offerPlot,
  renewLease,
  submitApplication,
} from "~/domain/leasing/index.server";
import { createFiscalYear, dashboard, post, savePlanLine } from "~/domain/ledger/index.server";
import { isoDate, type IsoDate } from "~/domain/ledger/dates";
import { cents } from "~/domain/money";
import { annualReport, renderAnnualReportPdf, reportYear, type AnnualReport } from "~/domain/reporting/index.server";
import { STREAM_ACTIVITIES } from "~/domain/streams.server";
import { recogniseRegistration, trainingActivity } from "~/domain/training/index.server";
import type { Stream } from "~/generated/prisma/enums";
import { db, inTransaction } from "~/utils/db.server";
import { createLandTerms, createPerson, createPlot, createPole, createResource, createSpace } from "../factories";
import { resetDatabase } from "../helpers";
import { pdfText } from "../pdf-text";
import { confirmedRegistration, createTrainingCourse, createTrainingSession } from "../training-factories";

// The annual report (decision 025) on one scenario built through the streams' own flows: a week of desk and room
// bookings with a closure and a training session in the room, three leases and a renewal, a delivered training,
// a keep-it-all campaign with a gift and shares, a plan, a bank charge, and the year before with a subsidy. Each
// stream's figures are checked by hand, the revenue and the ratio against the dashboard's own, the compte de
// résultat against the lines.

const NOW = new Date("2027-01-04T08:00:00Z");
const AFTER_YEAR = isoDate("2028-01-15");
let poleId: string;
let staffId: string;
const years: Record<string, string> = {};
let keys = 0;
const key = () => `cle-${++keys}`;
const must = <T>(result: { ok: true; value: T } | { ok: false; message: string }) => {
  if (!result.ok) throw new Error(result.message);
  return result.value;
};
const byLabel = (figures: { label: string; value: number | null }[]) =>
  Object.fromEntries(figures.map((f) => [f.label, f.value]));

async function fiscalYear(year: number) {
  must(await createFiscalYear(db, { poleId, startDate: isoDate(`${year}-01-01`), endDate: isoDate(`${year}-12-31`) }));
  years[year] = (await db.fiscalYear.findFirstOrThrow({ where: { poleId, startDate: new Date(`${year}-01-01`) } })).id;
}

const bank = (date: string, lines: { account: string; debit?: number; credit?: number }[]) =>
  post(db, {
    poleId,
    sourceKey: key(),
    date: isoDate(date),
    journal: "OD",
    label: "Écriture de test",
    pieceRef: "T",
    lines: lines.map((l) => ({
      account: l.account,
      debit: l.debit ? cents(l.debit) : undefined,
      credit: l.credit ? cents(l.credit) : undefined,
    })),
  });

let deskId: string;
let roomId: string;

async function coworking() {
  const space = await createSpace(db, { poleId });
  deskId = (await createResource(db, { poleId, spaceId: space.id, kind: "DESK" })).id;
  roomId = (await createResource(db, { poleId, spaceId: space.id, kind: "ROOM" })).id;
  const lea = await createPerson(db, { poleId, name: "Léa Fabre" });
  const marc = await createPerson(db, { poleId, name: "Marc Ollier" });
  const at = (day: string, hhmm: string) => parisInstant(isoDate(day), toMinutes(hhmm));
  const book = (resourceKey: string, personId: string, day: string, from: string, to: string, paid = true) =>
    bookOnBehalf(db, {
      poleId,
      resourceKey,
      personId,
      startsAt: at(day, from),
      endsAt: at(day, to),
      idempotencyKey: `staff:${key()}`,
      now: NOW,
      bookedById: staffId,
      settle: paid ? { method: "CASH", reference: "Reçu" } : "onsite",
    });
  must(await book(deskId, lea.id, "2027-03-08", "09:00", "12:30"));
  must(await book(deskId, lea.id, "2027-03-09", "09:00", "12:30"));
  must(await book(roomId, marc.id, "2027-03-08", "14:00", "16:00"));
  // Kept but not paid: not counted.
  must(await book(deskId, marc.id, "2027-03-10", "09:00", "12:30", false));
  // The room closed all Friday.
  must(
    await closeResource(db, {
      poleId,
      resourceKey: roomId,
      startsAt: at("2027-03-12", "00:00"),
      endsAt: at("2027-03-13", "00:00"),
      reason: "Peinture",
      staffId,
      idempotencyKey: key(),
      now: NOW,
    }),
  );
}

async function land() {
  await createLandTerms(db, { poleId, year: 2027 });
  await createLandTerms(db, { poleId, year: 2028 });
  const plots = [
    await createPlot(db, { poleId, code: "P1", surfaceM2: 20_000 }),
    await createPlot(db, { poleId, code: "P2", surfaceM2: 10_000 }),
    await createPlot(db, { poleId, code: "P3", surfaceM2: 5_000 }),
    await createPlot(db, { poleId, code: "P4", surfaceM2: 7_500 }),
  ];
  const jeanne = await createPerson(db, { poleId, name: "Jeanne Cazals" });
  const paul = await createPerson(db, { poleId, name: "Paul Rey" });
  const nina = await createPerson(db, { poleId, name: "Nina Puech" });
  const lease = async (
    personId: string,
    plot: { id: string },
    kind: "ESPACE_TEST" | "BAIL_RURAL" | "CONVENTION_PRECAIRE",
    startsOn: string,
    endsOn: string,
    accept = true,
  ) => {
    const application = must(
      await submitApplication(db, {
        poleId,
        personId,
        plotIds: [plot.id],
        minSurfaceM2: null,
        project: "Maraîchage sur sol vivant.",
        experience: "",
        desiredStartOn: isoDate(startsOn),
        leaseKind: kind,
        idempotencyKey: key(),
        today: isoDate("2027-01-04"),
        now: NOW,
      }),
    );
    const offered = must(
      await offerPlot(db, {
        poleId,
        applicationId: application.id,
        plotId: plot.id,
        startsOn: isoDate(startsOn),
        endsOn: isoDate(endsOn),
        frequency: "YEARLY",
        staffId,
        idempotencyKey: key(),
        now: NOW,
      }),
    );
    if (accept) must(await acceptOffer(db, { poleId, leaseId: offered.lease.id, personId, now: NOW }));
    return offered.lease.id;
  };
  const test = await lease(jeanne.id, plots[0], "ESPACE_TEST", "2027-03-01", "2028-03-01");
  await lease(paul.id, plots[1], "BAIL_RURAL", "2027-01-15", "2036-01-15");
  await lease(jeanne.id, plots[2], "CONVENTION_PRECAIRE", "2027-02-01", "2027-08-01");
  // An offer never answered: no lease.
  await lease(nina.id, plots[3], "ESPACE_TEST", "2027-04-01", "2028-04-01", false);
  must(await renewLease(db, { poleId, leaseId: test, staffId, now: NOW }));
}

async function training() {
  const course = await createTrainingCourse(db, { poleId, title: "Compostage" });
  const session = await createTrainingSession(db, { poleId, courseId: course.id, day: "2027-03-15", roomId, now: NOW });
  for (const name of ["Ana", "Bruno"]) {
    const person = await createPerson(db, { poleId, name });
    await confirmedRegistration(db, { poleId, sessionId: session.id, personId: person.id, staffId, now: NOW });
  }
  const delivered = new Date("2027-03-16T10:00:00Z");
  await db.trainingSession.update({ where: { id: session.id }, data: { status: "DELIVERED", deliveredAt: delivered } });
  for (const r of await db.registration.findMany({ where: { sessionId: session.id, status: "CONFIRMED" } }))
    await inTransaction(db, (tx) => recogniseRegistration(tx, r.id, delivered));
}

async function crowdfunding() {
  const during = new Date("2027-04-10T08:00:00Z");
  const campaign = must(
    await createCampaign(db, {
      poleId,
      slug: "four",
      title: "Un four à pain",
      goalCents: cents(50_000),
      mode: "KEEP_IT_ALL",
      startsAt: new Date("2027-04-01T00:00:00Z"),
      endsAt: new Date("2027-05-31T21:59:59Z"),
    }),
  );
  const gift = must(
    await addTier(db, { poleId, campaignId: campaign.id, name: "Don", kind: "GIFT", priceCents: cents(1_000) }),
  );
  const shares = must(
    await addTier(db, {
      poleId,
      campaignId: campaign.id,
      name: "Parts",
      kind: "SHARE",
      priceCents: cents(10_000),
      shareNominalCents: cents(5_000),
      minShares: 2,
      college: "Citoyens",
    }),
  );
  must(await publishCampaign(db, { poleId, campaignId: campaign.id }));
  const give = async (tierId: string, amount: number, received: boolean, shareCount?: number) => {
    const person = await createPerson(db, { poleId });
    const made = must(
      await pledge(db, {
        poleId,
        campaignId: campaign.id,
        tierId,
        personId: person.id,
        amountCents: cents(shareCount ? 0 : amount),
        shares: shareCount,
        method: "TRANSFER",
        idempotencyKey: key(),
        now: during,
      }),
    );
    if (received)
      must(
        await confirmPledgeReceived(db, {
          poleId,
          pledgeId: made.pledge.id,
          method: "TRANSFER",
          reference: "VIR",
          amountCents: amount,
          staffId,
          now: during,
        }),
      );
  };
  await give(gift.id, 3_000, true);
  await give(shares.id, 10_000, true, 2);
  await give(gift.id, 2_000, false); // promised, never received
  await sweepCampaignClosings(db, { stripe: null, now: new Date("2027-06-01T06:00:00Z") });
}

let report: AnnualReport;

beforeAll(async () => {
  await resetDatabase();
  poleId = (await createPole(db, { name: "Pôle des Coteaux", tagline: "Des terres et des gens." })).id;
  staffId = (await createPerson(db, { poleId, role: "STAFF" })).id;
  for (const year of [2025, 2026, 2027, 2028]) await fiscalYear(year);
  // 2026: a subsidy and a sale; 2028: a sale (after the report's year); 2025: nothing.
  await bank("2026-06-30", [
    { account: "512000", debit: 300_000 },
    { account: "740000", credit: 300_000 },
  ]);
  await bank("2026-07-01", [
    { account: "512000", debit: 100_000 },
    { account: "708000", credit: 100_000 },
  ]);
  await bank("2026-07-02", [
    { account: "627000", debit: 5_000 },
    { account: "512000", credit: 5_000 },
  ]);
  await bank("2028-02-01", [
    { account: "512000", debit: 50_000 },
    { account: "708000", credit: 50_000 },
  ]);
  // 2027: a bank charge, and the plan.
  await bank("2027-09-30", [
    { account: "627000", debit: 10_000 },
    { account: "512000", credit: 10_000 },
  ]);
  const planned: [Stream, number][] = [
    ["COWORKING", 100_000],
    ["LAND", 50_000],
    ["TRAINING", 40_000],
    ["CROWDFUNDING", 20_000],
    ["SUBSIDY", 200_000],
  ];
  for (const [stream, amount] of planned)
    must(
      await savePlanLine(db, {
        poleId,
        fiscalYearId: years[2027],
        stream,
        label: `Objectif ${stream}`,
        period: "YEAR",
        amount: cents(amount),
      }),
    );
  // In the order of their invoices' dates (invoice numbers follow them).
  await coworking();
  await training();
  await land();
  await crowdfunding();
  // The rent instalments due by June, invoiced as the land sweep does on their due dates: LAND revenue.
  await inTransaction(db, (tx) =>
    invoiceDueInstalments(tx, { today: isoDate("2027-06-01"), now: new Date("2027-06-01T06:00:00Z") }),
  );
  report = must(
    await annualReport(db, { poleId, fiscalYearId: years[2027], today: AFTER_YEAR, sources: STREAM_ACTIVITIES }),
  );
});

const period = (from: string, to: string) => ({ poleId, from: isoDate(from), to: isoDate(to) });
const yearOf = (y: number) => period(`${y}-01-01`, `${y}-12-31`);

describe("each stream's activity", () => {
  it("desks and rooms: occupancy over opening hours less closures and trainings, hours booked, people", async () => {
    // Monday 8 to Monday 15 March 2027: a desk opens 10 h Monday to Thursday and 9 h on Friday (59 h); the room
    // loses Friday to its closure and 7 h on Monday 15 to the training (43 h).
    const week = await coworkingActivity(db, period("2027-03-08", "2027-03-15"));
    expect(byLabel(week.figures)).toEqual({
      "Occupation des postes": 7 / 59,
      "Occupation des salles": 2 / 43,
      "Heures réservées": 9,
      Réservations: 3,
      "Personnes ayant réservé": 2,
    });
    expect(week.figures[0].note).toBe("7\u00a0h réservées sur 59\u00a0h ouvertes");
    expect(week.summary).toMatch(/^1 poste et 1 salle ouverts/);
    // Another week: nothing booked, the room fully open.
    const later = await coworkingActivity(db, period("2027-03-22", "2027-03-28"));
    expect(byLabel(later.figures)).toMatchObject({
      "Occupation des postes": 0,
      "Heures réservées": 0,
      Réservations: 0,
    });
    expect(later.figures[1].note).toBe("0\u00a0h réservées sur 49\u00a0h ouvertes");
  });

  it("land: hectares leased on the last day, plots, tenants, espace-test against long leases, a renewal once", async () => {
    expect(byLabel((await landActivity(db, yearOf(2027))).figures)).toEqual({
      "Surface louée au 31 décembre 2027": 3,
      "Parcelles louées": 3,
      "Fermiers locataires": 2,
      "Espaces-test": 1,
      "Baux ruraux": 1,
      "Conventions précaires": 1,
    });
    // 2028: the espace-test and its renewal are one tenancy; the convention ended in 2027.
    const next = await landActivity(db, yearOf(2028));
    expect(byLabel(next.figures)).toMatchObject({
      "Surface louée au 31 décembre 2028": 3,
      "Parcelles louées": 2,
      "Espaces-test": 1,
      "Baux ruraux": 1,
      "Conventions précaires": 0,
    });
    expect(next.figures[0].note).toBe("sur 4,25\u00a0ha de parcelles");
    // Before the first lease: nothing.
    expect(byLabel((await landActivity(db, yearOf(2026))).figures)).toMatchObject({
      "Surface louée au 31 décembre 2026": 0,
      "Parcelles louées": 0,
      "Fermiers locataires": 0,
    });
  });

  it("trainings: the yearly report's sessions, trainees and hours × trainees over the period", async () => {
    expect(byLabel((await trainingActivity(db, yearOf(2027))).figures)).toEqual({
      "Sessions réalisées": 1,
      "Formations différentes": 1,
      Stagiaires: 2,
      Inscriptions: 2,
      "Heures-stagiaires": 14,
    });
    expect(byLabel((await trainingActivity(db, period("2027-04-01", "2027-12-31"))).figures)).toMatchObject({
      "Sessions réalisées": 0,
      Stagiaires: 0,
    });
  });

  it("crowdfunding: campaigns, contributors, money collected and shares, promises left out", async () => {
    const year = await crowdfundingActivity(db, yearOf(2027));
    expect(byLabel(year.figures)).toEqual({
      Campagnes: 1,
      Contributeurs: 2,
      "Montant collecté": 13_000,
      "Parts sociales souscrites": 2,
      "Capital souscrit": 10_000,
    });
    expect(year.figures[0].note).toBe("1 close(s) dans la période, 1 réussie(s)");
    expect(byLabel((await crowdfundingActivity(db, yearOf(2026))).figures)).toMatchObject({
      Campagnes: 0,
      Contributeurs: 0,
      "Montant collecté": 0,
    });
  });
});

describe("the annual report of a year", () => {
  it("names the pole and the year, provisional until closed, one section per stream of the registry", async () => {
    expect(report.pole).toMatchObject({ name: "Pôle des Coteaux", tagline: "Des terres et des gens." });
    expect(report.fiscalYear).toMatchObject({ label: "Exercice 2027", closed: false });
    expect(report).toMatchObject({ asOf: "2027-12-31", provisional: true });
    expect(report.activityPeriod).toEqual({ from: "2027-01-01", to: "2027-12-31" });
    expect(report.sections.map((s) => s.label)).toEqual([
      "Coworking",
      "Terres agricoles",
      "Financement participatif",
      "Formations",
    ]);
    for (const s of report.sections) {
      const source = STREAM_ACTIVITIES.find((a) => a.stream === s.stream)!;
      expect(s.activity).toEqual(await source.activity(db, yearOf(2027)));
    }
  });

  it("shows each stream's revenue against the plan as the dashboard reckons it", async () => {
    const board = await dashboard(db, { poleId, fiscalYearId: years[2027], today: AFTER_YEAR });
    for (const row of report.revenue.perStream) {
      const same = board.perStream.find((s) => s.stream === row.stream)!;
      expect(row).toMatchObject({ plan: same.plan, actual: same.actualToDate, variance: same.variance });
    }
    const cell = (stream: Stream) => report.revenue.perStream.find((s) => s.stream === stream)!;
    expect(cell("COWORKING").plan).toBe(100_000);
    // The training's two seats at the public price, 240 € incl. 20 % VAT: 400 € recognised at delivery.
    expect(cell("TRAINING").actual).toBe(40_000);
    expect(cell("COWORKING").actual).toBeGreaterThan(0);
    expect(cell("LAND").actual).toBeGreaterThan(0);
    expect(report.sections.find((s) => s.stream === "TRAINING")!.revenue).toEqual(cell("TRAINING"));
    expect(report.revenue.total.actual).toBe(board.total.actualToDate);
  });

  it("gives the ratio of every year with entries up to this one, each from its dashboard", async () => {
    expect(report.autofinancement.map((y) => y.label)).toEqual(["Exercice 2026", "Exercice 2027"]);
    const before = await dashboard(db, { poleId, fiscalYearId: years[2026], today: AFTER_YEAR });
    expect(report.autofinancement[0].actual).toEqual(before.autofinancement.toDate);
    expect(report.autofinancement[0].actual.ratio).toBe(1_000 / 4_000);
    expect(report.autofinancement[1].planned.ratio).toBe(210_000 / 410_000);
  });

  it("sums the compte de résultat from classes 6 and 7, with the year before", async () => {
    const [lines] = await db.$queryRaw<{ income: bigint }[]>`
      SELECT sum(l."credit" - l."debit")::bigint AS income FROM "EntryLine" l JOIN "Account" a ON a."id" = l."accountId"
      WHERE l."poleId" = ${poleId} AND a."code" LIKE '7%' AND l."date" BETWEEN '2027-01-01' AND '2027-12-31'`;
    expect(report.result.current).toEqual({
      label: "Exercice 2027",
      income: Number(lines.income),
      expenses: 10_000,
      result: Number(lines.income) - 10_000,
    });
    expect(report.result.previous).toEqual({
      label: "Exercice 2026",
      income: 400_000,
      expenses: 5_000,
      result: 395_000,
    });
  });

  it("leaves out an entry that carries charges and income to a result account", async () => {
    await bank("2028-12-31", [
      { account: "708000", debit: 50_000 },
      { account: "120000", credit: 50_000 },
    ]);
    const next = must(
      await annualReport(db, { poleId, fiscalYearId: years[2028], today: isoDate("2029-01-10"), sources: [] }),
    );
    expect(next.result.current).toMatchObject({ income: 50_000, expenses: 0, result: 50_000 });
    expect(next.result.previous).toMatchObject({ label: "Exercice 2027" });
    expect(next.sections).toEqual([]);
  });

  it("reads a year under way up to today, and a year not begun without activity", async () => {
    const today = isoDate("2027-03-09");
    const running = must(
      await annualReport(db, { poleId, fiscalYearId: years[2027], today, sources: STREAM_ACTIVITIES }),
    );
    expect(running).toMatchObject({
      asOf: today,
      provisional: true,
      activityPeriod: { from: "2027-01-01", to: today },
    });
    const desks = running.sections.find((s) => s.stream === "COWORKING")!.activity!;
    expect(byLabel(desks.figures)["Réservations"]).toBe(3);
    const ahead = must(
      await annualReport(db, {
        poleId,
        fiscalYearId: years[2028],
        today: isoDate("2027-06-01"),
        sources: STREAM_ACTIVITIES,
      }),
    );
    expect(ahead.activityPeriod).toBeNull();
    expect(ahead.sections.every((s) => s.activity === null)).toBe(true);
  });

  it("refuses a year of another pole or none, in French", async () => {
    const other = await createPole(db);
    const theirs = await createFiscalYear(db, {
      poleId: other.id,
      startDate: isoDate("2027-01-01"),
      endDate: isoDate("2027-12-31"),
    });
    const theirId = must(theirs).id;
    for (const fiscalYearId of [theirId, "nope"]) {
      expect(await annualReport(db, { poleId, fiscalYearId, today: AFTER_YEAR, sources: [] })).toMatchObject({
        ok: false,
        status: 404,
        message: "Cet exercice n'existe pas.",
      });
      expect(await reportYear(db, { poleId, requested: fiscalYearId, today: AFTER_YEAR })).toMatchObject({
        ok: false,
        status: 404,
      });
    }
  });

  it("opens on the latest year that has ended", async () => {
    const pick = (today: IsoDate) => reportYear(db, { poleId, today });
    expect(must(await pick(isoDate("2028-03-01"))).selectedId).toBe(years[2027]);
    expect(must(await pick(isoDate("2025-06-01"))).selectedId).toBe(years[2025]);
    expect(must(await pick(isoDate("2029-06-01"))).selectedId).toBe(years[2028]);
  });
});

describe("the PDF", () => {
  it("opens as a PDF and shows the pole's name, each stream's section and the summaries", async () => {
    const file = await renderAnnualReportPdf(report);
    expect(file.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(file.subarray(-6).toString("latin1")).toContain("%%EOF");
    const text = pdfText(file);
    for (const words of [
      "Pôle des Coteaux",
      "Rapport annuel",
      "Exercice 2027",
      "Coworking",
      "Terres agricoles",
      "Financement participatif",
      "Formations",
      "Autofinancement au fil des exercices",
      "Compte de résultat (résumé)",
      "Heures-stagiaires",
      "Surface louée au 31 décembre 2027",
    ])
      expect(text).toContain(words);
    expect(text).toContain("Document provisoire");
  });
});
