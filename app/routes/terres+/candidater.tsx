import { getFormProps, getInputProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { runCommand } from "~/domain/commands.server";
import {
  FieldErrors,
  FormErrors,
  Honeypot,
  NewAccountFields,
  SubmitButton,
  useValidatedForm,
} from "~/components/forms";
import { hectares, STATUS_WORDS } from "~/components/land/site-map";
import {
  applyAsPerson,
  APPLIED_PATH,
  applyWithSignUp,
  personApplication,
  plotsWithStatus,
} from "~/domain/leasing/index.server";
import { KIND_LABELS } from "~/domain/leasing/rules";
import {
  ApplicationSchema,
  LEASE_KIND_SUMMARIES,
  LEASE_KINDS,
  MAX_CHOICES,
  VisitorApplicationSchema,
} from "~/domain/leasing/schemas";
import { parisDate } from "~/domain/ledger/dates";
import { CheckYourMailbox } from "~/components/check-your-mailbox";
import { getViewer } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { invalid, refused, rejectBots, signUpThrottled } from "~/utils/forms.server";
import { clientIp, readForm } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Candidater pour une parcelle — Terrain Commun" }];

const RANKS = ["1er choix", "2e choix", "3e choix"];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, person } = await getViewer(request);
  const now = new Date();
  const today = parisDate(now);
  const [plots, current] = await Promise.all([
    plotsWithStatus(db, { poleId: pole.id, today, now }),
    person ? personApplication(db, { poleId: pole.id, personId: person.id }) : null,
  ]);
  const wanted = new URL(request.url).searchParams.get("parcelle");
  const open = plots.filter((p) => p.status !== "LEASED");
  const preselected = wanted ? (open.find((p) => p.code === wanted) ?? null) : null;
  return json({
    // Back from a confirmed sign-up whose application could no longer be recorded as it was.
    resend: Boolean(person) && new URL(request.url).searchParams.get("candidature") === "a-renvoyer",
    loggedIn: Boolean(person),
    pending: Boolean(current?.position),
    today,
    formKey: crypto.randomUUID(),
    plots: open.map((p) => ({ id: p.id, code: p.code, name: p.name, surfaceM2: p.surfaceM2, status: p.status })),
    preselected: preselected?.id ?? null,
    // A plot asked for from the map that cannot be chosen (leased meanwhile, or unknown).
    unavailable: wanted && !preselected ? wanted.slice(0, 20) : null,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { pole, person } = await getViewer(request);
  const form = await readForm(request);
  const now = new Date();

  if (person) {
    const submission = parseWithZod(form, { schema: ApplicationSchema });
    if (submission.status !== "success") return invalid(submission);
    const who = { id: person.id, name: person.name, email: person.email };
    const applied = await runCommand(applyAsPerson, { pole, person: who, form: submission.value, now });
    if (!applied.ok) return refused(submission, applied);
    return redirect(APPLIED_PATH);
  }

  // A visitor: the application waits until the address is confirmed by email, and the answer is the same whether
  // or not the address has an account — the email says what comes next.
  rejectBots(form);
  const submission = parseWithZod(form, { schema: VisitorApplicationSchema });
  if (submission.status !== "success") return invalid(submission, ["password"]);
  const throttled = await signUpThrottled(submission, { ip: clientIp(context), email: submission.value.email });
  if (throttled) return throttled;
  const result = await runCommand(applyWithSignUp, { pole, form: submission.value, now });
  if (!result.ok) return refused(submission, result, ["password"]);
  return json({
    ...submission.reply({ hideFields: ["password"] }),
    sent: true as const,
    email: submission.value.email,
  });
}

export default function Apply() {
  const { loggedIn, pending, resend, plots, preselected, unavailable, today, formKey } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  // One set of fields for both; a logged-in person's form has no account fields and its schema asks for none.
  const schema = (loggedIn ? ApplicationSchema : VisitorApplicationSchema) as typeof VisitorApplicationSchema;
  const [form, fields] = useValidatedForm(schema, {
    lastResult,
    defaultValue: { plotIds: preselected ? [preselected] : [], idempotencyKey: formKey },
  });
  const chosen = (fields.plotIds.initialValue ?? []) as (string | undefined)[];
  const kind = fields.leaseKind.initialValue as string | undefined;
  const surfaceProps = getInputProps(fields.minSurfaceM2, { type: "number", ariaAttributes: true });
  const startProps = getInputProps(fields.desiredStartOn, { type: "date", ariaAttributes: true });
  const back = `/terres/candidater${preselected ? `?parcelle=${plots.find((p) => p.id === preselected)?.code ?? ""}` : ""}`;
  if (lastResult && "sent" in lastResult && "email" in lastResult)
    return (
      <CheckYourMailbox
        email={String(lastResult.email)}
        thenWhat=" : votre compte sera alors créé et votre candidature enregistrée sur la liste d'attente"
        toWhat=" pour candidater"
      >
        <Link to="/terres">Retour au plan des parcelles</Link>
      </CheckYourMailbox>
    );

  return (
    <div className="narrow land-apply">
      <p>
        <Link to="/terres">← Le plan et les parcelles</Link>
      </p>
      <h1>Candidater pour une parcelle</h1>
      <p className="lead">
        Indiquez jusqu'à trois parcelles par ordre de préférence, ou la surface qui vous suffit, et présentez votre
        projet. Votre candidature prend sa place sur la liste d'attente.
      </p>
      {resend && !pending ? (
        <p className="notice notice-error" role="alert">
          Votre compte est créé, mais votre candidature n'a pas pu être enregistrée telle quelle (une date passée
          entre-temps, une parcelle retirée…) : vérifiez-la et envoyez-la à nouveau.
        </p>
      ) : null}
      {pending ? (
        <div className="notice" role="status">
          <p>
            Vous avez déjà une candidature en cours. <Link to="/compte/terres">Suivez-la dans Mon compte</Link> : vous
            pouvez la retirer pour en déposer une autre.
          </p>
        </div>
      ) : (
        <Form method="post" {...getFormProps(form)} className="card form">
          <FormErrors id={form.errorId} errors={form.errors} />
          <input type="hidden" name="idempotencyKey" value={formKey} />
          {unavailable ? (
            <p className="notice">
              La parcelle {unavailable} n'est pas disponible : choisissez-en une autre ci-dessous.
            </p>
          ) : null}

          <fieldset
            className="fieldset"
            aria-describedby={fields.plotIds.errors?.length ? fields.plotIds.errorId : undefined}
          >
            <legend>Parcelles souhaitées</legend>
            <p className="field-hint">
              Les parcelles libres ou déjà proposées à un autre candidat (elles vous reviennent s'il refuse).
            </p>
            <div className="choice-grid">
              {RANKS.slice(0, MAX_CHOICES).map((rank, i) => (
                <div className="field" key={`${fields.plotIds.key ?? ""}-${i}`}>
                  <label htmlFor={`${fields.plotIds.id}-${i}`}>{rank}</label>
                  <select
                    id={`${fields.plotIds.id}-${i}`}
                    name={`${fields.plotIds.name}[${i}]`}
                    defaultValue={chosen[i] ?? ""}
                    aria-invalid={fields.plotIds.errors?.length ? true : undefined}
                  >
                    <option value="">— Aucune —</option>
                    {plots.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.code}
                        {p.name ? ` — ${p.name}` : ""} · {hectares(p.surfaceM2)} · {STATUS_WORDS[p.status]}
                      </option>
                    ))}
                  </select>
                </div>
              ))}
            </div>
            <div className="field">
              <label htmlFor={fields.minSurfaceM2.id}>Et/ou toute parcelle d'au moins (m²)</label>
              <p className="field-hint" id={`${fields.minSurfaceM2.id}-hint`}>
                Facultatif. Par exemple 5000 pour un demi-hectare : toute parcelle de cette surface ou plus pourra vous
                être proposée.
              </p>
              <input
                {...surfaceProps}
                key={surfaceProps.key}
                min={100}
                step={100}
                inputMode="numeric"
                aria-describedby={[
                  `${fields.minSurfaceM2.id}-hint`,
                  fields.minSurfaceM2.errors?.length ? fields.minSurfaceM2.errorId : "",
                ]
                  .filter(Boolean)
                  .join(" ")}
              />
              <FieldErrors id={fields.minSurfaceM2.errorId} errors={fields.minSurfaceM2.errors} />
            </div>
            <FieldErrors id={fields.plotIds.errorId} errors={fields.plotIds.errors} />
          </fieldset>

          <fieldset
            className="fieldset"
            aria-describedby={fields.leaseKind.errors?.length ? fields.leaseKind.errorId : undefined}
          >
            <legend>Type de bail souhaité</legend>
            <div className="kind-options" key={fields.leaseKind.key}>
              {LEASE_KINDS.map((k) => (
                <label key={k} className="kind-option">
                  <input
                    type="radio"
                    name={fields.leaseKind.name}
                    value={k}
                    defaultChecked={kind === k}
                    aria-describedby={`kind-${k}`}
                  />
                  <span>
                    <strong>{KIND_LABELS[k]}</strong>
                    <span className="field-hint" id={`kind-${k}`}>
                      {LEASE_KIND_SUMMARIES[k]}
                    </span>
                  </span>
                </label>
              ))}
            </div>
            <FieldErrors id={fields.leaseKind.errorId} errors={fields.leaseKind.errors} />
          </fieldset>

          <div className="field">
            <label htmlFor={fields.desiredStartOn.id}>Début souhaité</label>
            <input {...startProps} key={startProps.key} min={today} />
            <FieldErrors id={fields.desiredStartOn.errorId} errors={fields.desiredStartOn.errors} />
          </div>
          <TextArea
            meta={fields.project}
            label="Votre projet"
            hint="Ce que vous voulez produire, comment, pour qui (vente directe, AMAP, restauration collective…)."
            rows={6}
          />
          <TextArea
            meta={fields.experience}
            label="Votre expérience (facultatif)"
            hint="Formation agricole, stages, années d'installation, accompagnement en cours…"
            rows={4}
          />

          {loggedIn ? null : (
            <fieldset className="fieldset">
              <legend>Votre compte</legend>
              <p className="field-hint">
                Votre candidature se suit depuis votre compte sur le site. Nous vous écrirons pour confirmer votre
                adresse : votre compte est créé et votre candidature enregistrée quand vous suivez le lien reçu. Déjà un
                compte ? <Link to={`/connexion?redirectTo=${encodeURIComponent(back)}`}>Connectez-vous</Link> d'abord.
              </p>
              <NewAccountFields fields={fields} />
              <Honeypot />
            </fieldset>
          )}
          <SubmitButton pendingLabel="Envoi…">Envoyer ma candidature</SubmitButton>
        </Form>
      )}
    </div>
  );
}

// The shared TextAreaField has no hint; this one says what to write.
function TextArea({
  meta,
  label,
  hint,
  rows,
}: {
  meta: Parameters<typeof getTextareaProps>[0];
  label: string;
  hint: string;
  rows: number;
}) {
  const props = getTextareaProps(meta, { ariaAttributes: true });
  const hintId = `${meta.id}-hint`;
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <p className="field-hint" id={hintId}>
        {hint}
      </p>
      <textarea
        {...props}
        key={props.key}
        rows={rows}
        aria-describedby={[hintId, meta.errors?.length ? meta.errorId : ""].filter(Boolean).join(" ")}
      />
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}
