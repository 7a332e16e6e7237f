import { addDays, parisInstant, toMinutes, weekdayOf } from "~/domain/booking/time";
import { parisDate } from "~/domain/ledger/index.server";
import { isoDate, type IsoDate } from "~/domain/ledger/dates";
import type { PriceLine } from "~/domain/booking/rules";
import type { OpeningHours } from "~/domain/identity/opening-hours";
import type { Client } from "~/utils/db.server";
import { demoAccount, type DemoPole } from "./pole";

// The desks and rooms behind the coworking revenue the demo books from January of last year (prisma/demo/ledger.ts
// invoices them by the month): Compost'Lauragais's four resident desks, Atelier Bois & Paille's closed office of
// four desks, Ozon's eight meeting-room half-days a month and Léa's ten nomad days a month, up to yesterday. They
// make the annual report's occupancy and hours match the books.
//
// The booking domain refuses a slot in the past, and these were paid by the monthly invoices, not one by one: they
// go in directly as confirmed bookings paid by transfer. ON CONFLICT DO NOTHING keeps a
// second run idempotent (unique key per resource and day) and leaves a room to a training session held in it (the
// exclusion constraint); the seed runs this after the trainings for that reason.

const RESIDENTS = [
  { email: "membre@vallee-fertile.demo", desks: ["poste-02", "poste-03", "poste-05", "poste-06"] },
  { email: "yanis.benhamou@exemple.demo", desks: ["poste-11", "poste-12", "poste-13", "poste-14"] },
] as const;
// What the monthly invoices charge a day and a half-day (prisma/demo/ledger.ts): the nomad days and the meeting
// room carry their price; a resident desk is part of a monthly flat fee and carries none of its own.
const NOMAD_DAY: PriceLine = { unit: "DAY", quantity: 1, unitCents: 1_800 };
const MEETING_HALF_DAY: PriceLine = { unit: "HALF_DAY", quantity: 1, unitCents: 12_000 };
const NOMAD_DESK = "poste-08";
const NOMAD_DAYS_A_MONTH = 10;
const MEETING_ROOM = "salle-de-la-forge";
const MEETING_PERSON = "amandine.roux@exemple.demo";
const MEETINGS_A_MONTH_PER_WEEKDAY = 4; // Tuesday and Thursday mornings: eight half-days
const HISTORY_REASON = "Forfait mensuel, facturé au mois";

export async function seedDemoBookingHistory(tx: Client, demo: DemoPole, now: Date) {
  const poleId = demo.pole.id;
  const yesterday = addDays(parisDate(now), -1);
  const first = isoDate(`${Number(yesterday.slice(0, 4)) - 1}-01-01`);
  const hours = demo.pole.openingHours as OpeningHours;
  const [resources, people] = await Promise.all([
    tx.resource.findMany({ where: { poleId }, select: { id: true, slug: true } }),
    tx.person.findMany({
      where: { email: { in: [...RESIDENTS.map((r) => r.email), MEETING_PERSON] } },
      select: { id: true, email: true },
    }),
  ]);
  const resourceId = (slug: string) => resources.find((r) => r.slug === slug)!.id;
  const personId = (email: string) => people.find((p) => p.email === email)!.id;
  const staffId = demoAccount(demo, "STAFF").id;
  const lea = demoAccount(demo, "USER").id;

  const rows: {
    resource: string;
    person: string;
    day: IsoDate;
    from: string;
    to: string;
    price?: PriceLine;
  }[] = [];
  const perMonth = new Map<string, number>();
  const counted = (key: string, limit: number) => {
    const n = perMonth.get(key) ?? 0;
    if (n >= limit) return false;
    perMonth.set(key, n + 1);
    return true;
  };
  for (let day = first; day <= yesterday; day = addDays(day, 1)) {
    const weekday = weekdayOf(day);
    const ranges = hours[weekday];
    if (ranges.length === 0) continue;
    const open = ranges[0].open;
    const close = ranges[ranges.length - 1].close;
    const month = day.slice(0, 7);
    for (const resident of RESIDENTS) {
      for (const desk of resident.desks)
        rows.push({ resource: desk, person: resident.email, day, from: open, to: close });
    }
    if (counted(`nomad ${month}`, NOMAD_DAYS_A_MONTH)) {
      rows.push({ resource: NOMAD_DESK, person: lea, day, from: open, to: close, price: NOMAD_DAY });
    }
    if (
      (weekday === "tue" || weekday === "thu") &&
      counted(`meeting ${weekday} ${month}`, MEETINGS_A_MONTH_PER_WEEKDAY)
    ) {
      rows.push({
        resource: MEETING_ROOM,
        person: MEETING_PERSON,
        day,
        from: "09:00",
        to: "12:30",
        price: MEETING_HALF_DAY,
      });
    }
  }

  const made = await tx.booking.createMany({
    data: rows.map((r) => {
      const startsAt = parisInstant(r.day, toMinutes(r.from));
      return {
        poleId,
        resourceId: resourceId(r.resource),
        personId: r.person === lea ? lea : personId(r.person),
        startsAt,
        endsAt: parisInstant(r.day, toMinutes(r.to)),
        status: "CONFIRMED" as const,
        priceCents: r.price?.unitCents ?? 0,
        priceDetail: r.price ? [r.price] : [],
        paymentMethod: "TRANSFER" as const,
        idempotencyKey: `demo:history:${r.resource}:${r.day}`,
        bookedById: staffId,
        reason: HISTORY_REASON,
        confirmedAt: startsAt,
      };
    }),
    skipDuplicates: true,
  });
  return { bookings: made.count };
}
