import type { StreamDefinition } from "~/domain/stream-definition";
import { crowdfundingActivity } from "./activity.server";
import { lapseUnpaidPledges, sweepCampaignClosings } from "./closing.server";
import { crowdfundingForecast } from "./forecast.server";
import { pledgePurpose } from "./payment.server";
import { pledgeSignUpFollowUps } from "./sign-up.server";
import { recogniseUsedRewards } from "./staff.server";

/** Crowdfunding campaigns and their pledges, as the registry knows them (decision 019). */
export const crowdfundingStream: StreamDefinition = {
  name: "crowdfunding",
  ledgerStream: "CROWDFUNDING",
  forecast: crowdfundingForecast,
  paymentPurposes: [pledgePurpose],
  sweeps: [
    {
      name: "crowdfunding-close",
      label: "Clôture des campagnes",
      run: (db, { stripe, now }) => sweepCampaignClosings(db, { stripe, now }),
    },
    {
      name: "crowdfunding-grace",
      label: "Contributions non réglées et contreparties utilisées",
      run: async (db, { now }) => ({
        lapsed: await lapseUnpaidPledges(db, now),
        recognised: await recogniseUsedRewards(db, now),
      }),
    },
  ],
  waitlistKinds: [],
  // A visitor pledges on the way to an account (decision 012).
  signUpFollowUps: pledgeSignUpFollowUps,
  annualActivity: crowdfundingActivity,
};
