-- AlterTable
ALTER TABLE "Invoice" ADD COLUMN     "reason" TEXT;

