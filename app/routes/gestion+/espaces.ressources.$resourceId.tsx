import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { runCommand } from "~/domain/commands.server";
import {
  Field,
  FormErrors,
  IntentButton,
  IntentForm,
  SavedNotice,
  SubmitButton,
  useValidatedForm,
} from "~/components/forms";
import { DoneNotice, ResourceForm, resultFor } from "~/components/spaces-admin";
import {
  ClosureSchema,
  hoursText,
  ReopenSchema,
  resourceFormValues,
  ResourceSchema,
} from "~/domain/booking/admin-schemas";
import {
  closeResource,
  getResource,
  reopenResource,
  saveResource,
  slotParts,
  upcomingClosures,
} from "~/domain/booking/index.server";
import { parisInstant, toMinutes } from "~/domain/booking/time";
import { db } from "~/utils/db.server";
import { invalid, refused } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.resource.name ?? "Ressource"} — Gestion` },
];

const DONE: Record<string, string> = {
  cree: "Créé. Il se réserve dès maintenant s'il est ouvert à la réservation.",
  fermee: "Fermeture enregistrée : plus personne ne peut réserver sur cette période.",
  levee: "Fermeture levée : la période se réserve de nouveau.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "spaces:manage");
  const resource = await getResource(db, pole.id, params.resourceId ?? "");
  if (!resource) httpError(404, "Ce poste ou cette salle n'existe pas.");
  const [spaces, closures] = await Promise.all([
    db.space.findMany({
      where: { poleId: pole.id },
      orderBy: [{ position: "asc" }, { name: "asc" }],
      select: { id: true, name: true },
    }),
    upcomingClosures(db, { poleId: pole.id, resourceId: resource.id, now: new Date() }),
  ]);
  return json({
    resource: {
      id: resource.id,
      name: resource.name,
      slug: resource.slug,
      active: resource.active,
      spaceId: resource.spaceId,
      spaceName: resource.space.name,
    },
    values: resourceFormValues(resource),
    spaces,
    poleHours: hoursText(pole.openingHours),
    closures: closures.map((c) => ({ id: c.id, ...slotParts(c.startsAt, c.endsAt), reason: c.reason })),
    closureKey: randomUUID(),
  });
}

/** The closure domain names its fields start/end; the form has dates and times. */
const CLOSURE_FIELDS: Record<string, string | undefined> = { end: "endTime", reason: "reason" };

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole, person } = await requirePermission(request, "spaces:manage");
  const resource = await getResource(db, pole.id, params.resourceId ?? "");
  if (!resource) httpError(404, "Ce poste ou cette salle n'existe pas.");
  const form = await readForm(request);
  const intent = form.get("intent");
  const now = new Date();

  if (intent === "close") {
    const submission = parseWithZod(form, { schema: ClosureSchema });
    if (submission.status !== "success") return invalid(submission);
    const v = submission.value;
    const result = await runCommand(closeResource, {
      poleId: pole.id,
      resourceKey: resource.id,
      startsAt: parisInstant(v.startDate, toMinutes(v.startTime)),
      endsAt: parisInstant(v.endDate, toMinutes(v.endTime)),
      reason: v.reason,
      staffId: person.id,
      idempotencyKey: `closure:${v.idempotencyKey}`,
      now,
    });
    if (!result.ok)
      return refused(submission, { ...result, field: result.field ? CLOSURE_FIELDS[result.field] : undefined });
    return redirect(`/gestion/espaces/ressources/${resource.id}?fait=fermee`);
  }

  if (intent === "reopen") {
    const submission = parseWithZod(form, { schema: ReopenSchema });
    if (submission.status !== "success") return invalid(submission);
    const closure = await db.booking.findFirst({
      where: { id: submission.value.closureId, resourceId: resource.id },
      select: { id: true },
    });
    if (!closure) httpError(404, "Cette fermeture n'existe pas.");
    const result = await runCommand(reopenResource, {
      poleId: pole.id,
      closureId: closure.id,
      staffId: person.id,
      now,
    });
    if (!result.ok) return refused(submission, result);
    return redirect(`/gestion/espaces/ressources/${resource.id}?fait=levee`);
  }

  const submission = parseWithZod(form, { schema: ResourceSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await saveResource(db, pole.id, resource.id, submission.value);
  if (!result.ok) return refused(submission, result);
  return json({ ...submission.reply(), saved: true as const });
}

export default function ResourcePage() {
  const { resource, values, spaces, poleHours, closures } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const saveResult = resultFor(actionData, "save");
  return (
    <>
      <p>
        <Link to={`/gestion/espaces/${resource.spaceId}`}>← {resource.spaceName}</Link>
      </p>
      <div className="title-row">
        <h1>{resource.name}</h1>
        <p className="link-row">
          {resource.active ? (
            <Link to={`/espaces/${resource.slug}`}>Page publique</Link>
          ) : (
            <span className="badge">Fermée à la réservation</span>
          )}
          <Link to={`/gestion/espaces/calendrier?espace=${resource.spaceId}`}>Calendrier</Link>
        </p>
      </div>
      <DoneNotice message={actionData ? null : DONE[searchParams.get("fait") ?? ""]} />
      <SavedNotice result={saveResult}>Modifications enregistrées.</SavedNotice>
      <ClosuresSection closures={closures} />
      <h2>Fiche et tarifs</h2>
      <ResourceForm
        lastResult={saveResult}
        defaultValue={values}
        spaces={spaces}
        poleHours={poleHours}
        submitLabel="Enregistrer"
      />
    </>
  );
}

function ClosuresSection({
  closures,
}: {
  closures: { id: string; day: string; time: string; reason: string | null }[];
}) {
  const { closureKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useValidatedForm(ClosureSchema, {
    lastResult: resultFor(actionData, "close"),
    id: "fermeture",
  });
  const reopenErrors = resultFor(actionData, "reopen")?.error?.[""];
  return (
    <section className="card" aria-labelledby="fermetures">
      <h2 id="fermetures">Fermetures</h2>
      <p className="field-hint">
        Bloquez le poste ou la salle (travaux, événement) : personne ne peut réserver sur la période, et une période
        déjà réservée est refusée.
      </p>
      <FormErrors errors={reopenErrors ?? undefined} />
      {closures.length === 0 ? (
        <p className="muted closures-empty">Aucune fermeture à venir.</p>
      ) : (
        <ul className="closure-list">
          {closures.map((c) => (
            <li key={c.id}>
              <span>
                <strong>
                  {c.day}, {c.time}
                </strong>
                {c.reason ? <span className="muted"> — {c.reason}</span> : null}
              </span>
              <IntentButton intent="reopen" values={{ closureId: c.id }}>
                Lever
              </IntentButton>
            </li>
          ))}
        </ul>
      )}
      <IntentForm
        intent="close"
        {...getFormProps(form)}
        className="form closure-form"
        aria-label="Ajouter une fermeture"
      >
        <input type="hidden" name="idempotencyKey" value={closureKey} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <div className="form-row form-row-4">
          <Field meta={fields.startDate} label="Du" type="date" />
          <Field meta={fields.startTime} label="À partir de" type="time" />
          <Field meta={fields.endDate} label="Au" type="date" />
          <Field meta={fields.endTime} label="Jusqu'à" type="time" />
        </div>
        <Field meta={fields.reason} label="Motif" placeholder="Travaux de peinture, assemblée générale…" />
        <SubmitButton pendingLabel="Enregistrement…" className="button button-secondary">
          Fermer sur cette période
        </SubmitButton>
      </IntentForm>
    </section>
  );
}
