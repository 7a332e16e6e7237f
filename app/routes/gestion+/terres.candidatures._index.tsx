import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { APPLICATION_TONES, LandBadge, LandFilters } from "~/components/land-admin";
import { Pagination } from "~/components/pagination";
import { FilterSelect, Notices } from "~/components/spaces-admin";
import {
  APPLICATION_STATUS_LABELS,
  KIND_SHORT,
  parseApplicationQuery,
  QUEUE_FILTERS,
} from "~/domain/leasing/admin-schemas";
import { applicationsQueue, plotFilter } from "~/domain/leasing/index.server";
import { KIND_LABELS } from "~/domain/leasing/rules";
import { db } from "~/utils/db.server";
import { formatDate, formatNumber } from "~/utils/format";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Candidatures — Gestion" }];

const PAGE_SIZE = 50;

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "land:manage");
  const query = parseApplicationQuery(new URL(request.url).searchParams);
  const { plots, plotId, notices } = await plotFilter(db, pole.id, query.plot);
  query.plot = plotId;
  const all = await applicationsQueue(db, {
    poleId: pole.id,
    status: query.status,
    kind: query.kind,
    plotId: query.plot,
    q: query.q,
  });
  const pageCount = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const page = Math.min(query.page, pageCount);
  return json({
    query: { ...query, page },
    notices,
    plots,
    total: all.length,
    page,
    pageCount,
    rows: all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((a) => ({
      id: a.id,
      position: a.position,
      person: a.person.name,
      choices: a.choices.map((c) => c.plot.code),
      minSurfaceM2: a.minSurfaceM2,
      kind: KIND_SHORT[a.leaseKind],
      kindLabel: KIND_LABELS[a.leaseKind],
      desiredStartOn: a.desiredStartOn,
      since: a.entry.createdAt,
      status: a.entry.status,
      statusLabel: APPLICATION_STATUS_LABELS[a.entry.status],
      offerExpiresAt: a.leases[0]?.offerExpiresAt ?? null,
      training: a.trainingPath.courses.length > 0 ? "done" : a.trainingPath.missing ? "missing" : null,
    })),
  });
}

export default function Applications() {
  const { query, notices, plots, rows, total, page, pageCount } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Candidatures</h1>
      <p className="muted">
        Dans l'ordre de la file d'attente (la date d'inscription, sauf déplacement motivé), puis les candidatures
        sorties de la file, les plus récentes d'abord.
      </p>
      <Notices notices={notices} />
      <LandFilters
        label="Filtrer les candidatures"
        status={
          <FilterSelect
            name="status"
            label="Statut"
            value={query.status}
            all="Toutes"
            options={Object.entries(QUEUE_FILTERS).map(([value, label]) => ({ value, label }))}
          />
        }
        query={query}
        plots={plots}
        words={{ kind: "Bail souhaité", plot: "Parcelle demandée", person: "Personne" }}
      />
      <p className="muted">{formatNumber(total)} candidature(s).</p>
      {rows.length === 0 ? (
        <p className="notice">Aucune candidature ne correspond à ces critères.</p>
      ) : (
        <div className="table-scroll">
          <table className="table queue-table">
            <caption className="visually-hidden">Candidatures, dans l'ordre de la file</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Rang
                </th>
                <th scope="col">Personne</th>
                <th scope="col">Parcelles demandées</th>
                <th scope="col">Bail souhaité</th>
                <th scope="col">Début souhaité</th>
                <th scope="col">En attente depuis</th>
                <th scope="col">Statut</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td className="num">{r.position ?? <span className="muted">—</span>}</td>
                  <th scope="row">
                    <Link to={`/gestion/terres/candidatures/${r.id}`}>{r.person}</Link>
                  </th>
                  <td>
                    {r.choices.length ? r.choices.join(", ") : null}
                    {r.minSurfaceM2 ? (
                      <span
                        className={r.choices.length ? "cell-sub" : "nowrap"}
                      >{`${r.choices.length ? "ou " : ""}≥ ${formatNumber(r.minSurfaceM2)} m²`}</span>
                    ) : null}
                  </td>
                  <td>
                    <abbr title={r.kindLabel}>{r.kind}</abbr>
                    {r.training === "done" ? (
                      <span className="cell-sub">formation suivie ✓</span>
                    ) : r.training === "missing" ? (
                      <span className="cell-sub">formation requise</span>
                    ) : null}
                  </td>
                  <td>{formatDate(r.desiredStartOn, "short")}</td>
                  <td>{formatDate(r.since, "short")}</td>
                  <td>
                    <LandBadge tone={APPLICATION_TONES[r.status]} label={r.statusLabel} />
                    {r.status === "OFFERED" && r.offerExpiresAt ? (
                      <span className="cell-sub">réponse avant le {formatDate(r.offerExpiresAt, "short")}</span>
                    ) : null}
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
