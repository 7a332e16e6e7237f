import { parseWithZod } from "@conform-to/zod/v4";
import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { runCommand } from "~/domain/commands.server";
import { authenticate } from "~/domain/identity/index.server";
import { LoginSchema } from "~/domain/identity/schemas";
import { Field, FormErrors, Honeypot, SubmitButton, useValidatedForm } from "~/components/forms";
import { getViewer, startSession } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { invalid, refused, rejectBots, tooManyAttempts } from "~/utils/forms.server";
import { clientIp, readForm } from "~/utils/http.server";
import { getPole } from "~/utils/pole.server";
import { knownDevice, rememberDevice } from "~/utils/device.server";
import { loginSucceeded, throttleLogin } from "~/utils/rate-limit.server";
import { safeRedirect } from "~/utils/validation";

export const meta: MetaFunction = () => [{ title: "Se connecter — Terrain Commun" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { person } = await getViewer(request);
  const url = new URL(request.url);
  if (person) throw redirect(safeRedirect(url.searchParams.get("redirectTo")));
  return json({ passwordChanged: url.searchParams.has("reinitialise") });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  rejectBots(form);
  const submission = parseWithZod(form, { schema: LoginSchema });
  if (submission.status !== "success") return invalid(submission, ["password"]);
  const { email } = submission.value;

  const device = await knownDevice(request, email);
  const gate = await throttleLogin(db, { ip: clientIp(context), email, device, now: new Date() });
  if (!gate.allowed) {
    return tooManyAttempts(submission, gate.message, gate.retryAfterSeconds, ["password"]);
  }

  const pole = await getPole();
  const result = await runCommand(authenticate, { poleId: pole.id, ...submission.value });
  if (!result.ok) return refused(submission, result, ["password"]);
  await loginSucceeded(db, { email, device });
  return startSession(request, result.value.personId, safeRedirect(submission.value.redirectTo), [
    await rememberDevice(request, email),
  ]);
}

export default function Login() {
  const { passwordChanged } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useValidatedForm(LoginSchema, { id: "connexion", lastResult });
  return (
    <div className="narrow">
      <h1>Se connecter</h1>
      {passwordChanged ? (
        <p className="notice notice-success" role="status">
          Votre mot de passe a été changé. Connectez-vous avec le nouveau.
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="card form">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <Field meta={fields.email} label="Adresse email" type="email" autoComplete="email" />
        <Field meta={fields.password} label="Mot de passe" type="password" autoComplete="current-password" />
        <Honeypot />
        <SubmitButton pendingLabel="Connexion…">Se connecter</SubmitButton>
      </Form>
      <p>
        <Link to="/mot-de-passe-oublie">Mot de passe oublié ?</Link> · Pas encore de compte ?{" "}
        <Link to="/inscription">Créer un compte</Link>
      </p>
    </div>
  );
}
