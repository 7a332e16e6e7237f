import type { PaymentMethod } from "~/generated/prisma/enums";

/**
 * The ways money comes in, each landing in an account of its own. A stream may have a way of paying that moves no
 * money (credits bought earlier): it is a PaymentMethod too, but not one of these, and the stream labels it.
 */
export const MONEY_METHODS = ["STRIPE", "TRANSFER", "CHEQUE", "CASH"] as const satisfies readonly PaymentMethod[];
export type MoneyMethod = (typeof MONEY_METHODS)[number];

export const isMoneyMethod = (method: PaymentMethod): method is MoneyMethod =>
  (MONEY_METHODS as readonly string[]).includes(method);

// Where each way of paying lands in the books (PCG): Stripe's balance is a clearing account until the payout.
export const METHOD_ACCOUNTS: Record<MoneyMethod, string> = {
  STRIPE: "517000",
  TRANSFER: "512000",
  CHEQUE: "511200",
  CASH: "530000",
};

export const METHOD_LABELS: Record<MoneyMethod, string> = {
  STRIPE: "Carte bancaire (Stripe)",
  TRANSFER: "Virement",
  CHEQUE: "Chèque",
  CASH: "Espèces",
};

export const OFFLINE_METHODS = ["TRANSFER", "CHEQUE", "CASH"] as const satisfies readonly MoneyMethod[];
export type OfflineMethod = (typeof OFFLINE_METHODS)[number];

/** Money received for nothing (what it paid for was no longer payable when it arrived) waits here until refunded. */
export const UNAPPLIED_ACCOUNT = "467000";
export const BANK_CHARGES_ACCOUNT = "627000";
