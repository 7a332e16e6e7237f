import { emailHtml } from "./layout";

export function passwordResetEmail({ poleName, name, url, validMinutes }: { poleName: string; name: string; url: string; validMinutes: number }) {
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
