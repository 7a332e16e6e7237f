import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ROLE_LABELS } from "~/domain/identity/gestion-schemas";
import { trainingFigures } from "~/domain/training/index.server";
import { db } from "~/utils/db.server";
import { formatNumber } from "~/utils/format";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Gestion — Terrain Commun" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "backoffice");
  const [
    roles,
    organisations,
    memberOrganisations,
    emails,
    upcomingBookings,
    awaitingPayment,
    runningLeases,
    waitingApplications,
    training,
  ] = await Promise.all([
    db.membership.groupBy({ by: ["role"], where: { poleId: pole.id }, _count: { _all: true } }),
    db.organisation.count({ where: { poleId: pole.id } }),
    db.organisation.count({ where: { poleId: pole.id, isMember: true } }),
    db.outboxEmail.count({ where: { poleId: pole.id } }),
    db.booking.count({
      where: {
        poleId: pole.id,
        kind: "BOOKING",
        status: { in: ["AWAITING_PAYMENT", "CONFIRMED"] },
        endsAt: { gt: new Date() },
      },
    }),
    db.booking.count({ where: { poleId: pole.id, kind: "BOOKING", status: "AWAITING_PAYMENT" } }),
    db.lease.count({ where: { poleId: pole.id, status: "ACTIVE", endsOn: { gt: new Date() } } }),
    db.waitlistEntry.count({ where: { poleId: pole.id, kind: "PLOT", status: "WAITING" } }),
    trainingFigures(db, pole.id, new Date()),
  ]);
  const byRole = Object.fromEntries(roles.map((r) => [r.role, r._count._all]));
  return json({
    poleName: pole.name,
    byRole,
    organisations,
    memberOrganisations,
    emails,
    upcomingBookings,
    awaitingPayment,
    runningLeases,
    waitingApplications,
    training,
  });
}

export default function BackOfficeHome() {
  const {
    poleName,
    byRole,
    organisations,
    memberOrganisations,
    emails,
    upcomingBookings,
    awaitingPayment,
    runningLeases,
    waitingApplications,
    training,
  } = useLoaderData<typeof loader>();
  const people = Object.values(byRole).reduce((a, b) => a + b, 0);
  return (
    <>
      <h1>Gestion du {poleName}</h1>
      <ul className="stat-grid">
        <li className="card stat">
          <span className="stat-value">{formatNumber(upcomingBookings)}</span>
          <span className="stat-label">
            réservations à venir{awaitingPayment > 0 ? ` — ${formatNumber(awaitingPayment)} à encaisser sur place` : ""}
          </span>
          <Link to="/gestion/espaces">Espaces et réservations</Link>
        </li>
        <li className="card stat">
          <span className="stat-value">{formatNumber(runningLeases)}</span>
          <span className="stat-label">
            baux en cours
            {waitingApplications > 0 ? ` — ${formatNumber(waitingApplications)} candidature(s) en attente` : ""}
          </span>
          <Link to="/gestion/terres">Terres et baux</Link>
        </li>
        <li className="card stat">
          <span className="stat-value">{formatNumber(training.upcomingSessions)}</span>
          <span className="stat-label">
            sessions de formation à venir — {formatNumber(training.seatsTaken)} places prises sur{" "}
            {formatNumber(training.capacity)}
            {training.underMinimum > 0 ? (
              <strong> — {formatNumber(training.underMinimum)} sous leur minimum, à décider</strong>
            ) : null}
          </span>
          <Link to="/gestion/formations/sessions">Formations</Link>
        </li>
        <li className="card stat">
          <span className="stat-value">{formatNumber(people)}</span>
          <span className="stat-label">personnes inscrites</span>
          <Link to="/gestion/personnes">Voir les personnes</Link>
        </li>
        <li className="card stat">
          <span className="stat-value">{formatNumber(memberOrganisations)}</span>
          <span className="stat-label">organisations membres sur {formatNumber(organisations)}</span>
          <Link to="/gestion/organisations">Voir les organisations</Link>
        </li>
        <li className="card stat">
          <span className="stat-value">{formatNumber(emails)}</span>
          <span className="stat-label">emails envoyés</span>
          <Link to="/gestion/emails">Lire les emails</Link>
        </li>
      </ul>
      <section className="card" aria-labelledby="roles">
        <h2 id="roles">Rôles</h2>
        <table className="table">
          <caption className="visually-hidden">Nombre de personnes par rôle</caption>
          <thead>
            <tr>
              <th scope="col">Rôle</th>
              <th scope="col" className="num">
                Personnes
              </th>
            </tr>
          </thead>
          <tbody>
            {(Object.keys(ROLE_LABELS) as (keyof typeof ROLE_LABELS)[]).map((role) => (
              <tr key={role}>
                <td>
                  <Link to={`/gestion/personnes?role=${role}`}>{ROLE_LABELS[role]}</Link>
                </td>
                <td className="num">{formatNumber(byRole[role] ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
