import { parseWithZod } from "@conform-to/zod/v4";
import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { runCommand } from "~/domain/commands.server";
import { confirmSignUp, pendingSignUp } from "~/domain/identity/index.server";
import { ConfirmSignUpSchema } from "~/domain/identity/schemas";
import { SIGN_UP_FOLLOW_UPS } from "~/domain/streams.server";
import { Field, FormErrors, SubmitButton, useValidatedForm } from "~/components/forms";
import { startSession } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";
import { throttleSignUpConfirmation, waitText } from "~/utils/rate-limit.server";

// The emailed sign-up link. Opening it changes nothing — mail scanners fetch links before people click them —
// it shows a form; its POST, with the password chosen at sign-up (decision 012), creates the account, logs the
// person in and carries on.

export const meta: MetaFunction = () => [
  { title: "Confirmer mon adresse — Terrain Commun" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("jeton")?.trim() ?? "";
  const pending =
    token.length >= 10 && token.length <= 200
      ? await pendingSignUp(db, { token, now: new Date(), followUps: SIGN_UP_FOLLOW_UPS })
      : null;
  if (!pending?.ok) {
    const message = pending?.message ?? "Ce lien est incomplet : copiez l'adresse entière reçue par email.";
    return json({ ok: false as const, message, token: "" }, { status: pending?.status ?? 400 });
  }
  return json({ ok: true as const, token, ...pending.value });
}

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await readForm(request), { schema: ConfirmSignUpSchema });
  if (submission.status !== "success") return invalid(submission, ["password"]);
  const throttle = await throttleSignUpConfirmation(db, submission.value.token);
  if (!throttle.allowed) {
    const message = `Trop d'essais avec ce lien. Réessayez dans ${waitText(throttle.retryAfterSeconds)}.`;
    return json(submission.reply({ formErrors: [message], hideFields: ["password"] }), {
      status: 429,
      headers: { "Retry-After": String(throttle.retryAfterSeconds) },
    });
  }
  const result = await runCommand(confirmSignUp, {
    ...submission.value,
    now: new Date(),
    followUps: SIGN_UP_FOLLOW_UPS,
  });
  if (!result.ok) return refused(submission, result, ["password"]);
  return startSession(request, result.value.personId, result.value.redirectTo);
}

export default function ConfirmSignUp() {
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useValidatedForm(ConfirmSignUpSchema, { id: "confirmer-inscription", lastResult });
  if (!data.ok) {
    // After a refused POST the link reads as used: the action's own reason says more (an address taken meanwhile).
    return (
      <div className="narrow">
        <h1>Lien non valable</h1>
        <p className="notice notice-error" role="alert">
          {form.errors?.[0] ?? data.message}
        </p>
        <p>
          <Link to="/connexion">Se connecter</Link> · <Link to="/inscription">Créer un compte</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>Confirmer mon adresse</h1>
      <p className="lead">
        Bonjour {data.name}, confirmez l'adresse {data.email} pour créer votre compte
        {data.purpose ? ` et ${data.purpose}` : ""}.
      </p>
      {/* The date and the password let someone whose address was typed by another tell this request is not theirs. */}
      <p>
        Cette demande a été faite le {formatDate(data.requestedAt, "dateTime")} (heure de Paris). Si vous n'en êtes pas
        à l'origine, ignorez ce lien : sans le mot de passe choisi à l'inscription, aucun compte n'est créé.
      </p>
      <Form method="post" {...getFormProps(form)} className="card form">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="token" value={data.token} />
        <Field
          meta={fields.password}
          label="Le mot de passe choisi à l'inscription"
          type="password"
          autoComplete="current-password"
        />
        <SubmitButton pendingLabel="Création…">{data.confirmLabel}</SubmitButton>
      </Form>
    </div>
  );
}
