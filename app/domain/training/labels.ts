import type { FunderType, RegistrationStatus, TraineeType } from "~/generated/prisma/enums";

// The words trainees read about trainings (decision 020), shared by the server and the browser.

export const FUNDER_TYPE_LABELS: Record<Exclude<FunderType, "INDIVIDUAL">, string> = {
  EMPLOYER: "Employeur",
  OPCO: "OPCO (opérateur de compétences)",
  PUBLIC: "Financeur public (France Travail, Région…)",
  OTHER: "Autre financeur",
};
export const FUNDER_TYPES = Object.keys(FUNDER_TYPE_LABELS) as (keyof typeof FUNDER_TYPE_LABELS)[];

export const TRAINEE_TYPE_LABELS: Record<TraineeType, string> = {
  EMPLOYEE: "Salarié·e",
  JOB_SEEKER: "Demandeur·se d'emploi",
  INDIVIDUAL: "Particulier",
  OTHER: "Autre situation",
};
export const TRAINEE_TYPES = Object.keys(TRAINEE_TYPE_LABELS) as TraineeType[];

/** A registration's state as its trainee reads it. */
export function registrationStatusLabel(r: {
  status: RegistrationStatus;
  payer: "SELF" | "ORGANISATION";
  paymentMethod: string | null;
  held: boolean;
}) {
  switch (r.status) {
    case "CONFIRMED":
      return "Inscription confirmée";
    case "OFFERED":
      return "Place proposée (liste d'attente)";
    case "CANCELLED":
      return "Annulée";
    case "EXPIRED":
      return "Place non réglée à temps";
    case "HELD":
      if (!r.held) return "Délai de règlement dépassé";
      if (r.payer === "ORGANISATION") return "En attente de la prise en charge";
      if (r.paymentMethod === "TRANSFER") return "Place réservée, virement attendu";
      if (r.paymentMethod === "CHEQUE") return "Place réservée, chèque attendu";
      return "Place retenue, à régler";
  }
}

/** "3 places restantes", "1 place restante", "Complet". */
export function seatsLeftLabel(seatsLeft: number) {
  if (seatsLeft <= 0) return "Complet";
  return `${seatsLeft} place${seatsLeft > 1 ? "s" : ""} restante${seatsLeft > 1 ? "s" : ""}`;
}

/** "7 h", "14 h". */
export const hoursLabel = (hours: number) => `${hours} h`;
