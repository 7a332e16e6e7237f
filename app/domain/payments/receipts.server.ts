import type { Payment, PaymentMethod } from "~/generated/prisma/client";
import { parisDate, post } from "~/domain/ledger/index.server";
import { cents, type Cents } from "~/domain/money";
import type { Client } from "~/utils/db.server";
import { BANK_CHARGES_ACCOUNT, isMoneyMethod, METHOD_ACCOUNTS, UNAPPLIED_ACCOUNT } from "./methods";

// The bank side of payments in the books. A paid sale is posted by its invoice (debiting the account the money
// landed in), so only what has no invoice is posted here: Stripe's fee, and money that came in for nothing.

export const moneyAccount = (method: PaymentMethod) => {
  if (!isMoneyMethod(method)) throw new Error(`${method} n'est pas un moyen d'encaissement`);
  return METHOD_ACCOUNTS[method];
};

/** Stripe's fee on a card payment, as bank charges against the Stripe clearing account. */
export function postStripeFee(tx: Client, payment: Payment, feeCents: Cents, now: Date) {
  return post(tx, {
    poleId: payment.poleId,
    sourceKey: `stripe-fee:${payment.stripePaymentIntentId ?? payment.id}`,
    date: parisDate(now),
    journal: "BQ",
    label: `Frais Stripe — paiement ${payment.stripePaymentIntentId ?? payment.id}`,
    pieceRef: payment.stripePaymentIntentId ?? payment.id,
    lines: [
      { account: BANK_CHARGES_ACCOUNT, debit: feeCents },
      { account: METHOD_ACCOUNTS.STRIPE, credit: feeCents },
    ],
  });
}

/**
 * Money received for a target that could no longer take it: owed back to the payer until the refund goes through.
 * `label` is the purpose handler's `receiptLabel`.
 */
export function postUnappliedReceipt(tx: Client, payment: Payment, now: Date, label: string) {
  return post(tx, {
    poleId: payment.poleId,
    sourceKey: `payment:${payment.id}:unapplied`,
    date: parisDate(now),
    journal: "BQ",
    label,
    pieceRef: payment.stripePaymentIntentId ?? payment.id,
    lines: [
      { account: moneyAccount(payment.method), debit: cents(payment.amountCents) },
      { account: UNAPPLIED_ACCOUNT, credit: cents(payment.amountCents), thirdPartyPersonId: payment.personId },
    ],
  });
}
