import { parseWithZod } from "@conform-to/zod/v4";
import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { runCommand } from "~/domain/commands.server";
import { resetPassword } from "~/domain/identity/index.server";
import { ResetPasswordSchema } from "~/domain/identity/schemas";
import { Field, FormErrors, SubmitButton, useValidatedForm } from "~/components/forms";
import { invalid, refused } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Nouveau mot de passe — Terrain Commun" }];

export function loader({ request }: LoaderFunctionArgs) {
  return json({ token: new URL(request.url).searchParams.get("token") ?? "" });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: ResetPasswordSchema });
  if (submission.status !== "success") return invalid(submission, ["password", "confirm"]);
  const result = await runCommand(resetPassword, { ...submission.value, now: new Date() });
  if (!result.ok) return refused(submission, result, ["password", "confirm"]);
  return redirect("/connexion?reinitialise=1");
}

export default function ResetPassword() {
  const { token } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useValidatedForm(ResetPasswordSchema, { lastResult });
  return (
    <div className="narrow">
      <h1>Choisir un nouveau mot de passe</h1>
      {token ? null : (
        <p className="notice notice-error" role="alert">
          Ce lien est incomplet. <Link to="/mot-de-passe-oublie">Demandez un nouveau lien</Link>.
        </p>
      )}
      <Form method="post" {...getFormProps(form)} className="card form">
        <FormErrors id={form.errorId} errors={[...(form.errors ?? []), ...(fields.token.errors ?? [])]} />
        <input type="hidden" name="token" value={token} />
        <Field
          meta={fields.password}
          label="Nouveau mot de passe"
          type="password"
          autoComplete="new-password"
          hint="Au moins 12 caractères."
        />
        <Field meta={fields.confirm} label="Confirmez le mot de passe" type="password" autoComplete="new-password" />
        <SubmitButton pendingLabel="Enregistrement…">Enregistrer le mot de passe</SubmitButton>
      </Form>
      <p>
        <Link to="/mot-de-passe-oublie">Demander un nouveau lien</Link>
      </p>
    </div>
  );
}
