import { personalEmail as message, type EmailBase } from "./layout";

// The emails of desk and room bookings. Each returns subject, text and HTML; the caller adds the .ics.

type Base = EmailBase & { what: string };

export function bookingConfirmedEmail(base: Base & { paidWith: string }) {
  return message(
    base,
    "réservation confirmée",
    [
      `Votre réservation est confirmée : ${base.what}.`,
      `Règlement : ${base.paidWith}.`,
      "L'invitation jointe (.ics) l'ajoute à votre agenda.",
    ],
    "Voir ma réservation",
  );
}

export function bookingAwaitingPaymentEmail(base: Base & { amount: string }) {
  return message(
    base,
    "réservation enregistrée, à régler sur place",
    [
      `Votre créneau est réservé : ${base.what}.`,
      `Montant à régler à l'accueil du pôle (espèces, chèque) ou par virement : ${base.amount}. L'équipe confirmera la réservation à réception.`,
      "L'invitation jointe (.ics) l'ajoute à votre agenda.",
    ],
    "Voir ma réservation",
  );
}

export function bookingCancelledEmail(base: Base & { outcome: string }) {
  return message(
    base,
    "réservation annulée",
    [`Votre réservation est annulée : ${base.what}.`, base.outcome],
    "Voir mes réservations",
  );
}

export function slotFreedEmail(base: Base) {
  return message(
    base,
    "un créneau attendu s'est libéré",
    [
      `Le créneau que vous attendiez vient de se libérer : ${base.what}.`,
      "Il revient à la première personne qui le réserve : ne tardez pas.",
    ],
    "Réserver ce créneau",
  );
}

export function latePaymentRefundedEmail(base: Base & { amount: string; alreadyPaid: boolean }) {
  const why = base.alreadyPaid
    ? `Votre paiement de ${base.amount} pour ${base.what} fait double emploi : la réservation était déjà réglée.`
    : `Votre paiement de ${base.amount} est arrivé après la fin de la réservation de ${base.what} : le créneau n'était plus disponible.`;
  return message(
    base,
    "paiement remboursé",
    [why, "Nous vous le remboursons intégralement sur votre carte (comptez quelques jours)."],
    "Voir mes réservations",
  );
}

export function passActivatedEmail(base: Base) {
  return message(
    base,
    "carnet activé",
    [
      `Votre carnet est actif : ${base.what}.`,
      "Il sera utilisé en priorité pour vos prochaines réservations de poste.",
    ],
    "Voir mon compte",
  );
}
