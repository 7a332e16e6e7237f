import { getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { runCommand } from "~/domain/commands.server";
import { Field, FieldErrors, FormErrors, IntentForm, SubmitButton, useValidatedForm } from "~/components/forms";
import { closeFiscalYear, createFiscalYear, listFiscalYearsWithCounts } from "~/domain/ledger/index.server";
import { CloseYearSchema, FiscalYearSchema } from "~/domain/ledger/schemas";
import type { Failure } from "~/domain/result";
import { db } from "~/utils/db.server";
import { formatDate, formatNumber } from "~/utils/format";
import { httpError, readForm } from "~/utils/http.server";
import { can, requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Exercices — Comptabilité" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, membership } = await requirePermission(request, "ledger:manage");
  const years = await listFiscalYearsWithCounts(db, pole.id);
  return json({ years, canClose: can(membership.role, "ledger:close") });
}

type Which = { form: "create" } | { form: "close"; fiscalYearId: string };
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
  const { years, canClose } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <h1>Exercices comptables</h1>
      <p className="muted">
        Une écriture datée dans un exercice clôturé est refusée. Un exercice civil est créé automatiquement à la
        première écriture de l'année.
      </p>
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
                  </td>
                  <td className="num">{formatNumber(y.entries)}</td>
                  <td>
                    <Link
                      to={`/gestion/comptabilite/balance?${new URLSearchParams({ from: y.startDate, to: y.endDate })}`}
                    >
                      Balance
                    </Link>
                    {canClose && !y.closedAt ? (
                      <CloseForm
                        year={y}
                        lastResult={
                          lastResult &&
                          lastResult.form === "close" &&
                          "fiscalYearId" in lastResult &&
                          lastResult.fiscalYearId === y.id
                            ? lastResult
                            : undefined
                        }
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {lastResult?.form === "close" && lastResult.saved ? (
        <p className="notice notice-success" role="status">
          Exercice clôturé.
        </p>
      ) : null}
      <CreateForm lastResult={lastResult?.form === "create" ? lastResult : undefined} />
    </>
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
      <button type="submit" className="button button-small">
        Clôturer
        <span className="visually-hidden">
          {" "}
          l'exercice du {formatDate(year.startDate)} au {formatDate(year.endDate)}
        </span>
      </button>
    </Form>
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
