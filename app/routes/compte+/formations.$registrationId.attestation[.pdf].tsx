import type { LoaderFunctionArgs } from "@remix-run/node";
import { certificateDocument, renderCertificatePdf, trainingPdfResponse } from "~/domain/training/index.server";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { httpError } from "~/utils/http.server";

// GET /compte/formations/<id>/attestation.pdf: one's own certificate of completion; anyone else's is a 404.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const certificate = await certificateDocument(db, {
    poleId: pole.id,
    registrationId: params.registrationId ?? "",
    personId: person.id,
  });
  if (!certificate) httpError(404, "Cette attestation n'existe pas ou ne vous concerne pas.");
  return trainingPdfResponse(await renderCertificatePdf(certificate), `attestation-formation-${certificate.number}`);
}
