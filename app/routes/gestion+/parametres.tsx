import { parseWithZod } from "@conform-to/zod/v4";
import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { updatePoleSettings } from "~/domain/identity/index.server";
import { PoleSettingsSchema } from "~/domain/identity/gestion-schemas";
import { formatDayHours, normaliseOpeningHours, WEEKDAYS } from "~/domain/identity/opening-hours";
import { poleIdentityGaps } from "~/domain/ledger/index.server";
import { isLegalForm, LEGAL_FORMS } from "~/domain/ledger/legal-identity";
import {
  CheckboxField,
  Field,
  FormErrors,
  SelectField,
  SubmitButton,
  TextAreaField,
  useValidatedForm,
  SavedNotice,
} from "~/components/forms";
import { LegalIdentityNotice } from "~/components/legal-identity-notice";
import { db } from "~/utils/db.server";
import { invalid } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";
import { can, requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Paramètres du pôle — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, membership } = await requirePermission(request, "backoffice");
  const hours = normaliseOpeningHours(pole.openingHours);
  return json({
    canEdit: can(membership.role, "settings:edit"),
    identityGaps: await poleIdentityGaps(db, pole),
    values: {
      name: pole.name,
      legalName: pole.legalName,
      // A form from before decision 022 ("SCIC") is not one to choose: the select asks for one.
      legalForm: isLegalForm(pole.legalForm) ? pole.legalForm : "",
      capitalVariable: pole.capitalVariable ? "on" : "",
      siren: pole.siren ?? "",
      rcsCity: pole.rcsCity ?? "",
      vatNumber: pole.vatNumber ?? "",
      paymentTermDays: String(pole.paymentTermDays),
      latePenaltyRate: pole.latePenaltyRate,
      addressLine: pole.addressLine,
      postalCode: pole.postalCode,
      city: pole.city,
      tagline: pole.tagline,
      description: pole.description,
      ...Object.fromEntries(
        WEEKDAYS.map(({ key }) => [`hours_${key}`, hours[key].length ? formatDayHours(hours[key]) : ""]),
      ),
      taxReceiptEligible: pole.taxReceiptEligible ? "on" : "",
      registerVisibleToMembers: pole.registerVisibleToMembers ? "on" : "",
      pledgeGraceDays: String(pole.pledgeGraceDays),
      bankIban: pole.bankIban ?? "",
      bankBic: pole.bankBic ?? "",
    },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "settings:edit");
  const submission = parseWithZod(await readForm(request), { schema: PoleSettingsSchema });
  if (submission.status !== "success") return invalid(submission);
  await updatePoleSettings(db, pole.id, submission.value);
  return json({ ...submission.reply(), saved: true as const });
}

export default function Settings() {
  const { canEdit, values, identityGaps } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useValidatedForm(PoleSettingsSchema, { lastResult, defaultValue: values });
  return (
    <>
      <h1>Paramètres du pôle</h1>
      {canEdit ? null : (
        <p className="notice" role="status">
          Seul·e un·e administrateur·rice peut modifier ces paramètres ; vous les voyez en lecture.
        </p>
      )}
      <SavedNotice result={lastResult}>Paramètres enregistrés.</SavedNotice>
      <LegalIdentityNotice gaps={identityGaps} onSettings />
      <Form method="post" {...getFormProps(form)} className="form settings-form">
        <FormErrors id={form.errorId} errors={form.errors} />
        <fieldset className="card" disabled={!canEdit}>
          <legend>Identité</legend>
          <Field meta={fields.name} label="Nom affiché" />
          <Field meta={fields.tagline} label="Accroche (page d'accueil)" />
          <TextAreaField meta={fields.description} label="Présentation (page d'accueil)" rows={6} />
        </fieldset>
        <fieldset className="card" disabled={!canEdit} id="identite-legale">
          <legend>Identité légale (imprimée sur les factures)</legend>
          <p className="field-hint">
            Ce que chaque facture doit porter (article 242 nonies A de l'annexe II du CGI, articles L441-9 et L441-10 du
            Code de commerce). Chaque facture en garde une copie à son émission : la modifier ici vaut pour les factures
            suivantes.
          </p>
          <Field meta={fields.legalName} label="Raison sociale" />
          <SelectField
            meta={fields.legalForm}
            label="Forme juridique"
            options={[{ value: "", label: "Choisissez…" }, ...LEGAL_FORMS.map((f) => ({ value: f, label: f }))]}
            hint="Une SCIC est une société anonyme, une SAS ou une SARL."
          />
          <CheckboxField
            meta={fields.capitalVariable}
            label="Société à capital variable"
            hint="Imprimé « SCIC SAS à capital variable », comme c'est le cas de la plupart des SCIC."
          />
          <Field
            meta={fields.siren}
            label="SIREN"
            inputMode="numeric"
            hint="9 chiffres, vérifiés par leur clé de contrôle."
          />
          <Field
            meta={fields.rcsCity}
            label="Ville d'immatriculation au RCS"
            hint="La ville du greffe, par exemple « Toulouse » : imprimé « RCS Toulouse » suivi du SIREN."
          />
          <Field
            meta={fields.vatNumber}
            label="Numéro de TVA intracommunautaire (si assujetti)"
            hint="FR, une clé à 2 chiffres et le SIREN ; laissez vide si le pôle n'est pas assujetti à la TVA."
          />
          <Field
            meta={fields.paymentTermDays}
            label="Délai de paiement (jours)"
            type="number"
            hint="L'échéance d'une facture à régler est sa date d'émission plus ce délai ; 60 jours au plus."
          />
          <Field
            meta={fields.latePenaltyRate}
            label="Taux des pénalités de retard"
            hint="Imprimé sur les factures aux professionnels, avec l'indemnité forfaitaire de 40 € ; au moins trois fois le taux d'intérêt légal."
          />
        </fieldset>
        <fieldset className="card" disabled={!canEdit}>
          <legend>Adresse du siège et du site</legend>
          <Field meta={fields.addressLine} label="Adresse" autoComplete="street-address" />
          <Field meta={fields.postalCode} label="Code postal" inputMode="numeric" autoComplete="postal-code" />
          <Field meta={fields.city} label="Commune" autoComplete="address-level2" />
        </fieldset>
        <fieldset className="card" disabled={!canEdit}>
          <legend>Horaires d'ouverture</legend>
          <p className="field-hint">
            Une ou plusieurs plages par jour, par exemple « 08:30-12:30, 13:30-18:00 ». Laissez vide si le site est
            fermé.
          </p>
          <div className="hours-grid">
            {WEEKDAYS.map(({ key, label }) => (
              <Field key={key} meta={fields[`hours_${key}`]} label={label} placeholder="Fermé" />
            ))}
          </div>
        </fieldset>
        <fieldset className="card" disabled={!canEdit}>
          <legend>Financement participatif</legend>
          <CheckboxField
            meta={fields.taxReceiptEligible}
            label="Le pôle peut délivrer des reçus fiscaux pour les dons"
            hint="Seulement pour un organisme d'intérêt général (articles 200 et 238 bis du CGI) : une SCIC ne l'est généralement pas. Une contribution avec contrepartie reçoit une facture, jamais un reçu fiscal."
          />
          <CheckboxField
            meta={fields.registerVisibleToMembers}
            label="Les membres peuvent consulter le registre des associés"
            hint="Dans leur compte (/compte/associes). L'équipe le consulte toujours."
          />
          <Field
            meta={fields.pledgeGraceDays}
            label="Délai pour régler un paiement refusé (jours)"
            type="number"
            hint="Quand la carte d'une contribution est refusée au succès d'une campagne, la personne a ce délai pour payer ; ensuite la contribution expire."
          />
          <Field
            meta={fields.bankIban}
            label="IBAN du pôle (facultatif)"
            hint="Donné avec la référence à qui règle par virement (contributions, loyers)."
          />
          <Field meta={fields.bankBic} label="BIC (facultatif)" />
        </fieldset>
        <p className="muted">
          Les réglages des formations (déclaration d'activité, exonération de TVA, espace-test, délais) sont dans{" "}
          <Link to="/gestion/formations/reglages">Formations › Réglages</Link>.
        </p>
        {canEdit ? <SubmitButton pendingLabel="Enregistrement…">Enregistrer les paramètres</SubmitButton> : null}
      </Form>
    </>
  );
}
