import { getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { LEASE_KINDS, PlotSchema } from "~/domain/leasing/admin-schemas";
import { KIND_LABELS, lastDay } from "~/domain/leasing/rules";
import type { LeaseStatus } from "~/generated/prisma/enums";
import { formatCents, formatDate } from "~/utils/format";
import { Field, FormErrors, SelectField, SubmitButton, TextAreaField, useValidatedForm } from "./forms";
import { FilterSelect } from "./spaces-admin";

// The staff pages of the land: the plot form, status badges, and how a lease's term reads.

/** A status as a coloured badge; the tone names a colour of land-admin.css. */
export function LandBadge({
  tone,
  label,
}: {
  tone: "free" | "offered" | "leased" | "waiting" | "muted" | "late" | "paid";
  label: string;
}) {
  return <span className={`badge land-badge land-badge-${tone}`}>{label}</span>;
}

export const PLOT_TONES = { FREE: "free", OFFERED: "offered", LEASED: "leased" } as const;
export const LEASE_TONES = {
  OFFERED: "offered",
  ACTIVE: "leased",
  ENDED: "muted",
  DECLINED: "muted",
  EXPIRED: "muted",
  WITHDRAWN: "muted",
} as const;
export const INSTALMENT_TONES = { SCHEDULED: "muted", INVOICED: "waiting", PAID: "paid", CANCELLED: "muted" } as const;
export const APPLICATION_TONES = {
  WAITING: "waiting",
  NOTIFIED: "waiting",
  OFFERED: "offered",
  FULFILLED: "leased",
  LAPSED: "muted",
  CANCELLED: "muted",
} as const;

/** A term in a narrow cell: "du 01/03/2027" over "au 29/02/2028". */
export function TermCell({ startsOn, endsOn }: { startsOn: string | Date; endsOn: string | Date }) {
  return (
    <>
      <span className="nowrap">du {formatDate(startsOn, "short")}</span>{" "}
      <span className="nowrap">au {formatDate(lastDay(endsOn), "short")}</span>
    </>
  );
}

/** "1,25 ha" from square metres, for narrow cells. */
export const hectares = (m2: number) => `${(m2 / 10_000).toLocaleString("fr-FR", { maximumFractionDigits: 2 })} ha`;

/** The filters of the queue and of the lease register: a status, the kind of lease, a plot, a person. */
export function LandFilters({
  label,
  status,
  query,
  plots,
  words,
}: {
  label: string;
  /** The list's own status select. */
  status: ReactNode;
  query: { kind?: string; plot?: string; q?: string };
  plots: { id: string; code: string }[];
  words: { kind: string; plot: string; person: string };
}) {
  return (
    <Form method="get" className="filters" role="search" aria-label={label}>
      {status}
      <FilterSelect
        name="kind"
        label={words.kind}
        value={query.kind}
        all="Tous"
        options={LEASE_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
      />
      <FilterSelect
        name="plot"
        label={words.plot}
        value={query.plot}
        all="Toutes"
        options={plots.map((p) => ({ value: p.id, label: p.code }))}
      />
      <div className="field">
        <label htmlFor="q">{words.person}</label>
        <input id="q" name="q" type="search" defaultValue={query.q ?? ""} placeholder="Nom ou email" />
      </div>
      <button type="submit" className="button button-secondary">
        Filtrer
      </button>
    </Form>
  );
}

/** A plot's leases and offers in a short table, by holder. */
export function LeasesTable({
  caption,
  rows,
}: {
  caption: string;
  rows: {
    id: string;
    label: string;
    kind: string;
    startsOn: string;
    endsOn: string;
    yearlyRentCents: number;
    status: LeaseStatus;
    statusLabel: string;
  }[];
}) {
  return (
    <div className="table-scroll">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Titulaire</th>
            <th scope="col">Bail</th>
            <th scope="col">Durée</th>
            <th scope="col" className="num">
              Loyer annuel
            </th>
            <th scope="col">État</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((l) => (
            <tr key={l.id}>
              <th scope="row">
                <Link to={`/gestion/terres/baux/${l.id}`}>{l.label}</Link>
              </th>
              <td>{l.kind}</td>
              <td>
                <TermCell startsOn={l.startsOn} endsOn={l.endsOn} />
              </td>
              <td className="num">{formatCents(l.yearlyRentCents)}</td>
              <td>
                <LandBadge tone={LEASE_TONES[l.status]} label={l.statusLabel} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Result = SubmissionResult<string[]> | null | undefined;

export function PlotForm({
  lastResult,
  defaultValue,
  shapes,
  submitLabel,
}: {
  lastResult?: Result;
  defaultValue: Record<string, unknown>;
  /** The site plan's shapes, with the plot that already uses each. */
  shapes: { id: string; usedBy: string | null }[];
  submitLabel: string;
}) {
  const [form, fields] = useValidatedForm(PlotSchema, { lastResult, defaultValue, id: "parcelle" });
  const shapeOptions = [
    { value: "", label: "Choisir une forme…" },
    ...shapes.map((s) => ({ value: s.id, label: s.usedBy ? `${s.id} — parcelle ${s.usedBy}` : `${s.id} — libre` })),
  ];
  return (
    <Form method="post" {...getFormProps(form)} className="form plot-form">
      <FormErrors id={form.errorId} errors={form.errors} />
      <fieldset className="card">
        <legend>La parcelle</legend>
        <div className="form-row">
          <Field meta={fields.code} label="Code" placeholder="P07" hint="Affiché sur le plan et dans les listes." />
          <Field meta={fields.name} label="Nom (facultatif)" placeholder="Le Pré du Canal" />
        </div>
        <div className="form-row">
          <Field
            meta={fields.surfaceM2}
            label="Surface (m²)"
            inputMode="numeric"
            placeholder="12 500"
            hint="1 ha = 10 000 m²."
          />
          <SelectField
            meta={fields.shapeId}
            label="Forme sur le plan du site"
            options={shapeOptions}
            hint="Chaque forme du plan sert à une seule parcelle."
          />
        </div>
        <Field
          meta={fields.rentPerHectare}
          label="Loyer indicatif (€ par hectare et par an)"
          inputMode="text"
          placeholder="160,00"
          hint="Dans les bornes préfectorales de l'année ; le loyer d'un bail se fixe à la proposition."
        />
        <div className="field field-checkbox">
          <input {...getInputProps(fields.active, { type: "checkbox" })} key={fields.active.key} />
          <label htmlFor={fields.active.id}>Visible sur le plan et proposable</label>
        </div>
      </fieldset>
      <fieldset className="card">
        <legend>Description</legend>
        <div className="form-row">
          <Field meta={fields.soil} label="Sol" placeholder="Limon argileux" />
          <Field meta={fields.waterAccess} label="Accès à l'eau" placeholder="Irrigation goutte-à-goutte" />
        </div>
        <div className="form-row">
          <Field meta={fields.shelter} label="Abri" placeholder="Serre tunnel de 200 m²" />
          <Field meta={fields.currentUse} label="Usage actuel" placeholder="Prairie" />
        </div>
        <TextAreaField meta={fields.description} label="Description (facultatif)" rows={4} />
      </fieldset>
      <SubmitButton pendingLabel="Enregistrement…">{submitLabel}</SubmitButton>
    </Form>
  );
}
