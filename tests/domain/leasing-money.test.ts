import { beforeEach, describe, expect, it } from "vitest";
import {
  confirmInstalmentPaid,
  instalmentCheckout,
  invoiceDueInstalments,
  landForecast,
  sweepLand,
} from "~/domain/leasing/index.server";
import { getStripe, handleStripeEvent, openCheckout } from "~/domain/payments/index.server";
import { PAYMENT_HANDLERS } from "~/domain/streams.server";
import { inTransaction, db } from "~/utils/db.server";
import { createLandTerms, createPerson, createPlot, createPole, createRunningLease } from "../factories";
import { resetDatabase } from "../helpers";
import {
  completeSession,
  completeSessionAsync,
  settleAsyncPayment,
  stripeEvent,
  stripeState,
  useStripeMock,
} from "../mocks/stripe";
import { isoDate } from "~/domain/ledger/dates";

// The money of a lease: instalments invoiced on their due date, paid by card through Stripe (the webhook
// settles the invoice) or by transfer, never twice; future instalments feed the dashboard's land forecast.

const NOW = new Date("2027-03-01T08:00:00Z");
useStripeMock({ clock: NOW });
const TODAY = isoDate("2027-03-01");

async function runningLease(frequency: "MONTHLY" | "QUARTERLY" = "MONTHLY", vatOptIn = false) {
  const pole = await createPole(db);
  if (vatOptIn) await db.pole.update({ where: { id: pole.id }, data: { landRentVatOptIn: true } });
  await createLandTerms(db, { poleId: pole.id, year: 2027 });
  const plot = await createPlot(db, { poleId: pole.id, code: "P01", surfaceM2: 20_000, rentPerHectareCents: 18_000 });
  const staff = await createPerson(db, { poleId: pole.id, role: "STAFF" });
  const farmer = await createPerson(db, { poleId: pole.id, name: "Jeanne Cazals" });
  const lease = await createRunningLease(db, {
    poleId: pole.id,
    plotId: plot.id,
    farmerId: farmer.id,
    staffId: staff.id,
    startsOn: TODAY,
    endsOn: isoDate("2027-09-01"),
    frequency,
    now: NOW,
  });
  return { pole, staff, farmer, lease };
}

const deliver = (event: ReturnType<typeof stripeEvent>, now = NOW) =>
  handleStripeEvent(db, getStripe()!, event as never, PAYMENT_HANDLERS, now);

describe("paying a lease's rent", () => {
  beforeEach(resetDatabase);

  it("invoices each instalment once, on its due date", async () => {
    const { lease } = await runningLease();
    // 2 ha × 180 € = 360 € a year, 30 € a month for six months.
    const instalments = await db.rentInstalment.findMany({
      where: { leaseId: lease.id },
      orderBy: { periodStart: "asc" },
    });
    expect(instalments.map((i) => i.amountCents)).toEqual([3000, 3000, 3000, 3000, 3000, 3000]);
    expect(instalments.map((i) => i.status)).toEqual([
      "INVOICED",
      "SCHEDULED",
      "SCHEDULED",
      "SCHEDULED",
      "SCHEDULED",
      "SCHEDULED",
    ]);
    const inApril = await inTransaction(db, (tx) =>
      invoiceDueInstalments(tx, { today: isoDate("2027-04-01"), now: new Date("2027-04-01T08:00:00Z") }),
    );
    expect(inApril).toHaveLength(1);
    expect(inApril[0].subject).toMatch(/facture F-2027-0002$/);
    expect(
      await inTransaction(db, (tx) =>
        invoiceDueInstalments(tx, { today: isoDate("2027-04-01"), now: new Date("2027-04-01T09:00:00Z") }),
      ),
    ).toHaveLength(0);
    expect(await db.invoice.count()).toBe(2);
  });

  it("reminds an unpaid instalment by email 15 days after its due date, then once a week, and not once paid", async () => {
    const { lease, staff } = await runningLease("QUARTERLY");
    const first = await db.rentInstalment.findFirstOrThrow({ where: { leaseId: lease.id, status: "INVOICED" } });
    const invoice = await db.invoice.findUniqueOrThrow({ where: { id: first.invoiceId! } });
    const reminders = () =>
      db.outboxEmail.findMany({ where: { subject: { contains: "rappel" } }, orderBy: { createdAt: "asc" } });
    // Fourteen days late: not yet.
    await sweepLand(db, new Date("2027-03-15T08:00:00Z"));
    expect(await reminders()).toHaveLength(0);
    await sweepLand(db, new Date("2027-03-17T08:00:00Z"));
    await sweepLand(db, new Date("2027-03-18T08:00:00Z"));
    expect((await reminders()).map((m) => m.subject)).toEqual([
      expect.stringContaining(`rappel : facture ${invoice.number} à régler`),
    ]);
    expect((await reminders())[0].text).toContain("due le 1 mars 2027");
    await sweepLand(db, new Date("2027-03-25T08:00:00Z"));
    expect(await reminders()).toHaveLength(2);
    await confirmInstalmentPaid(db, {
      poleId: lease.poleId,
      instalmentId: first.id,
      method: "TRANSFER",
      reference: "VIR 1",
      staffId: staff.id,
      now: new Date("2027-03-26T08:00:00Z"),
    });
    await sweepLand(db, new Date("2027-04-02T08:00:00Z"));
    expect(await reminders()).toHaveLength(2);
  });

  it("settles an instalment paid by card when Stripe says so, and refunds a second payment of it", async () => {
    const { pole, farmer, staff, lease } = await runningLease();
    const first = await db.rentInstalment.findFirstOrThrow({ where: { leaseId: lease.id, status: "INVOICED" } });
    const request = await instalmentCheckout(db, {
      poleId: pole.id,
      instalmentId: first.id,
      personId: farmer.id,
      now: NOW,
    });
    if (!request.ok) throw new Error(request.message);
    const opened = await openCheckout(db, getStripe()!, request.value);
    expect(opened.ok).toBe(true);
    const payment = await db.payment.findFirstOrThrow({ where: { instalmentId: first.id } });
    // Meanwhile staff record a transfer for the same instalment: refused while the card payment is open.
    expect(
      await confirmInstalmentPaid(db, {
        poleId: pole.id,
        instalmentId: first.id,
        method: "TRANSFER",
        reference: "VIR",
        staffId: staff.id,
        now: NOW,
      }),
    ).toMatchObject({ ok: false, code: "CARD_PAYMENT_OPEN" });
    expect(
      (await deliver(stripeEvent("checkout.session.completed", completeSession(payment.stripeSessionId!)))).outcome,
    ).toBe("échéance réglée");
    expect((await db.rentInstalment.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("PAID");
    const invoice = await db.invoice.findUniqueOrThrow({ where: { id: first.invoiceId! } });
    const settlement = await db.journalEntry.findUniqueOrThrow({
      where: { poleId_sourceKey: { poleId: pole.id, sourceKey: `invoice:${invoice.number}:paid` } },
      include: { lines: { include: { account: true } } },
    });
    expect(settlement.lines.map((l) => [l.account.code, l.debit, l.credit])).toEqual([
      ["517000", 3000, 0],
      ["411000", 0, 3000],
    ]);

    // Paid: no new Checkout page for it.
    expect(await openCheckout(db, getStripe()!, request.value)).toMatchObject({ ok: false, code: "ALREADY_PAID" });
    // An old tab's page paid as well (as if its payment had been left behind): that money is owed back.
    await db.payment.update({ where: { id: payment.id }, data: { status: "CANCELLED" } });
    const stale = await openCheckout(db, getStripe()!, request.value);
    expect(stale.ok).toBe(true);
    const second = await db.payment.findFirstOrThrow({ where: { instalmentId: first.id, status: "PENDING" } });
    expect(
      (await deliver(stripeEvent("checkout.session.completed", completeSession(second.stripeSessionId!)))).outcome,
    ).toBe("paiement en double remboursé");
    expect(await db.refund.findFirstOrThrow({ where: { paymentId: second.id } })).toMatchObject({
      status: "SUCCEEDED",
      amountCents: 3000,
    });
    expect(
      await db.journalEntry.count({
        where: { sourceKey: { startsWith: "invoice:" }, NOT: { sourceKey: { endsWith: ":paid" } } },
      }),
    ).toBe(1);
  });

  it("takes rent by SEPA Direct Debit: the instalment waits for the bank, paid once when it accepts, open again when it refuses", async () => {
    const { pole, farmer, staff, lease } = await runningLease();
    const first = await db.rentInstalment.findFirstOrThrow({ where: { leaseId: lease.id, status: "INVOICED" } });
    const pay = async (now: Date) => {
      const request = await instalmentCheckout(db, {
        poleId: pole.id,
        instalmentId: first.id,
        personId: farmer.id,
        now,
      });
      if (!request.ok) throw new Error(request.message);
      return openCheckout(db, getStripe()!, request.value);
    };
    expect((await pay(NOW)).ok).toBe(true);
    const [created] = stripeState.requests.filter((r) => r.path === "/v1/checkout/sessions");
    expect(created.body.allowed_payment_method_types).toEqual(["card", "sepa_debit"]);

    // The bank refuses the first debit: the instalment stays invoiced, to pay again.
    const refused = await db.payment.findFirstOrThrow({ where: { instalmentId: first.id } });
    const refusedSession = refused.stripeSessionId!;
    expect(
      (await deliver(stripeEvent("checkout.session.completed", completeSessionAsync(refusedSession)))).outcome,
    ).toBe("prélèvement de l'échéance en cours");
    expect(
      (
        await deliver(
          stripeEvent("checkout.session.async_payment_failed", settleAsyncPayment(refusedSession, "failed")),
        )
      ).outcome,
    ).toBe("paiement d'échéance abandonné");
    expect((await db.rentInstalment.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("INVOICED");

    // A second debit, accepted days later.
    const later = new Date(NOW.getTime() + 3_600_000);
    expect((await pay(later)).ok).toBe(true);
    const second = await db.payment.findFirstOrThrow({ where: { instalmentId: first.id, status: "PENDING" } });
    await deliver(stripeEvent("checkout.session.completed", completeSessionAsync(second.stripeSessionId!)), later);
    expect(await pay(later)).toMatchObject({ ok: false, code: "PAYMENT_PROCESSING" });
    const transfer = await confirmInstalmentPaid(db, {
      poleId: pole.id,
      instalmentId: first.id,
      method: "TRANSFER",
      reference: "VIR",
      staffId: staff.id,
      now: later,
    });
    expect(transfer).toMatchObject({ ok: false, code: "CARD_PAYMENT_OPEN" });
    expect(!transfer.ok && transfer.message).toMatch(/prélèvement/);
    const days = new Date(NOW.getTime() + 4 * 86_400_000);
    await sweepLand(db, days);
    const accepted = stripeEvent(
      "checkout.session.async_payment_succeeded",
      settleAsyncPayment(second.stripeSessionId!, "succeeded"),
    );
    expect((await deliver(accepted, days)).outcome).toBe("échéance réglée");
    expect((await deliver(accepted, days)).outcome).toBe("déjà reçu");
    expect(await db.rentInstalment.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: "PAID" });
    expect(await db.journalEntry.count({ where: { sourceKey: { endsWith: ":paid" } } })).toBe(1);
  });

  it("bills VAT on top of the rent when the pole opted for it: the bounded rent stays the amount before tax", async () => {
    const { lease } = await runningLease("QUARTERLY", true);
    // 2 ha × 180,00 €/ha = 360,00 € before tax, 432,00 € with 20 % VAT; a six-month convention, two quarters.
    expect(await db.lease.findUniqueOrThrow({ where: { id: lease.id } })).toMatchObject({
      yearlyRentCents: 43_200,
      vatRateBp: 2000,
    });
    const first = await db.rentInstalment.findFirstOrThrow({ where: { leaseId: lease.id, status: "INVOICED" } });
    expect(first.amountCents).toBe(10_800);
    expect(await db.invoice.findUniqueOrThrow({ where: { id: first.invoiceId! } })).toMatchObject({
      totalExclTax: 9_000,
      totalTax: 1_800,
      totalInclTax: 10_800,
      vatMention: null,
    });
  });

  it("reports the instalments still to invoice to the dashboard's land forecast, VAT excluded, by month", async () => {
    const { pole } = await runningLease("QUARTERLY");
    const items = await landForecast(db, { poleId: pole.id, from: TODAY, to: isoDate("2027-12-31"), today: TODAY });
    // 360 € a year by quarter: June's 90 € is still to invoice (March's is invoiced: an actual).
    expect(items).toEqual([{ stream: "LAND", month: "2027-06", amount: 9000 }]);
  });
});
