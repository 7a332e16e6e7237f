import { getFormProps, getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { placesLabel, tierPrice, tierSummary } from "~/components/crowdfunding/tiers";
import { allErrors, FieldErrors, FormErrors, IntentButton, SubmitButton, useValidatedForm } from "~/components/forms";
import { runCommand } from "~/domain/commands.server";
import {
  cancelPledge,
  changePledge,
  hasShareCertificate,
  hasTaxReceipt,
  payPledge,
  personPledges,
  pledgeRef,
  tiersOfCampaigns,
} from "~/domain/crowdfunding/index.server";
import { deadlineLabel, PLEDGE_PAID_BY, pledgeStatusLabel, TIER_KIND_LABELS } from "~/domain/crowdfunding/labels";
import { ChangePledgeSchema, ContributionIntentSchema, FORM_FIELD_OF } from "~/domain/crowdfunding/schemas";
import { centsToInput } from "~/domain/ledger/schemas";
import { cents, type Cents } from "~/domain/money";
import { cardPaymentEnabled, getStripe } from "~/domain/payments/index.server";
import type { Failure } from "~/domain/result";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatCents, formatDate, formatNumber } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";

// Mon compte › Mes contributions: each of the person's pledges with its state; before the deadline, change its
// tier, amount, gift or anonymity, or cancel it; pay a card still to save or a charge that failed; the reward's
// invoice, the share subscription certificate, a tax receipt where the pole is eligible. Only the person's own
// pledges: every command is given the person, and refuses another's as not found.

export const meta: MetaFunction = () => [{ title: "Mes contributions — Mon compte" }];

const OPEN_STATUSES = ["PENDING", "SECURED"];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const now = new Date();
  const pledges = await personPledges(db, { poleId: pole.id, personId: person.id });
  const changeable = (p: (typeof pledges)[number]) =>
    p.campaign.status === "PUBLISHED" && now < p.campaign.endsAt && OPEN_STATUSES.includes(p.status);
  const tiers = await tiersOfCampaigns(db, [...new Set(pledges.filter(changeable).map((p) => p.campaignId))]);
  const card = cardPaymentEnabled();
  return json({
    card,
    pledges: pledges.map((p) => ({
      id: p.id,
      reference: pledgeRef(p),
      campaign: { slug: p.campaign.slug, title: p.campaign.title, endsAt: p.campaign.endsAt.toISOString() },
      tier: p.tier ? { id: p.tier.id, name: p.tier.name, kind: p.tier.kind } : null,
      amountCents: p.amountCents,
      giftCents: p.giftCents,
      shares: p.shares,
      anonymous: p.anonymous,
      method: p.method,
      status: p.status,
      createdAt: p.createdAt.toISOString(),
      graceEndsAt: p.graceEndsAt?.toISOString() ?? null,
      changeable: changeable(p),
      // A card still to save (or charge) while the campaign is open, or a charge that failed, inside its grace.
      payable:
        card &&
        p.method === "STRIPE" &&
        ((p.status === "PENDING" && changeable(p)) ||
          (p.status === "ACTION_REQUIRED" && (!p.graceEndsAt || now < p.graceEndsAt))),
      invoice: p.invoiceId && p.invoiceNumber ? { id: p.invoiceId, number: p.invoiceNumber } : null,
      certificate: hasShareCertificate(p),
      taxReceipt: hasTaxReceipt(p, pole.taxReceiptEligible),
      tiers: changeable(p)
        ? (tiers.get(p.campaignId) ?? []).map((t) => ({
            ...tierSummary(t),
            // The pledge's own tier is never full for it: it holds its place already.
            soldOut: t.soldOut && t.id !== p.tierId,
          }))
        : [],
    })),
  });
}

const onForm = (failure: Failure): Failure =>
  failure.field ? { ...failure, field: FORM_FIELD_OF[failure.field] ?? failure.field } : failure;

export async function action({ request }: ActionFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const submission = parseWithZod(await readForm(request), { schema: ContributionIntentSchema });
  if (submission.status !== "success") return invalid(submission);
  const v = submission.value;
  const who = { poleId: pole.id, pledgeId: v.pledgeId, personId: person.id, now: new Date() };
  if (v.intent === "change") {
    const changed = await runCommand(changePledge, {
      ...who,
      tierId: v.tierId,
      // A share tier computes its own amount; any other takes what was typed (none typed: the domain refuses it).
      amountCents: (v.amount ?? Number.NaN) as Cents,
      giftCents: v.gift ?? cents(0),
      shares: v.shares,
      anonymous: v.visibility === "anonymous",
    });
    if (!changed.ok) return refused(submission, onForm(changed));
    return redirect("/compte/contributions?contribution=modifiee");
  }
  if (v.intent === "cancel") {
    const cancelled = await runCommand(cancelPledge, who);
    if (!cancelled.ok) return refused(submission, cancelled);
    return redirect("/compte/contributions?contribution=annulee");
  }
  const stripe = getStripe();
  if (!stripe)
    return refused(submission, {
      ok: false,
      code: "NO_CARD",
      message: "Le paiement par carte n'est pas proposé par le pôle : réglez par virement ou par chèque.",
      status: 409,
    });
  const paid = await payPledge(db, stripe, who);
  if (!paid.ok) return refused(submission, paid);
  return redirect(paid.value.url);
}

type PledgeView = ReturnType<typeof useLoaderData<typeof loader>>["pledges"][number];

// What the page says when it is come back to: after a change, or from Stripe (success_url / cancel_url).
const NOTICES: Record<string, Record<string, [string, boolean]>> = {
  contribution: {
    annulee: ["Votre contribution est annulée.", true],
    modifiee: ["Votre contribution est modifiée.", true],
  },
  carte: {
    enregistree: ["Votre carte est enregistrée : elle ne sera débitée que si la campagne réussit.", true],
    abandon: ["L'enregistrement de la carte a été interrompu : vous pouvez le reprendre ci-dessous.", false],
  },
  paiement: {
    retour: ["Paiement reçu : votre contribution passe à « Réglée » dans quelques secondes.", true],
    abandon: ["Le paiement a été interrompu : vous pouvez le reprendre ci-dessous.", false],
  },
};

export default function MyPledges() {
  const { pledges } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const notice = Object.entries(NOTICES)
    .map(([param, messages]) => messages[searchParams.get(param) ?? ""])
    .find(Boolean);
  // The pledge the last answer is about (its forms show the errors).
  const about = (lastResult?.initialValue as { pledgeId?: string; intent?: string } | undefined) ?? {};
  // An answer about no pledge of the list (a forged or unknown id) is shown at the top.
  const orphan = lastResult && !pledges.some((p) => p.id === about.pledgeId) ? allErrors(lastResult) : undefined;
  return (
    <div className="cf-account">
      <p>
        <Link to="/compte">← Mon compte</Link>
      </p>
      <div className="title-row">
        <h1>Mes contributions</h1>
        <Link to="/financement" className="button button-secondary button-small">
          Voir les campagnes
        </Link>
      </div>
      {notice ? (
        <p className={`notice ${notice[1] ? "notice-success" : ""}`} role="status">
          {notice[0]}
        </p>
      ) : null}
      <FormErrors id="contributions-erreurs" errors={orphan} />
      {searchParams.get("contribution") === "a-refaire" ? (
        <p className="notice notice-error" role="alert">
          Votre compte est créé, mais votre contribution n'a pas pu être enregistrée telle quelle (la campagne s'est
          terminée entre-temps, ou la contrepartie est épuisée) : <Link to="/financement">choisissez-la à nouveau</Link>
          .
        </p>
      ) : null}
      {pledges.length === 0 ? (
        <p className="card muted">
          Vous n'avez pas encore contribué. <Link to="/financement">Découvrez les campagnes du pôle</Link>.
        </p>
      ) : (
        <ul className="plain-list">
          {pledges.map((p) => (
            <PledgeCard
              key={p.id}
              pledge={p}
              lastResult={about.pledgeId === p.id ? lastResult : undefined}
              editing={about.pledgeId === p.id && about.intent === "change"}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function PledgeCard({
  pledge: p,
  lastResult,
  editing,
}: {
  pledge: PledgeView;
  lastResult: ReturnType<typeof useActionData<typeof action>>;
  editing: boolean;
}) {
  const titleId = `contribution-${p.id}`;
  const errors = lastResult && !editing ? formErrorsOf(lastResult) : undefined;
  return (
    <li className="card cf-pledge-card">
      <article aria-labelledby={titleId}>
        <div className="title-row">
          <h2 id={titleId}>
            <Link to={`/financement/${p.campaign.slug}`}>{p.campaign.title}</Link>
          </h2>
          <span className={`badge cf-status-${p.status.toLowerCase()}`}>{pledgeStatusLabel(p.status, p.method)}</span>
        </div>
        <FormErrors id={`${titleId}-erreurs`} errors={errors} />
        <dl className="details">
          <dt>{p.tier ? TIER_KIND_LABELS[p.tier.kind] : "Contribution"}</dt>
          <dd>
            {p.tier?.name ?? "Montant libre"}
            {p.shares ? ` — ${formatNumber(p.shares)} part${p.shares > 1 ? "s" : ""}` : ""}
          </dd>
          <dt>Montant</dt>
          <dd>
            {formatCents(p.amountCents + p.giftCents)}
            {p.giftCents ? <span className="muted"> (dont {formatCents(p.giftCents)} de don en plus)</span> : null}
          </dd>
          <dt>Paiement</dt>
          <dd>{PLEDGE_PAID_BY[p.method]}</dd>
          <dt>Référence</dt>
          <dd>{p.reference}</dd>
          <dt>Parmi les contributeurs</dt>
          <dd>{p.anonymous ? "Anonyme" : "Prénom et initiale affichés"}</dd>
          <dt>Date</dt>
          <dd>{formatDate(p.createdAt)}</dd>
          {p.status === "ACTION_REQUIRED" && p.graceEndsAt ? (
            <>
              <dt>À régler avant le</dt>
              <dd>
                <strong>{formatDate(p.graceEndsAt, "dateTime")}</strong>
              </dd>
            </>
          ) : null}
        </dl>
        <div className="cf-actions">
          <Link to={`/compte/contributions/${p.id}`} className="button button-secondary button-small">
            Détails et règlement
          </Link>
          {p.payable ? (
            <IntentButton intent="pay" values={{ pledgeId: p.id }} className="button button-small">
              {p.status === "ACTION_REQUIRED" ? "Régler par carte" : "Finaliser le paiement par carte"}
            </IntentButton>
          ) : null}
          {p.invoice ? (
            <Link to={`/factures/${p.invoice.id}`} aria-label={`Voir la facture ${p.invoice.number}`}>
              Facture {p.invoice.number}
            </Link>
          ) : null}
          {p.certificate ? (
            <a href={`/compte/contributions/${p.id}/certificat.pdf`} download>
              Attestation de souscription (PDF)
            </a>
          ) : null}
          {p.taxReceipt ? (
            <a href={`/compte/contributions/${p.id}/recu-fiscal.pdf`} download>
              Reçu fiscal (PDF)
            </a>
          ) : null}
        </div>
        {p.changeable ? (
          <details className="cf-change" open={editing}>
            <summary>Modifier ou annuler</summary>
            <p className="field-hint">Jusqu'à la date limite de la campagne : {deadlineLabel(p.campaign.endsAt)}.</p>
            <ChangeForm pledge={p} lastResult={editing ? lastResult : undefined} />
            <IntentButton intent="cancel" values={{ pledgeId: p.id }} className="button button-secondary button-small">
              Annuler ma contribution
            </IntentButton>
          </details>
        ) : null}
      </article>
    </li>
  );
}

/** The form-level messages of an answer (a refusal without a field). */
function formErrorsOf(result: unknown) {
  const error = (result as { error?: Record<string, string[] | null> } | undefined)?.error;
  return error ? Object.values(error).flatMap((e) => e ?? []) : undefined;
}

function ChangeForm({
  pledge: p,
  lastResult,
}: {
  pledge: PledgeView;
  lastResult: ReturnType<typeof useActionData<typeof action>>;
}) {
  const current = p.tiers.find((t) => t.id === p.tier?.id);
  const [form, fields] = useValidatedForm(ChangePledgeSchema, {
    id: `modifier-${p.id}`,
    lastResult,
    defaultValue: {
      intent: "change",
      pledgeId: p.id,
      tierId: p.tier?.id,
      amount: current?.kind === "SHARE" ? undefined : centsToInput(p.amountCents),
      gift: p.giftCents ? centsToInput(p.giftCents) : undefined,
      shares: p.shares ? String(p.shares) : undefined,
      visibility: p.anonymous ? "anonymous" : "named",
    },
  });
  const tierProps = { id: fields.tierId.id, name: fields.tierId.name };
  return (
    <Form method="post" {...getFormProps(form)} className="form cf-change-form">
      <FormErrors id={form.errorId} errors={form.errors} />
      <input type="hidden" name="intent" value="change" />
      <input type="hidden" name="pledgeId" value={p.id} />
      <div className="field">
        <label htmlFor={tierProps.id}>Contrepartie</label>
        <select
          {...tierProps}
          key={fields.tierId.key}
          defaultValue={(fields.tierId.initialValue as string | undefined) ?? p.tier?.id}
          aria-invalid={fields.tierId.errors?.length ? true : undefined}
          aria-describedby={fields.tierId.errors?.length ? fields.tierId.errorId : undefined}
        >
          {p.tiers.map((t) => {
            const places = placesLabel(t);
            return (
              <option key={t.id} value={t.id} disabled={t.soldOut}>
                {t.name} — {tierPrice(t)}
                {places && t.id !== p.tier?.id ? ` (${places})` : ""}
              </option>
            );
          })}
        </select>
        <FieldErrors id={fields.tierId.errorId} errors={fields.tierId.errors} />
      </div>
      <div className="two-fields">
        <SmallField meta={fields.amount} label="Montant (€)" hint="Ignoré pour des parts sociales." />
        <SmallField meta={fields.shares} label="Nombre de parts (parts sociales)" type="number" />
        <SmallField meta={fields.gift} label="Don en plus (€)" />
      </div>
      <fieldset className="fieldset">
        <legend>Parmi les contributeurs</legend>
        <div className="inline-options" key={fields.visibility.key}>
          {(
            [
              ["named", "Prénom et initiale"],
              ["anonymous", "Anonyme"],
            ] as const
          ).map(([value, label]) => (
            <label key={value}>
              <input
                type="radio"
                name={fields.visibility.name}
                value={value}
                defaultChecked={(fields.visibility.initialValue ?? (p.anonymous ? "anonymous" : "named")) === value}
              />{" "}
              {label}
            </label>
          ))}
        </div>
        <FieldErrors id={fields.visibility.errorId} errors={fields.visibility.errors} />
      </fieldset>
      <SubmitButton pendingLabel="Enregistrement…" className="button button-small">
        Enregistrer les changements
      </SubmitButton>
    </Form>
  );
}

function SmallField({
  meta,
  label,
  hint,
  type = "text",
}: {
  meta: Parameters<typeof getInputProps>[0];
  label: string;
  hint?: string;
  type?: "text" | "number";
}) {
  const props = getInputProps(meta, { type, ariaAttributes: true });
  const hintId = hint ? `${meta.id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <input
        {...props}
        key={props.key}
        inputMode={type === "number" ? "numeric" : "decimal"}
        aria-describedby={[hintId, meta.errors?.length ? meta.errorId : ""].filter(Boolean).join(" ") || undefined}
      />
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}
