import type { PaymentMethod } from "~/generated/prisma/enums";

// Where each way of paying lands in the books (PCG): Stripe's balance is a clearing account until the payout.
export const METHOD_ACCOUNTS: Record<Exclude<PaymentMethod, "PASS">, string> = {
  STRIPE: "517000",
  TRANSFER: "512000",
  CHEQUE: "511200",
  CASH: "530000",
};

export const METHOD_LABELS: Record<PaymentMethod, string> = {
  STRIPE: "Carte bancaire (Stripe)",
  TRANSFER: "Virement",
  CHEQUE: "Chèque",
  CASH: "Espèces",
  PASS: "Carnet",
};

export const OFFLINE_METHODS = ["TRANSFER", "CHEQUE", "CASH"] as const;
export type OfflineMethod = (typeof OFFLINE_METHODS)[number];

/** Money received for nothing (a booking cancelled before its payment arrived) waits here until refunded. */
export const UNAPPLIED_ACCOUNT = "467000";
export const BANK_CHARGES_ACCOUNT = "627000";
