-- AlterEnum
ALTER TYPE "WaitlistEventKind" ADD VALUE 'NOTIFIED';

-- AlterTable
ALTER TABLE "WaitlistEntry" ADD COLUMN     "offerRef" TEXT,
ADD COLUMN     "offerUnit" TEXT;

-- AlterTable
ALTER TABLE "WaitlistEvent" ADD COLUMN     "unit" TEXT;



-- ─── Hand-written (docs/decisions/014-waitlist-engine.md) ──────────────────────────────────────────────────
-- (The new event kind NOTIFIED is not used here: a value added to an enum cannot be used in the transaction
-- that adds it.)

-- A live offer names its unit and what holds it. Until now only plot entries were ever OFFERED, each with one
-- OFFERED lease of its application: that lease is what holds the plot.
UPDATE "WaitlistEntry" AS e
SET "offerUnit" = 'plot:' || l."plotId", "offerRef" = l."id"
FROM "PlotApplication" AS a
JOIN "Lease" AS l ON l."applicationId" = a."id" AND l."status" = 'OFFERED'
WHERE a."entryId" = e."id" AND e."status" = 'OFFERED';

-- Desk slot entries were served by arrival (createdAt) and left queueKey at 0; the engine orders every queue
-- by queueKey, the time of joining in ms.
UPDATE "WaitlistEntry"
SET "queueKey" = floor(extract(epoch FROM "createdAt") * 1000)
WHERE "kind" = 'RESOURCE_SLOT' AND "queueKey" = 0;

-- An entry is OFFERED exactly when it has a live offer: its unit, what holds it, a deadline. (A migration that
-- fails here found an offered entry without its lease: look at it before forcing anything.)
ALTER TABLE "WaitlistEntry" ADD CONSTRAINT "WaitlistEntry_offer" CHECK (
  ("status" = 'OFFERED') = ("offerUnit" IS NOT NULL)
  AND ("offerUnit" IS NULL) = ("offerRef" IS NULL)
  AND ("status" <> 'OFFERED' OR "offerExpiresAt" IS NOT NULL));

-- One live offer per thing that holds a unit: a lease (a booking, a seat) is never the offer of two entries.
CREATE UNIQUE INDEX "WaitlistEntry_one_offer_per_ref" ON "WaitlistEntry" ("kind", "offerRef") WHERE "offerRef" IS NOT NULL;
-- The sweeper's lapsed offers, and the live offers of a unit.
CREATE INDEX "WaitlistEntry_live_offers" ON "WaitlistEntry" ("kind", "offerUnit", "offerExpiresAt") WHERE "status" = 'OFFERED';
-- Who already turned a unit down (an offer passes on, never back).
CREATE INDEX "WaitlistEvent_unit" ON "WaitlistEvent" ("unit", "kind") WHERE "unit" IS NOT NULL;
