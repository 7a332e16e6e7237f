import type { PaymentMethod } from "~/generated/prisma/enums";
import { personalEmail as message, type EmailBase as Base } from "./layout";

// The email a contributor gets when their pledge is recorded: for a transfer or a cheque, what to send, to whom,
// with which reference; for a card, that it is to be saved (or paid) from Mon compte.

export const pledgeReceivedEmail = (
  base: Base & {
    campaign: string;
    amount: string;
    method: PaymentMethod;
    reference: string;
    payee: string;
    /** The pole's IBAN (and BIC) when staff gave it. */
    iban: string | null;
    address: string;
    deadline: string;
  },
) =>
  message(
    base,
    "contribution enregistrée",
    [
      `Merci ! Votre contribution de ${base.amount} à la campagne « ${base.campaign} » est enregistrée.`,
      ...(base.method === "TRANSFER"
        ? [
            `Pour la régler, faites un virement de ${base.amount} à l'ordre de ${base.payee}, avec la référence ${base.reference} dans le libellé. ${base.iban ? `IBAN : ${base.iban}.` : "L'équipe du pôle vous communique son RIB sur simple demande en réponse à ce message."}`,
            "L'équipe du pôle confirme la réception : votre contribution passe alors à « réglée ».",
          ]
        : base.method === "CHEQUE"
          ? [
              `Pour la régler, envoyez ou déposez un chèque de ${base.amount} à l'ordre de ${base.payee}, ${base.address}, en écrivant la référence ${base.reference} au dos.`,
              "L'équipe du pôle confirme la réception : votre contribution passe alors à « réglée ».",
            ]
          : ["Si vous n'avez pas terminé le paiement par carte, vous pouvez le reprendre depuis votre compte."]),
      `Vous pouvez la modifier ou l'annuler jusqu'au ${base.deadline}, date limite de la campagne.`,
    ],
    "Voir ma contribution",
  );
