import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LeaseSheet } from "~/components/land/lease-sheet";
import { getLeaseDocument, indexClause } from "~/domain/leasing/index.server";
import { formatIndex } from "~/domain/leasing/rules";
import { parisDate } from "~/domain/ledger/dates";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { httpError } from "~/utils/http.server";

// The printable lease summary, for its holder only: anyone else gets the same 404 as for a lease that does not exist.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.document.title} — parcelle ${data.document.plot.code} — Terrain Commun`
      : "Bail — Terrain Commun",
  },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const document = await getLeaseDocument(db, {
    poleId: pole.id,
    leaseId: params.leaseId ?? "",
    holderId: person.id,
    today: parisDate(new Date()),
  });
  if (!document) httpError(404, "Ce bail n'existe pas ou ne vous concerne pas.");
  return json(
    { document, clause: indexClause(document, formatIndex) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export default function LeaseSummary() {
  const { document, clause } = useLoaderData<typeof loader>();
  return (
    <div className="lease-page">
      <div className="invoice-toolbar">
        <Link to="/compte/terres">← Mes terres</Link>
        <div className="invoice-actions">
          <button type="button" className="button" onClick={() => window.print()}>
            Imprimer
          </button>
          <a className="button button-secondary" href={`/compte/terres/baux/${document.id}.pdf`} download>
            Télécharger le PDF
          </a>
        </div>
      </div>
      <LeaseSheet document={document} indexClause={clause} />
    </div>
  );
}
