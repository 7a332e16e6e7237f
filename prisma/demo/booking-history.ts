import { addDays, parisInstant, toMinutes, weekdayOf } from "~/domain/booking/time";
import { normaliseOpeningHours } from "~/domain/identity/opening-hours";
import { parisDate } from "~/domain/ledger/index.server";
import { isoDate, type IsoDate } from "~/domain/ledger/dates";
import type { Client } from "~/utils/db.server";
import { demoAccount, type DemoPole } from "./pole";

// The desks and rooms behind the coworking revenue the demo books from January of last year (prisma/demo/ledger.ts
// invoices them by the month): Compost'Lauragais's four resident desks, Atelier Bois & Paille's closed office of
// four desks, Ozon's eight meeting-room half-days a month and Léa's ten nomad days a month, up to yesterday. They
// make the annual report's occupancy and hours match the books.
//
// The booking domain refuses a slot in the past, and these were paid by the monthly invoices, not one by one: they
// go in directly as confirmed bookings with no price and no payment of their own, as a free booking is (a price
// without a payment would read, once cancelled, as a late cancellation to invoice). ON CONFLICT DO NOTHING keeps a second run idempotent (unique key
// per resource and day) and leaves a room to a training session held in it (the exclusion constraint); the seed
// runs this after the trainings for that reason.

const RESIDENTS = [
  { email: "membre@vallee-fertile.demo", desks: ["poste-02", "poste-03", "poste-05", "poste-06"] },
  { email: "yanis.benhamou@exemple.demo", desks: ["poste-11", "poste-12", "poste-13", "poste-14"] },
] as const;
const NOMAD_DESK = "poste-08";
const NOMAD_DAYS_A_MONTH = 10;
const MEETING_ROOM = "salle-de-la-forge";
const MEETING_PERSON = "amandine.roux@exemple.demo";
const MEETINGS_A_MONTH_PER_WEEKDAY = 4; // Tuesday and Thursday mornings: eight half-days
const HISTORY_REASON = "Forfait mensuel, facturé au mois";

export async function seedDemoBookingHistory(tx: Client, demo: DemoPole, now: Date) {
  const poleId = demo.pole.id;
  const today = parisDate(now);
  // The same first day as the demo's books: January 1st of last year.
  const first = isoDate(`${Number(today.slice(0, 4)) - 1}-01-01`);
  const hours = normaliseOpeningHours(demo.pole.openingHours);
  const [resources, people] = await Promise.all([
    tx.resource.findMany({ where: { poleId }, select: { id: true, slug: true } }),
    tx.person.findMany({
      where: { email: { in: [...RESIDENTS.map((r) => r.email), MEETING_PERSON] } },
      select: { id: true, email: true },
    }),
  ]);
  // A missing desk, room or person is a broken demo, not something to skip.
  const idOf = (rows: { id: string }[], found: { id: string } | undefined, what: string) => {
    if (!found) throw new Error(`Historique de démonstration : ${what} introuvable (${rows.length} lus).`);
    return found.id;
  };
  const resourceId = (slug: string) =>
    idOf(
      resources,
      resources.find((r) => r.slug === slug),
      slug,
    );
  const personId = (email: string) =>
    idOf(
      people,
      people.find((p) => p.email === email),
      email,
    );
  const staffId = demoAccount(demo, "STAFF").id;
  const lea = demoAccount(demo, "USER").id;

  const rows: { resourceId: string; personId: string; day: IsoDate; from: string; to: string }[] = [];
  const perMonth = new Map<string, number>();
  const counted = (key: string, limit: number) => {
    const n = perMonth.get(key) ?? 0;
    if (n >= limit) return false;
    perMonth.set(key, n + 1);
    return true;
  };
  const room = resourceId(MEETING_ROOM);
  const nomadDesk = resourceId(NOMAD_DESK);
  const meetingPerson = personId(MEETING_PERSON);
  const residents = RESIDENTS.map((r) => ({ personId: personId(r.email), desks: r.desks.map(resourceId) }));
  // A training session held in the meeting room keeps it: that morning goes to the next Tuesday or Thursday.
  const trainings = await tx.booking.findMany({
    where: { poleId, resourceId: room, kind: "TRAINING", status: { not: "CANCELLED" } },
    select: { startsAt: true, endsAt: true },
  });
  const roomTaken = (startsAt: Date, endsAt: Date) => trainings.some((t) => t.startsAt < endsAt && startsAt < t.endsAt);

  for (let day = first; day < today; day = addDays(day, 1)) {
    const weekday = weekdayOf(day);
    const ranges = hours[weekday];
    if (ranges.length === 0) continue;
    const open = ranges[0].open;
    const close = ranges[ranges.length - 1].close;
    const month = day.slice(0, 7);
    for (const resident of residents) {
      for (const desk of resident.desks)
        rows.push({ resourceId: desk, personId: resident.personId, day, from: open, to: close });
    }
    if (counted(`nomad ${month}`, NOMAD_DAYS_A_MONTH)) {
      rows.push({ resourceId: nomadDesk, personId: lea, day, from: open, to: close });
    }
    const meeting = { from: "09:00", to: "12:30" };
    if (
      (weekday === "tue" || weekday === "thu") &&
      !roomTaken(parisInstant(day, toMinutes(meeting.from)), parisInstant(day, toMinutes(meeting.to))) &&
      counted(`meeting ${weekday} ${month}`, MEETINGS_A_MONTH_PER_WEEKDAY)
    ) {
      rows.push({ resourceId: room, personId: meetingPerson, day, ...meeting });
    }
  }

  const made = await tx.booking.createMany({
    data: rows.map((r) => {
      const startsAt = parisInstant(r.day, toMinutes(r.from));
      return {
        poleId,
        resourceId: r.resourceId,
        personId: r.personId,
        startsAt,
        endsAt: parisInstant(r.day, toMinutes(r.to)),
        status: "CONFIRMED" as const,
        idempotencyKey: `demo:history:${r.resourceId}:${r.day}`,
        bookedById: staffId,
        reason: HISTORY_REASON,
        confirmedAt: startsAt,
      };
    }),
    skipDuplicates: true,
  });
  return { bookings: made.count };
}
