import type { StreamDefinition } from "~/domain/stream-definition";
import { reviewDeadlines } from "./deadlines.server";
import { trainingForecast } from "./forecast.server";
import { registrationPurpose } from "./payment.server";
import { expireLapsedHolds } from "./registrations.server";
import { sendSatisfactionForms } from "./satisfaction.server";

/** Trainings: courses, sessions in the pole's rooms and their registrations, as the registry knows them (decision 020). */
export const trainingStream: StreamDefinition = {
  name: "training",
  ledgerStream: "TRAINING",
  forecast: trainingForecast,
  paymentPurposes: [registrationPurpose],
  sweeps: [
    {
      name: "training-holds",
      label: "Places de formation non réglées",
      run: async (db, { now }) => ({ expired: await expireLapsedHolds(db, now) }),
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
  waitlistKinds: [],
  signUpFollowUps: {},
};
