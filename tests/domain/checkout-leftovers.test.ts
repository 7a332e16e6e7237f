import { http, HttpResponse } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { bookingCheckout, buyPassByCard, holdBooking, orderPass } from "~/domain/booking/index.server";
import { parisInstant } from "~/domain/booking/time";
import {
  getStripe,
  insertCheckoutPayment,
  openCheckout,
  openSession,
  sweepPayments,
  type CheckoutRequest,
  type Stripe,
} from "~/domain/payments/index.server";
import { PAYMENT_HANDLERS } from "~/domain/streams.server";
import { db } from "~/utils/db.server";
import { createPassProduct, createPerson, createPole, createResource, createSpace } from "../factories";
import { resetDatabase } from "../helpers";
import { stripeState, useStripeMock } from "../mocks/stripe";
import { isoDate } from "~/domain/ledger/dates";

// What a card payment leaves when its Checkout page never opens (issue 12, item 7): nothing when Stripe says no
// (the request undoes its own rows), and nothing for long when the request dies while waiting for Stripe (the
// sweep removes the payment, and the booklet ordered only to be paid by card with it, after a few minutes).

const NOW = new Date("2027-03-01T07:00:00Z");
const { server } = useStripeMock({ clock: NOW });
const minutesLater = (m: number) => new Date(NOW.getTime() + m * 60_000);
const SESSIONS = "https://api.stripe.com/v1/checkout/sessions";
/** A Stripe client whose process dies while it waits for Stripe: the rows written before the call stay. */
const crashing = {
  checkout: { sessions: { create: () => Promise.reject(new Error("processus tué")) } },
} as unknown as Stripe;

let poleId: string;
let person: { id: string; email: string };
let productId: string;

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  const p = await createPerson(db, { poleId, name: "Léa Fabre" });
  person = { id: p.id, email: p.email };
  productId = (await createPassProduct(db, { poleId, name: "Carnet 10" })).id;
});

const sweep = (stripe: Stripe | null, now: Date) => sweepPayments(db, { stripe, now, purposes: PAYMENT_HANDLERS });

const buy = (stripe: Stripe, key: string, now = NOW) =>
  buyPassByCard(db, stripe, { poleId, productId, person, idempotencyKey: key, now });

async function heldBooking() {
  const spaceId = (await createSpace(db, { poleId })).id;
  const room = await createResource(db, { poleId, spaceId, kind: "ROOM" });
  const held = await holdBooking(db, {
    poleId,
    resourceKey: room.id,
    personId: person.id,
    startsAt: parisInstant(isoDate("2027-03-10"), 540),
    endsAt: parisInstant(isoDate("2027-03-10"), 660),
    idempotencyKey: "k-resa",
    now: NOW,
  });
  if (!held.ok) throw new Error(held.message);
  const request = await bookingCheckout(db, {
    poleId,
    bookingId: held.value.booking.id,
    personId: person.id,
    now: NOW,
  });
  if (!request.ok) throw new Error(request.message);
  return { booking: held.value.booking, request: request.value };
}

describe("card payments whose page never opened", () => {
  it("are swept after a few minutes with the booklet ordered for them; an order to pay on site stays", async () => {
    await expect(buy(crashing, "cle-crash")).rejects.toThrow("processus tué");
    const { booking, request } = await heldBooking();
    await expect(openCheckout(db, crashing, request)).rejects.toThrow("processus tué");
    const onSite = await orderPass(db, { poleId, productId, personId: person.id, idempotencyKey: "cle-accueil" });
    if (!onSite.ok) throw new Error(onSite.message);
    // What the dead requests left: a card order with its payment, a booking's payment, none with a session.
    expect(
      await db.payment.findMany({
        select: { purpose: true, status: true, stripeSessionId: true },
        orderBy: { purpose: "asc" },
      }),
    ).toEqual([
      { purpose: "BOOKING", status: "PENDING", stripeSessionId: null },
      { purpose: "PASS", status: "PENDING", stripeSessionId: null },
    ]);

    // A request may still be waiting for Stripe after a minute: too early.
    expect((await sweep(getStripe(), minutesLater(4))).unopenedDropped).toBe(0);
    expect([await db.pass.count(), await db.payment.count()]).toEqual([2, 2]);

    expect((await sweep(getStripe(), minutesLater(6))).unopenedDropped).toBe(2);
    expect(await db.payment.count()).toBe(0);
    expect(await db.pass.findMany({ select: { id: true, status: true } })).toEqual([
      { id: onSite.value.pass.id, status: "PENDING" },
    ]);
    // The hold is untouched, and paying it by card works again.
    expect(await db.booking.findUniqueOrThrow({ where: { id: booking.id } })).toMatchObject({ status: "HELD" });
    expect(await openCheckout(db, getStripe()!, { ...request, now: minutesLater(6) })).toMatchObject({ ok: true });
  });

  it("are swept without Stripe keys too, and every booklet order to pay on site is kept", async () => {
    const onSite = await orderPass(db, { poleId, productId, personId: person.id, idempotencyKey: "cle-accueil" });
    if (!onSite.ok) throw new Error(onSite.message);
    // As earlier versions left a Stripe outage: a card order and its FAILED payment, with no session; another
    // whose earlier page had expired (CANCELLED) before the outage.
    const legacy = async (key: string, history: boolean) => {
      const ordered = await orderPass(db, { poleId, productId, personId: person.id, idempotencyKey: key });
      if (!ordered.ok) throw new Error(ordered.message);
      const base = {
        poleId,
        purpose: "PASS" as const,
        passId: ordered.value.pass.id,
        personId: person.id,
        method: "STRIPE" as const,
        amountCents: 15_000,
      };
      if (history)
        await db.payment.create({ data: { ...base, status: "CANCELLED", stripeSessionId: `cs_test_ancienne_${key}` } });
      await db.payment.create({ data: { ...base, status: "FAILED" } });
      return ordered.value.pass.id;
    };
    const failedOnly = await legacy("cle-ancienne-1", false);
    const withHistory = await legacy("cle-ancienne-2", true);

    expect((await sweep(null, minutesLater(60))).unopenedDropped).toBe(2);
    expect(await db.payment.findMany({ select: { status: true } })).toEqual([{ status: "CANCELLED" }]);
    const passes = await db.pass.findMany({ select: { id: true, status: true } });
    expect(passes).toHaveLength(2);
    expect(passes).toEqual(
      expect.arrayContaining([
        { id: onSite.value.pass.id, status: "PENDING" },
        { id: withHistory, status: "CANCELLED" },
      ]),
    );
    expect(passes.map((p) => p.id)).not.toContain(failedOnly);
    // A second sweep finds nothing more.
    expect((await sweep(null, minutesLater(90))).unopenedDropped).toBe(0);
  });

  it("leave nothing when the same booklet form is sent twice during an outage", async () => {
    server.use(
      http.post(SESSIONS, () =>
        HttpResponse.json({ error: { type: "api_error", message: "Indisponible." } }, { status: 503 }),
      ),
    );
    const results = await Promise.all([buy(getStripe()!, "cle-double"), buy(getStripe()!, "cle-double")]);
    expect(results.map((r) => r.ok)).toEqual([false, false]);
    expect([await db.pass.count(), await db.payment.count()]).toEqual([0, 0]);
  });

  it("close the page Stripe opened for a payment given up meanwhile, and ask the person to try again", async () => {
    const { request } = await heldBooking();
    // The payment goes while Stripe is answering (a twin whose own call failed, or the sweep).
    server.use(
      http.post(SESSIONS, async () => {
        await db.payment.deleteMany({ where: { stripeSessionId: null } });
      }),
    );
    expect(await openCheckout(db, getStripe()!, request)).toMatchObject({
      ok: false,
      code: "STRIPE_UNAVAILABLE",
      status: 503,
    });
    const [session] = stripeState.sessions.values();
    expect(session.status).toBe("expired");
    expect(await db.payment.count()).toBe(0);
  });

  it("stay with the twin request when Stripe answers that it is opening the same page", async () => {
    const { request } = await heldBooking();
    const payment = await insertCheckoutPayment(db, request as CheckoutRequest);
    server.use(
      http.post(SESSIONS, () =>
        HttpResponse.json(
          {
            error: {
              type: "idempotency_error",
              message:
                "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through).",
            },
          },
          { status: 409, headers: { "Stripe-Should-Retry": "false" } },
        ),
      ),
    );
    expect(await openSession(db, getStripe()!, request, payment, { discardOnFailure: true })).toMatchObject({
      ok: false,
      code: "STRIPE_UNAVAILABLE",
    });
    expect(await db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({
      status: "PENDING",
      stripeSessionId: null,
    });
  });
});
