-- CreateEnum
CREATE TYPE "RewardKind" AS ENUM ('BOOKLET', 'TRAINING_CREDIT', 'OTHER');

-- AlterEnum
ALTER TYPE "PaymentPurpose" ADD VALUE 'PLEDGE';

-- AlterTable
ALTER TABLE "Pole" ADD COLUMN     "pledgeGraceDays" INTEGER NOT NULL DEFAULT 7,
ADD COLUMN     "registerVisibleToMembers" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "taxReceiptEligible" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "pledgeId" TEXT;

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "collectedCents" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "finalCollectedCents" INTEGER,
ADD COLUMN     "finalCount" INTEGER,
ADD COLUMN     "finalPledgedCents" INTEGER,
ADD COLUMN     "imageUrl" TEXT,
ADD COLUMN     "maxPledgeCents" INTEGER,
ADD COLUMN     "succeeded" BOOLEAN;

-- AlterTable
ALTER TABLE "CampaignTier" ADD COLUMN     "college" TEXT,
ADD COLUMN     "minShares" INTEGER,
ADD COLUMN     "passProductId" TEXT,
ADD COLUMN     "rewardKind" "RewardKind",
ADD COLUMN     "shareNominalCents" INTEGER;

-- AlterTable
ALTER TABLE "Pledge" ADD COLUMN     "admittedAt" TIMESTAMPTZ(3),
ADD COLUMN     "collectedAt" TIMESTAMPTZ(3),
ADD COLUMN     "collectedCents" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "fulfilledAt" TIMESTAMPTZ(3),
ADD COLUMN     "graceEndsAt" TIMESTAMPTZ(3),
ADD COLUMN     "invoiceId" TEXT,
ADD COLUMN     "method" "PaymentMethod" NOT NULL DEFAULT 'STRIPE',
ADD COLUMN     "passId" TEXT,
ADD COLUMN     "securedAt" TIMESTAMPTZ(3),
ADD COLUMN     "shares" INTEGER,
ADD COLUMN     "stripeCustomerId" TEXT,
ADD COLUMN     "stripePaymentMethodId" TEXT,
ADD COLUMN     "stripeSetupSessionId" TEXT;

-- CreateTable
CREATE TABLE "CampaignNews" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL,
    "authorId" TEXT,

    CONSTRAINT "CampaignNews_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CampaignNews_campaignId_publishedAt_idx" ON "CampaignNews"("campaignId", "publishedAt");

-- CreateIndex
CREATE INDEX "Payment_pledgeId_idx" ON "Payment"("pledgeId");

-- CreateIndex
CREATE UNIQUE INDEX "Pledge_stripeSetupSessionId_key" ON "Pledge"("stripeSetupSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "Pledge_passId_key" ON "Pledge"("passId");

-- CreateIndex
CREATE UNIQUE INDEX "Pledge_invoiceId_key" ON "Pledge"("invoiceId");

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_pledgeId_fkey" FOREIGN KEY ("pledgeId") REFERENCES "Pledge"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignTier" ADD CONSTRAINT "CampaignTier_passProductId_fkey" FOREIGN KEY ("passProductId") REFERENCES "PassProduct"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignNews" ADD CONSTRAINT "CampaignNews_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pledge" ADD CONSTRAINT "Pledge_passId_fkey" FOREIGN KEY ("passId") REFERENCES "Pass"("id") ON DELETE RESTRICT ON UPDATE CASCADE;



-- Hand-written (decision 019). A payment is for exactly one target, now pledges too; one open payment per pledge.
-- (Compared as text: a value added to an enum cannot be used in the transaction that adds it.)
ALTER TABLE "Payment" DROP CONSTRAINT "Payment_purpose";
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_purpose" CHECK (
  ("purpose"::text = 'BOOKING' AND "bookingId" IS NOT NULL AND "passId" IS NULL AND "instalmentId" IS NULL AND "pledgeId" IS NULL)
  OR ("purpose"::text = 'PASS' AND "passId" IS NOT NULL AND "bookingId" IS NULL AND "instalmentId" IS NULL AND "pledgeId" IS NULL)
  OR ("purpose"::text = 'INSTALMENT' AND "instalmentId" IS NOT NULL AND "bookingId" IS NULL AND "passId" IS NULL AND "pledgeId" IS NULL)
  OR ("purpose"::text = 'PLEDGE' AND "pledgeId" IS NOT NULL AND "bookingId" IS NULL AND "passId" IS NULL AND "instalmentId" IS NULL));
CREATE UNIQUE INDEX "Payment_one_open_per_pledge" ON "Payment" ("pledgeId") WHERE "status" = 'PENDING' AND "pledgeId" IS NOT NULL;

-- Money received never exceeds what was pledged, per pledge; per campaign it stays under the stated ceiling.
ALTER TABLE "Pledge" ADD CONSTRAINT "Pledge_collected"
  CHECK ("collectedCents" >= 0 AND "collectedCents" <= "amountCents" + "giftCents");
ALTER TABLE "Pledge" ADD CONSTRAINT "Pledge_shares" CHECK ("shares" IS NULL OR "shares" >= 1);
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_collected"
  CHECK ("collectedCents" >= 0 AND "collectedCents" <= 1000000000);
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_max_pledge"
  CHECK ("maxPledgeCents" IS NULL OR ("maxPledgeCents" > 0 AND "maxPledgeCents" <= 1000000000));
-- A share tier states its nominal value and minimum; the price is their product.
ALTER TABLE "CampaignTier" ADD CONSTRAINT "CampaignTier_shares" CHECK (
  "kind"::text <> 'SHARE'
  OR ("shareNominalCents" > 0 AND "minShares" >= 1 AND "priceCents" = "shareNominalCents" * "minShares"));

-- Deferred revenue (booklets and training credits given as rewards are recognised as they are used).
INSERT INTO "Account" ("id", "poleId", "code", "label", "createdAt")
SELECT 'acc' || md5(random()::text || p."id"), p."id", '487000', 'Produits constatés d''avance', now()
FROM "Pole" p
ON CONFLICT ("poleId", "code") DO NOTHING;
