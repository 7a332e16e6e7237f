import { beforeEach, describe, expect, it } from "vitest";
import { bookingCheckout, holdBooking } from "~/domain/booking/index.server";
import { parisInstant } from "~/domain/booking/time";
import { acceptOffer, offerPlot, submitApplication } from "~/domain/leasing/index.server";
import { getStripe, openCheckout } from "~/domain/payments/index.server";
import { SWEEPS } from "~/domain/streams.server";
import { runSweep, runSweeps, type Sweep } from "~/domain/sweeps.server";
import { db } from "~/utils/db.server";
import { createLandTerms, createPerson, createPlot, createPole, createResource, createSpace } from "../factories";
import { resetDatabase } from "../helpers";
import { stripeState, useStripeMock } from "../mocks/stripe";
import { isoDate } from "~/domain/ledger/dates";

// Several app instances on one database each run the housekeeping sweeps (issue 13, item 3): a sweep runs under a
// lease row, so two instances sweeping at the same moment do each thing once, and an instance that died while
// sweeping blocks no one for long. On the PostgreSQL server the two runs below truly overlap (their statements go
// over separate connections); on the embedded database they interleave statement by statement.

const JOINED = new Date("2027-03-01T08:00:00Z");
const TODAY = isoDate("2027-03-01");
/** A year on: the lease has ended with every instalment due, the queue is to reconfirm, the offer has lapsed. */
const SWEEP_AT = new Date("2028-03-15T08:00:00Z");
// The hold is paid 20 minutes before the sweep, on Stripe's clock as on ours.
useStripeMock({ clock: new Date(SWEEP_AT.getTime() - 20 * 60_000) });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(resetDatabase);

/** Something to do for every sweep of the registry, each of which a careless second run would do again. */
async function workForEverySweep() {
  const pole = await createPole(db);
  await createLandTerms(db, { poleId: pole.id, year: 2027 });
  const staff = await createPerson(db, { poleId: pole.id, role: "STAFF" });
  const [tenant, offered, waiting, deskUser] = await Promise.all(
    ["Jeanne Cazals", "Paul Rivière", "Inès Marty", "Léa Fabre"].map((name) =>
      createPerson(db, { poleId: pole.id, name }),
    ),
  );
  const p1 = await createPlot(db, { poleId: pole.id, code: "P01", surfaceM2: 20_000, rentPerHectareCents: 18_000 });
  const p2 = await createPlot(db, { poleId: pole.id, code: "P02", surfaceM2: 10_000, rentPerHectareCents: 18_000 });
  const apply = async (personId: string, plotId: string, key: string) => {
    const applied = await submitApplication(db, {
      poleId: pole.id,
      personId,
      plotIds: [plotId],
      minSurfaceM2: null,
      project: "Maraîchage sur sol vivant.",
      experience: "",
      desiredStartOn: TODAY,
      leaseKind: "CONVENTION_PRECAIRE",
      idempotencyKey: key,
      today: TODAY,
      now: JOINED,
    });
    if (!applied.ok) throw new Error(applied.message);
    return applied.value.id;
  };
  const offer = async (applicationId: string, plotId: string, key: string) => {
    const made = await offerPlot(db, {
      poleId: pole.id,
      applicationId,
      plotId,
      startsOn: TODAY,
      endsOn: isoDate("2027-09-01"),
      frequency: "MONTHLY",
      staffId: staff.id,
      idempotencyKey: key,
      now: JOINED,
    });
    if (!made.ok) throw new Error(made.message);
    return made.value.lease.id;
  };
  // A lease of six monthly instalments, the first invoiced on acceptance: the land sweep invoices the five others
  // and reminds all six, now overdue.
  const leaseId = await offer(await apply(tenant.id, p1.id, "k-1"), p1.id, "k-o1");
  const accepted = await acceptOffer(db, { poleId: pole.id, leaseId, personId: tenant.id, now: JOINED });
  if (!accepted.ok) throw new Error(accepted.message);
  // An offer never answered: it lapses; its applicant and another one still waiting are asked to reconfirm.
  await offer(await apply(offered.id, p2.id, "k-2"), p2.id, "k-o2");
  await apply(waiting.id, p1.id, "k-3");

  // A desk held twenty minutes ago with its Checkout page open: the hold lapses, the payments' sweep closes it.
  const space = await createSpace(db, { poleId: pole.id });
  const room = await createResource(db, { poleId: pole.id, spaceId: space.id, kind: "ROOM" });
  const heldAt = new Date(SWEEP_AT.getTime() - 20 * 60_000);
  const held = await holdBooking(db, {
    poleId: pole.id,
    resourceKey: room.id,
    personId: deskUser.id,
    startsAt: parisInstant(isoDate("2028-03-20"), 540),
    endsAt: parisInstant(isoDate("2028-03-20"), 660),
    idempotencyKey: "k-desk",
    now: heldAt,
  });
  if (!held.ok) throw new Error(held.message);
  const request = await bookingCheckout(db, {
    poleId: pole.id,
    bookingId: held.value.booking.id,
    personId: deskUser.id,
    now: heldAt,
  });
  if (!request.ok) throw new Error(request.message);
  if (!(await openCheckout(db, getStripe()!, request.value)).ok) throw new Error("Checkout non ouvert");
  return { leaseId, offered, waiting, bookingId: held.value.booking.id };
}

const emailsAbout = async (subject: string) =>
  (await db.outboxEmail.findMany({ where: { subject: { contains: subject } }, select: { to: true, subject: true } }))
    .map((m) => `${m.to} ${m.subject.replace(/^.* — /, "")}`)
    .sort();

describe("the registry's sweeps on several instances", () => {
  it("do each thing once when two instances run every sweep at the same moment", async () => {
    const { leaseId, offered, waiting, bookingId } = await workForEverySweep();
    stripeState.requests.length = 0;
    const context = { stripe: getStripe(), now: SWEEP_AT };

    const [one, two] = await Promise.all([runSweeps(db, SWEEPS, context), runSweeps(db, SWEEPS, context)]);

    // Every sweep was run by one instance or the other, none failed.
    for (const { name } of SWEEPS) {
      expect([one[name].status, two[name].status]).toContain("done");
      expect([one[name].status, two[name].status]).not.toContain("failed");
    }
    // The land: each instalment invoiced once and reminded once, the offer lapsed once, each reconfirmation asked once.
    const instalments = await db.rentInstalment.findMany({ where: { leaseId }, select: { invoiceId: true } });
    expect(instalments).toHaveLength(6);
    expect(new Set(instalments.map((i) => i.invoiceId)).size).toBe(6);
    expect(await db.invoice.count()).toBe(6);
    const numbers = (await db.invoice.findMany({ select: { number: true } })).map((i) => i.number);
    expect((await emailsAbout("rappel : facture")).map((m) => m.split(" ").at(-3))).toEqual(
      expect.arrayContaining(numbers),
    );
    expect(await emailsAbout("rappel : facture")).toHaveLength(6);
    expect(await emailsAbout("proposition expirée")).toEqual([`${offered.email} proposition expirée`]);
    expect(await emailsAbout("confirmez votre candidature")).toEqual(
      [`${offered.email} confirmez votre candidature`, `${waiting.email} confirmez votre candidature`].sort(),
    );
    // The desks and the payments: the lapsed hold released, its Checkout page closed with one call to Stripe.
    expect((await db.booking.findUniqueOrThrow({ where: { id: bookingId } })).status).toBe("EXPIRED");
    expect(stripeState.requests.filter((r) => r.path.endsWith("/expire"))).toHaveLength(1);
    expect(await db.payment.findFirstOrThrow({ where: { bookingId } })).toMatchObject({ status: "CANCELLED" });
  });

  it("skip a sweep another instance is running, and take over one whose instance died", async () => {
    let runs = 0;
    const slow: Sweep = {
      name: "essai",
      label: "Ménage d'essai",
      run: async () => {
        runs++;
        await sleep(300);
      },
    };
    const context = { stripe: null, now: new Date() };
    const both = await Promise.all([runSweep(db, slow, context), runSweep(db, slow, context)]);
    expect(both.map((r) => r.status).sort()).toEqual(["done", "skipped"]);
    expect(runs).toBe(1);
    // Given back at the end: the next tick runs it at once.
    expect((await runSweep(db, slow, context)).status).toBe("done");

    // An instance died while sweeping: its lease holds the sweep until it expires, then another takes it over.
    await db.sweepLease.update({
      where: { name: "essai" },
      data: { holder: "instance-morte", expiresAt: new Date(Date.now() + 3_600_000), finishedAt: null },
    });
    expect((await runSweep(db, slow, context)).status).toBe("skipped");
    await db.sweepLease.update({ where: { name: "essai" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await runSweep(db, slow, context)).status).toBe("done");
    expect(await db.sweepLease.findUniqueOrThrow({ where: { name: "essai" } })).toMatchObject({
      holder: expect.not.stringMatching("instance-morte"),
      finishedAt: expect.any(Date),
    });
    expect(runs).toBe(3);
  });

  it("keep a long sweep's lease alive while it runs, past the lease's own length", async () => {
    let runs = 0;
    const long: Sweep = {
      name: "long",
      label: "Ménage long",
      run: async () => {
        runs++;
        await sleep(2_500);
      },
    };
    const context = { stripe: null, now: new Date() };
    const first = runSweep(db, long, context, { leaseSeconds: 1 });
    await sleep(1_600);
    // Without renewal the one-second lease would have run out by now.
    expect((await runSweep(db, long, context, { leaseSeconds: 1 })).status).toBe("skipped");
    expect((await first).status).toBe("done");
    expect(runs).toBe(1);
  });
});
