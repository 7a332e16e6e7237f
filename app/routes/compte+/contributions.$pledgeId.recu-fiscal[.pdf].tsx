import type { LoaderFunctionArgs } from "@remix-run/node";
import { pdfResponse, renderTaxReceiptPdf, taxReceipt } from "~/domain/crowdfunding/index.server";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { httpError } from "~/utils/http.server";

// GET /compte/contributions/<id>/recu-fiscal.pdf: the tax receipt of one's own gift, only where the pole is
// eligible (off by default: a SCIC usually is not) and the gift is kept.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const receipt = await taxReceipt(db, { poleId: pole.id, pledgeId: params.pledgeId ?? "", personId: person.id });
  if (!receipt) httpError(404, "Ce reçu n'existe pas ou ne vous concerne pas.");
  return pdfResponse(await renderTaxReceiptPdf(receipt), `recu-fiscal-${receipt.reference}`);
}
