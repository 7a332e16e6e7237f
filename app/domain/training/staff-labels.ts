import type {
  FunderType,
  PaymentMethod,
  RegistrationPayer,
  RegistrationStatus,
  TraineeType,
  TrainingSessionStatus,
} from "~/generated/prisma/enums";

// The French words of trainings' states and kinds as the back office and the yearly report show them (browser and
// server alike: no database here).

export const SESSION_STATUSES = [
  "SCHEDULED",
  "CONFIRMED",
  "CANCELLED",
  "DELIVERED",
] as const satisfies readonly TrainingSessionStatus[];
export const SESSION_STATUS_LABELS: Record<TrainingSessionStatus, string> = {
  SCHEDULED: "Programmée",
  CONFIRMED: "Confirmée",
  CANCELLED: "Annulée",
  DELIVERED: "Réalisée",
};
/** Which sessions a staff list shows. */
export const SESSION_WHEN = ["upcoming", "past", "all"] as const;
export type SessionWhen = (typeof SESSION_WHEN)[number];
export const SESSION_WHEN_LABELS: Record<SessionWhen, string> = {
  upcoming: "À venir et en cours",
  past: "Passées ou annulées",
  all: "Toutes",
};

/** A scheduled session found under its minimum at its registration deadline: staff decide. */
export const UNDER_MINIMUM_LABEL = "Sous le minimum";

export const REGISTRATION_STATUSES = [
  "HELD",
  "OFFERED",
  "CONFIRMED",
  "CANCELLED",
  "EXPIRED",
] as const satisfies readonly RegistrationStatus[];
export const REGISTRATION_STATUS_LABELS: Record<RegistrationStatus, string> = {
  HELD: "En attente de paiement",
  OFFERED: "Place proposée",
  CONFIRMED: "Confirmée",
  CANCELLED: "Annulée",
  EXPIRED: "Expirée",
};

export const PAYERS = ["SELF", "ORGANISATION"] as const satisfies readonly RegistrationPayer[];
export const PAYER_LABELS: Record<RegistrationPayer, string> = {
  SELF: "La personne",
  ORGANISATION: "Un financeur",
};

export const TRAINEE_TYPES = [
  "EMPLOYEE",
  "JOB_SEEKER",
  "INDIVIDUAL",
  "OTHER",
] as const satisfies readonly TraineeType[];
export const TRAINEE_TYPE_LABELS: Record<TraineeType, string> = {
  EMPLOYEE: "Salarié·e",
  JOB_SEEKER: "Demandeur·se d'emploi",
  INDIVIDUAL: "Particulier (à titre individuel)",
  OTHER: "Autre",
};

export const FUNDER_TYPES = [
  "INDIVIDUAL",
  "EMPLOYER",
  "OPCO",
  "PUBLIC",
  "OTHER",
] as const satisfies readonly FunderType[];
export const FUNDER_TYPE_LABELS: Record<FunderType, string> = {
  INDIVIDUAL: "Particuliers (à leurs frais)",
  EMPLOYER: "Employeurs",
  OPCO: "OPCO",
  PUBLIC: "Financeurs publics",
  OTHER: "Autres financeurs",
};

/** How a registration is paid, as staff read it in the list. */
export const PAYMENT_METHOD_LABELS: Partial<Record<PaymentMethod, string>> = {
  STRIPE: "Carte",
  TRANSFER: "Virement",
  CHEQUE: "Chèque",
  CASH: "Espèces",
};

/** A registration's price as staff read it: which of the course's rates it took. */
export function rateLabel(r: { payer: RegistrationPayer; memberRate: boolean; grantedById: string | null }) {
  if (r.grantedById) return "Place offerte";
  if (r.payer === "ORGANISATION") return "Tarif financé";
  return r.memberRate ? "Tarif membre" : "Tarif public";
}
