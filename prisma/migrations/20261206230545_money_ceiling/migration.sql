-- Decision 018: amounts stay 32-bit integers of cents, each row held to a stated ceiling of 1 000 000 000 cents
-- (10 000 000,00 €, MAX_CENTS in app/domain/money.ts). Forms refuse more with a French field message first, so
-- these constraints (SQLSTATE 23514) are the last line for a raw query or a future stream. The ceiling is half of
-- 2^31: the sum or difference of two amounts of one row (totalExclTax + totalTax in Invoice_amounts,
-- credit - debit in the dashboard) cannot overflow INT4. Sums over many rows are bigint (SUM(int4) is bigint).
-- Floors stay where each table already states them (>= 0, > 0).

ALTER TABLE "EntryLine" ADD CONSTRAINT "EntryLine_cents_ceiling"
  CHECK ("debit" <= 1000000000 AND "credit" <= 1000000000);
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_cents_ceiling"
  CHECK ("totalExclTax" <= 1000000000 AND "totalTax" <= 1000000000 AND "totalInclTax" <= 1000000000);
ALTER TABLE "InvoiceLine" ADD CONSTRAINT "InvoiceLine_cents_ceiling"
  CHECK ("unitInclTax" <= 1000000000 AND "exclTax" <= 1000000000 AND "tax" <= 1000000000 AND "inclTax" <= 1000000000);
ALTER TABLE "BusinessPlanLine" ADD CONSTRAINT "BusinessPlanLine_cents_ceiling" CHECK ("amount" <= 1000000000);
ALTER TABLE "ResourceRate" ADD CONSTRAINT "ResourceRate_cents_ceiling"
  CHECK ("memberCents" <= 1000000000 AND "publicCents" <= 1000000000);
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_cents_ceiling"
  CHECK ("priceCents" <= 1000000000 AND coalesce("cancellationFeeCents", 0) <= 1000000000);
ALTER TABLE "PassProduct" ADD CONSTRAINT "PassProduct_cents_ceiling"
  CHECK ("memberCents" <= 1000000000 AND "publicCents" <= 1000000000);
ALTER TABLE "Pass" ADD CONSTRAINT "Pass_cents_ceiling" CHECK ("priceCents" <= 1000000000);
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_cents_ceiling"
  CHECK ("amountCents" <= 1000000000 AND coalesce("feeCents", 0) <= 1000000000);
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_cents_ceiling" CHECK ("amountCents" <= 1000000000);
ALTER TABLE "Plot" ADD CONSTRAINT "Plot_cents_ceiling" CHECK ("rentPerHectareCents" <= 1000000000);
ALTER TABLE "RentBounds" ADD CONSTRAINT "RentBounds_cents_ceiling"
  CHECK ("minPerHectareCents" <= 1000000000 AND "maxPerHectareCents" <= 1000000000);
ALTER TABLE "Lease" ADD CONSTRAINT "Lease_cents_ceiling"
  CHECK ("rentPerHectareCents" <= 1000000000 AND "yearlyRentCents" <= 1000000000);
ALTER TABLE "RentInstalment" ADD CONSTRAINT "RentInstalment_cents_ceiling" CHECK ("amountCents" <= 1000000000);
ALTER TABLE "LeaseRentChange" ADD CONSTRAINT "LeaseRentChange_cents_ceiling"
  CHECK ("previousCents" <= 1000000000 AND "newCents" <= 1000000000);
