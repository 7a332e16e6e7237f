import { emailHtml } from "./layout";

export function passwordResetEmail({
  poleName,
  name,
  url,
  validMinutes,
}: {
  poleName: string;
  name: string;
  url: string;
  validMinutes: number;
}) {
  const paragraphs = [
    `Bonjour ${name},`,
    `Vous avez demandé à réinitialiser votre mot de passe. Ce lien est valable ${validMinutes} minutes et ne sert qu'une fois.`,
    "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.",
  ];
  return {
    subject: `${poleName} — réinitialisation de votre mot de passe`,
    text: `${paragraphs.join("\n\n")}\n\nChoisir un nouveau mot de passe : ${url}\n`,
    html: emailHtml({ poleName, paragraphs, action: { label: "Choisir un nouveau mot de passe", url } }),
  };
}

export function welcomeEmail({ poleName, name, url }: { poleName: string; name: string; url: string }) {
  const paragraphs = [
    `Bonjour ${name},`,
    `Votre compte sur le site de ${poleName} est créé. Vous pouvez désormais réserver un espace, candidater pour une parcelle, vous inscrire à une formation ou soutenir le pôle.`,
  ];
  return {
    subject: `Bienvenue sur ${poleName}`,
    text: `${paragraphs.join("\n\n")}\n\nMon compte : ${url}\n`,
    html: emailHtml({ poleName, paragraphs, action: { label: "Ouvrir mon compte", url } }),
  };
}

/** The link that confirms a new address and creates the account; `purpose` says what else it will do. */
export function confirmSignUpEmail({
  poleName,
  name,
  url,
  validHours,
  purpose,
}: {
  poleName: string;
  name: string;
  url: string;
  validHours: number;
  purpose?: string;
}) {
  const paragraphs = [
    `Bonjour ${name},`,
    `Pour créer votre compte sur le site de ${poleName}${purpose ? ` et ${purpose}` : ""}, confirmez votre adresse email avec ce lien et le mot de passe choisi à l'inscription. Le lien est valable ${validHours} heures et ne sert qu'une fois.`,
    "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : aucun compte ne sera créé.",
  ];
  return {
    subject: `${poleName} — confirmez votre adresse email`,
    text: `${paragraphs.join("\n\n")}\n\nConfirmer mon adresse : ${url}\n`,
    html: emailHtml({ poleName, paragraphs, action: { label: "Confirmer mon adresse", url } }),
  };
}

/** Sent when a reset is asked for an address without an account: the answer on the page is the same. */
export function noAccountEmail({ poleName, signUpUrl }: { poleName: string; signUpUrl: string }) {
  const paragraphs = [
    "Bonjour,",
    `Quelqu'un, peut-être vous, a demandé à réinitialiser le mot de passe du compte lié à cette adresse sur le site de ${poleName}. Aucun compte n'utilise cette adresse : rien n'a été changé.`,
    "Si vous pensiez avoir un compte, il utilise peut-être une autre adresse. Vous pouvez aussi en créer un.",
    "Si ce n'est pas vous, ignorez ce message.",
  ];
  return {
    subject: `${poleName} — aucun compte avec cette adresse`,
    text: `${paragraphs.join("\n\n")}\n\nCréer un compte : ${signUpUrl}\n`,
    html: emailHtml({ poleName, paragraphs, action: { label: "Créer un compte", url: signUpUrl } }),
  };
}

/** Sent instead of a confirmation when the address already has an account: nothing was created or changed. */
export function accountExistsEmail({
  poleName,
  name,
  loginUrl,
  resetUrl,
  purpose,
}: {
  poleName: string;
  name: string;
  loginUrl: string;
  resetUrl: string;
  purpose?: string;
}) {
  const paragraphs = [
    `Bonjour ${name},`,
    `Quelqu'un, peut-être vous, a voulu créer un compte sur le site de ${poleName} avec cette adresse email${purpose ? ` pour ${purpose}` : ""}. Vous avez déjà un compte : aucun autre n'a été créé et rien n'a changé sur le vôtre.`,
    purpose
      ? `Connectez-vous pour ${purpose}. Mot de passe oublié ? Choisissez-en un nouveau avec le second lien.`
      : "Connectez-vous avec votre mot de passe habituel. Mot de passe oublié ? Choisissez-en un nouveau avec le second lien.",
    "Si ce n'est pas vous, ignorez ce message.",
  ];
  return {
    subject: `${poleName} — vous avez déjà un compte`,
    text: `${paragraphs.join("\n\n")}\n\nSe connecter : ${loginUrl}\nMot de passe oublié : ${resetUrl}\n`,
    html: emailHtml({
      poleName,
      paragraphs,
      action: { label: "Se connecter", url: loginUrl },
      links: [{ label: "Mot de passe oublié", url: resetUrl }],
    }),
  };
}
