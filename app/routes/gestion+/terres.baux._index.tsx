import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LandBadge, LandFilters, LEASE_TONES, TermCell } from "~/components/land-admin";
import { Pagination } from "~/components/pagination";
import { FilterSelect, Notices } from "~/components/spaces-admin";
import { KIND_SHORT, parseLeaseQuery, REGISTER_STATUS_LABELS, REGISTER_STATUSES } from "~/domain/leasing/admin-schemas";
import { LEASE_STATUS_LABELS, leaseRegister, plotFilter } from "~/domain/leasing/index.server";
import { FREQUENCY_LABELS } from "~/domain/leasing/rules";
import { parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { formatCents, formatDate, formatNumber } from "~/utils/format";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Registre des baux — Gestion" }];

const PAGE_SIZE = 50;

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "land:manage");
  const query = parseLeaseQuery(new URL(request.url).searchParams);
  const { plots, plotId, notices } = await plotFilter(db, pole.id, query.plot);
  query.plot = plotId;
  const today = parisDate(new Date());
  const { total, rows } = await leaseRegister(db, {
    poleId: pole.id,
    status: query.status,
    kind: query.kind,
    plotId: query.plot,
    q: query.q,
    today,
    page: query.page,
    pageSize: PAGE_SIZE,
  });
  return json({
    query,
    notices,
    plots,
    total,
    page: query.page,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    rows: rows.map((l) => ({
      id: l.id,
      plot: l.plot.code,
      holder: l.holder.name,
      kind: KIND_SHORT[l.kind],
      renewal: l.renewalNumber,
      startsOn: l.startsOn,
      endsOn: l.endsOn,
      yearlyRentCents: l.yearlyRentCents,
      frequency: FREQUENCY_LABELS[l.frequency],
      unpaidCents: l.unpaidCents,
      status: l.status,
      statusLabel: LEASE_STATUS_LABELS[l.status],
      offerExpiresAt: l.status === "OFFERED" ? l.offerExpiresAt : null,
      notice: Boolean(l.endNoticeOn),
    })),
  });
}

export default function Leases() {
  const { query, notices, plots, rows, total, page, pageCount } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Registre des baux</h1>
      <Notices notices={notices} />
      <LandFilters
        label="Filtrer les baux"
        status={
          <FilterSelect
            name="status"
            label="Statut"
            value={query.status}
            options={REGISTER_STATUSES.map((s) => ({ value: s, label: REGISTER_STATUS_LABELS[s] }))}
          />
        }
        query={query}
        plots={plots}
        words={{ kind: "Type de bail", plot: "Parcelle", person: "Titulaire" }}
      />
      <p className="muted">{formatNumber(total)} bail(aux) ou proposition(s).</p>
      {rows.length === 0 ? (
        <p className="notice">Aucun bail ne correspond à ces critères.</p>
      ) : (
        <div className="table-scroll">
          <table className="table leases-table">
            <caption className="visually-hidden">Baux et propositions, par parcelle</caption>
            <thead>
              <tr>
                <th scope="col">Parcelle</th>
                <th scope="col">Titulaire</th>
                <th scope="col">Bail</th>
                <th scope="col">Durée</th>
                <th scope="col" className="num">
                  Loyer annuel
                </th>
                <th scope="col" className="num">
                  Facturé non payé
                </th>
                <th scope="col">État</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((l) => (
                <tr key={l.id}>
                  <th scope="row">
                    <Link to={`/gestion/terres/baux/${l.id}`}>{l.plot}</Link>
                  </th>
                  <td>{l.holder}</td>
                  <td>
                    {l.kind}
                    {l.renewal > 0 ? <span className="cell-sub">renouvellement n° {l.renewal}</span> : null}
                  </td>
                  <td>
                    <TermCell startsOn={l.startsOn} endsOn={l.endsOn} />
                  </td>
                  <td className="num">
                    {formatCents(l.yearlyRentCents)}
                    <span className="cell-sub">échéances {l.frequency}s</span>
                  </td>
                  <td className="num">
                    {l.unpaidCents > 0 ? formatCents(l.unpaidCents) : <span className="muted">—</span>}
                  </td>
                  <td>
                    <LandBadge tone={LEASE_TONES[l.status]} label={l.statusLabel} />
                    {l.offerExpiresAt ? (
                      <span className="cell-sub">avant le {formatDate(l.offerExpiresAt, "short")}</span>
                    ) : null}
                    {l.notice ? <span className="cell-sub">congé donné</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pageCount={pageCount} filter={query} />
    </>
  );
}
