import { parseWithZod } from "@conform-to/zod/v4";
import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { runCommand } from "~/domain/commands.server";
import { requestSignUp } from "~/domain/identity/index.server";
import { SignUpSchema } from "~/domain/identity/schemas";
import { SIGN_UP_FOLLOW_UPS } from "~/domain/streams.server";
import { Field, FormErrors, Honeypot, NewAccountFields, SubmitButton, useValidatedForm } from "~/components/forms";
import { CheckYourMailbox } from "~/components/check-your-mailbox";
import { getViewer } from "~/utils/auth.server";
import { invalid, rejectBots, signUpThrottled } from "~/utils/forms.server";
import { clientIp, readForm } from "~/utils/http.server";
import { getPole } from "~/utils/pole.server";

export const meta: MetaFunction = () => [{ title: "Créer un compte — Terrain Commun" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { person } = await getViewer(request);
  if (person) throw redirect("/compte");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  rejectBots(form);
  const submission = parseWithZod(form, { schema: SignUpSchema });
  if (submission.status !== "success") return invalid(submission, ["password"]);

  const throttled = await signUpThrottled(submission, { ip: clientIp(context), email: submission.value.email });
  if (throttled) return throttled;

  // The same answer whether or not the address has an account: only the email sent differs.
  const pole = await getPole();
  await runCommand(requestSignUp, {
    pole,
    ...submission.value,
    followUps: SIGN_UP_FOLLOW_UPS,
    now: new Date(),
  });
  return json({
    ...submission.reply({ hideFields: ["password"] }),
    sent: true as const,
    email: submission.value.email,
  });
}

export default function SignUp() {
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useValidatedForm(SignUpSchema, { lastResult });
  if (lastResult && "sent" in lastResult && "email" in lastResult)
    return (
      <CheckYourMailbox email={String(lastResult.email)} thenWhat=" et créer votre compte">
        <Link to="/connexion">Se connecter</Link> ·{" "}
        <Link to="/inscription" reloadDocument>
          Recommencer
        </Link>
      </CheckYourMailbox>
    );
  return (
    <div className="narrow">
      <h1>Créer un compte</h1>
      <p className="lead">
        Un seul compte pour réserver un espace, candidater pour une parcelle, suivre une formation ou soutenir le pôle.
      </p>
      <Form method="post" {...getFormProps(form)} className="card form">
        <FormErrors id={form.errorId} errors={form.errors} />
        <NewAccountFields fields={fields} />
        <Field
          meta={fields.organisationName}
          label="Organisation (facultatif)"
          autoComplete="organization"
          hint="L'association, l'entreprise ou la structure pour laquelle vous travaillez."
        />
        <Honeypot />
        <SubmitButton pendingLabel="Envoi…">Créer mon compte</SubmitButton>
      </Form>
      <p>
        Déjà un compte ? <Link to="/connexion">Se connecter</Link>
      </p>
    </div>
  );
}
