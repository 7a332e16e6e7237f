import {
  confirmOfflinePayment,
  holdBooking,
  payOnSite,
  payWithPass,
  closeResource,
  confirmPassPaidOffline,
  orderPass,
  provisionPassProduct,
  provisionResource,
  provisionSpace,
  DEFAULT_RATES,
} from "~/domain/booking/index.server";
import { provisionPerson } from "~/domain/identity/index.server";
import { addDays, parisInstant, toMinutes, weekdayOf } from "~/domain/booking/time";
import { parisDate } from "~/domain/ledger/index.server";
import type { Client } from "~/utils/db.server";
import { DEMO_ACCOUNTS, demoAccount, type DemoPole } from "./pole";
import { isoDate } from "~/domain/ledger/dates";

// The demo pole's coworking: two buildings with 15 desks and 3 rooms, two booklets on sale, and the coming
// days' bookings (paid on site and confirmed, to be paid, paid with a booklet) plus a closure, all made through
// the booking domain with "demo:" keys so that a second run the same day changes nothing.

const DESK_EQUIPMENT = ["Écran 24 pouces", "Lampe de bureau", "Prise et USB-C", "Wi-Fi fibre"];

export const DEMO_SPACES = [
  {
    slug: "la-grange",
    name: "La Grange",
    building: "Bâtiment principal",
    floor: "Rez-de-chaussée",
    description:
      "L'ancienne grange rénovée en paille et bois : open space lumineux, cuisine partagée, vue sur les parcelles.",
    photo: "/images/espaces/grange.svg",
    desks: 10,
    rooms: [
      {
        slug: "salle-du-lavoir",
        name: "Salle du Lavoir",
        capacity: 12,
        equipment: ["Vidéoprojecteur", "Tableau blanc", "Visioconférence", "Paperboard"],
        description: "La grande salle pour les réunions de membres, les ateliers et les formations.",
      },
      {
        slug: "salle-des-semences",
        name: "Salle des Semences",
        capacity: 6,
        equipment: ["Écran 55 pouces", "Tableau blanc"],
        description: "Petite salle au calme pour les rendez-vous et les réunions d'équipe.",
      },
    ],
  },
  {
    slug: "l-atelier",
    name: "L'Atelier",
    building: "Bâtiment de l'atelier",
    floor: "Étage",
    description: "Bureaux partagés au-dessus de l'atelier bois : idéal pour se concentrer.",
    photo: "/images/espaces/atelier.svg",
    desks: 5,
    rooms: [
      {
        slug: "salle-de-la-forge",
        name: "Salle de la Forge",
        capacity: 8,
        equipment: ["Écran 55 pouces", "Visioconférence"],
        description: "Salle de réunion de l'étage, accessible par l'ascenseur.",
      },
    ],
  },
] as const;

const DEMO_PEOPLE = [
  { email: "yanis.benhamou@exemple.demo", name: "Yanis Benhamou", organisation: "Atelier Bois & Paille" },
  { email: "sophie.laurent@exemple.demo", name: "Sophie Laurent", organisation: "Bureau d'études Sols Vivants" },
  { email: "marc.dupuy@exemple.demo", name: "Marc Dupuy" },
  { email: "ines.garcia@exemple.demo", name: "Inès Garcia", organisation: "Couveuse Agricole du Lauragais" },
  { email: "amandine.roux@exemple.demo", name: "Amandine Roux", organisation: "Coopérative d'activités Ozon" },
] as const;

/** The next working days (Monday to Friday) after today, in Paris. */
function workingDays(today: string, count: number) {
  const days: string[] = [];
  for (let d = addDays(isoDate(today), 1); days.length < count; d = addDays(d, 1)) {
    if (!["sat", "sun"].includes(weekdayOf(d))) days.push(d);
  }
  return days;
}

export async function seedDemoSpaces(tx: Client, demo: DemoPole, now: Date) {
  const poleId = demo.pole.id;
  for (const [s, space] of DEMO_SPACES.entries()) {
    const created = await provisionSpace(tx, {
      poleId,
      slug: space.slug,
      name: space.name,
      building: space.building,
      floor: space.floor,
      description: space.description,
      photo: space.photo,
      position: s,
    });
    const offset = s === 0 ? 0 : DEMO_SPACES[0].desks;
    for (let i = 1; i <= space.desks; i++) {
      const number = offset + i;
      const slug = `poste-${String(number).padStart(2, "0")}`;
      const window = number % 3 === 1;
      await provisionResource(tx, {
        poleId,
        spaceId: created.id,
        kind: "DESK",
        slug,
        name: `Poste ${String(number).padStart(2, "0")}${window ? " (fenêtre)" : ""}`,
        capacity: 1,
        equipment: number % 2 ? DESK_EQUIPMENT : DESK_EQUIPMENT.slice(1),
        description: window
          ? "Poste face aux parcelles, lumière du matin."
          : "Poste en open space, casier fermant inclus.",
        photo: "/images/espaces/poste.svg",
        rates: DEFAULT_RATES.DESK,
        position: number,
      });
    }
    for (const [r, room] of space.rooms.entries()) {
      await provisionResource(tx, {
        poleId,
        spaceId: created.id,
        kind: "ROOM",
        slug: room.slug,
        name: room.name,
        capacity: room.capacity,
        equipment: [...room.equipment],
        description: room.description,
        photo: "/images/espaces/salle.svg",
        rates: DEFAULT_RATES.ROOM,
        position: 100 + r,
        minMinutes: 60,
      });
    }
  }

  const product = await provisionPassProduct(tx, {
    poleId,
    name: "Carnet 10 demi-journées",
    credits: 10,
    validityMonths: 6,
    memberCents: 11_000,
    publicCents: 16_000,
  });
  await provisionPassProduct(tx, {
    poleId,
    name: "Carnet 20 demi-journées",
    credits: 20,
    validityMonths: 12,
    memberCents: 20_000,
    publicCents: 30_000,
  });

  const people: Record<string, string> = {};
  for (const a of DEMO_ACCOUNTS) people[a.email] = demo.people.get(a.email)!.id;
  for (const p of DEMO_PEOPLE) {
    people[p.email] = (
      await provisionPerson(tx, {
        poleId,
        email: p.email,
        name: p.name,
        organisationId: "organisation" in p ? demo.organisations.get(p.organisation)?.id : undefined,
        password: crypto.randomUUID(),
      })
    ).id;
  }
  const staffId = demoAccount(demo, "STAFF").id;
  const lea = demoAccount(demo, "USER").id;
  const today = parisDate(now);

  // Léa's booklet, paid by transfer.
  const ordered = await orderPass(tx, {
    poleId,
    productId: product.id,
    personId: lea,
    idempotencyKey: "demo:pass:lea",
  });
  if (ordered.ok && ordered.value.pass.status === "PENDING") {
    await confirmPassPaidOffline(tx, {
      poleId,
      passId: ordered.value.pass.id,
      method: "TRANSFER",
      reference: "VIR-DEMO-0001",
      staffId,
      now,
    });
  }

  const [d1, d2, d3, d4, d5] = workingDays(today, 5);
  const half = (day: string, part: "am" | "pm") => {
    const close = weekdayOf(isoDate(day)) === "fri" ? "17:30" : "18:30";
    return part === "am"
      ? { start: "08:30", end: "12:30" }
      : { start: `${String(Number(close.slice(0, 2)) - 4).padStart(2, "0")}:30`, end: close };
  };
  const plan: {
    key: string;
    who: string;
    resource: string;
    day: string;
    start: string;
    end: string;
    pay: "onsite" | "transfer" | "cash" | "pass";
  }[] = [
    { key: "1", who: lea, resource: "poste-01", day: d1, ...half(d1, "am"), pay: "pass" },
    {
      key: "2",
      who: lea,
      resource: "poste-04",
      day: d3,
      start: "08:30",
      end: weekdayOf(isoDate(d3)) === "fri" ? "17:30" : "18:30",
      pay: "onsite",
    },
    {
      key: "3",
      who: people["membre@vallee-fertile.demo"],
      resource: "poste-02",
      day: d1,
      start: "08:30",
      end: weekdayOf(isoDate(d1)) === "fri" ? "17:30" : "18:30",
      pay: "transfer",
    },
    {
      key: "4",
      who: people["yanis.benhamou@exemple.demo"],
      resource: "poste-03",
      day: d1,
      ...half(d1, "pm"),
      pay: "cash",
    },
    {
      key: "5",
      who: people["sophie.laurent@exemple.demo"],
      resource: "salle-du-lavoir",
      day: d2,
      start: "09:00",
      end: "12:00",
      pay: "transfer",
    },
    {
      key: "6",
      who: people["marc.dupuy@exemple.demo"],
      resource: "salle-des-semences",
      day: d2,
      start: "14:00",
      end: "16:00",
      pay: "onsite",
    },
    {
      key: "7",
      who: people["ines.garcia@exemple.demo"],
      resource: "poste-11",
      day: d2,
      ...half(d2, "am"),
      pay: "onsite",
    },
    {
      key: "8",
      who: people["yanis.benhamou@exemple.demo"],
      resource: "poste-03",
      day: d3,
      ...half(d3, "am"),
      pay: "transfer",
    },
    {
      key: "9",
      who: people["sophie.laurent@exemple.demo"],
      resource: "salle-de-la-forge",
      day: d4,
      start: "10:00",
      end: "12:00",
      pay: "cash",
    },
    {
      key: "10",
      who: people["membre@vallee-fertile.demo"],
      resource: "salle-du-lavoir",
      day: d5,
      start: "14:00",
      end: "17:00",
      pay: "onsite",
    },
  ];
  for (const b of plan) {
    const held = await holdBooking(tx, {
      poleId,
      resourceKey: b.resource,
      personId: b.who,
      startsAt: parisInstant(isoDate(b.day), toMinutes(b.start)),
      endsAt: parisInstant(isoDate(b.day), toMinutes(b.end)),
      idempotencyKey: `demo:booking:${today}:${b.key}`,
      now,
      bookedById: staffId,
    });
    // Every planned booking must go in: a refusal here is a broken demo, not something to skip.
    if (!held.ok) throw new Error(`Réservation de démonstration ${b.key} refusée : ${held.message}`);
    if (held.value.replay) continue;
    const input = { poleId, bookingId: held.value.booking.id, personId: b.who, now };
    if (b.pay === "pass") await payWithPass(tx, input);
    else if (b.pay === "onsite") await payOnSite(tx, input);
    else
      await confirmOfflinePayment(tx, {
        poleId,
        bookingId: held.value.booking.id,
        method: b.pay === "cash" ? "CASH" : "TRANSFER",
        reference: `DEMO-${b.key}`,
        staffId,
        now,
      });
  }
  // Desk 15 is being rewired on the fourth working day.
  await closeResource(tx, {
    poleId,
    resourceKey: "poste-15",
    startsAt: parisInstant(isoDate(d4), toMinutes("08:30")),
    endsAt: parisInstant(isoDate(d4), toMinutes("18:30")),
    reason: "Remise aux normes électriques",
    staffId,
    idempotencyKey: `demo:closure:${today}`,
    now,
  });
}
