import type { LoaderFunctionArgs } from "@remix-run/node";
import { bookingFilterOf, parseBookingQuery } from "~/domain/booking/admin-schemas";
import { bookingsCsv } from "~/domain/booking/index.server";
import { parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { httpError } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

// GET /gestion/espaces/reservations.csv?from=2027-03-01&to=2027-03-31&status=LIVE… — the bookings of the list's
// filter, every page (UTF-8 with BOM, ";" separators, French dates, for French spreadsheets). A download has
// nobody to show a notice to: a filter that cannot be read is refused rather than silently widened.
export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "spaces:manage");
  const { query, notices } = parseBookingQuery(new URL(request.url).searchParams, parisDate(new Date()));
  if (notices.length) httpError(400, notices[0]);
  if (query.space && !(await db.space.findFirst({ where: { id: query.space, poleId: pole.id }, select: { id: true } })))
    httpError(404, "Cet espace n'existe pas.");
  const csv = await bookingsCsv(db, pole.id, bookingFilterOf(query));
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="reservations-${query.from}-${query.to}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
