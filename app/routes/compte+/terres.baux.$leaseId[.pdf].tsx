import type { LoaderFunctionArgs } from "@remix-run/node";
import { getLeaseDocument, leasePdfResponse } from "~/domain/leasing/index.server";
import { parisDate } from "~/domain/ledger/dates";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { httpError } from "~/utils/http.server";

// GET /compte/terres/baux/<id>.pdf: the same document and the same rule as the printable page (holder only).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const document = await getLeaseDocument(db, {
    poleId: pole.id,
    leaseId: params.leaseId ?? "",
    holderId: person.id,
    today: parisDate(new Date()),
  });
  if (!document) httpError(404, "Ce bail n'existe pas ou ne vous concerne pas.");
  return leasePdfResponse(document);
}
