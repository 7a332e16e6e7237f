import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvFilename, entriesCsvChunks } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { httpError } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";
import { dayField, z } from "~/utils/validation";

// GET /gestion/comptabilite/exports/ecritures.csv?from=2027-01-01&to=2027-12-31 — the entry lines of a period,
// streamed page by page (UTF-8 with BOM, ";" separators, for French spreadsheets).
const isoDate = (message: string) => dayField(message, message);

const PeriodQuery = z
  .object({
    from: isoDate("Indiquez une date de début valide (AAAA-MM-JJ)."),
    to: isoDate("Indiquez une date de fin valide (AAAA-MM-JJ)."),
  })
  .refine((q) => q.from <= q.to, { error: "La date de fin doit suivre la date de début.", path: ["to"] });

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const parsed = PeriodQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) httpError(400, parsed.error.issues[0].message);
  const { from, to } = parsed.data;

  const chunks = entriesCsvChunks(db, { poleId: pole.id, from, to });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${csvFilename({ from, to })}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
