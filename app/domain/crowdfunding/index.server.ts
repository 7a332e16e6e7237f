// Public face of crowdfunding (decision 019): campaigns and tiers, pledges and their money, the closing, what
// staff record (offline receipts, rewards handed over, share admissions, refunds), what staff read (the pledges
// list, the register of associates, the plan's goal suggestion), news, and the stream's definition.
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
export { pledge, changePledge, cancelPledge, placesLeft, amountRefusal, type PledgeInput } from "./pledges.server";
export { payPledge, confirmPledgeReceived, pledgePurpose } from "./payment.server";
export {
  closingPreview,
  closeCampaignNow,
  sweepCampaignClosings,
  settleClosing,
  lapseUnpaidPledges,
} from "./closing.server";
export { markRewardsDelivered, admitShares, recordPledgeRefund, recogniseUsedRewards } from "./staff.server";
export { pledgeParts, pledgeRef } from "./books.server";
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
export { crowdfundingStream } from "./stream.server";
export { crowdfundingActivity } from "./activity.server";
export {
  listCampaigns,
  campaignPage,
  campaignForPledge,
  personPledges,
  personPledge,
  tiersOfCampaigns,
  progressOf,
  phaseOf,
  summaryOf,
  NAMED_CONTRIBUTORS_SHOWN,
  type CampaignPageData,
  type CampaignProgress,
  type PersonPledge,
  type TierView,
} from "./queries.server";
export {
  pledgeSignUpFollowUps,
  pledgeAsPerson,
  pledgeWithSignUp,
  pledgeInput,
  checkPledge,
  pledgePath,
} from "./sign-up.server";
export {
  giftPartOf,
  hasShareCertificate,
  hasTaxReceipt,
  shareCertificate,
  taxReceipt,
  renderShareCertificatePdf,
  renderTaxReceiptPdf,
  pdfResponse,
} from "./documents.server";
export { renderRichText } from "./story.server";
