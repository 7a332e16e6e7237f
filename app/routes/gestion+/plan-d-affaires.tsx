import { getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { runCommand } from "~/domain/commands.server";
import { FieldErrors, FormErrors, IntentForm, SelectField, SubmitButton, useValidatedForm } from "~/components/forms";
import { pickFiscalYear } from "~/components/dashboard/load.server";
import {
  createFiscalYear,
  deletePlanLine,
  firstDayOfYear,
  importPlanCsv,
  lastDayOfYear,
  listPlanLines,
  parisDate,
  savePlanLine,
  type PlanRowError,
} from "~/domain/ledger/index.server";
import {
  DeletePlanLineSchema,
  formatEurosPlain,
  MONTH_NAMES,
  PLAN_CSV_COLUMNS,
  PLAN_PERIOD_LABELS,
  PLAN_PERIODS,
  PlanLineFormSchema,
} from "~/domain/ledger/plan-schemas";
import { STREAM_LABELS, STREAMS } from "~/domain/ledger/streams";
import type { Failure } from "~/domain/result";
import { db } from "~/utils/db.server";
import { formatCents } from "~/utils/format";
import { httpError, readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";
import { text } from "~/utils/validation";

// The year the file goes into, from the form's hidden field.
const ImportYearSchema = text().min(1).max(64);

export const meta: MetaFunction = () => [{ title: "Plan d'affaires — Gestion" }];

/** The CSV import is a multipart form: a plan of a few hundred lines weighs a few kilobytes. */
const IMPORT_MAX_BYTES = 256 * 1024;

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const url = new URL(request.url);
  const today = parisDate(new Date());
  const { years, selected, unknown } = await pickFiscalYear(db, {
    poleId: pole.id,
    requested: url.searchParams.get("exercice"),
    today,
  });
  const lines = selected ? await listPlanLines(db, { poleId: pole.id, fiscalYearId: selected.id }) : [];
  const editId = url.searchParams.get("ligne");
  const editing = editId ? (lines.find((l) => l.id === editId) ?? null) : null;
  const totals = STREAMS.map((stream) => ({
    stream,
    amount: lines.filter((l) => l.stream === stream).reduce((s, l) => s + l.amount, 0),
  }));
  return json({
    years,
    selected,
    unknownYear: unknown,
    missingLine: Boolean(editId) && !editing,
    todayYear: years.some((y) => y.startDate <= today && today <= y.endDate) ? null : today.slice(0, 4),
    lines: lines.map(({ id, stream, label, period, month, amount }) => ({ id, stream, label, period, month, amount })),
    editing: editing && {
      id: editing.id,
      stream: editing.stream,
      label: editing.label,
      period: editing.period,
      month: editing.month,
      amount: editing.amount,
    },
    totals,
    total: lines.reduce((s, l) => s + l.amount, 0),
    saved: url.searchParams.get("enregistre"),
  });
}

type Intent = "save" | "delete" | "import" | "create-year";
const reply = (intent: Intent, body: object, status: number) => json({ ...body, intent }, { status });
const fieldFailure = (failure: Failure, field?: string) =>
  failure.field || field
    ? { fieldErrors: { [failure.field ?? field!]: [failure.message] } }
    : { formErrors: [failure.message] };

export async function action({ request }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const form = await readForm(request, IMPORT_MAX_BYTES);
  const intent = form.get("intent");
  const back = (fiscalYearId: string, flag: string) =>
    redirect(`/gestion/plan-d-affaires?exercice=${encodeURIComponent(fiscalYearId)}&enregistre=${flag}`);

  if (intent === "save") {
    const submission = parseWithZod(form, { schema: PlanLineFormSchema });
    if (submission.status !== "success") return reply("save", submission.reply(), 400);
    const { fiscalYearId, ...line } = submission.value;
    const result = await runCommand(savePlanLine, { poleId: pole.id, fiscalYearId, ...line });
    if (!result.ok) return reply("save", submission.reply(fieldFailure(result)), result.status);
    return back(fiscalYearId, line.id ? "modifiee" : "ajoutee");
  }

  if (intent === "delete") {
    const submission = parseWithZod(form, { schema: DeletePlanLineSchema });
    if (submission.status !== "success") return reply("delete", submission.reply(), 400);
    const result = await runCommand(deletePlanLine, { poleId: pole.id, id: submission.value.id });
    if (!result.ok) return reply("delete", submission.reply({ formErrors: [result.message] }), result.status);
    return back(result.value.fiscalYearId, "supprimee");
  }

  if (intent === "import") {
    const file = form.get("fichier");
    const fileError = (message: string, status = 400) =>
      reply("import", { status: "error", error: { fichier: [message] }, rows: [] }, status);
    const year = ImportYearSchema.safeParse(form.get("fiscalYearId"));
    if (!year.success) return fileError("Choisissez l'exercice où importer le plan.");
    const fiscalYearId = year.data;
    if (!(file instanceof File) || file.size === 0) return fileError("Choisissez un fichier CSV à importer.");
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
    } catch {
      return fileError(
        "Ce fichier n'est pas un CSV en UTF-8 : enregistrez-le au format « CSV UTF-8 » depuis votre tableur.",
      );
    }
    const result = await importPlanCsv(db, { poleId: pole.id, fiscalYearId, text });
    if (!result.ok)
      return reply(
        "import",
        { status: "error", error: { fichier: [result.message] }, rows: result.rows },
        result.status,
      );
    return reply("import", { status: "success", imported: result.value }, 200);
  }

  if (intent === "create-year") {
    const year = parisDate(new Date()).slice(0, 4);
    const result = await runCommand(createFiscalYear, {
      poleId: pole.id,
      startDate: firstDayOfYear(year),
      endDate: lastDayOfYear(year),
    });
    if (!result.ok) return reply("create-year", { status: "error", error: { "": [result.message] } }, result.status);
    return back(result.value.id, "exercice");
  }

  return httpError(400, "Action inconnue : rechargez la page et réessayez.");
}

const SAVED: Record<string, string> = {
  ajoutee: "Ligne ajoutée au plan.",
  modifiee: "Ligne modifiée.",
  supprimee: "Ligne supprimée.",
  exercice: "Exercice ouvert : saisissez son plan d'affaires.",
};

function PlanLineForm({ fiscalYearId }: { fiscalYearId: string }) {
  const { editing } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const lastResult = actionData?.intent === "save" ? (actionData as unknown as SubmissionResult<string[]>) : undefined;
  const [form, fields] = useValidatedForm(PlanLineFormSchema, {
    id: editing ? `ligne-${editing.id}` : "nouvelle-ligne",
    lastResult,
    defaultValue: editing
      ? {
          id: editing.id,
          fiscalYearId,
          stream: editing.stream,
          label: editing.label,
          period: editing.period,
          month: editing.month ? String(editing.month) : "",
          amount: formatEurosPlain(editing.amount),
        }
      : { fiscalYearId, stream: "COWORKING", period: "MONTH", month: "" },
  });
  return (
    <section className="card" aria-labelledby="form-ligne">
      <h2 id="form-ligne">{editing ? "Modifier la ligne" : "Ajouter une ligne"}</h2>
      <IntentForm intent="save" {...getFormProps(form)} className="form">
        <input {...getInputProps(fields.fiscalYearId, { type: "hidden" })} key={fields.fiscalYearId.key} />
        {editing ? <input {...getInputProps(fields.id, { type: "hidden" })} key={fields.id.key} /> : null}
        <FormErrors id={form.errorId} errors={form.errors} />
        <FieldErrors id={fields.fiscalYearId.errorId} errors={fields.fiscalYearId.errors} />
        <SelectField
          meta={fields.stream}
          label="Flux de recettes"
          options={STREAMS.map((s) => ({ value: s, label: STREAM_LABELS[s] }))}
        />
        <div className="field">
          <label htmlFor={fields.label.id}>Libellé</label>
          <input {...getInputProps(fields.label, { type: "text", ariaAttributes: true })} key={fields.label.key} />
          <FieldErrors id={fields.label.errorId} errors={fields.label.errors} />
        </div>
        <div className="plan-form-row">
          <SelectField
            meta={fields.period}
            label="Période"
            options={PLAN_PERIODS.map((p) => ({ value: p, label: PLAN_PERIOD_LABELS[p] }))}
          />
          <SelectField
            meta={fields.month}
            label="Mois"
            options={[
              { value: "", label: "— (ligne annuelle)" },
              ...MONTH_NAMES.map((m, i) => ({ value: String(i + 1), label: m })),
            ]}
          />
        </div>
        <div className="field">
          <label htmlFor={fields.amount.id}>Montant (€)</label>
          <p className="field-hint" id={`${fields.amount.id}-hint`}>
            En euros hors taxes, par exemple 1 250,00.
          </p>
          <input
            {...getInputProps(fields.amount, { type: "text", ariaAttributes: true })}
            key={fields.amount.key}
            inputMode="decimal"
            aria-describedby={[
              `${fields.amount.id}-hint`,
              fields.amount.errors?.length ? fields.amount.errorId : undefined,
            ]
              .filter(Boolean)
              .join(" ")}
          />
          <FieldErrors id={fields.amount.errorId} errors={fields.amount.errors} />
        </div>
        <div className="form-actions">
          <SubmitButton pendingLabel="Enregistrement…">
            {editing ? "Enregistrer la ligne" : "Ajouter la ligne"}
          </SubmitButton>
          {editing ? <Link to={`/gestion/plan-d-affaires?exercice=${fiscalYearId}`}>Annuler</Link> : null}
        </div>
      </IntentForm>
    </section>
  );
}

function ImportForm({ fiscalYearId }: { fiscalYearId: string }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const result =
    actionData?.intent === "import"
      ? (actionData as unknown as {
          status: string;
          error?: { fichier?: string[] };
          rows?: PlanRowError[];
          imported?: { created: number; updated: number };
        })
      : null;
  const errors = result?.error?.fichier;
  return (
    <section className="card" aria-labelledby="import">
      <h2 id="import">Importer un fichier CSV</h2>
      <p className="muted">
        Colonnes <code>{PLAN_CSV_COLUMNS.join(";")}</code>, séparées par des points-virgules (le format de l'export).
        Une ligne de même flux, libellé et mois remplace la ligne existante ; rien n'est importé si une ligne est
        invalide.
      </p>
      <IntentForm intent="import" encType="multipart/form-data" className="form">
        <input type="hidden" name="fiscalYearId" value={fiscalYearId} />
        <div className="field">
          <label htmlFor="fichier">Fichier CSV</label>
          <input
            id="fichier"
            name="fichier"
            type="file"
            accept=".csv,text/csv"
            aria-invalid={errors ? true : undefined}
            aria-describedby={errors ? "fichier-erreurs" : undefined}
          />
          <FieldErrors id="fichier-erreurs" errors={errors} />
        </div>
        {result?.rows?.length ? (
          <ul className="field-errors import-errors" aria-label="Lignes refusées">
            {result.rows.map((r) => (
              <li key={`${r.line}-${r.field}`}>
                Ligne {r.line}
                {r.field ? `, colonne ${r.field}` : ""} : {r.message}
              </li>
            ))}
          </ul>
        ) : null}
        {result?.imported ? (
          <p className="notice notice-success" role="status">
            Import terminé : {result.imported.created} ligne(s) ajoutée(s), {result.imported.updated} mise(s) à jour.
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button-secondary" disabled={navigation.state === "submitting"}>
            Importer
          </button>
        </div>
      </IntentForm>
    </section>
  );
}

export default function PlanPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { years, selected, lines, totals, total } = data;
  const deleteError =
    actionData?.intent === "delete"
      ? ((actionData as { error?: Record<string, string[] | null> }).error?.[""] ?? undefined)
      : undefined;
  const createError =
    actionData?.intent === "create-year"
      ? ((actionData as { error?: Record<string, string[]> }).error?.[""] ?? undefined)
      : undefined;
  return (
    <>
      <div className="title-row">
        <h1>Plan d'affaires</h1>
        {selected ? (
          <p className="dashboard-actions">
            <Link to={`/gestion/tableau-de-bord?exercice=${selected.id}`}>Tableau de bord</Link>
            <a href={`/gestion/plan-d-affaires.csv?exercice=${selected.id}`} download>
              Exporter en CSV
            </a>
          </p>
        ) : null}
      </div>
      <p className="lead">Les objectifs de recettes de l'exercice, flux par flux, mois par mois ou pour l'année.</p>
      {data.saved && SAVED[data.saved] ? (
        <p className="notice notice-success" role="status">
          {SAVED[data.saved]}
        </p>
      ) : null}
      {data.unknownYear ? (
        <p className="notice notice-error">Cet exercice n'existe pas : voici l'exercice en cours.</p>
      ) : null}
      {data.missingLine ? <p className="notice notice-error">Cette ligne du plan n'existe plus.</p> : null}
      <FormErrors errors={deleteError} />
      <FormErrors errors={createError} />

      {years.length > 0 ? (
        <Form method="get" className="filters" aria-label="Exercice">
          <div className="field">
            <label htmlFor="exercice">Exercice</label>
            <select id="exercice" name="exercice" defaultValue={selected?.id}>
              {years.map((y) => (
                <option key={y.id} value={y.id}>
                  {y.closed ? `${y.label} (clôturé)` : y.label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button button-secondary">
            Afficher
          </button>
        </Form>
      ) : null}
      {data.todayYear ? (
        <IntentForm intent="create-year" className="notice">
          <p>
            Aucun exercice ne couvre l'année {data.todayYear}.{" "}
            <button type="submit" className="button button-small">
              Ouvrir l'exercice {data.todayYear}
            </button>
          </p>
        </IntentForm>
      ) : null}

      {selected ? (
        <>
          <section aria-labelledby="lignes">
            <h2 id="lignes">{selected.label}</h2>
            {lines.length === 0 ? (
              <p className="muted">Aucune ligne pour cet exercice : ajoutez-en ou importez un fichier.</p>
            ) : (
              <div className="table-scroll">
                <table className="table plan-table">
                  <caption className="visually-hidden">Lignes du plan d'affaires, par flux</caption>
                  <thead>
                    <tr>
                      <th scope="col">Libellé</th>
                      <th scope="col">Période</th>
                      <th scope="col" className="num">
                        Montant
                      </th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  {STREAMS.filter((s) => lines.some((l) => l.stream === s)).map((stream) => (
                    <tbody key={stream}>
                      <tr className="plan-stream">
                        <th scope="rowgroup" colSpan={2}>
                          {STREAM_LABELS[stream]}
                        </th>
                        <td className="num">{formatCents(totals.find((t) => t.stream === stream)!.amount)}</td>
                        <td />
                      </tr>
                      {lines
                        .filter((l) => l.stream === stream)
                        .map((l) => (
                          <tr key={l.id}>
                            <th scope="row">{l.label}</th>
                            <td className="plan-period">
                              {l.month
                                ? `${PLAN_PERIOD_LABELS.MONTH} — ${MONTH_NAMES[l.month - 1]}`
                                : PLAN_PERIOD_LABELS.YEAR}
                            </td>
                            <td className="num">{formatCents(l.amount)}</td>
                            <td>
                              <div className="plan-actions">
                                <Link
                                  to={`/gestion/plan-d-affaires?exercice=${selected.id}&ligne=${l.id}#form-ligne`}
                                  aria-label={`Modifier « ${l.label} »`}
                                >
                                  Modifier
                                </Link>
                                <IntentForm intent="delete">
                                  <input type="hidden" name="id" value={l.id} />
                                  <button type="submit" className="link-button" aria-label={`Supprimer « ${l.label} »`}>
                                    Supprimer
                                  </button>
                                </IntentForm>
                              </div>
                            </td>
                          </tr>
                        ))}
                    </tbody>
                  ))}
                  <tfoot>
                    <tr>
                      <th scope="row" colSpan={2}>
                        Total du plan
                      </th>
                      <td className="num">{formatCents(total)}</td>
                      <td />
                    </tr>
                  </tfoot>
                </table>
              </div>
            )}
          </section>
          <div className="two-columns">
            <PlanLineForm key={data.editing?.id ?? "new"} fiscalYearId={selected.id} />
            <ImportForm fiscalYearId={selected.id} />
          </div>
        </>
      ) : null}
    </>
  );
}
