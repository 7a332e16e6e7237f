import type { LoaderFunctionArgs } from "@remix-run/node";
import { parisDate, vatReturn, vatReturnCsv, vatSettings } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { requestedVatPeriod } from "~/utils/ledger-reports.server";
import { requirePermission } from "~/utils/permissions.server";

// GET /gestion/comptabilite/tva.csv?periode=2026-03 — the CA3 lines of a period and every document and entry behind
// them, as one table (UTF-8 with BOM, ";" separators, amounts with a decimal comma, negative for credit notes).
export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const settings = await vatSettings(db, pole.id);
  const period = requestedVatPeriod(new URL(request.url), settings.vatPeriod, parisDate(new Date()));
  const figures = await vatReturn(db, { poleId: pole.id, period, basis: settings.vatBasis });
  return new Response(vatReturnCsv(figures), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="tva-ca3-${period.key}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
