import type { LoaderFunctionArgs } from "@remix-run/node";
import { reportYearOf } from "~/domain/training/admin-schemas";
import { reportCsv, yearlyReport } from "~/domain/training/index.server";
import { db } from "~/utils/db.server";
import { httpError } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

// GET /gestion/formations/bilan.csv?annee=2027 — the yearly report as one table (UTF-8 with BOM, ";" separators,
// amounts with a decimal comma). A download has nobody to show a notice to: a year it cannot read is refused.
export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "training:manage");
  const year = reportYearOf(new URL(request.url).searchParams, 0);
  if (year === 0) httpError(400, "Indiquez l'année du bilan (ex. ?annee=2027).");
  const csv = reportCsv(await yearlyReport(db, { poleId: pole.id, year }));
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="bilan-formations-${year}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
