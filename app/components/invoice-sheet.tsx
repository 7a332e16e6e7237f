import type { InvoiceDocument } from "~/domain/ledger/index.server";
import { buyerLines, legalFooter, sellerLines } from "~/domain/ledger/legal-identity";
import { formatRate } from "~/domain/ledger/vat";
import { formatCents, formatDate } from "~/utils/format";

// The invoice or credit note as a sheet of paper: the same mentions as the PDF, printable on A4 (invoices.css).
export const DOCUMENT_LABELS = { INVOICE: "Facture", CREDIT_NOTE: "Avoir" } as const;

/** "2027-03-05" → "5 mars 2027" (an accounting date, shown as the calendar day). */
export const formatDay = (iso: string, style: "date" | "short" = "date") => formatDate(`${iso}T00:00:00Z`, style);

/** An amount of a document as lists show it: a credit note counts negative. */
export const formatDocumentCents = (kind: keyof typeof DOCUMENT_LABELS, cents: number) =>
  formatCents(kind === "INVOICE" ? cents : -cents);

/** The "PDF" download link of a row in a list of invoices. */
export function InvoicePdfLink({ id, number }: { id: string; number: string }) {
  return (
    <a href={`/factures/${id}.pdf`} download={`${number}.pdf`} aria-label={`Télécharger ${number} en PDF`}>
      PDF
    </a>
  );
}

export function InvoiceSheet({ document: d, headingLevel = 1 }: { document: InvoiceDocument; headingLevel?: 1 | 2 }) {
  const Heading = headingLevel === 1 ? "h1" : "h2";
  const title = DOCUMENT_LABELS[d.kind];
  return (
    <article className="invoice-sheet" aria-labelledby="invoice-title">
      <header className="invoice-head">
        <div className="invoice-seller">
          <p className="invoice-seller-name">{d.seller.legalName}</p>
          <p className="invoice-address">{sellerLines(d.seller).join("\n")}</p>
        </div>
        <div className="invoice-meta">
          <Heading id="invoice-title" className="invoice-title">
            {title} <span className="invoice-number">{d.number}</span>
          </Heading>
          <dl className="invoice-refs">
            <dt>Date d'émission</dt>
            <dd>{formatDay(d.issueDate)}</dd>
            {d.dueDate && d.kind === "INVOICE" ? (
              <>
                <dt>Date d'échéance</dt>
                <dd>{formatDay(d.dueDate)}</dd>
              </>
            ) : null}
            {d.creditedInvoice ? (
              <>
                <dt>Facture d'origine</dt>
                <dd>
                  {d.creditedInvoice.number} du {formatDay(d.creditedInvoice.issueDate)}
                </dd>
              </>
            ) : null}
          </dl>
        </div>
      </header>

      <section className="invoice-buyer" aria-label={d.kind === "INVOICE" ? "Facturé à" : "Client"}>
        <p className="invoice-label">{d.kind === "INVOICE" ? "Facturé à" : "Client"}</p>
        <p className="invoice-buyer-name">{d.buyer.name}</p>
        {buyerLines(d.buyer).map((line) => (
          <p key={line} className="invoice-address">
            {line}
          </p>
        ))}
      </section>

      {d.creditedInvoice ? (
        <p className="invoice-credit-ref">
          Avoir sur la facture {d.creditedInvoice.number} du {formatDay(d.creditedInvoice.issueDate)}, qu'il annule à
          hauteur du montant ci-dessous.{d.reason ? ` Motif : ${d.reason}` : null}
        </p>
      ) : null}
      <p className="invoice-nature">Nature de l'opération : {d.nature.toLowerCase()}.</p>

      <div className="table-scroll">
        <table className="invoice-lines">
          <caption className="visually-hidden">Lignes {title === "Avoir" ? "de l'avoir" : "de la facture"}</caption>
          <thead>
            <tr>
              <th scope="col">Désignation</th>
              <th scope="col" className="num">
                Qté
              </th>
              <th scope="col" className="num">
                <abbr title="Prix unitaire hors taxes">P.U. HT</abbr>
              </th>
              <th scope="col" className="num">
                <abbr title="Prix unitaire toutes taxes comprises">P.U. TTC</abbr>
              </th>
              <th scope="col" className="num">
                TVA
              </th>
              <th scope="col" className="num">
                Total HT
              </th>
              <th scope="col" className="num">
                Total TTC
              </th>
            </tr>
          </thead>
          <tbody>
            {d.lines.map((l) => (
              <tr key={l.position}>
                <td>
                  {l.description}
                  {l.vatExemption ? <span className="invoice-line-exemption">{l.vatExemption}</span> : null}
                </td>
                <td className="num">{l.quantity}</td>
                <td className="num">{formatCents(l.unitExclTax)}</td>
                <td className="num">{formatCents(l.unitInclTax)}</td>
                <td className="num">{formatRate(l.vatRateBp)}</td>
                <td className="num">{formatCents(l.exclTax)}</td>
                <td className="num">{formatCents(l.inclTax)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="invoice-summary">
        <table className="invoice-vat">
          <caption>TVA par taux</caption>
          <thead>
            <tr>
              <th scope="col">Taux</th>
              <th scope="col" className="num">
                Base HT
              </th>
              <th scope="col" className="num">
                TVA
              </th>
            </tr>
          </thead>
          <tbody>
            {d.vatSummary.map((r) => (
              <tr key={r.rateBp}>
                <th scope="row">{formatRate(r.rateBp)}</th>
                <td className="num">{formatCents(r.base)}</td>
                <td className="num">{formatCents(r.tax)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl className="invoice-totals">
          <dt>Total HT</dt>
          <dd>{formatCents(d.totals.exclTax)}</dd>
          <dt>Total TVA</dt>
          <dd>{formatCents(d.totals.tax)}</dd>
          <dt className="invoice-grand">{d.kind === "INVOICE" ? "Total TTC" : "Montant de l'avoir TTC"}</dt>
          <dd className="invoice-grand">{formatCents(d.totals.inclTax)}</dd>
        </dl>
      </div>

      {d.paymentTerms.length ? (
        <section className="invoice-mentions" aria-label="Mentions">
          {d.paymentTerms.map((m) => (
            <p key={m}>{m}</p>
          ))}
        </section>
      ) : null}

      <footer className="invoice-foot">{legalFooter(d.seller)}</footer>
    </article>
  );
}
