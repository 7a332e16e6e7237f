import { getFormProps, getInputProps, getSelectProps, type FieldMetadata } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { useHydrated } from "~/components/client-only";
import { Field, FieldErrors, FormErrors, useValidatedForm } from "~/components/forms";
import { AccountOptions, groupByClass, StreamOptions } from "~/components/ledger";
import { isLedgerError, listAccounts, parisDate, postManualEntry } from "~/domain/ledger/index.server";
import {
  MANUAL_PRESETS,
  ManualEntrySchema,
  ManualLineSchema,
  MIN_FORM_LINES,
  parseEuros,
  type PresetKey,
} from "~/domain/ledger/schemas";
import { JOURNAL_LABELS, JOURNALS } from "~/domain/ledger/streams";
import { db } from "~/utils/db.server";
import { formatCents } from "~/utils/format";
import { readForm } from "~/utils/http.server";
import { ledgerRefused } from "~/utils/ledger-forms.server";
import { requirePermission } from "~/utils/permissions.server";
import type { z } from "~/utils/validation";

export const meta: MetaFunction = () => [{ title: "Nouvelle écriture — Comptabilité" }];

type LineDefault = { account?: string; debit?: string; credit?: string; stream?: string; label?: string };

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const asked = new URL(request.url).searchParams.get("modele");
  const presetKey = asked && asked in MANUAL_PRESETS ? (asked as PresetKey) : null;
  const preset = presetKey ? MANUAL_PRESETS[presetKey] : null;
  const lines: LineDefault[] = (preset?.lines ?? []).map((l) => ({ account: l.account, stream: l.stream }));
  while (lines.length < MIN_FORM_LINES) lines.push({});
  const accounts = await listAccounts(db, pole.id);
  return json({
    presetKey,
    accounts: accounts.map((a) => ({ code: a.code, label: a.label })),
    // A fresh key per rendered form: submitting the same form twice posts one entry.
    defaultValue: {
      idempotencyKey: crypto.randomUUID(),
      journal: preset?.journal ?? "OD",
      date: parisDate(new Date()),
      label: preset?.label ?? "",
      pieceRef: "",
      lines,
    },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole, person } = await requirePermission(request, "ledger:manage");
  const submission = parseWithZod(await readForm(request), { schema: ManualEntrySchema });
  // Without JavaScript the add/remove line buttons come here: answer with the updated list, not an error.
  if (submission.status !== "success")
    return json(submission.reply(), { status: submission.status === "error" ? 400 : 200 });
  const { lines, ...entry } = submission.value;
  try {
    const { entry: posted } = await postManualEntry(db, {
      poleId: pole.id,
      createdById: person.id,
      today: parisDate(new Date()),
      ...entry,
      lines,
    });
    return redirect(`/gestion/comptabilite/ecritures/${posted.id}?enregistree`);
  } catch (error) {
    if (!isLedgerError(error)) throw error;
    // The posting module names lines by their place among the filled ones; the form by their row.
    return ledgerRefused(submission, error, (field) => {
      const line = /^lines\[(\d+)\](.*)$/.exec(field);
      if (line) {
        const row = lines[Number(line[1])]?.row;
        return row === undefined ? "lines" : `lines[${row}]${line[2]}`;
      }
      return ["date", "label", "pieceRef", "journal", "lines"].includes(field) ? field : undefined;
    });
  }
}

// After a refused submission keep the same form (and its idempotency key) rather than reloading a new one.
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  actionResult ? false : defaultShouldRevalidate;

export default function NewEntryPage() {
  const { presetKey, defaultValue } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Nouvelle écriture</h1>
      <p className="lead">Pour ce qu'aucun flux n'enregistre : subventions reçues, autres produits, dépenses.</p>
      <nav aria-label="Modèles d'écriture" className="presets">
        <span className="muted">Partir d'un modèle :</span>
        {(Object.keys(MANUAL_PRESETS) as PresetKey[]).map((key) => (
          <Link
            key={key}
            to={`?modele=${key}`}
            className={`button button-small ${presetKey === key ? "" : "button-secondary"}`}
            aria-current={presetKey === key ? "true" : undefined}
          >
            {MANUAL_PRESETS[key].title}
          </Link>
        ))}
        {presetKey ? (
          <Link to="." className="link-button">
            Écriture libre
          </Link>
        ) : null}
      </nav>
      {/* A new loader run (another model) gives a new key: start a new form. */}
      <ManualEntryForm key={defaultValue.idempotencyKey} />
    </>
  );
}

/** Totals of what is typed so far, read with the same parser as the server; unreadable amounts are listed. */
function liveTotals(lines: unknown) {
  let debit = 0;
  let credit = 0;
  const unreadable: string[] = [];
  (Array.isArray(lines) ? lines : []).forEach((line: LineDefault | undefined, i) => {
    for (const side of ["debit", "credit"] as const) {
      const text = line?.[side];
      if (typeof text !== "string" || text.trim() === "") continue;
      const parsed = parseEuros(text);
      if (parsed.ok) {
        if (side === "debit") debit += parsed.cents;
        else credit += parsed.cents;
      } else unreadable.push(`ligne ${i + 1} (${side === "debit" ? "débit" : "crédit"})`);
    }
  });
  return { debit, credit, gap: debit - credit, unreadable };
}

function ManualEntryForm() {
  const { accounts, defaultValue } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useValidatedForm(ManualEntrySchema, { lastResult, defaultValue });
  const hydrated = useHydrated();
  const pending = useNavigation().state === "submitting";
  const lines = fields.lines.getFieldList();
  const groups = groupByClass(accounts);
  const totals = liveTotals((form.value as { lines?: unknown } | undefined)?.lines);
  const blocker =
    totals.unreadable.length > 0
      ? `Montant illisible : ${totals.unreadable.join(", ")}.`
      : totals.debit === 0 && totals.credit === 0
        ? "Saisissez les montants au débit et au crédit."
        : totals.gap !== 0
          ? `Le débit et le crédit doivent être égaux : il reste un écart de ${formatCents(Math.abs(totals.gap))}.`
          : null;
  return (
    <Form method="post" {...getFormProps(form)} className="form manual-entry">
      {/* The first submit button is what Enter presses: record, never "add a line". */}
      <button type="submit" className="visually-hidden" tabIndex={-1} aria-hidden="true">
        Enregistrer
      </button>
      <input {...getInputProps(fields.idempotencyKey, { type: "hidden" })} key={fields.idempotencyKey.key} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <fieldset className="card entry-head-fields">
        <legend>Écriture</legend>
        <div className="field">
          <label htmlFor={fields.journal.id}>Journal</label>
          <select {...getSelectProps(fields.journal)} key={fields.journal.key}>
            {JOURNALS.map((j) => (
              <option key={j} value={j}>
                {j} — {JOURNAL_LABELS[j]}
              </option>
            ))}
          </select>
          <FieldErrors id={fields.journal.errorId} errors={fields.journal.errors} />
        </div>
        <Field meta={fields.date} label="Date" type="date" />
        <Field
          meta={fields.label}
          label="Libellé"
          placeholder="ex. Subvention d'exploitation — Région Occitanie 2027"
        />
        <Field
          meta={fields.pieceRef}
          label="Référence de la pièce"
          hint="N° du virement, de la facture, de la convention…"
        />
      </fieldset>
      <fieldset className="card entry-lines">
        <legend>Lignes</legend>
        <FieldErrors id={fields.lines.errorId} errors={fields.lines.errors} />
        <div className="table-scroll">
          <table className="table ledger-table lines-table">
            <thead>
              <tr>
                <th scope="col">Compte</th>
                <th scope="col" className="num">
                  Débit (€)
                </th>
                <th scope="col" className="num">
                  Crédit (€)
                </th>
                <th scope="col">Flux</th>
                <th scope="col">Libellé de ligne</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line, index) => (
                <LineRow
                  key={line.key ?? `ligne-${index}`}
                  line={line}
                  index={index}
                  groups={groups}
                  removeButton={
                    lines.length > 2 ? form.remove.getButtonProps({ name: fields.lines.name, index }) : null
                  }
                />
              ))}
            </tbody>
          </table>
        </div>
        <button
          {...form.insert.getButtonProps({ name: fields.lines.name })}
          className="button button-secondary button-small"
        >
          Ajouter une ligne
        </button>
      </fieldset>
      <div
        className="balance-indicator"
        role="status"
        aria-live="polite"
        data-balanced={blocker === null ? "true" : "false"}
      >
        <span>
          Débit total <strong className="num">{formatCents(totals.debit)}</strong>
        </span>
        <span>
          Crédit total <strong className="num">{formatCents(totals.credit)}</strong>
        </span>
        <span>
          Écart <strong className="num">{formatCents(Math.abs(totals.gap))}</strong>
        </span>
      </div>
      <noscript>
        <p className="field-hint">Sans JavaScript, l'équilibre de l'écriture est vérifié à l'enregistrement.</p>
      </noscript>
      <div className="submit-row">
        {/* aria-disabled rather than disabled: the button stays focusable, says why, and a click shows the errors. */}
        <button
          type="submit"
          className="button"
          disabled={pending}
          aria-busy={pending}
          aria-disabled={hydrated && blocker !== null ? "true" : undefined}
          aria-describedby={hydrated && blocker ? "submit-blocker" : undefined}
        >
          {pending ? "Enregistrement…" : "Enregistrer l'écriture"}
        </button>
        {hydrated && blocker ? (
          <p id="submit-blocker" className="field-hint submit-blocker">
            {blocker}
          </p>
        ) : null}
      </div>
    </Form>
  );
}

type ClassGroup = ReturnType<typeof groupByClass<{ code: string; label: string }>>[number];
type LineField = FieldMetadata<
  z.input<typeof ManualLineSchema> | undefined,
  z.input<typeof ManualEntrySchema>,
  string[]
>;
type AmountField = ReturnType<LineField["getFieldset"]>["debit"];

function LineRow({
  line,
  index,
  groups,
  removeButton,
}: {
  line: LineField;
  index: number;
  groups: ClassGroup[];
  removeButton: Record<string, unknown> | null;
}) {
  const f = line.getFieldset();
  const n = index + 1;
  const errors = [
    ...(line.errors ?? []),
    ...(f.account.errors ?? []),
    ...(f.debit.errors ?? []),
    ...(f.credit.errors ?? []),
    ...(f.stream.errors ?? []),
    ...(f.label.errors ?? []),
  ];
  const describedBy = errors.length ? line.errorId : undefined;
  return (
    <>
      <tr className={errors.length ? "line-row has-errors" : "line-row"}>
        <td>
          <label className="visually-hidden" htmlFor={f.account.id}>
            Compte, ligne {n}
          </label>
          <select
            {...getSelectProps(f.account)}
            key={f.account.key}
            aria-describedby={describedBy}
            aria-invalid={f.account.errors ? true : undefined}
          >
            <option value="">Choisir un compte…</option>
            <AccountOptions groups={groups} />
          </select>
        </td>
        <AmountCell field={f.debit} label={`Débit, ligne ${n}`} describedBy={describedBy} />
        <AmountCell field={f.credit} label={`Crédit, ligne ${n}`} describedBy={describedBy} />
        <td>
          <label className="visually-hidden" htmlFor={f.stream.id}>
            Flux, ligne {n}
          </label>
          <select {...getSelectProps(f.stream)} key={f.stream.key}>
            <option value="">Celui du compte</option>
            <StreamOptions />
          </select>
        </td>
        <td>
          <label className="visually-hidden" htmlFor={f.label.id}>
            Libellé, ligne {n}
          </label>
          <input {...getInputProps(f.label, { type: "text" })} key={f.label.key} autoComplete="off" />
        </td>
        <td>
          {removeButton ? (
            <button {...removeButton} className="link-button" aria-label={`Retirer la ligne ${n}`}>
              Retirer
            </button>
          ) : null}
        </td>
      </tr>
      {errors.length ? (
        <tr className="line-errors">
          <td colSpan={6}>
            <FieldErrors id={line.errorId} errors={errors.map((e) => `Ligne ${n} : ${e}`)} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** A debit or credit amount of a line, typed in euros. */
function AmountCell({ field, label, describedBy }: { field: AmountField; label: string; describedBy?: string }) {
  return (
    <td>
      <label className="visually-hidden" htmlFor={field.id}>
        {label}
      </label>
      <input
        {...getInputProps(field, { type: "text" })}
        key={field.key}
        inputMode="decimal"
        autoComplete="off"
        className="num"
        aria-describedby={describedBy}
        aria-invalid={field.errors ? true : undefined}
      />
    </td>
  );
}
