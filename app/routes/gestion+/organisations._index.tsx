import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listOrganisations } from "~/domain/identity/index.server";
import { ORGANISATION_KIND_LABELS } from "~/domain/identity/gestion-schemas";
import { db } from "~/utils/db.server";
import { formatNumber } from "~/utils/format";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Organisations — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "organisations:manage");
  const organisations = await listOrganisations(db, pole.id);
  return json({
    organisations: organisations.map((o) => ({
      id: o.id,
      name: o.name,
      kind: o.kind,
      isMember: o.isMember,
      city: o.city,
      people: o._count.people,
    })),
  });
}

export default function Organisations() {
  const { organisations } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="title-row">
        <h1>Organisations</h1>
        <Link to="/gestion/organisations/nouvelle" className="button">
          Ajouter une organisation
        </Link>
      </div>
      <p className="muted">
        {formatNumber(organisations.filter((o) => o.isMember).length)} organisations membres sur{" "}
        {formatNumber(organisations.length)}.
      </p>
      <div className="table-scroll">
        <table className="table">
          <caption className="visually-hidden">Organisations du pôle</caption>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Type</th>
              <th scope="col">Commune</th>
              <th scope="col">Statut</th>
              <th scope="col" className="num">
                Personnes
              </th>
            </tr>
          </thead>
          <tbody>
            {organisations.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/gestion/organisations/${o.id}`}>{o.name}</Link>
                </td>
                <td>{ORGANISATION_KIND_LABELS[o.kind]}</td>
                <td>{o.city ?? "—"}</td>
                <td>
                  {o.isMember ? (
                    <span className="badge badge-member">Membre</span>
                  ) : (
                    <span className="badge">Partenaire</span>
                  )}
                </td>
                <td className="num">{formatNumber(o.people)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
