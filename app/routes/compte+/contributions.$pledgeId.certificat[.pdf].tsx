import type { LoaderFunctionArgs } from "@remix-run/node";
import { pdfResponse, renderShareCertificatePdf, shareCertificate } from "~/domain/crowdfunding/index.server";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { httpError } from "~/utils/http.server";

// GET /compte/contributions/<id>/certificat.pdf: the share subscription certificate of one's own paid-up shares.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const certificate = await shareCertificate(db, {
    poleId: pole.id,
    pledgeId: params.pledgeId ?? "",
    personId: person.id,
  });
  if (!certificate) httpError(404, "Cette attestation n'existe pas ou ne vous concerne pas.");
  return pdfResponse(await renderShareCertificatePdf(certificate), `attestation-souscription-${certificate.reference}`);
}
