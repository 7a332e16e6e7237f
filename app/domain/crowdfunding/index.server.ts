// Public face of crowdfunding (decision 019): campaigns, tiers and pledges. Payments, closing, the books and the
// pages come next (issue 14); the stream joins the registry with its payment purpose.
export { createCampaign, addTier, publishCampaign, type CampaignInput, type TierInput } from "./campaigns.server";
export { pledge, cancelPledge, placesLeft, type PledgeInput } from "./pledges.server";
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
export { crowdfundingStream } from "./stream.server";
// PLACEHOLDER until main has them (wt-public): see lead-stubs.server.ts.
export { changePledge, payPledge } from "./lead-stubs.server";
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
