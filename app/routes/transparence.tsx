import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DashboardView } from "~/components/dashboard/dashboard-view";
import { loadDashboard } from "~/components/dashboard/load.server";
import { parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { MEMBERS_ONLY, requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Transparence financière — Terrain Commun" }];

/** Members (and staff) see the dashboard's aggregates, read-only: no entry, no invoice, no third party. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "transparency:view", MEMBERS_ONLY);
  const view = await loadDashboard(db, {
    poleId: pole.id,
    searchParams: new URL(request.url).searchParams,
    today: parisDate(new Date()),
  });
  return json({ poleName: pole.name, view });
}

export default function TransparencyPage() {
  const { poleName, view } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="eyebrow">Transparence</p>
      <h1>Les comptes du {poleName}</h1>
      <p className="lead">
        Où en est le pôle de son plan d'affaires et de son autofinancement ? Les recettes de chaque activité, comparées
        aux objectifs votés, mises à jour à chaque écriture comptable.
      </p>
      <p className="dashboard-actions">
        <Link to="/transparence/rapport-annuel">Le rapport annuel soumis à l'assemblée générale</Link>
      </p>
      <DashboardView
        view={view}
        action="/transparence"
        empty={<p>Aucun exercice n'est encore ouvert : les chiffres apparaîtront ici.</p>}
      />
    </>
  );
}
