import { emailField, newPasswordField, personNameField, text, z } from "~/utils/validation";
import { FUNDER_TYPES, TRAINEE_TYPES } from "./labels";

// The trainee's forms (decision 020), shared by the browser (conform) and the server: signing up to a session
// (with an account made on the way for a visitor), then, in Mon compte, how to pay the held seat, cancelling it
// and moving to another session of the course.

const EXPIRED = "Rechargez la page : le formulaire a expiré.";

const idempotencyKey = text({ error: EXPIRED }).min(8, { error: EXPIRED }).max(100, { error: EXPIRED });

/** A signed-in person signs up: the key made when the form was rendered makes a double submit one sign-up. */
export const SignUpSchema = z.object({ idempotencyKey });

/** A visitor signs up and gets an account in the same step (the sign-up form's rules). */
export const VisitorSignUpSchema = z.object({
  idempotencyKey,
  name: personNameField,
  email: emailField,
  password: newPasswordField,
});

/** A full session: join its waiting list. */
export const WaitIntentSchema = z.object({ intent: z.literal("wait") });

const id = (message: string) => text({ error: message }).trim().min(1, { error: message }).max(40, { error: message });

export const OFFLINE_CHOICES = ["TRANSFER", "CHEQUE"] as const;

/** A funder organisation of the pole pays the held seat: which, of what type, and the trainee's situation. */
export const FundingIntentSchema = z.object({
  intent: z.literal("funding"),
  funderId: id("Choisissez l'organisation qui finance votre formation."),
  funderType: z.enum(FUNDER_TYPES, { error: "Indiquez le type de financeur." }),
  traineeType: z.enum(TRAINEE_TYPES, { error: "Indiquez votre situation." }),
});

/** Mon compte › one registration: how to pay the held seat, cancel it, move it, answer an offer. */
export const RegistrationIntentSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.enum(["card", "free", "cancel", "accept", "decline"]) }),
    z.object({
      intent: z.literal("offline"),
      method: z.enum(OFFLINE_CHOICES, { error: "Choisissez le virement ou le chèque." }),
    }),
    FundingIntentSchema,
    z.object({ intent: z.literal("move"), sessionId: id("Choisissez une autre session de la formation.") }),
  ],
  { error: "Cette action n'est pas reconnue." },
);

/** Mon compte › Mes formations: leave a waiting list, answer a seat offered from it. */
export const MyTrainingsIntentSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("leave"), entryId: id("Cette liste d'attente n'existe pas.") }),
    z.object({
      intent: z.enum(["accept", "decline"]),
      registrationId: id("Cette inscription n'existe pas."),
    }),
  ],
  { error: "Cette action n'est pas reconnue." },
);
