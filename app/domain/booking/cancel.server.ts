import type { Booking } from "~/generated/prisma/client";
import { bookingCancelledEmail } from "~/emails/booking";
import { issueInvoice, parisDate, personBuyer, recordInvoicePayment } from "~/domain/ledger/index.server";
import { divRoundHalfUp } from "~/domain/ledger/vat";
import { moneyAccount, requestRefund, type Effects, type OfflineMethod } from "~/domain/payments/index.server";
import { fail, ok, type Result } from "~/domain/result";
import { cents } from "~/domain/money";
import { inTransaction, type Client } from "~/utils/db.server";
import { lockRow } from "~/utils/row-locks.server";
import { appUrl } from "~/utils/env.server";
import { formatCents } from "~/utils/format";
import { bookingLabel } from "./describe";
import { bookingInclude } from "./holds.server";
import { returnCredits } from "./passes.server";
import { COWORKING_ACCOUNT, COWORKING_VAT_BP } from "./sales.server";

// Cancelling: free until the pole's deadline before the start, then the pole's fee. What was paid comes back
// (by card through Stripe — the books move when the refund succeeds — or by the team for offline payments),
// a booklet gets its credits back, and the freed slot goes to the waiting list (the sweeper's outbox).

export type CancelInput = {
  poleId: string;
  bookingId: string;
  /** Who cancels: the person themself, or staff (who may cancel any booking and waive the fee). */
  actor: { personId: string; staff: boolean };
  now: Date;
  waiveFee?: boolean;
};

export async function cancelBooking(
  client: Client,
  input: CancelInput,
): Promise<Result<{ booking: Booking; feeCents: number; refundCents: number; effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    const booking = (await lockRow(tx, "Booking", { id: input.bookingId, poleId: input.poleId, kind: "BOOKING" }))
      ? await tx.booking.findUniqueOrThrow({ where: { id: input.bookingId }, include: bookingInclude })
      : null;
    if (!booking || (!input.actor.staff && booking.personId !== input.actor.personId))
      return fail("NOT_FOUND", "Cette réservation n'existe pas.", { status: 404 });
    if (booking.status === "CANCELLED" || booking.status === "EXPIRED")
      return fail("ALREADY_CANCELLED", "Cette réservation est déjà annulée.", { status: 409 });
    if (booking.startsAt <= input.now && !input.actor.staff) {
      return fail(
        "STARTED",
        "Une réservation commencée ne s'annule plus en ligne : adressez-vous à l'équipe du pôle.",
        { status: 409 },
      );
    }
    const pole = await tx.pole.findUniqueOrThrow({ where: { id: input.poleId } });
    const late =
      booking.status !== "HELD" &&
      booking.startsAt.getTime() - input.now.getTime() < pole.cancellationDeadlineHours * 3_600_000;
    const feeCents =
      late && !input.waiveFee ? divRoundHalfUp(booking.priceCents * pole.lateCancellationFeePercent, 100) : 0;

    const effects: Effects = { emails: [], refunds: [] };
    let refundCents = 0;
    let outcome = "Aucun paiement n'avait été fait : il n'y a rien à rembourser.";
    const paid = await tx.payment.findFirst({ where: { bookingId: booking.id, status: "SUCCEEDED" } });
    if (booking.paymentMethod === "PASS" && booking.passId) {
      // Late: the pole keeps its percentage of the credits, rounded up to a whole credit.
      const kept =
        late && !input.waiveFee ? Math.ceil((booking.passCredits * pole.lateCancellationFeePercent) / 100) : 0;
      const back = booking.passCredits - kept;
      if (back > 0) await returnCredits(tx, booking.passId, back);
      const credits = (n: number) => `${n} crédit${n > 1 ? "s" : ""}`;
      outcome =
        kept === 0
          ? `${credits(back)} rend${back > 1 ? "us" : "u"} à votre carnet.`
          : `Annulation tardive : ${credits(kept)} du carnet reste${kept > 1 ? "nt" : ""} dû${kept > 1 ? "s" : ""}${back ? `, ${credits(back)} vous ${back > 1 ? "sont rendus" : "est rendu"}` : ""}.`;
    } else if (paid) {
      refundCents = paid.amountCents - feeCents;
      if (refundCents > 0) {
        const refund = await requestRefund(tx, {
          poleId: input.poleId,
          paymentId: paid.id,
          amountCents: cents(refundCents),
          reason: `Annulation de la réservation ${bookingLabel(booking.resource.name, booking.startsAt, booking.endsAt)}`,
        });
        if (!refund.ok) return refund;
        if (paid.method === "STRIPE") effects.refunds.push(refund.value.id);
      }
      outcome =
        refundCents > 0
          ? `${formatCents(refundCents)} vous ${paid.method === "STRIPE" ? "sont remboursés sur votre carte" : "seront remboursés par l'équipe du pôle"}${feeCents ? ` (frais d'annulation tardive : ${formatCents(feeCents)})` : ""}.`
          : `Annulation tardive : le montant payé reste acquis au pôle.`;
    } else if (feeCents > 0) {
      // Booked to pay on site and cancelled late: the fee is owed, on an invoice of its own.
      await issueInvoice(tx, {
        poleId: input.poleId,
        sourceKey: `booking:${booking.id}:late-fee`,
        issueDate: parisDate(input.now),
        stream: "COWORKING",
        buyer: personBuyer(booking.person!),
        lines: [
          {
            description: `Frais d'annulation tardive — ${bookingLabel(booking.resource.name, booking.startsAt, booking.endsAt)}`,
            quantity: 1,
            unitInclTax: cents(feeCents),
            vatRateBp: COWORKING_VAT_BP,
            accountCode: COWORKING_ACCOUNT,
          },
        ],
        createdById: input.actor.staff ? input.actor.personId : null,
      });
      outcome = `Annulation tardive : des frais de ${formatCents(feeCents)} vous sont facturés.`;
    }

    const cancelled = await tx.booking.update({
      where: { id: booking.id },
      data: {
        status: "CANCELLED",
        holdExpiresAt: null,
        cancelledAt: input.now,
        cancelledById: input.actor.personId,
        cancellationFeeCents: feeCents,
      },
    });
    if (booking.status !== "HELD") {
      const url = `${appUrl()}/compte`;
      const email = bookingCancelledEmail({
        poleName: pole.name,
        name: booking.person!.name,
        what: bookingLabel(booking.resource.name, booking.startsAt, booking.endsAt),
        url,
        outcome,
      });
      effects.emails.push({ poleId: pole.id, to: booking.person!.email, ...email });
    }
    return ok({ booking: cancelled, feeCents, refundCents, effects });
  });
}

/** Staff note that the person did not come (the booking stays paid; the fact is kept for the pole's figures). */
export async function markNoShow(
  client: Client,
  input: { poleId: string; bookingId: string; now: Date; noShow: boolean },
): Promise<Result<Booking>> {
  const booking = await client.booking.findFirst({
    where: { id: input.bookingId, poleId: input.poleId, kind: "BOOKING" },
  });
  if (!booking) return fail("NOT_FOUND", "Cette réservation n'existe pas.", { status: 404 });
  if (booking.status !== "CONFIRMED" && booking.status !== "AWAITING_PAYMENT")
    return fail("NOT_LIVE", "Seule une réservation maintenue peut être marquée absente.", { status: 409 });
  if (booking.startsAt > input.now)
    return fail("NOT_STARTED", "Une absence se constate une fois le créneau commencé.", { status: 409 });
  return ok(await client.booking.update({ where: { id: booking.id }, data: { noShow: input.noShow } }));
}

/** Staff record that the late-cancellation fee of a booking that was to be paid on site has been paid. */
export async function recordLateFeePaid(
  client: Client,
  input: { poleId: string; bookingId: string; method: OfflineMethod; reference: string; staffId: string; now: Date },
): Promise<Result<{ invoiceNumber: string }>> {
  const invoice = await client.invoice.findUnique({
    where: { poleId_sourceKey: { poleId: input.poleId, sourceKey: `booking:${input.bookingId}:late-fee` } },
  });
  if (!invoice) return fail("NO_FEE", "Cette réservation n'a pas de frais d'annulation à encaisser.", { status: 404 });
  const { created } = await recordInvoicePayment(client, {
    poleId: input.poleId,
    invoiceId: invoice.id,
    moneyAccount: moneyAccount(input.method),
    date: parisDate(input.now),
    reference: input.reference,
    createdById: input.staffId,
  });
  if (!created) return fail("ALREADY_PAID", "Ces frais sont déjà encaissés.", { status: 409 });
  return ok({ invoiceNumber: invoice.number });
}

/** Whether a booking's late-cancellation fee invoice, if any, has been paid. */
export async function lateFeeOf(tx: Client, input: { poleId: string; bookingId: string }) {
  const invoice = await tx.invoice.findUnique({
    where: { poleId_sourceKey: { poleId: input.poleId, sourceKey: `booking:${input.bookingId}:late-fee` } },
    select: { number: true, totalInclTax: true },
  });
  if (!invoice) return null;
  const paid = await tx.journalEntry.findUnique({
    where: { poleId_sourceKey: { poleId: input.poleId, sourceKey: `invoice:${invoice.number}:paid` } },
    select: { id: true },
  });
  return { number: invoice.number, amountCents: invoice.totalInclTax, paid: Boolean(paid) };
}
