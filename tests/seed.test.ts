import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../prisma/seed";
import { DEMO_ACCOUNTS, DEMO_POLE } from "../prisma/demo/pole";
import { coworkingActivity } from "~/domain/booking/index.server";
import { authenticate } from "~/domain/identity/index.server";
import { isoDate } from "~/domain/ledger/dates";
import {
  dashboard,
  DEMO_FEE,
  FEC_HEADER,
  fecExport,
  fiscalYearOf,
  fromSqlDate,
  listStatements,
  listUnmatchedEntryLines,
  parisDate,
} from "~/domain/ledger/index.server";
import { decodeLatin9 } from "~/domain/ledger/latin9";
import { inTransaction, db } from "~/utils/db.server";
import { resetDatabase } from "./helpers";

async function snapshot() {
  const [poles, people, memberships, organisations] = await Promise.all([
    db.pole.findMany({ orderBy: { id: "asc" } }),
    db.person.findMany({ orderBy: { id: "asc" } }),
    db.membership.findMany({ orderBy: { id: "asc" } }),
    db.organisation.findMany({ orderBy: { id: "asc" } }),
  ]);
  const [accounts, fiscalYears, entries, lines, invoices, invoiceLines, counters, planLines] = await Promise.all([
    db.account.findMany({ orderBy: { id: "asc" } }),
    db.fiscalYear.findMany({ orderBy: { id: "asc" } }),
    db.journalEntry.findMany({ orderBy: { id: "asc" } }),
    db.entryLine.findMany({ orderBy: { id: "asc" } }),
    db.invoice.findMany({ orderBy: { id: "asc" } }),
    db.invoiceLine.findMany({ orderBy: { id: "asc" } }),
    db.invoiceCounter.findMany({ orderBy: [{ poleId: "asc" }, { kind: "asc" }, { year: "asc" }] }),
    db.businessPlanLine.findMany({ orderBy: { id: "asc" } }),
  ]);
  const [spaces, resources, rates, passProducts, passes, bookings, payments] = await Promise.all([
    db.space.findMany({ orderBy: { id: "asc" } }),
    db.resource.findMany({ orderBy: { id: "asc" } }),
    db.resourceRate.findMany({ orderBy: [{ resourceId: "asc" }, { unit: "asc" }] }),
    db.passProduct.findMany({ orderBy: { id: "asc" } }),
    db.pass.findMany({ orderBy: { id: "asc" } }),
    db.booking.findMany({ orderBy: { id: "asc" } }),
    db.payment.findMany({ orderBy: { id: "asc" } }),
  ]);
  const [plots, bounds, indexes, applications, entriesOfQueue, leases, instalments] = await Promise.all([
    db.plot.findMany({ orderBy: { id: "asc" } }),
    db.rentBounds.findMany({ orderBy: [{ poleId: "asc" }, { year: "asc" }] }),
    db.farmRentIndex.findMany({ orderBy: [{ poleId: "asc" }, { year: "asc" }] }),
    db.plotApplication.findMany({ orderBy: { id: "asc" } }),
    db.waitlistEntry.findMany({ orderBy: { id: "asc" } }),
    db.lease.findMany({ orderBy: { id: "asc" } }),
    db.rentInstalment.findMany({ orderBy: { id: "asc" } }),
  ]);
  const [campaigns, tiers, pledges] = await Promise.all([
    db.campaign.findMany({ orderBy: { id: "asc" } }),
    db.campaignTier.findMany({ orderBy: { id: "asc" } }),
    db.pledge.findMany({ orderBy: { id: "asc" } }),
  ]);
  const [courses, trainingSessions, registrations] = await Promise.all([
    db.course.findMany({ orderBy: { id: "asc" } }),
    db.trainingSession.findMany({ orderBy: { id: "asc" } }),
    db.registration.findMany({ orderBy: { id: "asc" } }),
  ]);
  const [bankStatements, bankLines, bankMatches] = await Promise.all([
    db.bankStatement.findMany({ orderBy: { id: "asc" } }),
    db.bankLine.findMany({ orderBy: { id: "asc" } }),
    db.bankMatch.findMany({ orderBy: { id: "asc" } }),
  ]);
  return {
    ...{ bankStatements, bankLines, bankMatches },
    campaigns,
    tiers,
    pledges,
    ...{ courses, trainingSessions, registrations },
    ...{
      poles,
      people,
      memberships,
      organisations,
      accounts,
      fiscalYears,
      entries,
      lines,
      invoices,
      invoiceLines,
      counters,
      planLines,
    },
    ...{ spaces, resources, rates, passProducts, passes, bookings, payments },
    ...{ plots, bounds, indexes, applications, entriesOfQueue, leases, instalments },
  };
}

// Seeding the whole demo takes tens of seconds, more on a loaded machine.
const SEED_TIMEOUT = 360_000;

describe("demo seed", () => {
  beforeAll(resetDatabase);

  it("builds a pole with 20+ member organisations and the four demo accounts", { timeout: SEED_TIMEOUT }, async () => {
    const pole = await inTransaction(db, (tx) => seedDemo(tx), { timeout: SEED_TIMEOUT });
    expect(pole).toMatchObject({ name: DEMO_POLE.name, siteHectares: 55 });
    expect(await db.organisation.count({ where: { poleId: pole.id, isMember: true } })).toBeGreaterThanOrEqual(20);
    expect((pole.axes as unknown[]).length).toBe(6);
    for (const account of DEMO_ACCOUNTS) {
      const result = await authenticate(db, { poleId: pole.id, email: account.email, password: account.password });
      expect(result.ok, account.email).toBe(true);
      expect((await db.membership.findFirstOrThrow({ where: { person: { email: account.email } } })).role).toBe(
        account.role,
      );
    }
  });

  it("gives the pole a year of balanced books up to yesterday and a business plan for the current year", async () => {
    const pole = await db.pole.findUniqueOrThrow({ where: { slug: DEMO_POLE.slug } });
    const today = parisDate(new Date());
    const unbalanced = await db.$queryRaw<{ entryId: string }[]>`
      SELECT "entryId" FROM "EntryLine" GROUP BY "entryId" HAVING sum("debit") <> sum("credit")`;
    expect(unbalanced).toEqual([]);
    const entries = await db.journalEntry.findMany({
      where: { poleId: pole.id },
      select: { date: true, sourceKey: true },
    });
    expect(entries.length).toBeGreaterThan(100);
    // The demo year runs up to yesterday; today only holds the sales the seed confirms (paid on site, trainings paid
    // by transfer) and the trainings staff closed today.
    expect(entries.filter((e) => e.date.toISOString().slice(0, 10) > today)).toEqual([]);
    expect(
      entries.filter(
        (e) => e.date.toISOString().slice(0, 10) === today && !/^(invoice|registration):/.test(e.sourceKey),
      ),
    ).toEqual([]);
    // Every entry is the demo's own, an invoice's, one a stream's domain posted (pledges, trainings delivered) or
    // the opening entry of last year's closing.
    expect(entries.filter((e) => !/^(demo|invoice|pledge|registration|closing):/.test(e.sourceKey))).toEqual([]);
    expect(await db.account.count({ where: { poleId: pole.id, code: { in: ["740100", "740200"] } } })).toBe(2);

    // The plain user of the demo can open an invoice from "Mon compte".
    const usager = DEMO_ACCOUNTS.find((a) => a.role === "USER")!;
    expect(await db.invoice.count({ where: { person: { email: usager.email } } })).toBeGreaterThan(0);
    const land = await db.invoice.findFirstOrThrow({ where: { poleId: pole.id, stream: "LAND" } });
    expect(land).toMatchObject({ totalTax: 0, vatMention: "Exonération de TVA, article 261 D 1° du CGI" });

    const year = await fiscalYearOf(db, pole.id, today);
    const d = await dashboard(db, { poleId: pole.id, fiscalYearId: year!.id, today });
    const plan = Object.fromEntries(d.perStream.map((s) => [s.stream, s.plan / 100]));
    expect(plan).toEqual({
      COWORKING: 48_000,
      LAND: 18_000,
      TRAINING: 30_000,
      CROWDFUNDING: 25_000,
      SUBSIDY: 120_000,
      OTHER: 6_000,
    });
    if (today.slice(5) > "01-16") {
      expect(d.perStream.find((s) => s.stream === "COWORKING")!.actualToDate).toBeGreaterThan(0);
      expect(d.autofinancement.toDate.ratio).not.toBeNull();
    }
  });

  it("opens two spaces with 15 desks and 3 rooms, booklets, and the coming days' bookings", async () => {
    const pole = await db.pole.findUniqueOrThrow({ where: { slug: DEMO_POLE.slug } });
    expect(await db.space.count({ where: { poleId: pole.id } })).toBe(2);
    expect(await db.resource.count({ where: { poleId: pole.id, kind: "DESK" } })).toBe(15);
    expect(await db.resource.count({ where: { poleId: pole.id, kind: "ROOM" } })).toBe(3);
    const statuses = await db.booking.groupBy({
      by: ["status", "kind"],
      where: { poleId: pole.id, startsAt: { gt: new Date() } },
      _count: true,
    });
    const count = (status: string, kind = "BOOKING") =>
      statuses.find((s) => s.status === status && s.kind === kind)?._count ?? 0;
    // The plan: paid by booklet, transfer or cash (6), kept to pay on site (4).
    expect(count("CONFIRMED")).toBe(6);
    expect(count("AWAITING_PAYMENT")).toBe(4);
    expect(count("CONFIRMED", "CLOSURE")).toBe(1);
    const usager = DEMO_ACCOUNTS.find((a) => a.role === "USER")!;
    expect(await db.pass.findFirst({ where: { person: { email: usager.email }, status: "ACTIVE" } })).toMatchObject({
      credits: 10,
      creditsUsed: 1,
    });
  });

  it("books last year's desks and meeting room behind its invoiced coworking, so the annual report has occupancy", async () => {
    const pole = await db.pole.findUniqueOrThrow({ where: { slug: DEMO_POLE.slug } });
    const year = Number(parisDate(new Date()).slice(0, 4)) - 1;
    const activity = await coworkingActivity(db, {
      poleId: pole.id,
      from: isoDate(`${year}-01-01`),
      to: isoDate(`${year}-12-31`),
    });
    const figure = (label: string) => activity.figures.find((f) => f.label === label)!.value!;
    // Eight resident desks every open day and ten nomad days a month, out of fifteen desks.
    expect(figure("Occupation des postes")).toBeGreaterThan(0.5);
    expect(figure("Occupation des postes")).toBeLessThan(0.65);
    expect(figure("Occupation des salles")).toBeGreaterThan(0);
    expect(figure("Personnes ayant réservé")).toBe(4);
    const usager = DEMO_ACCOUNTS.find((a) => a.role === "USER")!;
    const leasDays = await db.booking.count({
      where: {
        person: { email: usager.email },
        startsAt: { gte: new Date(`${year}-01-01T00:00:00Z`), lt: new Date(`${year + 1}-01-01T00:00:00Z`) },
      },
    });
    expect(leasDays).toBe(120);
  });

  it("draws 20 plots with running leases, an open offer and a queue in which Léa waits", async () => {
    const pole = await db.pole.findUniqueOrThrow({ where: { slug: DEMO_POLE.slug } });
    expect(await db.plot.count({ where: { poleId: pole.id } })).toBe(20);
    const leases = await db.lease.groupBy({ by: ["status"], where: { poleId: pole.id }, _count: true });
    expect(Object.fromEntries(leases.map((l) => [l.status, l._count]))).toEqual({ ACTIVE: 4, OFFERED: 1 });
    const waiting = await db.waitlistEntry.count({ where: { poleId: pole.id, kind: "PLOT", status: "WAITING" } });
    expect(waiting).toBe(3);
    const usager = DEMO_ACCOUNTS.find((a) => a.role === "USER")!;
    expect(await db.plotApplication.count({ where: { person: { email: usager.email } } })).toBe(1);
    // The leases that started today have their first rent invoiced, exempt of VAT.
    const invoiced = await db.rentInstalment.findMany({
      where: { poleId: pole.id, status: "INVOICED" },
      select: { invoiceId: true },
    });
    expect(invoiced.length).toBe(3);
    const rents = await db.invoice.findMany({ where: { id: { in: invoiced.map((i) => i.invoiceId!) } } });
    expect(rents.map((i) => [i.stream, i.totalTax, i.vatMention])).toEqual(
      Array(3).fill(["LAND", 0, "Exonération de TVA, article 261 D 1° du CGI"]),
    );
  });

  it("runs a live all-or-nothing campaign about half funded, and a past one whose money is in the books", async () => {
    const pole = await db.pole.findUniqueOrThrow({ where: { slug: DEMO_POLE.slug } });
    const live = await db.campaign.findFirstOrThrow({
      where: { poleId: pole.id, status: "PUBLISHED" },
      include: { tiers: true, _count: { select: { pledges: true } } },
    });
    expect(live.mode).toBe("ALL_OR_NOTHING");
    expect(live.tiers).toHaveLength(8);
    expect(live.tiers.map((t) => t.kind)).toEqual(expect.arrayContaining(["GIFT", "REWARD", "SHARE"]));
    expect(live.tiers.some((t) => t.rewardKind === "BOOKLET" && t.passProductId)).toBe(true);
    expect(live._count.pledges).toBe(100);
    expect(live.pledgedCents / live.goalCents).toBeGreaterThan(0.4);
    expect(live.pledgedCents / live.goalCents).toBeLessThan(0.65);
    expect(live.pledgeCount).toBe(100);
    expect(live.collectedCents).toBeGreaterThan(0);

    const past = await db.campaign.findFirstOrThrow({ where: { poleId: pole.id, status: "SUCCEEDED" } });
    expect(past.finalPledgedCents).toBeGreaterThanOrEqual(past.goalCents);
    const lines = await db.entryLine.findMany({
      where: { poleId: pole.id, account: { code: { in: ["758000", "456300", "101300", "419100"] } } },
      include: { account: true },
    });
    const balance = (code: string) =>
      lines.filter((l) => l.account.code === code).reduce((sum, l) => sum + l.credit - l.debit, 0);
    expect(balance("758000")).toBeGreaterThan(0);
    expect(balance("101300")).toBeGreaterThan(0);
    // What the live campaign received is still owed to its contributors until it succeeds.
    expect(balance("419100") + balance("456300")).toBeGreaterThanOrEqual(live.collectedCents);
  });

  it("offers four courses, one opening the plot path, and upcoming sessions — a full one among them", async () => {
    const pole = await db.pole.findUniqueOrThrow({ where: { slug: DEMO_POLE.slug } });
    const courses = await db.course.findMany({ where: { poleId: pole.id }, include: { sessions: true } });
    expect(courses).toHaveLength(4);
    expect(courses.filter((c) => c.opensPlotPath)).toHaveLength(1);
    const sessions = courses.flatMap((c) => c.sessions);
    const full = sessions.find((s) => s.seatsTaken === s.capacity && s.startsAt > new Date());
    expect(full).toBeDefined();
    expect(await db.sessionWait.count({ where: { sessionId: full!.id } })).toBe(3);
    const parts = await db.booking.count({ where: { poleId: pole.id, kind: "TRAINING" } });
    expect(parts).toBeGreaterThanOrEqual(sessions.length * 2);
    const funded = await db.registration.findFirstOrThrow({ where: { poleId: pole.id, payer: "ORGANISATION" } });
    expect(funded.invoiceId).not.toBeNull();
    // Past sessions delivered: certificates where attendance reached 80 %, revenue recognised on the TRAINING stream.
    expect(sessions.filter((s) => s.status === "DELIVERED")).toHaveLength(2);
    expect(await db.certificate.count({ where: { poleId: pole.id } })).toBe(11);
    const recognised = await db.journalEntry.count({
      where: { poleId: pole.id, sourceKey: { startsWith: "registration:", endsWith: ":delivered" } },
    });
    expect(recognised).toBe(13);
    // Last week's session waits for its attendance; the demo user attended it.
    const usager = DEMO_ACCOUNTS.find((a) => a.role === "USER")!;
    expect(
      await db.registration.count({
        where: { person: { email: usager.email }, status: "CONFIRMED", session: { status: { not: "DELIVERED" } } },
      }),
    ).toBe(1);
  });

  it("imports last month's statement of the demo bank and reconciles every line but the bank's fee", async () => {
    const pole = await db.pole.findUniqueOrThrow({ where: { slug: DEMO_POLE.slug } });
    const statement = await db.bankStatement.findFirstOrThrow({ where: { poleId: pole.id }, include: { lines: true } });
    expect(statement.format).toBe("CAMT053");
    expect(statement.lines.length).toBeGreaterThan(5);
    const left = statement.lines.filter((l) => l.letter === null);
    expect(left.map((l) => [l.label, l.amount])).toEqual([[DEMO_FEE.label, -DEMO_FEE.cents]]);
    // Every line of 512000 of that month is matched, and the statement's balance is the books' less the fee.
    const unmatched = await listUnmatchedEntryLines(db, {
      poleId: pole.id,
      from: fromSqlDate(statement.fromDate),
      to: fromSqlDate(statement.toDate),
      limit: 10,
    });
    expect(unmatched.count).toBe(0);
    const [listed] = await listStatements(db, pole.id);
    expect(listed.closingCents! - listed.booksBalance).toBe(-DEMO_FEE.cents);
  });

  it("closed last year with its result and opening entries; both years' FEC follow the DGFiP's rules", async () => {
    const pole = await db.pole.findUniqueOrThrow({ where: { slug: DEMO_POLE.slug } });
    const today = parisDate(new Date());
    const lastYear = Number(today.slice(0, 4)) - 1;
    const years = await db.fiscalYear.findMany({ where: { poleId: pole.id }, orderBy: { startDate: "asc" } });
    expect(years.map((y) => [y.startDate.toISOString().slice(0, 4), y.closedAt !== null])).toEqual([
      [String(lastYear), true],
      [String(lastYear + 1), false],
    ]);
    const [closed, open] = years;
    expect(closed.resultCents).not.toBeNull();
    const opening = await db.journalEntry.findUniqueOrThrow({
      where: { id: closed.openingEntryId! },
      include: { lines: { include: { account: true } } },
    });
    expect(opening).toMatchObject({ journal: "AN", date: open.startDate });
    const result = opening.lines.find((l) => ["120000", "129000"].includes(l.account.code))!;
    expect(result.credit - result.debit).toBe(closed.resultCents);
    for (const l of opening.lines) expect(Number(l.account.code[0])).toBeLessThanOrEqual(5);

    for (const year of years) {
      const fec = await fecExport(db, { poleId: pole.id, fiscalYearId: year.id });
      if (!fec.ok) throw new Error(fec.message);
      const [header, ...records] = decodeLatin9(fec.value.body)
        .slice(0, -2)
        .split("\r\n")
        .map((r) => r.split("\t"));
      expect(header).toEqual([...FEC_HEADER]);
      for (const r of records) expect(r).toHaveLength(18);
      // The à-nouveaux first, in their own series, then 1..n without gaps.
      const numbers = [...new Set(records.map((r) => r[2]))];
      const opening = numbers.filter((n) => n.startsWith("AN"));
      expect(numbers.slice(0, opening.length)).toEqual(opening);
      expect(opening).toEqual(opening.map((_, i) => `AN${i + 1}`));
      const rest = numbers.slice(opening.length).map(Number);
      expect(rest).toEqual(Array.from({ length: rest.length }, (_, i) => i + 1));
      const amount = (v: string) => Math.round(Number(v.replace(",", ".")) * 100);
      expect(records.reduce((s, r) => s + amount(r[11]), 0)).toBe(records.reduce((s, r) => s + amount(r[12]), 0));
      for (const r of records) expect(r[15] >= r[3]).toBe(true);
    }
    // The closed year's FEC, exported again, is the same file.
    const again = await fecExport(db, { poleId: pole.id, fiscalYearId: closed.id });
    const first = await fecExport(db, { poleId: pole.id, fiscalYearId: closed.id });
    expect(again.ok && first.ok && again.value.body.equals(first.value.body)).toBe(true);
  });

  it("changes nothing when it runs a second time", { timeout: SEED_TIMEOUT }, async () => {
    const before = await snapshot();
    await inTransaction(db, (tx) => seedDemo(tx), { timeout: SEED_TIMEOUT });
    expect(await snapshot()).toEqual(before);
  });
});
