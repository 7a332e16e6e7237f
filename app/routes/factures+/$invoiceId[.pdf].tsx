import type { LoaderFunctionArgs } from "@remix-run/node";
import { renderInvoicePdf } from "~/domain/ledger/index.server";
import { pdfDisposition, requireInvoiceDocument } from "~/utils/invoice-access.server";

// GET /factures/<id>.pdf: the same document and the same access rule as the printable page.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { document } = await requireInvoiceDocument(request, params.invoiceId);
  const body = await renderInvoicePdf(document);
  return new Response(body, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": pdfDisposition(document.number),
      "Content-Length": String(body.byteLength),
      "Cache-Control": "private, no-store",
    },
  });
}
