import { http, HttpResponse } from "msw";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { addDays, mondayOf } from "~/domain/booking/time";
import { acceptOffer, instalmentCheckout, offerPlot, submitApplication } from "~/domain/leasing/index.server";
import { parisDate } from "~/domain/ledger/index.server";
import { getStripe, openCheckout } from "~/domain/payments/index.server";
import * as booklets from "~/routes/compte+/carnets";
import * as bookingPage from "~/routes/compte+/reservations.$bookingId";
import * as resourcePage from "~/routes/espaces+/$resourceKey";
import { db } from "~/utils/db.server";
import { resetEnvCache } from "~/utils/env.server";
import {
  createLandTerms,
  createPassProduct,
  createPerson,
  createPlot,
  createPole,
  createResource,
  createSpace,
} from "../factories";
import { callRoute, errorsOf, makeRequest, resetDatabase, sessionCookie } from "../helpers";
import { stripeState, useStripeMock } from "../mocks/stripe";

// Stripe unreachable while someone pays by card (issue 12, item 7): the person reads a French 503 and nothing is
// left behind — no booklet order, no payment row — for a Checkout page that never opened; once Stripe answers
// again the same click opens one page. Two outages: Stripe answering 503, and Stripe not answering at all (the
// client's own timeout, shortened here through STRIPE_TIMEOUT_MS; it still tries three times).

const { server } = useStripeMock();
const savedTimeout = process.env.STRIPE_TIMEOUT_MS;
process.env.STRIPE_TIMEOUT_MS = "100";
resetEnvCache();
afterAll(() => {
  if (savedTimeout === undefined) delete process.env.STRIPE_TIMEOUT_MS;
  else process.env.STRIPE_TIMEOUT_MS = savedTimeout;
  resetEnvCache();
});

const SESSIONS = "https://api.stripe.com/v1/checkout/sessions";
const UNAVAILABLE = "Le paiement par carte est momentanément indisponible : réessayez dans un instant.";
let attempts = 0;
const OUTAGES = {
  "answering 503": () => {
    attempts++;
    return HttpResponse.json(
      { error: { type: "api_error", message: "Stripe est momentanément indisponible." } },
      { status: 503 },
    );
  },
  // Headers sent, then nothing: the client's timeout fires while it waits for the body.
  "timing out": () => {
    attempts++;
    return new HttpResponse(new ReadableStream({ start() {} }), {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
  },
} as const;
const outage = (kind: keyof typeof OUTAGES) =>
  server.use(http.post(SESSIONS, OUTAGES[kind]), http.get(`${SESSIONS}/:id`, OUTAGES[kind]));
const opened = () =>
  stripeState.requests.filter((r) => r.method === "POST" && r.path === "/v1/checkout/sessions").length;

let poleId: string;
let cookie: string;
let personId: string;

beforeEach(async () => {
  await resetDatabase();
  attempts = 0;
  poleId = (await createPole(db)).id;
  personId = (await createPerson(db, { poleId, name: "Léa Fabre" })).id;
  cookie = await sessionCookie(personId);
});

describe.each(["answering 503", "timing out"] as const)("with Stripe %s", (kind) => {
  it("a booklet bought by card leaves no order nor payment behind, and the next try opens one page", async () => {
    const product = await createPassProduct(db, { poleId, name: "Carnet 10" });
    const buy = () =>
      callRoute(
        booklets.action,
        makeRequest("/compte/carnets", { cookie, form: { productId: product.id, idempotencyKey: "cle-carnet-panne" } }),
      );
    outage(kind);
    const started = Date.now();
    const failed = await buy();
    const took = Date.now() - started;
    expect(failed.status).toBe(503);
    expect((await errorsOf(failed))[""]).toEqual([UNAVAILABLE]);
    // The client tried three times (its retries), then gave up in seconds, not in minutes.
    expect(attempts).toBe(3);
    expect(took).toBeLessThan(5_000);
    expect([await db.pass.count(), await db.payment.count()]).toEqual([0, 0]);

    server.resetHandlers();
    const retried = await buy();
    expect(retried.status).toBe(302);
    expect(retried.headers.get("Location")).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    expect(opened()).toBe(1);
    const pass = await db.pass.findFirstOrThrow({ include: { payments: true } });
    expect(pass).toMatchObject({ status: "PENDING", personId });
    expect(pass.payments).toMatchObject([
      { status: "PENDING", method: "STRIPE", stripeSessionId: expect.stringMatching(/^cs_test_/) },
    ]);
    // The same form sent again: the same page, no second order.
    expect((await buy()).headers.get("Location")).toBe(retried.headers.get("Location"));
    expect([await db.pass.count(), await db.payment.count(), opened()]).toEqual([1, 1, 1]);
  });

  it("a booking paid by card stays held, with no payment row, and the next try opens one page", async () => {
    const spaceId = (await createSpace(db, { poleId })).id;
    await createResource(db, { poleId, spaceId, kind: "ROOM", slug: "salle" });
    const day = addDays(mondayOf(parisDate(new Date())), 9);
    const held = await callRoute(
      resourcePage.action,
      makeRequest("/espaces/salle", {
        cookie,
        form: { intent: "hold", idempotencyKey: "cle-panne-resa", date: day, start: "09:00", end: "11:00" },
      }),
      { resourceKey: "salle" },
    );
    const bookingId = held.headers.get("Location")!.split("/").pop()!;
    const payByCard = () =>
      callRoute(
        bookingPage.action,
        makeRequest(`/compte/reservations/${bookingId}`, { cookie, form: { intent: "card" } }),
        { bookingId },
      );

    outage(kind);
    const failed = await payByCard();
    expect(failed.status).toBe(503);
    expect((await errorsOf(failed))[""]).toEqual([UNAVAILABLE]);
    expect(await db.payment.count()).toBe(0);
    expect(await db.booking.findUniqueOrThrow({ where: { id: bookingId } })).toMatchObject({ status: "HELD" });

    server.resetHandlers();
    const first = await payByCard();
    expect(first.status).toBe(302);
    // Stripe down again when the person clicks once more: the open page cannot be read back, a 503, nothing changes.
    outage(kind);
    expect((await payByCard()).status).toBe(503);
    server.resetHandlers();
    expect((await payByCard()).headers.get("Location")).toBe(first.headers.get("Location"));
    expect(opened()).toBe(1);
    expect(await db.payment.findMany({ select: { status: true } })).toEqual([{ status: "PENDING" }]);
  });

  it("a rent instalment paid by card stays invoiced, with no payment row", async () => {
    const today = parisDate(new Date());
    await createLandTerms(db, { poleId, year: Number(today.slice(0, 4)) });
    const plot = await createPlot(db, { poleId, code: "P01", surfaceM2: 20_000, rentPerHectareCents: 18_000 });
    const staff = await createPerson(db, { poleId, role: "STAFF" });
    const now = new Date();
    const application = await submitApplication(db, {
      poleId,
      personId,
      plotIds: [plot.id],
      minSurfaceM2: null,
      project: "Maraîchage sur sol vivant.",
      experience: "",
      desiredStartOn: today,
      leaseKind: "CONVENTION_PRECAIRE",
      idempotencyKey: "k-app",
      today,
      now,
    });
    if (!application.ok) throw new Error(application.message);
    const offered = await offerPlot(db, {
      poleId,
      applicationId: application.value.id,
      plotId: plot.id,
      startsOn: today,
      endsOn: addDays(today, 180),
      frequency: "MONTHLY",
      staffId: staff.id,
      idempotencyKey: "k-offer",
      now,
    });
    if (!offered.ok) throw new Error(offered.message);
    expect((await acceptOffer(db, { poleId, leaseId: offered.value.lease.id, personId, now })).ok).toBe(true);
    const instalment = await db.rentInstalment.findFirstOrThrow({ where: { status: "INVOICED" } });
    const request = await instalmentCheckout(db, { poleId, instalmentId: instalment.id, personId, now });
    if (!request.ok) throw new Error(request.message);

    outage(kind);
    expect(await openCheckout(db, getStripe()!, request.value)).toMatchObject({
      ok: false,
      code: "STRIPE_UNAVAILABLE",
      status: 503,
      message: UNAVAILABLE,
    });
    expect(await db.payment.count()).toBe(0);
    expect(await db.rentInstalment.findUniqueOrThrow({ where: { id: instalment.id } })).toMatchObject({
      status: "INVOICED",
    });

    server.resetHandlers();
    expect(await openCheckout(db, getStripe()!, request.value)).toMatchObject({ ok: true });
    expect(
      await db.payment.count({
        where: { instalmentId: instalment.id, status: "PENDING", stripeSessionId: { not: null } },
      }),
    ).toBe(1);
  });
});
