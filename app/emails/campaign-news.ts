import { emailHtml } from "./layout";

// The news of a campaign, mailed to its contributors: the post as written, then a link back to the campaign.

export function campaignNewsEmail(input: {
  poleName: string;
  name: string;
  campaignTitle: string;
  title: string;
  body: string;
  url: string;
}) {
  const paragraphs = [
    `Bonjour ${input.name},`,
    `Des nouvelles de la campagne « ${input.campaignTitle} », que vous soutenez :`,
    input.title,
    // The body's own paragraphs, as staff typed them (blank lines between).
    ...input.body
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean),
  ];
  return {
    subject: `${input.poleName} — ${input.campaignTitle} : ${input.title}`,
    text: `${paragraphs.join("\n\n")}\n\nVoir la campagne : ${input.url}\n`,
    html: emailHtml({
      poleName: input.poleName,
      paragraphs,
      action: { label: "Voir la campagne", url: input.url },
    }),
  };
}
