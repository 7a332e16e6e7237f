import { getFormProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FieldErrors, FormErrors, SubmitButton, useValidatedForm } from "~/components/forms";
import { DebitCreditHeaders, Money, PrintButton, TotalsFoot } from "~/components/ledger";
import { fromSqlDate, getEntry, isLedgerError, parisDate, reverse } from "~/domain/ledger/index.server";
import { ReversalSchema } from "~/domain/ledger/schemas";
import { JOURNAL_LABELS, STREAM_LABELS } from "~/domain/ledger/streams";
import { db } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { invalid } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";
import { ledgerRefused } from "~/utils/ledger-forms.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.entry.label ?? "Écriture"} — Comptabilité` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const entry = await getEntry(db, { poleId: pole.id, entryId: params.entryId ?? "" });
  if (!entry) httpError(404, "Cette écriture n'existe pas.");
  return json({
    entry: {
      id: entry.id,
      journal: entry.journal,
      date: fromSqlDate(entry.date),
      pieceDate: fromSqlDate(entry.pieceDate),
      label: entry.label,
      pieceRef: entry.pieceRef,
      sourceKey: entry.sourceKey,
      source: entry.source,
      createdAt: entry.createdAt,
      createdBy: entry.createdBy?.name ?? null,
      reversalReason: entry.reversalReason,
      reversalOf: entry.reversalOf
        ? { id: entry.reversalOf.id, date: fromSqlDate(entry.reversalOf.date), label: entry.reversalOf.label }
        : null,
      reversedBy: entry.reversedBy
        ? { id: entry.reversedBy.id, date: fromSqlDate(entry.reversedBy.date), reason: entry.reversedBy.reversalReason }
        : null,
      lines: entry.lines.map((l) => ({
        id: l.id,
        code: l.account.code,
        accountLabel: l.account.label,
        label: l.label,
        stream: l.stream,
        debit: l.debit,
        credit: l.credit,
      })),
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole, person } = await requirePermission(request, "ledger:manage");
  const submission = parseWithZod(await readForm(request), { schema: ReversalSchema });
  if (submission.status !== "success") return invalid(submission);
  try {
    await reverse(db, {
      poleId: pole.id,
      entryId: params.entryId ?? "",
      reason: submission.value.reason,
      date: parisDate(new Date()),
      createdById: person.id,
    });
  } catch (error) {
    if (isLedgerError(error))
      return ledgerRefused(submission, error, (field) => (field === "reason" ? "reason" : undefined));
    throw error;
  }
  return redirect(`/gestion/comptabilite/ecritures/${encodeURIComponent(params.entryId ?? "")}?contrepassee`);
}

export default function EntryPage() {
  const { entry } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const totals = entry.lines.reduce((t, l) => ({ debit: t.debit + l.debit, credit: t.credit + l.credit }), {
    debit: 0,
    credit: 0,
  });
  return (
    <>
      <p>
        <Link to="/gestion/comptabilite">← Journal</Link>
      </p>
      <div className="title-row">
        <h1>{entry.label}</h1>
        <PrintButton />
      </div>
      {searchParams.has("contrepassee") && entry.reversedBy ? (
        <p className="notice notice-success" role="status">
          L'écriture a été contrepassée.
        </p>
      ) : null}
      {entry.reversedBy ? (
        <p className="notice reversal-notice">
          Contrepassée le {formatDate(entry.reversedBy.date)} ({entry.reversedBy.reason}) —{" "}
          <Link to={`/gestion/comptabilite/ecritures/${entry.reversedBy.id}`}>voir l'écriture de contrepassation</Link>
        </p>
      ) : null}
      {entry.reversalOf ? (
        <p className="notice reversal-notice">
          Contrepassation de l'écriture du {formatDate(entry.reversalOf.date)} «&nbsp;
          <Link to={`/gestion/comptabilite/ecritures/${entry.reversalOf.id}`}>{entry.reversalOf.label}</Link>&nbsp;» —
          raison : {entry.reversalReason}
        </p>
      ) : null}
      <dl className="details entry-details">
        <dt>Date</dt>
        <dd>{formatDate(entry.date)}</dd>
        <dt>Journal</dt>
        <dd>
          {entry.journal} — {JOURNAL_LABELS[entry.journal]}
        </dd>
        <dt>Pièce</dt>
        <dd>
          {entry.pieceRef} <span className="muted">du {formatDate(entry.pieceDate, "short")}</span>
        </dd>
        <dt>Origine</dt>
        <dd>{entry.source.href ? <Link to={entry.source.href}>{entry.source.label}</Link> : entry.source.label}</dd>
        <dt>Enregistrée</dt>
        <dd>
          le {formatDate(entry.createdAt, "dateTime")}
          {entry.createdBy ? ` par ${entry.createdBy}` : ""}
        </dd>
      </dl>
      <div className="table-scroll">
        <table className="table ledger-table">
          <caption className="visually-hidden">Lignes de l'écriture</caption>
          <thead>
            <tr>
              <th scope="col">Compte</th>
              <th scope="col">Libellé</th>
              <th scope="col">Flux</th>
              <DebitCreditHeaders />
            </tr>
          </thead>
          <tbody>
            {entry.lines.map((l) => (
              <tr key={l.id}>
                <th scope="row">
                  <Link to={`/gestion/comptabilite/comptes/${l.code}`}>{l.code}</Link>{" "}
                  <span className="muted">{l.accountLabel}</span>
                </th>
                <td>{l.label ?? ""}</td>
                <td>{l.stream ? STREAM_LABELS[l.stream] : ""}</td>
                <Money cents={l.debit} blankZero />
                <Money cents={l.credit} blankZero />
              </tr>
            ))}
          </tbody>
          <TotalsFoot colSpan={3}>
            <Money cents={totals.debit} />
            <Money cents={totals.credit} />
          </TotalsFoot>
        </table>
      </div>
      {entry.reversedBy || entry.reversalOf ? null : <ReversalForm />}
    </>
  );
}

function ReversalForm() {
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useValidatedForm(ReversalSchema, { lastResult });
  const reason = getTextareaProps(fields.reason, { ariaAttributes: true });
  return (
    <Form method="post" {...getFormProps(form)} className="form card no-print" aria-labelledby="reverse-title">
      <h2 id="reverse-title">Contrepasser cette écriture</h2>
      <p className="field-hint">
        Une écriture ne se modifie ni ne se supprime : la contrepassation passe l'écriture inverse, datée d'aujourd'hui,
        liée à celle-ci.
      </p>
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="field">
        <label htmlFor={fields.reason.id}>Raison de la contrepassation</label>
        <textarea {...reason} key={reason.key} rows={2} />
        <FieldErrors id={fields.reason.errorId} errors={fields.reason.errors} />
      </div>
      <SubmitButton pendingLabel="Contrepassation…">Contrepasser</SubmitButton>
    </Form>
  );
}
