-- CreateEnum
CREATE TYPE "TrainingSessionStatus" AS ENUM ('SCHEDULED', 'CONFIRMED', 'CANCELLED', 'DELIVERED');

-- CreateEnum
CREATE TYPE "RegistrationStatus" AS ENUM ('HELD', 'OFFERED', 'CONFIRMED', 'CANCELLED', 'EXPIRED');

-- CreateTable
CREATE TABLE "Course" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "axis" TEXT NOT NULL DEFAULT '',
    "objectives" TEXT NOT NULL DEFAULT '',
    "content" TEXT NOT NULL DEFAULT '',
    "prerequisites" TEXT NOT NULL DEFAULT '',
    "audience" TEXT NOT NULL DEFAULT '',
    "durationHours" INTEGER NOT NULL,
    "methods" TEXT NOT NULL DEFAULT '',
    "accessibility" TEXT NOT NULL DEFAULT '',
    "memberCents" INTEGER NOT NULL,
    "publicCents" INTEGER NOT NULL,
    "fundedCents" INTEGER NOT NULL,
    "opensPlotPath" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Course_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingSession" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "capacity" INTEGER NOT NULL,
    "minimum" INTEGER NOT NULL DEFAULT 1,
    "registrationDeadline" TIMESTAMPTZ(3) NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "status" "TrainingSessionStatus" NOT NULL DEFAULT 'SCHEDULED',
    "seatsTaken" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Registration" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "status" "RegistrationStatus" NOT NULL DEFAULT 'HELD',
    "holdExpiresAt" TIMESTAMPTZ(3),
    "priceCents" INTEGER NOT NULL,
    "memberRate" BOOLEAN NOT NULL DEFAULT false,
    "idempotencyKey" TEXT NOT NULL,
    "cancelledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Registration_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Course_poleId_slug_key" ON "Course"("poleId", "slug");

-- CreateIndex
CREATE INDEX "TrainingSession_poleId_startsAt_idx" ON "TrainingSession"("poleId", "startsAt");

-- CreateIndex
CREATE INDEX "Registration_sessionId_status_idx" ON "Registration"("sessionId", "status");

-- CreateIndex
CREATE INDEX "Registration_personId_idx" ON "Registration"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "Registration_poleId_idempotencyKey_key" ON "Registration"("poleId", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "Course" ADD CONSTRAINT "Course_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingSession" ADD CONSTRAINT "TrainingSession_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "TrainingSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written (decision 020). Seats: the session's own count, never past its capacity; a minimum that can be met.
ALTER TABLE "TrainingSession" ADD CONSTRAINT "TrainingSession_seats"
  CHECK ("capacity" >= 1 AND "minimum" >= 1 AND "minimum" <= "capacity"
         AND "seatsTaken" >= 0 AND "seatsTaken" <= "capacity" AND "endsAt" > "startsAt");
-- Prices are cents under the stated ceiling (decision 018); a course lasts at least an hour.
ALTER TABLE "Course" ADD CONSTRAINT "Course_prices"
  CHECK ("memberCents" BETWEEN 0 AND 1000000000 AND "publicCents" BETWEEN 0 AND 1000000000
         AND "fundedCents" BETWEEN 0 AND 1000000000 AND "durationHours" >= 1);
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_price" CHECK ("priceCents" BETWEEN 0 AND 1000000000);
-- One live registration per person and session (a second sign-up is refused by the database too).
CREATE UNIQUE INDEX "Registration_one_live_per_person" ON "Registration" ("sessionId", "personId")
  WHERE "status" IN ('HELD', 'OFFERED', 'CONFIRMED');
