-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "pledgeCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "pledgedCents" INTEGER NOT NULL DEFAULT 0;


-- Hand-written (decisions 018, 019): a campaign's progress is a sum over its pledges, held to the same stated
-- ceiling as one amount — 10 000 000,00 € raised per campaign — so it never overflows; pledging past it is refused.
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_progress"
  CHECK ("pledgedCents" >= 0 AND "pledgedCents" <= 1000000000 AND "pledgeCount" >= 0);
