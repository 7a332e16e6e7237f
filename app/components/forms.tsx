import {
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type FieldMetadata,
  type SubmissionResult,
} from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation, type FormProps } from "@remix-run/react";
import type { ReactNode } from "react";
import type { z } from "zod";
import { HONEYPOT_FIELD } from "~/utils/honeypot";

// Field components render any schema field as text; conform types each field by its schema type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyField = FieldMetadata<any, any, string[]>;

type InputType = "text" | "email" | "password" | "tel" | "url" | "search" | "date" | "time" | "number";

export function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <ul id={id} className="field-errors" role="alert">
      {errors.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}

/** A field's hint paragraph, if any. */
function FieldHint({ id, hint }: { id?: string; hint?: ReactNode }) {
  return hint ? (
    <p className="field-hint" id={id}>
      {hint}
    </p>
  ) : null;
}

/** aria-describedby of a control: its hint, then its errors while it has any. */
function describedBy(meta: AnyField, hintId: string | undefined) {
  return [hintId, meta.errors?.length ? meta.errorId : undefined].filter(Boolean).join(" ") || undefined;
}

export function Field({
  meta,
  label,
  type = "text",
  hint,
  ...rest
}: {
  meta: AnyField;
  label: string;
  type?: InputType;
  hint?: ReactNode;
  autoComplete?: string;
  placeholder?: string;
  required?: boolean;
  inputMode?: "numeric" | "text" | "email" | "tel";
}) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const props = getInputProps(meta, { type, ariaAttributes: true });
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <FieldHint id={hintId} hint={hint} />
      <input {...props} {...rest} key={props.key} aria-describedby={describedBy(meta, hintId)} />
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

export function SelectField({
  meta,
  label,
  options,
  hint,
}: {
  meta: AnyField;
  label: string;
  options: { value: string; label: string }[];
  hint?: ReactNode;
}) {
  const props = getSelectProps(meta, { ariaAttributes: true });
  const hintId = hint ? `${meta.id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <FieldHint id={hintId} hint={hint} />
      <select {...props} key={props.key} aria-describedby={describedBy(meta, hintId)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

/** A checkbox with its label beside it and an optional hint under. */
export function CheckboxField({ meta, label, hint }: { meta: AnyField; label: string; hint?: ReactNode }) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const props = getInputProps(meta, { type: "checkbox", ariaAttributes: true });
  return (
    <div className="field">
      <div className="field-checkbox">
        <input {...props} key={props.key} aria-describedby={describedBy(meta, hintId)} />
        <label htmlFor={meta.id}>{label}</label>
      </div>
      <FieldHint id={hintId} hint={hint} />
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

export function TextAreaField({
  meta,
  label,
  rows = 4,
  hint,
  autoComplete,
}: {
  meta: AnyField;
  label: string;
  rows?: number;
  hint?: ReactNode;
  autoComplete?: string;
}) {
  const props = getTextareaProps(meta, { ariaAttributes: true });
  const hintId = hint ? `${meta.id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <FieldHint id={hintId} hint={hint} />
      <textarea
        {...props}
        key={props.key}
        rows={rows}
        autoComplete={autoComplete}
        aria-describedby={describedBy(meta, hintId)}
      />
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

export function FormErrors({ id, errors }: { id?: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <div id={id} className="notice notice-error" role="alert">
      {errors.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  );
}

/** The confirmation shown after an action saved the form (its reply carries `saved: true`). */
export function SavedNotice({ result, children }: { result: unknown; children: ReactNode }) {
  if (!result || typeof result !== "object" || !("saved" in result)) return null;
  return (
    <p className="notice notice-success" role="status">
      {children}
    </p>
  );
}

/** Hidden from people (and assistive tech); a bot that fills it is refused. */
export function Honeypot() {
  return (
    <div className="visually-hidden" aria-hidden="true">
      <label htmlFor={HONEYPOT_FIELD}>Ne pas remplir ce champ</label>
      <input id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  );
}

export function SubmitButton({
  children,
  pendingLabel,
  className = "button",
}: {
  children: ReactNode;
  pendingLabel?: string;
  className?: string;
}) {
  const navigation = useNavigation();
  const pending = navigation.state === "submitting";
  return (
    <button type="submit" className={className} disabled={pending} aria-busy={pending}>
      {pending && pendingLabel ? pendingLabel : children}
    </button>
  );
}

/**
 * Conform's useForm with the project's settings: the same zod schema checks in the browser on submit, then on
 * every keystroke. Not on blur: a blur-time check that adds or removes a message moves the submit button
 * between mouse-down and mouse-up, and the click is lost.
 */
export function useValidatedForm<Schema extends z.ZodType<Record<string, unknown>, Record<string, unknown>>>(
  schema: Schema,
  options: { lastResult?: SubmissionResult<string[]> | null; defaultValue?: Record<string, unknown>; id?: string } = {},
) {
  return useForm<z.input<Schema>, z.output<Schema>>({
    id: options.id,
    lastResult: options.lastResult,
    defaultValue: options.defaultValue as never,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
}

/**
 * A form posted to one of the route's actions, named by `intent` (the action switches on it), with any other
 * fixed values it carries.
 */
export function IntentForm({
  intent,
  values = {},
  children,
  ...props
}: { intent: string; values?: Record<string, string>; children: ReactNode } & Omit<FormProps, "method">) {
  return (
    <Form method="post" {...props}>
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(values).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
    </Form>
  );
}

/** A one-button form for an action that needs nothing typed. */
export function IntentButton({
  intent,
  values,
  children,
  className = "button button-secondary button-small",
  pendingLabel,
}: {
  intent: string;
  values?: Record<string, string>;
  children: ReactNode;
  className?: string;
  pendingLabel?: string;
}) {
  return (
    <IntentForm intent={intent} values={values} className="inline-form">
      <SubmitButton className={className} pendingLabel={pendingLabel}>
        {children}
      </SubmitButton>
    </IntentForm>
  );
}

/** Every message of an action's reply, for a page whose several forms show one list of errors. */
export function allErrors(lastResult: unknown): string[] | undefined {
  if (!lastResult || typeof lastResult !== "object" || !("error" in lastResult)) return undefined;
  const error = (lastResult as { error?: Record<string, unknown> | null }).error ?? {};
  return Object.values(error)
    .flat()
    .filter((e): e is string => typeof e === "string");
}

/** The fields of a new account — name, email, a new password — as sign-up and every "account on the way" ask them. */
export function NewAccountFields({ fields }: { fields: { name: AnyField; email: AnyField; password: AnyField } }) {
  return (
    <>
      <Field meta={fields.name} label="Nom et prénom" autoComplete="name" />
      <Field meta={fields.email} label="Adresse email" type="email" autoComplete="email" />
      <Field
        meta={fields.password}
        label="Mot de passe"
        type="password"
        autoComplete="new-password"
        hint="Au moins 12 caractères. Une phrase facile à retenir fait un bon mot de passe."
      />
    </>
  );
}
