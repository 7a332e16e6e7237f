import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { loadAnnualReport } from "~/components/annual-report/load.server";
import { AnnualReportView } from "~/components/annual-report/report-view";
import { parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { MEMBERS_ONLY, requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Rapport annuel — Terrain Commun" }];

// GET /transparence/rapport-annuel?exercice=<id>: the annual report the members vote on, read-only — the same
// aggregates as the back office's page (decision 025).
export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "transparency:view", MEMBERS_ONLY);
  return json(await loadAnnualReport(db, { poleId: pole.id, url: new URL(request.url), today: parisDate(new Date()) }));
}

export default function MembersAnnualReportPage() {
  const view = useLoaderData<typeof loader>();
  return (
    <>
      <p className="eyebrow">
        <Link to="/transparence">Transparence</Link>
      </p>
      <h1>Rapport annuel{view.report ? ` — ${view.report.fiscalYear.label}` : ""}</h1>
      <p className="lead">
        Le rapport soumis à l'assemblée générale : l'activité du pôle, ses recettes face au plan d'affaires voté, son
        autofinancement et le résumé de son compte de résultat.
      </p>
      <AnnualReportView
        view={view}
        action="/transparence/rapport-annuel"
        pdfHref="/transparence/rapport-annuel.pdf"
        empty={<p>Aucun exercice n'est encore ouvert : le rapport apparaîtra ici.</p>}
      />
    </>
  );
}
