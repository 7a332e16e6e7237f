// Public face of crowdfunding (decision 019): campaigns, tiers and pledges. Payments, closing, the books and the
// pages come next (issue 14); the stream joins the registry with its payment purpose.
export {
  createCampaign,
  updateCampaign,
  addTier,
  updateTier,
  removeTier,
  publishCampaign,
  type CampaignInput,
  type CampaignUpdate,
  type TierInput,
} from "./campaigns.server";
export { pledge, cancelPledge, placesLeft, type PledgeInput } from "./pledges.server";
export { publishNews, campaignNews, NEWS_BODY_MAX, NEWS_TITLE_MAX, type NewsInput } from "./news.server";
export {
  staffCampaigns,
  staffCampaign,
  pledgeCounts,
  staffPledges,
  pledgesCsv,
  registerOfAssociates,
  registerCsv,
  goalSuggestion,
  PLEDGES_PAGE_SIZE,
  type PledgeFilter,
} from "./staff-queries.server";
export {
  confirmPledgeReceived,
  recordPledgeRefund,
  markRewardsDelivered,
  admitShares,
  closingPreview,
  closeCampaignNow,
} from "./lead-pending.server";
