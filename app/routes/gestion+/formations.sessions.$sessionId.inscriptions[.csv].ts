import type { LoaderFunctionArgs } from "@remix-run/node";
import { parisDate } from "~/domain/ledger/index.server";
import { parseRegistrationQuery } from "~/domain/training/admin-schemas";
import { registrationsCsv } from "~/domain/training/index.server";
import { db } from "~/utils/db.server";
import { httpError } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

// GET /gestion/formations/sessions/<session>/inscriptions.csv?status=…&payer=…&q=… — every registration of the
// list's filter, every state (UTF-8 with BOM, ";" separators, French dates and amounts, for French spreadsheets).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "training:manage");
  const session = await db.trainingSession.findFirst({
    where: { id: params.sessionId ?? "", poleId: pole.id },
    select: { id: true, startsAt: true, course: { select: { slug: true } } },
  });
  if (!session) httpError(404, "Cette session n'existe pas.");
  const query = parseRegistrationQuery(new URL(request.url).searchParams);
  const csv = await registrationsCsv(db, { poleId: pole.id, sessionId: session.id, ...query });
  const day = parisDate(session.startsAt);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="inscriptions-${session.course.slug}-${day}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
