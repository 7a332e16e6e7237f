import { getFormProps, getSelectProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { runCommand } from "~/domain/commands.server";
import { Field, FieldErrors, FormErrors, SubmitButton, useValidatedForm } from "~/components/forms";
import { AccountOptions, groupByClass, StreamOptions } from "~/components/ledger";
import { createSubAccount, listAccounts } from "~/domain/ledger/index.server";
import { SubAccountSchema } from "~/domain/ledger/schemas";
import { STREAM_LABELS } from "~/domain/ledger/streams";
import { db } from "~/utils/db.server";
import { invalid, refused } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Plan comptable — Comptabilité" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const accounts = await listAccounts(db, pole.id);
  return json({ accounts: accounts.map((a) => ({ id: a.id, code: a.code, label: a.label, stream: a.stream })) });
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const submission = parseWithZod(await readForm(request), { schema: SubAccountSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await runCommand(createSubAccount, { poleId: pole.id, ...submission.value });
  if (!result.ok) return refused(submission, result);
  return json({ ...submission.reply({ resetForm: true }), saved: true as const, code: result.value.code });
}

export default function AccountsPage() {
  const { accounts } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useValidatedForm(SubAccountSchema, { lastResult });
  const groups = groupByClass(accounts);
  return (
    <>
      <h1>Plan comptable</h1>
      <div className="two-columns ledger-accounts">
        <div className="table-scroll">
          <table className="table ledger-table">
            <caption className="visually-hidden">Comptes du pôle par classe</caption>
            <thead>
              <tr>
                <th scope="col">Compte</th>
                <th scope="col">Intitulé</th>
                <th scope="col">Flux par défaut</th>
              </tr>
            </thead>
            {groups.map((g) => (
              <tbody key={g.key}>
                <tr className="group-head">
                  <th scope="colgroup" colSpan={3}>
                    {g.label}
                  </th>
                </tr>
                {g.accounts.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">
                      <Link
                        to={`/gestion/comptabilite/comptes/${a.code}`}
                        aria-label={`Grand livre du compte ${a.code} ${a.label}`}
                      >
                        {a.code}
                      </Link>
                    </th>
                    <td>{a.label}</td>
                    <td>{a.stream ? STREAM_LABELS[a.stream] : <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
        <Form method="post" {...getFormProps(form)} className="form card" aria-labelledby="new-account">
          <h2 id="new-account">Ajouter un sous-compte</h2>
          {lastResult && "code" in lastResult ? (
            <p className="notice notice-success" role="status">
              Compte {String(lastResult.code)} créé.
            </p>
          ) : null}
          <FormErrors id={form.errorId} errors={form.errors} />
          <div className="field">
            <label htmlFor={fields.parentCode.id}>Compte parent</label>
            <select {...getSelectProps(fields.parentCode)} key={fields.parentCode.key}>
              <option value="">Choisir…</option>
              <AccountOptions groups={groups} />
            </select>
            <FieldErrors id={fields.parentCode.errorId} errors={fields.parentCode.errors} />
          </div>
          <Field
            meta={fields.code}
            label="Numéro du sous-compte"
            inputMode="numeric"
            hint="Commence comme son parent : 740100 sous 740000, 512100 sous 512000."
          />
          <Field meta={fields.label} label="Intitulé" placeholder="ex. Subvention Région Occitanie" />
          <div className="field">
            <label htmlFor={fields.stream.id}>Flux</label>
            <select {...getSelectProps(fields.stream)} key={fields.stream.key}>
              <option value="">Celui du compte parent</option>
              <StreamOptions />
            </select>
            <FieldErrors id={fields.stream.errorId} errors={fields.stream.errors} />
          </div>
          <SubmitButton pendingLabel="Création…">Ajouter le compte</SubmitButton>
        </Form>
      </div>
    </>
  );
}
