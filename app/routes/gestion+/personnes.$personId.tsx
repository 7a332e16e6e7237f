import { parseWithZod } from "@conform-to/zod/v4";
import { getFormProps, getSelectProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { runCommand } from "~/domain/commands.server";
import { changeMembership, getMembership, listOrganisations } from "~/domain/identity/index.server";
import { MembershipSchema, ROLE_LABELS } from "~/domain/identity/gestion-schemas";
import { FieldErrors, FormErrors, SubmitButton, useValidatedForm, SavedNotice } from "~/components/forms";
import { db } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";
import { can, requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.person.name ?? "Personne"} — Gestion` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole, membership: actor } = await requirePermission(request, "people:manage");
  const membership = await getMembership(db, pole.id, params.personId ?? "");
  if (!membership) throw json({ message: "Cette personne n'a pas de compte sur ce pôle." }, { status: 404 });
  const organisations = await listOrganisations(db, pole.id);
  return json({
    person: {
      id: membership.person.id,
      name: membership.person.name,
      email: membership.person.email,
      phone: membership.person.phone,
      organisationName: membership.person.organisationName,
      createdAt: membership.person.createdAt,
    },
    membership: { role: membership.role, organisationId: membership.organisationId ?? "" },
    organisations: organisations.map((o) => ({ id: o.id, name: o.name, isMember: o.isMember })),
    canGrantStaff: can(actor.role, "roles:grant-staff"),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole, membership: actor } = await requirePermission(request, "people:manage");
  const submission = parseWithZod(await readForm(request), { schema: MembershipSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await runCommand(changeMembership, {
    poleId: pole.id,
    actorRole: actor.role,
    personId: params.personId ?? "",
    ...submission.value,
  });
  if (!result.ok) return refused(submission, result);
  return json({ ...submission.reply(), saved: true as const });
}

export default function PersonPage() {
  const { person, membership, organisations, canGrantStaff } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useValidatedForm(MembershipSchema, { lastResult, defaultValue: membership });
  const roles = (Object.keys(ROLE_LABELS) as (keyof typeof ROLE_LABELS)[]).filter(
    (r) => canGrantStaff || !["ADMIN", "STAFF"].includes(r) || r === membership.role,
  );
  return (
    <>
      <p>
        <Link to="/gestion/personnes">← Toutes les personnes</Link>
      </p>
      <h1>{person.name}</h1>
      <div className="two-columns">
        <section className="card" aria-labelledby="coordonnees">
          <h2 id="coordonnees">Coordonnées</h2>
          <dl className="details">
            <dt>Email</dt>
            <dd>
              <a href={`mailto:${person.email}`}>{person.email}</a>
            </dd>
            <dt>Téléphone</dt>
            <dd>{person.phone ?? "—"}</dd>
            <dt>Organisation déclarée</dt>
            <dd>{person.organisationName ?? "—"}</dd>
            <dt>Inscription</dt>
            <dd>{formatDate(person.createdAt, "dateTime")}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="role-titre">
          <h2 id="role-titre">Rôle et rattachement</h2>
          <SavedNotice result={lastResult}>Modifications enregistrées.</SavedNotice>
          <Form method="post" {...getFormProps(form)} className="form">
            <FormErrors id={form.errorId} errors={form.errors} />
            <div className="field">
              <label htmlFor={fields.role.id}>Rôle sur le pôle</label>
              <select {...getSelectProps(fields.role)} key={fields.role.key}>
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]}
                  </option>
                ))}
              </select>
              <FieldErrors id={fields.role.errorId} errors={fields.role.errors} />
            </div>
            <div className="field">
              <label htmlFor={fields.organisationId.id}>Travaille pour l'organisation</label>
              <select {...getSelectProps(fields.organisationId)} key={fields.organisationId.key}>
                <option value="">Aucune</option>
                {organisations.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                    {o.isMember ? " (membre)" : ""}
                  </option>
                ))}
              </select>
              <FieldErrors id={fields.organisationId.errorId} errors={fields.organisationId.errors} />
            </div>
            <p className="field-hint">
              Le rôle « Membre » ou le rattachement à une organisation membre donne droit aux tarifs membres.
            </p>
            <SubmitButton pendingLabel="Enregistrement…">Enregistrer</SubmitButton>
          </Form>
        </section>
      </div>
    </>
  );
}
