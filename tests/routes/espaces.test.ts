import ICAL from "ical.js";
import { beforeEach, describe, expect, it } from "vitest";
import { cancelBooking, closeResource, holdBooking, notifyFreedSlots } from "~/domain/booking/index.server";
import { addDays, mondayOf, parisInstant } from "~/domain/booking/time";
import { parisDate } from "~/domain/ledger/index.server";
import * as resourcePage from "~/routes/espaces+/$resourceKey";
import * as catalogue from "~/routes/espaces+/_index";
import * as feedRoute from "~/routes/calendrier.$feed";
import * as accountFeed from "~/routes/compte+/calendrier";
import * as account from "~/routes/compte+/_index";
import * as bookingPage from "~/routes/compte+/reservations.$bookingId";
import * as passes from "~/routes/compte+/carnets";
import * as webhook from "~/routes/webhooks+/stripe";
import { db } from "~/utils/db.server";
import {
  createOrganisation,
  createPassProduct,
  createPerson,
  createPole,
  createResource,
  createSpace,
} from "../factories";
import { callRoute, errorsOf, makeRequest, resetDatabase, sessionCookie } from "../helpers";
import { isoDate } from "~/domain/ledger/dates";

// The public booking pages without Stripe keys (the offline path): what a person sees and every bad input.

let poleId: string;
let desk: Awaited<ReturnType<typeof createResource>>;
let person: Awaited<ReturnType<typeof createPerson>>;
let cookie: string;
let day: string;

/** A working day of next week (never in the past, whatever today is). */
function nextTuesday() {
  return addDays(mondayOf(parisDate(new Date())), 8);
}

beforeEach(async () => {
  await resetDatabase();
  const pole = await createPole(db);
  poleId = pole.id;
  const space = await createSpace(db, { poleId, name: "La Grange" });
  desk = await createResource(db, { poleId, spaceId: space.id, kind: "DESK", slug: "poste-01", name: "Poste 01" });
  person = await createPerson(db, { poleId, name: "Léa Fabre" });
  cookie = await sessionCookie(person.id);
  day = nextTuesday();
});

const hold = (fields: Record<string, string>, options: { cookie?: string; key?: string } = {}) =>
  callRoute(
    resourcePage.action,
    makeRequest(`/espaces/${options.key ?? "poste-01"}`, {
      cookie: options.cookie ?? cookie,
      form: {
        intent: "hold",
        idempotencyKey: "cle-de-formulaire-1",
        date: day,
        start: "08:30",
        end: "12:30",
        ...fields,
      },
    }),
    { resourceKey: options.key ?? "poste-01" },
  );

describe("the spaces catalogue and a resource's page", () => {
  it("lists the spaces with their resources and prices, to visitors too", async () => {
    const response = await callRoute(catalogue.loader, makeRequest("/espaces"));
    const data = await response.json();
    expect(data.spaces).toHaveLength(1);
    expect(data.spaces[0].resources[0]).toMatchObject({
      slug: "poste-01",
      fromMember: 1200,
      fromPublic: 1800,
      unit: "HALF_DAY",
    });
  });

  it("shows the week's free slots without who booked the taken ones", async () => {
    const other = await createPerson(db, { poleId, name: "Hugo Secret" });
    await holdBooking(db, {
      poleId,
      resourceKey: "poste-01",
      personId: other.id,
      startsAt: parisInstant(isoDate(day), 510),
      endsAt: parisInstant(isoDate(day), 750),
      idempotencyKey: "k1",
      now: new Date(),
    });
    const response = await callRoute(resourcePage.loader, makeRequest(`/espaces/poste-01?semaine=${day}`, { cookie }), {
      resourceKey: "poste-01",
    });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).not.toContain("Hugo");
    expect(body).not.toContain(other.id);
    const data = JSON.parse(body);
    const tuesday = data.week.days.find((d: { date: string }) => d.date === day);
    expect(tuesday.busy).toEqual([{ start: 510, end: 750, kind: "BOOKING", mine: false }]);
    expect(tuesday.free[0]).toEqual({ start: 750, end: 1110 });
    expect(tuesday.slots.map((s: { label: string }) => s.label)).toEqual(["Après-midi (14:30–18:30)"]);
  });

  it("keeps the week asked within the bookable year, however far the address says", async () => {
    const unreadable = await callRoute(resourcePage.loader, makeRequest("/espaces/poste-01?semaine=9999-12-31"), {
      resourceKey: "poste-01",
    });
    expect(unreadable.status).toBe(200);
    for (const semaine of ["2999-12-31", "2200-01-01"]) {
      const response = await callRoute(resourcePage.loader, makeRequest(`/espaces/poste-01?semaine=${semaine}`), {
        resourceKey: "poste-01",
      });
      expect(response.status).toBe(200);
      const data = await response.json();
      expect(data.week.next).toBeNull();
      expect(data.week.monday <= addDays(parisDate(new Date()), 366)).toBe(true);
    }
  });

  it("answers 404 in French for a resource that does not exist or belongs to another pole", async () => {
    const otherPole = await createPole(db);
    const otherSpace = await createSpace(db, { poleId: otherPole.id });
    const foreign = await createResource(db, { poleId: otherPole.id, spaceId: otherSpace.id, slug: "poste-ailleurs" });
    for (const key of ["inexistant", foreign.slug, foreign.id]) {
      const response = await callRoute(resourcePage.loader, makeRequest(`/espaces/${key}`), { resourceKey: key });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: "Cet espace n'existe pas ou ne se réserve pas." });
      const posted = await hold({}, { key });
      expect(posted.status).toBe(404);
    }
  });
});

describe("holding a slot", () => {
  it("holds at the server's price whatever price or person the form sends, and sends the person to pay", async () => {
    const stranger = await createPerson(db, { poleId });
    const response = await hold({ priceCents: "1", price: "0", personId: stranger.id });
    expect(response.status).toBe(302);
    const booking = await db.booking.findFirstOrThrow();
    expect(response.headers.get("Location")).toBe(`/compte/reservations/${booking.id}`);
    expect(booking).toMatchObject({ personId: person.id, priceCents: 1800, status: "HELD", memberRate: false });
  });

  it("tells a person who already holds the slot, and someone without an account on this pole, above the form", async () => {
    await hold({});
    const twice = await hold({ idempotencyKey: "une-autre-cle-de-formulaire" });
    expect(twice.status).toBe(409);
    expect((await errorsOf(twice)).start).toEqual([
      "Vous avez déjà une réservation sur ce créneau : retrouvez-la dans Mon compte.",
    ]);
    const outsider = await db.person.create({
      data: { email: "ailleurs@exemple.test", name: "Venue d'ailleurs", passwordHash: "x" },
    });
    const response = await hold({ start: "14:30", end: "18:30" }, { cookie: await sessionCookie(outsider.id) });
    expect(response.status).toBe(422);
    expect((await errorsOf(response))[""]).toEqual(["Cette personne n'a pas de compte sur ce pôle."]);
  });

  it("confirms a free booking without any payment", async () => {
    await db.resourceRate.updateMany({ where: { resourceId: desk.id }, data: { memberCents: 0, publicCents: 0 } });
    const response = await hold({});
    const bookingId = response.headers.get("Location")!.split("/").pop()!;
    const page = await (
      await callRoute(bookingPage.loader, makeRequest(`/compte/reservations/${bookingId}`, { cookie }), { bookingId })
    ).json();
    expect(page.pay).toMatchObject({ free: true, card: false, onSite: false });
    const confirmed = await callRoute(
      bookingPage.action,
      makeRequest(`/compte/reservations/${bookingId}`, { cookie, form: { intent: "free" } }),
      { bookingId },
    );
    expect(confirmed.headers.get("Location")).toBe(`/compte/reservations/${bookingId}?confirmee`);
    expect(await db.booking.findUniqueOrThrow({ where: { id: bookingId } })).toMatchObject({
      status: "CONFIRMED",
      priceCents: 0,
      invoiceId: null,
    });
  });

  it("gives members the member rate", async () => {
    const org = await createOrganisation(db, { poleId, isMember: true });
    const worker = await createPerson(db, { poleId, organisationId: org.id });
    await hold({}, { cookie: await sessionCookie(worker.id) });
    expect(await db.booking.findFirstOrThrow()).toMatchObject({ priceCents: 1200, memberRate: true });
  });

  it("replays a double submission instead of booking twice", async () => {
    const first = await hold({});
    const second = await hold({});
    expect(second.headers.get("Location")).toBe(first.headers.get("Location"));
    expect(await db.booking.count()).toBe(1);
  });

  it("sends a visitor to log in and back to the same slot", async () => {
    const response = await hold({}, { cookie: "" });
    expect(response.status).toBe(302);
    const location = decodeURIComponent(response.headers.get("Location")!);
    expect(location).toBe(`/connexion?redirectTo=/espaces/poste-01?jour=${day}&debut=08:30&fin=12:30#reserver`);
    expect(await db.booking.count()).toBe(0);
  });

  const past = () => parisDate(new Date(Date.now() - 86_400_000));
  const saturday = () => addDays(mondayOf(parisDate(new Date())), 12);
  it.each([
    [
      "a start in the past",
      () => ({ date: past() }),
      422,
      "start",
      "Ce créneau a déjà commencé : choisissez un horaire à venir.",
    ],
    ["an end before the start", () => ({ start: "12:30", end: "08:30" }), 400, "end", "La fin doit suivre le début."],
    ["a day the pole is closed", () => ({ date: saturday() }), 422, "date", "Le lieu est fermé ce jour-là."],
    [
      "a range outside opening hours",
      () => ({ start: "07:00", end: "09:00" }),
      422,
      "start",
      "Ce créneau sort des heures d'ouverture (08:30–18:30).",
    ],
    [
      "a range off the slot grid",
      () => ({ start: "08:45", end: "12:30" }),
      422,
      "start",
      "Les réservations commencent et finissent sur un pas de 30 minutes (par exemple 09:00 ou 09:30).",
    ],
    [
      "a range shorter than the minimum",
      () => ({ start: "08:30", end: "09:00" }),
      422,
      "end",
      "La durée minimale est de 1 h.",
    ],
    ["a malformed date", () => ({ date: "31/02/2027" }), 400, "date", "Indiquez un jour valide (jj/mm/aaaa)."],
    ["a malformed time", () => ({ start: "8h" }), 400, "start", "Indiquez une heure de début (hh:mm)."],
    [
      "a missing form key",
      () => ({ idempotencyKey: "" }),
      400,
      "idempotencyKey",
      "Rechargez la page : le formulaire a expiré.",
    ],
  ])("refuses %s with a French field message", async (_label, fields, status, field, message) => {
    const response = await hold(fields());
    expect(response.status).toBe(status);
    expect((await errorsOf(response))[field]).toEqual([message]);
    expect(await db.booking.count()).toBe(0);
  });

  it("refuses a longer range than the resource allows", async () => {
    await db.resource.update({ where: { id: desk.id }, data: { maxMinutes: 240 } });
    const response = await hold({ end: "14:30" });
    expect(response.status).toBe(422);
    expect((await errorsOf(response)).end).toEqual(["La durée maximale est de 4 h."]);
  });

  it("refuses a taken slot with 409 and offers the waiting list, which tells the person when it frees", async () => {
    const other = await createPerson(db, { poleId });
    const taken = await holdBooking(db, {
      poleId,
      resourceKey: "poste-01",
      personId: other.id,
      startsAt: parisInstant(isoDate(day), 510),
      endsAt: parisInstant(isoDate(day), 750),
      idempotencyKey: "k1",
      now: new Date(),
    });
    const response = await hold({});
    expect(response.status).toBe(409);
    expect(await response.clone().json()).toMatchObject({ slotTaken: true });
    expect((await errorsOf(response)).start).toEqual([
      "Ce créneau vient d'être réservé par quelqu'un d'autre : choisissez-en un autre.",
    ]);
    const wait = await callRoute(
      resourcePage.action,
      makeRequest("/espaces/poste-01", { cookie, form: { intent: "wait", date: day, start: "08:30", end: "12:30" } }),
      { resourceKey: "poste-01" },
    );
    expect(await wait.json()).toMatchObject({ waiting: true });
    const again = await callRoute(
      resourcePage.action,
      makeRequest("/espaces/poste-01", { cookie, form: { intent: "wait", date: day, start: "08:30", end: "12:30" } }),
      { resourceKey: "poste-01" },
    );
    expect(again.status).toBe(409);

    // The other person cancels: the sweep tells the waiting list, once.
    if (!taken.ok) throw new Error(taken.message);
    await cancelBooking(db, {
      poleId,
      bookingId: taken.value.booking.id,
      actor: { personId: other.id, staff: false },
      now: new Date(),
    });
    expect(await notifyFreedSlots(db, new Date())).toBe(1);
    expect(await notifyFreedSlots(db, new Date())).toBe(0);
    const mail = await db.outboxEmail.findFirstOrThrow({ where: { to: person.email } });
    expect(mail.subject).toContain("un créneau attendu s'est libéré");
    expect(mail.text).toContain(`/espaces/poste-01?jour=${day}&debut=08:30&fin=12:30#reserver`);
  });

  it("refuses a slot during a closure with its own message", async () => {
    const staff = await createPerson(db, { poleId, role: "STAFF" });
    await closeResource(db, {
      poleId,
      resourceKey: "poste-01",
      startsAt: parisInstant(isoDate(day), 0),
      endsAt: parisInstant(isoDate(day), 1440),
      reason: "Peinture",
      staffId: staff.id,
      idempotencyKey: "c1",
      now: new Date(),
    });
    const response = await hold({});
    expect(response.status).toBe(409);
    expect((await errorsOf(response)).start).toEqual(["Cet espace est fermé sur ce créneau : choisissez-en un autre."]);
  });
});

describe("paying and cancelling from Mon compte (no Stripe keys: on site)", () => {
  async function held() {
    await hold({});
    return db.booking.findFirstOrThrow();
  }
  const pay = (bookingId: string, intent: string, who = cookie) =>
    callRoute(bookingPage.action, makeRequest(`/compte/reservations/${bookingId}`, { cookie: who, form: { intent } }), {
      bookingId,
    });

  it("offers to pay on site when card payment is off, then shows the booking as to be paid", async () => {
    const booking = await held();
    const page = await (
      await callRoute(bookingPage.loader, makeRequest(`/compte/reservations/${booking.id}`, { cookie }), {
        bookingId: booking.id,
      })
    ).json();
    expect(page.pay).toEqual({ free: false, pass: false, credits: 1, card: false, onSite: true });
    const response = await pay(booking.id, "onsite");
    expect(response.headers.get("Location")).toBe(`/compte/reservations/${booking.id}?a-regler`);
    expect((await db.booking.findUniqueOrThrow({ where: { id: booking.id } })).status).toBe("AWAITING_PAYMENT");
    const mail = await db.outboxEmail.findFirstOrThrow({ where: { to: person.email } });
    expect(mail.subject).toContain("à régler sur place");
    expect((mail.attachments as { filename: string }[])[0].filename).toBe("reservation.ics");
  });

  it("refuses card payment without keys, a booklet the person does not have, and an unknown choice", async () => {
    const booking = await held();
    expect((await pay(booking.id, "card")).status).toBe(409);
    const noPass = await pay(booking.id, "pass");
    expect(noPass.status).toBe(409);
    expect((await errorsOf(noPass)).method?.[0]).toMatch(/^Aucun de vos carnets valides/);
    const unknown = await pay(booking.id, "bitcoin");
    expect(unknown.status).toBe(400);
    expect((await errorsOf(unknown)).intent).toEqual(["Choisissez un moyen de paiement."]);
  });

  it("refuses an expired hold with 410 and someone else's booking with 404", async () => {
    const booking = await held();
    const stranger = await sessionCookie((await createPerson(db, { poleId })).id);
    expect((await pay(booking.id, "onsite", stranger)).status).toBe(404);
    expect(
      (
        await callRoute(bookingPage.loader, makeRequest(`/compte/reservations/${booking.id}`, { cookie: stranger }), {
          bookingId: booking.id,
        })
      ).status,
    ).toBe(404);
    await db.booking.update({ where: { id: booking.id }, data: { holdExpiresAt: new Date(Date.now() - 1000) } });
    const late = await pay(booking.id, "onsite");
    expect(late.status).toBe(410);
    expect((await errorsOf(late))[""]).toEqual([
      "Le délai pour payer est dépassé et le créneau a été libéré : réservez-le à nouveau s'il est encore libre.",
    ]);
  });

  it("cancels for free before the deadline, and a second cancellation is a 409", async () => {
    const booking = await held();
    await pay(booking.id, "onsite");
    expect((await pay(booking.id, "cancel")).status).toBe(302);
    expect(await db.booking.findUniqueOrThrow({ where: { id: booking.id } })).toMatchObject({
      status: "CANCELLED",
      cancellationFeeCents: 0,
    });
    const again = await pay(booking.id, "cancel");
    expect(again.status).toBe(409);
    expect((await errorsOf(again))[""]).toEqual(["Cette réservation est déjà annulée."]);
  });

  it("buys a booklet to be paid at the desk", async () => {
    const product = await createPassProduct(db, { poleId, name: "Carnet 10", memberCents: 11000, publicCents: 16000 });
    const response = await callRoute(
      passes.action,
      makeRequest("/compte/carnets", { cookie, form: { productId: product.id, idempotencyKey: "cle-carnet-0001" } }),
    );
    expect(response.headers.get("Location")).toBe("/compte?carnet=commande#carnets");
    expect(await db.pass.findFirstOrThrow()).toMatchObject({ status: "PENDING", priceCents: 16000 });
    const bad = await callRoute(
      passes.action,
      makeRequest("/compte/carnets", { cookie, form: { productId: "inexistant", idempotencyKey: "cle-carnet-0002" } }),
    );
    expect(bad.status).toBe(404);
    expect((await errorsOf(bad))[""]).toEqual(["Ce carnet n'est pas en vente."]);
  });
});

describe("Mon compte and the private calendar", () => {
  it("lists the person's bookings and serves them in an iCal feed that a calendar parser reads, until revoked", async () => {
    const response = await hold({});
    const bookingId = response.headers.get("Location")!.split("/").pop()!;
    await callRoute(
      bookingPage.action,
      makeRequest(`/compte/reservations/${bookingId}`, { cookie, form: { intent: "onsite" } }),
      { bookingId },
    );
    await callRoute(accountFeed.action, makeRequest("/compte/calendrier", { cookie, form: { intent: "renew" } }));
    const page = await (await callRoute(account.loader, makeRequest("/compte", { cookie }))).json();
    expect(page.bookings.upcoming).toHaveLength(1);
    expect(page.bookings.upcoming[0]).toMatchObject({ resourceName: "Poste 01", statusLabel: "À régler sur place" });
    const feedPath = new URL(page.feedUrl).pathname;
    const feed = await callRoute(feedRoute.loader, makeRequest(feedPath), { feed: feedPath.split("/").pop()! });
    expect(feed.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    const text = await feed.text();
    // Instants in UTC, so the server's own time zone never shifts them.
    expect(text).toMatch(/^DTSTART:\d{8}T\d{6}Z\r?$/m);
    const calendar = new ICAL.Component(ICAL.parse(text));
    const events = calendar.getAllSubcomponents("vevent").map((e) => new ICAL.Event(e));
    expect(events).toHaveLength(1);
    expect(events[0].summary).toContain("Poste 01");
    expect(events[0].startDate.toJSDate().toISOString()).toBe(parisInstant(isoDate(day), 510).toISOString());
    expect(events[0].component.getFirstPropertyValue("status")).toBe("TENTATIVE");

    // Three renewals at once: each answered, one live address in the end.
    const renewals = await Promise.all(
      [1, 2, 3].map(() =>
        callRoute(accountFeed.action, makeRequest("/compte/calendrier", { cookie, form: { intent: "renew" } })),
      ),
    );
    expect(renewals.map((r) => r.status)).toEqual([302, 302, 302]);
    expect(await db.calendarFeed.count({ where: { personId: person.id, revokedAt: null } })).toBe(1);
    expect(
      (await callRoute(feedRoute.loader, makeRequest(feedPath), { feed: feedPath.split("/").pop()! })).status,
    ).toBe(404);
    await callRoute(accountFeed.action, makeRequest("/compte/calendrier", { cookie, form: { intent: "revoke" } }));
    expect(await db.calendarFeed.count({ where: { personId: person.id, revokedAt: null } })).toBe(0);
    expect(
      (await callRoute(feedRoute.loader, makeRequest("/calendrier/devine.ics"), { feed: "devine.ics" })).status,
    ).toBe(404);
  });
});

describe("Mon compte's past bookings", () => {
  it("shows the 50 latest and says how many there are in all", async () => {
    // A resident's history: 52 days booked in the past (the booking domain refuses the past, so written directly).
    await db.booking.createMany({
      data: Array.from({ length: 52 }, (_, i) => {
        const date = addDays(parisDate(new Date()), -1 - i);
        return {
          poleId,
          resourceId: desk.id,
          personId: person.id,
          startsAt: parisInstant(date, 510),
          endsAt: parisInstant(date, 750),
          status: "CONFIRMED" as const,
          idempotencyKey: `history-${i}`,
        };
      }),
    });
    const page = await (await callRoute(account.loader, makeRequest("/compte", { cookie }))).json();
    expect(page.bookings.past).toHaveLength(50);
    expect(page.bookings.pastTotal).toBe(52);
    expect(page.bookings.past[0].startsAt).toBe(parisInstant(addDays(parisDate(new Date()), -1), 510).toISOString());
  });
});

describe("the Stripe webhook without keys", () => {
  it("answers 404 and writes nothing", async () => {
    const response = await callRoute(
      webhook.action,
      makeRequest("/webhooks/stripe", { body: "{}", headers: { "stripe-signature": "t=1,v1=x" } }),
    );
    expect(response.status).toBe(404);
    expect(await db.stripeEvent.count()).toBe(0);
  });
});
