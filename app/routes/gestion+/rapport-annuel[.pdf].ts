import type { LoaderFunctionArgs } from "@remix-run/node";
import { annualReportPdf } from "~/components/annual-report/load.server";
import { parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { requirePermission } from "~/utils/permissions.server";

// GET /gestion/rapport-annuel.pdf?exercice=<id>: the annual report as a PDF, for staff (decision 025).
export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  return annualReportPdf(db, { poleId: pole.id, url: new URL(request.url), today: parisDate(new Date()) });
}
