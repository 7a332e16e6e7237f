import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { TermCell } from "~/components/land-admin";
import { overdueWithInvoices } from "~/domain/leasing/index.server";
import { daysBetween } from "~/domain/leasing/rules";
import { fromSqlDate, parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { formatCents, formatDate, formatNumber } from "~/utils/format";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Loyers impayés — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "land:manage");
  const today = parisDate(new Date());
  const rows = await overdueWithInvoices(db, { poleId: pole.id, today });
  return json({
    totalCents: rows.reduce((sum, r) => sum + r.amountCents, 0),
    rows: rows.map((r) => ({
      id: r.id,
      leaseId: r.leaseId,
      plot: r.lease.plot.code,
      holder: r.lease.holder.name,
      email: r.lease.holder.email,
      periodStart: r.periodStart,
      periodEnd: r.periodEnd,
      dueOn: r.dueOn,
      daysLate: daysBetween(fromSqlDate(r.dueOn), today),
      amountCents: r.amountCents,
      invoice: r.invoiceId ? { id: r.invoiceId, number: r.invoiceNumber } : null,
      remindedAt: r.remindedAt,
    })),
  });
}

export default function Overdue() {
  const { rows, totalCents } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Loyers impayés</h1>
      <p className="muted">
        Échéances facturées et toujours impayées quinze jours après leur date. Le titulaire reçoit un rappel par email
        chaque semaine ; un virement ou un chèque reçu s'enregistre sur la page du bail.
      </p>
      {rows.length === 0 ? (
        <p className="notice notice-success">Aucun loyer en retard.</p>
      ) : (
        <>
          <p>
            {formatNumber(rows.length)} échéance(s) en retard, <strong>{formatCents(totalCents)}</strong> au total.
          </p>
          <div className="table-scroll">
            <table className="table overdue-table">
              <caption className="visually-hidden">Échéances impayées, les plus anciennes d'abord</caption>
              <thead>
                <tr>
                  <th scope="col">Bail</th>
                  <th scope="col">Période</th>
                  <th scope="col">Facture</th>
                  <th scope="col" className="num">
                    Montant
                  </th>
                  <th scope="col">Échéance</th>
                  <th scope="col" className="num">
                    Retard
                  </th>
                  <th scope="col">Dernier rappel</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">
                      <Link to={`/gestion/terres/baux/${r.leaseId}`}>
                        {r.plot} — {r.holder}
                      </Link>
                      <span className="cell-sub">{r.email}</span>
                    </th>
                    <td>
                      <TermCell startsOn={r.periodStart} endsOn={r.periodEnd} />
                    </td>
                    <td className="nowrap">
                      {r.invoice ? <Link to={`/gestion/factures/${r.invoice.id}`}>{r.invoice.number}</Link> : "—"}
                    </td>
                    <td className="num">{formatCents(r.amountCents)}</td>
                    <td>{formatDate(r.dueOn, "short")}</td>
                    <td className="num">{formatNumber(r.daysLate)} j</td>
                    <td>
                      {r.remindedAt ? formatDate(r.remindedAt, "short") : <span className="muted">pas encore</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
