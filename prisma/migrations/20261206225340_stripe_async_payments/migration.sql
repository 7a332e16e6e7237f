-- A Checkout completed with money still to settle (SEPA Direct Debit) stays PENDING, marked processing, until
-- Stripe says it succeeded or failed (decision 017).
-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "processingAt" TIMESTAMPTZ(3);
