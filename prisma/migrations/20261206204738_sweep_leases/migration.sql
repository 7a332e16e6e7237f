-- Periodic sweeps under a lease (decision 013): an instance claims a sweep's row with one statement that only
-- succeeds when the row is absent or expired (INSERT … ON CONFLICT DO UPDATE … WHERE "expiresAt" <= clock_timestamp()),
-- so of several instances one runs each sweep at a time; the expiry, on the database's clock, frees the sweep of an
-- instance that died while holding it.
-- CreateTable
CREATE TABLE "SweepLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "SweepLease_pkey" PRIMARY KEY ("name")
);

