import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Emails — Gestion" }];

const STATUS_LABELS = { STORED: "Dans la boîte d'envoi", SENT: "Envoyé (SMTP)", FAILED: "Échec d'envoi" } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "emails:read");
  const emails = await db.outboxEmail.findMany({
    where: { poleId: pole.id },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: { id: true, to: true, subject: true, status: true, createdAt: true },
  });
  return json({ emails });
}

export default function Emails() {
  const { emails } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Emails envoyés</h1>
      <p className="muted">
        Sans serveur SMTP configuré (variable SMTP_URL), les messages restent ici, lisibles par l'équipe. Les 200
        derniers sont affichés.
      </p>
      {emails.length === 0 ? (
        <p>Aucun email pour l'instant.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">Emails du pôle, du plus récent au plus ancien</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Destinataire</th>
                <th scope="col">Objet</th>
                <th scope="col">État</th>
              </tr>
            </thead>
            <tbody>
              {emails.map((e) => (
                <tr key={e.id}>
                  <td>{formatDate(e.createdAt, "dateTime")}</td>
                  <td>{e.to}</td>
                  <td>
                    <Link to={`/gestion/emails/${e.id}`}>{e.subject}</Link>
                  </td>
                  <td>{STATUS_LABELS[e.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
