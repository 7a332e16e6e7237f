import type { Lease, Payment, RentInstalment } from "~/generated/prisma/client";
import { instalmentInvoicedEmail } from "~/emails/leasing";
import {
  fromSqlDate,
  issueInvoice,
  parisDate,
  professionalPersonBuyer,
  recordInvoicePayment,
  toSqlDate,
  type IsoDate,
} from "~/domain/ledger/index.server";
import { VAT_EXEMPTIONS } from "~/domain/ledger/vat";
import {
  moneyAccount,
  noEffects,
  type CheckoutRequest,
  type OfflineMethod,
  type PurposeHandler,
  recordOfflinePayment,
} from "~/domain/payments/index.server";
import { fail, ok, type Result } from "~/domain/result";
import { cents } from "~/domain/money";
import { inTransaction, type Db, type Tx, type Client } from "~/utils/db.server";
import { lockRow } from "~/utils/row-locks.server";
import type { EmailMessage } from "~/utils/email.server";
import { appUrl } from "~/utils/env.server";
import { formatCents, formatDate } from "~/utils/format";
import { KIND_LABELS, schedule, termText } from "./rules";

// A lease's rent schedule: instalments created when the lease is accepted, each invoiced on its due date
// (receivable 411000 against land rent 706300, exempt of VAT with its mention unless the pole opted in), then
// paid by card or by transfer/cheque confirmed by staff (bank or Stripe against the receivable). Source keys
// per instalment: an instalment is never invoiced nor settled twice.

export const LAND_RENT_ACCOUNT = "706300";

const dateOf = (d: Date) => fromSqlDate(d);

/**
 * Writes the schedule of a lease from a date on (all of it for a new lease, what is left after a change): the
 * missing periods in one insert, then only the periods not invoiced yet whose amount or end changed.
 */
export async function writeSchedule(tx: Tx, lease: Lease, from: IsoDate | null = null) {
  const periods = schedule({
    startsOn: dateOf(lease.startsOn),
    endsOn: dateOf(lease.endsOn),
    yearlyRentCents: lease.yearlyRentCents,
    frequency: lease.frequency,
  }).filter((p) => !from || p.periodStart >= from);
  const existing = new Map(
    (await tx.rentInstalment.findMany({ where: { leaseId: lease.id } })).map((i) => [dateOf(i.periodStart), i]),
  );
  const missing = periods.filter((p) => !existing.has(p.periodStart));
  if (missing.length > 0) {
    await tx.rentInstalment.createMany({
      data: missing.map((p) => ({
        poleId: lease.poleId,
        leaseId: lease.id,
        periodStart: toSqlDate(p.periodStart),
        periodEnd: toSqlDate(p.periodEnd),
        dueOn: toSqlDate(p.dueOn),
        amountCents: p.amountCents,
      })),
      skipDuplicates: true,
    });
  }
  for (const p of periods) {
    const row = existing.get(p.periodStart);
    // Only what is not invoiced yet can change.
    if (
      !row ||
      row.status !== "SCHEDULED" ||
      (row.amountCents === p.amountCents && dateOf(row.periodEnd) === p.periodEnd)
    )
      continue;
    await tx.rentInstalment.updateMany({
      where: { id: row.id, status: "SCHEDULED" },
      data: { amountCents: p.amountCents, periodEnd: toSqlDate(p.periodEnd) },
    });
  }
}

const periodLabel = (i: Pick<RentInstalment, "periodStart" | "periodEnd">) =>
  termText(i.periodStart, i.periodEnd, "short");

/** Invoices one instalment (idempotent by its source key) and says so by email, after the commit. */
export async function invoiceInstalment(tx: Tx, instalmentId: string, now: Date): Promise<EmailMessage | null> {
  await lockRow(tx, "RentInstalment", { id: instalmentId });
  const instalment = await tx.rentInstalment.findUniqueOrThrow({
    where: { id: instalmentId },
    include: { lease: { include: { plot: true, holder: true, pole: true } } },
  });
  if (instalment.status !== "SCHEDULED") return null;
  const { lease } = instalment;
  const description = `Loyer — ${KIND_LABELS[lease.kind].toLowerCase()}, parcelle ${lease.plot.code}${lease.plot.name ? ` (${lease.plot.name})` : ""}, ${periodLabel(instalment)}`;
  const issueDate = parisDate(now);
  const due = dateOf(instalment.dueOn);
  const { invoice } = await issueInvoice(tx, {
    poleId: lease.poleId,
    sourceKey: `instalment:${instalment.id}`,
    issueDate,
    dueDate: due > issueDate ? due : issueDate,
    stream: "LAND",
    // A farmer renting land for their farm buys as a professional: the late-payment mentions apply (L441-10 C. com.).
    buyer: professionalPersonBuyer(lease.holder),
    lines: [
      {
        description,
        quantity: 1,
        unitInclTax: cents(instalment.amountCents),
        vatRateBp: lease.vatRateBp,
        vatExemption: lease.vatRateBp === 0 ? VAT_EXEMPTIONS.LAND_RENT : null,
        accountCode: LAND_RENT_ACCOUNT,
      },
    ],
  });
  await tx.rentInstalment.update({ where: { id: instalment.id }, data: { status: "INVOICED", invoiceId: invoice.id } });
  const content = instalmentInvoicedEmail({
    poleName: lease.pole.name,
    name: lease.holder.name,
    what: description,
    amount: formatCents(instalment.amountCents),
    number: invoice.number,
    due: formatDate(instalment.dueOn),
    url: `${appUrl()}/compte/terres`,
  });
  return { poleId: lease.poleId, to: lease.holder.email, ...content };
}

/** Staff invoice one scheduled instalment now, ahead of its due date. */
export function invoiceInstalmentNow(
  client: Client,
  input: { instalmentId: string; now: Date },
): Promise<Result<{ emails: EmailMessage[] }, "NOT_SCHEDULED">> {
  return inTransaction(client, async (tx) => {
    const email = await invoiceInstalment(tx, input.instalmentId, input.now);
    if (!email) return fail("NOT_SCHEDULED", "Cette échéance est déjà facturée ou annulée.", { status: 409 });
    return ok({ emails: [email] });
  });
}

/** The instalments due by today of running leases, oldest first. */
export async function dueInstalmentIds(tx: Client, input: { today: IsoDate; leaseId?: string }) {
  const due = await tx.rentInstalment.findMany({
    where: {
      status: "SCHEDULED",
      dueOn: { lte: toSqlDate(input.today) },
      lease: { status: "ACTIVE" },
      ...(input.leaseId ? { leaseId: input.leaseId } : {}),
    },
    orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    select: { id: true },
    take: 500,
  });
  return due.map((d) => d.id);
}

/** The instalments due by today, invoiced in the caller's transaction (acceptance invoices the first one). */
export async function invoiceDueInstalments(tx: Tx, input: { today: IsoDate; now: Date; leaseId?: string }) {
  const emails: EmailMessage[] = [];
  for (const id of await dueInstalmentIds(tx, input)) {
    const email = await invoiceInstalment(tx, id, input.now);
    if (email) emails.push(email);
  }
  return emails;
}

/**
 * The sweeper's invoicing: one transaction per instalment, so one that fails (and is logged) never holds back
 * the others; it is tried again on the next sweep.
 */
export async function invoiceEachDueInstalment(db: Db, input: { today: IsoDate; now: Date }) {
  const emails: EmailMessage[] = [];
  let failed = 0;
  for (const id of await dueInstalmentIds(db, input)) {
    try {
      const email = await inTransaction(db, (tx) => invoiceInstalment(tx, id, input.now));
      if (email) emails.push(email);
    } catch (error) {
      failed++;
      console.error(`Facturation de l'échéance ${id} :`, error);
    }
  }
  return { emails, failed };
}

async function settle(tx: Tx, instalment: RentInstalment, payment: Payment, now: Date, createdById?: string | null) {
  const { created } = await recordInvoicePayment(tx, {
    poleId: instalment.poleId,
    invoiceId: instalment.invoiceId!,
    moneyAccount: moneyAccount(payment.method),
    date: parisDate(now),
    reference: payment.reference ?? payment.stripePaymentIntentId ?? "",
    createdById,
  });
  if (created) await tx.rentInstalment.update({ where: { id: instalment.id }, data: { status: "PAID", paidAt: now } });
  return created;
}

/** Staff record a transfer, cheque or cash payment of an invoiced instalment. */
export function confirmInstalmentPaid(
  client: Client,
  input: { poleId: string; instalmentId: string; method: OfflineMethod; reference: string; staffId: string; now: Date },
): Promise<Result<RentInstalment>> {
  let instalment: RentInstalment;
  return recordOfflinePayment(
    client,
    instalmentPurpose,
    { ...input, targetId: input.instalmentId, what: "cette échéance" },
    {
      async claim(tx) {
        if (!(await lockRow(tx, "RentInstalment", { id: input.instalmentId, poleId: input.poleId })))
          return fail("NOT_FOUND", "Cette échéance n'existe pas.", { status: 404 });
        instalment = await tx.rentInstalment.findUniqueOrThrow({ where: { id: input.instalmentId } });
        if (instalment.status === "PAID")
          return fail("ALREADY_PAID", "Cette échéance est déjà réglée.", { status: 409 });
        if (instalment.status !== "INVOICED")
          return fail("NOT_INVOICED", "Cette échéance n'est pas encore facturée.", { status: 409 });
        const lease = await tx.lease.findUniqueOrThrow({
          where: { id: instalment.leaseId },
          select: { holderId: true },
        });
        return ok({ personId: lease.holderId, amountCents: instalment.amountCents, invoiceId: instalment.invoiceId });
      },
      async settle(tx, payment) {
        await settle(tx, instalment, payment, input.now, input.staffId);
        return tx.rentInstalment.findUniqueOrThrow({ where: { id: instalment.id } });
      },
    },
  );
}

/** What Stripe Checkout shows for an invoiced instalment of the person's lease. */
export async function instalmentCheckout(
  tx: Client,
  input: { poleId: string; instalmentId: string; personId: string; now: Date },
): Promise<Result<CheckoutRequest>> {
  const instalment = await tx.rentInstalment.findFirst({
    where: { id: input.instalmentId, poleId: input.poleId, lease: { holderId: input.personId } },
    include: { lease: { include: { plot: true, holder: true } } },
  });
  if (!instalment) return fail("NOT_FOUND", "Cette échéance n'existe pas.", { status: 404 });
  if (instalment.status === "PAID") return fail("ALREADY_PAID", "Cette échéance est déjà réglée.", { status: 409 });
  if (instalment.status !== "INVOICED")
    return fail("NOT_INVOICED", "Cette échéance n'est pas encore facturée.", { status: 409 });
  const name = `Loyer de la parcelle ${instalment.lease.plot.code}, ${periodLabel(instalment)}`;
  return ok({
    poleId: input.poleId,
    handler: instalmentPurpose,
    targetId: instalment.id,
    person: { id: instalment.lease.holder.id, email: instalment.lease.holder.email },
    amountCents: cents(instalment.amountCents),
    lines: [{ name, quantity: 1, unitCents: instalment.amountCents }],
    description: name,
    returnPath: "/compte/terres",
    now: input.now,
  });
}

/** An instalment paid by card: paid settles it; paid twice (also by transfer) is refunded. */
export const instalmentPurpose: PurposeHandler = {
  purpose: "INSTALMENT",
  targetColumn: "instalmentId",
  // Invoiced and not paid yet: once settled by transfer (recorded by staff), an open card page is closed.
  stillPayable: { instalment: { status: "INVOICED" } },
  receiptLabel: "Paiement reçu pour une échéance déjà réglée — à rembourser",
  // Rent can wait the days a debit takes to settle: farmers may pay it from their account.
  paymentMethodTypes: ["card", "sepa_debit"],
  // The instalment stays invoiced while the debit runs; staff cannot record it paid otherwise meanwhile.
  async processing() {
    return { outcome: "prélèvement de l'échéance en cours", ...noEffects() };
  },
  async paid(tx, payment, now) {
    await lockRow(tx, "RentInstalment", { id: payment.instalmentId! });
    const instalment = await tx.rentInstalment.findUniqueOrThrow({ where: { id: payment.instalmentId! } });
    if (instalment.status === "INVOICED" && (await settle(tx, instalment, payment, now))) {
      await tx.payment.update({ where: { id: payment.id }, data: { invoiceId: instalment.invoiceId } });
      return { outcome: "échéance réglée", ...noEffects() };
    }
    // Settled meanwhile (a transfer recorded by staff): this money is owed back, outside the invoice.
    return {
      outcome: "paiement en double remboursé",
      ...noEffects(),
      owedBack: { reason: "Échéance déjà réglée : paiement en double" },
    };
  },
  // The instalment stays invoiced, to pay again by card or by transfer.
  async failed() {
    return { outcome: "paiement d'échéance abandonné", ...noEffects() };
  },
  async expired() {
    return { outcome: "paiement d'échéance abandonné", ...noEffects() };
  },
  // Only a second payment of a settled instalment is refunded: the instalment stays paid.
  async refunded() {},
};
