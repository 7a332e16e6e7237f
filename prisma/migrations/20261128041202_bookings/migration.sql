-- CreateEnum
CREATE TYPE "ResourceKind" AS ENUM ('DESK', 'ROOM');

-- CreateEnum
CREATE TYPE "RateUnit" AS ENUM ('HOUR', 'HALF_DAY', 'DAY');

-- CreateEnum
CREATE TYPE "BookingKind" AS ENUM ('BOOKING', 'CLOSURE');

-- CreateEnum
CREATE TYPE "BookingStatus" AS ENUM ('HELD', 'AWAITING_PAYMENT', 'CONFIRMED', 'CANCELLED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "PaymentMethod" AS ENUM ('STRIPE', 'TRANSFER', 'CHEQUE', 'CASH', 'PASS');

-- CreateEnum
CREATE TYPE "PaymentPurpose" AS ENUM ('BOOKING', 'PASS');

-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "RefundStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "PassStatus" AS ENUM ('PENDING', 'ACTIVE', 'CANCELLED');

-- CreateEnum
CREATE TYPE "WaitlistKind" AS ENUM ('RESOURCE_SLOT', 'PLOT', 'TRAINING_SEAT');

-- CreateEnum
CREATE TYPE "WaitlistStatus" AS ENUM ('WAITING', 'NOTIFIED', 'OFFERED', 'FULFILLED', 'LAPSED', 'CANCELLED');

-- AlterTable
ALTER TABLE "Pole" ADD COLUMN     "cancellationDeadlineHours" INTEGER NOT NULL DEFAULT 24,
ADD COLUMN     "holdMinutes" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "lateCancellationFeePercent" INTEGER NOT NULL DEFAULT 50;

-- CreateTable
CREATE TABLE "Space" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "building" TEXT NOT NULL DEFAULT '',
    "floor" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "photo" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Space_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Resource" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "spaceId" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "kind" "ResourceKind" NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "capacity" INTEGER NOT NULL DEFAULT 1,
    "equipment" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "photo" TEXT,
    "openingHours" JSONB,
    "slotMinutes" INTEGER NOT NULL DEFAULT 30,
    "minMinutes" INTEGER NOT NULL DEFAULT 60,
    "maxMinutes" INTEGER NOT NULL DEFAULT 600,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Resource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResourceRate" (
    "resourceId" TEXT NOT NULL,
    "unit" "RateUnit" NOT NULL,
    "memberCents" INTEGER NOT NULL,
    "publicCents" INTEGER NOT NULL,

    CONSTRAINT "ResourceRate_pkey" PRIMARY KEY ("resourceId","unit")
);

-- CreateTable
CREATE TABLE "Booking" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "kind" "BookingKind" NOT NULL DEFAULT 'BOOKING',
    "personId" TEXT,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "status" "BookingStatus" NOT NULL,
    "holdExpiresAt" TIMESTAMPTZ(3),
    "priceCents" INTEGER NOT NULL DEFAULT 0,
    "memberRate" BOOLEAN NOT NULL DEFAULT false,
    "priceDetail" JSONB NOT NULL DEFAULT '[]',
    "paymentMethod" "PaymentMethod",
    "passId" TEXT,
    "passCredits" INTEGER NOT NULL DEFAULT 0,
    "idempotencyKey" TEXT NOT NULL,
    "bookedById" TEXT,
    "reason" TEXT,
    "confirmedAt" TIMESTAMPTZ(3),
    "cancelledAt" TIMESTAMPTZ(3),
    "cancelledById" TEXT,
    "cancellationFeeCents" INTEGER,
    "noShow" BOOLEAN NOT NULL DEFAULT false,
    "freedNotifiedAt" TIMESTAMPTZ(3),
    "invoiceId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Booking_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PassProduct" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "credits" INTEGER NOT NULL,
    "validityMonths" INTEGER NOT NULL,
    "memberCents" INTEGER NOT NULL,
    "publicCents" INTEGER NOT NULL,
    "resourceKind" "ResourceKind" NOT NULL DEFAULT 'DESK',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PassProduct_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Pass" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "credits" INTEGER NOT NULL,
    "creditsUsed" INTEGER NOT NULL DEFAULT 0,
    "resourceKind" "ResourceKind" NOT NULL DEFAULT 'DESK',
    "status" "PassStatus" NOT NULL,
    "priceCents" INTEGER NOT NULL,
    "memberRate" BOOLEAN NOT NULL DEFAULT false,
    "validityMonths" INTEGER NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "activatedAt" TIMESTAMPTZ(3),
    "expiresAt" TIMESTAMPTZ(3),
    "invoiceId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Pass_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Payment" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "purpose" "PaymentPurpose" NOT NULL,
    "bookingId" TEXT,
    "passId" TEXT,
    "personId" TEXT NOT NULL,
    "method" "PaymentMethod" NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "status" "PaymentStatus" NOT NULL DEFAULT 'PENDING',
    "stripeSessionId" TEXT,
    "stripePaymentIntentId" TEXT,
    "feeCents" INTEGER,
    "reference" TEXT,
    "invoiceId" TEXT,
    "confirmedById" TEXT,
    "confirmedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Refund" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "paymentId" TEXT NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "status" "RefundStatus" NOT NULL DEFAULT 'PENDING',
    "stripeRefundId" TEXT,
    "reason" TEXT NOT NULL,
    "failureReason" TEXT,
    "settledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Refund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StripeEvent" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "livemode" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMPTZ(3),
    "outcome" TEXT,

    CONSTRAINT "StripeEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WaitlistEntry" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "kind" "WaitlistKind" NOT NULL,
    "personId" TEXT NOT NULL,
    "resourceId" TEXT,
    "startsAt" TIMESTAMPTZ(3),
    "endsAt" TIMESTAMPTZ(3),
    "status" "WaitlistStatus" NOT NULL DEFAULT 'WAITING',
    "notifiedAt" TIMESTAMPTZ(3),
    "offerExpiresAt" TIMESTAMPTZ(3),
    "fulfilledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WaitlistEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarFeed" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "CalendarFeed_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Space_poleId_slug_key" ON "Space"("poleId", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "Space_id_poleId_key" ON "Space"("id", "poleId");

-- CreateIndex
CREATE INDEX "Resource_spaceId_idx" ON "Resource"("spaceId");

-- CreateIndex
CREATE UNIQUE INDEX "Resource_poleId_slug_key" ON "Resource"("poleId", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "Resource_id_poleId_key" ON "Resource"("id", "poleId");

-- CreateIndex
CREATE UNIQUE INDEX "Booking_invoiceId_key" ON "Booking"("invoiceId");

-- CreateIndex
CREATE INDEX "Booking_personId_startsAt_idx" ON "Booking"("personId", "startsAt");

-- CreateIndex
CREATE INDEX "Booking_poleId_startsAt_idx" ON "Booking"("poleId", "startsAt");

-- CreateIndex
CREATE INDEX "Booking_status_holdExpiresAt_idx" ON "Booking"("status", "holdExpiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Booking_poleId_idempotencyKey_key" ON "Booking"("poleId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "Pass_invoiceId_key" ON "Pass"("invoiceId");

-- CreateIndex
CREATE INDEX "Pass_personId_expiresAt_idx" ON "Pass"("personId", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Pass_poleId_idempotencyKey_key" ON "Pass"("poleId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_stripeSessionId_key" ON "Payment"("stripeSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_stripePaymentIntentId_key" ON "Payment"("stripePaymentIntentId");

-- CreateIndex
CREATE INDEX "Payment_bookingId_idx" ON "Payment"("bookingId");

-- CreateIndex
CREATE INDEX "Payment_passId_idx" ON "Payment"("passId");

-- CreateIndex
CREATE INDEX "Payment_poleId_status_idx" ON "Payment"("poleId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Refund_stripeRefundId_key" ON "Refund"("stripeRefundId");

-- CreateIndex
CREATE INDEX "Refund_paymentId_idx" ON "Refund"("paymentId");

-- CreateIndex
CREATE INDEX "WaitlistEntry_poleId_kind_resourceId_status_idx" ON "WaitlistEntry"("poleId", "kind", "resourceId", "status");

-- CreateIndex
CREATE INDEX "WaitlistEntry_personId_idx" ON "WaitlistEntry"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "CalendarFeed_token_key" ON "CalendarFeed"("token");

-- CreateIndex
CREATE INDEX "CalendarFeed_personId_idx" ON "CalendarFeed"("personId");

-- AddForeignKey
ALTER TABLE "Space" ADD CONSTRAINT "Space_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Resource" ADD CONSTRAINT "Resource_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Resource" ADD CONSTRAINT "Resource_spaceId_poleId_fkey" FOREIGN KEY ("spaceId", "poleId") REFERENCES "Space"("id", "poleId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceRate" ADD CONSTRAINT "ResourceRate_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "Resource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_resourceId_poleId_fkey" FOREIGN KEY ("resourceId", "poleId") REFERENCES "Resource"("id", "poleId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_passId_fkey" FOREIGN KEY ("passId") REFERENCES "Pass"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PassProduct" ADD CONSTRAINT "PassProduct_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pass" ADD CONSTRAINT "Pass_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pass" ADD CONSTRAINT "Pass_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pass" ADD CONSTRAINT "Pass_productId_fkey" FOREIGN KEY ("productId") REFERENCES "PassProduct"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_bookingId_fkey" FOREIGN KEY ("bookingId") REFERENCES "Booking"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_passId_fkey" FOREIGN KEY ("passId") REFERENCES "Pass"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WaitlistEntry" ADD CONSTRAINT "WaitlistEntry_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WaitlistEntry" ADD CONSTRAINT "WaitlistEntry_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarFeed" ADD CONSTRAINT "CalendarFeed_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarFeed" ADD CONSTRAINT "CalendarFeed_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- ─── Hand-written (docs/decisions/007-bookings.md) ─────────────────────────────────────────────────────────

-- The guarantee that a desk or room is never booked twice: no two live rows (bookings or closures) of one
-- resource overlap over [startsAt, endsAt). Cancelled bookings and expired holds leave the constraint through
-- the predicate. A hold past its expiry is still live until it is marked EXPIRED: every booking transaction
-- expires the stale holds it overlaps before it inserts. The application's own check only words the message;
-- a concurrent insert that slips past it fails here with 23P01 (exclusion_violation). btree_gist (installed by
-- the ledger migration) lets the index mix equality on the resource with range overlap.
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_no_overlap"
  EXCLUDE USING gist ("resourceId" WITH =, tstzrange("startsAt", "endsAt", '[)') WITH &&)
  WHERE ("status" IN ('HELD', 'AWAITING_PAYMENT', 'CONFIRMED'));

ALTER TABLE "Booking" ADD CONSTRAINT "Booking_range" CHECK ("endsAt" > "startsAt");
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_amounts"
  CHECK ("priceCents" >= 0 AND "passCredits" >= 0 AND coalesce("cancellationFeeCents", 0) >= 0);
-- A booking has a person; a closure has a reason and no price.
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_kind_fields" CHECK (
  ("kind" = 'BOOKING' AND "personId" IS NOT NULL)
  OR ("kind" = 'CLOSURE' AND "personId" IS NULL AND "priceCents" = 0 AND "reason" IS NOT NULL));
-- A hold says until when; a pass booking says which pass and how many credits.
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_hold_expiry" CHECK ("status" <> 'HELD' OR "holdExpiresAt" IS NOT NULL);
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_pass" CHECK (("passId" IS NULL) = ("passCredits" = 0));

-- Rates, resources and booklets hold sane numbers.
ALTER TABLE "ResourceRate" ADD CONSTRAINT "ResourceRate_amounts" CHECK ("memberCents" >= 0 AND "publicCents" >= 0);
ALTER TABLE "Resource" ADD CONSTRAINT "Resource_numbers" CHECK (
  "capacity" >= 1 AND "slotMinutes" BETWEEN 5 AND 1440 AND "minMinutes" >= "slotMinutes" AND "maxMinutes" >= "minMinutes");
ALTER TABLE "PassProduct" ADD CONSTRAINT "PassProduct_numbers" CHECK (
  "credits" > 0 AND "validityMonths" > 0 AND "memberCents" >= 0 AND "publicCents" >= 0);
-- A booklet never spends more than it holds: spending is `UPDATE … SET creditsUsed = creditsUsed + n` and this
-- check refuses the one that would overdraw it, whatever the interleaving.
ALTER TABLE "Pass" ADD CONSTRAINT "Pass_credits" CHECK ("creditsUsed" BETWEEN 0 AND "credits" AND "priceCents" >= 0);

ALTER TABLE "Payment" ADD CONSTRAINT "Payment_amounts" CHECK ("amountCents" >= 0 AND coalesce("feeCents", 0) >= 0);
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_purpose" CHECK (
  ("purpose" = 'BOOKING' AND "bookingId" IS NOT NULL AND "passId" IS NULL)
  OR ("purpose" = 'PASS' AND "passId" IS NOT NULL AND "bookingId" IS NULL));
-- One open payment per booking or pass: a double submission cannot open two checkouts. (Two succeeded payments
-- can happen — two Checkout pages paid — and must be recorded: the second is refunded.)
CREATE UNIQUE INDEX "Payment_one_open_per_booking" ON "Payment" ("bookingId") WHERE "status" = 'PENDING' AND "bookingId" IS NOT NULL;
CREATE UNIQUE INDEX "Payment_one_open_per_pass" ON "Payment" ("passId") WHERE "status" = 'PENDING' AND "passId" IS NOT NULL;
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_amount" CHECK ("amountCents" > 0);

-- Pole policy.
-- A hold lasts at most 30 minutes: a Stripe Checkout page stays open 31, and its expiry releases the hold.
ALTER TABLE "Pole" ADD CONSTRAINT "Pole_booking_policy" CHECK (
  "cancellationDeadlineHours" BETWEEN 0 AND 720 AND "lateCancellationFeePercent" BETWEEN 0 AND 100 AND "holdMinutes" BETWEEN 1 AND 30);

-- A person waits once for a given slot; a person has one live calendar address per pole.
CREATE UNIQUE INDEX "WaitlistEntry_one_live" ON "WaitlistEntry" ("kind", "personId", "resourceId", "startsAt", "endsAt")
  WHERE "status" IN ('WAITING', 'NOTIFIED', 'OFFERED');
ALTER TABLE "WaitlistEntry" ADD CONSTRAINT "WaitlistEntry_slot" CHECK (
  "kind" <> 'RESOURCE_SLOT' OR ("resourceId" IS NOT NULL AND "startsAt" IS NOT NULL AND "endsAt" > "startsAt"));
CREATE UNIQUE INDEX "CalendarFeed_one_live" ON "CalendarFeed" ("poleId", "personId") WHERE "revokedAt" IS NULL;

-- A booking's and a booklet's invoice exist (and, invoices being append-only, stay).
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "Invoice"("id") ON DELETE RESTRICT;
ALTER TABLE "Pass" ADD CONSTRAINT "Pass_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "Invoice"("id") ON DELETE RESTRICT;
ALTER TABLE "WaitlistEntry" ADD CONSTRAINT "WaitlistEntry_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "Resource"("id") ON DELETE CASCADE;
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "Invoice"("id") ON DELETE RESTRICT;
-- The sweeper finds the freed slots it has not told the waiting list about yet.
CREATE INDEX "Booking_freed_unnotified" ON "Booking" ("endsAt") WHERE "freedNotifiedAt" IS NULL AND "status" IN ('CANCELLED', 'EXPIRED');
