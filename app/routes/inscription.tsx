import { parseWithZod } from "@conform-to/zod/v4";
import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { registerPerson } from "~/domain/identity/index.server";
import { SignUpSchema } from "~/domain/identity/schemas";
import { welcomeEmail } from "~/emails/account";
import { Field, FormErrors, Honeypot, SubmitButton, useValidatedForm } from "~/components/forms";
import { getViewer, startSession } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { sendEmail } from "~/utils/email.server";
import { getEnv } from "~/utils/env.server";
import { invalid, refused, rejectBots } from "~/utils/forms.server";
import { clientIp, httpError, readForm } from "~/utils/http.server";
import { getPole } from "~/utils/pole.server";
import { throttleAccountForm } from "~/utils/rate-limit.server";

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

  if (!(await throttleAccountForm(db, "signup", { ip: clientIp(context), email: submission.value.email })).allowed) {
    httpError(429, "Trop de tentatives de création de compte. Réessayez dans quelques minutes.");
  }

  const pole = await getPole();
  const result = await db.$transaction((tx) => registerPerson(tx, { poleId: pole.id, ...submission.value }));
  if (!result.ok) return refused(submission, result, ["password"]);

  const env = getEnv();
  await sendEmail({
    poleId: pole.id,
    to: submission.value.email,
    ...welcomeEmail({ poleName: pole.name, name: submission.value.name, url: `${env.APP_URL}/compte` }),
  });
  return startSession(request, result.value.personId, "/compte?bienvenue=1");
}

export default function SignUp() {
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useValidatedForm(SignUpSchema, { lastResult });
  return (
    <div className="narrow">
      <h1>Créer un compte</h1>
      <p className="lead">Un seul compte pour réserver un espace, candidater pour une parcelle, suivre une formation ou soutenir le pôle.</p>
      <Form method="post" {...getFormProps(form)} className="card form">
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field meta={fields.name} label="Nom et prénom" autoComplete="name" />
        <Field meta={fields.email} label="Adresse email" type="email" autoComplete="email" />
        <Field meta={fields.password} label="Mot de passe" type="password" autoComplete="new-password" hint="Au moins 12 caractères. Une phrase facile à retenir fait un bon mot de passe." />
        <Field meta={fields.organisationName} label="Organisation (facultatif)" autoComplete="organization" hint="L'association, l'entreprise ou la structure pour laquelle vous travaillez." />
        <Honeypot />
        <SubmitButton pendingLabel="Création…">Créer mon compte</SubmitButton>
      </Form>
      <p>
        Déjà un compte ? <Link to="/connexion">Se connecter</Link>
      </p>
    </div>
  );
}
