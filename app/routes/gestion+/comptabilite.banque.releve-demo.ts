import type { LoaderFunctionArgs } from "@remix-run/node";
import { DemoMonthSchema } from "~/domain/ledger/bank/schemas";
import { demoBankStatement, isDemoPole, parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { httpError } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

// GET /gestion/comptabilite/banque/releve-demo?mois=AAAA-MM — the demo bank's CAMT.053 statement of a month, built
// from the books. Staff only, on the demo pole only: a pole with a real bank imports its bank's files.
export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  if (!isDemoPole(pole)) httpError(404, "Le relevé de démonstration n'existe que sur le pôle de démonstration.");
  const parsed = DemoMonthSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) httpError(400, parsed.error.issues[0].message);
  const result = await demoBankStatement(db, {
    poleId: pole.id,
    month: parsed.data.mois,
    today: parisDate(new Date()),
  });
  if (!result.ok) httpError(result.status, result.message);
  const body = Buffer.from(result.value.body, "utf8");
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/xml; charset=utf-8",
      "Content-Disposition": `attachment; filename="${result.value.filename}"`,
      "Content-Length": String(body.byteLength),
      "Cache-Control": "private, no-store",
    },
  });
}
