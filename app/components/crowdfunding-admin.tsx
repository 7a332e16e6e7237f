import { getFormProps, getInputProps, type SubmissionResult } from "@conform-to/react";
import type { CampaignStatus, PledgeStatus } from "~/generated/prisma/enums";
import {
  CampaignSchema,
  CampaignTextSchema,
  DraftSchema,
  AddTierSchema,
  EditTierSchema,
} from "~/domain/crowdfunding/admin-schemas";
import {
  CAMPAIGN_MODE_LABELS,
  CAMPAIGN_STATUS_LABELS,
  PLEDGE_STATUS_LABELS,
  REWARD_KIND_LABELS,
  TIER_KIND_LABELS,
  TIER_VAT_RATES,
  vatRateLabel,
} from "~/domain/crowdfunding/staff-labels";
import { formatCents, formatNumber } from "~/utils/format";
import { LandBadge } from "./land-admin";
import { Field, FormErrors, IntentForm, SelectField, SubmitButton, TextAreaField, useValidatedForm } from "./forms";

// The staff pieces of crowdfunding: badges, the progress bar, the campaign and tier forms.

type Result = SubmissionResult<string[]> | null | undefined;

const CAMPAIGN_TONES = {
  DRAFT: "muted",
  PUBLISHED: "leased",
  CLOSING: "waiting",
  SUCCEEDED: "paid",
  FAILED: "late",
} as const;

export function CampaignBadge({ status }: { status: CampaignStatus }) {
  return <LandBadge tone={CAMPAIGN_TONES[status]} label={CAMPAIGN_STATUS_LABELS[status]} />;
}

const PLEDGE_TONES = {
  PENDING: "muted",
  SECURED: "waiting",
  COLLECTED: "paid",
  ACTION_REQUIRED: "late",
  LAPSED: "muted",
  CANCELLED: "muted",
  REFUNDED: "offered",
} as const;

export function PledgeBadge({ status }: { status: PledgeStatus }) {
  return <LandBadge tone={PLEDGE_TONES[status]} label={PLEDGE_STATUS_LABELS[status]} />;
}

/** What is pledged against the goal, as a bar and in words; the minimum marked when the campaign has one. */
export function FundingBar({
  pledgedCents,
  collectedCents,
  goalCents,
  minimumCents,
  count,
}: {
  pledgedCents: number;
  collectedCents: number;
  goalCents: number;
  minimumCents: number | null;
  count: number;
}) {
  const percent = goalCents > 0 ? Math.floor((pledgedCents * 100) / goalCents) : 0;
  return (
    <div>
      <div className="funding-bar" role="img" aria-label={`${formatNumber(percent)} % de l'objectif promis`}>
        <span className="funding-bar-fill" style={{ width: `${Math.min(percent, 100)}%` }} />
        {minimumCents ? (
          <span
            className="funding-bar-minimum"
            style={{ left: `${Math.min((minimumCents * 100) / goalCents, 100)}%` }}
            title="Minimum"
          />
        ) : null}
      </div>
      <span className="cell-sub">
        {formatCents(pledgedCents)} promis ({formatNumber(percent)} %), {formatCents(collectedCents)} reçus —{" "}
        {formatNumber(count)} contribution(s)
      </span>
    </div>
  );
}

const modeOptions = Object.entries(CAMPAIGN_MODE_LABELS).map(([value, label]) => ({ value, label }));

export type ImageChoice = { value: string; label: string };

export type GoalSuggestionView = {
  totalCents: number;
  lines: { id: string; label: string; period: string; amountCents: number }[];
};

/** The plan's suggestion for the goal, under the goal field. */
export function GoalSuggestion({ suggestion }: { suggestion: GoalSuggestionView }) {
  if (suggestion.lines.length === 0)
    return <>Le plan d'affaires n'a pas de ligne « Financement participatif » sur cette période : pas de suggestion.</>;
  return (
    <>
      Suggestion du plan d'affaires : <strong>{formatCents(suggestion.totalCents)}</strong>, ses lignes « Financement
      participatif » sur la période de la campagne :
      <ul className="suggestion-lines">
        {suggestion.lines.map((l) => (
          <li key={l.id}>
            {l.label} ({l.period}) : {formatCents(l.amountCents)}
          </li>
        ))}
      </ul>
    </>
  );
}

/** A new campaign, or a draft edited whole: everything but its tiers. */
export function CampaignForm({
  lastResult,
  defaultValue,
  images,
  suggestion,
  submitLabel,
  draft = false,
}: {
  lastResult?: Result;
  defaultValue?: Record<string, unknown>;
  images: ImageChoice[];
  suggestion: GoalSuggestionView;
  submitLabel: string;
  /** Editing a draft: the form posts the intent "edit". */
  draft?: boolean;
}) {
  const [form, fields] = useValidatedForm(draft ? DraftSchema : CampaignSchema, {
    lastResult,
    defaultValue,
    id: "campagne",
  });
  const body = (
    <>
      <FormErrors id={form.errorId} errors={form.errors} />
      <fieldset className="card">
        <legend>Présentation</legend>
        <Field meta={fields.title} label="Titre" placeholder="La grange devient tiers-lieu" />
        <Field
          meta={fields.slug}
          label="Adresse de la campagne"
          hint="Minuscules, chiffres et tirets : la page publique sera /financement/cette-adresse."
        />
        <TextAreaField meta={fields.story} label="Récit (facultatif)" rows={8} />
        <SelectField
          meta={fields.imageUrl}
          label="Image"
          options={[{ value: "", label: "Aucune image" }, ...images]}
          hint="Une image du dossier public/images du site."
        />
      </fieldset>
      <fieldset className="card">
        <legend>Objectif</legend>
        <div className="field-hint goal-suggestion">
          <GoalSuggestion suggestion={suggestion} />
        </div>
        <div className="form-row-3 form-row">
          <Field meta={fields.goal} label="Objectif (€)" />
          <Field meta={fields.minimum} label="Minimum (€, facultatif)" hint="Le seuil sans lequel rien ne se fait." />
          <Field
            meta={fields.optimum}
            label="Optimum (€, facultatif)"
            hint="Tout ce que le projet pourrait financer."
          />
        </div>
        <div className="form-row">
          <SelectField
            meta={fields.mode}
            label="Mode"
            options={modeOptions}
            hint="Tout ou rien : les cartes ne sont débitées que si l'objectif est atteint à la date limite."
          />
          <Field
            meta={fields.maxPledge}
            label="Plafond par contribution (€, facultatif)"
            hint="Au-delà, une contribution est refusée."
          />
        </div>
      </fieldset>
      <fieldset className="card">
        <legend>Dates (heure de Paris)</legend>
        <div className="form-row-4 form-row">
          <Field meta={fields.startsOn} label="Ouverture le" type="date" />
          <Field meta={fields.startsTime} label="à (facultatif)" type="time" hint="00:00 si vide." />
          <Field meta={fields.endsOn} label="Date limite" type="date" />
          <Field meta={fields.endsTime} label="à (facultatif)" type="time" hint="Fin de la journée si vide." />
        </div>
      </fieldset>
      <SubmitButton pendingLabel="Enregistrement…">{submitLabel}</SubmitButton>
    </>
  );
  return draft ? (
    <IntentForm intent="edit" {...getFormProps(form)} className="form">
      {body}
    </IntentForm>
  ) : (
    <form method="post" {...getFormProps(form)} className="form">
      {body}
    </form>
  );
}

/** A published (or closed) campaign: its words and picture only. */
export function CampaignTextForm({
  lastResult,
  defaultValue,
  images,
}: {
  lastResult?: Result;
  defaultValue: Record<string, unknown>;
  images: ImageChoice[];
}) {
  const [form, fields] = useValidatedForm(CampaignTextSchema, { lastResult, defaultValue, id: "texte" });
  return (
    <IntentForm intent="edit-text" {...getFormProps(form)} className="form">
      <FormErrors id={form.errorId} errors={form.errors} />
      <p className="field-hint">
        Publiée, la campagne garde son objectif, ses dates et son mode : seuls son titre, son récit et son image
        changent.
      </p>
      <Field meta={fields.title} label="Titre" />
      <TextAreaField meta={fields.story} label="Récit" rows={8} />
      <SelectField meta={fields.imageUrl} label="Image" options={[{ value: "", label: "Aucune image" }, ...images]} />
      <SubmitButton pendingLabel="Enregistrement…">Enregistrer le texte</SubmitButton>
    </IntentForm>
  );
}

const kindOptions = Object.entries(TIER_KIND_LABELS).map(([value, label]) => ({ value, label }));
const rewardOptions = Object.entries(REWARD_KIND_LABELS).map(([value, label]) => ({ value, label }));
const vatOptions = TIER_VAT_RATES.map((bp) => ({
  value: String(bp),
  label: bp === 0 ? "0 % (hors champ ou exonéré)" : vatRateLabel(bp),
}));

/** A tier of a draft, added or edited: the fields of its kind (price, VAT and reward; or nominal, minimum, college). */
export function TierForm({
  lastResult,
  defaultValue,
  products,
  tierId,
}: {
  lastResult?: Result;
  defaultValue?: Record<string, unknown>;
  products: { id: string; name: string }[];
  /** Editing this tier; adding one when absent. */
  tierId?: string;
}) {
  const [form, fields] = useValidatedForm(tierId ? EditTierSchema : AddTierSchema, {
    lastResult,
    defaultValue: { kind: "REWARD", vatRate: "0", rewardKind: "OTHER", minShares: "1", ...defaultValue },
    id: tierId ? `palier-${tierId}` : "nouveau-palier",
  });
  const kind = fields.kind.value ?? "REWARD";
  const productOptions = [
    { value: "", label: "Choisir un carnet…" },
    ...products.map((p) => ({ value: p.id, label: p.name })),
  ];
  return (
    <IntentForm
      intent={tierId ? "edit-tier" : "add-tier"}
      values={tierId ? { tierId } : {}}
      {...getFormProps(form)}
      className="form"
    >
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="form-row">
        <Field meta={fields.name} label="Nom" placeholder="Carnet de 10 demi-journées" />
        <SelectField meta={fields.kind} label="Type" options={kindOptions} />
      </div>
      <TextAreaField meta={fields.description} label="Description (facultatif)" rows={2} />
      {kind === "SHARE" ? (
        <div className="form-row-3 form-row">
          <Field meta={fields.shareNominal} label="Valeur nominale d'une part (€)" />
          <Field meta={fields.minShares} label="Nombre minimum de parts" type="number" />
          <Field meta={fields.college} label="Collège" placeholder="Citoyens" />
        </div>
      ) : (
        <div className="form-row">
          <Field
            meta={fields.price}
            label={kind === "GIFT" ? "Montant minimum (€)" : "Prix (€)"}
            hint={kind === "REWARD" ? "TTC : toute la contribution est le prix de la contrepartie." : undefined}
          />
          {kind === "REWARD" ? <SelectField meta={fields.vatRate} label="Taux de TVA" options={vatOptions} /> : null}
        </div>
      )}
      {kind === "REWARD" ? (
        <>
          <div className="form-row">
            <SelectField meta={fields.rewardKind} label="Ce que devient la contrepartie" options={rewardOptions} />
            {fields.rewardKind.value === "BOOKLET" ? (
              <SelectField meta={fields.passProductId} label="Carnet de coworking" options={productOptions} />
            ) : null}
          </div>
          <div className="field field-checkbox">
            <input {...getInputProps(fields.symbolic, { type: "checkbox" })} key={fields.symbolic.key} />
            <label htmlFor={fields.symbolic.id}>
              Contrepartie symbolique (un merci de valeur négligeable : la contribution reste un don)
            </label>
          </div>
        </>
      ) : null}
      <Field meta={fields.cap} label="Nombre de places (facultatif)" type="number" hint="Vide : sans limite." />
      <SubmitButton pendingLabel="Enregistrement…" className="button button-small">
        {tierId ? "Enregistrer la contrepartie" : "Ajouter la contrepartie"}
      </SubmitButton>
    </IntentForm>
  );
}
