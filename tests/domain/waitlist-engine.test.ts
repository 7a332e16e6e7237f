import { beforeEach, describe, expect, it } from "vitest";
import {
  cancelBooking,
  holdBooking,
  joinSlotWaitlist,
  leaveSlotWaitlist,
  notifyFreedSlots,
  payOnSite,
  sweepBookings,
} from "~/domain/booking/index.server";
import { parisInstant } from "~/domain/booking/time";
import { db } from "~/utils/db.server";
import { createPerson, createPole, createResource, createSpace } from "../factories";
import { resetDatabase } from "../helpers";
import { isoDate } from "~/domain/ledger/dates";

// The engine's desk side (notices) and the invariants its tables hold themselves. The queue with timed offers is
// in waitlist-properties.test.ts (random sequences) and leasing-flows.test.ts (plots).

const NOW = new Date("2027-03-01T07:00:00Z");
const at = (hhmm: string) => parisInstant(isoDate("2027-03-02"), Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));
let key = 0;

async function setup() {
  const pole = await createPole(db);
  const space = await createSpace(db, { poleId: pole.id });
  const desk = await createResource(db, { poleId: pole.id, spaceId: space.id, kind: "DESK", name: "Poste 1" });
  const people = [];
  for (const name of ["Hugo Martin", "Léa Fabre", "Inès Roux", "Paul Girard"])
    people.push(await createPerson(db, { poleId: pole.id, name }));
  return { pole, desk, people };
}

const history = async (entryId: string) =>
  (await db.waitlistEvent.findMany({ where: { entryId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map((e) => [
    e.kind,
    e.note,
    e.actorId,
  ]);

describe("the waiting-list engine", () => {
  beforeEach(resetDatabase);

  it("keeps a desk slot's waits with their history: told when the slot frees, settled by a booking, lapsed when it begins, left", async () => {
    const { pole, desk, people } = await setup();
    const [holder, lea, ines, paul] = people;
    const held = await holdBooking(db, {
      poleId: pole.id,
      resourceKey: desk.slug,
      personId: holder.id,
      startsAt: at("08:30"),
      endsAt: at("12:30"),
      idempotencyKey: `k${++key}`,
      now: NOW,
    });
    if (!held.ok) throw new Error(held.message);
    await payOnSite(db, { poleId: pole.id, bookingId: held.value.booking.id, personId: holder.id, now: NOW });
    const wait = (personId: string, from: string, to: string) =>
      joinSlotWaitlist(db, {
        poleId: pole.id,
        personId,
        resourceId: desk.id,
        startsAt: at(from),
        endsAt: at(to),
        now: NOW,
      });
    const leaWaits = await wait(lea.id, "08:30", "12:30");
    const inesWaits = await wait(ines.id, "08:30", "10:30");
    const paulWaits = await wait(paul.id, "14:00", "18:00");
    if (!leaWaits.ok || !inesWaits.ok || !paulWaits.ok) throw new Error("join refused");
    expect(await wait(lea.id, "08:30", "12:30")).toMatchObject({
      ok: false,
      message: "Vous êtes déjà sur la liste d'attente de ce créneau.",
      status: 409,
    });

    // The holder cancels: everyone waiting for a slot now wholly free is told, in the order they came.
    await cancelBooking(db, {
      poleId: pole.id,
      bookingId: held.value.booking.id,
      actor: { personId: holder.id, staff: false },
      now: NOW,
    });
    expect(await notifyFreedSlots(db, NOW)).toBe(2);
    // Léa books it: her wait is settled; Inès's, told too, lapses when the slot begins.
    const booked = await holdBooking(db, {
      poleId: pole.id,
      resourceKey: desk.slug,
      personId: lea.id,
      startsAt: at("08:30"),
      endsAt: at("12:30"),
      idempotencyKey: `k${++key}`,
      now: NOW,
    });
    if (!booked.ok) throw new Error(booked.message);
    await payOnSite(db, { poleId: pole.id, bookingId: booked.value.booking.id, personId: lea.id, now: NOW });
    await sweepBookings(db, at("08:30"));
    // Paul leaves his; leaving it again, or someone else's, is refused.
    expect(
      await leaveSlotWaitlist(db, { poleId: pole.id, personId: paul.id, entryId: paulWaits.value.id, now: NOW }),
    ).toBe(true);
    expect(
      await leaveSlotWaitlist(db, { poleId: pole.id, personId: paul.id, entryId: paulWaits.value.id, now: NOW }),
    ).toBe(false);
    expect(
      await leaveSlotWaitlist(db, { poleId: pole.id, personId: paul.id, entryId: inesWaits.value.id, now: NOW }),
    ).toBe(false);

    const status = async (id: string) => (await db.waitlistEntry.findUniqueOrThrow({ where: { id } })).status;
    expect([
      await status(leaWaits.value.id),
      await status(inesWaits.value.id),
      await status(paulWaits.value.id),
    ]).toEqual(["FULFILLED", "LAPSED", "CANCELLED"]);
    expect(await history(leaWaits.value.id)).toEqual([
      ["JOINED", "", lea.id],
      ["NOTIFIED", "Le créneau attendu s'est libéré.", null],
      ["ACCEPTED", "Créneau réservé.", lea.id],
    ]);
    expect(await history(inesWaits.value.id)).toEqual([
      ["JOINED", "", ines.id],
      ["NOTIFIED", "Le créneau attendu s'est libéré.", null],
      ["LAPSED", "Le créneau a commencé.", null],
    ]);
    expect(await history(paulWaits.value.id)).toEqual([
      ["JOINED", "", paul.id],
      ["WITHDRAWN", "", paul.id],
    ]);
  });

  it("has the database refuse an entry offered without its unit and holder, and one holder offered to two entries", async () => {
    const { pole, desk, people } = await setup();
    const ids = [];
    for (const person of people.slice(0, 2)) {
      const joined = await joinSlotWaitlist(db, {
        poleId: pole.id,
        personId: person.id,
        resourceId: desk.id,
        startsAt: at("08:30"),
        endsAt: at("12:30"),
        now: NOW,
      });
      if (!joined.ok) throw new Error(joined.message);
      ids.push(joined.value.id);
    }
    await expect(
      db.$executeRaw`UPDATE "WaitlistEntry" SET "status" = 'OFFERED', "offerExpiresAt" = now() WHERE "id" = ${ids[0]}`,
    ).rejects.toThrow(/WaitlistEntry_offer/);
    await expect(
      db.$executeRaw`UPDATE "WaitlistEntry" SET "offerUnit" = 'x', "offerRef" = 'y' WHERE "id" = ${ids[0]}`,
    ).rejects.toThrow(/WaitlistEntry_offer/);
    const offer = (id: string) =>
      db.$executeRaw`UPDATE "WaitlistEntry" SET "status" = 'OFFERED', "offerExpiresAt" = now(), "offerUnit" = 'u', "offerRef" = 'lease-1' WHERE "id" = ${id}`;
    await offer(ids[0]);
    await expect(offer(ids[1])).rejects.toThrow(/WaitlistEntry_one_offer_per_ref/);
  });
});
