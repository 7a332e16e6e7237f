import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { loadAnnualReport } from "~/components/annual-report/load.server";
import { AnnualReportView } from "~/components/annual-report/report-view";
import { parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Rapport annuel — Gestion" }];

// GET /gestion/rapport-annuel?exercice=<id>: the annual report for the general assembly and the funders
// (decision 025); members read the same at /transparence/rapport-annuel.
export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  return json(await loadAnnualReport(db, { poleId: pole.id, url: new URL(request.url), today: parisDate(new Date()) }));
}

export default function AnnualReportPage() {
  const view = useLoaderData<typeof loader>();
  return (
    <>
      <div className="title-row">
        <h1>Rapport annuel{view.report ? ` — ${view.report.fiscalYear.label}` : ""}</h1>
        <p className="dashboard-actions">
          <Link to="/gestion/tableau-de-bord">Tableau de bord</Link>
          <Link to="/gestion/comptabilite">Comptabilité</Link>
        </p>
      </div>
      <p className="lead">
        Ce que l'assemblée générale approuve et ce que demandent les financeurs : l'activité de chaque flux, les
        recettes face au plan d'affaires, l'autofinancement au fil des exercices et le résumé du compte de résultat.
      </p>
      <AnnualReportView
        view={view}
        action="/gestion/rapport-annuel"
        pdfHref="/gestion/rapport-annuel.pdf"
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
