import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DashboardView } from "~/components/dashboard/dashboard-view";
import { loadDashboard } from "~/components/dashboard/load.server";
import { parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Tableau de bord — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const view = await loadDashboard(db, {
    poleId: pole.id,
    searchParams: new URL(request.url).searchParams,
    today: parisDate(new Date()),
  });
  return json(view);
}

export default function DashboardPage() {
  const view = useLoaderData<typeof loader>();
  const yearId = view.period?.fiscalYear.id;
  return (
    <>
      <div className="title-row">
        <h1>Tableau de bord</h1>
        <p className="dashboard-actions">
          <Link to={yearId ? `/gestion/plan-d-affaires?exercice=${yearId}` : "/gestion/plan-d-affaires"}>
            Plan d'affaires
          </Link>
          <Link to="/gestion/rapport-annuel">Rapport annuel</Link>
          <Link to="/gestion/comptabilite">Comptabilité</Link>
        </p>
      </div>
      <p className="lead">
        Le plan d'affaires face aux recettes enregistrées, flux par flux, et le taux d'autofinancement du pôle.
      </p>
      <DashboardView
        view={view}
        action="/gestion/tableau-de-bord"
        empty={
          <p>
            Aucun exercice n'est encore ouvert.{" "}
            <Link to="/gestion/plan-d-affaires">Ouvrez l'exercice et saisissez le plan d'affaires</Link>.
          </p>
        }
      />
    </>
  );
}
