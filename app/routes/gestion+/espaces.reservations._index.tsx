import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { PeriodFields } from "~/components/ledger";
import { Pagination } from "~/components/pagination";
import { FilterSelect, Notices, StatusBadge } from "~/components/spaces-admin";
import {
  BOOKING_TYPES,
  bookingFilterOf,
  bookingQueryString,
  parseBookingQuery,
  STATUS_FILTERS,
} from "~/domain/booking/admin-schemas";
import { PAID_WITH_LABELS } from "~/domain/booking/describe";
import { listBookings, slotParts, STATUS_LABELS } from "~/domain/booking/index.server";
import { parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { formatCents, formatNumber } from "~/utils/format";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Réservations — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "spaces:manage");
  const { query, notices } = parseBookingQuery(new URL(request.url).searchParams, parisDate(new Date()));
  const spaces = await db.space.findMany({
    where: { poleId: pole.id },
    orderBy: [{ position: "asc" }, { name: "asc" }],
    select: { id: true, name: true },
  });
  if (query.space && !spaces.some((s) => s.id === query.space)) {
    notices.push("Cet espace n'existe pas : tous les espaces sont affichés.");
    delete query.space;
  }
  const { rows, total, page, pageCount } = await listBookings(db, pole.id, bookingFilterOf(query));
  return json({
    query,
    notices,
    spaces,
    total,
    page,
    pageCount,
    // Status labels live with the bookings queries (server code): the page gets them as data.
    statusOptions: STATUS_FILTERS.map((value) => ({
      value,
      label:
        value === "LIVE" ? "Maintenues (non annulées)" : value === "TOUS" ? "Tous les statuts" : STATUS_LABELS[value],
    })),
    csvHref: `/gestion/espaces/reservations.csv?${bookingQueryString({ ...query, page: undefined })}`,
    rows: rows.map((b) => ({
      id: b.id,
      kind: b.kind,
      ...slotParts(b.startsAt, b.endsAt),
      resourceId: b.resourceId,
      resource: b.resource.name,
      space: b.resource.space.name,
      person: b.person?.name ?? null,
      reason: b.reason,
      status: b.status,
      statusLabel: STATUS_LABELS[b.status],
      method: b.paymentMethod ? PAID_WITH_LABELS[b.paymentMethod] : null,
      priceCents: b.priceCents,
      memberRate: b.memberRate,
      noShow: b.noShow,
    })),
  });
}

export default function Bookings() {
  const { query, notices, spaces, rows, total, page, pageCount, csvHref, statusOptions } =
    useLoaderData<typeof loader>();
  return (
    <>
      <div className="title-row">
        <h1>Réservations</h1>
        <p className="link-row">
          <a href={csvHref} className="button button-secondary" download>
            Exporter en CSV
          </a>
          <Link to="/gestion/espaces/reservations/nouvelle" className="button">
            Réserver pour quelqu'un
          </Link>
        </p>
      </div>
      <Notices notices={notices} />
      <Form method="get" className="filters" role="search" aria-label="Filtrer les réservations">
        <PeriodFields from={query.from} to={query.to} />
        <FilterSelect
          name="space"
          label="Espace"
          value={query.space}
          all="Tous"
          options={spaces.map((sp) => ({ value: sp.id, label: sp.name }))}
        />
        <FilterSelect name="status" label="Statut" value={query.status} options={statusOptions} />
        <FilterSelect
          name="kind"
          label="Type"
          value={query.kind}
          all="Réservations et fermetures"
          options={Object.entries(BOOKING_TYPES).map(([value, label]) => ({ value, label }))}
        />
        <div className="field">
          <label htmlFor="q">Personne</label>
          <input id="q" name="q" type="search" defaultValue={query.q ?? ""} placeholder="Nom ou email" />
        </div>
        <button type="submit" className="button button-secondary">
          Filtrer
        </button>
      </Form>
      <p className="muted">{formatNumber(total)} résultat(s) sur la période.</p>
      {rows.length === 0 ? (
        <p className="notice">Aucune réservation ne correspond à ces critères.</p>
      ) : (
        <div className="table-scroll">
          <table className="table bookings-table">
            <caption className="visually-hidden">Réservations et fermetures, dans l'ordre des créneaux</caption>
            <thead>
              <tr>
                <th scope="col">Créneau</th>
                <th scope="col">Poste ou salle</th>
                <th scope="col">Personne</th>
                <th scope="col">Statut</th>
                <th scope="col">Paiement</th>
                <th scope="col" className="num">
                  Montant TTC
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className={r.kind !== "BOOKING" ? "closure-row" : undefined}>
                  <th scope="row">
                    <Link
                      to={
                        r.kind === "CLOSURE"
                          ? `/gestion/espaces/ressources/${r.resourceId}`
                          : r.kind === "TRAINING"
                            ? "/gestion/formations"
                            : `/gestion/espaces/reservations/${r.id}`
                      }
                    >
                      {r.day}
                    </Link>
                    <span className="cell-sub slot-time">{r.time}</span>
                  </th>
                  <td>
                    {r.resource}
                    <span className="cell-sub">{r.space}</span>
                  </td>
                  <td>{r.kind !== "BOOKING" ? <em>{r.reason}</em> : r.person}</td>
                  <td>
                    {r.kind === "CLOSURE" ? (
                      <StatusBadge
                        status="CLOSURE"
                        label={r.status === "CONFIRMED" ? "Fermeture" : "Fermeture levée"}
                      />
                    ) : r.kind === "TRAINING" ? (
                      <StatusBadge
                        status="CLOSURE"
                        label={r.status === "CONFIRMED" ? "Formation" : "Formation annulée"}
                      />
                    ) : (
                      <StatusBadge status={r.status} label={r.statusLabel} />
                    )}
                    {r.noShow ? <span className="badge badge-absent">Absent·e</span> : null}
                  </td>
                  <td>{r.method ?? <span className="muted">—</span>}</td>
                  <td className="num">
                    {r.kind !== "BOOKING" ? null : (
                      <>
                        {formatCents(r.priceCents)}
                        <span className="cell-sub">tarif {r.memberRate ? "membre" : "public"}</span>
                      </>
                    )}
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
