import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DOCUMENT_LABELS, InvoiceSheet } from "~/components/invoice-sheet";
import { requireInvoiceDocument } from "~/utils/invoice-access.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${DOCUMENT_LABELS[data.document.kind]} ${data.document.number} — Terrain Commun`
      : "Facture — Terrain Commun",
  },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { document, isStaff } = await requireInvoiceDocument(request, params.invoiceId);
  return json({ document, isStaff }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function PrintableInvoice() {
  const { document, isStaff } = useLoaderData<typeof loader>();
  return (
    <div className="invoice-page">
      <div className="invoice-toolbar">
        <Link to={isStaff ? `/gestion/factures/${document.id}` : "/compte#factures"}>
          {isStaff ? "← Fiche de gestion" : "← Mes factures"}
        </Link>
        <div className="invoice-actions">
          <button type="button" className="button" onClick={() => window.print()}>
            Imprimer
          </button>
          <a
            className="button button-secondary"
            href={`/factures/${document.id}.pdf`}
            download={`${document.number}.pdf`}
          >
            Télécharger le PDF
          </a>
        </div>
      </div>
      <InvoiceSheet document={document} />
    </div>
  );
}
