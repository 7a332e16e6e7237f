-- CreateEnum
CREATE TYPE "VatBasis" AS ENUM ('RECEIPTS', 'DEBITS');

-- CreateEnum
CREATE TYPE "VatPeriod" AS ENUM ('MONTHLY', 'QUARTERLY');

-- CreateEnum
CREATE TYPE "BankFileFormat" AS ENUM ('OFX', 'CAMT053', 'CSV');

-- AlterEnum
ALTER TYPE "Journal" ADD VALUE 'AN';

-- AlterTable
ALTER TABLE "Pole" ADD COLUMN     "capitalVariable" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "latePenaltyRate" TEXT NOT NULL DEFAULT 'trois fois le taux d''intérêt légal',
ADD COLUMN     "paymentTermDays" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "rcsCity" TEXT,
ADD COLUMN     "vatBasis" "VatBasis" NOT NULL DEFAULT 'RECEIPTS',
ADD COLUMN     "vatPeriod" "VatPeriod" NOT NULL DEFAULT 'MONTHLY';

-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "address" TEXT;

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "address" TEXT,
ADD COLUMN     "postalCode" TEXT;

-- AlterTable
ALTER TABLE "FiscalYear" ADD COLUMN     "closings" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "fecExportedAt" TIMESTAMPTZ(3),
ADD COLUMN     "frozenLabels" JSONB,
ADD COLUMN     "openingEntryId" TEXT,
ADD COLUMN     "resultCents" INTEGER;

-- AlterTable
ALTER TABLE "Invoice" ADD COLUMN     "buyerIsBusiness" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "buyerSiren" TEXT;

-- AlterTable
ALTER TABLE "InvoiceLine" ADD COLUMN     "vatExemption" TEXT;

-- CreateTable
CREATE TABLE "BankStatement" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "format" "BankFileFormat" NOT NULL,
    "filename" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "accountId" TEXT,
    "fromDate" DATE NOT NULL,
    "toDate" DATE NOT NULL,
    "openingCents" INTEGER,
    "closingCents" INTEGER,
    "importedById" TEXT,
    "importedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BankStatement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BankLine" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "statementId" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "amount" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "reference" TEXT,
    "fingerprint" TEXT NOT NULL,
    "letter" TEXT,
    "matchedAt" TIMESTAMPTZ(3),
    "matchedById" TEXT,

    CONSTRAINT "BankLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BankMatch" (
    "id" SERIAL NOT NULL,
    "poleId" TEXT NOT NULL,
    "bankLineId" TEXT NOT NULL,
    "entryLineId" INTEGER NOT NULL,
    "letter" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BankMatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EntryValidation" (
    "entryId" TEXT NOT NULL,
    "fiscalYearId" TEXT NOT NULL,
    "series" TEXT NOT NULL DEFAULT '',
    "number" INTEGER NOT NULL,
    "validatedOn" DATE NOT NULL,
    "validatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EntryValidation_pkey" PRIMARY KEY ("entryId")
);

-- CreateTable
CREATE TABLE "EntryCounter" (
    "fiscalYearId" TEXT NOT NULL,
    "series" TEXT NOT NULL DEFAULT '',
    "last" INTEGER NOT NULL,

    CONSTRAINT "EntryCounter_pkey" PRIMARY KEY ("fiscalYearId","series")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "details" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BankStatement_poleId_sha256_key" ON "BankStatement"("poleId", "sha256");

-- CreateIndex
CREATE INDEX "BankLine_poleId_date_idx" ON "BankLine"("poleId", "date");

-- CreateIndex
CREATE UNIQUE INDEX "BankLine_poleId_fingerprint_key" ON "BankLine"("poleId", "fingerprint");

-- CreateIndex
CREATE UNIQUE INDEX "BankMatch_entryLineId_key" ON "BankMatch"("entryLineId");

-- CreateIndex
CREATE INDEX "BankMatch_bankLineId_idx" ON "BankMatch"("bankLineId");

-- CreateIndex
CREATE UNIQUE INDEX "EntryValidation_fiscalYearId_series_number_key" ON "EntryValidation"("fiscalYearId", "series", "number");

-- CreateIndex
CREATE INDEX "AuditLog_poleId_at_idx" ON "AuditLog"("poleId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "FiscalYear_openingEntryId_key" ON "FiscalYear"("openingEntryId");

-- AddForeignKey
ALTER TABLE "BankStatement" ADD CONSTRAINT "BankStatement_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BankLine" ADD CONSTRAINT "BankLine_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "BankStatement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BankMatch" ADD CONSTRAINT "BankMatch_bankLineId_fkey" FOREIGN KEY ("bankLineId") REFERENCES "BankLine"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EntryValidation" ADD CONSTRAINT "EntryValidation_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "JournalEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EntryValidation" ADD CONSTRAINT "EntryValidation_fiscalYearId_fkey" FOREIGN KEY ("fiscalYearId") REFERENCES "FiscalYear"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- ─── Hand-written (docs/decisions/021-year-end-closing.md) ─────────────────────────────────────────────────────

-- Numbering fixed at validation: each entry gets its EcritureNum in its fiscal year and its validation date when
-- its transaction commits. A deferred constraint trigger runs last, so the counter row is locked only for the
-- instant before commit (posts of one year serialise there, in commit order) and a rolled-back post leaves no gap.
-- Opening entries (journal AN) are numbered in their own series, which the FEC prints first.
CREATE FUNCTION ledger_validate_entry() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE year_id text; n int; s text := CASE WHEN NEW."journal" = 'AN' THEN 'AN' ELSE '' END;
BEGIN
  SELECT f."id" INTO year_id FROM "FiscalYear" f
    WHERE f."poleId" = NEW."poleId" AND NEW."date" BETWEEN f."startDate" AND f."endDate";
  IF year_id IS NULL THEN
    RAISE EXCEPTION 'no fiscal year holds entry % dated %', NEW."id", NEW."date" USING ERRCODE = 'check_violation';
  END IF;
  INSERT INTO "EntryCounter" ("fiscalYearId", "series", "last") VALUES (year_id, s, 1)
    ON CONFLICT ("fiscalYearId", "series") DO UPDATE SET "last" = "EntryCounter"."last" + 1
    RETURNING "last" INTO n;
  INSERT INTO "EntryValidation" ("entryId", "fiscalYearId", "series", "number", "validatedOn", "validatedAt")
    VALUES (NEW."id", year_id, s, n, greatest(NEW."date", (clock_timestamp() AT TIME ZONE 'Europe/Paris')::date),
            clock_timestamp());
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER "JournalEntry_validate" AFTER INSERT ON "JournalEntry"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_validate_entry();

-- Entries already in the books keep the numbers their FEC showed (date, then posting order, per fiscal year).
INSERT INTO "EntryValidation" ("entryId", "fiscalYearId", "number", "validatedOn", "validatedAt")
SELECT e."id", f."id",
       row_number() OVER (PARTITION BY f."id" ORDER BY e."date", e."createdAt", e."id"),
       greatest(e."date", (e."createdAt" AT TIME ZONE 'Europe/Paris')::date), e."createdAt"
FROM "JournalEntry" e
JOIN "FiscalYear" f ON f."poleId" = e."poleId" AND e."date" BETWEEN f."startDate" AND f."endDate";
INSERT INTO "EntryCounter" ("fiscalYearId", "last")
SELECT "fiscalYearId", max("number") FROM "EntryValidation" GROUP BY "fiscalYearId";

ALTER TABLE "EntryValidation" ADD CONSTRAINT "EntryValidation_number_positive" CHECK ("number" > 0);
CREATE TRIGGER "EntryValidation_append_only" BEFORE UPDATE OR DELETE ON "EntryValidation"
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER "AuditLog_append_only" BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

-- A closed year stays final except for two moves: stamping the first export of its FEC, and reopening it by an
-- administrator — only before that export, while no later year is closed, and with the reason written to the
-- audit log in the same transaction (the domain also reverses the opening entry the closing posted).
CREATE OR REPLACE FUNCTION ledger_refuse_closed_year_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."closedAt" IS NULL THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW."poleId" = OLD."poleId" AND NEW."startDate" = OLD."startDate"
     AND NEW."endDate" = OLD."endDate" AND NEW."closings" = OLD."closings" THEN
    IF NEW."closedAt" IS NOT DISTINCT FROM OLD."closedAt" AND OLD."fecExportedAt" IS NULL
       AND NEW."fecExportedAt" IS NOT NULL AND NEW."frozenLabels" IS NOT DISTINCT FROM OLD."frozenLabels"
       AND NEW."resultCents" IS NOT DISTINCT FROM OLD."resultCents"
       AND NEW."openingEntryId" IS NOT DISTINCT FROM OLD."openingEntryId" THEN
      RETURN NEW;
    END IF;
    IF NEW."closedAt" IS NULL AND OLD."fecExportedAt" IS NULL AND NEW."fecExportedAt" IS NULL
       AND EXISTS (SELECT 1 FROM "AuditLog" a WHERE a."subject" = OLD."id" AND a."action" = 'fiscal-year:reopen'
                   AND a.xmin = pg_current_xact_id()::xid)
       AND NOT EXISTS (SELECT 1 FROM "FiscalYear" f WHERE f."poleId" = OLD."poleId"
                       AND f."startDate" > OLD."endDate" AND f."closedAt" IS NOT NULL) THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'fiscal year % is closed: % refused', OLD."id", TG_OP USING ERRCODE = 'restrict_violation';
END $$;

-- The accounts a closing needs, for poles created before them (new poles get them from the default chart).
INSERT INTO "Account" ("id", "poleId", "code", "label")
SELECT gen_random_uuid()::text, p."id", a.code, a.label
FROM "Pole" p CROSS JOIN (VALUES
  ('106100', 'Réserve légale'),
  ('106800', 'Autres réserves (réserves impartageables)'),
  ('110000', 'Report à nouveau (solde créditeur)'),
  ('119000', 'Report à nouveau (solde débiteur)'),
  ('120000', 'Résultat de l''exercice (bénéfice)'),
  ('129000', 'Résultat de l''exercice (perte)')
) AS a(code, label)
ON CONFLICT ("poleId", "code") DO NOTHING;

-- Bank lines carry money (never 0); a match letter and its time come together; a match names a line of the books.
ALTER TABLE "BankLine" ADD CONSTRAINT "BankLine_amount" CHECK ("amount" <> 0);
ALTER TABLE "BankLine" ADD CONSTRAINT "BankLine_matched"
  CHECK (("letter" IS NULL) = ("matchedAt" IS NULL));
ALTER TABLE "BankMatch" ADD CONSTRAINT "BankMatch_entryLineId_fkey"
  FOREIGN KEY ("entryLineId") REFERENCES "EntryLine"("id") ON DELETE RESTRICT;
ALTER TABLE "BankStatement" ADD CONSTRAINT "BankStatement_dates" CHECK ("fromDate" <= "toDate");
