import { beforeEach, describe, expect, it } from "vitest";
import { bookOnBehalf, holdBooking, type OnBehalfInput } from "~/domain/booking/index.server";
import { parisInstant, toMinutes } from "~/domain/booking/time";
import { closeFiscalYear, createFiscalYear } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { createPerson, createPole, createResource, createSpace } from "../factories";
import { dayAfter, resetDatabase } from "../helpers";
import { isoDate } from "~/domain/ledger/dates";

// Staff booking in someone's name, already paid or to pay on site: the hold and its settlement are one
// transaction, so a refused settlement leaves nothing holding the slot (issue 12, item 5).

const NOW = new Date("2027-03-01T08:00:00Z");
const DAY = isoDate("2027-03-10");
const at = (hhmm: string) => parisInstant(DAY, toMinutes(hhmm));
let poleId: string;
let staffId: string;
let customerId: string;
let deskId: string;
let keys = 0;

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  staffId = (await createPerson(db, { poleId, role: "STAFF" })).id;
  customerId = (await createPerson(db, { poleId, name: "Léa Fabre" })).id;
  const spaceId = (await createSpace(db, { poleId })).id;
  deskId = (await createResource(db, { poleId, spaceId, kind: "DESK" })).id;
});

const input = (overrides: Partial<OnBehalfInput> = {}): OnBehalfInput => ({
  poleId,
  resourceKey: deskId,
  personId: customerId,
  startsAt: at("09:00"),
  endsAt: at("12:30"),
  idempotencyKey: `staff:cle-${++keys}`,
  now: NOW,
  bookedById: staffId,
  settle: { method: "CASH", reference: "Reçu 42" },
  ...overrides,
});

async function counts() {
  const [bookings, payments, invoices, entries] = await Promise.all([
    db.booking.count(),
    db.payment.count(),
    db.invoice.count(),
    db.journalEntry.count(),
  ]);
  return { bookings, payments, invoices, entries };
}

async function ledgerBalanced() {
  const [{ debit, credit }] = await db.$queryRaw<
    { debit: bigint; credit: bigint }[]
  >`SELECT coalesce(sum("debit"),0)::bigint AS debit, coalesce(sum("credit"),0)::bigint AS credit FROM "EntryLine"`;
  return debit === credit && debit > 0n;
}

describe("booking on someone's behalf", () => {
  it("books, records the payment, invoices and posts it at once: one confirmed booking, one payment, one invoice, one balanced entry", async () => {
    const result = await bookOnBehalf(db, input());
    if (!result.ok) throw new Error(result.message);
    expect(result.value.replay).toBe(false);
    expect(result.value.booking).toMatchObject({
      status: "CONFIRMED",
      paymentMethod: "CASH",
      personId: customerId,
      bookedById: staffId,
    });
    expect(await counts()).toEqual({ bookings: 1, payments: 1, invoices: 1, entries: 1 });
    expect(await db.payment.findFirstOrThrow()).toMatchObject({
      status: "SUCCEEDED",
      method: "CASH",
      reference: "Reçu 42",
      confirmedById: staffId,
      amountCents: 1800,
    });
    expect(await ledgerBalanced()).toBe(true);
    // The confirmation goes once committed, by the caller.
    expect(result.value.effects.emails).toHaveLength(1);
    expect(await db.outboxEmail.count()).toBe(0);
  });

  it("keeps the slot to be paid on site, with nothing recorded as paid", async () => {
    const result = await bookOnBehalf(db, input({ settle: "onsite" }));
    if (!result.ok) throw new Error(result.message);
    expect(result.value.booking).toMatchObject({ status: "AWAITING_PAYMENT", holdExpiresAt: null });
    expect(await counts()).toEqual({ bookings: 1, payments: 0, invoices: 0, entries: 0 });
    expect(result.value.effects.emails).toHaveLength(1);
  });

  it("leaves no booking, payment, invoice or entry when the ledger refuses the payment (closed year), and the slot stays free", async () => {
    const year = await createFiscalYear(db, {
      poleId,
      startDate: isoDate("2027-01-01"),
      endDate: isoDate("2027-12-31"),
    });
    if (!year.ok) throw new Error(year.message);
    const closed = await closeFiscalYear(db, {
      poleId,
      fiscalYearId: year.value.id,
      closedById: staffId,
      now: dayAfter(year.value.endDate),
      confirmEmpty: true,
    });
    expect(closed.ok).toBe(true);

    const refused = await bookOnBehalf(db, input());
    expect(refused).toEqual({
      ok: false,
      code: "YEAR_CLOSED",
      message:
        "L'exercice qui contient le 1 mars 2027 est clôturé. Le paiement n'a pas pu être enregistré : rien n'a été réservé.",
      field: undefined,
      status: 409,
    });
    expect(await counts()).toEqual({ bookings: 0, payments: 0, invoices: 0, entries: 0 });
    expect(await db.invoiceCounter.count()).toBe(0);
    // Nothing holds the slot: someone else books it at once.
    const other = await createPerson(db, { poleId });
    const held = await holdBooking(db, {
      poleId,
      resourceKey: deskId,
      personId: other.id,
      startsAt: at("09:00"),
      endsAt: at("12:30"),
      idempotencyKey: "k-autre",
      now: NOW,
    });
    expect(held.ok).toBe(true);
  });

  it("answers the same form sent again with the first booking, settled once", async () => {
    const once = input();
    const first = await bookOnBehalf(db, once);
    const second = await bookOnBehalf(db, once);
    if (!first.ok || !second.ok) throw new Error("refusé");
    expect(second.value).toMatchObject({ replay: true, booking: { id: first.value.booking.id, status: "CONFIRMED" } });
    expect(second.value.effects.emails).toHaveLength(0);
    expect(await counts()).toEqual({ bookings: 1, payments: 1, invoices: 1, entries: 1 });
  });

  it("books once when the same form arrives twice at the same moment", async () => {
    const once = input();
    const results = await Promise.all([bookOnBehalf(db, once), bookOnBehalf(db, once)]);
    const ids = results.map((r) => (r.ok ? r.value.booking.id : r.message));
    expect(ids[0]).toBe(ids[1]);
    expect(results.filter((r) => r.ok && r.value.replay)).toHaveLength(1);
    expect(await counts()).toEqual({ bookings: 1, payments: 1, invoices: 1, entries: 1 });
    expect(await ledgerBalanced()).toBe(true);
  });

  it("refuses a slot someone else holds, under the start field, and records nothing", async () => {
    const other = await createPerson(db, { poleId });
    const held = await holdBooking(db, {
      poleId,
      resourceKey: deskId,
      personId: other.id,
      startsAt: at("10:00"),
      endsAt: at("11:00"),
      idempotencyKey: "k-autre",
      now: NOW,
    });
    expect(held.ok).toBe(true);
    expect(await bookOnBehalf(db, input())).toMatchObject({
      ok: false,
      code: "SLOT_TAKEN",
      field: "start",
      status: 409,
    });
    expect(await counts()).toEqual({ bookings: 1, payments: 0, invoices: 0, entries: 0 });
  });
});
