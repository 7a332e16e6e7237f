import type { LoaderFunctionArgs } from "@remix-run/node";
import { fecExport } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { httpError } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";
import { text, z } from "~/utils/validation";

// GET /gestion/comptabilite/exports/fec?fiscalYearId=<fiscal year id> — the FEC of one fiscal year, ISO 8859-15.
const FecQuery = z.object({
  fiscalYearId: text({ error: "Choisissez un exercice." })
    .trim()
    .min(1, { error: "Choisissez un exercice." })
    .max(64, { error: "Cet exercice n'existe pas." }),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const parsed = FecQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) httpError(400, parsed.error.issues[0].message);

  const result = await fecExport(db, { poleId: pole.id, fiscalYearId: parsed.data.fiscalYearId });
  if (!result.ok) httpError(result.status, result.message);
  const { filename, body, encoding } = result.value;
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": `text/plain; charset=${encoding}`,
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Content-Length": String(body.byteLength),
      "Cache-Control": "private, no-store",
    },
  });
}
