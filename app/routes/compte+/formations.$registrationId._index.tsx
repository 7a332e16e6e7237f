import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { HoldCountdown } from "~/components/booking/hold-countdown";
import { allErrors, FormErrors, IntentForm, SelectField, SubmitButton, useValidatedForm } from "~/components/forms";
import { statusClass } from "~/components/training/registration-card";
import { capitalise, PartsList, sessionDatesLabel } from "~/components/training/sessions";
import { runCheckout, runCommand } from "~/domain/commands.server";
import { cardPaymentEnabled, getStripe } from "~/domain/payments/index.server";
import {
  acceptSeatOffer,
  cancelRegistration,
  confirmFreeRegistration,
  declineSeatOffer,
  moveRegistration,
  payRegistrationOffline,
  personRegistration,
  poleFunders,
  registrationCheckout,
  registrationRef,
  requestFunding,
  trainsSessions,
} from "~/domain/training/index.server";
import {
  FUNDER_TYPE_LABELS,
  FUNDER_TYPES,
  registrationStatusLabel,
  seatsLeftLabel,
  TRAINEE_TYPE_LABELS,
  TRAINEE_TYPES,
} from "~/domain/training/labels";
import { FundingIntentSchema, RegistrationIntentSchema } from "~/domain/training/schemas";
import type { Failure } from "~/domain/result";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatCents, formatDate } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";

// Mon compte › one registration, and the page a sign-up leads to: the seat held while the person chooses how to
// pay — by card (Stripe Checkout), by transfer or cheque (the instructions, with the reference), by a funder
// organisation of the pole, or nothing for a free course — then its state, what was paid, the invoice, cancelling
// within the pole's policy (what comes back said before the confirmation), moving to another session of the course,
// answering a seat offered from the waiting list. Only the person's own registration:
// anyone else's id is a 404, like an unknown one, in the loader and in every command.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? data.registration.course.title : "Inscription"} — Mes formations` },
];

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const now = new Date();
  const r = await personRegistration(db, {
    poleId: pole.id,
    personId: person.id,
    registrationId: params.registrationId ?? "",
    now,
  });
  if (!r) httpError(404, "Cette inscription n'existe pas.");
  const choosing = r.held && r.payer === "SELF";
  const [funders, trainer] = await Promise.all([
    choosing ? poleFunders(db, pole.id) : Promise.resolve([]),
    trainsSessions(db, { poleId: pole.id, personId: person.id }),
  ]);
  return json({
    registration: {
      id: r.id,
      reference: registrationRef(r),
      status: r.status,
      held: r.held,
      holdExpiresAt: iso(r.holdExpiresAt),
      offerExpiresAt: iso(r.offerExpiresAt),
      payer: r.payer,
      paymentMethod: r.paymentMethod,
      priceCents: r.priceCents,
      memberRate: r.memberRate,
      funder: r.funder,
      createdAt: r.createdAt.toISOString(),
      confirmedAt: iso(r.confirmedAt),
      cancelledAt: iso(r.cancelledAt),
      invoice: r.invoice,
      certificate: r.certificate,
      satisfactionAnswered: r.satisfactionAnswered,
      satisfactionOpen: r.satisfactionOpen,
      course: r.course,
      session: {
        status: r.session.status,
        startsAt: r.session.startsAt.toISOString(),
        endsAt: r.session.endsAt.toISOString(),
        cancelReason: r.session.cancelReason,
        parts: r.session.parts.map((p) => ({
          ...p,
          startsAt: p.startsAt.toISOString(),
          endsAt: p.endsAt.toISOString(),
        })),
      },
      payments: r.payments.map((p) => ({
        ...p,
        confirmedAt: iso(p.confirmedAt),
        createdAt: p.createdAt.toISOString(),
      })),
    },
    policy: { ...r.policy, freeUntil: r.policy.freeUntil.toISOString() },
    // Another session of the course to move to: a confirmed registration, before its session starts.
    moves:
      r.status === "CONFIRMED" && r.policy.cancellable
        ? r.otherSessions.map((s) => ({
            id: s.id,
            startsAt: s.startsAt.toISOString(),
            endsAt: s.endsAt.toISOString(),
            seatsLeft: s.seatsLeft,
            first: s.parts[0] ? { room: s.parts[0].room, space: s.parts[0].space } : null,
          }))
        : [],
    payee: r.payee,
    fundedCents: r.course.fundedCents,
    card: cardPaymentEnabled(),
    funders: funders.map((f) => ({ id: f.id, label: f.city ? `${f.name} (${f.city})` : f.name })),
    trainer,
  });
}

const noCard: Failure = {
  ok: false,
  code: "NO_CARD",
  message: "Le paiement par carte n'est pas proposé par le pôle : choisissez le virement ou le chèque.",
  status: 409,
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const submission = parseWithZod(await readForm(request), { schema: RegistrationIntentSchema });
  if (submission.status !== "success") return invalid(submission);
  const now = new Date();
  const registrationId = params.registrationId ?? "";
  const input = { poleId: pole.id, registrationId, personId: person.id, now };
  const stripe = getStripe();
  const here = `/compte/formations/${registrationId}`;
  const v = submission.value;
  switch (v.intent) {
    case "card": {
      if (!stripe) return refused(submission, noCard);
      const opened = await runCheckout(registrationCheckout, input, stripe);
      if (!opened.ok) return refused(submission, opened);
      return redirect(opened.value.url);
    }
    case "free": {
      const done = await runCommand(confirmFreeRegistration, input, { now, stripe });
      if (!done.ok) return refused(submission, done);
      return redirect(`${here}?inscription=confirmee`);
    }
    case "offline": {
      const done = await runCommand(payRegistrationOffline, { ...input, method: v.method }, { now, stripe });
      if (!done.ok) return refused(submission, done);
      return redirect(`${here}?reglement=${v.method === "TRANSFER" ? "virement" : "cheque"}`);
    }
    case "funding": {
      const done = await runCommand(
        requestFunding,
        { ...input, funderId: v.funderId, funderType: v.funderType, traineeType: v.traineeType },
        { now, stripe },
      );
      if (!done.ok) return refused(submission, done);
      return redirect(`${here}?prise-en-charge=demandee`);
    }
    case "cancel": {
      const done = await runCommand(
        cancelRegistration,
        { poleId: pole.id, registrationId, actor: { personId: person.id, staff: false }, now },
        { now, stripe },
      );
      if (!done.ok) return refused(submission, done);
      return redirect(`${here}?inscription=annulee`);
    }
    case "accept": {
      const done = await runCommand(acceptSeatOffer, input, { now, stripe });
      if (!done.ok) return refused(submission, done);
      return redirect(`${here}?place=acceptee`);
    }
    case "decline": {
      const done = await runCommand(declineSeatOffer, input, { now, stripe });
      if (!done.ok) return refused(submission, done);
      return redirect("/compte/formations?proposition=declinee");
    }
    case "move": {
      const done = await runCommand(
        moveRegistration,
        {
          poleId: pole.id,
          registrationId,
          toSessionId: v.sessionId,
          actor: { personId: person.id, staff: false },
          now,
        },
        { now, stripe },
      );
      // The domain names its input (toSessionId), the form its field (sessionId).
      if (!done.ok) return refused(submission, done.field ? { ...done, field: "sessionId" } : done);
      return redirect(`/compte/formations/${done.value.registration.id}?inscription=deplacee`);
    }
  }
}

type View = ReturnType<typeof useLoaderData<typeof loader>>;

const NOTICES: Record<string, Record<string, string>> = {
  place: {
    retenue: "Votre place est retenue : choisissez ci-dessous comment la régler.",
    acceptee: "Vous avez accepté la place : choisissez ci-dessous comment la régler.",
  },
  inscription: {
    deplacee: "Votre inscription est déplacée sur cette session ; votre règlement et votre facture la suivent.",
    confirmee: "Votre inscription est confirmée. Un email de confirmation vous a été envoyé.",
    annulee: "Votre inscription est annulée. Un email vous le confirme si elle était réglée ou réservée.",
  },
  reglement: {
    virement: "Votre place est réservée en attendant votre virement : les instructions sont ci-dessous.",
    cheque: "Votre place est réservée en attendant votre chèque : les instructions sont ci-dessous.",
  },
  "prise-en-charge": {
    demandee:
      "Votre demande de prise en charge est transmise : l'équipe du pôle établit la convention avec le financeur.",
  },
};

export default function MyRegistration() {
  const { registration: r, policy, moves, payee, card, funders, fundedCents, trainer } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const notice = Object.entries(NOTICES)
    .map(([param, messages]) => messages[searchParams.get(param) ?? ""])
    .find(Boolean);
  const about = (lastResult?.initialValue as { intent?: string } | undefined)?.intent;
  const errors = about === "funding" || about === "move" ? undefined : allErrors(lastResult);
  const choosing = r.held && r.payer === "SELF" && !r.paymentMethod;
  const awaitingMoney =
    r.held && r.payer === "SELF" && (r.paymentMethod === "TRANSFER" || r.paymentMethod === "CHEQUE");
  const awaitingFunder = r.held && r.payer === "ORGANISATION";
  return (
    <div className="narrow tr-registration-page">
      <p>
        <Link to="/compte/formations">← Mes formations</Link>
      </p>
      <p className="eyebrow">Mon inscription · {r.reference}</p>
      <h1>{r.course.title}</h1>
      <p className="lead">Session {sessionDatesLabel(r.session.startsAt, r.session.endsAt)}</p>
      {notice ? (
        <p className="notice notice-success" role="status">
          {notice}
        </p>
      ) : null}
      {searchParams.get("paiement") === "retour" && r.status === "HELD" ? (
        <p className="notice notice-success" role="status">
          Paiement reçu par Stripe : la confirmation arrive dans quelques secondes. Actualisez la page.
        </p>
      ) : null}
      {searchParams.get("paiement") === "abandon" && choosing ? (
        <p className="notice">
          Le paiement par carte a été interrompu : la place reste retenue jusqu'à la fin du délai.
        </p>
      ) : null}
      <FormErrors id="inscription-erreurs" errors={errors} />

      <section className="card" aria-labelledby="etat">
        <h2 id="etat">Mon inscription</h2>
        <dl className="details">
          <dt>État</dt>
          <dd>
            <span className={statusClass(r.status, r.held)}>{registrationStatusLabel(r)}</span>
          </dd>
          <dt>Tarif</dt>
          <dd>
            {r.priceCents === 0
              ? "Gratuit"
              : `${formatCents(r.priceCents)} TTC${r.payer === "ORGANISATION" ? " (tarif pris en charge)" : r.memberRate ? " (tarif membre)" : " (tarif non-membre)"}`}
          </dd>
          {r.funder ? (
            <>
              <dt>Financeur</dt>
              <dd>{r.funder.name}</dd>
            </>
          ) : null}
          <dt>Référence</dt>
          <dd>
            <strong className="cf-reference">{r.reference}</strong>
          </dd>
          {r.confirmedAt ? (
            <>
              <dt>Confirmée le</dt>
              <dd>{formatDate(r.confirmedAt, "dateTime")}</dd>
            </>
          ) : null}
          {r.cancelledAt ? (
            <>
              <dt>Annulée le</dt>
              <dd>{formatDate(r.cancelledAt, "dateTime")}</dd>
            </>
          ) : null}
          {r.invoice ? (
            <>
              <dt>Facture</dt>
              <dd>
                {r.payer === "SELF" ? (
                  <Link to={`/factures/${r.invoice.id}`}>Facture {r.invoice.number}</Link>
                ) : (
                  `${r.invoice.number}, adressée à votre financeur`
                )}
              </dd>
            </>
          ) : null}
        </dl>
        {r.session.status === "CANCELLED" ? (
          <p className="notice notice-error">
            Cette session a été annulée par le pôle{r.session.cancelReason ? ` : ${r.session.cancelReason}` : ""}. Ce
            que vous aviez réglé vous est remboursé.
          </p>
        ) : null}
      </section>

      {r.status === "HELD" && !r.held ? (
        <p className="notice notice-error" role="alert">
          Le délai pour régler cette place est passé : elle est libérée dans quelques instants.{" "}
          <Link to={`/formations/${r.course.slug}#sessions`}>Inscrivez-vous à nouveau</Link> si vous le souhaitez.
        </p>
      ) : null}

      {r.offerExpiresAt ? (
        <section className="card tr-offer" aria-labelledby="proposition">
          <h2 id="proposition">Une place s'est libérée pour vous</h2>
          <p>
            Vous étiez sur la liste d'attente de cette session : la place vous est réservée jusqu'au{" "}
            <strong>{formatDate(r.offerExpiresAt, "dateTime")}</strong>. Acceptez-la, puis réglez-la (
            {formatCents(r.priceCents)}
            {r.memberRate ? ", tarif membre" : ""}) ; sans réponse à temps, elle passe à la personne suivante.
          </p>
          <div className="button-row">
            <IntentForm intent="accept">
              <SubmitButton pendingLabel="Acceptation…">Accepter la place</SubmitButton>
            </IntentForm>
            <IntentForm intent="decline">
              <SubmitButton pendingLabel="Refus…" className="button button-secondary">
                Refuser
              </SubmitButton>
            </IntentForm>
          </div>
        </section>
      ) : null}

      {choosing && r.holdExpiresAt ? (
        <PaySection
          registration={r}
          card={card}
          funders={funders}
          fundedCents={fundedCents}
          lastResult={about === "funding" ? lastResult : undefined}
        />
      ) : null}

      {awaitingMoney ? <Instructions registration={r} payee={payee} card={card} /> : null}

      {awaitingFunder ? (
        <section className="card" aria-labelledby="prise-en-charge">
          <h2 id="prise-en-charge">Prise en charge demandée</h2>
          <p>
            Votre place est réservée jusqu'au <strong>{formatDate(r.holdExpiresAt!, "dateTime")}</strong>, le temps que
            l'équipe du pôle établisse la convention avec <strong>{r.funder?.name}</strong> ({formatCents(r.priceCents)}
            , facturés au financeur). Nous vous écrirons dès qu'elle sera confirmée.
          </p>
        </section>
      ) : null}

      <section className="card" aria-labelledby="dates">
        <h2 id="dates">Dates, horaires et lieu</h2>
        <PartsList parts={r.session.parts} caption="Les parties de la session" />
        <p className="field-hint">
          Heures de Paris. Une fois l'inscription confirmée, ces dates apparaissent dans votre{" "}
          <Link to="/compte#agenda">agenda privé</Link>.{" "}
          <Link to={`/formations/${r.course.slug}`}>Le programme de la formation</Link>
        </p>
      </section>

      {r.payments.length ? (
        <section className="card" aria-labelledby="reglements">
          <h2 id="reglements">Règlements</h2>
          <ul className="plain-list">
            {r.payments.map((p) => (
              <li key={p.id}>
                {formatCents(p.amountCents)} — {PAID_BY[p.method] ?? p.method}
                {p.confirmedAt ? `, le ${formatDate(p.confirmedAt)}` : ""}
                {p.refunds.map((f) => (
                  <span key={f.id} className="muted">
                    {" "}
                    · remboursement de {formatCents(f.amountCents)}{" "}
                    {f.status === "SUCCEEDED"
                      ? "effectué"
                      : f.status === "FAILED"
                        ? "échoué, l'équipe vous contactera"
                        : "en cours"}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {r.certificate || r.satisfactionOpen ? (
        <section className="card" aria-labelledby="apres">
          <h2 id="apres">Après la formation</h2>
          <ul className="plain-list">
            {r.certificate ? (
              <li>
                <a href={`/compte/formations/${r.id}/attestation.pdf`} download>
                  Attestation de fin de formation n° {r.certificate.number} (PDF)
                </a>
              </li>
            ) : null}
            {r.satisfactionOpen ? (
              <li>
                {r.satisfactionAnswered ? (
                  "Vous avez donné votre avis sur la formation : merci !"
                ) : (
                  <Link to={`/compte/formations/${r.id}/avis`}>Donner mon avis sur la formation</Link>
                )}
              </li>
            ) : null}
          </ul>
        </section>
      ) : null}

      {moves.length ? <MoveSection moves={moves} lastResult={about === "move" ? lastResult : undefined} /> : null}

      {policy.cancellable && r.status !== "OFFERED" ? <CancelSection registration={r} policy={policy} /> : null}

      {trainer ? (
        <p>
          <Link to="/compte/formations/animees">Les sessions que j'anime</Link>
        </p>
      ) : null}
    </div>
  );
}

const PAID_BY: Record<string, string> = {
  STRIPE: "par carte",
  TRANSFER: "par virement",
  CHEQUE: "par chèque",
  CASH: "en espèces",
};

function PaySection({
  registration: r,
  card,
  funders,
  fundedCents,
  lastResult,
}: {
  registration: View["registration"];
  card: boolean;
  funders: View["funders"];
  fundedCents: number;
  lastResult: ReturnType<typeof useActionData<typeof action>>;
}) {
  return (
    <section className="card" aria-labelledby="regler">
      <h2 id="regler">{r.priceCents === 0 ? "Confirmer ma place" : "Régler ma place"}</h2>
      <HoldCountdown until={r.holdExpiresAt!} what="Place retenue" />
      {r.priceCents === 0 ? (
        <IntentForm intent="free">
          <SubmitButton pendingLabel="Confirmation…">Confirmer ma place (gratuite)</SubmitButton>
        </IntentForm>
      ) : (
        <>
          <div className="pay-options">
            {card ? (
              <IntentForm intent="card">
                <SubmitButton pendingLabel="Ouverture du paiement…">
                  Payer {formatCents(r.priceCents)} par carte
                </SubmitButton>
              </IntentForm>
            ) : null}
            <IntentForm intent="offline" values={{ method: "TRANSFER" }}>
              <SubmitButton pendingLabel="Enregistrement…" className={card ? "button button-secondary" : "button"}>
                Payer par virement
              </SubmitButton>
            </IntentForm>
            <IntentForm intent="offline" values={{ method: "CHEQUE" }}>
              <SubmitButton pendingLabel="Enregistrement…" className="button button-secondary">
                Payer par chèque
              </SubmitButton>
            </IntentForm>
          </div>
          <p className="field-hint">
            {card
              ? "Par carte, l'inscription est confirmée dès le paiement. "
              : "Le paiement en ligne n'est pas activé pour ce pôle. "}
            Par virement ou chèque, votre place reste réservée quelques jours, le temps que l'équipe reçoive le
            règlement.
          </p>
          <FundingForm funders={funders} fundedCents={fundedCents} lastResult={lastResult} />
        </>
      )}
    </section>
  );
}

function FundingForm({
  funders,
  fundedCents,
  lastResult,
}: {
  funders: View["funders"];
  fundedCents: number;
  lastResult: ReturnType<typeof useActionData<typeof action>>;
}) {
  const [form, fields] = useValidatedForm(FundingIntentSchema, {
    id: "prise-en-charge",
    lastResult,
    defaultValue: { intent: "funding", funderType: "EMPLOYER", traineeType: "EMPLOYEE" },
  });
  return (
    <details className="tr-funding" open={Boolean(lastResult)}>
      <summary>Faire financer ma formation (employeur, OPCO, France Travail…)</summary>
      {funders.length === 0 ? (
        <p className="muted">
          Aucune organisation financeuse n'est enregistrée par le pôle : contactez son équipe pour qu'elle l'ajoute.
        </p>
      ) : (
        <Form method="post" {...getFormProps(form)} className="form">
          <FormErrors id={form.errorId} errors={form.errors} />
          <input type="hidden" name="intent" value="funding" />
          <p className="field-hint">
            Le tarif pris en charge est de {formatCents(fundedCents)}, facturés au financeur une fois la convention
            établie par l'équipe du pôle. Votre financeur n'est pas dans la liste ? Contactez l'équipe du pôle.
          </p>
          <SelectField
            meta={fields.funderId}
            label="Organisation qui finance"
            options={[{ value: "", label: "— Choisissez —" }, ...funders.map((f) => ({ value: f.id, label: f.label }))]}
          />
          <SelectField
            meta={fields.funderType}
            label="Type de financeur"
            options={FUNDER_TYPES.map((t) => ({ value: t, label: FUNDER_TYPE_LABELS[t] }))}
          />
          <SelectField
            meta={fields.traineeType}
            label="Votre situation"
            options={TRAINEE_TYPES.map((t) => ({ value: t, label: TRAINEE_TYPE_LABELS[t] }))}
          />
          <SubmitButton pendingLabel="Envoi…" className="button button-secondary">
            Demander la prise en charge
          </SubmitButton>
        </Form>
      )}
    </details>
  );
}

function Instructions({
  registration: r,
  payee,
  card,
}: {
  registration: View["registration"];
  payee: View["payee"];
  card: boolean;
}) {
  return (
    <section className="card cf-instructions" aria-labelledby="instructions">
      <h2 id="instructions">{r.paymentMethod === "TRANSFER" ? "Régler par virement" : "Régler par chèque"}</h2>
      {r.paymentMethod === "TRANSFER" ? (
        <dl className="details">
          <dt>Bénéficiaire</dt>
          <dd>{payee.legalName}</dd>
          <dt>Montant</dt>
          <dd>{formatCents(r.priceCents)}</dd>
          <dt>Libellé à indiquer</dt>
          <dd>
            <strong className="cf-reference">{r.reference}</strong>
          </dd>
          <dt>Coordonnées bancaires</dt>
          {payee.iban ? (
            <dd>
              IBAN <span className="cf-reference">{payee.iban}</span>
              {payee.bic ? <> — BIC {payee.bic}</> : null}
            </dd>
          ) : (
            <dd>Le RIB du pôle vous est envoyé par son équipe sur simple demande (répondez au message reçu).</dd>
          )}
        </dl>
      ) : (
        <dl className="details">
          <dt>À l'ordre de</dt>
          <dd>{payee.legalName}</dd>
          <dt>Montant</dt>
          <dd>{formatCents(r.priceCents)}</dd>
          <dt>Au dos du chèque</dt>
          <dd>
            <strong className="cf-reference">{r.reference}</strong>
          </dd>
          <dt>À envoyer ou déposer</dt>
          <dd>{payee.address}</dd>
        </dl>
      )}
      <p className="field-hint">
        Votre place est réservée jusqu'au <strong>{formatDate(r.holdExpiresAt!, "dateTime")}</strong>. L'équipe du pôle
        confirme la réception du règlement : votre inscription passe alors à « confirmée ». Sans règlement à cette date,
        la place est proposée à quelqu'un d'autre.
      </p>
      {card ? (
        <IntentForm intent="card">
          <SubmitButton pendingLabel="Ouverture du paiement…" className="button button-secondary">
            Payer plutôt par carte
          </SubmitButton>
        </IntentForm>
      ) : null}
    </section>
  );
}

function MoveSection({
  moves,
  lastResult,
}: {
  moves: View["moves"];
  lastResult: ReturnType<typeof useActionData<typeof action>>;
}) {
  const errors = allErrors(lastResult);
  return (
    <section className="card" aria-labelledby="changer">
      <h2 id="changer">Changer de session</h2>
      <p>
        Une autre date vous convient mieux ? Votre inscription passe sur une autre session de la même formation, avec
        votre règlement et votre facture ; votre place actuelle est libérée.
      </p>
      <IntentForm intent="move" className="form">
        <FormErrors id="changer-erreurs" errors={errors} />
        <fieldset className="fieldset" aria-describedby={errors ? "changer-erreurs" : undefined}>
          <legend>Sessions de la formation</legend>
          <div className="kind-options">
            {moves.map((m, i) => (
              <label key={m.id} className={`kind-option${m.seatsLeft === 0 ? " kind-option-disabled" : ""}`}>
                <input
                  type="radio"
                  name="sessionId"
                  value={m.id}
                  defaultChecked={i === moves.findIndex((x) => x.seatsLeft > 0)}
                  disabled={m.seatsLeft === 0}
                />
                <span>
                  <strong>{capitalise(sessionDatesLabel(m.startsAt, m.endsAt))}</strong>
                  <span className="field-hint">
                    {m.first ? `${formatDate(m.startsAt, "time")} · ${m.first.room}, ${m.first.space} · ` : ""}
                    {seatsLeftLabel(m.seatsLeft)}
                  </span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <SubmitButton pendingLabel="Changement…" className="button button-secondary">
          Passer sur cette session
        </SubmitButton>
      </IntentForm>
    </section>
  );
}

function CancelSection({ registration: r, policy }: { registration: View["registration"]; policy: View["policy"] }) {
  const [searchParams] = useSearchParams();
  const asking = searchParams.has("annuler");
  const paid = r.status === "CONFIRMED";
  const consequence = !paid
    ? "Vous libérez votre place sans frais : rien n'a été réglé."
    : policy.refundable
      ? r.payer === "ORGANISATION"
        ? "La facture adressée à votre financeur sera annulée par un avoir."
        : `Annulation gratuite jusqu'au ${formatDate(policy.freeUntil, "dateTime")} : ce que vous avez réglé vous est remboursé.`
      : `Le délai d'annulation gratuite (${policy.cancelDays} jours avant la session, jusqu'au ${formatDate(policy.freeUntil, "dateTime")}) est passé : le montant réglé reste acquis au pôle.`;
  return (
    <section className="card" aria-labelledby="annuler">
      <h2 id="annuler">Annuler mon inscription</h2>
      <p>{consequence}</p>
      {asking ? (
        <div className="notice tr-confirm" role="alertdialog" aria-labelledby="confirmer-annulation">
          <p id="confirmer-annulation">
            <strong>Confirmez-vous l'annulation de votre inscription à « {r.course.title} » ?</strong> Votre place sera
            proposée à une autre personne.
          </p>
          <div className="button-row">
            <IntentForm intent="cancel">
              <SubmitButton pendingLabel="Annulation…" className="button button-danger">
                Oui, annuler mon inscription
              </SubmitButton>
            </IntentForm>
            <Link to={`/compte/formations/${r.id}`} className="button button-secondary">
              Non, la garder
            </Link>
          </div>
        </div>
      ) : (
        <Link to={`/compte/formations/${r.id}?annuler#annuler`} className="button button-secondary">
          Annuler mon inscription…
        </Link>
      )}
    </section>
  );
}
