import type Stripe from "stripe";
import type { Payment, Refund } from "~/generated/prisma/client";
import type { PaymentPurpose } from "~/generated/prisma/enums";
import type { Prisma, Tx } from "~/utils/db.server";
import type { Cents } from "~/domain/money";
import type { Effects } from "./effects";

// What a payment is for belongs to the stream that takes it; payments knows it only through the stream's purpose
// handler, registered in app/domain/streams.server.ts and handed to payments by whoever calls it.

/**
 * The Payment columns that say what a payment is for: its `…Id` columns but the payment's own. Each stream's
 * foreign key is one of them (the database keeps the reference), named here by no one: a handler gives its own.
 */
export type TargetColumn = Exclude<
  Extract<keyof Payment, `${string}Id`>,
  "poleId" | "personId" | "invoiceId" | "confirmedById" | "stripeSessionId" | "stripePaymentIntentId"
>;

/** The Payment columns of one target, e.g. `{ [column]: id }`: spread into a payment's where or data. */
export type PaymentTarget = Partial<Record<TargetColumn, string>>;

export type PaymentOutcome = Effects & { outcome: string };

/** `owedBack`: the money came for a target that can no longer take it; payments books it as owed and refunds it. */
export type PaidOutcome = PaymentOutcome & { owedBack?: { reason: string } };

export type PurposeHandler = {
  /** Its code on the Payment row. */
  purpose: PaymentPurpose;
  /** The Payment column holding the id of what it pays for (the stream's foreign key). */
  targetColumn: TargetColumn;
  /**
   * Which of its payments are for a target that can still be paid by card, as a filter on Payment: the sweep
   * closes the Checkout page of any other (a hold that lapsed, an order cancelled, a debt settled another way).
   */
  stillPayable: Prisma.PaymentWhereInput;
  /** The label of the receipt of money that came when its target could no longer take it (owed back). */
  receiptLabel: string;
  /**
   * The ways its Checkout page offers; card only when absent. A method that settles days later (SEPA Direct
   * Debit) suits only a target that can wait that long for its money.
   */
  paymentMethodTypes?: readonly PaymentMethodType[];
  /** The money is in: the payment is SUCCEEDED already, in this transaction; the target follows. */
  paid(tx: Tx, payment: Payment, now: Date): Promise<PaidOutcome>;
  /**
   * The Checkout page was completed with money that settles later (a debit): the payment stays PENDING, marked
   * processing, until Stripe says it succeeded (`paid`) or failed (`failed`). Keeps the target for it meanwhile;
   * absent, the target is left as it is. Runs once per payment.
   */
  processing?(tx: Tx, payment: Payment, now: Date): Promise<PaymentOutcome>;
  /**
   * A card was saved for later on a Checkout page in setup mode (openSetupCheckout), to be charged off-session
   * (chargeSavedCard). Absent, the purpose saves no cards. Runs for each completed setup session; idempotent.
   */
  cardSaved?(tx: Tx, saved: SavedCard, now: Date): Promise<PaymentOutcome>;
  /** The Checkout page was completed but the money did not come (the payment is FAILED). */
  failed(tx: Tx, payment: Payment, now: Date): Promise<PaymentOutcome>;
  /** The Checkout session lapsed unpaid while its target waited for it (the payment is CANCELLED). */
  expired(tx: Tx, payment: Payment, now: Date): Promise<PaymentOutcome>;
  /**
   * Where money of a payment without an invoice was held while owed, for its refund to debit: absent, the
   * unapplied account (money that came for nothing). A stream that holds what it receives as a liability (an
   * advance) says which.
   */
  refundedFrom?(tx: Tx, payment: Payment): Promise<{ account: string; amount: Cents }[]>;
  /** A refund of one of its payments succeeded, in the transaction that booked it (credit note or repayment). */
  refunded(tx: Tx, payment: Payment, refund: Refund, now: Date): Promise<void>;
  /**
   * The sweep drops its card payments that never got a Checkout page. Without this, `drop` is all that happens; a
   * stream whose target exists only for such a payment (an order to pay by card) locks it, drops, and follows up.
   * Returns how many payments went.
   */
  unopened?(tx: Tx, input: { payment: Payment; now: Date; drop: () => Promise<number> }): Promise<number>;
};

/** A card saved for a target: the Stripe customer it is attached to and the payment method to charge. */
export type SavedCard = { targetId: string; sessionId: string; customerId: string; paymentMethodId: string };

export type PaymentMethodType = Stripe.Checkout.SessionCreateParams.AllowedPaymentMethodType;

export type PurposeHandlers = Readonly<Record<PaymentPurpose, PurposeHandler>>;

export const targetOf = (handler: PurposeHandler, id: string): PaymentTarget => ({ [handler.targetColumn]: id });

export const targetIdOf = (handler: PurposeHandler, payment: Payment) => payment[handler.targetColumn];
