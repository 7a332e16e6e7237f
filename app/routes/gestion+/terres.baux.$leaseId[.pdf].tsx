import type { LoaderFunctionArgs } from "@remix-run/node";
import { getLeaseDocument, leasePdfResponse } from "~/domain/leasing/index.server";
import { parisDate } from "~/domain/ledger/dates";
import { db } from "~/utils/db.server";
import { httpError } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

// GET /gestion/terres/baux/<id>.pdf: the lease summary of any lease or offer of the pole, for staff.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "land:manage");
  const document = await getLeaseDocument(db, {
    poleId: pole.id,
    leaseId: params.leaseId ?? "",
    today: parisDate(new Date()),
  });
  if (!document) httpError(404, "Ce bail n'existe pas.");
  return leasePdfResponse(document);
}
