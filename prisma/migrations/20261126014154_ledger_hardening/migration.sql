-- Hand-written, after review of the ledger (see docs/decisions/004-ledger.md).

-- A closed fiscal year is final: it cannot be reopened, moved or deleted.
CREATE FUNCTION ledger_refuse_closed_year_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."closedAt" IS NOT NULL THEN
    RAISE EXCEPTION 'fiscal year % is closed: % refused', OLD."id", TG_OP USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "FiscalYear_closed_is_final" BEFORE UPDATE OR DELETE ON "FiscalYear"
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_closed_year_change();

-- Nothing may be dated on or before the end of a closed year, even where no fiscal year was ever created.
CREATE OR REPLACE FUNCTION ledger_check_open_period() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "FiscalYear" f WHERE f."poleId" = NEW."poleId" AND f."closedAt" IS NOT NULL
             AND NEW."date" <= f."endDate") THEN
    RAISE EXCEPTION 'fiscal year closed for %', NEW."date" USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;

-- An account's number and pole never change once created: lines and exports refer to them.
CREATE FUNCTION ledger_refuse_account_recode() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."code" <> OLD."code" OR NEW."poleId" <> OLD."poleId" THEN
    RAISE EXCEPTION 'account % cannot be renumbered', OLD."code" USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "Account_code_is_final" BEFORE UPDATE ON "Account"
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_account_recode();

-- Third parties named on a line exist (and cannot be deleted while the books name them).
ALTER TABLE "EntryLine" ADD CONSTRAINT "EntryLine_thirdPartyPersonId_fkey"
  FOREIGN KEY ("thirdPartyPersonId") REFERENCES "Person"("id") ON DELETE RESTRICT;
ALTER TABLE "EntryLine" ADD CONSTRAINT "EntryLine_thirdPartyOrganisationId_fkey"
  FOREIGN KEY ("thirdPartyOrganisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT;
