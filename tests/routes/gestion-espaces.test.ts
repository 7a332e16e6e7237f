import { DateTime } from "luxon";
import { beforeEach, describe, expect, it } from "vitest";
import { holdBooking, payOnSite } from "~/domain/booking/index.server";
import { orderPass } from "~/domain/booking/passes.server";
import { parisInstant, toMinutes } from "~/domain/booking/time";
import { closeFiscalYear, createFiscalYear, parisDate } from "~/domain/ledger/index.server";
import * as home from "~/routes/gestion+/_index";
import * as layout from "~/routes/gestion+/espaces";
import * as space from "~/routes/gestion+/espaces.$spaceId";
import * as overview from "~/routes/gestion+/espaces._index";
import * as calendar from "~/routes/gestion+/espaces.calendrier";
import * as booklet from "~/routes/gestion+/espaces.carnets.$productId";
import * as booklets from "~/routes/gestion+/espaces.carnets._index";
import * as newBooklet from "~/routes/gestion+/espaces.carnets.nouveau";
import * as newSpace from "~/routes/gestion+/espaces.nouveau";
import * as booking from "~/routes/gestion+/espaces.reservations.$bookingId";
import * as bookings from "~/routes/gestion+/espaces.reservations._index";
import * as newBooking from "~/routes/gestion+/espaces.reservations.nouvelle";
import * as csv from "~/routes/gestion+/espaces.reservations[.csv]";
import * as resource from "~/routes/gestion+/espaces.ressources.$resourceId";
import * as newResource from "~/routes/gestion+/espaces.ressources.nouvelle";
import { db } from "~/utils/db.server";
import { createPassProduct, createPerson, createPole, createResource, createSpace } from "../factories";
import {
  dayAfter,
  errorsOf,
  json,
  logInEveryRole,
  resetDatabase,
  routeCallers,
  type Handler,
  type Role,
} from "../helpers";
import { isoDate } from "~/domain/ledger/dates";

// The staff back office of desks and rooms, called like Remix calls its loaders and actions, on the real
// database. Time is the real clock (the routes read it): slots are taken next week, a Tuesday.

const cookies: Record<Role, string> = { ADMIN: "", STAFF: "", MEMBER: "", USER: "" };
let poleId: string;
let staffId: string;
let customerId: string;
let spaceId: string;
let deskId: string;
let productId: string;
let bookingId: string;

const DAY = DateTime.now().setZone("Europe/Paris").plus({ weeks: 1 }).set({ weekday: 2 }).toISODate()!;
const at = (date: string, hhmm: string) => parisInstant(isoDate(date), toMinutes(hhmm));
let keys = 0;
const key = () => `cle-de-test-${++keys}-${Date.now()}`;

/** A held booking of the customer on the desk, kept to pay on site. */
async function awaitingBooking(start = "09:00", end = "12:30", personId = customerId) {
  const held = await holdBooking(db, {
    poleId,
    resourceKey: deskId,
    personId,
    startsAt: at(DAY, start),
    endsAt: at(DAY, end),
    idempotencyKey: key(),
    now: new Date(),
  });
  if (!held.ok) throw new Error(held.message);
  const kept = await payOnSite(db, { poleId, bookingId: held.value.booking.id, personId, now: new Date() });
  if (!kept.ok) throw new Error(kept.message);
  return held.value.booking.id;
}

const { get, post } = routeCallers(cookies);

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  staffId = await logInEveryRole(poleId, cookies);
  customerId = (await createPerson(db, { poleId, name: "Léa Fabre", email: "lea.fabre@exemple.test" })).id;
  spaceId = (await createSpace(db, { poleId, name: "La Grange", slug: "la-grange" })).id;
  deskId = (await createResource(db, { poleId, spaceId, kind: "DESK", name: "Poste 1", slug: "poste-1" })).id;
  productId = (await createPassProduct(db, { poleId, name: "Carnet 10" })).id;
  bookingId = await awaitingBooking();
});

const LOADERS: [string, Handler, () => Record<string, string>][] = [
  ["/gestion/espaces (layout)", layout.loader as Handler, () => ({})],
  ["/gestion/espaces", overview.loader as Handler, () => ({})],
  ["/gestion/espaces/nouveau", newSpace.loader as Handler, () => ({})],
  ["/gestion/espaces/:spaceId", space.loader as Handler, () => ({ spaceId })],
  ["/gestion/espaces/ressources/nouvelle", newResource.loader as Handler, () => ({})],
  ["/gestion/espaces/ressources/:resourceId", resource.loader as Handler, () => ({ resourceId: deskId })],
  ["/gestion/espaces/reservations", bookings.loader as Handler, () => ({})],
  ["/gestion/espaces/reservations.csv", csv.loader as Handler, () => ({})],
  ["/gestion/espaces/reservations/nouvelle", newBooking.loader as Handler, () => ({})],
  ["/gestion/espaces/reservations/:bookingId", booking.loader as Handler, () => ({ bookingId })],
  ["/gestion/espaces/calendrier", calendar.loader as Handler, () => ({})],
  ["/gestion/espaces/carnets", booklets.loader as Handler, () => ({})],
  ["/gestion/espaces/carnets/nouveau", newBooklet.loader as Handler, () => ({})],
  ["/gestion/espaces/carnets/:productId", booklet.loader as Handler, () => ({ productId })],
];

describe("who may enter", () => {
  it.each(LOADERS)("%s refuses a plain user and a member with the French 403", async (path, loader, params) => {
    for (const role of ["USER", "MEMBER"] as const) {
      const response = await get(loader, path, role, params());
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ message: "Cette page est réservée à l'équipe du pôle." });
    }
  });

  it.each(LOADERS)("%s sends a visitor to log in", async (path, loader, params) => {
    const response = await get(loader, path, null, params());
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/connexion\?redirectTo=/);
  });

  it.each(LOADERS)("%s opens for staff", async (path, loader, params) => {
    expect((await get(loader, path, "STAFF", params())).status).toBe(200);
  });

  it("refuses every action to a plain user and a member, and changes nothing", async () => {
    const actions: [Handler, Record<string, string>, Record<string, string>][] = [
      [
        overview.action as Handler,
        {},
        { cancellationDeadlineHours: "1", lateCancellationFeePercent: "0", holdMinutes: "5" },
      ],
      [newSpace.action as Handler, {}, { name: "Intrus" }],
      [space.action as Handler, { spaceId }, { name: "Intrus" }],
      [newResource.action as Handler, {}, { name: "Intrus" }],
      [resource.action as Handler, { resourceId: deskId }, { intent: "close" }],
      [newBooking.action as Handler, {}, { personId: customerId }],
      [booking.action as Handler, { bookingId }, { intent: "pay", method: "CASH", reference: "R1" }],
      [newBooklet.action as Handler, {}, { name: "Intrus" }],
      [booklet.action as Handler, { productId }, { name: "Intrus" }],
      [booklets.action as Handler, {}, { intent: "pass-paid" }],
    ];
    for (const role of ["USER", "MEMBER"] as const) {
      for (const [action, params, form] of actions) {
        const response = await post(action, "/gestion/espaces", form, params, role);
        expect(response.status).toBe(403);
      }
    }
    expect(await db.space.count()).toBe(1);
    expect((await db.booking.findUniqueOrThrow({ where: { id: bookingId } })).status).toBe("AWAITING_PAYMENT");
  });

  it("shows another pole's spaces, resources, bookings and booklets to nobody (404)", async () => {
    const other = await createPole(db);
    const foreignSpace = await createSpace(db, { poleId: other.id });
    const foreignDesk = await createResource(db, { poleId: other.id, spaceId: foreignSpace.id });
    const stranger = await createPerson(db, { poleId: other.id });
    const held = await holdBooking(db, {
      poleId: other.id,
      resourceKey: foreignDesk.id,
      personId: stranger.id,
      startsAt: at(DAY, "09:00"),
      endsAt: at(DAY, "12:30"),
      idempotencyKey: key(),
      now: new Date(),
    });
    if (!held.ok) throw new Error(held.message);
    const foreignProduct = await createPassProduct(db, { poleId: other.id });
    const loaders: [Handler, Record<string, string>][] = [
      [space.loader as Handler, { spaceId: foreignSpace.id }],
      [resource.loader as Handler, { resourceId: foreignDesk.id }],
      [booking.loader as Handler, { bookingId: held.value.booking.id }],
      [booklet.loader as Handler, { productId: foreignProduct.id }],
    ];
    for (const [loader, params] of loaders) {
      const response = await get(loader, "/gestion/espaces/x", "ADMIN", params);
      expect(response.status).toBe(404);
      expect((await json<{ message: string }>(response)).message).toMatch(/n'existe pas/);
    }
    expect(
      (await get(calendar.loader as Handler, `/gestion/espaces/calendrier?espace=${foreignSpace.id}`)).status,
    ).toBe(404);
    // Nor can staff act on them.
    expect(
      (
        await post(
          booking.action as Handler,
          "/x",
          { intent: "pay", method: "CASH", reference: "R1" },
          { bookingId: held.value.booking.id },
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await post(
          resource.action as Handler,
          "/x",
          { intent: "reopen", closureId: "x" },
          { resourceId: foreignDesk.id },
        )
      ).status,
    ).toBe(404);
    expect((await post(space.action as Handler, "/x", { name: "Reprise" }, { spaceId: foreignSpace.id })).status).toBe(
      404,
    );
    expect(
      (
        await post(
          booklet.action as Handler,
          "/x",
          {
            name: "Repris",
            credits: "5",
            validityMonths: "3",
            resourceKind: "DESK",
            memberPrice: "1",
            publicPrice: "2",
          },
          { productId: foreignProduct.id },
        )
      ).status,
    ).toBe(404);
    const resourceInForeignSpace = await post(newResource.action as Handler, "/x", {
      ...validResource(),
      spaceId: foreignSpace.id,
    });
    expect(resourceInForeignSpace.status).toBe(422);
    expect((await errorsOf(resourceInForeignSpace)).spaceId).toEqual(["Choisissez un espace du pôle."]);
    const passPaid = await post(booklets.action as Handler, "/x", {
      intent: "pass-paid",
      passId: "inconnu",
      method: "CASH",
      reference: "Reçu 1",
    });
    expect(passPaid.status).toBe(404);
    expect((await db.booking.findUniqueOrThrow({ where: { id: held.value.booking.id } })).status).toBe("HELD");
  });

  it("answers an unknown booking with 404, on the page and on its actions", async () => {
    expect((await get(booking.loader as Handler, "/x", "STAFF", { bookingId: "inconnue" })).status).toBe(404);
    expect((await post(booking.action as Handler, "/x", { intent: "cancel" }, { bookingId: "inconnue" })).status).toBe(
      404,
    );
  });

  it("lets staff read the booking policy but only an admin change it", async () => {
    const page = await json<{ canEdit: boolean; policy: Record<string, string> }>(
      await get(overview.loader as Handler, "/gestion/espaces"),
    );
    expect(page).toMatchObject({
      canEdit: false,
      policy: { cancellationDeadlineHours: "24", lateCancellationFeePercent: "50", holdMinutes: "10" },
    });
    const policy = { cancellationDeadlineHours: "48", lateCancellationFeePercent: "30", holdMinutes: "15" };
    expect((await post(overview.action as Handler, "/gestion/espaces", policy)).status).toBe(403);
    expect((await post(overview.action as Handler, "/gestion/espaces", policy, {}, "ADMIN")).status).toBe(200);
    expect(await db.pole.findUniqueOrThrow({ where: { id: poleId } })).toMatchObject({
      cancellationDeadlineHours: 48,
      lateCancellationFeePercent: 30,
      holdMinutes: 15,
    });
    const bad = await post(
      overview.action as Handler,
      "/gestion/espaces",
      { ...policy, lateCancellationFeePercent: "150", holdMinutes: "dix" },
      {},
      "ADMIN",
    );
    expect(bad.status).toBe(400);
    expect(await errorsOf(bad)).toMatchObject({
      lateCancellationFeePercent: ["Les frais d'annulation tardive vont de 0 à 100 % du prix."],
      holdMinutes: ["Le temps pour payer va de 1 à 30 minutes."],
    });
  });

  it("adds the section to the back office home", async () => {
    const body = await json(await get(home.loader as Handler, "/gestion"));
    expect(body).toMatchObject({ upcomingBookings: 1, awaitingPayment: 1 });
  });
});

function validResource(overrides: Record<string, string> = {}) {
  return {
    intent: "save",
    spaceId,
    kind: "ROOM",
    name: "Salle des Semis",
    description: "Au premier étage, lumineuse.",
    capacity: "12",
    equipment: "Écran, tableau blanc\nVisioconférence",
    photo: "/images/espaces/salle.svg",
    slotMinutes: "30",
    minMinutes: "60",
    maxMinutes: "480",
    active: "on",
    hoursMode: "own",
    hours_mon: "09:00-12:00, 14:00-18:00",
    hours_tue: "09:00-18:00",
    rate_HOUR_member: "15",
    rate_HOUR_public: "25,50",
    rate_DAY_member: "80",
    rate_DAY_public: "130,00",
    ...overrides,
  };
}

describe("spaces and resources", () => {
  it("creates a space, deriving its slug from the name, and refuses a slug already used", async () => {
    const created = await post(newSpace.action as Handler, "/gestion/espaces/nouveau", {
      name: "L'Atelier des Semis",
      building: "Bâtiment B",
      floor: "Étage 1",
      photo: "/images/espaces/bureaux.svg",
      position: "2",
    });
    expect(created.status).toBe(302);
    const row = await db.space.findFirstOrThrow({ where: { name: "L'Atelier des Semis" } });
    expect(created.headers.get("Location")).toBe(`/gestion/espaces/${row.id}?fait=cree`);
    expect(row).toMatchObject({
      slug: "l-atelier-des-semis",
      building: "Bâtiment B",
      floor: "Étage 1",
      photo: "/images/espaces/bureaux.svg",
      position: 2,
    });

    const duplicate = await post(newSpace.action as Handler, "/gestion/espaces/nouveau", {
      name: "Autre",
      slug: "la-grange",
    });
    expect(duplicate.status).toBe(409);
    expect((await errorsOf(duplicate)).slug).toEqual([
      "Un autre espace utilise déjà cet identifiant : choisissez-en un autre.",
    ]);
    const badPhoto = await post(
      space.action as Handler,
      "/x",
      { name: "La Grange", photo: "/etc/passwd" },
      { spaceId },
    );
    expect(badPhoto.status).toBe(400);
    expect((await errorsOf(badPhoto)).photo).toEqual(["Choisissez une image dans la liste."]);
    const renamed = await post(
      space.action as Handler,
      "/x",
      { name: "La Grange rénovée", slug: "la-grange" },
      { spaceId },
    );
    expect(renamed.status).toBe(200);
    expect((await db.space.findUniqueOrThrow({ where: { id: spaceId } })).name).toBe("La Grange rénovée");
  });

  it("creates a room with its own hours and rates typed with a decimal comma", async () => {
    const response = await post(newResource.action as Handler, "/gestion/espaces/ressources/nouvelle", validResource());
    expect(response.status).toBe(302);
    const room = await db.resource.findFirstOrThrow({
      where: { name: "Salle des Semis" },
      include: { rates: { orderBy: { unit: "asc" } } },
    });
    expect(response.headers.get("Location")).toBe(`/gestion/espaces/ressources/${room.id}?fait=cree`);
    expect(room).toMatchObject({
      slug: "salle-des-semis",
      kind: "ROOM",
      capacity: 12,
      equipment: ["Écran", "tableau blanc", "Visioconférence"],
      slotMinutes: 30,
      minMinutes: 60,
      maxMinutes: 480,
      active: true,
    });
    expect(room.openingHours).toMatchObject({
      mon: [
        { open: "09:00", close: "12:00" },
        { open: "14:00", close: "18:00" },
      ],
      tue: [{ open: "09:00", close: "18:00" }],
      sun: [],
    });
    expect(room.rates.map((r) => [r.unit, r.memberCents, r.publicCents])).toEqual([
      ["HOUR", 1500, 2550],
      ["DAY", 8000, 13000],
    ]);

    // Edited: the half-day is offered, the hour no longer; back to the pole's hours.
    const page = await json<{ values: Record<string, string> }>(
      await get(resource.loader as Handler, "/x", "STAFF", { resourceId: room.id }),
    );
    expect(page.values).toMatchObject({
      rate_HOUR_public: "25,50",
      hoursMode: "own",
      hours_mon: "09:00-12:00, 14:00-18:00",
      equipment: "Écran\ntableau blanc\nVisioconférence",
    });
    const edited = await post(
      resource.action as Handler,
      "/x",
      validResource({
        hoursMode: "pole",
        rate_HOUR_member: "",
        rate_HOUR_public: "",
        rate_HALF_DAY_member: "45",
        rate_HALF_DAY_public: "70",
      }),
      { resourceId: room.id },
    );
    expect(edited.status).toBe(200);
    const after = await db.resource.findUniqueOrThrow({
      where: { id: room.id },
      include: { rates: { orderBy: { unit: "asc" } } },
    });
    expect(after.openingHours).toBeNull();
    expect(after.rates.map((r) => r.unit)).toEqual(["HALF_DAY", "DAY"]);
  });

  it.each([
    ["a negative price", { rate_HOUR_member: "-5" }, "rate_HOUR_member", "Un montant ne peut pas être négatif."],
    [
      "a price that is not a number",
      { rate_DAY_public: "cent euros" },
      "rate_DAY_public",
      "Indiquez un montant en euros, par exemple 1 234,56.",
    ],
    [
      "a price with three decimals",
      { rate_DAY_public: "12,345" },
      "rate_DAY_public",
      "Un montant compte au plus deux décimales (centimes).",
    ],
    [
      "no unit priced",
      { rate_HOUR_member: "", rate_HOUR_public: "", rate_DAY_member: "", rate_DAY_public: "" },
      "rates",
      "Indiquez le prix d'au moins une durée (heure, demi-journée ou journée).",
    ],
    [
      "a unit priced for members only",
      { rate_DAY_public: "" },
      "rate_DAY_public",
      "Indiquez aussi le tarif public, ou laissez les deux tarifs vides.",
    ],
    [
      "a member rate above the public one",
      { rate_DAY_member: "200" },
      "rate_DAY_member",
      "Le tarif membre ne peut pas dépasser le tarif public.",
    ],
    [
      "a maximum under the minimum",
      { minMinutes: "240", maxMinutes: "120" },
      "maxMinutes",
      "La durée maximale ne peut pas être inférieure à la durée minimale.",
    ],
    [
      "a grid that does not divide the day",
      { slotMinutes: "50", minMinutes: "100", maxMinutes: "400" },
      "slotMinutes",
      "La grille doit diviser la journée : 15, 30, 60 ou 120 minutes, par exemple.",
    ],
    [
      "a minimum off the grid",
      { slotMinutes: "60", minMinutes: "90" },
      "minMinutes",
      "La durée minimale doit être un multiple de la grille (60 min).",
    ],
    [
      "a capacity that is not a number",
      { capacity: "beaucoup" },
      "capacity",
      "La capacité est un nombre entier de personnes, de 1 à 500.",
    ],
    [
      "malformed own hours",
      { hours_tue: "9h-18h" },
      "hours_tue",
      "« 9h-18h » n'est pas une plage horaire (ex. 08:30-18:00).",
    ],
    [
      "own hours that never open",
      { hours_mon: "", hours_tue: "Fermé" },
      "hours_mon",
      "Indiquez au moins un jour d'ouverture, ou reprenez les horaires du pôle.",
    ],
    ["an unknown kind", { kind: "GARAGE" }, "kind", "Choisissez poste de travail ou salle."],
  ])("refuses %s with a French field message (400)", async (_, overrides, field, message) => {
    const response = await post(
      newResource.action as Handler,
      "/gestion/espaces/ressources/nouvelle",
      validResource(overrides),
    );
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[field]).toEqual([message]);
    expect(await db.resource.count()).toBe(1);
  });

  it("refuses a resource slug another resource has (409), whatever the order of the saves", async () => {
    const response = await post(newResource.action as Handler, "/x", validResource({ slug: "poste-1" }));
    expect(response.status).toBe(409);
    expect((await errorsOf(response)).slug).toEqual([
      "Une autre ressource utilise déjà cet identifiant : choisissez-en un autre.",
    ]);
    const both = await Promise.all([
      post(newResource.action as Handler, "/x", validResource({ slug: "salle-b" })),
      post(newResource.action as Handler, "/x", validResource({ slug: "salle-b" })),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([302, 409]);
  });

  it("lists the spaces with their resources, rates and what waits for the team", async () => {
    const body = await json<{
      spaces: { name: string; resources: { name: string; rates: unknown[] }[] }[];
      pending: { awaitingPayment: number; passes: number; refunds: unknown[] };
    }>(await get(overview.loader as Handler, "/gestion/espaces"));
    expect(body.spaces[0]).toMatchObject({
      name: "La Grange",
      resources: [{ name: "Poste 1", rates: [null, { member: 1200, public: 1800 }, { member: 2000, public: 3000 }] }],
    });
    expect(body.pending).toMatchObject({ awaitingPayment: 1, passes: 0, refunds: [] });
  });
});

describe("closures", () => {
  const closure = (overrides: Record<string, string> = {}) => ({
    intent: "close",
    startDate: DAY,
    startTime: "14:00",
    endDate: DAY,
    endTime: "18:00",
    reason: "Travaux de peinture",
    idempotencyKey: key(),
    ...overrides,
  });

  it("closes a resource for a period, then reopens it", async () => {
    const closed = await post(resource.action as Handler, "/x", closure(), { resourceId: deskId });
    expect(closed.status).toBe(302);
    expect(closed.headers.get("Location")).toBe(`/gestion/espaces/ressources/${deskId}?fait=fermee`);
    const row = await db.booking.findFirstOrThrow({ where: { kind: "CLOSURE" } });
    expect(row).toMatchObject({
      status: "CONFIRMED",
      reason: "Travaux de peinture",
      bookedById: staffId,
      startsAt: at(DAY, "14:00"),
      endsAt: at(DAY, "18:00"),
    });
    const page = await json<{ closures: { id: string; reason: string }[] }>(
      await get(resource.loader as Handler, "/x", "STAFF", { resourceId: deskId }),
    );
    expect(page.closures).toMatchObject([{ id: row.id, reason: "Travaux de peinture" }]);

    // Nobody can book over it meanwhile.
    const refused = await holdBooking(db, {
      poleId,
      resourceKey: deskId,
      personId: customerId,
      startsAt: at(DAY, "14:00"),
      endsAt: at(DAY, "15:00"),
      idempotencyKey: key(),
      now: new Date(),
    });
    expect(refused).toMatchObject({ ok: false, status: 409 });

    const reopened = await post(
      resource.action as Handler,
      "/x",
      { intent: "reopen", closureId: row.id },
      { resourceId: deskId },
    );
    expect(reopened.status).toBe(302);
    expect((await db.booking.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("CANCELLED");
    const again = await post(
      resource.action as Handler,
      "/x",
      { intent: "reopen", closureId: row.id },
      { resourceId: deskId },
    );
    expect(again.status).toBe(404);
    expect((await errorsOf(again))[""]).toEqual(["Cette fermeture n'existe pas ou est déjà levée."]);
  });

  it("refuses a closure ending before it starts, without a reason or an expired form (400)", async () => {
    const backwards = await post(resource.action as Handler, "/x", closure({ endTime: "13:00" }), {
      resourceId: deskId,
    });
    expect(backwards.status).toBe(400);
    expect((await errorsOf(backwards)).endTime).toEqual(["La fermeture doit finir après son début."]);
    const noReason = await post(resource.action as Handler, "/x", closure({ reason: "" }), { resourceId: deskId });
    expect((await errorsOf(noReason)).reason).toEqual(["Indiquez le motif de la fermeture."]);
    const badDate = await post(resource.action as Handler, "/x", closure({ startDate: "2027-02-30" }), {
      resourceId: deskId,
    });
    expect(badDate.status).toBe(400);
    expect((await errorsOf(badDate)).startDate).toEqual(["Indiquez une date valide (jj/mm/aaaa)."]);
    const { idempotencyKey: _, ...noKey } = closure();
    expect(
      (await errorsOf(await post(resource.action as Handler, "/x", noKey, { resourceId: deskId }))).idempotencyKey,
    ).toEqual(["Ce formulaire a expiré : rechargez la page."]);
    expect(await db.booking.count({ where: { kind: "CLOSURE" } })).toBe(0);
  });

  it("refuses a closure over a booking with 409 and a French message", async () => {
    const response = await post(resource.action as Handler, "/x", closure({ startTime: "08:30", endTime: "10:00" }), {
      resourceId: deskId,
    });
    expect(response.status).toBe(409);
    expect((await errorsOf(response))[""]).toEqual([
      "Une réservation ou une fermeture occupe déjà cette période : annulez-la d'abord.",
    ]);
    const past = await post(
      resource.action as Handler,
      "/x",
      closure({ startDate: "2020-01-01", endDate: "2020-01-02" }),
      { resourceId: deskId },
    );
    expect(past.status).toBe(422);
    expect((await errorsOf(past)).endTime).toEqual(["Cette période est déjà passée."]);
  });

  it("records one closure when the same form is sent twice", async () => {
    const form = closure();
    const [a, b] = await Promise.all([
      post(resource.action as Handler, "/x", form, { resourceId: deskId }),
      post(resource.action as Handler, "/x", form, { resourceId: deskId }),
    ]);
    // The second one either waits and finds the first (302 to the same page) or is told the form was used (409).
    for (const response of [a, b]) expect([302, 409]).toContain(response.status);
    expect([a.status, b.status]).toContain(302);
    expect(await db.booking.count({ where: { kind: "CLOSURE" } })).toBe(1);
  });
});

describe("a booking's page", () => {
  const pay = (form: Record<string, string> = {}) =>
    post(
      booking.action as Handler,
      "/x",
      { intent: "pay", method: "CHEQUE", reference: "Chèque 1234567", ...form },
      { bookingId },
    );

  it("confirms an offline payment: one invoice, the booking confirmed, the person mailed; a second time is refused (409)", async () => {
    const response = await pay();
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/gestion/espaces/reservations/${bookingId}?fait=paiement`);
    expect(await db.booking.findUniqueOrThrow({ where: { id: bookingId } })).toMatchObject({
      status: "CONFIRMED",
      paymentMethod: "CHEQUE",
    });
    expect(await db.invoice.count()).toBe(1);
    expect(await db.payment.findFirstOrThrow({ where: { bookingId } })).toMatchObject({
      method: "CHEQUE",
      reference: "Chèque 1234567",
      confirmedById: staffId,
      amountCents: 1800,
    });
    expect(await db.outboxEmail.count({ where: { to: "lea.fabre@exemple.test" } })).toBe(1);

    const again = await pay({ reference: "Chèque 7654321" });
    expect(again.status).toBe(409);
    expect((await errorsOf(again))[""]).toEqual(["Cette réservation est déjà payée."]);
    expect(await db.invoice.count()).toBe(1);

    const page = await json<{
      invoices: { id: string; number: string }[];
      payments: { reference: string; confirmed: string }[];
      can: Record<string, boolean>;
    }>(await get(booking.loader as Handler, "/x", "STAFF", { bookingId }));
    expect(page.invoices).toHaveLength(1);
    expect(page.payments[0].reference).toBe("Chèque 1234567");
    expect(page.payments[0].confirmed).toContain("par Équipe STAFF");
    expect(page.can).toMatchObject({ pay: false, cancel: true, noShow: false });
  });

  it("refuses a payment without its reference or with an unknown method (400)", async () => {
    const noReference = await pay({ reference: "" });
    expect(noReference.status).toBe(400);
    expect((await errorsOf(noReference)).reference).toEqual([
      "Indiquez la référence du paiement (libellé du virement, numéro de chèque, numéro de reçu).",
    ]);
    const badMethod = await pay({ method: "BITCOIN" });
    expect((await errorsOf(badMethod)).method).toEqual([
      "Choisissez le moyen de paiement : virement, chèque ou espèces.",
    ]);
    expect(await db.invoice.count()).toBe(0);
    expect((await post(booking.action as Handler, "/x", { intent: "teleport" }, { bookingId })).status).toBe(400);
  });

  it("cancels late with the pole's fee unless staff waive it", async () => {
    await db.pole.update({
      where: { id: poleId },
      data: { cancellationDeadlineHours: 720, lateCancellationFeePercent: 50 },
    });
    const other = await awaitingBooking("13:00", "17:00");
    const page = await json<{ lateFeeCents: number }>(
      await get(booking.loader as Handler, "/x", "STAFF", { bookingId }),
    );
    expect(page.lateFeeCents).toBe(900);

    const waived = await post(booking.action as Handler, "/x", { intent: "cancel", waiveFee: "on" }, { bookingId });
    expect(waived.status).toBe(302);
    expect(await db.booking.findUniqueOrThrow({ where: { id: bookingId } })).toMatchObject({
      status: "CANCELLED",
      cancellationFeeCents: 0,
      cancelledById: staffId,
    });
    expect(await db.invoice.count()).toBe(0);

    const charged = await post(booking.action as Handler, "/x", { intent: "cancel" }, { bookingId: other });
    expect(charged.status).toBe(302);
    expect(await db.booking.findUniqueOrThrow({ where: { id: other } })).toMatchObject({
      status: "CANCELLED",
      cancellationFeeCents: 900,
    });
    expect(await db.invoice.findFirstOrThrow({ where: { sourceKey: `booking:${other}:late-fee` } })).toMatchObject({
      totalInclTax: 900,
    });

    const twice = await post(booking.action as Handler, "/x", { intent: "cancel" }, { bookingId });
    expect(twice.status).toBe(409);
    expect((await errorsOf(twice))[""]).toEqual(["Cette réservation est déjà annulée."]);
  });

  it("records the late fee's payment from the form, once; a missing reference is a field error", async () => {
    await db.pole.update({
      where: { id: poleId },
      data: { cancellationDeadlineHours: 720, lateCancellationFeePercent: 50 },
    });
    expect((await post(booking.action as Handler, "/x", { intent: "cancel" }, { bookingId })).status).toBe(302);
    const noReference = await post(
      booking.action as Handler,
      "/x",
      { intent: "fee", method: "CASH", reference: "" },
      { bookingId },
    );
    expect(noReference.status).toBe(400);
    expect((await errorsOf(noReference)).reference).toEqual([
      "Indiquez la référence du paiement (libellé du virement, numéro de chèque, numéro de reçu).",
    ]);
    const paid = await post(
      booking.action as Handler,
      "/x",
      { intent: "fee", method: "CASH", reference: "Reçu 12" },
      { bookingId },
    );
    expect(paid.status).toBe(302);
    expect(paid.headers.get("Location")).toContain("fait=frais");
    const page = await json<{ lateFee: { paid: boolean } }>(
      await get(booking.loader as Handler, "/x", "STAFF", { bookingId }),
    );
    expect(page.lateFee).toMatchObject({ paid: true });
    expect(
      (
        await post(
          booking.action as Handler,
          "/x",
          { intent: "fee", method: "CASH", reference: "Reçu 12" },
          { bookingId },
        )
      ).status,
    ).toBe(409);
  });

  it("records an offline refund the team made: the refund succeeds and a credit note is issued", async () => {
    await db.pole.update({ where: { id: poleId }, data: { cancellationDeadlineHours: 0 } });
    expect((await pay({ method: "TRANSFER", reference: "VIR 2027-03" })).status).toBe(302);
    expect((await post(booking.action as Handler, "/x", { intent: "cancel" }, { bookingId })).status).toBe(302);
    const refund = await db.refund.findFirstOrThrow({ where: { payment: { bookingId } } });
    expect(refund).toMatchObject({ status: "PENDING", amountCents: 1800 });
    const overviewBody = await json<{ pending: { refunds: { id: string }[] } }>(
      await get(overview.loader as Handler, "/gestion/espaces"),
    );
    expect(overviewBody.pending.refunds.map((r) => r.id)).toEqual([refund.id]);

    const done = await post(booking.action as Handler, "/x", { intent: "refund", refundId: refund.id }, { bookingId });
    expect(done.status).toBe(302);
    expect((await db.refund.findUniqueOrThrow({ where: { id: refund.id } })).status).toBe("SUCCEEDED");
    expect(await db.invoice.count({ where: { kind: "CREDIT_NOTE" } })).toBe(1);
    const again = await post(booking.action as Handler, "/x", { intent: "refund", refundId: refund.id }, { bookingId });
    expect(again.status).toBe(409);
    expect((await errorsOf(again))[""]).toEqual(["Ce remboursement est déjà enregistré."]);
    expect(
      (await post(booking.action as Handler, "/x", { intent: "refund", refundId: "inconnu" }, { bookingId })).status,
    ).toBe(404);
  });

  it("marks and unmarks a no-show once the slot has begun, not before", async () => {
    const yesterday = DateTime.now().setZone("Europe/Paris").minus({ days: 1 }).toISODate()!;
    const past = await db.booking.create({
      data: {
        poleId,
        resourceId: deskId,
        personId: customerId,
        startsAt: at(yesterday, "09:00"),
        endsAt: at(yesterday, "10:00"),
        status: "CONFIRMED",
        priceCents: 1800,
        paymentMethod: "CASH",
        idempotencyKey: key(),
      },
    });
    const marked = await post(
      booking.action as Handler,
      "/x",
      { intent: "noshow", noShow: "true" },
      { bookingId: past.id },
    );
    expect(marked.status).toBe(302);
    expect((await db.booking.findUniqueOrThrow({ where: { id: past.id } })).noShow).toBe(true);
    expect(
      (await post(booking.action as Handler, "/x", { intent: "noshow", noShow: "false" }, { bookingId: past.id }))
        .status,
    ).toBe(302);
    expect((await db.booking.findUniqueOrThrow({ where: { id: past.id } })).noShow).toBe(false);

    const early = await post(booking.action as Handler, "/x", { intent: "noshow", noShow: "true" }, { bookingId });
    expect(early.status).toBe(409);
    expect((await errorsOf(early))[""]).toEqual(["Une absence se constate une fois le créneau commencé."]);
    expect(
      (
        await errorsOf(
          await post(
            booking.action as Handler,
            "/x",
            { intent: "noshow", noShow: "peut-être" },
            { bookingId: past.id },
          ),
        )
      ).noShow,
    ).toEqual(["Indiquez si la personne est venue."]);
  });
});

describe("booking for someone", () => {
  const form = (overrides: Record<string, string> = {}) => ({
    personId: customerId,
    resourceId: deskId,
    date: DAY,
    start: "13:00",
    end: "17:00",
    settle: "onsite",
    idempotencyKey: key(),
    ...overrides,
  });

  it("holds the slot in the person's name and keeps it to pay on site", async () => {
    const response = await post(newBooking.action as Handler, "/gestion/espaces/reservations/nouvelle", form());
    expect(response.status).toBe(302);
    const row = await db.booking.findFirstOrThrow({ where: { startsAt: at(DAY, "13:00") } });
    expect(response.headers.get("Location")).toBe(`/gestion/espaces/reservations/${row.id}?fait=sur-place`);
    expect(row).toMatchObject({
      status: "AWAITING_PAYMENT",
      personId: customerId,
      bookedById: staffId,
      priceCents: 1800,
    });
    expect(await db.outboxEmail.count({ where: { to: "lea.fabre@exemple.test" } })).toBe(1);
  });

  it("records a payment made on the spot: confirmed with its invoice", async () => {
    const response = await post(
      newBooking.action as Handler,
      "/x",
      form({ settle: "paid", method: "CASH", reference: "Reçu 42" }),
    );
    expect(response.status).toBe(302);
    const row = await db.booking.findFirstOrThrow({ where: { startsAt: at(DAY, "13:00") } });
    expect(row).toMatchObject({ status: "CONFIRMED", paymentMethod: "CASH" });
    expect(await db.invoice.count()).toBe(1);
  });

  it("books nothing when the payment cannot be recorded (closed fiscal year): a French 409, the slot still free", async () => {
    const year = parisDate(new Date()).slice(0, 4);
    const created = await createFiscalYear(db, {
      poleId,
      startDate: isoDate(`${year}-01-01`),
      endDate: isoDate(`${year}-12-31`),
    });
    if (!created.ok) throw new Error(created.message);
    expect(
      (
        await closeFiscalYear(db, {
          poleId,
          fiscalYearId: created.value.id,
          closedById: staffId,
          now: dayAfter(created.value.endDate),
          confirmEmpty: true,
        })
      ).ok,
    ).toBe(true);
    const emails = await db.outboxEmail.count();

    const response = await post(
      newBooking.action as Handler,
      "/x",
      form({ settle: "paid", method: "TRANSFER", reference: "VIR 7" }),
    );
    expect(response.status).toBe(409);
    expect((await errorsOf(response))[""]).toEqual([
      expect.stringMatching(
        /^L'exercice qui contient le .+ est clôturé\. Le paiement n'a pas pu être enregistré : rien n'a été réservé\.$/,
      ),
    ]);
    expect(await db.booking.count({ where: { startsAt: at(DAY, "13:00") } })).toBe(0);
    expect([
      await db.payment.count(),
      await db.invoice.count(),
      await db.journalEntry.count(),
      await db.outboxEmail.count(),
    ]).toEqual([0, 0, 0, emails]);
    // Nothing holds the slot: kept to pay on site straight away.
    expect((await post(newBooking.action as Handler, "/x", form())).status).toBe(302);
    expect(await db.booking.findFirstOrThrow({ where: { startsAt: at(DAY, "13:00") } })).toMatchObject({
      status: "AWAITING_PAYMENT",
    });
  });

  it("replays a form sent twice instead of booking twice", async () => {
    const once = form();
    const first = await post(newBooking.action as Handler, "/x", once);
    const second = await post(newBooking.action as Handler, "/x", once);
    expect(second.headers.get("Location")?.split("?")[0]).toBe(first.headers.get("Location")?.split("?")[0]);
    expect(await db.booking.count({ where: { startsAt: at(DAY, "13:00") } })).toBe(1);
  });

  it.each([
    [
      "a slot the person already holds",
      { start: "10:00", end: "12:00" },
      409,
      "start",
      "Cette personne a déjà une réservation sur ce créneau.",
    ],
    ["an end before the start", { start: "15:00", end: "14:00" }, 400, "end", "La fin doit suivre le début."],
    [
      "a paid booking without reference",
      { settle: "paid", method: "CASH" },
      400,
      "reference",
      "Indiquez la référence du paiement (libellé du virement, numéro de chèque, numéro de reçu).",
    ],
    [
      "someone from another pole",
      { personId: "inconnu" },
      422,
      "personId",
      "Cette personne n'a pas de compte sur ce pôle.",
    ],
    [
      "an unknown resource",
      { resourceId: "inconnue" },
      404,
      "resourceId",
      "Cet espace n'existe pas ou ne se réserve pas.",
    ],
    [
      "a day in the past",
      { date: "2020-03-03" },
      422,
      "start",
      "Ce créneau a déjà commencé : choisissez un horaire à venir.",
    ],
    ["a malformed day", { date: "mardi" }, 400, "date", "Indiquez un jour valide (jj/mm/aaaa)."],
  ])("refuses %s with a French message", async (_, overrides, status, field, message) => {
    const response = await post(newBooking.action as Handler, "/x", form(overrides));
    expect(response.status).toBe(status);
    expect((await errorsOf(response))[field]).toEqual([message]);
    expect(await db.booking.count()).toBe(1);
  });

  it("narrows the people to choose from by a search", async () => {
    const body = await json<{ people: { name: string }[] }>(
      await get(newBooking.loader as Handler, "/gestion/espaces/reservations/nouvelle?q=fabre"),
    );
    expect(body.people.map((p) => p.name)).toEqual(["Léa Fabre"]);
  });
});

describe("the bookings list, its CSV and the calendar", () => {
  type ListBody = {
    rows: { id: string; person: string; statusLabel: string; priceCents: number }[];
    total: number;
    notices: string[];
    query: Record<string, string>;
  };

  it("lists the live bookings of the next 30 days and filters them", async () => {
    const body = await json<ListBody>(await get(bookings.loader as Handler, "/gestion/espaces/reservations"));
    expect(body.rows).toMatchObject([
      { id: bookingId, person: "Léa Fabre", statusLabel: "À régler sur place", priceCents: 1800 },
    ]);
    expect(body.notices).toEqual([]);
    const byName = await json<ListBody>(
      await get(bookings.loader as Handler, "/gestion/espaces/reservations?q=personne"),
    );
    expect(byName.total).toBe(0);
    const cancelled = await json<ListBody>(
      await get(
        bookings.loader as Handler,
        `/gestion/espaces/reservations?status=CANCELLED&space=${spaceId}&kind=BOOKING`,
      ),
    );
    expect(cancelled.total).toBe(0);
  });

  it.each([
    [
      "/gestion/espaces/reservations?from=32/13/2027",
      "La date de début « 32/13/2027 » n'est pas valide : elle est ignorée.",
    ],
    [
      "/gestion/espaces/reservations?from=2027-12-31&to=2027-01-01",
      "La date de fin précédait la date de début : la période par défaut est affichée.",
    ],
    [
      "/gestion/espaces/reservations?to=99999-01-01",
      "La date de fin « 99999-01-01 » n'est pas valide : elle est ignorée.",
    ],
    ["/gestion/espaces/reservations?space=inconnu", "Cet espace n'existe pas : tous les espaces sont affichés."],
  ])("ignores a filter it cannot read (%s) and says so", async (path, notice) => {
    const response = await get(bookings.loader as Handler, path);
    expect(response.status).toBe(200);
    const body = await json<ListBody>(response);
    expect(body.notices).toEqual([notice]);
    expect(body.total).toBe(1);
  });

  it("exports the filtered bookings as CSV: a header, then one row per booking with French dates", async () => {
    await awaitingBooking("13:00", "17:00");
    const response = await get(
      csv.loader as Handler,
      `/gestion/espaces/reservations.csv?from=${DAY}&to=${DAY}&status=LIVE`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="reservations-${DAY}-${DAY}.csv"`);
    const lines = (await response.text())
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toBe(
      "Début;Fin;Espace;Ressource;Type;Personne;Email;Statut;Paiement;Référence du paiement;Montant TTC;Tarif membre;Absent;Motif;N° de réservation",
    );
    expect(lines).toHaveLength(3);
    const french = `${DAY.slice(8, 10)}/${DAY.slice(5, 7)}/${DAY.slice(0, 4)}`;
    expect(lines[1]).toBe(
      `${french} 09:00;${french} 12:30;La Grange;Poste 1;Réservation;Léa Fabre;lea.fabre@exemple.test;À régler sur place;;;18,00;non;non;;${bookingId}`,
    );
    expect(lines[2]).toContain(`${french} 13:00;${french} 17:00;`);

    const bad = await get(csv.loader as Handler, "/gestion/espaces/reservations.csv?from=hier");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ message: "La date de début « hier » n'est pas valide : elle est ignorée." });
  });

  it("shows a space's week day by day, on the server", async () => {
    const response = await get(
      calendar.loader as Handler,
      `/gestion/espaces/calendrier?espace=${spaceId}&semaine=${DAY}`,
    );
    const body = await json<{
      monday: string;
      days: {
        date: string;
        items: {
          from: string;
          to: string;
          resourceName: string;
          personName: string;
          statusLabel: string;
          href: string;
        }[];
      }[];
      events: { title: string }[];
    }>(response);
    expect(body.monday).toBe(DateTime.fromISO(DAY).startOf("week").toISODate());
    const tuesday = body.days.find((d) => d.date === DAY)!;
    expect(tuesday.items).toMatchObject([
      {
        from: "09:00",
        to: "12:30",
        resourceName: "Poste 1",
        personName: "Léa Fabre",
        statusLabel: "À régler sur place",
        href: `/gestion/espaces/reservations/${bookingId}`,
      },
    ]);
    expect(body.events).toMatchObject([{ title: "Poste 1 — Léa Fabre" }]);

    const badWeek = await json<{ notices: string[]; monday: string }>(
      await get(calendar.loader as Handler, "/gestion/espaces/calendrier?semaine=bientot"),
    );
    expect(badWeek.notices).toEqual(["La semaine « bientot » n'est pas une date valide : voici la semaine en cours."]);
    expect((await get(calendar.loader as Handler, "/gestion/espaces/calendrier?espace=inconnu")).status).toBe(404);
  });
});

describe("booklets", () => {
  const product = (overrides: Record<string, string> = {}) => ({
    name: "Carnet 20 demi-journées",
    description: "Pour les habitués.",
    credits: "20",
    validityMonths: "12",
    resourceKind: "DESK",
    memberPrice: "180,00",
    publicPrice: "250",
    active: "on",
    ...overrides,
  });

  it("creates and edits a booklet on sale", async () => {
    const created = await post(newBooklet.action as Handler, "/x", product());
    expect(created.status).toBe(302);
    const row = await db.passProduct.findFirstOrThrow({ where: { name: "Carnet 20 demi-journées" } });
    expect(row).toMatchObject({
      credits: 20,
      validityMonths: 12,
      memberCents: 18000,
      publicCents: 25000,
      active: true,
    });
    const edited = await post(booklet.action as Handler, "/x", product({ active: "", publicPrice: "260,50" }), {
      productId: row.id,
    });
    expect(edited.status).toBe(200);
    expect(await db.passProduct.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      active: false,
      publicCents: 26050,
    });
  });

  it.each([
    [{ memberPrice: "" }, "memberPrice", "Indiquez le prix pour les membres."],
    [{ publicPrice: "-3" }, "publicPrice", "Un montant ne peut pas être négatif."],
    [{ memberPrice: "300" }, "memberPrice", "Le prix membre ne peut pas dépasser le prix public."],
    [{ credits: "0" }, "credits", "Le nombre de demi-journées est un entier de 1 à 200."],
    [{ validityMonths: "six" }, "validityMonths", "La validité est un nombre entier de mois, de 1 à 36."],
  ])("refuses %o with a field message", async (overrides, field, message) => {
    const response = await post(newBooklet.action as Handler, "/x", product(overrides));
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[field]).toEqual([message]);
  });

  it("activates a booklet paid on site, once", async () => {
    const ordered = await orderPass(db, { poleId, productId, personId: customerId, idempotencyKey: key() });
    if (!ordered.ok) throw new Error(ordered.message);
    const passId = ordered.value.pass.id;
    const listed = await json<{ pending: { id: string }[] }>(
      await get(booklets.loader as Handler, "/gestion/espaces/carnets"),
    );
    expect(listed.pending.map((p) => p.id)).toEqual([passId]);

    const noReference = await post(booklets.action as Handler, "/x", {
      intent: "pass-paid",
      passId,
      method: "CASH",
      reference: "",
    });
    expect(noReference.status).toBe(400);
    expect((await errorsOf(noReference)).reference).toEqual([
      "Indiquez la référence du paiement (libellé du virement, numéro de chèque, numéro de reçu).",
    ]);

    const paid = await post(booklets.action as Handler, "/x", {
      intent: "pass-paid",
      passId,
      method: "TRANSFER",
      reference: "VIR CARNET",
    });
    expect(paid.status).toBe(302);
    expect(await db.pass.findUniqueOrThrow({ where: { id: passId } })).toMatchObject({ status: "ACTIVE" });
    expect(await db.invoice.count()).toBe(1);
    const twice = await post(booklets.action as Handler, "/x", {
      intent: "pass-paid",
      passId,
      method: "TRANSFER",
      reference: "VIR CARNET",
    });
    expect(twice.status).toBe(409);
    expect((await errorsOf(twice))[""]).toEqual(["Ce carnet n'attend pas de paiement."]);
  });
});
