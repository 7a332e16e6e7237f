import { getFormProps, getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { CheckYourMailbox } from "~/components/check-your-mailbox";
import { placesLabel, tierPrice, tierSummary, type TierSummary } from "~/components/crowdfunding/tiers";
import {
  FieldErrors,
  FormErrors,
  Honeypot,
  NewAccountFields,
  SubmitButton,
  useValidatedForm,
} from "~/components/forms";
import { runCommand } from "~/domain/commands.server";
import {
  campaignForPledge,
  payPledge,
  pledgeAsPerson,
  pledgeInput,
  pledgePath,
  pledgeWithSignUp,
} from "~/domain/crowdfunding/index.server";
import { deadlineLabel, MODE_LABELS, MODE_SUMMARIES, TIER_KIND_LABELS } from "~/domain/crowdfunding/labels";
import {
  FORM_FIELD_OF,
  PLEDGE_METHOD_LABELS,
  PLEDGE_METHODS,
  PledgeSchema,
  VisitorPledgeSchema,
  type PledgeMethod,
} from "~/domain/crowdfunding/schemas";
import { centsToInput, parseEuros } from "~/domain/ledger/schemas";
import { cardPaymentEnabled, getStripe } from "~/domain/payments/index.server";
import type { Failure } from "~/domain/result";
import { getViewer } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatCents } from "~/utils/format";
import { invalid, refused, rejectBots, signUpThrottled } from "~/utils/forms.server";
import { clientIp, httpError, readForm } from "~/utils/http.server";

// The pledge form (/financement/<campaign>/contribuer): a tier (or the free-amount gift tier), the amount — or the
// number of shares — a gift on top, named or anonymous, how to pay; a visitor gets an account on the way. The form
// carries a key made when it was rendered: sent twice, it is one pledge (the domain replays it).

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Contribuer — ${data.campaign.title}` : "Campagne introuvable — Terrain Commun" },
];

async function campaignOf(request: Request, slug: string | undefined) {
  const viewer = await getViewer(request);
  const now = new Date();
  const found = await campaignForPledge(db, { poleId: viewer.pole.id, slug: slug ?? "", now });
  if (!found) httpError(404, "Cette campagne n'existe pas.");
  return { ...viewer, ...found, now };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { person, campaign, phase, tiers } = await campaignOf(request, params.slug);
  const wanted = new URL(request.url).searchParams.get("contrepartie");
  const preselected = tiers.find((t) => t.id === wanted && !t.soldOut) ?? null;
  const card = cardPaymentEnabled();
  return json({
    loggedIn: Boolean(person),
    open: phase === "LIVE",
    phase,
    card,
    methods: PLEDGE_METHODS.filter((m) => m !== "STRIPE" || card),
    formKey: crypto.randomUUID(),
    campaign: {
      slug: campaign.slug,
      title: campaign.title,
      mode: campaign.mode,
      endsAt: campaign.endsAt.toISOString(),
    },
    tiers: tiers.map(tierSummary),
    preselected: preselected?.id ?? null,
  });
}

/** A domain refusal under the form's own field (the command names its input: amountCents → amount). */
const onForm = (failure: Failure): Failure =>
  failure.field ? { ...failure, field: FORM_FIELD_OF[failure.field] ?? failure.field } : failure;

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { pole, person, campaign, now } = await campaignOf(request, params.slug);
  const form = await readForm(request);
  const card = cardPaymentEnabled();
  const noCard = {
    ok: false as const,
    code: "NO_CARD",
    message: "Le paiement par carte n'est pas proposé par le pôle : choisissez le virement ou le chèque.",
    field: "method",
    status: 422 as const,
  };

  if (person) {
    const submission = parseWithZod(form, { schema: PledgeSchema });
    if (submission.status !== "success") return invalid(submission);
    const { visibility, ...values } = submission.value;
    if (values.method === "STRIPE" && !card) return refused(submission, noCard);
    const input = pledgeInput(
      { poleId: pole.id, personId: person.id, campaignId: campaign.id, now },
      { ...values, anonymous: visibility === "anonymous" },
    );
    const made = await runCommand(pledgeAsPerson, {
      pole,
      person: { id: person.id, name: person.name, email: person.email },
      pledge: input,
    });
    if (!made.ok) return refused(submission, onForm(made));
    const pledged = made.value.pledge;
    if (pledged.method !== "STRIPE") return redirect(pledgePath(pledged.id, "merci"));
    // The card: Stripe Checkout (a card saved for an all-or-nothing campaign, paid at once otherwise). Should the
    // page not open, the pledge stands and Mon compte offers to try again.
    const stripe = getStripe();
    if (!stripe) return redirect(pledgePath(pledged.id, "carte"));
    const paid = await payPledge(db, stripe, { poleId: pole.id, pledgeId: pledged.id, personId: person.id, now });
    return redirect(paid.ok ? paid.value.url : pledgePath(pledged.id, "carte=indisponible"));
  }

  // A visitor: the pledge waits until the address is confirmed by email; the answer is the same whether or not
  // the address has an account — the email says what comes next.
  rejectBots(form);
  const submission = parseWithZod(form, { schema: VisitorPledgeSchema });
  if (submission.status !== "success") return invalid(submission, ["password"]);
  if (submission.value.method === "STRIPE" && !card) return refused(submission, noCard, ["password"]);
  const throttled = await signUpThrottled(submission, { ip: clientIp(context), email: submission.value.email });
  if (throttled) return throttled;
  const result = await runCommand(pledgeWithSignUp, {
    pole,
    campaignId: campaign.id,
    form: submission.value,
    now,
  });
  if (!result.ok) return refused(submission, onForm(result), ["password"]);
  return json({
    ...submission.reply({ hideFields: ["password"] }),
    sent: true as const,
    email: submission.value.email,
  });
}

const METHOD_HINTS: Record<PledgeMethod, string> = {
  STRIPE: "Paiement sécurisé par Stripe.",
  TRANSFER: "Vous recevez la référence à indiquer ; l'équipe confirme la réception.",
  CHEQUE: "À l'ordre du pôle, la référence au dos ; l'équipe confirme la réception.",
};

export default function Pledge() {
  const { loggedIn, open, phase, card, methods, formKey, campaign, tiers, preselected } =
    useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const schema = (loggedIn ? PledgeSchema : VisitorPledgeSchema) as typeof VisitorPledgeSchema;
  const first = tiers.find((t) => t.id === preselected);
  const [form, fields] = useValidatedForm(schema, {
    lastResult,
    defaultValue: {
      tierId: preselected ?? undefined,
      amount: first && first.kind !== "SHARE" ? centsToInput(first.priceCents) : undefined,
      shares: first?.kind === "SHARE" ? String(first.minShares ?? 1) : undefined,
      visibility: "named",
      method: card ? "STRIPE" : "TRANSFER",
      idempotencyKey: formKey,
    },
  });
  const [tierId, setTierId] = useState<string | undefined>(
    (fields.tierId.initialValue as string | undefined) ?? preselected ?? undefined,
  );
  const [method, setMethod] = useState(fields.method.initialValue as string | undefined);
  const tier = tiers.find((t) => t.id === tierId);
  const back = `/financement/${campaign.slug}/contribuer${tierId ? `?contrepartie=${tierId}` : ""}`;

  if (lastResult && "sent" in lastResult && "email" in lastResult)
    return (
      <CheckYourMailbox
        email={String(lastResult.email)}
        thenWhat=" : votre compte sera alors créé et votre contribution enregistrée"
        toWhat=" pour contribuer"
      >
        <Link to={`/financement/${campaign.slug}`}>Retour à la campagne</Link>
      </CheckYourMailbox>
    );

  /** A new tier: its price becomes the amount, unless what was typed is already enough. */
  const choose = (next: TierSummary) => {
    setTierId(next.id);
    if (next.kind === "SHARE") {
      form.update({ name: fields.shares.name, value: String(next.minShares ?? 1) });
      return;
    }
    const typed = parseEuros(String(fields.amount.value ?? ""));
    if (!typed.ok || typed.cents < next.priceCents)
      form.update({ name: fields.amount.name, value: centsToInput(next.priceCents) });
  };

  return (
    <div className="narrow cf-pledge">
      <p>
        <Link to={`/financement/${campaign.slug}`}>← {campaign.title}</Link>
      </p>
      <h1>Contribuer</h1>
      <p className="lead">À la campagne « {campaign.title} ».</p>
      <p className="notice">
        <strong>{MODE_LABELS[campaign.mode]}.</strong> {MODE_SUMMARIES[campaign.mode]}
      </p>
      {!open ? (
        <p className="notice notice-error" role="alert">
          {phase === "UPCOMING"
            ? "Cette campagne n'est pas encore ouverte aux contributions."
            : "Cette campagne est terminée : elle ne reçoit plus de contributions."}
        </p>
      ) : (
        <Form method="post" {...getFormProps(form)} className="card form">
          <FormErrors id={form.errorId} errors={form.errors} />
          <input type="hidden" name="idempotencyKey" value={formKey} />

          <fieldset
            className="fieldset"
            aria-describedby={fields.tierId.errors?.length ? fields.tierId.errorId : undefined}
          >
            <legend>Votre contribution</legend>
            <div className="kind-options cf-tier-options" key={fields.tierId.key}>
              {tiers.map((t) => {
                const places = placesLabel(t);
                return (
                  <label key={t.id} className={`kind-option${t.soldOut ? " kind-option-disabled" : ""}`}>
                    <input
                      type="radio"
                      name={fields.tierId.name}
                      value={t.id}
                      defaultChecked={tierId === t.id}
                      disabled={t.soldOut}
                      onChange={() => choose(t)}
                      aria-describedby={`palier-${t.id}`}
                    />
                    <span>
                      <strong>
                        {t.name} <span className="cf-tier-kind-inline">· {TIER_KIND_LABELS[t.kind]}</span>
                      </strong>
                      <span className="field-hint" id={`palier-${t.id}`}>
                        {tierPrice(t)}
                        {places ? ` · ${places}` : ""}
                        {t.description ? ` — ${t.description}` : ""}
                      </span>
                    </span>
                  </label>
                );
              })}
            </div>
            <FieldErrors id={fields.tierId.errorId} errors={fields.tierId.errors} />
          </fieldset>

          {tier?.kind === "SHARE" ? (
            <NumberField
              meta={fields.shares}
              label="Nombre de parts"
              hint={`${formatCents(tier.shareNominalCents ?? 0)} la part, ${tier.minShares ?? 1} au moins : un nombre entier.`}
              min={tier.minShares ?? 1}
            />
          ) : (
            <EurosField
              meta={fields.amount}
              label="Montant"
              hint={
                tier
                  ? `${formatCents(tier.priceCents)} au moins pour cette contrepartie ; vous pouvez donner davantage.`
                  : "Au moins le prix de la contrepartie choisie."
              }
            />
          )}
          <EurosField
            meta={fields.gift}
            label="Don en plus (facultatif)"
            hint="Un don s'ajoute à votre contribution, sans contrepartie."
          />

          <fieldset
            className="fieldset"
            aria-describedby={fields.visibility.errors?.length ? fields.visibility.errorId : undefined}
          >
            <legend>Parmi les contributeurs</legend>
            <div className="kind-options" key={fields.visibility.key}>
              {(
                [
                  ["named", "Apparaître par mon prénom et l'initiale de mon nom"],
                  ["anonymous", "Rester anonyme"],
                ] as const
              ).map(([value, label]) => (
                <label key={value} className="kind-option">
                  <input
                    type="radio"
                    name={fields.visibility.name}
                    value={value}
                    defaultChecked={(fields.visibility.initialValue ?? "named") === value}
                  />
                  <span>{label}</span>
                </label>
              ))}
            </div>
            <p className="field-hint">Vous pourrez changer d'avis depuis votre compte jusqu'à la date limite.</p>
            <FieldErrors id={fields.visibility.errorId} errors={fields.visibility.errors} />
          </fieldset>

          <fieldset
            className="fieldset"
            aria-describedby={fields.method.errors?.length ? fields.method.errorId : undefined}
          >
            <legend>Paiement</legend>
            <div className="kind-options" key={fields.method.key}>
              {methods.map((m) => (
                <label key={m} className="kind-option">
                  <input
                    type="radio"
                    name={fields.method.name}
                    value={m}
                    defaultChecked={fields.method.initialValue === m}
                    onChange={() => setMethod(m)}
                    aria-describedby={`moyen-${m}`}
                  />
                  <span>
                    <strong>{PLEDGE_METHOD_LABELS[m]}</strong>
                    <span className="field-hint" id={`moyen-${m}`}>
                      {m === "STRIPE" && campaign.mode === "ALL_OR_NOTHING"
                        ? "Votre carte est enregistrée maintenant et débitée seulement si la campagne réussit."
                        : METHOD_HINTS[m]}
                    </span>
                  </span>
                </label>
              ))}
            </div>
            {!card ? <p className="field-hint">Le paiement en ligne n'est pas activé pour ce pôle.</p> : null}
            <FieldErrors id={fields.method.errorId} errors={fields.method.errors} />
          </fieldset>

          {loggedIn ? null : (
            <fieldset className="fieldset">
              <legend>Votre compte</legend>
              <p className="field-hint">
                Vos contributions se suivent depuis votre compte, le même pour les espaces et les terres. Nous vous
                écrirons pour confirmer votre adresse : votre compte est créé et votre contribution enregistrée quand
                vous suivez le lien reçu. Déjà un compte ?{" "}
                <Link to={`/connexion?redirectTo=${encodeURIComponent(back)}`}>Connectez-vous</Link> d'abord.
              </p>
              <NewAccountFields fields={fields} />
              <Honeypot />
            </fieldset>
          )}
          <p className="field-hint">Date limite de la campagne : {deadlineLabel(campaign.endsAt)}.</p>
          <SubmitButton pendingLabel="Envoi…">
            {loggedIn && (method ?? fields.method.initialValue) === "STRIPE"
              ? "Continuer vers le paiement par carte"
              : "Confirmer ma contribution"}
          </SubmitButton>
        </Form>
      )}
    </div>
  );
}

type Meta = Parameters<typeof getInputProps>[0];

/** An amount in euros: typed as text (a comma or a point for cents), read by the server's euros parser. */
function EurosField({ meta, label, hint }: { meta: Meta; label: string; hint: string }) {
  const props = getInputProps(meta, { type: "text", ariaAttributes: true });
  const hintId = `${meta.id}-hint`;
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <p className="field-hint" id={hintId}>
        {hint}
      </p>
      <div className="input-suffix">
        <input
          {...props}
          key={props.key}
          inputMode="decimal"
          autoComplete="off"
          aria-describedby={[hintId, meta.errors?.length ? meta.errorId : ""].filter(Boolean).join(" ")}
        />
        <span aria-hidden="true">€</span>
      </div>
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

function NumberField({ meta, label, hint, min }: { meta: Meta; label: string; hint: string; min: number }) {
  const props = getInputProps(meta, { type: "number", ariaAttributes: true });
  const hintId = `${meta.id}-hint`;
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <p className="field-hint" id={hintId}>
        {hint}
      </p>
      <input
        {...props}
        key={props.key}
        min={min}
        step={1}
        inputMode="numeric"
        aria-describedby={[hintId, meta.errors?.length ? meta.errorId : ""].filter(Boolean).join(" ")}
      />
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}
