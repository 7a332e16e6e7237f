// Public face of crowdfunding (decision 019): campaigns, tiers and pledges. Payments, closing, the books and the
// pages come next (issue 14); the stream joins the registry with its payment purpose.
export { createCampaign, addTier, publishCampaign, type CampaignInput, type TierInput } from "./campaigns.server";
export { pledge, cancelPledge, placesLeft, type PledgeInput } from "./pledges.server";
