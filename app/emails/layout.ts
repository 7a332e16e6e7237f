// Plain, robust HTML for email clients: inline styles, one column, the text version always alongside.
const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

type EmailLink = { label: string; url: string };

export function emailHtml({
  poleName,
  paragraphs,
  action,
  links = [],
}: {
  poleName: string;
  paragraphs: string[];
  action?: EmailLink;
  links?: EmailLink[];
}) {
  const body =
    paragraphs.map((p) => `<p style="margin:0 0 16px">${escape(p)}</p>`).join("") +
    links
      .map((l) => `<p style="margin:0 0 16px"><a href="${escape(l.url)}">${escape(l.label)}</a> : ${escape(l.url)}</p>`)
      .join("");
  const button = action
    ? `<p style="margin:24px 0"><a href="${escape(action.url)}" style="background:#2f6b3b;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600">${escape(action.label)}</a></p>
       <p style="font-size:13px;color:#555">Si le bouton ne fonctionne pas, copiez ce lien : ${escape(action.url)}</p>`
    : "";
  return `<!doctype html><html lang="fr"><body style="font-family:system-ui,sans-serif;color:#1d2a20;max-width:560px;margin:auto;padding:24px">
<p style="font-weight:700;color:#2f6b3b">${escape(poleName)}</p>${body}${button}
<p style="font-size:12px;color:#666;margin-top:32px">Message envoyé par Terrain Commun pour ${escape(poleName)}.</p></body></html>`;
}

export type EmailBase = { poleName: string; name: string; url: string };

/** A personal email of the pole: greeting, paragraphs, one action link — as text and as HTML. */
export function personalEmail(base: EmailBase, subject: string, paragraphs: string[], action: string) {
  const all = [`Bonjour ${base.name},`, ...paragraphs];
  return {
    subject: `${base.poleName} — ${subject}`,
    text: `${all.join("\n\n")}\n\n${action} : ${base.url}\n`,
    html: emailHtml({ poleName: base.poleName, paragraphs: all, action: { label: action, url: base.url } }),
  };
}
