import type { StreamDefinition } from "~/domain/stream-definition";
import type { PurposeHandler } from "~/domain/payments/index.server";
import { pledgeSignUpFollowUps } from "./sign-up.server";

// PLACEHOLDER (branch wt-public only): the lead writes the crowdfunding stream (its PLEDGE purpose handler,
// forecast and sweeps) on main. Until then the registry refuses to start without a PLEDGE handler, so the public
// pages are tested with this one, which registers the sign-up follow-up and refuses any card payment event.
// When main is merged, the lead's definition wins and keeps `signUpFollowUps: pledgeSignUpFollowUps`.

const notBuilt = (): never => {
  throw new Error("Le paiement des contributions n'est pas encore branché.");
};

const pledgePurpose: PurposeHandler = {
  purpose: "PLEDGE",
  targetColumn: "pledgeId",
  stillPayable: { pledge: { status: { in: ["PENDING", "ACTION_REQUIRED"] } } },
  receiptLabel: "Contribution à une campagne",
  paid: notBuilt,
  failed: notBuilt,
  expired: notBuilt,
  refunded: notBuilt,
};

export const crowdfundingStream: StreamDefinition = {
  name: "crowdfunding",
  ledgerStream: "CROWDFUNDING",
  forecast: async () => [],
  paymentPurposes: [pledgePurpose],
  sweeps: [],
  waitlistKinds: [],
  signUpFollowUps: pledgeSignUpFollowUps,
};
