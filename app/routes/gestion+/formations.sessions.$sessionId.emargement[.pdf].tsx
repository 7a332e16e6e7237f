import type { LoaderFunctionArgs } from "@remix-run/node";
import { attendanceSheet, renderAttendanceSheetPdf, trainingPdfResponse } from "~/domain/training/index.server";
import { db } from "~/utils/db.server";
import { httpError } from "~/utils/http.server";
import { requireSessionAccess } from "~/utils/training-access.server";

// GET /gestion/formations/sessions/<id>/emargement.pdf: the session's attendance sheet, for staff and its trainers.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireSessionAccess(request, params.sessionId);
  const sheet = await attendanceSheet(db, { poleId: access.pole.id, sessionId: access.sessionId });
  if (!sheet) httpError(404, "Cette session n'existe pas.");
  const day = sheet.halfDays[0]?.day ?? "";
  return trainingPdfResponse(await renderAttendanceSheetPdf(sheet), `emargement-${day}-${sheet.sessionId.slice(-6)}`);
}
