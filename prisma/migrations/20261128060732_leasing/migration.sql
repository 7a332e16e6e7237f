-- CreateEnum
CREATE TYPE "WaitlistEventKind" AS ENUM ('JOINED', 'NOTE', 'MOVED', 'OFFERED', 'ACCEPTED', 'DECLINED', 'OFFER_EXPIRED', 'RECONFIRM_ASKED', 'RECONFIRMED', 'LAPSED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "LeaseKind" AS ENUM ('ESPACE_TEST', 'CONVENTION_PRECAIRE', 'BAIL_RURAL');

-- CreateEnum
CREATE TYPE "LeaseStatus" AS ENUM ('OFFERED', 'ACTIVE', 'ENDED', 'DECLINED', 'EXPIRED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "InstalmentFrequency" AS ENUM ('YEARLY', 'QUARTERLY', 'MONTHLY');

-- CreateEnum
CREATE TYPE "InstalmentStatus" AS ENUM ('SCHEDULED', 'INVOICED', 'PAID', 'CANCELLED');

-- AlterEnum
ALTER TYPE "PaymentPurpose" ADD VALUE 'INSTALMENT';

-- AlterTable
ALTER TABLE "Pole" ADD COLUMN     "landRentVatOptIn" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "offerDays" INTEGER NOT NULL DEFAULT 7,
ADD COLUMN     "reconfirmGraceDays" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "reconfirmMonths" INTEGER NOT NULL DEFAULT 12;

-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "instalmentId" TEXT;

-- AlterTable
ALTER TABLE "WaitlistEntry" ADD COLUMN     "queueKey" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "reconfirmAskedAt" TIMESTAMPTZ(3),
ADD COLUMN     "reconfirmDueAt" TIMESTAMPTZ(3),
ADD COLUMN     "reconfirmTokenHash" TEXT,
ADD COLUMN     "reconfirmedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "WaitlistEvent" (
    "id" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "kind" "WaitlistEventKind" NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "actorId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WaitlistEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Plot" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "surfaceM2" INTEGER NOT NULL,
    "soil" TEXT NOT NULL DEFAULT '',
    "waterAccess" TEXT NOT NULL DEFAULT '',
    "shelter" TEXT NOT NULL DEFAULT '',
    "currentUse" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "shapeId" TEXT NOT NULL,
    "rentPerHectareCents" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Plot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RentBounds" (
    "poleId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "minPerHectareCents" INTEGER NOT NULL,
    "maxPerHectareCents" INTEGER NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RentBounds_pkey" PRIMARY KEY ("poleId","year")
);

-- CreateTable
CREATE TABLE "FarmRentIndex" (
    "poleId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "value" INTEGER NOT NULL,
    "enteredById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FarmRentIndex_pkey" PRIMARY KEY ("poleId","year")
);

-- CreateTable
CREATE TABLE "PlotApplication" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "minSurfaceM2" INTEGER,
    "project" TEXT NOT NULL,
    "experience" TEXT NOT NULL DEFAULT '',
    "desiredStartOn" DATE NOT NULL,
    "leaseKind" "LeaseKind" NOT NULL,
    "notes" TEXT NOT NULL DEFAULT '',
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PlotApplication_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlotChoice" (
    "applicationId" TEXT NOT NULL,
    "plotId" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,

    CONSTRAINT "PlotChoice_pkey" PRIMARY KEY ("applicationId","rank")
);

-- CreateTable
CREATE TABLE "Lease" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "plotId" TEXT NOT NULL,
    "applicationId" TEXT,
    "holderId" TEXT NOT NULL,
    "kind" "LeaseKind" NOT NULL,
    "status" "LeaseStatus" NOT NULL,
    "startsOn" DATE NOT NULL,
    "endsOn" DATE NOT NULL,
    "offerExpiresAt" TIMESTAMPTZ(3),
    "answeredAt" TIMESTAMPTZ(3),
    "surfaceM2" INTEGER NOT NULL,
    "rentPerHectareCents" INTEGER NOT NULL,
    "yearlyRentCents" INTEGER NOT NULL,
    "indexValue" INTEGER NOT NULL,
    "indexYear" INTEGER NOT NULL,
    "frequency" "InstalmentFrequency" NOT NULL,
    "vatRateBp" INTEGER NOT NULL DEFAULT 0,
    "renewalOfId" TEXT,
    "renewalNumber" INTEGER NOT NULL DEFAULT 0,
    "endNoticeOn" DATE,
    "endReason" TEXT,
    "offeredById" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Lease_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RentInstalment" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "leaseId" TEXT NOT NULL,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "dueOn" DATE NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "status" "InstalmentStatus" NOT NULL DEFAULT 'SCHEDULED',
    "invoiceId" TEXT,
    "remindedAt" TIMESTAMPTZ(3),
    "paidAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RentInstalment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LeaseRentChange" (
    "id" TEXT NOT NULL,
    "leaseId" TEXT NOT NULL,
    "effectiveOn" DATE NOT NULL,
    "previousCents" INTEGER NOT NULL,
    "newCents" INTEGER NOT NULL,
    "previousIndex" INTEGER,
    "newIndex" INTEGER,
    "indexYear" INTEGER,
    "actorId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LeaseRentChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WaitlistEvent_entryId_createdAt_idx" ON "WaitlistEvent"("entryId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Plot_poleId_code_key" ON "Plot"("poleId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "Plot_poleId_shapeId_key" ON "Plot"("poleId", "shapeId");

-- CreateIndex
CREATE UNIQUE INDEX "Plot_id_poleId_key" ON "Plot"("id", "poleId");

-- CreateIndex
CREATE UNIQUE INDEX "PlotApplication_entryId_key" ON "PlotApplication"("entryId");

-- CreateIndex
CREATE UNIQUE INDEX "PlotApplication_poleId_idempotencyKey_key" ON "PlotApplication"("poleId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "PlotChoice_applicationId_plotId_key" ON "PlotChoice"("applicationId", "plotId");

-- CreateIndex
CREATE UNIQUE INDEX "Lease_renewalOfId_key" ON "Lease"("renewalOfId");

-- CreateIndex
CREATE INDEX "Lease_plotId_status_idx" ON "Lease"("plotId", "status");

-- CreateIndex
CREATE INDEX "Lease_holderId_idx" ON "Lease"("holderId");

-- CreateIndex
CREATE INDEX "Lease_status_offerExpiresAt_idx" ON "Lease"("status", "offerExpiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Lease_poleId_idempotencyKey_key" ON "Lease"("poleId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "RentInstalment_invoiceId_key" ON "RentInstalment"("invoiceId");

-- CreateIndex
CREATE INDEX "RentInstalment_poleId_status_dueOn_idx" ON "RentInstalment"("poleId", "status", "dueOn");

-- CreateIndex
CREATE UNIQUE INDEX "RentInstalment_leaseId_periodStart_key" ON "RentInstalment"("leaseId", "periodStart");

-- CreateIndex
CREATE UNIQUE INDEX "LeaseRentChange_leaseId_indexYear_key" ON "LeaseRentChange"("leaseId", "indexYear");

-- CreateIndex
CREATE INDEX "Payment_instalmentId_idx" ON "Payment"("instalmentId");

-- CreateIndex
CREATE UNIQUE INDEX "WaitlistEntry_reconfirmTokenHash_key" ON "WaitlistEntry"("reconfirmTokenHash");

-- CreateIndex
CREATE INDEX "WaitlistEntry_poleId_kind_status_queueKey_idx" ON "WaitlistEntry"("poleId", "kind", "status", "queueKey");

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_instalmentId_fkey" FOREIGN KEY ("instalmentId") REFERENCES "RentInstalment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WaitlistEvent" ADD CONSTRAINT "WaitlistEvent_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "WaitlistEntry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Plot" ADD CONSTRAINT "Plot_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RentBounds" ADD CONSTRAINT "RentBounds_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FarmRentIndex" ADD CONSTRAINT "FarmRentIndex_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlotApplication" ADD CONSTRAINT "PlotApplication_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlotApplication" ADD CONSTRAINT "PlotApplication_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlotApplication" ADD CONSTRAINT "PlotApplication_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "WaitlistEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlotChoice" ADD CONSTRAINT "PlotChoice_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "PlotApplication"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlotChoice" ADD CONSTRAINT "PlotChoice_plotId_fkey" FOREIGN KEY ("plotId") REFERENCES "Plot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lease" ADD CONSTRAINT "Lease_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lease" ADD CONSTRAINT "Lease_plotId_poleId_fkey" FOREIGN KEY ("plotId", "poleId") REFERENCES "Plot"("id", "poleId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lease" ADD CONSTRAINT "Lease_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "PlotApplication"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lease" ADD CONSTRAINT "Lease_holderId_fkey" FOREIGN KEY ("holderId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lease" ADD CONSTRAINT "Lease_renewalOfId_fkey" FOREIGN KEY ("renewalOfId") REFERENCES "Lease"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RentInstalment" ADD CONSTRAINT "RentInstalment_leaseId_fkey" FOREIGN KEY ("leaseId") REFERENCES "Lease"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeaseRentChange" ADD CONSTRAINT "LeaseRentChange_leaseId_fkey" FOREIGN KEY ("leaseId") REFERENCES "Lease"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- ─── Hand-written (docs/decisions/009-leasing.md) ──────────────────────────────────────────────────────────

-- Never leased twice: no two open offers or active leases of one plot overlap over [startsOn, endsOn). An offer
-- holds its plot for its period until answered; declined, expired, withdrawn offers and ended leases leave the
-- constraint through the predicate (a lease ended early by a notice has its endsOn moved to the end date).
ALTER TABLE "Lease" ADD CONSTRAINT "Lease_no_overlap"
  EXCLUDE USING gist ("plotId" WITH =, daterange("startsOn", "endsOn", '[)') WITH &&)
  WHERE ("status" IN ('OFFERED', 'ACTIVE'));
ALTER TABLE "Lease" ADD CONSTRAINT "Lease_dates" CHECK ("endsOn" > "startsOn");
ALTER TABLE "Lease" ADD CONSTRAINT "Lease_numbers" CHECK (
  "surfaceM2" > 0 AND "rentPerHectareCents" > 0 AND "yearlyRentCents" >= 0 AND "indexValue" > 0
  AND "vatRateBp" BETWEEN 0 AND 10000 AND "renewalNumber" >= 0);
ALTER TABLE "Lease" ADD CONSTRAINT "Lease_offer_expiry" CHECK ("status" <> 'OFFERED' OR "offerExpiresAt" IS NOT NULL);

-- Plots: a real surface (at most 100 ha), a positive rent.
ALTER TABLE "Plot" ADD CONSTRAINT "Plot_numbers" CHECK ("surfaceM2" BETWEEN 1 AND 1000000 AND "rentPerHectareCents" > 0);
ALTER TABLE "RentBounds" ADD CONSTRAINT "RentBounds_order" CHECK ("minPerHectareCents" > 0 AND "maxPerHectareCents" >= "minPerHectareCents" AND "year" BETWEEN 1900 AND 2999);
ALTER TABLE "FarmRentIndex" ADD CONSTRAINT "FarmRentIndex_value" CHECK ("value" > 0 AND "year" BETWEEN 1900 AND 2999);
ALTER TABLE "PlotChoice" ADD CONSTRAINT "PlotChoice_rank" CHECK ("rank" BETWEEN 1 AND 3);
ALTER TABLE "PlotApplication" ADD CONSTRAINT "PlotApplication_surface" CHECK ("minSurfaceM2" IS NULL OR "minSurfaceM2" BETWEEN 1 AND 1000000);

-- Instalments: a period, an amount, paid ones carry their invoice.
ALTER TABLE "RentInstalment" ADD CONSTRAINT "RentInstalment_period" CHECK ("periodEnd" > "periodStart" AND "amountCents" >= 0);
ALTER TABLE "RentInstalment" ADD CONSTRAINT "RentInstalment_invoiced" CHECK ("status" IN ('SCHEDULED', 'CANCELLED') OR "invoiceId" IS NOT NULL);
ALTER TABLE "RentInstalment" ADD CONSTRAINT "RentInstalment_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "Invoice"("id") ON DELETE RESTRICT;

-- A payment is for a booking, a booklet or a rent instalment; one open payment per instalment too.
ALTER TABLE "Payment" DROP CONSTRAINT "Payment_purpose";
-- (Compared as text: a value added to an enum cannot be used in the transaction that adds it.)
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_purpose" CHECK (
  ("purpose"::text = 'BOOKING' AND "bookingId" IS NOT NULL AND "passId" IS NULL AND "instalmentId" IS NULL)
  OR ("purpose"::text = 'PASS' AND "passId" IS NOT NULL AND "bookingId" IS NULL AND "instalmentId" IS NULL)
  OR ("purpose"::text = 'INSTALMENT' AND "instalmentId" IS NOT NULL AND "bookingId" IS NULL AND "passId" IS NULL));
CREATE UNIQUE INDEX "Payment_one_open_per_instalment" ON "Payment" ("instalmentId") WHERE "status" = 'PENDING' AND "instalmentId" IS NOT NULL;

-- A person applies once at a time: one live plot application per person and pole.
CREATE UNIQUE INDEX "WaitlistEntry_one_live_plot_application" ON "WaitlistEntry" ("poleId", "personId")
  WHERE "kind" = 'PLOT' AND "status" IN ('WAITING', 'NOTIFIED', 'OFFERED');

-- The waiting-list history is append-only, like the books.
CREATE TRIGGER "WaitlistEvent_append_only" BEFORE UPDATE OR DELETE ON "WaitlistEvent"
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

ALTER TABLE "Pole" ADD CONSTRAINT "Pole_land_policy" CHECK ("offerDays" BETWEEN 1 AND 60 AND "reconfirmMonths" BETWEEN 1 AND 36 AND "reconfirmGraceDays" BETWEEN 0 AND 365);
