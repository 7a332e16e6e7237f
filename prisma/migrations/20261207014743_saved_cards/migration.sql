-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "offSession" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Pledge" ADD COLUMN     "creditsRecognised" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "recognisedAt" TIMESTAMPTZ(3);



-- Hand-written: an off-session charge is a card payment that never has a Checkout page.
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_off_session"
  CHECK (NOT "offSession" OR ("method"::text = 'STRIPE' AND "stripeSessionId" IS NULL));
