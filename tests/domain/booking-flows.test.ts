import { beforeEach, describe, expect, it } from "vitest";
import {
  cancelBooking,
  confirmOfflinePayment,
  holdBooking,
  lateFeeOf,
  payOnSite,
  payWithPass,
  recordLateFeePaid,
} from "~/domain/booking/index.server";
import { orderPass, confirmPassPaidOffline } from "~/domain/booking/passes.server";
import { parisInstant } from "~/domain/booking/time";
import { runEffects } from "~/domain/payments/index.server";
import { PAYMENT_HANDLERS } from "~/domain/streams.server";
import { db } from "~/utils/db.server";
import { createPassProduct, createPerson, createPole, createResource, createSpace } from "../factories";
import { resetDatabase } from "../helpers";
import { isoDate } from "~/domain/ledger/dates";

// Injected time: a Monday morning in March 2027; slots are Paris wall-clock times.
const NOW = new Date("2027-03-01T07:00:00Z");
const at = (date: string, hhmm: string) =>
  parisInstant(isoDate(date), Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));
let key = 0;
const nextKey = () => `cle-${++key}`;

async function setup() {
  const pole = await createPole(db);
  const space = await createSpace(db, { poleId: pole.id });
  const desk = await createResource(db, { poleId: pole.id, spaceId: space.id, kind: "DESK", name: "Poste 1" });
  const user = await createPerson(db, { poleId: pole.id, name: "Léa Fabre" });
  const other = await createPerson(db, { poleId: pole.id, name: "Hugo Martin" });
  const staff = await createPerson(db, { poleId: pole.id, role: "STAFF" });
  return { pole, space, desk, user, other, staff };
}

async function entryFor(poleId: string, sourceKey: string) {
  return db.journalEntry.findUnique({
    where: { poleId_sourceKey: { poleId, sourceKey } },
    include: { lines: { include: { account: true } } },
  });
}

describe("booking a desk", () => {
  beforeEach(resetDatabase);

  it("holds a slot at the server's price, then keeps it to pay on site until staff confirm: one invoice, one balanced entry", async () => {
    const { pole, desk, user, staff } = await setup();
    const held = await holdBooking(db, {
      poleId: pole.id,
      resourceKey: desk.slug,
      personId: user.id,
      startsAt: at("2027-03-02", "08:30"),
      endsAt: at("2027-03-02", "12:30"),
      idempotencyKey: nextKey(),
      now: NOW,
    });
    expect(held.ok).toBe(true);
    if (!held.ok) return;
    expect(held.value.booking).toMatchObject({ status: "HELD", priceCents: 1800, memberRate: false });
    expect(held.value.booking.holdExpiresAt).toEqual(new Date(NOW.getTime() + 10 * 60_000));

    const onSite = await payOnSite(db, {
      poleId: pole.id,
      bookingId: held.value.booking.id,
      personId: user.id,
      now: NOW,
    });
    expect(onSite.ok && onSite.value.booking.status).toBe("AWAITING_PAYMENT");
    if (!onSite.ok) return;
    expect(onSite.value.effects.emails[0].attachments?.[0].content).toContain("BEGIN:VCALENDAR");

    const confirmed = await confirmOfflinePayment(db, {
      poleId: pole.id,
      bookingId: held.value.booking.id,
      method: "CHEQUE",
      reference: "Chèque 1234567",
      staffId: staff.id,
      now: NOW,
    });
    expect(confirmed.ok && confirmed.value.booking.status).toBe("CONFIRMED");
    const invoice = await db.invoice.findUniqueOrThrow({
      where: { poleId_sourceKey: { poleId: pole.id, sourceKey: `booking:${held.value.booking.id}` } },
      include: { lines: true },
    });
    expect(invoice).toMatchObject({ totalInclTax: 1800, totalExclTax: 1500, totalTax: 300, stream: "COWORKING" });
    const entry = await entryFor(pole.id, `invoice:${invoice.number}`);
    const byAccount = Object.fromEntries(entry!.lines.map((l) => [l.account.code, l.debit - l.credit]));
    expect(byAccount).toEqual({ "511200": 1800, "706100": -1500, "445710": -300 });

    // A second confirmation changes nothing.
    const again = await confirmOfflinePayment(db, {
      poleId: pole.id,
      bookingId: held.value.booking.id,
      method: "CHEQUE",
      reference: "x",
      staffId: staff.id,
      now: NOW,
    });
    expect(again.ok).toBe(false);
    expect(await db.invoice.count()).toBe(1);
  });

  it("refuses an overlapping slot with 409 and accepts the adjacent one", async () => {
    const { pole, desk, user, other } = await setup();
    const first = await holdBooking(db, {
      poleId: pole.id,
      resourceKey: desk.slug,
      personId: user.id,
      startsAt: at("2027-03-02", "09:00"),
      endsAt: at("2027-03-02", "12:00"),
      idempotencyKey: nextKey(),
      now: NOW,
    });
    expect(first.ok).toBe(true);
    const overlap = await holdBooking(db, {
      poleId: pole.id,
      resourceKey: desk.slug,
      personId: other.id,
      startsAt: at("2027-03-02", "11:30"),
      endsAt: at("2027-03-02", "13:30"),
      idempotencyKey: nextKey(),
      now: NOW,
    });
    expect(overlap).toMatchObject({ ok: false, code: "SLOT_TAKEN", status: 409 });
    const adjacent = await holdBooking(db, {
      poleId: pole.id,
      resourceKey: desk.slug,
      personId: other.id,
      startsAt: at("2027-03-02", "12:00"),
      endsAt: at("2027-03-02", "14:00"),
      idempotencyKey: nextKey(),
      now: NOW,
    });
    expect(adjacent.ok).toBe(true);
  });

  it("frees the slot once the hold lapses, and refuses the late payer with 410", async () => {
    const { pole, desk, user, other } = await setup();
    const range = { startsAt: at("2027-03-02", "09:00"), endsAt: at("2027-03-02", "12:00") };
    const first = await holdBooking(db, {
      poleId: pole.id,
      resourceKey: desk.slug,
      personId: user.id,
      ...range,
      idempotencyKey: nextKey(),
      now: NOW,
    });
    const later = new Date(NOW.getTime() + 11 * 60_000);
    const second = await holdBooking(db, {
      poleId: pole.id,
      resourceKey: desk.slug,
      personId: other.id,
      ...range,
      idempotencyKey: nextKey(),
      now: later,
    });
    expect(second.ok).toBe(true);
    const late = await payOnSite(db, {
      poleId: pole.id,
      bookingId: first.ok ? first.value.booking.id : "",
      personId: user.id,
      now: later,
    });
    expect(late).toMatchObject({ ok: false, code: "HOLD_EXPIRED", status: 410 });
  });

  it("pays with the booklet that expires first and gives the credits back on a timely cancellation", async () => {
    const { pole, desk, user, staff } = await setup();
    const product = await createPassProduct(db, { poleId: pole.id, credits: 10 });
    const passes = [];
    for (const k of ["a", "b"]) {
      const ordered = await orderPass(db, {
        poleId: pole.id,
        productId: product.id,
        personId: user.id,
        idempotencyKey: `pass-${k}`,
      });
      if (!ordered.ok) throw new Error(ordered.message);
      const activated = await confirmPassPaidOffline(db, {
        poleId: pole.id,
        passId: ordered.value.pass.id,
        method: "TRANSFER",
        reference: `VIR-${k}`,
        staffId: staff.id,
        now: k === "a" ? new Date("2027-01-01T10:00:00Z") : NOW,
      });
      if (!activated.ok) throw new Error(activated.message);
      passes.push(activated.value);
    }
    const held = await holdBooking(db, {
      poleId: pole.id,
      resourceKey: desk.slug,
      personId: user.id,
      startsAt: at("2027-03-03", "08:30"),
      endsAt: at("2027-03-03", "18:30"),
      idempotencyKey: nextKey(),
      now: NOW,
    });
    if (!held.ok) throw new Error(held.message);
    const paid = await payWithPass(db, {
      poleId: pole.id,
      bookingId: held.value.booking.id,
      personId: user.id,
      now: NOW,
    });
    expect(paid.ok && paid.value.booking).toMatchObject({
      status: "CONFIRMED",
      paymentMethod: "PASS",
      passId: passes[0].id,
      passCredits: 2,
    });
    expect(await db.pass.findUniqueOrThrow({ where: { id: passes[0].id } })).toMatchObject({ creditsUsed: 2 });

    const cancelled = await cancelBooking(db, {
      poleId: pole.id,
      bookingId: held.value.booking.id,
      actor: { personId: user.id, staff: false },
      now: NOW,
    });
    expect(cancelled.ok && cancelled.value.feeCents).toBe(0);
    expect(await db.pass.findUniqueOrThrow({ where: { id: passes[0].id } })).toMatchObject({ creditsUsed: 0 });
    if (cancelled.ok) await runEffects(db, null, cancelled.value.effects, NOW, PAYMENT_HANDLERS);
    expect(await db.outboxEmail.count({ where: { subject: { contains: "réservation annulée" } } })).toBe(1);
  });

  it("invoices the fee of a late cancellation of a booking to be paid on site, and records its payment once", async () => {
    const { pole, desk, user, staff } = await setup();
    const held = await holdBooking(db, {
      poleId: pole.id,
      resourceKey: desk.slug,
      personId: user.id,
      startsAt: at("2027-03-01", "14:30"),
      endsAt: at("2027-03-01", "18:30"),
      idempotencyKey: nextKey(),
      now: NOW,
    });
    if (!held.ok) throw new Error(held.message);
    await payOnSite(db, { poleId: pole.id, bookingId: held.value.booking.id, personId: user.id, now: NOW });
    const cancelled = await cancelBooking(db, {
      poleId: pole.id,
      bookingId: held.value.booking.id,
      actor: { personId: user.id, staff: false },
      now: NOW,
    });
    expect(cancelled.ok && cancelled.value.feeCents).toBe(900);
    expect(await lateFeeOf(db, { poleId: pole.id, bookingId: held.value.booking.id })).toMatchObject({
      amountCents: 900,
      paid: false,
    });
    const paid = await recordLateFeePaid(db, {
      poleId: pole.id,
      bookingId: held.value.booking.id,
      method: "CASH",
      reference: "Reçu 12",
      staffId: staff.id,
      now: NOW,
    });
    expect(paid.ok).toBe(true);
    expect(await lateFeeOf(db, { poleId: pole.id, bookingId: held.value.booking.id })).toMatchObject({ paid: true });
    expect(
      await recordLateFeePaid(db, {
        poleId: pole.id,
        bookingId: held.value.booking.id,
        method: "CASH",
        reference: "Reçu 12",
        staffId: staff.id,
        now: NOW,
      }),
    ).toMatchObject({ ok: false, status: 409 });
    const receivable = await db.entryLine.aggregate({
      where: { account: { code: "411000" }, poleId: pole.id },
      _sum: { debit: true, credit: true },
    });
    expect(receivable._sum.debit).toBe(receivable._sum.credit);
  });

  it("refuses to record an offline payment while a card checkout is open", async () => {
    const { pole, desk, user, staff } = await setup();
    const held = await holdBooking(db, {
      poleId: pole.id,
      resourceKey: desk.slug,
      personId: user.id,
      startsAt: at("2027-03-02", "08:30"),
      endsAt: at("2027-03-02", "12:30"),
      idempotencyKey: nextKey(),
      now: NOW,
    });
    if (!held.ok) throw new Error(held.message);
    await db.payment.create({
      data: {
        poleId: pole.id,
        purpose: "BOOKING",
        bookingId: held.value.booking.id,
        personId: user.id,
        method: "STRIPE",
        amountCents: 1800,
        stripeSessionId: "cs_test_open",
      },
    });
    expect(
      await confirmOfflinePayment(db, {
        poleId: pole.id,
        bookingId: held.value.booking.id,
        method: "CASH",
        reference: "x",
        staffId: staff.id,
        now: NOW,
      }),
    ).toMatchObject({ ok: false, code: "CARD_PAYMENT_OPEN", status: 409 });
  });

  it("has the database itself refuse two live rows of one resource that overlap, whatever the code does", async () => {
    const { pole, desk, user } = await setup();
    const row = (
      key: string,
      start: string,
      end: string,
      status: "CONFIRMED" | "CANCELLED" | "EXPIRED" | "HELD" = "CONFIRMED",
    ) =>
      db.$executeRaw`INSERT INTO "Booking" ("id", "poleId", "resourceId", "personId", "startsAt", "endsAt", "status", "holdExpiresAt", "idempotencyKey", "updatedAt")
        VALUES (${key}, ${pole.id}, ${desk.id}, ${user.id}, ${at("2027-03-09", start)}, ${at("2027-03-09", end)}, ${status}::"BookingStatus", ${NOW}, ${key}, now())`;
    await row("direct-1", "09:00", "12:00");
    await expect(row("direct-2", "11:00", "13:00")).rejects.toThrow(/Booking_no_overlap/);
    await expect(row("direct-3", "08:00", "09:30", "HELD")).rejects.toThrow(/Booking_no_overlap/);
    // Cancelled and expired rows are out of the constraint; a range that only touches is not an overlap.
    await row("direct-4", "10:00", "11:00", "CANCELLED");
    await row("direct-5", "10:00", "11:00", "EXPIRED");
    await row("direct-6", "12:00", "13:00");
    await expect(db.$executeRaw`UPDATE "Booking" SET "status" = 'CONFIRMED' WHERE "id" = 'direct-4'`).rejects.toThrow(
      /Booking_no_overlap/,
    );
  });

  it("keeps the pole's share of a booklet's credits on a late cancellation, and gives the rest back", async () => {
    const { pole, desk, user, staff } = await setup();
    const product = await createPassProduct(db, { poleId: pole.id, credits: 10 });
    const ordered = await orderPass(db, {
      poleId: pole.id,
      productId: product.id,
      personId: user.id,
      idempotencyKey: "pass-late",
    });
    if (!ordered.ok) throw new Error(ordered.message);
    await confirmPassPaidOffline(db, {
      poleId: pole.id,
      passId: ordered.value.pass.id,
      method: "CASH",
      reference: "R1",
      staffId: staff.id,
      now: NOW,
    });
    const held = await holdBooking(db, {
      poleId: pole.id,
      resourceKey: desk.slug,
      personId: user.id,
      startsAt: at("2027-03-01", "09:00"),
      endsAt: at("2027-03-01", "18:00"),
      idempotencyKey: nextKey(),
      now: NOW,
    });
    if (!held.ok) throw new Error(held.message);
    await payWithPass(db, { poleId: pole.id, bookingId: held.value.booking.id, personId: user.id, now: NOW });
    const cancelled = await cancelBooking(db, {
      poleId: pole.id,
      bookingId: held.value.booking.id,
      actor: { personId: user.id, staff: false },
      now: NOW,
    });
    expect(cancelled.ok).toBe(true);
    // 2 credits, 50 %: one kept, one back.
    expect(await db.pass.findUniqueOrThrow({ where: { id: ordered.value.pass.id } })).toMatchObject({ creditsUsed: 1 });
  });

  it("lets exactly one of 50 concurrent holds on overlapping ranges through", async () => {
    const { pole, desk } = await setup();
    const people = await Promise.all(Array.from({ length: 50 }, () => createPerson(db, { poleId: pole.id })));
    const results = await Promise.all(
      people.map((p, i) =>
        holdBooking(db, {
          poleId: pole.id,
          resourceKey: desk.slug,
          personId: p.id,
          startsAt: at("2027-03-04", i % 2 ? "09:00" : "10:00"),
          endsAt: at("2027-03-04", i % 2 ? "11:00" : "12:00"),
          idempotencyKey: nextKey(),
          now: NOW,
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.status === 409 && r.code === "SLOT_TAKEN")).toBe(true);
    expect(
      await db.booking.count({
        where: { resourceId: desk.id, status: { in: ["HELD", "CONFIRMED", "AWAITING_PAYMENT"] } },
      }),
    ).toBe(1);
  });
});
