import type { LoaderFunctionArgs } from "@remix-run/node";
import { registerCsv } from "~/domain/crowdfunding/index.server";
import { parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { requirePermission } from "~/utils/permissions.server";

// GET /gestion/financement/associes.csv — the register of associates (UTF-8 with BOM, ";" separators, French
// dates), for the board's records.
export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "crowdfunding:manage");
  const csv = await registerCsv(db, pole.id);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="registre-des-associes-${parisDate(new Date())}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
