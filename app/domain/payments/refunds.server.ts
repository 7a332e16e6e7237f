import Stripe from "stripe";
import type { Payment, Refund } from "~/generated/prisma/client";
import { issueCreditNote, parisDate, post } from "~/domain/ledger/index.server";
import { cents, type Cents } from "~/domain/money";
import { fail, ok, type Result } from "~/domain/result";
import { inTransaction, type Db, type Tx, type Client } from "~/utils/db.server";
import { lockRow } from "~/utils/row-locks.server";
import { METHOD_ACCOUNTS, UNAPPLIED_ACCOUNT } from "./methods";
import type { PurposeHandlers } from "./purposes";
import { moneyAccount } from "./receipts.server";

// A refund is asked (PENDING), then succeeds or fails. Only success moves the books: a credit note against the
// payment's invoice, or — for money that had no invoice — the opposite of its unapplied receipt — and the stream
// whose payment it was hears of it through its purpose handler (`purposes`, the registry's, given by the caller).

const NO_INTENT_MESSAGE =
  "Ce paiement par carte n'a pas de paiement Stripe à rembourser : remboursez-le par virement, puis enregistrez-le.";

export const notRefundableByCard = () => fail("NOT_REFUNDABLE_BY_CARD", NO_INTENT_MESSAGE, { status: 409 });

/**
 * Asks for money back on a payment. A card payment Stripe never gave a PaymentIntent for (nothing was charged, or
 * it predates the id being kept) cannot be refunded through Stripe: refused, for the team to repay it otherwise.
 */
export async function requestRefund(
  tx: Client,
  input: { poleId: string; paymentId: string; amountCents: Cents; reason: string },
): Promise<Result<Refund, "NOT_REFUNDABLE_BY_CARD">> {
  const payment = await tx.payment.findUniqueOrThrow({ where: { id: input.paymentId } });
  if (payment.method === "STRIPE" && !payment.stripePaymentIntentId) return notRefundableByCard();
  return ok(
    await tx.refund.create({
      data: { poleId: input.poleId, paymentId: input.paymentId, amountCents: input.amountCents, reason: input.reason },
    }),
  );
}

/**
 * Money owed back with no one to refuse it to (it came for a target that could no longer take it): a card payment
 * Stripe can refund gets a PENDING refund to ask for; one it cannot gets a FAILED one, which staff repay by
 * transfer and confirm (confirmOfflineRefund).
 */
export async function owedRefund(
  tx: Client,
  input: { poleId: string; paymentId: string; amountCents: Cents; reason: string },
): Promise<{ refund: Refund; askStripe: boolean }> {
  const requested = await requestRefund(tx, input);
  if (requested.ok) return { refund: requested.value, askStripe: true };
  const refund = await tx.refund.create({
    data: { ...input, status: "FAILED", failureReason: NO_INTENT_MESSAGE },
  });
  return { refund, askStripe: false };
}

/** Asks Stripe for a pending card refund (idempotent by the refund's id) and records what Stripe answered. */
export async function executeRefund(
  db: Db,
  stripe: Stripe | null,
  refundId: string,
  now: Date,
  purposes: PurposeHandlers,
) {
  const refund = await db.refund.findUniqueOrThrow({ where: { id: refundId }, include: { payment: true } });
  if (refund.status !== "PENDING" || refund.stripeRefundId || refund.payment.method !== "STRIPE" || !stripe)
    return refund;
  const paymentIntent = refund.payment.stripePaymentIntentId;
  // Asked before requestRefund refused these: Stripe would answer 400 at every sweep. Staff repay it otherwise.
  if (!paymentIntent)
    return db.refund.update({ where: { id: refund.id }, data: { status: "FAILED", failureReason: NO_INTENT_MESSAGE } });
  try {
    const created = await stripe.refunds.create(
      {
        payment_intent: paymentIntent,
        amount: refund.amountCents,
        reason: "requested_by_customer",
        metadata: { refundId: refund.id, poleId: refund.poleId },
      },
      { idempotencyKey: `refund:${refund.id}` },
    );
    await inTransaction(db, (tx) => applyStripeRefund(tx, created, now, purposes));
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeError)) throw error;
    // Left PENDING: the sweeper asks again later; staff see why meanwhile.
    await db.refund.update({ where: { id: refund.id }, data: { failureReason: error.message.slice(0, 500) } });
  }
  return db.refund.findUniqueOrThrow({ where: { id: refundId } });
}

/** Brings a refund row to the state of Stripe's refund object (from its API or a webhook, in any order). */
export async function applyStripeRefund(
  tx: Tx,
  object: Stripe.Refund,
  now: Date,
  purposes: PurposeHandlers,
): Promise<{ outcome: string }> {
  const refundId = object.metadata?.refundId;
  const found = await tx.refund.findFirst({
    where: { OR: [{ stripeRefundId: object.id }, ...(refundId ? [{ id: refundId }] : [])] },
    select: { id: true },
  });
  if (!found) return { outcome: "ignoré : remboursement inconnu" };
  await lockRow(tx, "Refund", { id: found.id });
  const refund = await tx.refund.findUniqueOrThrow({ where: { id: found.id } });
  // A refund that succeeded is final; a failed one only moves if Stripe says it succeeded after all.
  if (refund.status === "SUCCEEDED") return { outcome: "déjà remboursé" };
  if (object.status === "succeeded") {
    const settled = await tx.refund.update({
      where: { id: refund.id },
      data: { status: "SUCCEEDED", stripeRefundId: object.id, settledAt: now, failureReason: null },
    });
    await settleRefund(tx, settled, now, purposes);
    return { outcome: "remboursement passé en comptabilité" };
  }
  if (object.status === "failed" || object.status === "canceled") {
    await tx.refund.update({
      where: { id: refund.id },
      data: { status: "FAILED", stripeRefundId: object.id, failureReason: object.failure_reason ?? object.status },
    });
    return { outcome: "remboursement échoué" };
  }
  await tx.refund.update({ where: { id: refund.id }, data: { stripeRefundId: object.id } });
  return { outcome: "remboursement en attente" };
}

/**
 * Staff record that they gave the money back themselves: an offline payment (transfer, cheque, cash), or a card
 * payment whose Stripe refund failed (then repaid by bank transfer). The refund succeeds.
 */
export async function confirmOfflineRefund(
  client: Client,
  input: { poleId: string; refundId: string; now: Date; staffId: string },
  purposes: PurposeHandlers,
): Promise<Result<Refund>> {
  return inTransaction(client, async (tx) => {
    if (!(await lockRow(tx, "Refund", { id: input.refundId, poleId: input.poleId })))
      return fail("NOT_FOUND", "Ce remboursement n'existe pas.", { status: 404 });
    const refund = await tx.refund.findUniqueOrThrow({ where: { id: input.refundId }, include: { payment: true } });
    if (refund.status === "SUCCEEDED")
      return fail("ALREADY_DONE", "Ce remboursement est déjà enregistré.", { status: 409 });
    const card = refund.payment.method === "STRIPE";
    if (card && refund.status !== "FAILED")
      return fail("CARD_REFUND", "Un remboursement par carte passe par Stripe, pas par l'équipe.", { status: 409 });
    const settled = await tx.refund.update({
      where: { id: refund.id },
      data: { status: "SUCCEEDED", settledAt: input.now },
    });
    await settleRefund(tx, settled, input.now, purposes, {
      createdById: input.staffId,
      fromAccount: card ? METHOD_ACCOUNTS.TRANSFER : undefined,
    });
    return ok(settled);
  });
}

async function settleRefund(
  tx: Tx,
  refund: Refund,
  now: Date,
  purposes: PurposeHandlers,
  by: { createdById?: string; fromAccount?: string } = {},
) {
  const payment = await tx.payment.findUniqueOrThrow({ where: { id: refund.paymentId } });
  const heldOn = await purposes[payment.purpose].refundedFrom?.(tx, payment);
  await bookRefund(tx, refund, payment, now, { ...by, heldOn });
  await purposes[payment.purpose].refunded(tx, payment, refund, now);
}

async function bookRefund(
  tx: Tx,
  refund: Refund,
  payment: Payment,
  now: Date,
  by: { createdById?: string; fromAccount?: string; heldOn?: { account: string; amount: Cents }[] },
) {
  const date = parisDate(now);
  const createdById = by.createdById;
  // The account the money leaves from: the one it came into, unless the team repaid a card by transfer.
  const from = by.fromAccount ?? moneyAccount(payment.method);
  if (!payment.invoiceId) {
    await post(tx, {
      poleId: refund.poleId,
      sourceKey: `refund:${refund.id}`,
      date,
      journal: "BQ",
      label: `Remboursement — ${refund.reason}`,
      pieceRef: refund.stripeRefundId ?? refund.id,
      createdById,
      lines: [...heldLines(by.heldOn, refund, payment.personId), { account: from, credit: cents(refund.amountCents) }],
    });
    return;
  }
  const invoice = await tx.invoice.findUniqueOrThrow({
    where: { id: payment.invoiceId },
    include: { lines: { orderBy: { position: "asc" } } },
  });
  const [first] = invoice.lines;
  // The whole invoice: the credit note repeats its lines. Part of it (a late-cancellation fee kept): one line.
  const lines =
    refund.amountCents === invoice.totalInclTax
      ? undefined
      : [
          {
            description: `Remboursement partiel — ${refund.reason}`,
            quantity: 1,
            unitInclTax: cents(refund.amountCents),
            vatRateBp: first.vatRateBp,
            accountCode: first.accountCode,
          },
        ];
  await issueCreditNote(tx, {
    poleId: refund.poleId,
    invoiceId: invoice.id,
    sourceKey: `refund:${refund.id}`,
    issueDate: date,
    reason: refund.reason,
    lines,
    receivableAccount: from,
    createdById,
  });
}

/**
 * The debit side of a refund without an invoice: the accounts the stream held the money on, for the whole of it
 * (a partial refund of such money takes the unapplied account), else the unapplied account.
 */
function heldLines(heldOn: { account: string; amount: Cents }[] | undefined, refund: Refund, personId: string) {
  const whole = heldOn?.length && heldOn.reduce((sum, l) => sum + l.amount, 0) === refund.amountCents;
  const lines = whole ? heldOn : [{ account: UNAPPLIED_ACCOUNT, amount: cents(refund.amountCents) }];
  return lines.map((l) => ({ account: l.account, debit: l.amount, thirdPartyPersonId: personId }));
}
