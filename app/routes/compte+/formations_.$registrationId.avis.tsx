import { getFormProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FieldErrors, FormErrors, SubmitButton, useValidatedForm } from "~/components/forms";
import { runCommand } from "~/domain/commands.server";
import { answerSatisfaction, satisfactionForm, satisfactionPath } from "~/domain/training/index.server";
import { SATISFACTION_QUESTIONS, SCORE_LABELS } from "~/domain/training/attendance-labels";
import { SatisfactionSchema } from "~/domain/training/attendance-schemas";
import styles from "~/styles/training-attendance.css";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";

// The satisfaction form of one's own registration (decision 020), once the session is delivered and only for
// someone who attended it: four questions scored 1 to 5, whether they would recommend the course, a comment.
// Answered once; afterwards the page thanks them. Anyone else's registration is a 404.

export const meta: MetaFunction = () => [{ title: "Mon avis sur la formation — Mon compte" }];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

async function formOf(request: Request, registrationId: string | undefined) {
  const { pole, person } = await requirePerson(request);
  const ids = { poleId: pole.id, registrationId: registrationId ?? "", personId: person.id };
  const form = await satisfactionForm(db, ids);
  if (!form.ok) httpError(form.status, form.message);
  return { ids, form: form.value };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { ids, form } = await formOf(request, params.registrationId);
  return json({
    registrationId: ids.registrationId,
    course: form.course,
    dates:
      formatDate(form.startsAt) === formatDate(form.endsAt)
        ? `le ${formatDate(form.startsAt)}`
        : `du ${formatDate(form.startsAt)} au ${formatDate(form.endsAt)}`,
    answeredAt: form.answeredAt ? formatDate(form.answeredAt) : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { ids } = await formOf(request, params.registrationId);
  const submission = parseWithZod(await readForm(request), { schema: SatisfactionSchema });
  if (submission.status !== "success") return invalid(submission);
  const { overall, content, trainer, organisation, recommend, comment } = submission.value;
  const result = await runCommand(answerSatisfaction, {
    ...ids,
    scores: { overall, content, trainer, organisation },
    recommend: recommend === "oui",
    comment: comment ?? "",
    now: new Date(),
  });
  if (!result.ok) return refused(submission, result);
  return redirect(satisfactionPath(ids.registrationId));
}

export default function SatisfactionForm() {
  const { course, dates, answeredAt } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useValidatedForm(SatisfactionSchema, { lastResult });
  const comment = getTextareaProps(fields.comment, { ariaAttributes: true });
  return (
    <div className="narrow attendance">
      <p>
        <Link to="/compte/formations">← Mes formations</Link>
      </p>
      <p className="eyebrow">Votre avis · {dates}</p>
      <h1>{course}</h1>
      {answeredAt ? (
        <section className="card" aria-labelledby="merci">
          <h2 id="merci">Merci pour votre avis !</h2>
          <p>
            Vos réponses du {answeredAt} sont enregistrées. Elles aident l'équipe du pôle et les formateurs à améliorer
            la formation.
          </p>
          <p>
            <Link to="/compte/formations">Retour à mes formations</Link>
          </p>
        </section>
      ) : (
        <Form method="post" {...getFormProps(form)} className="form">
          <p className="lead">Deux minutes, quatre questions : vos réponses sont lues par l'équipe, sans votre nom.</p>
          <FormErrors id={form.errorId} errors={form.errors} />
          {SATISFACTION_QUESTIONS.map((q) => {
            const field = fields[q.name];
            return (
              <fieldset
                key={q.name}
                className="card score-fieldset"
                aria-describedby={field.errors?.length ? field.errorId : undefined}
              >
                <legend>{q.label}</legend>
                <div className="score-choices score-choices-5" key={field.key}>
                  {SCORE_LABELS.map((label, i) => {
                    const id = `${field.id}-${i + 1}`;
                    return (
                      <div className="score-choice" key={id}>
                        <input
                          type="radio"
                          id={id}
                          name={field.name}
                          value={String(i + 1)}
                          defaultChecked={field.initialValue === String(i + 1)}
                          aria-invalid={field.errors?.length ? true : undefined}
                        />
                        <label htmlFor={id}>
                          <strong>{i + 1}</strong> {label}
                        </label>
                      </div>
                    );
                  })}
                </div>
                <FieldErrors id={field.errorId} errors={field.errors} />
              </fieldset>
            );
          })}
          <fieldset
            className="card score-fieldset"
            aria-describedby={fields.recommend.errors?.length ? fields.recommend.errorId : undefined}
          >
            <legend>Recommanderiez-vous cette formation à quelqu'un de votre entourage ?</legend>
            <div className="score-choices" key={fields.recommend.key}>
              {(
                [
                  ["oui", "Oui"],
                  ["non", "Non"],
                ] as const
              ).map(([value, label]) => (
                <div className="score-choice" key={value}>
                  <input
                    type="radio"
                    id={`${fields.recommend.id}-${value}`}
                    name={fields.recommend.name}
                    value={value}
                    defaultChecked={fields.recommend.initialValue === value}
                  />
                  <label htmlFor={`${fields.recommend.id}-${value}`}>
                    <strong>{label}</strong>
                  </label>
                </div>
              ))}
            </div>
            <FieldErrors id={fields.recommend.errorId} errors={fields.recommend.errors} />
          </fieldset>
          <div className="field">
            <label htmlFor={fields.comment.id}>Un commentaire, une suggestion ? (facultatif)</label>
            <textarea {...comment} key={comment.key} rows={5} maxLength={2000} />
            <FieldErrors id={fields.comment.errorId} errors={fields.comment.errors} />
          </div>
          <SubmitButton pendingLabel="Envoi…">Envoyer mon avis</SubmitButton>
        </Form>
      )}
    </div>
  );
}
