import { getFormProps, getInputProps, getSelectProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FieldErrors, FormErrors, SubmitButton, useValidatedForm } from "~/components/forms";
import { ResourceOptions } from "~/components/spaces-admin";
import { runCommand } from "~/domain/commands.server";
import { StaffBookingSchema } from "~/domain/booking/admin-schemas";
import { bookablePeople, bookableResources, bookOnBehalf } from "~/domain/booking/index.server";
import { addDays, parisInstant, toMinutes } from "~/domain/booking/time";
import { parisDate } from "~/domain/ledger/index.server";
import { METHOD_LABELS, OFFLINE_METHODS } from "~/domain/payments/methods";
import { db } from "~/utils/db.server";
import { invalid, refused } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Réserver pour quelqu'un — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "spaces:manage");
  const url = new URL(request.url);
  const q = url.searchParams.get("q")?.trim().slice(0, 100) || undefined;
  const [people, spaces] = await Promise.all([bookablePeople(db, pole.id, q), bookableResources(db, pole.id)]);
  const wanted = url.searchParams.get("ressource");
  const resourceId = spaces.flatMap((s) => s.resources).find((r) => r.id === wanted)?.id ?? "";
  return json({
    q: q ?? "",
    people,
    spaces,
    formKey: randomUUID(),
    values: {
      resourceId,
      date: addDays(parisDate(new Date()), 1),
      start: "09:00",
      end: "12:30",
      settle: "onsite",
      method: "TRANSFER",
      personId: people.length === 1 ? people[0].id : "",
    },
  });
}

// The booking domain's refusals name their fields as this form does (personId, resourceId, date, start, end).
export async function action({ request }: ActionFunctionArgs) {
  const { pole, person: staff } = await requirePermission(request, "spaces:manage");
  const submission = parseWithZod(await readForm(request), { schema: StaffBookingSchema });
  if (submission.status !== "success") return invalid(submission);
  const v = submission.value;
  const now = new Date();
  const result = await runCommand(
    bookOnBehalf,
    {
      poleId: pole.id,
      resourceKey: v.resourceId,
      personId: v.personId,
      startsAt: parisInstant(v.date, toMinutes(v.start)),
      endsAt: parisInstant(v.date, toMinutes(v.end)),
      idempotencyKey: `staff:${v.idempotencyKey}`,
      now,
      bookedById: staff.id,
      settle: v.settle === "paid" ? { method: v.method!, reference: v.reference! } : "onsite",
    },
    { now },
  );
  if (!result.ok) return refused(submission, result);
  const { booking, replay } = result.value;
  const page = `/gestion/espaces/reservations/${booking.id}`;
  // The same form sent twice: the first submission booked and settled it.
  if (replay) return redirect(`${page}?fait=cree`);
  return redirect(`${page}?fait=${v.settle === "paid" ? "paiement" : "sur-place"}`);
}

export default function NewBooking() {
  const { q, people, spaces, formKey, values } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useValidatedForm(StaffBookingSchema, { lastResult, defaultValue: values, id: "reservation" });
  const personProps = getSelectProps(fields.personId, { ariaAttributes: true });
  const resourceProps = getSelectProps(fields.resourceId, { ariaAttributes: true });
  const methodProps = getSelectProps(fields.method, { ariaAttributes: true });
  return (
    <>
      <h1>Réserver pour quelqu'un</h1>
      <p className="muted">
        Le prix est calculé comme en ligne (tarif membre compris) ; la personne reçoit la confirmation par email.
      </p>
      <Form method="get" className="filters" role="search" aria-label="Chercher une personne">
        <div className="field">
          <label htmlFor="q">Chercher une personne</label>
          <input id="q" name="q" type="search" defaultValue={q} placeholder="Nom ou email" />
        </div>
        <button type="submit" className="button button-secondary">
          Chercher
        </button>
      </Form>
      {spaces.length === 0 ? (
        <p className="notice">Aucun poste ni aucune salle n'est ouvert à la réservation.</p>
      ) : (
        <Form method="post" {...getFormProps(form)} className="card form staff-booking-form">
          <input type="hidden" name="idempotencyKey" value={formKey} />
          <FormErrors id={form.errorId} errors={form.errors} />
          <div className="field">
            <label htmlFor={fields.personId.id}>Personne</label>
            <select {...personProps} key={personProps.key}>
              <option value="">{people.length ? "Choisissez…" : "Aucune personne ne correspond"}</option>
              {people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} — {p.email}
                </option>
              ))}
            </select>
            {people.length === 200 ? (
              <p className="field-hint">Les 200 premières : cherchez par nom pour affiner.</p>
            ) : null}
            <FieldErrors id={fields.personId.errorId} errors={fields.personId.errors} />
          </div>
          <div className="field">
            <label htmlFor={fields.resourceId.id}>Poste ou salle</label>
            <select {...resourceProps} key={resourceProps.key}>
              <option value="">Choisissez…</option>
              <ResourceOptions spaces={spaces} />
            </select>
            <FieldErrors id={fields.resourceId.errorId} errors={fields.resourceId.errors} />
          </div>
          <div className="form-row form-row-3">
            <Field meta={fields.date} label="Jour" type="date" />
            <Field meta={fields.start} label="De" type="time" />
            <Field meta={fields.end} label="À" type="time" />
          </div>
          <fieldset className="settle">
            <legend>Règlement</legend>
            <label>
              <input
                {...getInputProps(fields.settle, { type: "radio", value: "onsite" })}
                key={`${fields.settle.key}-onsite`}
              />{" "}
              À régler sur place plus tard
            </label>
            <label>
              <input
                {...getInputProps(fields.settle, { type: "radio", value: "paid" })}
                key={`${fields.settle.key}-paid`}
              />{" "}
              Déjà payé :
            </label>
            <FieldErrors id={fields.settle.errorId} errors={fields.settle.errors} />
            <div className="form-row">
              <div className="field">
                <label htmlFor={fields.method.id}>Moyen de paiement</label>
                <select {...methodProps} key={methodProps.key}>
                  {OFFLINE_METHODS.map((m) => (
                    <option key={m} value={m}>
                      {METHOD_LABELS[m]}
                    </option>
                  ))}
                </select>
                <FieldErrors id={fields.method.errorId} errors={fields.method.errors} />
              </div>
              <Field
                meta={fields.reference}
                label="Référence"
                placeholder="N° de chèque, libellé du virement, n° de reçu"
              />
            </div>
          </fieldset>
          <SubmitButton pendingLabel="Réservation…">Réserver</SubmitButton>
        </Form>
      )}
    </>
  );
}
