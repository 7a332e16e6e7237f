import { parseWithZod } from "@conform-to/zod/v4";
import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { runCommand } from "~/domain/commands.server";
import { sendResetLink } from "~/domain/identity/index.server";
import { RESET_TOKEN_MINUTES } from "~/domain/identity/link-lifetimes";
import { ForgotPasswordSchema } from "~/domain/identity/schemas";
import { Field, FormErrors, Honeypot, SubmitButton, useValidatedForm } from "~/components/forms";
import { db } from "~/utils/db.server";
import { invalid, rejectBots } from "~/utils/forms.server";
import { clientIp, noSoonerThan, readForm } from "~/utils/http.server";
import { getPole } from "~/utils/pole.server";
import { throttleAccountForm } from "~/utils/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Mot de passe oublié — Terrain Commun" }];

const ANSWER_FLOOR_MS = 400;

const SENT_MESSAGE =
  "Si un compte existe avec cette adresse, un email vient de lui être envoyé avec un lien pour choisir un nouveau mot de passe.";

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  rejectBots(form);
  const submission = parseWithZod(form, { schema: ForgotPasswordSchema });
  if (submission.status !== "success") return invalid(submission);

  // Over the limit, the answer stays the same: it must not tell whether the address has an account. Both
  // branches send one email (a link, or "no account here") and the answer waits for a floor, so its timing
  // does not tell either.
  await noSoonerThan(ANSWER_FLOOR_MS, async () => {
    if (!(await throttleAccountForm(db, "reset", { ip: clientIp(context), email: submission.value.email })).allowed)
      return;
    await runCommand(sendResetLink, { pole: await getPole(), email: submission.value.email, now: new Date() });
  });
  return json({ ...submission.reply(), sent: true as const });
}

export default function ForgotPassword() {
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useValidatedForm(ForgotPasswordSchema, { lastResult });
  const sent = lastResult && "sent" in lastResult;
  return (
    <div className="narrow">
      <h1>Mot de passe oublié</h1>
      {sent ? (
        <p className="notice notice-success" role="status">
          {SENT_MESSAGE}
        </p>
      ) : (
        <p className="lead">
          Indiquez l'adresse de votre compte : nous vous enverrons un lien valable {RESET_TOKEN_MINUTES} minutes.
        </p>
      )}
      <Form method="post" {...getFormProps(form)} className="card form">
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field meta={fields.email} label="Adresse email" type="email" autoComplete="email" />
        <Honeypot />
        <SubmitButton pendingLabel="Envoi…">Recevoir le lien</SubmitButton>
      </Form>
      <p>
        <Link to="/connexion">Retour à la connexion</Link>
      </p>
    </div>
  );
}
