-- Hand-written: a share tier's CHECK must hold when its fields are missing too (a NULL made it pass): a share tier
-- states its nominal value and minimum, and its price is their product.
ALTER TABLE "CampaignTier" DROP CONSTRAINT "CampaignTier_shares";
ALTER TABLE "CampaignTier" ADD CONSTRAINT "CampaignTier_shares" CHECK (
  "kind"::text <> 'SHARE'
  OR ("shareNominalCents" IS NOT NULL AND "minShares" IS NOT NULL
      AND "shareNominalCents" > 0 AND "minShares" >= 1 AND "priceCents" = "shareNominalCents" * "minShares"));
