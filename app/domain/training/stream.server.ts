import type { StreamDefinition } from "~/domain/stream-definition";
import { trainingActivity } from "./activity.server";
import { reviewDeadlines } from "./deadlines.server";
import { trainingForecast } from "./forecast.server";
import { registrationPurpose } from "./payment.server";
import { expireLapsedHolds } from "./registrations.server";
import { sendSatisfactionForms } from "./satisfaction.server";
import { trainingSignUpFollowUps } from "./sign-up.server";
import { expireSeatOffers, seatWaitlist } from "./waitlist.server";

/** Trainings: courses, sessions in the pole's rooms and their registrations, as the registry knows them (decision 020). */
export const trainingStream: StreamDefinition = {
  name: "training",
  ledgerStream: "TRAINING",
  forecast: trainingForecast,
  paymentPurposes: [registrationPurpose],
  sweeps: [
    {
      name: "training-holds",
      label: "Places de formation non réglées et propositions expirées",
      // Both give seats back, each passed on to the session's waiting list in the transaction that frees it.
      run: async (db, { now }) => ({
        expired: await expireLapsedHolds(db, now),
        offerEmails: await expireSeatOffers(db, now),
      }),
    },
    {
      name: "training-deadlines",
      label: "Sessions à la clôture des inscriptions",
      run: (db, { now }) => reviewDeadlines(db, now),
    },
    {
      name: "training-deliveries",
      label: "Questionnaires de satisfaction des sessions réalisées",
      run: (db, { now }) => sendSatisfactionForms(db, now),
    },
  ],
  waitlistKinds: [seatWaitlist],
  // A visitor signs up to a session on the way to an account (decision 012).
  signUpFollowUps: trainingSignUpFollowUps,
  annualActivity: trainingActivity,
};
