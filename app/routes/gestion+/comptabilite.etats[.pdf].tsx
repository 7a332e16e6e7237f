import type { LoaderFunctionArgs } from "@remix-run/node";
import { renderStatementsPdf, statementsPdfName } from "~/domain/ledger/index.server";
import { httpError } from "~/utils/http.server";
import { requestedStatements } from "~/utils/ledger-reports.server";
import { requirePermission } from "~/utils/permissions.server";
import { pdfResponse } from "~/utils/pdf.server";

// GET /gestion/comptabilite/etats.pdf?exercice=<id>: the compte de résultat and the bilan of a fiscal year, with the
// previous year beside it; "provisoire" while the year is open.
export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const statements = await requestedStatements(new URL(request.url), pole.id);
  if (!statements) return httpError(404, "Aucun exercice n'est encore ouvert.");
  const body = await renderStatementsPdf(
    statements,
    {
      name: pole.name,
      legalName: pole.legalName,
      legalForm: pole.legalForm,
      siren: pole.siren,
      address: `${pole.addressLine}, ${pole.postalCode} ${pole.city}`,
    },
    new Date(),
  );
  return pdfResponse(body, statementsPdfName(statements));
}
