import type { Registration } from "~/generated/prisma/client";
import { registrationCancelledEmail, sessionCancelledEmail } from "~/emails/training";
import { issueCreditNote, parisDate } from "~/domain/ledger/index.server";
import { requestRefund, type Effects } from "~/domain/payments/index.server";
import { releaseRooms } from "~/domain/booking/index.server";
import { cents } from "~/domain/money";
import { fail, ok, type Result } from "~/domain/result";
import { inTransaction, type Client, type Tx } from "~/utils/db.server";
import { appUrl } from "~/utils/env.server";
import { formatCents } from "~/utils/format";
import { lockRow } from "~/utils/row-locks.server";
import { registrationInclude, type RegistrationFull } from "./books.server";
import { lockRegistration, releaseSeat } from "./locks.server";
import { registrationEmailBase } from "./payment.server";
import { SEAT_HOLDING } from "./registrations.server";
import { closeSessionWaits, declineOfferedRegistration, passFreedSeat } from "./waitlist.server";

// Cancelling (decision 020). A person cancels their own registration before the session starts: free until the
// pole's deadline (trainingCancelDays before the start), everything paid coming back; later, what was paid stays
// with the pole. Staff may cancel any registration and refund it in full. A session cancelled by staff (its
// minimum not reached, a trainer ill) cancels every registration with a full refund, gives its rooms back and
// tells everyone — once: a compare-and-set on the session's status. A seat given back by a cancellation goes to the
// session's waiting list in the same transaction; a cancelled session closes its waiting list instead.

export type CancelInput = {
  poleId: string;
  registrationId: string;
  /** Who cancels: the person themself, or staff (any registration, always refunded in full). */
  actor: { personId: string; staff: boolean };
  now: Date;
};

export function cancelRegistration(
  client: Client,
  input: CancelInput,
): Promise<Result<{ registration: Registration; refundCents: number; effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    const locked = await lockRegistration(tx, {
      poleId: input.poleId,
      registrationId: input.registrationId,
      ...(input.actor.staff ? {} : { personId: input.actor.personId }),
    });
    if (!locked.ok) return locked;
    const r = locked.value;
    if (!(SEAT_HOLDING as readonly string[]).includes(r.status))
      return fail("NOT_CANCELLABLE", "Cette inscription est déjà annulée.", { status: 409 });
    // Delivered: its revenue is recognised and its certificate issued; money given back then is a credit note of
    // its own, not a cancellation.
    if (r.session.status === "DELIVERED")
      return fail("SESSION_CLOSED", "La session est close : l'inscription ne s'annule plus.", { status: 409 });
    if (input.now >= r.session.startsAt && !input.actor.staff)
      return fail("STARTED", "La session a commencé : l'inscription ne peut plus être annulée en ligne.", {
        status: 409,
      });
    if (r.status === "OFFERED") {
      // A seat offered from the waiting list: cancelling it is declining the offer, through the engine.
      const declined = await declineOfferedRegistration(tx, {
        registrationId: r.id,
        actorId: input.actor.personId,
        now: input.now,
      });
      if (declined) {
        if (!declined.ok) return declined;
        const registration = await tx.registration.update({
          where: { id: r.id },
          data: { cancelledById: input.actor.personId },
        });
        return ok({ registration, refundCents: 0, effects: { emails: declined.value, refunds: [] } });
      }
    }
    const pole = await tx.pole.findUniqueOrThrow({ where: { id: input.poleId } });
    const late =
      !input.actor.staff && r.session.startsAt.getTime() - input.now.getTime() < pole.trainingCancelDays * 86_400_000;
    const settled = await settleCancelled(tx, r, { late, reason: "Annulation de l'inscription", now: input.now });
    const registration = await markCancelled(tx, r, input.actor.personId, input.now);
    const effects: Effects = { emails: [], refunds: settled.refunds };
    if (r.status === "CONFIRMED" || r.paymentMethod || r.payer === "ORGANISATION") {
      const email = registrationCancelledEmail({ ...registrationEmailBase(pole.name, r), outcome: settled.outcome });
      effects.emails.push({ poleId: pole.id, to: r.person.email, ...email });
    }
    effects.emails.push(...(await passFreedSeat(tx, { sessionId: r.sessionId, now: input.now })));
    return ok({ registration, refundCents: settled.refundCents, effects });
  });
}

/** The registration is cancelled and its seat goes back, in the caller's transaction. */
async function markCancelled(tx: Tx, r: RegistrationFull, actorId: string | null, now: Date) {
  await releaseSeat(tx, r.sessionId);
  return tx.registration.update({
    where: { id: r.id },
    data: { status: "CANCELLED", cancelledAt: now, cancelledById: actorId, holdExpiresAt: null },
  });
}

/**
 * What a cancellation does to money: a card payment is refunded through Stripe, money paid by transfer or cheque
 * is listed for staff to repay (a pending refund), a funder's invoice not yet paid is cancelled by a credit note.
 * Late, nothing comes back (the invoice stands: the seat was kept for the person).
 */
async function settleCancelled(tx: Tx, r: RegistrationFull, how: { late: boolean; reason: string; now: Date }) {
  const refunds: string[] = [];
  const paid = await tx.payment.findMany({ where: { registrationId: r.id, status: "SUCCEEDED" } });
  // A confirmed registration, or one cancelled late whose money the pole kept (its session now cancelled too).
  if (r.status !== "CONFIRMED" && !(r.status === "CANCELLED" && r.invoiceId))
    return { refunds, refundCents: 0, outcome: "Aucun paiement n'avait été fait." };
  if (how.late)
    return {
      refunds,
      refundCents: 0,
      outcome: "Annulation moins de quelques jours avant la session : le montant réglé reste acquis au pôle.",
    };
  let refundCents = 0;
  for (const payment of paid) {
    const refund = await requestRefund(tx, {
      poleId: r.poleId,
      paymentId: payment.id,
      amountCents: cents(payment.amountCents),
      reason: `${how.reason} — ${r.session.course.title}`.slice(0, 200),
    });
    if (!refund.ok) continue;
    refundCents += payment.amountCents;
    if (payment.method === "STRIPE") refunds.push(refund.value.id);
  }
  if (paid.length === 0 && r.invoiceId) {
    // Nothing paid on the invoice (a funder's): the credit note cancels the debt.
    await issueCreditNote(tx, {
      poleId: r.poleId,
      invoiceId: r.invoiceId,
      sourceKey: `registration:${r.id}:cancelled`,
      issueDate: parisDate(how.now),
      reason: how.reason,
    });
  }
  const byCard = paid.some((p) => p.method === "STRIPE");
  return {
    refunds,
    refundCents,
    outcome:
      refundCents > 0
        ? `${formatCents(refundCents)} vous ${byCard ? "sont remboursés sur votre carte" : "seront remboursés par l'équipe du pôle"}.`
        : r.payer === "ORGANISATION"
          ? "La facture adressée à votre financeur est annulée par un avoir."
          : "Il n'y a rien à rembourser.",
  };
}

/** Staff go ahead with a session (its minimum reached, or not but they hold it anyway). */
export async function confirmSession(
  client: Client,
  input: { poleId: string; sessionId: string; staffId: string; now: Date },
) {
  const { count } = await client.trainingSession.updateMany({
    where: { id: input.sessionId, poleId: input.poleId, status: "SCHEDULED" },
    data: { status: "CONFIRMED", decidedAt: input.now, decidedById: input.staffId },
  });
  if (count === 0) return fail("NOT_SCHEDULED", "Cette session n'attend pas de décision.", { status: 409 });
  return ok({ confirmed: true });
}

/**
 * Staff cancel a session: every live registration cancelled and refunded in full (card refunds asked of Stripe
 * after the commit, offline money listed to repay, funders' invoices credited), its rooms given back, everyone told.
 * Once: the status moves by a compare-and-set, and a second call finds it cancelled.
 */
export function cancelSession(
  client: Client,
  input: { poleId: string; sessionId: string; reason: string; staffId: string; now: Date },
): Promise<Result<{ cancelled: number; effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    const reason = input.reason.trim();
    if (!reason) return fail("REASON", "Indiquez pourquoi la session est annulée.", { field: "reason" });
    if (!(await lockRow(tx, "TrainingSession", { id: input.sessionId, poleId: input.poleId })))
      return fail("NOT_FOUND", "Cette session n'existe pas.", { status: 404 });
    const { count } = await tx.trainingSession.updateMany({
      where: { id: input.sessionId, status: { in: ["SCHEDULED", "CONFIRMED"] } },
      data: { status: "CANCELLED", decidedAt: input.now, decidedById: input.staffId, cancelReason: reason },
    });
    if (count === 0) return fail("NOT_OPEN", "Cette session est déjà annulée ou réalisée.", { status: 409 });
    const pole = await tx.pole.findUniqueOrThrow({ where: { id: input.poleId } });
    // Its waiting list closes first (a seat offered is given back through the engine), each person told.
    const effects: Effects = {
      emails: await closeSessionWaits(tx, { ...input, actorId: input.staffId, reason }),
      refunds: [],
    };
    const live = await tx.registration.findMany({
      where: { sessionId: input.sessionId, status: { in: [...SEAT_HOLDING] } },
      include: registrationInclude,
      orderBy: { createdAt: "asc" },
    });
    for (const r of [...live, ...(await keptByLateCancellations(tx, input.sessionId))]) {
      await lockRow(tx, "Registration", { id: r.id });
      const settled = await settleCancelled(tx, r, { late: false, reason: "Session annulée", now: input.now });
      if (r.status !== "CANCELLED") await markCancelled(tx, r, input.staffId, input.now);
      effects.refunds.push(...settled.refunds);
      const email = sessionCancelledEmail({
        ...registrationEmailBase(pole.name, r),
        url: `${appUrl()}/formations/${r.session.course.slug}`,
        reason,
        outcome: settled.outcome,
      });
      effects.emails.push({ poleId: pole.id, to: r.person.email, ...email });
    }
    await releaseRooms(tx, { trainingSessionId: input.sessionId, now: input.now });
    return ok({ cancelled: live.length, effects });
  });
}

/**
 * Registrations cancelled late whose money the pole kept — nothing refunded, no credit note: when the session is
 * cancelled after all, that money goes back too.
 */
async function keptByLateCancellations(tx: Tx, sessionId: string) {
  const cancelled = await tx.registration.findMany({
    where: { sessionId, status: "CANCELLED", invoiceId: { not: null }, recognisedAt: null },
    include: registrationInclude,
    orderBy: { createdAt: "asc" },
  });
  const kept: RegistrationFull[] = [];
  for (const r of cancelled) {
    const credited = await tx.invoice.count({ where: { creditedInvoiceId: r.invoiceId! } });
    const refunded = await tx.refund.count({ where: { payment: { registrationId: r.id } } });
    if (credited === 0 && refunded === 0) kept.push(r);
  }
  return kept;
}
