-- CreateEnum
CREATE TYPE "Stream" AS ENUM ('COWORKING', 'LAND', 'TRAINING', 'CROWDFUNDING', 'SUBSIDY', 'OTHER');

-- CreateEnum
CREATE TYPE "Journal" AS ENUM ('VT', 'BQ', 'OD');

-- CreateEnum
CREATE TYPE "InvoiceKind" AS ENUM ('INVOICE', 'CREDIT_NOTE');

-- CreateEnum
CREATE TYPE "PlanPeriod" AS ENUM ('MONTH', 'YEAR');

-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "stream" "Stream",
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FiscalYear" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "startDate" DATE NOT NULL,
    "endDate" DATE NOT NULL,
    "closedAt" TIMESTAMPTZ(3),
    "closedById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FiscalYear_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JournalEntry" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "journal" "Journal" NOT NULL,
    "date" DATE NOT NULL,
    "label" TEXT NOT NULL,
    "pieceRef" TEXT NOT NULL,
    "pieceDate" DATE NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "reversalOfId" TEXT,
    "reversalReason" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JournalEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EntryLine" (
    "id" SERIAL NOT NULL,
    "entryId" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "accountId" TEXT NOT NULL,
    "debit" INTEGER NOT NULL DEFAULT 0,
    "credit" INTEGER NOT NULL DEFAULT 0,
    "stream" "Stream",
    "label" TEXT,
    "thirdPartyPersonId" TEXT,
    "thirdPartyOrganisationId" TEXT,

    CONSTRAINT "EntryLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InvoiceCounter" (
    "poleId" TEXT NOT NULL,
    "kind" "InvoiceKind" NOT NULL,
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "InvoiceCounter_pkey" PRIMARY KEY ("poleId","kind","year")
);

-- CreateTable
CREATE TABLE "Invoice" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "kind" "InvoiceKind" NOT NULL,
    "year" INTEGER NOT NULL,
    "sequence" INTEGER NOT NULL,
    "number" TEXT NOT NULL,
    "issueDate" DATE NOT NULL,
    "dueDate" DATE,
    "stream" "Stream" NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "seller" JSONB NOT NULL,
    "buyerName" TEXT NOT NULL,
    "buyerEmail" TEXT,
    "buyerAddress" TEXT,
    "personId" TEXT,
    "organisationId" TEXT,
    "totalExclTax" INTEGER NOT NULL,
    "totalTax" INTEGER NOT NULL,
    "totalInclTax" INTEGER NOT NULL,
    "vatMention" TEXT,
    "creditedInvoiceId" TEXT,
    "entryId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InvoiceLine" (
    "id" SERIAL NOT NULL,
    "invoiceId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unitInclTax" INTEGER NOT NULL,
    "vatRateBp" INTEGER NOT NULL,
    "exclTax" INTEGER NOT NULL,
    "tax" INTEGER NOT NULL,
    "inclTax" INTEGER NOT NULL,
    "accountCode" TEXT NOT NULL,

    CONSTRAINT "InvoiceLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BusinessPlanLine" (
    "id" TEXT NOT NULL,
    "poleId" TEXT NOT NULL,
    "fiscalYearId" TEXT NOT NULL,
    "stream" "Stream" NOT NULL,
    "label" TEXT NOT NULL,
    "period" "PlanPeriod" NOT NULL,
    "month" INTEGER,
    "amount" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "BusinessPlanLine_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Account_poleId_code_key" ON "Account"("poleId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "Account_id_poleId_key" ON "Account"("id", "poleId");

-- CreateIndex
CREATE UNIQUE INDEX "FiscalYear_poleId_startDate_key" ON "FiscalYear"("poleId", "startDate");

-- CreateIndex
CREATE UNIQUE INDEX "JournalEntry_reversalOfId_key" ON "JournalEntry"("reversalOfId");

-- CreateIndex
CREATE INDEX "JournalEntry_poleId_date_idx" ON "JournalEntry"("poleId", "date");

-- CreateIndex
CREATE UNIQUE INDEX "JournalEntry_poleId_sourceKey_key" ON "JournalEntry"("poleId", "sourceKey");

-- CreateIndex
CREATE UNIQUE INDEX "JournalEntry_id_poleId_date_key" ON "JournalEntry"("id", "poleId", "date");

-- CreateIndex
CREATE INDEX "EntryLine_entryId_idx" ON "EntryLine"("entryId");

-- CreateIndex
CREATE INDEX "EntryLine_poleId_date_idx" ON "EntryLine"("poleId", "date");

-- CreateIndex
CREATE INDEX "EntryLine_accountId_date_idx" ON "EntryLine"("accountId", "date");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_entryId_key" ON "Invoice"("entryId");

-- CreateIndex
CREATE INDEX "Invoice_personId_idx" ON "Invoice"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_poleId_kind_year_sequence_key" ON "Invoice"("poleId", "kind", "year", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_poleId_number_key" ON "Invoice"("poleId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_poleId_sourceKey_key" ON "Invoice"("poleId", "sourceKey");

-- CreateIndex
CREATE UNIQUE INDEX "InvoiceLine_invoiceId_position_key" ON "InvoiceLine"("invoiceId", "position");

-- CreateIndex
CREATE INDEX "BusinessPlanLine_poleId_fiscalYearId_idx" ON "BusinessPlanLine"("poleId", "fiscalYearId");

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FiscalYear" ADD CONSTRAINT "FiscalYear_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JournalEntry" ADD CONSTRAINT "JournalEntry_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JournalEntry" ADD CONSTRAINT "JournalEntry_reversalOfId_fkey" FOREIGN KEY ("reversalOfId") REFERENCES "JournalEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EntryLine" ADD CONSTRAINT "EntryLine_entryId_poleId_date_fkey" FOREIGN KEY ("entryId", "poleId", "date") REFERENCES "JournalEntry"("id", "poleId", "date") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EntryLine" ADD CONSTRAINT "EntryLine_accountId_poleId_fkey" FOREIGN KEY ("accountId", "poleId") REFERENCES "Account"("id", "poleId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "JournalEntry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_creditedInvoiceId_fkey" FOREIGN KEY ("creditedInvoiceId") REFERENCES "Invoice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InvoiceLine" ADD CONSTRAINT "InvoiceLine_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "Invoice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BusinessPlanLine" ADD CONSTRAINT "BusinessPlanLine_poleId_fkey" FOREIGN KEY ("poleId") REFERENCES "Pole"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BusinessPlanLine" ADD CONSTRAINT "BusinessPlanLine_fiscalYearId_fkey" FOREIGN KEY ("fiscalYearId") REFERENCES "FiscalYear"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- ─── Hand-written: the ledger's invariants live in the database (see docs/decisions/004-ledger.md) ───────────

-- A line carries a debit xor a credit, strictly positive, in cents.
ALTER TABLE "EntryLine" ADD CONSTRAINT "EntryLine_debit_xor_credit"
  CHECK ("debit" >= 0 AND "credit" >= 0 AND (("debit" = 0) <> ("credit" = 0)));

-- PCG account numbers: class 1 to 8, six to ten digits (FEC CompteNum needs at least three).
ALTER TABLE "Account" ADD CONSTRAINT "Account_code_pcg" CHECK ("code" ~ '^[1-8][0-9]{5,9}$');

-- btree_gist lets an exclusion constraint mix equality on text (poleId) with range overlap.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Fiscal years of one pole never overlap; a year ends on or after it starts.
ALTER TABLE "FiscalYear" ADD CONSTRAINT "FiscalYear_dates" CHECK ("endDate" >= "startDate");
ALTER TABLE "FiscalYear" ADD CONSTRAINT "FiscalYear_no_overlap"
  EXCLUDE USING gist ("poleId" WITH =, daterange("startDate", "endDate", '[]') WITH &&);

-- Entries and lines are append-only: a mistake is corrected by a reversing entry. So are invoices.
-- (TRUNCATE stays possible: it is how the test suite starts from a clean database.)
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER "JournalEntry_append_only" BEFORE UPDATE OR DELETE ON "JournalEntry"
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER "EntryLine_append_only" BEFORE UPDATE OR DELETE ON "EntryLine"
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER "Invoice_append_only" BEFORE UPDATE OR DELETE ON "Invoice"
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER "InvoiceLine_append_only" BEFORE UPDATE OR DELETE ON "InvoiceLine"
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

-- Lines are written with their entry, in the same transaction, and leave every touched entry balanced.
-- Statement-level with a transition table so that a bulk insert is checked in one query.
CREATE FUNCTION ledger_check_inserted_lines() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad text;
BEGIN
  SELECT e."id" INTO bad FROM "JournalEntry" e
    WHERE e."id" IN (SELECT DISTINCT "entryId" FROM new_lines)
      AND e.xmin <> pg_current_xact_id()::xid
    LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'lines can only be added with their entry (entry %)', bad USING ERRCODE = 'restrict_violation';
  END IF;
  SELECT l."entryId" INTO bad FROM "EntryLine" l
    WHERE l."entryId" IN (SELECT DISTINCT "entryId" FROM new_lines)
    GROUP BY l."entryId" HAVING sum(l."debit") <> sum(l."credit")
    LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'unbalanced journal entry %', bad USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "EntryLine_balanced" AFTER INSERT ON "EntryLine"
  REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_inserted_lines();

-- An entry without lines cannot commit (checked at commit, once the lines are in).
CREATE FUNCTION ledger_check_entry_has_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT count(*) FROM "EntryLine" WHERE "entryId" = NEW."id") < 2 THEN
    RAISE EXCEPTION 'journal entry % has fewer than two lines', NEW."id" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER "JournalEntry_has_lines" AFTER INSERT ON "JournalEntry"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_has_lines();

-- No entry dated inside a closed fiscal year. The posting module locks the year FOR SHARE, closing locks it
-- FOR UPDATE, so a close and a post of the same year are serialised.
CREATE FUNCTION ledger_check_open_period() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "FiscalYear" f WHERE f."poleId" = NEW."poleId" AND f."closedAt" IS NOT NULL
             AND NEW."date" BETWEEN f."startDate" AND f."endDate") THEN
    RAISE EXCEPTION 'fiscal year closed for %', NEW."date" USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "JournalEntry_open_period" BEFORE INSERT ON "JournalEntry"
  FOR EACH ROW EXECUTE FUNCTION ledger_check_open_period();

-- Invoice arithmetic: totals add up, amounts are not negative, rates are sane.
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_totals"
  CHECK ("totalExclTax" >= 0 AND "totalTax" >= 0 AND "totalInclTax" = "totalExclTax" + "totalTax" AND "sequence" > 0);
ALTER TABLE "InvoiceLine" ADD CONSTRAINT "InvoiceLine_amounts"
  CHECK ("quantity" > 0 AND "unitInclTax" >= 0 AND "vatRateBp" BETWEEN 0 AND 10000
         AND "exclTax" >= 0 AND "tax" >= 0 AND "inclTax" = "exclTax" + "tax");

-- Business plan: a monthly target names its month, a yearly one does not; one target per stream, label and month.
ALTER TABLE "BusinessPlanLine" ADD CONSTRAINT "BusinessPlanLine_period"
  CHECK ((("period" = 'MONTH' AND "month" BETWEEN 1 AND 12) OR ("period" = 'YEAR' AND "month" IS NULL)) AND "amount" >= 0);
CREATE UNIQUE INDEX "BusinessPlanLine_target_key"
  ON "BusinessPlanLine" ("fiscalYearId", "stream", lower("label"), coalesce("month", 0));

-- Poles created before the ledger get the default chart of accounts (app/domain/ledger/chart.ts); later
-- poles get it from installChartOfAccounts when they are created.
INSERT INTO "Account" ("id", "poleId", "code", "label", "stream")
SELECT gen_random_uuid()::text, p."id", a.code, a.label, a.stream::"Stream"
FROM "Pole" p CROSS JOIN (VALUES
  ('101300', 'Capital souscrit — appelé, versé', NULL), ('401000', 'Fournisseurs', NULL), ('411000', 'Clients', NULL),
  ('419100', 'Clients — avances et acomptes reçus', NULL), ('445660', 'TVA déductible sur autres biens et services', NULL),
  ('445710', 'TVA collectée', NULL), ('456300', 'Versements reçus sur augmentation de capital', NULL),
  ('467000', 'Autres comptes débiteurs ou créditeurs', NULL), ('511200', 'Chèques à encaisser', NULL), ('512000', 'Banque', NULL),
  ('517000', 'Stripe — solde à reverser (compte de passage)', NULL), ('530000', 'Caisse', NULL),
  ('604000', 'Achats d''études et prestations de services', NULL), ('606000', 'Achats non stockés de matières et fournitures', NULL),
  ('613200', 'Locations immobilières', NULL), ('615000', 'Entretien et réparations', NULL), ('622600', 'Honoraires', NULL),
  ('626000', 'Frais postaux et de télécommunications', NULL), ('627000', 'Services bancaires et assimilés', NULL),
  ('641000', 'Rémunérations du personnel', NULL), ('645000', 'Charges de sécurité sociale et de prévoyance', NULL),
  ('706100', 'Prestations — coworking', 'COWORKING'), ('706200', 'Prestations — formations', 'TRAINING'),
  ('706300', 'Locations de terres agricoles', 'LAND'), ('707000', 'Ventes — contreparties', 'CROWDFUNDING'),
  ('708000', 'Produits des activités annexes', 'OTHER'), ('740000', 'Subventions d''exploitation', 'SUBSIDY'),
  ('758000', 'Produits divers de gestion courante — dons', 'OTHER')
) AS a(code, label, stream)
ON CONFLICT DO NOTHING;
