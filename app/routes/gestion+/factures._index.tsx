import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatDay, formatDocumentCents, InvoicePdfLink } from "~/components/invoice-sheet";
import { LegalIdentityNotice } from "~/components/legal-identity-notice";
import { StreamFilter } from "~/components/ledger";
import { Pagination } from "~/components/pagination";
import { listInvoices, poleIdentityGaps } from "~/domain/ledger/index.server";
import { STREAM_LABELS, STREAMS } from "~/domain/ledger/streams";
import { db } from "~/utils/db.server";
import { formatCents, formatNumber } from "~/utils/format";
import { requirePermission } from "~/utils/permissions.server";
import { text, z } from "~/utils/validation";

export const meta: MetaFunction = () => [{ title: "Factures et avoirs — Gestion" }];

const KINDS = ["INVOICE", "CREDIT_NOTE"] as const;

// A filter that cannot be read is ignored rather than refused: the list is a GET anyone can bookmark.
const Filter = z.object({
  kind: z.enum(KINDS).optional().catch(undefined),
  stream: z.enum(STREAMS).optional().catch(undefined),
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  q: text().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const filter = Filter.parse(params);
  const result = await listInvoices(db, { poleId: pole.id, ...filter, q: filter.q || undefined });
  return json({ filter, ...result, identityGaps: await poleIdentityGaps(db, pole) });
}

export default function Invoices() {
  const { filter, rows, total, page, pageCount, totals, years, identityGaps } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Factures et avoirs</h1>
      <LegalIdentityNotice gaps={identityGaps} />
      <Form method="get" className="filters" role="search" aria-label="Filtrer les factures">
        <div className="field">
          <label htmlFor="q">Rechercher</label>
          <input id="q" name="q" type="search" defaultValue={filter.q ?? ""} placeholder="Numéro, client, email" />
        </div>
        <div className="field">
          <label htmlFor="kind">Type</label>
          <select id="kind" name="kind" defaultValue={filter.kind ?? ""}>
            <option value="">Factures et avoirs</option>
            <option value="INVOICE">Factures</option>
            <option value="CREDIT_NOTE">Avoirs</option>
          </select>
        </div>
        <StreamFilter value={filter.stream} />
        <div className="field">
          <label htmlFor="year">Année</label>
          <select id="year" name="year" defaultValue={filter.year ? String(filter.year) : ""}>
            <option value="">Toutes</option>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          Filtrer
        </button>
      </Form>

      <ul className="stat-grid invoice-stats" aria-label="Totaux de la sélection">
        <li className="card stat">
          <span className="stat-value">{formatCents(totals.invoices.inclTax)}</span>
          <span className="stat-label">
            {formatNumber(totals.invoices.count)} facture(s), TTC — dont TVA {formatCents(totals.invoices.tax)}
          </span>
        </li>
        <li className="card stat">
          <span className="stat-value">{formatCents(totals.creditNotes.inclTax)}</span>
          <span className="stat-label">{formatNumber(totals.creditNotes.count)} avoir(s), TTC</span>
        </li>
        <li className="card stat">
          <span className="stat-value">{formatCents(totals.net.inclTax)}</span>
          <span className="stat-label">Net facturé TTC (HT {formatCents(totals.net.exclTax)})</span>
        </li>
      </ul>

      {rows.length === 0 ? (
        <p className="notice">Aucune facture ni aucun avoir ne correspond à ces critères.</p>
      ) : (
        <div className="table-scroll">
          <table className="table invoice-table">
            <caption className="visually-hidden">Factures et avoirs, les plus récents d'abord</caption>
            <thead>
              <tr>
                <th scope="col">Numéro</th>
                <th scope="col">Date</th>
                <th scope="col">Client</th>
                <th scope="col">Flux</th>
                <th scope="col" className="num">
                  Montant TTC
                </th>
                <th scope="col">État</th>
                <th scope="col">Fichier</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/gestion/factures/${r.id}`}>{r.number}</Link>
                    {r.kind === "CREDIT_NOTE" ? (
                      <span className="badge invoice-kind invoice-kind-credit">Avoir</span>
                    ) : null}
                  </th>
                  <td>{formatDay(r.issueDate, "short")}</td>
                  <td>{r.buyerName}</td>
                  <td>{STREAM_LABELS[r.stream]}</td>
                  <td className="num">
                    {formatDocumentCents(r.kind, r.totalInclTax)}
                    <span className="invoice-subamount">TVA {formatDocumentCents(r.kind, r.totalTax)}</span>
                  </td>
                  <td>
                    <InvoiceState row={r} />
                  </td>
                  <td>
                    <InvoicePdfLink id={r.id} number={r.number} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">{formatNumber(total)} document(s). Les avoirs sont comptés en négatif.</p>
      <Pagination page={page} pageCount={pageCount} filter={filter} />
    </>
  );
}

function InvoiceState({
  row,
}: {
  row: {
    kind: string;
    totalInclTax: number;
    creditedInclTax: number;
    creditedInvoice: { id: string; number: string } | null;
  };
}) {
  if (row.kind === "CREDIT_NOTE") {
    return row.creditedInvoice ? (
      <span>
        Sur <Link to={`/gestion/factures/${row.creditedInvoice.id}`}>{row.creditedInvoice.number}</Link>
      </span>
    ) : null;
  }
  if (row.creditedInclTax === 0) return <span className="muted">Émise</span>;
  if (row.creditedInclTax >= row.totalInclTax) return <span className="badge invoice-cancelled">Annulée</span>;
  return (
    <span className="badge" title={`Avoirs : ${formatCents(row.creditedInclTax)}`}>
      Avoir partiel
    </span>
  );
}
