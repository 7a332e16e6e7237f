import { getFormProps, getInputProps, type FormMetadata, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import {
  hoursField,
  PassProductSchema,
  PHOTOS,
  RATE_UNIT_LABELS,
  RATE_UNITS,
  rateField,
  RESOURCE_KIND_LABELS,
  ResourceSchema,
  SpaceSchema,
} from "~/domain/booking/admin-schemas";
import { IntentForm } from "~/components/forms";
import { WEEKDAYS } from "~/domain/identity/opening-hours";
import { METHOD_LABELS, OFFLINE_METHODS } from "~/domain/payments/methods";
import {
  Field,
  FieldErrors,
  FormErrors,
  SavedNotice,
  SelectField,
  SubmitButton,
  TextAreaField,
  useValidatedForm,
} from "./forms";

// The staff forms of desks and rooms (spaces, resources, booklets) and the small pieces their pages share.

type Result = SubmissionResult<string[]> | null | undefined;

/**
 * The action's reply when it belongs to the form of `intent` (a page with several forms posts an `intent`;
 * conform echoes what was typed, the intent included), so each form shows only its own errors.
 */
export function resultFor(data: unknown, intent: string): SubmissionResult<string[]> | undefined {
  const reply = data as (SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null }) | undefined;
  return reply && reply.initialValue?.intent === intent ? reply : undefined;
}

const photoOptions = [{ value: "", label: "Aucune image" }, ...PHOTOS.map((p) => ({ value: p.path, label: p.label }))];

/** A notice shown once after a redirect (`?fait=…`). */
export function DoneNotice({ message }: { message: string | null | undefined }) {
  return message ? (
    <p className="notice notice-success" role="status">
      {message}
    </p>
  ) : null;
}

/** What a GET page could not read in its URL and ignored, said once each. */
export function Notices({ notices }: { notices: string[] }) {
  return (
    <>
      {notices.map((n) => (
        <p key={n} className="notice" role="status">
          {n}
        </p>
      ))}
    </>
  );
}

/** A select of a GET filter; `all` is the label of the empty choice, when there is one. */
export function FilterSelect({
  name,
  label,
  value,
  options,
  all,
}: {
  name: string;
  label: string;
  value?: string;
  options: { value: string; label: string }[];
  all?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <select id={name} name={name} defaultValue={value ?? ""}>
        {all ? <option value="">{all}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function PhotoPreview({ src }: { src: string | null | undefined }) {
  return src ? <img src={src} alt="" className="space-photo" width={240} height={150} /> : null;
}

export function SpaceForm({
  lastResult,
  defaultValue,
  submitLabel,
}: {
  lastResult?: Result;
  defaultValue?: Record<string, unknown>;
  submitLabel: string;
}) {
  const [form, fields] = useValidatedForm(SpaceSchema, { lastResult, defaultValue });
  return (
    <Form method="post" {...getFormProps(form)} className="card form">
      <FormErrors id={form.errorId} errors={form.errors} />
      <Field meta={fields.name} label="Nom" placeholder="La Grange" />
      <Field
        meta={fields.slug}
        label="Identifiant dans l'adresse (facultatif)"
        hint="Laissé vide, il est tiré du nom : « la-grange »."
      />
      <div className="form-row">
        <Field meta={fields.building} label="Bâtiment (facultatif)" />
        <Field meta={fields.floor} label="Étage (facultatif)" placeholder="Rez-de-chaussée" />
      </div>
      <TextAreaField meta={fields.description} label="Description (facultatif)" />
      <SelectField meta={fields.photo} label="Image" options={photoOptions} />
      <Field meta={fields.position} label="Ordre d'affichage" type="number" hint="Les plus petits nombres d'abord." />
      <SubmitButton pendingLabel="Enregistrement…">{submitLabel}</SubmitButton>
    </Form>
  );
}

export function ResourceForm({
  lastResult,
  defaultValue,
  spaces,
  poleHours,
  submitLabel,
}: {
  lastResult?: Result;
  defaultValue: Record<string, unknown>;
  spaces: { id: string; name: string }[];
  /** The pole's hours per day, as text, shown next to each day. */
  poleHours: Record<string, string>;
  submitLabel: string;
}) {
  const [form, fields] = useValidatedForm(ResourceSchema, { lastResult, defaultValue, id: "ressource" });
  const rateInput = (name: ReturnType<typeof rateField>, label: string) => {
    const meta = fields[name];
    const props = getInputProps(meta, { type: "text", ariaAttributes: true });
    return (
      <td>
        <span className="euro-input">
          <input
            {...props}
            key={props.key}
            inputMode="decimal"
            aria-label={label}
            placeholder="—"
            aria-describedby={meta.errors?.length ? meta.errorId : undefined}
          />
          <span aria-hidden="true">€</span>
        </span>
        <FieldErrors id={meta.errorId} errors={meta.errors} />
      </td>
    );
  };
  return (
    <IntentForm intent="save" {...getFormProps(form)} className="form resource-form">
      <FormErrors id={form.errorId} errors={form.errors} />
      <fieldset className="card">
        <legend>Description</legend>
        <div className="form-row">
          <SelectField
            meta={fields.spaceId}
            label="Espace"
            options={spaces.map((s) => ({ value: s.id, label: s.name }))}
          />
          <SelectField
            meta={fields.kind}
            label="Type"
            options={Object.entries(RESOURCE_KIND_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </div>
        <Field meta={fields.name} label="Nom" placeholder="Poste 3, Salle des Semis…" />
        <Field
          meta={fields.slug}
          label="Identifiant dans l'adresse (facultatif)"
          hint="Laissé vide, il est tiré du nom."
        />
        <TextAreaField meta={fields.description} label="Description (facultatif)" rows={3} />
        <div className="form-row">
          <Field meta={fields.capacity} label="Capacité (personnes)" type="number" />
          <SelectField meta={fields.photo} label="Image" options={photoOptions} />
        </div>
        <TextAreaField meta={fields.equipment} label="Équipements (facultatif)" rows={5} />
        <p className="field-hint">Un par ligne, ou séparés par des virgules : « Wi-Fi, écran 27 pouces, lampe ».</p>
        <div className="field field-checkbox">
          <input {...getInputProps(fields.active, { type: "checkbox" })} key={fields.active.key} />
          <label htmlFor={fields.active.id}>Ouverte à la réservation</label>
        </div>
        <Field meta={fields.position} label="Ordre d'affichage" type="number" />
      </fieldset>

      <fieldset className="card">
        <legend>Créneaux</legend>
        <div className="form-row form-row-3">
          <Field
            meta={fields.slotMinutes}
            label="Grille (minutes)"
            type="number"
            hint="Début et fin tombent sur ce pas : 30 → 9:00, 9:30…"
          />
          <Field
            meta={fields.minMinutes}
            label="Durée minimale (minutes)"
            type="number"
            hint="Multiple de la grille."
          />
          <Field meta={fields.maxMinutes} label="Durée maximale (minutes)" type="number" hint="600 = 10 h." />
        </div>
      </fieldset>

      <fieldset className="card hours-fieldset">
        <legend>Horaires d'ouverture</legend>
        <div className="radio-row" role="radiogroup" aria-labelledby={`${fields.hoursMode.id}-label`}>
          <span id={`${fields.hoursMode.id}-label`} className="visually-hidden">
            Horaires
          </span>
          <label>
            <input
              {...getInputProps(fields.hoursMode, { type: "radio", value: "pole" })}
              key={`${fields.hoursMode.key}-pole`}
            />{" "}
            Ceux du pôle
          </label>
          <label>
            <input
              {...getInputProps(fields.hoursMode, { type: "radio", value: "own" })}
              key={`${fields.hoursMode.key}-own`}
            />{" "}
            Des horaires propres
          </label>
        </div>
        <FieldErrors id={fields.hoursMode.errorId} errors={fields.hoursMode.errors} />
        <p className="field-hint">
          Avec des horaires propres : une ou plusieurs plages par jour (« 08:30-12:30, 13:30-18:00 »), vide si fermé.
          Sinon ces champs sont ignorés.
        </p>
        <div className="hours-grid">
          {WEEKDAYS.map(({ key, label }) => (
            <Field
              key={key}
              meta={fields[hoursField(key)]}
              label={label}
              placeholder="Fermé"
              hint={`Pôle : ${poleHours[key] ?? "Fermé"}`}
            />
          ))}
        </div>
      </fieldset>

      <fieldset className="card">
        <legend>Tarifs TTC</legend>
        <p className="field-hint">
          En euros, TVA 20 % comprise (« 12,50 »). Laissez les deux cases vides pour une durée que vous ne proposez pas.
        </p>
        <div className="table-scroll">
          <table className="table rates-table">
            <thead>
              <tr>
                <th scope="col">Durée</th>
                <th scope="col">Membres</th>
                <th scope="col">Public</th>
              </tr>
            </thead>
            <tbody>
              {RATE_UNITS.map((unit) => (
                <tr key={unit}>
                  <th scope="row">{RATE_UNIT_LABELS[unit]}</th>
                  {rateInput(rateField(unit, "member"), `${RATE_UNIT_LABELS[unit]}, tarif membres`)}
                  {rateInput(rateField(unit, "public"), `${RATE_UNIT_LABELS[unit]}, tarif public`)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <FieldErrors id={fields.rates.errorId} errors={fields.rates.errors} />
      </fieldset>
      <SubmitButton pendingLabel="Enregistrement…">{submitLabel}</SubmitButton>
    </IntentForm>
  );
}

export function PassProductForm({
  lastResult,
  defaultValue,
  submitLabel,
}: {
  lastResult?: Result;
  defaultValue?: Record<string, unknown>;
  submitLabel: string;
}) {
  const [form, fields] = useValidatedForm(PassProductSchema, { lastResult, defaultValue });
  return (
    <Form method="post" {...getFormProps(form)} className="card form">
      <FormErrors id={form.errorId} errors={form.errors} />
      <Field meta={fields.name} label="Nom" placeholder="Carnet 10 demi-journées" />
      <TextAreaField meta={fields.description} label="Description (facultatif)" rows={3} />
      <div className="form-row">
        <Field
          meta={fields.credits}
          label="Crédits (demi-journées)"
          type="number"
          hint="Une réservation de 4 h au plus prend 1 crédit, plus longue 2."
        />
        <Field meta={fields.validityMonths} label="Validité (mois)" type="number" hint="À compter du paiement." />
      </div>
      <SelectField
        meta={fields.resourceKind}
        label="Valable pour"
        options={[
          { value: "DESK", label: "Les postes de travail" },
          { value: "ROOM", label: "Les salles" },
        ]}
      />
      <div className="form-row">
        <Field meta={fields.memberPrice} label="Prix membres TTC (€)" inputMode="text" placeholder="100,00" />
        <Field meta={fields.publicPrice} label="Prix public TTC (€)" inputMode="text" placeholder="150,00" />
      </div>
      <div className="field field-checkbox">
        <input {...getInputProps(fields.active, { type: "checkbox" })} key={fields.active.key} />
        <label htmlFor={fields.active.id}>En vente</label>
      </div>
      <SubmitButton pendingLabel="Enregistrement…">{submitLabel}</SubmitButton>
    </Form>
  );
}

/** Method and reference of a payment received by hand (plain fields: several such forms can share a page). */
export function OfflinePaymentFields({
  idPrefix,
  errors,
  defaults,
}: {
  idPrefix: string;
  errors?: Record<string, string[] | null>;
  defaults?: { method?: string; reference?: string };
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-method`}>Moyen de paiement</label>
        <select
          id={`${idPrefix}-method`}
          name="method"
          defaultValue={defaults?.method ?? "TRANSFER"}
          aria-invalid={errors?.method ? true : undefined}
          aria-describedby={errors?.method ? `${idPrefix}-method-error` : undefined}
        >
          {OFFLINE_METHODS.map((m) => (
            <option key={m} value={m}>
              {METHOD_LABELS[m]}
            </option>
          ))}
        </select>
        <FieldErrors id={`${idPrefix}-method-error`} errors={errors?.method ?? undefined} />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-reference`}>Référence</label>
        <input
          id={`${idPrefix}-reference`}
          name="reference"
          type="text"
          defaultValue={defaults?.reference ?? ""}
          placeholder="N° de chèque, libellé du virement, n° de reçu"
          aria-invalid={errors?.reference ? true : undefined}
          aria-describedby={errors?.reference ? `${idPrefix}-reference-error` : undefined}
        />
        <FieldErrors id={`${idPrefix}-reference-error`} errors={errors?.reference ?? undefined} />
      </div>
    </>
  );
}

/** A booking's status as a coloured badge. */
export function StatusBadge({ status, label }: { status: string; label: string }) {
  return <span className={`badge booking-status booking-status-${status.toLowerCase()}`}>{label}</span>;
}

/** Staff options of a select of resources grouped by space. */
export function ResourceOptions({
  spaces,
}: {
  spaces: { id: string; name: string; resources: { id: string; name: string }[] }[];
}) {
  return (
    <>
      {spaces.map((s) => (
        <optgroup key={s.id} label={s.name}>
          {s.resources.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}

/** A section's rules of the pole (booking policy, land settings): admins edit them, staff read them. */
export function PoleRulesForm<S extends Record<string, unknown>>({
  form,
  lastResult,
  canEdit,
  legendId,
  legend,
  children,
}: {
  form: FormMetadata<S, string[]>;
  lastResult?: Result;
  canEdit: boolean;
  legendId: string;
  legend: string;
  children: ReactNode;
}) {
  return (
    <Form method="post" {...getFormProps(form)} className="form policy-form" aria-labelledby={legendId}>
      <fieldset className="card" disabled={!canEdit}>
        <legend id={legendId}>{legend}</legend>
        {canEdit ? null : (
          <p className="notice" role="status">
            Seul·e un·e administrateur·rice peut modifier ces règles ; vous les voyez en lecture.
          </p>
        )}
        <SavedNotice result={lastResult}>Règles enregistrées.</SavedNotice>
        <FormErrors id={form.errorId} errors={form.errors} />
        {children}
        {canEdit ? <SubmitButton pendingLabel="Enregistrement…">Enregistrer les règles</SubmitButton> : null}
      </fieldset>
    </Form>
  );
}
