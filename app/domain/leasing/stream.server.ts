import type { StreamDefinition } from "~/domain/stream-definition";
import { landActivity } from "./activity.server";
import { landForecast } from "./forecast.server";
import { sweepLand } from "./housekeeping.server";
import { instalmentPurpose } from "./instalments.server";
import { plotWaitlist } from "./offers.server";
import { landSignUpFollowUps } from "./sign-up.server";

/** Farm plots, as the registry knows them. */
export const landStream: StreamDefinition = {
  name: "land",
  ledgerStream: "LAND",
  forecast: landForecast,
  paymentPurposes: [instalmentPurpose],
  sweeps: [{ name: "land", label: "Ménage des terres", run: (db, { now }) => sweepLand(db, now) }],
  waitlistKinds: [plotWaitlist],
  signUpFollowUps: landSignUpFollowUps,
  annualActivity: landActivity,
};
