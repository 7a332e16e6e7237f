-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "siren" TEXT;


-- Hand-written: a SIREN is nine digits (its Luhn key is checked by the forms, which answer in French).
ALTER TABLE "Person" ADD CONSTRAINT "Person_siren_format" CHECK ("siren" IS NULL OR "siren" ~ '^[0-9]{9}$');
