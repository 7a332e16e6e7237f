import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { allErrors, FormErrors, IntentForm, SubmitButton } from "~/components/forms";
import { HoldCountdown } from "~/components/booking/hold-countdown";
import { runCheckout, runCommand } from "~/domain/commands.server";
import {
  bookingCheckout,
  cancelBooking,
  confirmFreeBooking,
  getPersonBooking,
  payOnSite,
  payWithPass,
  personPasses,
  STATUS_LABELS,
} from "~/domain/booking/index.server";
import { bookingLabel, PAID_WITH_LABELS } from "~/domain/booking/describe";
import { passCreditsFor } from "~/domain/booking/rules";
import { PayIntentSchema } from "~/domain/booking/schemas";
import { cardPaymentEnabled, getStripe } from "~/domain/payments/index.server";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatCents, formatDate } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? data.booking.label : "Réservation"} — Mon compte` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const booking = await getPersonBooking(db, {
    poleId: pole.id,
    personId: person.id,
    bookingId: params.bookingId ?? "",
  });
  if (!booking) httpError(404, "Cette réservation n'existe pas.");
  const now = new Date();
  const minutes = (booking.endsAt.getTime() - booking.startsAt.getTime()) / 60_000;
  const credits = passCreditsFor(minutes);
  const passes = await personPasses(db, { poleId: pole.id, personId: person.id, now });
  const usablePass = passes.some(
    (p) =>
      p.status === "ACTIVE" &&
      p.resourceKind === booking.resource.kind &&
      p.expiresAt! >= booking.endsAt &&
      p.creditsLeft >= credits,
  );
  const held = booking.status === "HELD" && booking.holdExpiresAt! > now;
  const lateFrom = new Date(booking.startsAt.getTime() - pole.cancellationDeadlineHours * 3_600_000);
  const refunds = booking.payments.flatMap((p) => p.refunds);
  return json({
    booking: {
      id: booking.id,
      label: bookingLabel(booking.resource.name, booking.startsAt, booking.endsAt),
      resource: { name: booking.resource.name, slug: booking.resource.slug, space: booking.resource.space.name },
      startsAt: booking.startsAt,
      endsAt: booking.endsAt,
      status: booking.status,
      statusLabel: held
        ? "Créneau retenu, en attente de paiement"
        : booking.status === "HELD"
          ? "Délai de paiement dépassé"
          : STATUS_LABELS[booking.status],
      priceCents: booking.priceCents,
      memberRate: booking.memberRate,
      paymentMethod: booking.paymentMethod ? PAID_WITH_LABELS[booking.paymentMethod] : null,
      passName: booking.pass?.name ?? null,
      passCredits: booking.passCredits,
      holdExpiresAt: held ? booking.holdExpiresAt : null,
      invoiceId: booking.invoiceId,
      cancellationFeeCents: booking.cancellationFeeCents,
      refunds: refunds.map((r) => ({ id: r.id, amountCents: r.amountCents, status: r.status })),
      cancellable:
        ["HELD", "AWAITING_PAYMENT", "CONFIRMED"].includes(booking.status) &&
        booking.startsAt > now &&
        (booking.status !== "HELD" || held),
      late: now >= lateFrom,
      lateFrom,
    },
    pay: !held
      ? null
      : booking.priceCents === 0
        ? { free: true, pass: false, credits, card: false, onSite: false }
        : { free: false, pass: usablePass, credits, card: cardPaymentEnabled(), onSite: !cardPaymentEnabled() },
    policy: { deadlineHours: pole.cancellationDeadlineHours, feePercent: pole.lateCancellationFeePercent },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const submission = parseWithZod(await readForm(request), { schema: PayIntentSchema });
  if (submission.status !== "success") return invalid(submission);
  const input = { poleId: pole.id, bookingId: params.bookingId ?? "", personId: person.id, now: new Date() };
  const stripe = getStripe();
  switch (submission.value.intent) {
    case "free": {
      const result = await runCommand(confirmFreeBooking, input, { now: input.now, stripe });
      if (!result.ok) return refused(submission, result);
      return redirect(`/compte/reservations/${input.bookingId}?confirmee`);
    }
    case "pass":
    case "onsite": {
      if (submission.value.intent === "onsite" && stripe) {
        return refused(submission, {
          ok: false,
          code: "CARD_ONLY",
          message: "Ce pôle encaisse en ligne : payez par carte.",
          status: 409,
        });
      }
      const pay = submission.value.intent === "pass" ? payWithPass : payOnSite;
      const result = await runCommand(pay, input, { now: input.now, stripe });
      if (!result.ok) return refused(submission, result);
      return redirect(
        `/compte/reservations/${input.bookingId}?${submission.value.intent === "pass" ? "confirmee" : "a-regler"}`,
      );
    }
    case "card": {
      if (!stripe)
        return refused(submission, {
          ok: false,
          code: "NO_CARD",
          message: "Le paiement par carte n'est pas proposé par ce pôle : choisissez « payer sur place ».",
          status: 409,
        });
      const opened = await runCheckout(bookingCheckout, input, stripe);
      if (!opened.ok) return refused(submission, opened);
      return redirect(opened.value.url);
    }
    case "cancel": {
      const result = await runCommand(
        cancelBooking,
        { poleId: pole.id, bookingId: input.bookingId, actor: { personId: person.id, staff: false }, now: input.now },
        { now: input.now, stripe },
      );
      if (!result.ok) return refused(submission, result);
      return redirect(`/compte/reservations/${input.bookingId}?annulee`);
    }
  }
}

export default function BookingPage() {
  const { booking, pay, policy } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const errors = allErrors(lastResult);
  return (
    <div className="narrow booking-page">
      <p>
        <Link to="/compte#reservations">← Mes réservations</Link>
      </p>
      <p className="eyebrow">Réservation</p>
      <h1>{booking.resource.name}</h1>
      <p className="lead">
        {formatDate(booking.startsAt, "longDay")}, {formatDate(booking.startsAt, "time")}–
        {formatDate(booking.endsAt, "time")} · {booking.resource.space}
      </p>
      {searchParams.has("confirmee") ? (
        <Notice>
          Votre réservation est confirmée. Un email de confirmation avec l'invitation d'agenda vous a été envoyé.
        </Notice>
      ) : null}
      {searchParams.has("a-regler") ? (
        <Notice>
          Votre créneau est réservé : réglez-le à l'accueil du pôle (ou par virement). L'équipe confirmera à réception.
        </Notice>
      ) : null}
      {searchParams.has("annulee") ? <Notice>Votre réservation est annulée.</Notice> : null}
      {searchParams.get("paiement") === "retour" && booking.status === "HELD" ? (
        <Notice>Paiement reçu par Stripe : la confirmation arrive dans quelques secondes. Actualisez la page.</Notice>
      ) : null}
      {searchParams.get("paiement") === "abandon" && pay ? (
        <p className="notice">
          Le paiement par carte a été interrompu : le créneau reste retenu jusqu'à la fin du délai.
        </p>
      ) : null}
      <FormErrors id="booking-errors" errors={errors} />

      <section className="card" aria-labelledby="etat">
        <h2 id="etat">État</h2>
        <dl className="details">
          <dt>Statut</dt>
          <dd>
            <span className={`badge badge-status-${booking.status.toLowerCase()}`}>{booking.statusLabel}</span>
          </dd>
          <dt>Prix</dt>
          <dd>
            {formatCents(booking.priceCents)} TTC{booking.memberRate ? " (tarif membre)" : ""}
          </dd>
          {booking.paymentMethod ? (
            <>
              <dt>Règlement</dt>
              <dd>
                {booking.passName
                  ? `${booking.passCredits} crédit(s) du carnet « ${booking.passName} »`
                  : booking.paymentMethod}
              </dd>
            </>
          ) : null}
          {booking.invoiceId ? (
            <>
              <dt>Facture</dt>
              <dd>
                <Link to={`/factures/${booking.invoiceId}`}>Voir la facture</Link>
              </dd>
            </>
          ) : null}
          {booking.cancellationFeeCents ? (
            <>
              <dt>Frais d'annulation</dt>
              <dd>{formatCents(booking.cancellationFeeCents)}</dd>
            </>
          ) : null}
          {booking.refunds.map((r) => (
            <div key={r.id} className="details-row">
              <dt>Remboursement</dt>
              <dd>
                {formatCents(r.amountCents)} —{" "}
                {r.status === "SUCCEEDED"
                  ? "effectué"
                  : r.status === "FAILED"
                    ? "échoué, l'équipe vous contactera"
                    : "en cours"}
              </dd>
            </div>
          ))}
        </dl>
      </section>

      {pay && booking.holdExpiresAt ? (
        <section className="card" aria-labelledby="payer">
          <h2 id="payer">{pay.free ? "Confirmer" : "Payer"}</h2>
          <HoldCountdown until={booking.holdExpiresAt} />
          <div className="pay-options">
            {pay.free ? (
              <PayButton intent="free" label="Confirmer la réservation (gratuite)" pending="Confirmation…" />
            ) : null}
            {pay.pass ? (
              <PayButton
                intent="pass"
                label={`Utiliser mon carnet (${pay.credits} crédit${pay.credits > 1 ? "s" : ""})`}
                pending="Confirmation…"
              />
            ) : null}
            {pay.card ? (
              <PayButton
                intent="card"
                label={`Payer ${formatCents(booking.priceCents)} par carte`}
                pending="Ouverture du paiement…"
                secondary={pay.pass}
              />
            ) : null}
            {pay.onSite ? (
              <PayButton intent="onsite" label="Payer sur place" pending="Enregistrement…" secondary={pay.pass} />
            ) : null}
          </div>
          {pay.onSite ? (
            <p className="field-hint">
              Le paiement en ligne n'est pas activé : vous réglez à l'accueil (espèces, chèque) ou par virement, et
              l'équipe confirme votre réservation.
            </p>
          ) : null}
        </section>
      ) : null}

      {booking.cancellable ? (
        <section className="card" aria-labelledby="annuler">
          <h2 id="annuler">Annuler</h2>
          <p>
            {booking.status === "HELD"
              ? "Vous pouvez libérer ce créneau sans frais."
              : booking.late
                ? policy.feePercent > 0
                  ? `Le délai d'annulation gratuite (${policy.deadlineHours} h avant) est passé : des frais de ${policy.feePercent} % s'appliquent.`
                  : "L'annulation est gratuite."
                : `Annulation gratuite jusqu'au ${formatDate(booking.lateFrom, "dateTime")}${policy.feePercent ? `, puis frais de ${policy.feePercent} %` : ""}.`}
          </p>
          <IntentForm intent="cancel">
            <SubmitButton pendingLabel="Annulation…" className="button button-secondary">
              Annuler la réservation
            </SubmitButton>
          </IntentForm>
        </section>
      ) : null}
      <p>
        <Link to={`/espaces/${booking.resource.slug}`}>Voir les disponibilités de {booking.resource.name}</Link>
      </p>
    </div>
  );
}

function Notice({ children }: { children: string }) {
  return (
    <p className="notice notice-success" role="status">
      {children}
    </p>
  );
}

function PayButton({
  intent,
  label,
  pending,
  secondary,
}: {
  intent: string;
  label: string;
  pending: string;
  secondary?: boolean;
}) {
  return (
    <IntentForm intent={intent}>
      <SubmitButton pendingLabel={pending} className={secondary ? "button button-secondary" : "button"}>
        {label}
      </SubmitButton>
    </IntentForm>
  );
}
