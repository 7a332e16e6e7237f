import { getFormProps, getInputProps, getSelectProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { ORGANISATION_KIND_LABELS, OrganisationSchema } from "~/domain/identity/gestion-schemas";
import { Field, FieldErrors, FormErrors, SubmitButton, TextAreaField, useValidatedForm } from "./forms";

type Values = {
  name: string;
  kind: string;
  isMember: boolean;
  siret: string;
  address: string;
  postalCode: string;
  city: string;
  website: string;
  description: string;
};

export function OrganisationForm({
  lastResult,
  defaultValue,
  submitLabel,
}: {
  lastResult?: SubmissionResult<string[]>;
  defaultValue?: Partial<Values>;
  submitLabel: string;
}) {
  const [form, fields] = useValidatedForm(OrganisationSchema, {
    lastResult,
    defaultValue: {
      kind: "ASSOCIATION",
      ...defaultValue,
      isMember: defaultValue?.isMember === false ? undefined : "on",
    },
  });
  return (
    <Form method="post" {...getFormProps(form)} className="card form">
      <FormErrors id={form.errorId} errors={form.errors} />
      <Field meta={fields.name} label="Nom" />
      <div className="field">
        <label htmlFor={fields.kind.id}>Type</label>
        <select {...getSelectProps(fields.kind)} key={fields.kind.key}>
          {Object.entries(ORGANISATION_KIND_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <FieldErrors id={fields.kind.errorId} errors={fields.kind.errors} />
      </div>
      <div className="field field-checkbox">
        <input {...getInputProps(fields.isMember, { type: "checkbox" })} key={fields.isMember.key} />
        <label htmlFor={fields.isMember.id}>Sociétaire de la SCIC (ses salariés ont les tarifs membres)</label>
      </div>
      <Field
        meta={fields.siret}
        label="SIRET (facultatif)"
        inputMode="numeric"
        hint="Ses 9 premiers chiffres, le SIREN, sont imprimés sur les factures de l'organisation."
      />
      <fieldset className="fieldset-plain">
        <legend>Adresse (facultatif)</legend>
        <p className="field-hint">Imprimée sur les factures de l'organisation.</p>
        <Field meta={fields.address} label="Rue" autoComplete="street-address" />
        <Field meta={fields.postalCode} label="Code postal" inputMode="numeric" autoComplete="postal-code" />
        <Field meta={fields.city} label="Commune" autoComplete="address-level2" />
      </fieldset>
      <Field meta={fields.website} label="Site web (facultatif)" type="url" placeholder="https://" />
      <TextAreaField meta={fields.description} label="Présentation (facultatif)" />
      <SubmitButton pendingLabel="Enregistrement…">{submitLabel}</SubmitButton>
    </Form>
  );
}
