import { beforeEach, describe, expect, it } from "vitest";
import {
  acceptOffer,
  applyIndexation,
  confirmInstalmentPaid,
  declineOffer,
  expireOffers,
  giveNotice,
  invoiceInstalment,
  offerPlot,
  personApplication,
  previewIndexation,
  renewLease,
  saveIndex,
  submitApplication,
  sweepLand,
  withdrawApplication,
} from "~/domain/leasing/index.server";
import { moveEntry, reconfirm } from "~/domain/waitlist/index.server";
import { inTransaction, db } from "~/utils/db.server";
import { createLandTerms, createPerson, createPlot, createPole } from "../factories";
import { resetDatabase } from "../helpers";
import { isoDate } from "~/domain/ledger/dates";

// Injected time: 1 March 2027, 9:00 in Paris.
const NOW = new Date("2027-03-01T08:00:00Z");
const TODAY = isoDate("2027-03-01");
let key = 0;
const nextKey = () => `k-${++key}`;

async function setup() {
  const pole = await createPole(db);
  await createLandTerms(db, { poleId: pole.id, year: 2027, index: 12000 });
  const plot = await createPlot(db, { poleId: pole.id, code: "P01", surfaceM2: 12_500, rentPerHectareCents: 16_000 });
  const other = await createPlot(db, { poleId: pole.id, code: "P02", surfaceM2: 8_000 });
  const staff = await createPerson(db, { poleId: pole.id, role: "STAFF" });
  const farmer = await createPerson(db, { poleId: pole.id, name: "Aurore Lebrun" });
  const second = await createPerson(db, { poleId: pole.id, name: "Malik Ferhat" });
  return { pole, plot, other, staff, farmer, second };
}

async function apply(
  poleId: string,
  personId: string,
  plotIds: string[],
  now = NOW,
  extra: Partial<Parameters<typeof submitApplication>[1]> = {},
) {
  const result = await submitApplication(db, {
    poleId,
    personId,
    plotIds,
    minSurfaceM2: null,
    project: "Maraîchage diversifié sur sol vivant, vente en AMAP.",
    experience: "BPREA 2025",
    desiredStartOn: TODAY,
    leaseKind: "ESPACE_TEST",
    idempotencyKey: nextKey(),
    today: TODAY,
    now,
    ...extra,
  });
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

const offer = (
  poleId: string,
  applicationId: string,
  plotId: string,
  staffId: string,
  extra: Partial<Parameters<typeof offerPlot>[1]> = {},
) =>
  offerPlot(db, {
    poleId,
    applicationId,
    plotId,
    startsOn: TODAY,
    frequency: "QUARTERLY",
    staffId,
    idempotencyKey: nextKey(),
    now: NOW,
    ...extra,
  });

/** A new pole where the farmer's application on P01 was offered and accepted: the running lease. */
async function runningLease(frequency: "YEARLY" | "QUARTERLY" = "QUARTERLY") {
  const context = await setup();
  const { pole, plot, staff, farmer } = context;
  const application = await apply(pole.id, farmer.id, [plot.id]);
  const offered = await offer(pole.id, application.id, plot.id, staff.id, { frequency });
  if (!offered.ok) throw new Error(offered.message);
  await acceptOffer(db, { poleId: pole.id, leaseId: offered.value.lease.id, personId: farmer.id, now: NOW });
  return { ...context, lease: offered.value.lease };
}

describe("a plot, from the application to the lease", () => {
  beforeEach(resetDatabase);

  it("queues the application, offers the plot, and on acceptance writes the schedule and invoices the first instalment", async () => {
    const { pole, plot, staff, farmer } = await setup();
    const application = await apply(pole.id, farmer.id, [plot.id]);
    expect((await personApplication(db, { poleId: pole.id, personId: farmer.id }))?.position).toBe(1);

    const offered = await offer(pole.id, application.id, plot.id, staff.id);
    if (!offered.ok) throw new Error(offered.message);
    // 1,25 ha × 160,00 €/ha = 200,00 € a year; an espace-test lasts a year.
    expect(offered.value.lease).toMatchObject({
      status: "OFFERED",
      yearlyRentCents: 20_000,
      kind: "ESPACE_TEST",
      indexValue: 12000,
    });
    expect(offered.value.lease.endsOn.toISOString().slice(0, 10)).toBe("2028-03-01");

    const accepted = await acceptOffer(db, {
      poleId: pole.id,
      leaseId: offered.value.lease.id,
      personId: farmer.id,
      now: NOW,
    });
    if (!accepted.ok) throw new Error(accepted.message);
    const instalments = await db.rentInstalment.findMany({
      where: { leaseId: offered.value.lease.id },
      orderBy: { periodStart: "asc" },
    });
    expect(instalments.map((i) => [i.periodStart.toISOString().slice(0, 10), i.amountCents, i.status])).toEqual([
      ["2027-03-01", 5000, "INVOICED"],
      ["2027-06-01", 5000, "SCHEDULED"],
      ["2027-09-01", 5000, "SCHEDULED"],
      ["2027-12-01", 5000, "SCHEDULED"],
    ]);
    const invoice = await db.invoice.findUniqueOrThrow({
      where: { id: instalments[0].invoiceId! },
      include: { entry: { include: { lines: { include: { account: true } } } } },
    });
    expect(invoice).toMatchObject({
      stream: "LAND",
      totalInclTax: 5000,
      totalTax: 0,
      vatMention: "Exonération de TVA, article 261 D 1° du CGI",
    });
    expect(invoice.entry!.lines.map((l) => [l.account.code, l.debit, l.credit])).toEqual([
      ["411000", 5000, 0],
      ["706300", 0, 5000],
    ]);
    expect((await db.waitlistEntry.findUniqueOrThrow({ where: { id: application.entryId } })).status).toBe("FULFILLED");

    const paid = await confirmInstalmentPaid(db, {
      poleId: pole.id,
      instalmentId: instalments[0].id,
      method: "TRANSFER",
      reference: "VIR LEBRUN MARS",
      staffId: staff.id,
      now: NOW,
    });
    expect(paid.ok && paid.value.status).toBe("PAID");
    const again = await confirmInstalmentPaid(db, {
      poleId: pole.id,
      instalmentId: instalments[0].id,
      method: "TRANSFER",
      reference: "x",
      staffId: staff.id,
      now: NOW,
    });
    expect(again).toMatchObject({ ok: false, status: 409 });
    const settlement = await db.journalEntry.findFirstOrThrow({
      where: { sourceKey: `invoice:${invoice.number}:paid` },
      include: { lines: { include: { account: true } } },
    });
    expect(settlement.lines.map((l) => [l.account.code, l.debit, l.credit])).toEqual([
      ["512000", 5000, 0],
      ["411000", 0, 5000],
    ]);
  });

  it("passes a declined plot to the next application in order that wants it, never back to the one who declined", async () => {
    const { pole, plot, staff, farmer, second } = await setup();
    const first = await apply(pole.id, farmer.id, [plot.id]);
    const then = await apply(pole.id, second.id, [], new Date(NOW.getTime() + 1000), { minSurfaceM2: 10_000 });
    const offered = await offer(pole.id, first.id, plot.id, staff.id);
    if (!offered.ok) throw new Error(offered.message);
    const declined = await declineOffer(db, {
      poleId: pole.id,
      leaseId: offered.value.lease.id,
      personId: farmer.id,
      now: NOW,
    });
    expect(declined.ok).toBe(true);
    const next = await db.lease.findFirstOrThrow({ where: { applicationId: then.id } });
    expect(next).toMatchObject({ status: "OFFERED", plotId: plot.id });
    expect((await db.waitlistEntry.findUniqueOrThrow({ where: { id: first.entryId } })).status).toBe("WAITING");
    // The second lets it lapse: nobody else wants it, the plot is free again.
    const later = new Date(NOW.getTime() + 8 * 86_400_000);
    await expireOffers(db, later);
    expect((await db.lease.findUniqueOrThrow({ where: { id: next.id } })).status).toBe("EXPIRED");
    expect(await db.lease.count({ where: { status: "OFFERED" } })).toBe(0);
  });

  it("refuses an offer outside the prefectoral bounds, a term its kind does not allow, a start in the past", async () => {
    const { pole, plot, staff, farmer } = await setup();
    const application = await apply(pole.id, farmer.id, [plot.id]);
    expect(await offer(pole.id, application.id, plot.id, staff.id, { rentPerHectareCents: 40_000 })).toMatchObject({
      ok: false,
      code: "OUT_OF_BOUNDS",
      field: "rentPerHectare",
      status: 422,
    });
    expect(await offer(pole.id, application.id, plot.id, staff.id, { endsOn: isoDate("2029-03-01") })).toMatchObject({
      ok: false,
      code: "TERM_TOO_LONG",
      message: "Un espace-test agricole dure 1 an.",
    });
    expect(await offer(pole.id, application.id, plot.id, staff.id, { startsOn: isoDate("2027-02-01") })).toMatchObject({
      ok: false,
      code: "PAST_START",
    });
    expect(await offer(pole.id, application.id, plot.id, staff.id, { startsOn: isoDate("2028-03-01") })).toMatchObject({
      ok: false,
      code: "NO_BOUNDS",
    });
  });

  it("has the database itself refuse two open offers or running leases of one plot that overlap, whatever the code does", async () => {
    const { pole, plot, farmer } = await setup();
    const row = (
      key: string,
      startsOn: string,
      endsOn: string,
      status: "ACTIVE" | "OFFERED" | "DECLINED" | "ENDED" = "ACTIVE",
    ) =>
      db.$executeRaw`INSERT INTO "Lease" ("id", "poleId", "plotId", "holderId", "kind", "status", "startsOn", "endsOn", "offerExpiresAt", "surfaceM2", "rentPerHectareCents", "yearlyRentCents", "indexValue", "indexYear", "frequency", "idempotencyKey", "updatedAt")
        VALUES (${key}, ${pole.id}, ${plot.id}, ${farmer.id}, 'ESPACE_TEST'::"LeaseKind", ${status}::"LeaseStatus", ${startsOn}::date, ${endsOn}::date, ${NOW}, 12500, 16000, 20000, 12000, 2027, 'YEARLY'::"InstalmentFrequency", ${key}, now())`;
    await row("direct-1", "2027-03-01", "2028-03-01");
    await expect(row("direct-2", "2027-09-01", "2028-09-01")).rejects.toThrow(/Lease_no_overlap/);
    await expect(row("direct-3", "2026-09-01", "2027-03-02", "OFFERED")).rejects.toThrow(/Lease_no_overlap/);
    // Declined offers and ended leases are out of the constraint; a lease that starts on the other's end does not overlap.
    await row("direct-4", "2027-06-01", "2028-06-01", "DECLINED");
    await row("direct-5", "2027-06-01", "2028-06-01", "ENDED");
    await row("direct-6", "2028-03-01", "2029-03-01");
    await expect(db.$executeRaw`UPDATE "Lease" SET "status" = 'ACTIVE' WHERE "id" = 'direct-4'`).rejects.toThrow(
      /Lease_no_overlap/,
    );
  });

  it("offers a plot once when two staff offer it at the same time", async () => {
    const { pole, plot, staff, farmer, second } = await setup();
    const a = await apply(pole.id, farmer.id, [plot.id]);
    const b = await apply(pole.id, second.id, [plot.id]);
    const results = await Promise.all([
      offer(pole.id, a.id, plot.id, staff.id),
      offer(pole.id, b.id, plot.id, staff.id),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ code: "PLOT_TAKEN", status: 409 });
    expect(await db.lease.count({ where: { plotId: plot.id, status: "OFFERED" } })).toBe(1);
  });

  it("takes an answer given at the very deadline as too late, whatever the sweeper running then does", async () => {
    const { pole, plot, staff, farmer } = await setup();
    const application = await apply(pole.id, farmer.id, [plot.id]);
    const offered = await offer(pole.id, application.id, plot.id, staff.id);
    if (!offered.ok) throw new Error(offered.message);
    const deadline = offered.value.lease.offerExpiresAt!;
    const [accepted] = await Promise.all([
      acceptOffer(db, { poleId: pole.id, leaseId: offered.value.lease.id, personId: farmer.id, now: deadline }),
      expireOffers(db, deadline),
    ]);
    const lease = await db.lease.findUniqueOrThrow({ where: { id: offered.value.lease.id } });
    const entry = await db.waitlistEntry.findUniqueOrThrow({ where: { id: application.entryId } });
    // At the deadline the offer is over: accepting answers 410, and everything says "expired".
    expect(accepted).toMatchObject({ ok: false, status: 410 });
    expect(lease.status).toBe("EXPIRED");
    expect(entry.status).toBe("WAITING");
    expect(await db.rentInstalment.count()).toBe(0);
  });

  it("ends in one consistent state when the answer and the deadline cross", async () => {
    const { pole, plot, staff, farmer } = await setup();
    const application = await apply(pole.id, farmer.id, [plot.id]);
    const offered = await offer(pole.id, application.id, plot.id, staff.id);
    if (!offered.ok) throw new Error(offered.message);
    const deadline = offered.value.lease.offerExpiresAt!;
    // The applicant answers a millisecond before the deadline while the sweeper runs at the deadline.
    const [accepted] = await Promise.all([
      acceptOffer(db, {
        poleId: pole.id,
        leaseId: offered.value.lease.id,
        personId: farmer.id,
        now: new Date(deadline.getTime() - 1),
      }),
      expireOffers(db, deadline),
    ]);
    const lease = await db.lease.findUniqueOrThrow({ where: { id: offered.value.lease.id } });
    const entry = await db.waitlistEntry.findUniqueOrThrow({ where: { id: application.entryId } });
    const instalments = await db.rentInstalment.count({ where: { leaseId: lease.id } });
    if (accepted.ok) expect([lease.status, entry.status, instalments > 0]).toEqual(["ACTIVE", "FULFILLED", true]);
    else expect([lease.status, entry.status, instalments]).toEqual(["EXPIRED", "WAITING", 0]);
  });

  it("ends in one consistent state when the applicant withdraws while accepting", async () => {
    const { pole, plot, staff, farmer } = await setup();
    const application = await apply(pole.id, farmer.id, [plot.id]);
    const offered = await offer(pole.id, application.id, plot.id, staff.id);
    if (!offered.ok) throw new Error(offered.message);
    const [accepted, withdrawn] = await Promise.all([
      acceptOffer(db, { poleId: pole.id, leaseId: offered.value.lease.id, personId: farmer.id, now: NOW }),
      withdrawApplication(db, { poleId: pole.id, personId: farmer.id, now: NOW }),
    ]);
    // Whichever takes the plot's lock first wins; the other is refused, and no row says otherwise.
    expect([accepted.ok, withdrawn.ok].filter(Boolean)).toHaveLength(1);
    const lease = await db.lease.findUniqueOrThrow({ where: { id: offered.value.lease.id } });
    const entry = await db.waitlistEntry.findUniqueOrThrow({ where: { id: application.entryId } });
    if (accepted.ok) expect([lease.status, entry.status]).toEqual(["ACTIVE", "FULFILLED"]);
    else expect([lease.status, entry.status, await db.rentInstalment.count()]).toEqual(["WITHDRAWN", "CANCELLED", 0]);
  });

  it("lets staff offer a plot whose offer is past its deadline before the sweeper closed it", async () => {
    const { pole, plot, staff, farmer, second } = await setup();
    const first = await apply(pole.id, farmer.id, [plot.id]);
    const next = await apply(pole.id, second.id, [plot.id]);
    const offered = await offer(pole.id, first.id, plot.id, staff.id);
    if (!offered.ok) throw new Error(offered.message);
    const late = new Date(offered.value.lease.offerExpiresAt!.getTime() + 60_000);
    // A refused offer (a rent out of bounds) changes nothing, the lapsed one included: the sweeper will tell its applicant.
    expect(
      await offer(pole.id, next.id, plot.id, staff.id, {
        now: late,
        startsOn: isoDate("2027-03-09"),
        rentPerHectareCents: 99_000,
      }),
    ).toMatchObject({ ok: false, code: "OUT_OF_BOUNDS" });
    expect((await db.lease.findUniqueOrThrow({ where: { id: offered.value.lease.id } })).status).toBe("OFFERED");
    const again = await offer(pole.id, next.id, plot.id, staff.id, { now: late, startsOn: isoDate("2027-03-09") });
    expect(again).toMatchObject({ ok: true });
    // The lapsed offer is closed on the way: its applicant is back in the queue and told so.
    expect((await db.lease.findUniqueOrThrow({ where: { id: offered.value.lease.id } })).status).toBe("EXPIRED");
    expect((await db.waitlistEntry.findUniqueOrThrow({ where: { id: first.entryId } })).status).toBe("WAITING");
    expect(again.ok && again.value.effects.emails.map((m) => m.to)).toEqual([farmer.email, second.email]);
  });

  it("loses nothing when many applicants accept offers on different plots at once: every lease active, invoices numbered without gaps", async () => {
    const { pole, staff } = await setup();
    const offers = [];
    for (let i = 0; i < 12; i++) {
      const plot = await createPlot(db, { poleId: pole.id, code: `C${i}`, surfaceM2: 10_000 + i * 100 });
      const person = await createPerson(db, { poleId: pole.id });
      const application = await apply(pole.id, person.id, [plot.id], new Date(NOW.getTime() + i));
      const offered = await offer(pole.id, application.id, plot.id, staff.id);
      if (!offered.ok) throw new Error(offered.message);
      offers.push({ lease: offered.value.lease, personId: person.id });
    }
    const results = await Promise.all(
      offers.map((o) => acceptOffer(db, { poleId: pole.id, leaseId: o.lease.id, personId: o.personId, now: NOW })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await db.lease.count({ where: { poleId: pole.id, status: "ACTIVE" } })).toBe(12);
    const numbers = (
      await db.invoice.findMany({ where: { poleId: pole.id, kind: "INVOICE" }, orderBy: { sequence: "asc" } })
    ).map((i) => i.sequence);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await db.waitlistEntry.count({ where: { poleId: pole.id, kind: "PLOT", status: "FULFILLED" } })).toBe(12);
  });

  it("indexes running rents (rent × new ÷ previous index), shown first, applied once, from each lease's next anniversary", async () => {
    const { pole, plot, staff, farmer } = await setup();
    const application = await apply(pole.id, farmer.id, [plot.id], NOW, { leaseKind: "CONVENTION_PRECAIRE" });
    const offered = await offer(pole.id, application.id, plot.id, staff.id, { endsOn: isoDate("2029-03-01") });
    if (!offered.ok) throw new Error(offered.message);
    await acceptOffer(db, { poleId: pole.id, leaseId: offered.value.lease.id, personId: farmer.id, now: NOW });
    expect(await saveIndex(db, { poleId: pole.id, year: 2028, value: null, actorId: staff.id })).toMatchObject({
      ok: false,
      field: "value",
      status: 422,
    });
    expect(await saveIndex(db, { poleId: pole.id, year: 2028, value: 12_607, actorId: staff.id })).toMatchObject({
      ok: true,
    });
    const preview = await previewIndexation(db, { poleId: pole.id, year: 2028, today: isoDate("2027-05-01") });
    // 200,00 € × 126,07 ÷ 120,00 = 210,1166… → 210,12 €, from the lease's anniversary.
    expect(preview!.lines).toEqual([
      expect.objectContaining({
        currentCents: 20_000,
        previousIndex: 12_000,
        newCents: 21_012,
        effectiveOn: "2028-03-01",
      }),
    ]);
    // Two staff applying at once (or a double click): the index row is locked, the second finds nothing to do.
    const both = await Promise.all(
      [0, 1].map(() =>
        applyIndexation(db, { poleId: pole.id, year: 2028, staffId: staff.id, today: isoDate("2027-05-01") }),
      ),
    );
    expect(both.map((r) => (r.ok ? r.value.changed : r.code)).sort()).toEqual([0, 1]);
    const amounts = (
      await db.rentInstalment.findMany({ where: { leaseId: offered.value.lease.id }, orderBy: { periodStart: "asc" } })
    ).map((i) => i.amountCents);
    // The lease year under way keeps its rent; the next one is 210,12 € in four quarters of 52,53 €.
    expect(amounts).toEqual([5000, 5000, 5000, 5000, 5253, 5253, 5253, 5253]);
    expect(
      await db.leaseRentChange.findMany({ select: { effectiveOn: true, previousCents: true, newCents: true } }),
    ).toEqual([{ effectiveOn: new Date("2028-03-01T00:00:00Z"), previousCents: 20_000, newCents: 21_012 }]);
    expect(await saveIndex(db, { poleId: pole.id, year: 2028, value: 13_000, actorId: staff.id })).toMatchObject({
      ok: false,
      code: "APPLIED",
      status: 409,
    });
  });

  it("renews an espace-test twice at most, and an end notice charges the period it cuts pro rata and cancels what follows", async () => {
    const { pole, staff, lease } = await runningLease("YEARLY");
    const r1 = await renewLease(db, { poleId: pole.id, leaseId: lease.id, staffId: staff.id, now: NOW });
    if (!r1.ok) throw new Error(r1.message);
    expect(r1.value.startsOn.toISOString().slice(0, 10)).toBe("2028-03-01");
    const r2 = await renewLease(db, { poleId: pole.id, leaseId: r1.value.id, staffId: staff.id, now: NOW });
    if (!r2.ok) throw new Error(r2.message);
    expect(await renewLease(db, { poleId: pole.id, leaseId: r2.value.id, staffId: staff.id, now: NOW })).toMatchObject({
      ok: false,
      code: "MAX_RENEWALS",
    });
    const notice = await giveNotice(db, {
      poleId: pole.id,
      leaseId: r2.value.id,
      endsOn: isoDate("2029-09-01"),
      reason: "Installation sur une ferme voisine",
      today: TODAY,
    });
    expect(notice.ok).toBe(true);
    // 2029-03-01 → 2029-09-01 is 184 of the year's 365 days: 200,00 € × 184 ÷ 365 = 100,82 €.
    const schedule = await db.rentInstalment.findMany({
      where: { leaseId: r2.value.id },
      orderBy: { periodStart: "asc" },
      select: { periodEnd: true, amountCents: true, status: true },
    });
    expect(schedule).toEqual([
      { periodEnd: new Date("2029-09-01T00:00:00Z"), amountCents: 10_082, status: "SCHEDULED" },
    ]);
    expect(
      await giveNotice(db, {
        poleId: pole.id,
        leaseId: r2.value.id,
        endsOn: isoDate("2031-01-01"),
        reason: "x",
        today: TODAY,
      }),
    ).toMatchObject({ ok: false, code: "AFTER_END" });
  });

  it("calls off a renewal not invoiced yet with the notice, and refuses when it is invoiced", async () => {
    const { pole, staff, lease } = await runningLease();
    const renewal = await renewLease(db, { poleId: pole.id, leaseId: lease.id, staffId: staff.id, now: NOW });
    if (!renewal.ok) throw new Error(renewal.message);
    expect(
      (
        await giveNotice(db, {
          poleId: pole.id,
          leaseId: lease.id,
          endsOn: isoDate("2027-09-01"),
          reason: "Départ",
          today: TODAY,
        })
      ).ok,
    ).toBe(true);
    expect(await db.lease.findUniqueOrThrow({ where: { id: renewal.value.id } })).toMatchObject({
      status: "WITHDRAWN",
      endReason: "Départ",
    });
    expect(await db.rentInstalment.count({ where: { leaseId: renewal.value.id, status: { not: "CANCELLED" } } })).toBe(
      0,
    );
    expect((await db.lease.findUniqueOrThrow({ where: { id: lease.id } })).endsOn).toEqual(
      new Date("2027-09-01T00:00:00Z"),
    );

    // Another lease whose renewal has an invoiced instalment: the notice goes on the renewal, and says so.
    const { pole: p2, staff: s2, lease: l2 } = await runningLease();
    const r2 = await renewLease(db, { poleId: p2.id, leaseId: l2.id, staffId: s2.id, now: NOW });
    if (!r2.ok) throw new Error(r2.message);
    const firstOfRenewal = await db.rentInstalment.findFirstOrThrow({
      where: { leaseId: r2.value.id },
      orderBy: { periodStart: "asc" },
    });
    await inTransaction(db, (tx) => invoiceInstalment(tx, firstOfRenewal.id, NOW));
    const refused = await giveNotice(db, {
      poleId: p2.id,
      leaseId: l2.id,
      endsOn: isoDate("2027-09-01"),
      reason: "Départ",
      today: TODAY,
    });
    expect(refused).toMatchObject({ ok: false, code: "RENEWED", field: "endsOn", status: 409 });
    expect((await db.lease.findUniqueOrThrow({ where: { id: r2.value.id } })).status).toBe("ACTIVE");
  });

  it("refuses a notice that would cut a period already invoiced, and says from when it may end", async () => {
    const { pole, lease } = await runningLease();
    const cut = await giveNotice(db, {
      poleId: pole.id,
      leaseId: lease.id,
      endsOn: isoDate("2027-04-15"),
      reason: "Départ",
      today: TODAY,
    });
    expect(cut).toMatchObject({ ok: false, code: "BILLED", field: "endsOn", status: 422 });
    expect(!cut.ok && cut.message).toContain("1 juin 2027");
    // Ending on the invoiced quarter's end is fine: the three other quarters are cancelled, the plot is free after.
    expect(
      (
        await giveNotice(db, {
          poleId: pole.id,
          leaseId: lease.id,
          endsOn: isoDate("2027-06-01"),
          reason: "Départ",
          today: TODAY,
        })
      ).ok,
    ).toBe(true);
    const statuses = (
      await db.rentInstalment.findMany({ where: { leaseId: lease.id }, orderBy: { periodStart: "asc" } })
    ).map((i) => i.status);
    expect(statuses).toEqual(["INVOICED", "CANCELLED", "CANCELLED", "CANCELLED"]);
  });

  it("asks once a year for a one-click reconfirmation, keeps the place of who answers and lapses who does not", async () => {
    const { pole, plot, farmer, second } = await setup();
    const a = await apply(pole.id, farmer.id, [plot.id]);
    const b = await apply(pole.id, second.id, [plot.id], new Date(NOW.getTime() + 1000));
    const inAYear = new Date("2028-03-02T08:00:00Z");
    await sweepLand(db, inAYear);
    const asks = await db.outboxEmail.findMany({ where: { subject: { contains: "confirmez votre candidature" } } });
    expect(asks.map((m) => m.to).sort()).toEqual([farmer.email, second.email].sort());
    const token = /jeton=([\w-]+)/.exec(asks.find((m) => m.to === farmer.email)!.text)![1];
    expect((await reconfirm(db, { token, now: inAYear, months: async () => 12 })).ok).toBe(true);
    expect(await reconfirm(db, { token, now: inAYear, months: async () => 12 })).toMatchObject({
      ok: false,
      status: 410,
    });
    // A month later (the pole's grace period is 30 days) the one who did not answer leaves the queue.
    await sweepLand(db, new Date("2028-04-05T08:00:00Z"));
    expect((await db.waitlistEntry.findUniqueOrThrow({ where: { id: a.entryId } })).status).toBe("WAITING");
    expect((await db.waitlistEntry.findUniqueOrThrow({ where: { id: b.entryId } })).status).toBe("LAPSED");
    expect(
      await db.outboxEmail.count({ where: { to: second.email, subject: { contains: "candidature retirée" } } }),
    ).toBe(1);
  });

  it("moves an application in the queue only with a written reason, kept in its history", async () => {
    const { pole, plot, staff, farmer, second } = await setup();
    const a = await apply(pole.id, farmer.id, [plot.id]);
    const b = await apply(pole.id, second.id, [plot.id], new Date(NOW.getTime() + 1000));
    expect(
      await moveEntry(db, {
        poleId: pole.id,
        entryId: b.entryId,
        beforeEntryId: a.entryId,
        reason: "",
        actorId: staff.id,
      }),
    ).toMatchObject({ ok: false, field: "reason" });
    expect(
      (
        await moveEntry(db, {
          poleId: pole.id,
          entryId: b.entryId,
          beforeEntryId: a.entryId,
          reason: "Projet prioritaire du comité d'installation",
          actorId: staff.id,
        })
      ).ok,
    ).toBe(true);
    expect((await personApplication(db, { poleId: pole.id, personId: second.id }))?.position).toBe(1);
    const history = await db.waitlistEvent.findMany({ where: { entryId: b.entryId }, orderBy: { createdAt: "asc" } });
    expect(history.map((h) => [h.kind, h.note])).toEqual([
      ["JOINED", ""],
      ["MOVED", "Projet prioritaire du comité d'installation"],
    ]);
    await expect(db.waitlistEvent.update({ where: { id: history[1].id }, data: { note: "autre" } })).rejects.toThrow(
      /append-only/,
    );
  });
});
