import type { StreamDefinition } from "~/domain/stream-definition";
import { coworkingActivity } from "./activity.server";
import { coworkingForecast } from "./forecast.server";
import { sweepBookings } from "./housekeeping.server";
import { passPurpose } from "./passes.server";
import { bookingPurpose } from "./payment.server";
import { deskSlotWaitlist } from "./waitlist.server";

/** Desks and rooms, as the registry knows them. */
export const coworkingStream: StreamDefinition = {
  name: "coworking",
  ledgerStream: "COWORKING",
  forecast: coworkingForecast,
  paymentPurposes: [bookingPurpose, passPurpose],
  sweeps: [{ name: "coworking", label: "Ménage des réservations", run: (db, { now }) => sweepBookings(db, now) }],
  waitlistKinds: [deskSlotWaitlist],
  signUpFollowUps: {},
  annualActivity: coworkingActivity,
};
