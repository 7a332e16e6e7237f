-- CreateEnum
CREATE TYPE "CampaignMode" AS ENUM ('ALL_OR_NOTHING', 'KEEP_IT_ALL');

-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'CLOSING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "TierKind" AS ENUM ('GIFT', 'REWARD', 'SHARE');

-- CreateEnum
CREATE TYPE "PledgeStatus" AS ENUM ('PENDING', 'SECURED', 'COLLECTED', 'ACTION_REQUIRED', 'LAPSED', 'CANCELLED', 'REFUNDED');

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "story" TEXT NOT NULL DEFAULT '',
    "goalCents" INTEGER NOT NULL,
    "minimumCents" INTEGER,
    "optimumCents" INTEGER,
    "mode" "CampaignMode" NOT NULL,
    "status" "CampaignStatus" NOT NULL DEFAULT 'DRAFT',
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "closedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignTier" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "kind" "TierKind" NOT NULL,
    "priceCents" INTEGER NOT NULL,
    "symbolic" BOOLEAN NOT NULL DEFAULT false,
    "vatRateBp" INTEGER NOT NULL DEFAULT 0,
    "cap" INTEGER,
    "claimed" INTEGER NOT NULL DEFAULT 0,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CampaignTier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Pledge" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "tierId" TEXT,
    "personId" TEXT NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "giftCents" INTEGER NOT NULL DEFAULT 0,
    "anonymous" BOOLEAN NOT NULL DEFAULT false,
    "status" "PledgeStatus" NOT NULL DEFAULT 'PENDING',
    "idempotencyKey" TEXT NOT NULL,
    "cancelledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Pledge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_poleId_slug_key" ON "Campaign"("poleId", "slug");

-- CreateIndex
CREATE INDEX "Pledge_campaignId_status_idx" ON "Pledge"("campaignId", "status");

-- CreateIndex
CREATE INDEX "Pledge_personId_idx" ON "Pledge"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "Pledge_poleId_idempotencyKey_key" ON "Pledge"("poleId", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignTier" ADD CONSTRAINT "CampaignTier_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pledge" ADD CONSTRAINT "Pledge_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pledge" ADD CONSTRAINT "Pledge_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pledge" ADD CONSTRAINT "Pledge_tierId_fkey" FOREIGN KEY ("tierId") REFERENCES "CampaignTier"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pledge" ADD CONSTRAINT "Pledge_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written (decision 019). A capped tier never sells more than its cap: places are claimed by a conditional
-- UPDATE in the pledge's transaction, and this CHECK holds the counter whatever a query does.
ALTER TABLE "CampaignTier" ADD CONSTRAINT "CampaignTier_claimed_within_cap"
  CHECK ("claimed" >= 0 AND ("cap" IS NULL OR ("cap" > 0 AND "claimed" <= "cap")));
ALTER TABLE "CampaignTier" ADD CONSTRAINT "CampaignTier_amounts"
  CHECK ("priceCents" >= 0 AND "priceCents" <= 1000000000 AND "vatRateBp" >= 0 AND "vatRateBp" <= 10000);
-- A campaign ends after it starts, and aims at something; its minimum is at most its goal, its optimum at least.
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_dates" CHECK ("endsAt" > "startsAt");
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_goals" CHECK (
  "goalCents" > 0 AND "goalCents" <= 1000000000
  AND ("minimumCents" IS NULL OR ("minimumCents" > 0 AND "minimumCents" <= "goalCents"))
  AND ("optimumCents" IS NULL OR ("optimumCents" >= "goalCents" AND "optimumCents" <= 1000000000)));
-- A pledge is money: positive, under the per-row ceiling of decision 018.
ALTER TABLE "Pledge" ADD CONSTRAINT "Pledge_amounts" CHECK (
  "amountCents" > 0 AND "amountCents" <= 1000000000 AND "giftCents" >= 0 AND "giftCents" <= 1000000000);
