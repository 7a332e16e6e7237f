import { personalEmail as message, type EmailBase as Base } from "./layout";

// The emails of training registrations.

type Registered = Base & { course: string; dates: string };

export const registrationConfirmedEmail = (base: Registered & { paidWith: string }) =>
  message(
    base,
    `inscription confirmée — ${base.course}`,
    [
      `Votre inscription à la formation « ${base.course} » (${base.dates}) est confirmée : ${base.paidWith}.`,
      "Le programme, les horaires et votre facture sont dans votre compte ; les dates apparaissent dans votre agenda privé du pôle.",
    ],
    "Voir mes formations",
  );

export const registrationAwaitingPaymentEmail = (
  base: Registered & { amount: string; deadline: string; how: string },
) =>
  message(
    base,
    `place réservée — ${base.course}`,
    [
      `Votre place à la formation « ${base.course} » (${base.dates}) vous est réservée jusqu'au ${base.deadline}.`,
      `${base.how} Montant : ${base.amount}. Passé ce délai sans règlement, la place sera proposée à quelqu'un d'autre.`,
    ],
    "Voir mes formations",
  );

export const fundingRequestedEmail = (base: Registered & { funder: string; deadline: string }) =>
  message(
    base,
    `demande de prise en charge — ${base.course}`,
    [
      `Votre place à la formation « ${base.course} » (${base.dates}) est réservée jusqu'au ${base.deadline}, le temps que l'équipe établisse la convention avec ${base.funder}.`,
      "Nous vous écrirons dès que la prise en charge sera confirmée.",
    ],
    "Voir mes formations",
  );

export const registrationCancelledEmail = (base: Registered & { outcome: string }) =>
  message(
    base,
    `inscription annulée — ${base.course}`,
    [`Votre inscription à la formation « ${base.course} » (${base.dates}) est annulée.`, base.outcome],
    "Voir mes formations",
  );

export const sessionCancelledEmail = (base: Registered & { reason: string; outcome: string }) =>
  message(
    base,
    `session annulée — ${base.course}`,
    [
      `Nous sommes désolés : la session de la formation « ${base.course} » (${base.dates}) est annulée. ${base.reason}`,
      base.outcome,
    ],
    "Voir les autres sessions",
  );

export const seatOfferedEmail = (base: Registered & { deadline: string }) =>
  message(
    base,
    `une place se libère — ${base.course}`,
    [
      `Une place s'est libérée à la formation « ${base.course} » (${base.dates}) : elle vous est proposée jusqu'au ${base.deadline}.`,
      "Acceptez-la depuis votre compte ; sans réponse de votre part, elle passera à la personne suivante.",
    ],
    "Répondre à la proposition",
  );

export const seatOfferLapsedEmail = (base: Registered) =>
  message(
    base,
    `proposition expirée — ${base.course}`,
    [
      `La place qui vous était proposée à la formation « ${base.course} » (${base.dates}) est passée à la personne suivante : le délai pour répondre est écoulé.`,
      "Vous n'êtes plus sur la liste d'attente de cette session ; vous pouvez vous y réinscrire, ou choisir une autre session.",
    ],
    "Voir la formation",
  );

export const waitlistSessionCancelledEmail = (base: Registered & { reason: string }) =>
  message(
    base,
    `session annulée — ${base.course}`,
    [
      `Nous sommes désolés : la session de la formation « ${base.course} » (${base.dates}) pour laquelle vous étiez sur liste d'attente est annulée. ${base.reason}`,
      "Votre demande est close ; les autres sessions de la formation sont sur sa page.",
    ],
    "Voir les autres sessions",
  );

export const registrationMovedEmail = (base: Registered & { from: string }) =>
  message(
    base,
    `inscription déplacée — ${base.course}`,
    [
      `Votre inscription à la formation « ${base.course} » est déplacée : vous êtes inscrit·e à la session qui a lieu ${base.dates}, au lieu de celle prévue ${base.from}.`,
      "Votre règlement et votre facture restent valables ; votre place à l'ancienne session est proposée à la liste d'attente.",
    ],
    "Voir mes formations",
  );

export const underMinimumEmail = (base: Registered & { seats: string }) =>
  message(
    base,
    `session sous son minimum — ${base.course}`,
    [
      `Les inscriptions à la session « ${base.course} » (${base.dates}) sont closes avec ${base.seats}.`,
      "Confirmez-la ou annulez-la depuis la gestion des formations : en cas d'annulation, chaque inscrit·e est prévenu·e et remboursé·e.",
    ],
    "Décider",
  );

export const certificateEmail = (base: Registered) =>
  message(
    base,
    `votre attestation de fin de formation — ${base.course}`,
    [
      `Merci d'avoir suivi la formation « ${base.course} » (${base.dates}). Votre attestation de fin de formation est dans votre compte.`,
    ],
    "Télécharger mon attestation",
  );

export const satisfactionEmail = (base: Registered) =>
  message(
    base,
    `votre avis sur la formation — ${base.course}`,
    [
      `Vous avez suivi la formation « ${base.course} » (${base.dates}). Deux minutes pour nous dire ce que vous en avez pensé ? Vos réponses nous aident à l'améliorer.`,
    ],
    "Donner mon avis",
  );
