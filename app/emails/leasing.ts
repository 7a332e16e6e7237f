import { personalEmail as message, type EmailBase as Base } from "./layout";

// The emails of plot applications and leases.

export const applicationReceivedEmail = (base: Base & { position: number }) =>
  message(
    base,
    "candidature enregistrée",
    [
      `Votre candidature pour une parcelle est enregistrée : vous êtes n° ${base.position} sur la liste d'attente.`,
      "Nous vous écrirons dès qu'une parcelle vous est proposée. Une fois par an, nous vous demanderons de confirmer que vous êtes toujours intéressé·e.",
    ],
    "Suivre ma candidature",
  );

export const plotOfferedEmail = (base: Base & { plot: string; term: string; rent: string; deadline: string }) =>
  message(
    base,
    "une parcelle vous est proposée",
    [
      `La parcelle ${base.plot} vous est proposée : ${base.term}, loyer ${base.rent} par an.`,
      `Répondez avant le ${base.deadline} : sans réponse, elle passera à la candidature suivante.`,
    ],
    "Répondre à la proposition",
  );

export const leaseConfirmedEmail = (base: Base & { plot: string; term: string }) =>
  message(
    base,
    "bail confirmé",
    [
      `Vous avez accepté la parcelle ${base.plot} : ${base.term}.`,
      "Votre échéancier et vos factures sont dans votre compte, avec le récapitulatif du bail à imprimer.",
    ],
    "Voir mon bail",
  );

export const offerLapsedEmail = (base: Base & { plot: string }) =>
  message(
    base,
    "proposition expirée",
    [
      `Sans réponse de votre part, la proposition de la parcelle ${base.plot} a expiré.`,
      "Votre candidature reste sur la liste d'attente, à sa place.",
    ],
    "Suivre ma candidature",
  );

export const reconfirmEmail = (base: Base & { lapses: string }) =>
  message(
    base,
    "confirmez votre candidature",
    [
      "Vous êtes sur la liste d'attente des parcelles. Êtes-vous toujours intéressé·e ?",
      `Un clic suffit pour garder votre place. Sans confirmation avant le ${base.lapses}, votre candidature sera retirée de la liste.`,
    ],
    "Je confirme ma candidature",
  );

export const applicationLapsedEmail = (base: Base) =>
  message(
    base,
    "candidature retirée",
    [
      "Faute de confirmation, votre candidature a été retirée de la liste d'attente des parcelles.",
      "Vous pouvez en déposer une nouvelle à tout moment.",
    ],
    "Voir les parcelles",
  );

export const instalmentInvoicedEmail = (base: Base & { what: string; amount: string; number: string; due: string }) =>
  message(
    base,
    `facture ${base.number}`,
    [
      `Voici la facture ${base.number} : ${base.what}, ${base.amount}, à régler pour le ${base.due}.`,
      "Vous pouvez la payer par carte depuis votre compte, ou par virement en indiquant son numéro.",
    ],
    "Voir et payer",
  );

export const instalmentOverdueEmail = (base: Base & { number: string; amount: string; due: string }) =>
  message(
    base,
    `rappel : facture ${base.number} à régler`,
    [
      `Sauf erreur de notre part, la facture ${base.number} de ${base.amount}, due le ${base.due}, n'est pas encore réglée.`,
      "Si vous l'avez payée entre-temps, ne tenez pas compte de ce message.",
    ],
    "Régler ma facture",
  );
