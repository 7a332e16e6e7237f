import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LandBadge } from "~/components/land-admin";
import { staffCourses } from "~/domain/training/index.server";
import { db } from "~/utils/db.server";
import { formatCents, formatNumber } from "~/utils/format";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Formations — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "training:manage");
  const courses = await staffCourses(db, pole.id, new Date());
  return json({
    courses: courses.map((c) => ({
      id: c.id,
      title: c.title,
      slug: c.slug,
      axis: c.axis,
      durationHours: c.durationHours,
      memberCents: c.memberCents,
      publicCents: c.publicCents,
      fundedCents: c.fundedCents,
      published: c.published,
      opensPlotPath: c.opensPlotPath,
      sessions: c.sessions,
      upcomingSessions: c.upcomingSessions,
    })),
  });
}

export default function Courses() {
  const { courses } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="title-row">
        <h1>Formations</h1>
        <p className="link-row">
          <Link to="/gestion/formations/sessions/nouvelle" className="button button-secondary">
            Nouvelle session
          </Link>
          <Link to="/gestion/formations/nouvelle" className="button">
            Nouvelle formation
          </Link>
        </p>
      </div>
      {courses.length === 0 ? (
        <p className="notice">
          Aucune formation pour l'instant. <Link to="/gestion/formations/nouvelle">Créer la première</Link>.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table courses-table">
            <caption className="visually-hidden">
              Les formations du pôle, publiées d'abord, avec leurs tarifs et leurs sessions à venir
            </caption>
            <thead>
              <tr>
                <th scope="col">Formation</th>
                <th scope="col" className="num">
                  Durée
                </th>
                <th scope="col" className="num">
                  Membre
                </th>
                <th scope="col" className="num">
                  Public
                </th>
                <th scope="col" className="num">
                  Financé
                </th>
                <th scope="col" className="num">
                  Sessions à venir
                </th>
                <th scope="col">Catalogue</th>
              </tr>
            </thead>
            <tbody>
              {courses.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to={`/gestion/formations/${c.id}`}>{c.title}</Link>
                    <span className="cell-sub">
                      {c.axis || "Sans axe"}
                      {c.opensPlotPath ? " — ouvre l'accès à un espace-test" : ""}
                    </span>
                  </th>
                  <td className="num">{formatNumber(c.durationHours)} h</td>
                  <td className="num">{formatCents(c.memberCents)}</td>
                  <td className="num">{formatCents(c.publicCents)}</td>
                  <td className="num">{formatCents(c.fundedCents)}</td>
                  <td className="num">
                    {c.upcomingSessions > 0 ? (
                      <Link to={`/gestion/formations/${c.id}#sessions`}>{formatNumber(c.upcomingSessions)}</Link>
                    ) : (
                      "0"
                    )}
                    <span className="cell-sub">
                      {formatNumber(c.sessions)} en tout —{" "}
                      <Link to={`/gestion/formations/sessions/nouvelle?formation=${c.id}`}>programmer</Link>
                    </span>
                  </td>
                  <td>
                    {c.published ? (
                      <LandBadge tone="paid" label="Publiée" />
                    ) : (
                      <LandBadge tone="muted" label="Brouillon" />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
