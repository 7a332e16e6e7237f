import { DateTime } from "luxon";
import { beforeEach, describe, expect, it } from "vitest";
import { confirmOfflinePayment, holdBooking, payOnSite } from "~/domain/booking/index.server";
import { parisInstant, toMinutes } from "~/domain/booking/time";
import { acceptOffer, offerPlot, submitApplication } from "~/domain/leasing/index.server";
import { closeFiscalYear, createFiscalYear, parisDate } from "~/domain/ledger/index.server";
import * as myLand from "~/routes/compte+/terres._index";
import { orderPass } from "~/domain/booking/passes.server";
import * as booklets from "~/routes/gestion+/espaces.carnets._index";
import * as booking from "~/routes/gestion+/espaces.reservations.$bookingId";
import * as lease from "~/routes/gestion+/terres.baux.$leaseId";
import { db } from "~/utils/db.server";
import {
  createLandTerms,
  createPassProduct,
  createPerson,
  createPlot,
  createPole,
  createResource,
  createSpace,
} from "../factories";
import {
  dayAfter,
  errorsOf,
  logInEveryRole,
  resetDatabase,
  routeCallers,
  sessionCookie,
  type Handler,
  type Role,
} from "../helpers";
import { isoDate } from "~/domain/ledger/dates";

// Staff money actions that post to the ledger once answered 500 when the year of today was closed: the posting
// module's refusal was thrown through the stream's flow. They now answer the refusal's French message with a 409,
// and the refused action changed nothing (issue 13, item 6).

const cookies: Record<Role, string> = { ADMIN: "", STAFF: "", MEMBER: "", USER: "" };
const { post } = routeCallers(cookies);
let poleId: string;
let staffId: string;
let customerId: string;
let deskId: string;

const DAY = DateTime.now().setZone("Europe/Paris").plus({ weeks: 1 }).set({ weekday: 3 }).toISODate()!;
const at = (hhmm: string) => parisInstant(isoDate(DAY), toMinutes(hhmm));
let keys = 0;

async function bookingKeptOnSite(start: string, end: string) {
  const held = await holdBooking(db, {
    poleId,
    resourceKey: deskId,
    personId: customerId,
    startsAt: at(start),
    endsAt: at(end),
    idempotencyKey: `closed-year-${++keys}`,
    now: new Date(),
  });
  if (!held.ok) throw new Error(held.message);
  const kept = await payOnSite(db, { poleId, bookingId: held.value.booking.id, personId: customerId, now: new Date() });
  if (!kept.ok) throw new Error(kept.message);
  return held.value.booking.id;
}

/** The fiscal year holding today, closed: every posting dated today is refused. */
async function closeThisYear() {
  const year = parisDate(new Date()).slice(0, 4);
  // A posting opens its year when it has none yet; otherwise the test creates it.
  const existing = await db.fiscalYear.findFirst({ where: { poleId, startDate: new Date(`${year}-01-01`) } });
  const created = existing
    ? { ok: true as const, value: existing }
    : await createFiscalYear(db, { poleId, startDate: isoDate(`${year}-01-01`), endDate: isoDate(`${year}-12-31`) });
  if (!created.ok) throw new Error(created.message);
  const closed = await closeFiscalYear(db, {
    poleId,
    fiscalYearId: created.value.id,
    closedById: staffId,
    now: dayAfter(created.value.endDate),
    confirmEmpty: true,
  });
  if (!closed.ok) throw new Error(closed.message);
}

const counts = async () => ({
  payments: await db.payment.count(),
  invoices: await db.invoice.count(),
  entries: await db.journalEntry.count(),
  emails: await db.outboxEmail.count(),
});

const CLOSED = /^L'exercice qui contient le .+ est clôturé/;

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  staffId = await logInEveryRole(poleId, cookies);
  customerId = (await createPerson(db, { poleId, name: "Léa Fabre", email: "lea.fabre@exemple.test" })).id;
  const spaceId = (await createSpace(db, { poleId, name: "La Grange", slug: "la-grange" })).id;
  deskId = (await createResource(db, { poleId, spaceId, kind: "DESK", name: "Poste 1", slug: "poste-1" })).id;
});

describe("a staff money action in a closed fiscal year", () => {
  it("refuses an offline payment with 409 and its French message: the booking still awaits its payment", async () => {
    const bookingId = await bookingKeptOnSite("09:00", "12:00");
    await closeThisYear();
    const before = await counts();
    const response = await post(
      booking.action as Handler,
      "/x",
      { intent: "pay", method: "CHEQUE", reference: "Chèque 1234567" },
      { bookingId },
    );
    expect(response.status).toBe(409);
    expect((await errorsOf(response))[""]).toEqual([expect.stringMatching(CLOSED)]);
    expect(await db.booking.findUniqueOrThrow({ where: { id: bookingId } })).toMatchObject({
      status: "AWAITING_PAYMENT",
    });
    expect(await counts()).toEqual(before);
  });

  it("refuses to record an offline refund with 409: the refund stays pending, nothing posted", async () => {
    const bookingId = await bookingKeptOnSite("13:00", "17:00");
    const paid = await confirmOfflinePayment(db, {
      poleId,
      bookingId,
      method: "TRANSFER",
      reference: "VIR 42",
      staffId,
      now: new Date(),
    });
    if (!paid.ok) throw new Error(paid.message);
    expect((await post(booking.action as Handler, "/x", { intent: "cancel" }, { bookingId })).status).toBe(302);
    await closeThisYear();
    const before = { ...(await counts()), refunds: await db.refund.count() };
    const refund = await db.refund.findFirstOrThrow();
    const response = await post(
      booking.action as Handler,
      "/x",
      { intent: "refund", refundId: refund.id },
      { bookingId },
    );
    expect(response.status).toBe(409);
    expect((await errorsOf(response))[""]).toEqual([expect.stringMatching(CLOSED)]);
    expect(await db.refund.findUniqueOrThrow({ where: { id: refund.id } })).toMatchObject({ status: "PENDING" });
    expect({ ...(await counts()), refunds: await db.refund.count() }).toEqual(before);
  });
});

describe("a booklet paid on site in a closed fiscal year", () => {
  it("is refused with 409: the booklet stays pending, nothing posted", async () => {
    const productId = (await createPassProduct(db, { poleId, name: "Carnet 10" })).id;
    const ordered = await orderPass(db, {
      poleId,
      productId,
      personId: customerId,
      idempotencyKey: "closed-year-pass",
    });
    if (!ordered.ok) throw new Error(ordered.message);
    await closeThisYear();
    const before = await counts();
    const response = await post(booklets.action as Handler, "/x", {
      intent: "pass-paid",
      passId: ordered.value.pass.id,
      method: "TRANSFER",
      reference: "VIR CARNET",
    });
    expect(response.status).toBe(409);
    expect((await errorsOf(response))[""]).toEqual([expect.stringMatching(CLOSED)]);
    expect(await db.pass.findUniqueOrThrow({ where: { id: ordered.value.pass.id } })).toMatchObject({
      status: "PENDING",
    });
    expect(await counts()).toEqual(before);
  });
});

describe("a land money action in a closed fiscal year", () => {
  const TODAY = parisDate(new Date());

  /** The farmer's application, offered a plot by staff: the offer the farmer answers. */
  async function offeredLease() {
    await createLandTerms(db, { poleId, year: Number(TODAY.slice(0, 4)), index: 12_000 });
    const plotId = (await createPlot(db, { poleId, code: "P01", surfaceM2: 12_500, rentPerHectareCents: 16_000 })).id;
    const applied = await submitApplication(db, {
      poleId,
      personId: customerId,
      plotIds: [plotId],
      minSurfaceM2: null,
      project: "Maraîchage diversifié sur sol vivant, vente en AMAP.",
      experience: "",
      desiredStartOn: TODAY,
      leaseKind: "ESPACE_TEST",
      idempotencyKey: `closed-year-app-${++keys}`,
      today: TODAY,
      now: new Date(),
    });
    if (!applied.ok) throw new Error(applied.message);
    const offered = await offerPlot(db, {
      poleId,
      applicationId: applied.value.id,
      plotId,
      startsOn: TODAY,
      frequency: "QUARTERLY",
      staffId,
      idempotencyKey: `closed-year-offer-${++keys}`,
      now: new Date(),
    });
    if (!offered.ok) throw new Error(offered.message);
    return offered.value.lease.id;
  }

  it("refuses the farmer's acceptance (its first invoice) with 409: the offer stays open", async () => {
    const leaseId = await offeredLease();
    await closeThisYear();
    const before = await counts();
    const farmer = await sessionCookie(customerId);
    const response = await routeCallers({ ...cookies, USER: farmer }).post(
      myLand.action as Handler,
      "/compte/terres",
      { intent: "accept", leaseId },
      {},
      "USER",
    );
    expect(response.status).toBe(409);
    expect((await errorsOf(response))[""]).toEqual([expect.stringMatching(CLOSED)]);
    expect(await db.lease.findUniqueOrThrow({ where: { id: leaseId } })).toMatchObject({ status: "OFFERED" });
    expect(await counts()).toEqual(before);
  });

  it("refuses to invoice an instalment now, and to record its payment, with 409", async () => {
    const leaseId = await offeredLease();
    const accepted = await acceptOffer(db, { poleId, leaseId, personId: customerId, now: new Date() });
    if (!accepted.ok) throw new Error(accepted.message);
    const [invoiced, scheduled] = await Promise.all(
      (["INVOICED", "SCHEDULED"] as const).map((status) =>
        db.rentInstalment.findFirstOrThrow({ where: { leaseId, status }, orderBy: { periodStart: "asc" } }),
      ),
    );
    await closeThisYear();
    const before = await counts();
    const now = await post(
      lease.action as Handler,
      "/x",
      { intent: "invoice", instalmentId: scheduled.id },
      { leaseId },
    );
    expect(now.status).toBe(409);
    expect((await errorsOf(now))[""]).toEqual([expect.stringMatching(CLOSED)]);
    const paid = await post(
      lease.action as Handler,
      "/x",
      { intent: "pay", instalmentId: invoiced.id, method: "CHEQUE", reference: "Chèque 42" },
      { leaseId },
    );
    expect(paid.status).toBe(409);
    expect((await errorsOf(paid))[""]).toEqual([expect.stringMatching(CLOSED)]);
    expect(
      (await db.rentInstalment.findMany({ where: { id: { in: [invoiced.id, scheduled.id] } } }))
        .map((i) => i.status)
        .sort(),
    ).toEqual(["INVOICED", "SCHEDULED"]);
    expect(await counts()).toEqual(before);
  });
});
