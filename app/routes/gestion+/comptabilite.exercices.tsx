import { getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { runCommand } from "~/domain/commands.server";
import {
  Field,
  FieldErrors,
  FormErrors,
  IntentForm,
  SubmitButton,
  TextAreaField,
  useValidatedForm,
} from "~/components/forms";
import {
  auditLog,
  closeFiscalYear,
  closingCheck,
  createFiscalYear,
  listFiscalYearsWithCounts,
  parisDate,
  reopenFiscalYear,
} from "~/domain/ledger/index.server";
import { CloseYearSchema, FiscalYearSchema, ReopenYearSchema } from "~/domain/ledger/schemas";
import type { Failure } from "~/domain/result";
import { db } from "~/utils/db.server";
import { formatCents, formatDate, formatNumber } from "~/utils/format";
import { httpError, readForm } from "~/utils/http.server";
import { can, requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Exercices — Comptabilité" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, membership } = await requirePermission(request, "ledger:manage");
  const years = await listFiscalYearsWithCounts(db, pole.id);
  // The pre-close check list of the one year that can close next: the oldest still open.
  const next = years.filter((y) => !y.closedAt).at(-1);
  const check = next
    ? await closingCheck(db, { poleId: pole.id, fiscalYearId: next.id, today: parisDate(new Date()) })
    : null;
  const log = await auditLog(db, pole.id);
  const actors = await db.person.findMany({
    where: { id: { in: log.flatMap((l) => (l.actorId ? [l.actorId] : [])) } },
    select: { id: true, name: true },
  });
  const names = new Map(actors.map((a) => [a.id, a.name]));
  const laterClosed = (endDate: string) => years.some((y) => y.closedAt && y.startDate > endDate);
  return json({
    years: years.map((y) => ({ ...y, reopenable: !!y.closedAt && !y.fecExportedAt && !laterClosed(y.endDate) })),
    check,
    log: log.map((l) => ({ ...l, actor: l.actorId ? (names.get(l.actorId) ?? "—") : "—" })),
    canClose: can(membership.role, "ledger:close"),
  });
}

type Which = { form: "create" } | { form: "close" | "reopen"; fiscalYearId: string };
const answer = (reply: SubmissionResult<string[]>, which: Which, status = 200, saved = false) =>
  json({ ...reply, ...which, saved }, { status });
const refusal = (submission: { reply: (o?: object) => SubmissionResult<string[]> }, failure: Failure, which: Which) =>
  answer(
    failure.field
      ? submission.reply({ fieldErrors: { [failure.field]: [failure.message] } })
      : submission.reply({ formErrors: [failure.message] }),
    which,
    failure.status,
  );

export async function action({ request }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const formData = await readForm(request);
  const intent = formData.get("intent");
  if (intent === "close") {
    // Closing locks a period for good: administrators only.
    const { person } = await requirePermission(request, "ledger:close");
    const submission = parseWithZod(formData, { schema: CloseYearSchema });
    const which = { form: "close", fiscalYearId: String(formData.get("fiscalYearId") ?? "") } as const;
    if (submission.status !== "success") return answer(submission.reply(), which, 400);
    const result = await runCommand(closeFiscalYear, {
      poleId: pole.id,
      fiscalYearId: submission.value.fiscalYearId,
      closedById: person.id,
      now: new Date(),
      confirmEmpty: submission.value.confirmEmpty,
    });
    if (!result.ok) return refusal(submission, result, which);
    return answer(submission.reply(), which, 200, true);
  }
  if (intent === "reopen") {
    const { person } = await requirePermission(request, "ledger:close");
    const submission = parseWithZod(formData, { schema: ReopenYearSchema });
    const which = { form: "reopen", fiscalYearId: String(formData.get("fiscalYearId") ?? "") } as const;
    if (submission.status !== "success") return answer(submission.reply(), which, 400);
    const result = await runCommand(reopenFiscalYear, {
      poleId: pole.id,
      fiscalYearId: submission.value.fiscalYearId,
      actorId: person.id,
      reason: submission.value.reason,
      now: new Date(),
    });
    if (!result.ok) return refusal(submission, result, which);
    return answer(submission.reply({ resetForm: true }), which, 200, true);
  }
  if (intent === "create") {
    const submission = parseWithZod(formData, { schema: FiscalYearSchema });
    if (submission.status !== "success") return answer(submission.reply(), { form: "create" }, 400);
    const result = await runCommand(createFiscalYear, {
      poleId: pole.id,
      startDate: submission.value.startDate,
      endDate: submission.value.endDate,
    });
    if (!result.ok) return refusal(submission, result, { form: "create" });
    return answer(submission.reply({ resetForm: true }), { form: "create" }, 200, true);
  }
  return httpError(400, "Action inconnue sur les exercices.");
}

export default function FiscalYearsPage() {
  const { years, check, log, canClose } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const resultFor = (form: "close" | "reopen", id: string) =>
    lastResult && lastResult.form === form && "fiscalYearId" in lastResult && lastResult.fiscalYearId === id
      ? lastResult
      : undefined;
  return (
    <>
      <h1>Exercices comptables</h1>
      <p className="muted">
        Clôturer un exercice reporte les soldes des comptes de bilan (classes 1 à 5) et le résultat (120000 ou 129000)
        dans les à-nouveaux (journal AN) du premier jour de l'exercice suivant, et fige ses libellés. Une écriture datée
        dans un exercice clôturé est refusée. Un exercice civil est créé automatiquement à la première écriture de
        l'année.
      </p>
      {lastResult?.form === "close" && lastResult.saved ? (
        <p className="notice notice-success" role="status">
          Exercice clôturé : les à-nouveaux sont passés dans l'exercice suivant.
        </p>
      ) : null}
      {lastResult?.form === "reopen" && lastResult.saved ? (
        <p className="notice notice-success" role="status">
          Exercice rouvert : ses à-nouveaux ont été contrepassés et la raison est inscrite au journal.
        </p>
      ) : null}
      {check ? (
        <ClosingChecklist check={check} canClose={canClose} lastResult={resultFor("close", check.year.id)} />
      ) : null}
      {years.length === 0 ? (
        <p className="notice">Aucun exercice pour l'instant.</p>
      ) : (
        <div className="table-scroll">
          <table className="table ledger-table">
            <caption className="visually-hidden">Exercices du pôle</caption>
            <thead>
              <tr>
                <th scope="col">Exercice</th>
                <th scope="col">Statut</th>
                <th scope="col" className="num">
                  Écritures
                </th>
                <th scope="col" className="num">
                  Résultat
                </th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {years.map((y) => (
                <tr key={y.id}>
                  <th scope="row">
                    Du {formatDate(y.startDate)} au {formatDate(y.endDate)}
                  </th>
                  <td>
                    {y.closedAt ? (
                      <span className="badge badge-closed">Clôturé le {formatDate(y.closedAt, "short")}</span>
                    ) : (
                      <span className="badge badge-open">Ouvert</span>
                    )}
                    {y.fecExportedAt ? (
                      <span className="muted small"> · FEC exporté le {formatDate(y.fecExportedAt, "short")}</span>
                    ) : null}
                  </td>
                  <td className="num">{formatNumber(y.entries)}</td>
                  <td className="num">
                    {y.resultCents === null ? (
                      "—"
                    ) : (
                      <span className={y.resultCents < 0 ? "negative" : undefined}>
                        {y.resultCents < 0 ? "Perte " : "Bénéfice "}
                        {formatCents(Math.abs(y.resultCents))}
                      </span>
                    )}
                  </td>
                  <td className="actions-cell">
                    <Link
                      to={`/gestion/comptabilite/balance?${new URLSearchParams({ from: y.startDate, to: y.endDate })}`}
                    >
                      Balance
                    </Link>
                    {y.openingEntryId ? (
                      <>
                        {" · "}
                        <Link to={`/gestion/comptabilite/ecritures/${y.openingEntryId}`}>À-nouveaux</Link>
                      </>
                    ) : null}
                    {y.resultCents !== null && y.resultCents > 0 ? (
                      <>
                        {" · "}
                        <Link to="/gestion/comptabilite/ecritures/nouvelle?modele=affectation">
                          Affecter le résultat
                        </Link>
                      </>
                    ) : null}
                    {canClose && y.reopenable ? <ReopenForm year={y} lastResult={resultFor("reopen", y.id)} /> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">
        Un exercice clôturé peut être rouvert par un administrateur, avec une raison inscrite au journal, tant que son
        FEC n'a pas été exporté et que l'exercice suivant n'est pas clôturé. Exporter le FEC d'un exercice clôturé le
        fige définitivement.
      </p>
      {log.length ? (
        <section aria-labelledby="audit-log">
          <h2 id="audit-log">Journal des réouvertures</h2>
          <ul className="plain-list">
            {log.map((l) => (
              <li key={l.id}>
                {formatDate(l.at, "short")} — {l.actor} : {l.reason}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <CreateForm lastResult={lastResult?.form === "create" ? lastResult : undefined} />
    </>
  );
}

type Check = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["check"]>;

function ClosingChecklist({ check, canClose, lastResult }: { check: Check; canClose: boolean; lastResult?: Reply }) {
  const title = `Clôture de l'exercice du ${formatDate(check.year.startDate)} au ${formatDate(check.year.endDate)}`;
  const unpaidTotal = check.unpaidInvoices.reduce((s, i) => s + i.unpaid, 0);
  return (
    <section className="card closing-check" aria-labelledby="closing-check">
      <h2 id="closing-check">{title}</h2>
      <ul className="checklist">
        <li className={check.blocking.length ? "check-ko" : "check-ok"}>
          {check.blocking.length
            ? check.blocking.join(" ")
            : "L'exercice est terminé et les exercices précédents sont clôturés."}
        </li>
        <li className={check.unbalanced ? "check-ko" : "check-ok"}>
          {check.unbalanced
            ? `${formatNumber(check.unbalanced)} écriture(s) déséquilibrée(s).`
            : `${formatNumber(check.entries)} écritures, toutes équilibrées.`}
        </li>
        <li className={check.unreconciledBankLines.count ? "check-warn" : "check-ok"}>
          {check.unreconciledBankLines.count ? (
            <>
              {formatNumber(check.unreconciledBankLines.count)} ligne(s) de relevé bancaire non rapprochée(s), pour un
              solde de {formatCents(check.unreconciledBankLines.total)} —{" "}
              <Link to="/gestion/comptabilite/banque">rapprocher</Link>
            </>
          ) : (
            "Toutes les lignes de relevé importées sont rapprochées."
          )}
        </li>
        <li className={check.unpaidInvoices.length ? "check-warn" : "check-ok"}>
          {check.unpaidInvoices.length
            ? `${formatNumber(check.unpaidInvoices.length)} facture(s) impayée(s) à la fin de l'exercice (${formatCents(unpaidTotal)}).`
            : "Aucune facture impayée à la fin de l'exercice."}
        </li>
      </ul>
      {check.unpaidInvoices.length ? (
        <details>
          <summary>Factures impayées</summary>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Facture</th>
                <th scope="col">Client</th>
                <th scope="col">Échéance</th>
                <th scope="col" className="num">
                  Reste dû
                </th>
              </tr>
            </thead>
            <tbody>
              {check.unpaidInvoices.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`/gestion/factures/${i.id}`}>{i.number}</Link>
                  </td>
                  <td>{i.buyerName}</td>
                  <td>{i.dueDate ? formatDate(i.dueDate) : "—"}</td>
                  <td className="num">{formatCents(i.unpaid)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
      <dl className="closing-figures">
        <div>
          <dt>Produits (classe 7)</dt>
          <dd>{formatCents(check.income)}</dd>
        </div>
        <div>
          <dt>Charges (classe 6)</dt>
          <dd>{formatCents(check.expenses)}</dd>
        </div>
        <div>
          <dt>{check.result < 0 ? "Perte (129000)" : "Bénéfice (120000)"}</dt>
          <dd>{formatCents(Math.abs(check.result))}</dd>
        </div>
      </dl>
      {check.opening.length ? (
        <details>
          <summary>À-nouveaux que la clôture passera ({check.opening.length} comptes)</summary>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Compte</th>
                <th scope="col" className="num">
                  Débit
                </th>
                <th scope="col" className="num">
                  Crédit
                </th>
              </tr>
            </thead>
            <tbody>
              {check.opening.map((o) => (
                <tr key={o.code}>
                  <td>
                    {o.code} — {o.label}
                  </td>
                  <td className="num">{o.balance > 0 ? formatCents(o.balance) : ""}</td>
                  <td className="num">{o.balance < 0 ? formatCents(-o.balance) : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
      {canClose && !check.blocking.length ? (
        <CloseForm year={{ ...check.year, entries: check.entries }} lastResult={lastResult} />
      ) : !canClose ? (
        <p className="muted small">Seul un administrateur clôture un exercice.</p>
      ) : null}
    </section>
  );
}

type Reply = SubmissionResult<string[]> & { saved: boolean };

function CloseForm({
  year,
  lastResult,
}: {
  year: { id: string; entries: number; startDate: string; endDate: string };
  lastResult?: Reply;
}) {
  const [form, fields] = useValidatedForm(CloseYearSchema, {
    lastResult,
    id: `close-${year.id}`,
    defaultValue: { intent: "close", fiscalYearId: year.id },
  });
  return (
    <Form method="post" {...getFormProps(form)} className="close-year-form">
      <input {...getInputProps(fields.intent, { type: "hidden" })} key={fields.intent.key} />
      <input {...getInputProps(fields.fiscalYearId, { type: "hidden" })} key={fields.fiscalYearId.key} />
      <FormErrors id={form.errorId} errors={form.errors} />
      {year.entries === 0 ? (
        <div className="field field-checkbox">
          <input {...getInputProps(fields.confirmEmpty, { type: "checkbox" })} key={fields.confirmEmpty.key} />
          <label htmlFor={fields.confirmEmpty.id}>Je confirme la clôture d'un exercice sans écriture</label>
          <FieldErrors id={fields.confirmEmpty.errorId} errors={fields.confirmEmpty.errors} />
        </div>
      ) : null}
      <button type="submit" className="button">
        Clôturer l'exercice et passer les à-nouveaux
      </button>
    </Form>
  );
}

function ReopenForm({ year, lastResult }: { year: { id: string; endDate: string }; lastResult?: Reply }) {
  const [form, fields] = useValidatedForm(ReopenYearSchema, {
    lastResult,
    id: `reopen-${year.id}`,
    defaultValue: { intent: "reopen", fiscalYearId: year.id },
  });
  return (
    <details className="reopen-year" open={!!lastResult?.error}>
      <summary>Rouvrir</summary>
      <Form method="post" {...getFormProps(form)}>
        <input {...getInputProps(fields.intent, { type: "hidden" })} key={fields.intent.key} />
        <input {...getInputProps(fields.fiscalYearId, { type: "hidden" })} key={fields.fiscalYearId.key} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextAreaField meta={fields.reason} label="Raison de la réouverture" rows={2} />
        <SubmitButton pendingLabel="Réouverture…" className="button button-small">
          Rouvrir l'exercice clos le {formatDate(year.endDate)}
        </SubmitButton>
      </Form>
    </details>
  );
}

function CreateForm({ lastResult }: { lastResult?: Reply }) {
  const [form, fields] = useValidatedForm(FiscalYearSchema, {
    lastResult,
    id: "create-year",
    defaultValue: { intent: "create" },
  });
  return (
    <IntentForm intent="create" {...getFormProps(form)} className="form card narrow" aria-labelledby="new-year">
      <h2 id="new-year">Créer un exercice</h2>
      {lastResult?.saved ? (
        <p className="notice notice-success" role="status">
          Exercice créé.
        </p>
      ) : null}
      <FormErrors id={form.errorId} errors={form.errors} />
      <Field meta={fields.startDate} label="Premier jour" type="date" />
      <Field meta={fields.endDate} label="Dernier jour" type="date" />
      <SubmitButton pendingLabel="Création…">Créer l'exercice</SubmitButton>
    </IntentForm>
  );
}
