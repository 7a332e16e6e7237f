import type { LoaderFunctionArgs } from "@remix-run/node";
import { pickFiscalYear } from "~/components/dashboard/load.server";
import { exportPlanCsv, parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { httpError } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

// GET /gestion/plan-d-affaires.csv?exercice=… — the plan of a fiscal year for a spreadsheet (see exportPlanCsv).
export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const requested = new URL(request.url).searchParams.get("exercice");
  const { selected, unknown } = await pickFiscalYear(db, { poleId: pole.id, requested, today: parisDate(new Date()) });
  if (unknown || !selected) httpError(404, "Cet exercice n'existe pas.");
  const csv = await exportPlanCsv(db, { poleId: pole.id, fiscalYearId: selected.id });
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="plan-d-affaires-${selected.startDate.slice(0, 4)}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
