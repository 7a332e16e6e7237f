import { beforeEach, describe, expect, it } from "vitest";
import { addDays, mondayOf } from "~/domain/booking/time";
import { parisDate } from "~/domain/ledger/index.server";
import * as resourcePage from "~/routes/espaces+/$resourceKey";
import * as bookingPage from "~/routes/compte+/reservations.$bookingId";
import * as webhook from "~/routes/webhooks+/stripe";
import { db } from "~/utils/db.server";
import { createPerson, createPole, createResource, createSpace } from "../factories";
import { callRoute, makeRequest, resetDatabase, sessionCookie } from "../helpers";
import {
  completeSession,
  completeSessionAsync,
  settleAsyncPayment,
  signedWebhook,
  stripeEvent,
  stripeState,
  useStripeMock,
} from "../mocks/stripe";

// With Stripe keys: the person pays by card on Stripe Checkout, Stripe calls the webhook. The webhook reads the
// raw body, checks the signature, and applies each event once.

useStripeMock();

let cookie: string;
let bookingId: string;

beforeEach(async () => {
  await resetDatabase();
  const pole = await createPole(db);
  const space = await createSpace(db, { poleId: pole.id });
  await createResource(db, { poleId: pole.id, spaceId: space.id, kind: "ROOM", slug: "salle" });
  cookie = await sessionCookie((await createPerson(db, { poleId: pole.id, name: "Léa Fabre" })).id);
  const day = addDays(mondayOf(parisDate(new Date())), 9);
  const held = await callRoute(
    resourcePage.action,
    makeRequest("/espaces/salle", {
      cookie,
      form: { intent: "hold", idempotencyKey: "cle-formulaire-stripe", date: day, start: "09:00", end: "11:00" },
    }),
    { resourceKey: "salle" },
  );
  bookingId = held.headers.get("Location")!.split("/").pop()!;
});

const post = (payload: string, signature: string | null) =>
  callRoute(
    webhook.action,
    makeRequest("/webhooks/stripe", {
      body: payload,
      headers: { "content-type": "application/json", ...(signature ? { "stripe-signature": signature } : {}) },
    }),
  );

async function payByCard() {
  const response = await callRoute(
    bookingPage.action,
    makeRequest(`/compte/reservations/${bookingId}`, { cookie, form: { intent: "card" } }),
    { bookingId },
  );
  expect(response.status).toBe(302);
  const sessionId = response.headers.get("Location")!.split("/").pop()!;
  expect(response.headers.get("Location")).toBe(`https://checkout.stripe.com/c/pay/${sessionId}`);
  return sessionId;
}

describe("card payment and the Stripe webhook", () => {
  it("sends the person to Stripe Checkout, then confirms the booking when the signed event arrives, once", async () => {
    const page = await (
      await callRoute(bookingPage.loader, makeRequest(`/compte/reservations/${bookingId}`, { cookie }), { bookingId })
    ).json();
    expect(page.pay).toMatchObject({ card: true, onSite: false });
    const sessionId = await payByCard();
    const created = stripeState.requests.find((r) => r.path === "/v1/checkout/sessions")!;
    expect(created.body).toMatchObject({
      success_url: expect.stringContaining(`/compte/reservations/${bookingId}?paiement=retour`),
      metadata: { bookingId },
    });

    const { payload, signature } = signedWebhook(
      stripeEvent("checkout.session.completed", completeSession(sessionId, { fee: 120 })),
    );
    const first = await post(payload, signature);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ received: true, replay: false, outcome: "réservation confirmée" });
    const replay = await post(payload, signature);
    expect(await replay.json()).toMatchObject({ received: true, replay: true });

    expect((await db.booking.findUniqueOrThrow({ where: { id: bookingId } })).status).toBe("CONFIRMED");
    expect(await db.invoice.count()).toBe(1);
    expect(await db.stripeEvent.count()).toBe(1);
  });

  it("keeps the slot while a payment that settles later is processing, then confirms it on async_payment_succeeded", async () => {
    const sessionId = await payByCard();
    const deliver = async (type: Parameters<typeof stripeEvent>[0], session: object) => {
      const { payload, signature } = signedWebhook(stripeEvent(type, session));
      const response = await post(payload, signature);
      expect(response.status).toBe(200);
      return (await response.json()).outcome;
    };
    expect(await deliver("checkout.session.completed", completeSessionAsync(sessionId, "card"))).toBe(
      "créneau gardé, paiement en cours",
    );
    expect((await db.booking.findUniqueOrThrow({ where: { id: bookingId } })).status).toBe("HELD");
    expect(await deliver("checkout.session.async_payment_succeeded", settleAsyncPayment(sessionId, "succeeded"))).toBe(
      "réservation confirmée",
    );
    expect((await db.booking.findUniqueOrThrow({ where: { id: bookingId } })).status).toBe("CONFIRMED");
    expect(await db.invoice.count()).toBe(1);
  });

  it("releases the slot on async_payment_failed", async () => {
    const sessionId = await payByCard();
    completeSessionAsync(sessionId, "card");
    const { payload, signature } = signedWebhook(
      stripeEvent("checkout.session.async_payment_failed", settleAsyncPayment(sessionId, "failed")),
    );
    const response = await post(payload, signature);
    expect(await response.json()).toMatchObject({ received: true, outcome: "créneau libéré" });
    expect((await db.booking.findUniqueOrThrow({ where: { id: bookingId } })).status).toBe("EXPIRED");
  });

  it("refuses a bad or missing signature with 400 and writes nothing", async () => {
    const sessionId = await payByCard();
    const event = stripeEvent("checkout.session.completed", completeSession(sessionId));
    const forged = signedWebhook(event, "whsec_not_the_right_secret_at_all_00000");
    for (const [payload, signature] of [
      [forged.payload, forged.signature],
      [signedWebhook(event).payload.replace("complete", "open"), signedWebhook(event).signature],
      [forged.payload, null],
      ["pas du json", "t=1,v1=abc"],
    ] as const) {
      const response = await post(payload, signature);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ message: "Signature Stripe invalide." });
    }
    expect(await db.stripeEvent.count()).toBe(0);
    expect((await db.booking.findUniqueOrThrow({ where: { id: bookingId } })).status).toBe("HELD");
  });

  it("acknowledges an event type it does not handle with 200", async () => {
    const { payload, signature } = signedWebhook(stripeEvent("invoice.paid", { id: "in_test_1", object: "invoice" }));
    const response = await post(payload, signature);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ received: true, outcome: "ignoré" });
  });

  it("answers 503 in French when Stripe cannot open the checkout, and the next try works", async () => {
    stripeState.failNext.add("/v1/checkout/sessions");
    const response = await callRoute(
      bookingPage.action,
      makeRequest(`/compte/reservations/${bookingId}`, { cookie, form: { intent: "card" } }),
      { bookingId },
    );
    expect(response.status).toBe(503);
    expect((await response.json()).error[""]).toEqual([
      "Le paiement par carte est momentanément indisponible : réessayez dans un instant.",
    ]);
    await payByCard();
  });
});
