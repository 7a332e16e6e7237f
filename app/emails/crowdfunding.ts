import { personalEmail as message, type EmailBase as Base } from "./layout";

// The emails of crowdfunding pledges.

type Pledged = Base & { campaign: string; amount: string };

export const pledgeActionRequiredEmail = (base: Pledged & { deadline: string; offline: boolean }) =>
  message(
    base,
    "votre contribution attend votre paiement",
    [
      base.offline
        ? `La campagne « ${base.campaign} » a réussi : merci ! Votre contribution de ${base.amount} est à régler par virement ou par chèque (les coordonnées sont dans votre compte).`
        : `La campagne « ${base.campaign} » a réussi : merci ! Le prélèvement de votre contribution de ${base.amount} n'a pas pu se faire (carte refusée ou confirmation demandée par votre banque).`,
      `Vous pouvez la régler jusqu'au ${base.deadline} depuis votre compte ; passé ce délai, elle sera annulée.`,
    ],
    "Régler ma contribution",
  );

export const pledgeThanksEmail = (base: Pledged) =>
  message(
    base,
    "merci pour votre contribution",
    [
      `Votre contribution de ${base.amount} à la campagne « ${base.campaign} » est encaissée : merci !`,
      "Vos justificatifs (facture de la contrepartie, certificat de souscription) et votre carnet, s'il y en a un, sont dans votre compte.",
    ],
    "Voir mes contributions",
  );

export const campaignFailedEmail = (base: Pledged & { refunded: boolean }) =>
  message(
    base,
    "la campagne n'a pas atteint son objectif",
    [
      `La campagne « ${base.campaign} » n'a pas atteint son objectif : votre contribution de ${base.amount} ne sera pas prélevée.`,
      base.refunded
        ? "L'argent que vous aviez déjà versé vous sera rendu par l'équipe du pôle ; nous vous écrirons quand ce sera fait."
        : "Votre carte enregistrée a été libérée : rien ne vous sera demandé.",
    ],
    "Voir mes contributions",
  );

export const pledgeLapsedEmail = (base: Pledged) =>
  message(
    base,
    "contribution annulée",
    [
      `Votre contribution de ${base.amount} à la campagne « ${base.campaign} » n'a pas été réglée dans le délai : elle est annulée.`,
    ],
    "Voir mes contributions",
  );

export const campaignNewsEmail = (base: Base & { campaign: string; title: string; body: string }) =>
  message(base, `${base.campaign} — ${base.title}`, base.body.split(/\n{2,}/), "Lire sur la page de la campagne");
