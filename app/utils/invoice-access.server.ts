import { json } from "@remix-run/node";
import { getInvoiceForViewer } from "~/domain/ledger/index.server";
import { requirePerson } from "./auth.server";
import { db } from "./db.server";
import { can } from "./permissions.server";

/**
 * The invoice or credit note of the URL for its buyer or for staff. A visitor is sent to log in; anyone else
 * gets the same 404 as for an invoice that does not exist, so an id reveals nothing.
 */
export async function requireInvoiceDocument(request: Request, invoiceId: string | undefined) {
  const { pole, person, membership } = await requirePerson(request);
  const isStaff = can(membership.role, "ledger:manage");
  const document = invoiceId
    ? await getInvoiceForViewer(db, { poleId: pole.id, invoiceId, personId: person.id, isStaff })
    : null;
  if (!document) throw json({ message: "Cette facture n'existe pas ou ne vous est pas adressée." }, { status: 404 });
  return { document, isStaff };
}

/** "attachment; filename=…" for a document number (letters, digits and dashes only, so no quoting issue). */
export function pdfDisposition(number: string) {
  const safe = number.replace(/[^A-Za-z0-9-]/g, "_");
  return `attachment; filename="${safe}.pdf"`;
}
