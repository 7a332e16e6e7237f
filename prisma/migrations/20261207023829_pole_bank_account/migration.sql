-- AlterTable
ALTER TABLE "Pole" ADD COLUMN     "bankBic" TEXT,
ADD COLUMN     "bankIban" TEXT;

