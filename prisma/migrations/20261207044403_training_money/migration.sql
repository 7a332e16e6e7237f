-- CreateEnum
CREATE TYPE "RegistrationPayer" AS ENUM ('SELF', 'ORGANISATION');

-- CreateEnum
CREATE TYPE "FunderType" AS ENUM ('INDIVIDUAL', 'EMPLOYER', 'OPCO', 'PUBLIC', 'OTHER');

-- CreateEnum
CREATE TYPE "TraineeType" AS ENUM ('EMPLOYEE', 'JOB_SEEKER', 'INDIVIDUAL', 'OTHER');

-- CreateEnum
CREATE TYPE "AttendanceStatus" AS ENUM ('PRESENT', 'LATE', 'ABSENT', 'EXCUSED');

-- AlterEnum
ALTER TYPE "BookingKind" ADD VALUE 'TRAINING';

-- AlterEnum
ALTER TYPE "PaymentPurpose" ADD VALUE 'REGISTRATION';

-- AlterTable
ALTER TABLE "Pole" ADD COLUMN     "espaceTestRequiresTraining" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "trainingCancelDays" INTEGER NOT NULL DEFAULT 7,
ADD COLUMN     "trainingDeclarationNumber" TEXT,
ADD COLUMN     "trainingExemptionAttestation" TEXT,
ADD COLUMN     "trainingOfferHours" INTEGER NOT NULL DEFAULT 24,
ADD COLUMN     "trainingOfflineDays" INTEGER NOT NULL DEFAULT 7;

-- AlterTable
ALTER TABLE "Booking" ADD COLUMN     "trainingSessionId" TEXT;

-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "registrationId" TEXT;

-- AlterTable
ALTER TABLE "Course" ADD COLUMN     "accessibilityContact" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "evaluation" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "published" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "TrainingSession" ADD COLUMN     "cancelReason" TEXT,
ADD COLUMN     "decidedAt" TIMESTAMPTZ(3),
ADD COLUMN     "decidedById" TEXT,
ADD COLUMN     "deliveredAt" TIMESTAMPTZ(3),
ADD COLUMN     "satisfactionSentAt" TIMESTAMPTZ(3),
ADD COLUMN     "underMinimumAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Registration" ADD COLUMN     "cancelledById" TEXT,
ADD COLUMN     "confirmedAt" TIMESTAMPTZ(3),
ADD COLUMN     "creditNoteId" TEXT,
ADD COLUMN     "funderId" TEXT,
ADD COLUMN     "funderType" "FunderType" NOT NULL DEFAULT 'INDIVIDUAL',
ADD COLUMN     "grantReason" TEXT,
ADD COLUMN     "grantedById" TEXT,
ADD COLUMN     "invoiceId" TEXT,
ADD COLUMN     "movedFromId" TEXT,
ADD COLUMN     "payer" "RegistrationPayer" NOT NULL DEFAULT 'SELF',
ADD COLUMN     "paymentMethod" "PaymentMethod",
ADD COLUMN     "recognisedAt" TIMESTAMPTZ(3),
ADD COLUMN     "traineeType" "TraineeType" NOT NULL DEFAULT 'INDIVIDUAL';

-- CreateTable
CREATE TABLE "SessionTrainer" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,

    CONSTRAINT "SessionTrainer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SessionWait" (
    "id" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,

    CONSTRAINT "SessionWait_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attendance" (
    "id" TEXT NOT NULL,
    "registrationId" TEXT NOT NULL,
    "halfDayStart" TIMESTAMPTZ(3) NOT NULL,
    "status" "AttendanceStatus" NOT NULL,
    "markedById" TEXT NOT NULL,
    "markedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Attendance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Certificate" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "registrationId" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "halfDaysPresent" INTEGER NOT NULL,
    "halfDaysTotal" INTEGER NOT NULL,
    "issuedAt" TIMESTAMPTZ(3) NOT NULL,
    "emailedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Certificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SatisfactionAnswer" (
    "id" TEXT NOT NULL,
    "registrationId" TEXT NOT NULL,
    "overall" INTEGER NOT NULL,
    "content" INTEGER NOT NULL,
    "trainer" INTEGER NOT NULL,
    "organisation" INTEGER NOT NULL,
    "recommend" BOOLEAN NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "answeredAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SatisfactionAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SessionTrainer_personId_idx" ON "SessionTrainer"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "SessionTrainer_sessionId_personId_key" ON "SessionTrainer"("sessionId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "SessionWait_entryId_key" ON "SessionWait"("entryId");

-- CreateIndex
CREATE INDEX "SessionWait_sessionId_idx" ON "SessionWait"("sessionId");

-- CreateIndex
CREATE UNIQUE INDEX "Attendance_registrationId_halfDayStart_key" ON "Attendance"("registrationId", "halfDayStart");

-- CreateIndex
CREATE UNIQUE INDEX "Certificate_registrationId_key" ON "Certificate"("registrationId");

-- CreateIndex
CREATE UNIQUE INDEX "Certificate_poleId_number_key" ON "Certificate"("poleId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "SatisfactionAnswer_registrationId_key" ON "SatisfactionAnswer"("registrationId");

-- CreateIndex
CREATE INDEX "Booking_trainingSessionId_idx" ON "Booking"("trainingSessionId");

-- CreateIndex
CREATE INDEX "Payment_registrationId_idx" ON "Payment"("registrationId");

-- CreateIndex
CREATE UNIQUE INDEX "Registration_movedFromId_key" ON "Registration"("movedFromId");

-- CreateIndex
CREATE UNIQUE INDEX "Registration_invoiceId_key" ON "Registration"("invoiceId");

-- CreateIndex
CREATE UNIQUE INDEX "Registration_creditNoteId_key" ON "Registration"("creditNoteId");

-- AddForeignKey
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_trainingSessionId_fkey" FOREIGN KEY ("trainingSessionId") REFERENCES "TrainingSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "Registration"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingSession" ADD CONSTRAINT "TrainingSession_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_funderId_fkey" FOREIGN KEY ("funderId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_movedFromId_fkey" FOREIGN KEY ("movedFromId") REFERENCES "Registration"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionTrainer" ADD CONSTRAINT "SessionTrainer_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "TrainingSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionTrainer" ADD CONSTRAINT "SessionTrainer_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionWait" ADD CONSTRAINT "SessionWait_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "TrainingSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "Registration"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attendance" ADD CONSTRAINT "Attendance_markedById_fkey" FOREIGN KEY ("markedById") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "Registration"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SatisfactionAnswer" ADD CONSTRAINT "SatisfactionAnswer_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "Registration"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written (decision 020). A payment is for exactly one target, now registrations too; one open payment each.
-- (Compared as text: a value added to an enum cannot be used in the transaction that adds it.)
ALTER TABLE "Payment" DROP CONSTRAINT "Payment_purpose";
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_purpose" CHECK (
  num_nonnulls("bookingId", "passId", "instalmentId", "pledgeId", "registrationId") = 1
  AND (("purpose"::text = 'BOOKING' AND "bookingId" IS NOT NULL)
    OR ("purpose"::text = 'PASS' AND "passId" IS NOT NULL)
    OR ("purpose"::text = 'INSTALMENT' AND "instalmentId" IS NOT NULL)
    OR ("purpose"::text = 'PLEDGE' AND "pledgeId" IS NOT NULL)
    OR ("purpose"::text = 'REGISTRATION' AND "registrationId" IS NOT NULL)));
CREATE UNIQUE INDEX "Payment_one_open_per_registration" ON "Payment" ("registrationId")
  WHERE "status" = 'PENDING' AND "registrationId" IS NOT NULL;

-- A booking has a person; a closure has a reason and no price; a training part belongs to its session, no price.
ALTER TABLE "Booking" DROP CONSTRAINT "Booking_kind_fields";
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_kind_fields" CHECK (
  ("kind"::text = 'BOOKING' AND "personId" IS NOT NULL AND "trainingSessionId" IS NULL)
  OR ("kind"::text = 'CLOSURE' AND "personId" IS NULL AND "priceCents" = 0 AND "reason" IS NOT NULL
      AND "trainingSessionId" IS NULL)
  OR ("kind"::text = 'TRAINING' AND "personId" IS NULL AND "priceCents" = 0 AND "trainingSessionId" IS NOT NULL));

-- A waiting entry of a session is the engine's entry (gone with it).
ALTER TABLE "SessionWait" ADD CONSTRAINT "SessionWait_entryId_fkey"
  FOREIGN KEY ("entryId") REFERENCES "WaitlistEntry"("id") ON DELETE CASCADE;
-- A registration's invoice and credit note exist (and, invoices being append-only, stay).
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_invoiceId_fkey"
  FOREIGN KEY ("invoiceId") REFERENCES "Invoice"("id") ON DELETE RESTRICT;
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_creditNoteId_fkey"
  FOREIGN KEY ("creditNoteId") REFERENCES "Invoice"("id") ON DELETE RESTRICT;
-- A funded registration names its funder; a held or offered one says until when.
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_payer"
  CHECK (("payer" = 'ORGANISATION') = ("funderId" IS NOT NULL)
         AND ("payer" = 'SELF') = ("funderType" = 'INDIVIDUAL'));
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_hold_expiry"
  CHECK ("status" NOT IN ('HELD', 'OFFERED') OR "holdExpiresAt" IS NOT NULL);
-- Satisfaction scores are 1 to 5; attendance counts are sane; pole policy in range.
ALTER TABLE "SatisfactionAnswer" ADD CONSTRAINT "SatisfactionAnswer_scores"
  CHECK ("overall" BETWEEN 1 AND 5 AND "content" BETWEEN 1 AND 5 AND "trainer" BETWEEN 1 AND 5
         AND "organisation" BETWEEN 1 AND 5);
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_half_days"
  CHECK ("halfDaysTotal" >= 1 AND "halfDaysPresent" BETWEEN 0 AND "halfDaysTotal");
ALTER TABLE "Pole" ADD CONSTRAINT "Pole_training_policy"
  CHECK ("trainingOfferHours" BETWEEN 1 AND 720 AND "trainingOfflineDays" BETWEEN 1 AND 60
         AND "trainingCancelDays" BETWEEN 0 AND 90);
