-- AlterTable
ALTER TABLE "Pledge" ADD COLUMN     "collectedPaymentId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Pledge_collectedPaymentId_key" ON "Pledge"("collectedPaymentId");

