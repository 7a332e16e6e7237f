import { getFormProps, getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { randomUUID } from "node:crypto";
import { FormErrors, SubmitButton, TextAreaField, useValidatedForm } from "~/components/forms";
import { DOCUMENT_LABELS, formatDay, InvoiceSheet } from "~/components/invoice-sheet";
import { InvoiceGapsNotice, LegalIdentityNotice } from "~/components/legal-identity-notice";
import { getInvoiceForViewer, poleIdentityGaps } from "~/domain/ledger/index.server";
import { issueCreditNote, isLedgerError, parisDate } from "~/domain/ledger/index.server";
import { STREAM_LABELS } from "~/domain/ledger/streams";
import { db } from "~/utils/db.server";
import { formatCents } from "~/utils/format";
import { invalid } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";
import { ledgerRefused } from "~/utils/ledger-forms.server";
import { requirePermission } from "~/utils/permissions.server";
import { multilineText, text, z } from "~/utils/validation";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${DOCUMENT_LABELS[data.document.kind]} ${data.document.number} — Gestion` : "Facture — Gestion" },
];

/** Cancelling an invoice: a reason, and the key that makes a resubmitted form issue one credit note only. */
const CreditNoteSchema = z.object({
  reason: multilineText({ error: "Indiquez le motif de l'annulation." })
    .trim()
    .min(3, { error: "Le motif doit compter au moins 3 caractères." })
    .max(500, { error: "Le motif ne peut pas dépasser 500 caractères." }),
  idempotencyKey: text({ error: "Le formulaire a expiré : rechargez la page puis recommencez." }).regex(
    /^[A-Za-z0-9-]{16,64}$/,
    { error: "Le formulaire a expiré : rechargez la page puis recommencez." },
  ),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole, person } = await requirePermission(request, "ledger:manage");
  const document = await getInvoiceForViewer(db, {
    poleId: pole.id,
    invoiceId: params.invoiceId ?? "",
    personId: person.id,
    isStaff: true,
  });
  if (!document) throw json({ message: "Cette facture n'existe pas." }, { status: 404 });
  return json({ document, idempotencyKey: randomUUID(), identityGaps: await poleIdentityGaps(db, pole) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole, person } = await requirePermission(request, "ledger:manage");
  const submission = parseWithZod(await readForm(request), { schema: CreditNoteSchema });
  if (submission.status !== "success") return invalid(submission);
  const invoiceId = params.invoiceId ?? "";
  try {
    const { invoice } = await issueCreditNote(db, {
      poleId: pole.id,
      invoiceId,
      sourceKey: `credit-note:${invoiceId}:${submission.value.idempotencyKey}`,
      issueDate: parisDate(new Date()),
      reason: submission.value.reason,
      createdById: person.id,
    });
    return redirect(`/gestion/factures/${invoiceId}?avoir=${encodeURIComponent(invoice.id)}`);
  } catch (error) {
    if (isLedgerError(error))
      return ledgerRefused(submission, error, (field) => (field === "reason" ? "reason" : undefined));
    throw error;
  }
}

export default function InvoiceDetail() {
  const { document: d, idempotencyKey, identityGaps } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const issued = d.creditNotes.find((n) => n.id === searchParams.get("avoir"));
  const credited = d.creditNotes.reduce((s, n) => s + n.totalInclTax, 0);
  const [form, fields] = useValidatedForm(CreditNoteSchema, { lastResult, id: `credit-note-${d.id}` });
  const title = `${DOCUMENT_LABELS[d.kind]} ${d.number}`;
  return (
    <>
      <p>
        <Link to="/gestion/factures">← Toutes les factures</Link>
      </p>
      <div className="title-row">
        <h1>{title}</h1>
        <InvoiceBadge kind={d.kind} total={d.totals.inclTax} credited={credited} />
      </div>
      <LegalIdentityNotice gaps={identityGaps} />
      <InvoiceGapsNotice gaps={d.sellerGaps} kind={d.kind} />
      {issued ? (
        <p className="notice notice-success" role="status">
          L'avoir {issued.number} de {formatCents(issued.totalInclTax)} est émis et passé au journal des ventes.
        </p>
      ) : null}
      <ul className="invoice-links" aria-label="Documents">
        <li>
          <Link to={`/factures/${d.id}`}>Page imprimable</Link>
        </li>
        <li>
          <a href={`/factures/${d.id}.pdf`} download={`${d.number}.pdf`}>
            Télécharger le PDF
          </a>
        </li>
        {d.entryId ? (
          <li>
            <Link to={`/gestion/comptabilite/ecritures/${d.entryId}`}>Écriture comptable</Link>
          </li>
        ) : null}
      </ul>

      <div className="two-columns">
        <section className="card" aria-labelledby="resume">
          <h2 id="resume">Résumé</h2>
          <dl className="details">
            <dt>Client</dt>
            <dd>
              {d.personId ? <Link to={`/gestion/personnes/${d.personId}`}>{d.buyer.name}</Link> : d.buyer.name}
              {d.buyer.isBusiness ? <span className="muted"> (professionnel)</span> : null}
            </dd>
            <dt>Flux</dt>
            <dd>{STREAM_LABELS[d.stream]}</dd>
            <dt>Émission</dt>
            <dd>{formatDay(d.issueDate)}</dd>
            {d.dueDate ? (
              <>
                <dt>Échéance</dt>
                <dd>{formatDay(d.dueDate)}</dd>
              </>
            ) : null}
            <dt>Total TTC</dt>
            <dd>{formatCents(d.totals.inclTax)}</dd>
            {d.kind === "INVOICE" ? (
              <>
                <dt>Crédité par avoir</dt>
                <dd>{formatCents(credited)}</dd>
              </>
            ) : null}
          </dl>
        </section>
        <section className="card" aria-labelledby="liens">
          <h2 id="liens">{d.kind === "INVOICE" ? "Avoirs" : "Facture annulée"}</h2>
          {d.creditedInvoice ? (
            <p>
              Cet avoir porte sur la facture{" "}
              <Link to={`/gestion/factures/${d.creditedInvoice.id}`}>{d.creditedInvoice.number}</Link> du{" "}
              {formatDay(d.creditedInvoice.issueDate)}.
            </p>
          ) : d.creditNotes.length === 0 ? (
            <p className="muted">Aucun avoir n'a été émis sur cette facture.</p>
          ) : (
            <ul className="plain-list">
              {d.creditNotes.map((n) => (
                <li key={n.id}>
                  <Link to={`/gestion/factures/${n.id}`}>{n.number}</Link> du {formatDay(n.issueDate)} —{" "}
                  {formatCents(n.totalInclTax)}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      {d.kind === "INVOICE" && credited === 0 ? (
        <section className="card invoice-cancel" aria-labelledby="annuler">
          <h2 id="annuler">Annuler par un avoir</h2>
          <p>
            Une facture ne se supprime pas : un avoir de {formatCents(d.totals.inclTax)} TTC, daté d'aujourd'hui,
            l'annule et passe l'écriture inverse au journal des ventes.
          </p>
          <Form method="post" {...getFormProps(form)} className="form">
            <FormErrors id={form.errorId} errors={form.errors} />
            <input
              {...getInputProps(fields.idempotencyKey, { type: "hidden" })}
              key={idempotencyKey}
              defaultValue={idempotencyKey}
            />
            <TextAreaField meta={fields.reason} label="Motif de l'annulation" rows={3} />
            <div>
              <SubmitButton pendingLabel="Émission de l'avoir…">Émettre l'avoir</SubmitButton>
            </div>
          </Form>
        </section>
      ) : d.kind === "INVOICE" && credited < d.totals.inclTax ? (
        <p className="notice">
          Cette facture a déjà un avoir partiel : le reste ne peut pas être annulé depuis cet écran.
        </p>
      ) : null}

      <InvoiceSheet document={d} headingLevel={2} />
    </>
  );
}

function InvoiceBadge({ kind, total, credited }: { kind: "INVOICE" | "CREDIT_NOTE"; total: number; credited: number }) {
  if (kind === "CREDIT_NOTE") return <span className="badge invoice-kind invoice-kind-credit">Avoir</span>;
  if (credited >= total && total > 0) return <span className="badge invoice-cancelled">Annulée par avoir</span>;
  if (credited > 0) return <span className="badge">Avoir partiel</span>;
  return <span className="badge invoice-kind invoice-kind-invoice">Émise</span>;
}
