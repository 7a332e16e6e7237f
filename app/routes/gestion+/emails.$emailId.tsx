import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.email.subject ?? "Email"} — Gestion` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "emails:read");
  const email = await db.outboxEmail.findFirst({ where: { id: params.emailId ?? "", poleId: pole.id } });
  if (!email) throw json({ message: "Cet email n'existe pas." }, { status: 404 });
  const attachments = (Array.isArray(email.attachments) ? email.attachments : []) as { filename: string }[];
  return json({ email: { ...email, attachments: attachments.map((a) => a.filename) } });
}

// The text version is shown, linkified: the HTML version is never injected into the back office.
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/\S+)/g);
  return (
    <pre className="email-body">
      {parts.map((part, i) =>
        /^https?:\/\//.test(part) ? (
          <a key={i} href={part}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </pre>
  );
}

export default function EmailPage() {
  const { email } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/gestion/emails">← Tous les emails</Link>
      </p>
      <h1>{email.subject}</h1>
      <dl className="details card">
        <dt>Destinataire</dt>
        <dd>{email.to}</dd>
        <dt>Date</dt>
        <dd>{formatDate(email.createdAt, "dateTime")}</dd>
        {email.attachments.length ? (
          <>
            <dt>Pièces jointes</dt>
            <dd>{email.attachments.join(", ")}</dd>
          </>
        ) : null}
        {email.error ? (
          <>
            <dt>Erreur</dt>
            <dd>{email.error}</dd>
          </>
        ) : null}
      </dl>
      {email.transport === "SMTP" ? (
        <p className="muted">Message remis au serveur SMTP : son contenu n'est pas conservé.</p>
      ) : (
        <section className="card" aria-label="Contenu du message">
          <Linkified text={email.text} />
        </section>
      )}
    </>
  );
}
