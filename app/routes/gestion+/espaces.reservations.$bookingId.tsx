import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormErrors, IntentButton, IntentForm, SubmitButton } from "~/components/forms";
import { DoneNotice, OfflinePaymentFields, resultFor, StatusBadge } from "~/components/spaces-admin";
import {
  CancelSchema,
  LateFeePaidSchema,
  NoShowSchema,
  OfflinePaymentSchema,
  OnSiteSchema,
  RefundDoneSchema,
} from "~/domain/booking/admin-schemas";
import {
  cancelBooking,
  confirmOfflinePayment,
  getBookingForStaff,
  lateFeeOf,
  markNoShow,
  payOnSite,
  recordLateFeePaid,
  STATUS_LABELS,
} from "~/domain/booking/index.server";
import { formatSlot, PAID_WITH_LABELS } from "~/domain/booking/describe";
import { UNIT_LABELS, type PriceLine } from "~/domain/booking/rules";
import { runCommand } from "~/domain/commands.server";
import { confirmOfflineRefund } from "~/domain/payments/index.server";
import { PAYMENT_HANDLERS } from "~/domain/streams.server";
import { db } from "~/utils/db.server";
import { formatCents, formatDate } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `Réservation de ${data.booking.person}` : "Réservation"} — Gestion` },
];

const DONE: Record<string, string> = {
  cree: "Réservation enregistrée.",
  paiement:
    "Paiement enregistré : la réservation est confirmée, sa facture est émise et la personne a reçu sa confirmation.",
  "sur-place": "La réservation est gardée, à régler sur place. La personne a reçu un email.",
  annulee: "Réservation annulée. La personne a reçu un email.",
  absence: "Absence notée.",
  presence: "Absence retirée.",
  rembourse: "Remboursement enregistré en comptabilité.",
  frais: "Frais d'annulation encaissés : le règlement est passé en comptabilité.",
};

const PAYMENT_STATUS: Record<string, string> = {
  PENDING: "En attente",
  SUCCEEDED: "Reçu",
  FAILED: "Échoué",
  CANCELLED: "Abandonné",
};
const REFUND_STATUS: Record<string, string> = { PENDING: "À faire", SUCCEEDED: "Fait", FAILED: "Échoué" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "spaces:manage");
  const now = new Date();
  const found = await getBookingForStaff(db, { poleId: pole.id, bookingId: params.bookingId ?? "", now });
  if (!found) httpError(404, "Cette réservation n'existe pas.");
  const { booking } = found;
  // A closure is managed from its resource's page.
  if (booking.kind === "CLOSURE") throw redirect(`/gestion/espaces/ressources/${booking.resourceId}`);
  // A training part is managed from its session.
  if (booking.kind === "TRAINING") throw redirect("/gestion/formations");
  const awaiting = booking.status === "AWAITING_PAYMENT" || (booking.status === "HELD" && found.live);
  const started = booking.startsAt <= now;
  return json({
    booking: {
      id: booking.id,
      slot: formatSlot(booking.startsAt, booking.endsAt),
      resource: booking.resource.name,
      resourceId: booking.resourceId,
      space: booking.resource.space.name,
      spaceId: booking.resource.spaceId,
      person: booking.person?.name ?? "",
      personId: booking.personId,
      email: booking.person?.email ?? "",
      status: booking.status,
      statusLabel: STATUS_LABELS[booking.status],
      holdExpiresAt: booking.status === "HELD" ? booking.holdExpiresAt : null,
      priceCents: booking.priceCents,
      memberRate: booking.memberRate,
      lines: (booking.priceDetail as PriceLine[]).map(
        (l) =>
          `${l.quantity} × ${l.quantity > 1 ? UNIT_LABELS[l.unit].many : UNIT_LABELS[l.unit].one} à ${formatCents(l.unitCents)}`,
      ),
      method: booking.paymentMethod ? PAID_WITH_LABELS[booking.paymentMethod] : null,
      pass: booking.pass
        ? `${booking.pass.name} (${booking.passCredits} crédit${booking.passCredits > 1 ? "s" : ""})`
        : null,
      noShow: booking.noShow,
      createdAt: booking.createdAt,
      bookedBy: found.bookedBy,
      cancelledAt: booking.cancelledAt,
      cancelledBy: found.cancelledBy,
      cancellationFeeCents: booking.cancellationFeeCents,
    },
    invoices: found.invoices.map((i) => ({
      id: i.id,
      number: i.number,
      label:
        i.kind === "CREDIT_NOTE"
          ? "Avoir"
          : i.sourceKey.endsWith(":late-fee")
            ? "Facture des frais d'annulation"
            : "Facture",
      totalInclTax: i.totalInclTax,
    })),
    payments: booking.payments.map((p) => ({
      id: p.id,
      method: PAID_WITH_LABELS[p.method],
      amountCents: p.amountCents,
      status: PAYMENT_STATUS[p.status] ?? p.status,
      reference: p.reference ?? p.stripePaymentIntentId,
      confirmed: p.confirmedAt
        ? `${formatDate(p.confirmedAt, "dateTime")}${found.confirmedBy(p.confirmedById) ? ` par ${found.confirmedBy(p.confirmedById)}` : ""}`
        : null,
      refunds: p.refunds.map((r) => ({
        id: r.id,
        amountCents: r.amountCents,
        status: r.status,
        statusLabel: REFUND_STATUS[r.status] ?? r.status,
        reason: r.reason,
        failure: r.failureReason,
        offline: p.method !== "STRIPE",
      })),
    })),
    can: {
      pay: awaiting,
      onSite: booking.status === "HELD" && found.live,
      cancel: found.live,
      noShow: (booking.status === "CONFIRMED" || booking.status === "AWAITING_PAYMENT") && started,
    },
    lateFeeCents: found.lateFeeCents,
    lateFee: await lateFeeOf(db, { poleId: pole.id, bookingId: booking.id }),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole, person } = await requirePermission(request, "spaces:manage");
  const now = new Date();
  const bookingId = params.bookingId ?? "";
  const booking = await db.booking.findFirst({
    where: { id: bookingId, poleId: pole.id, kind: "BOOKING" },
    select: { id: true, personId: true },
  });
  if (!booking) httpError(404, "Cette réservation n'existe pas.");
  const form = await readForm(request);
  const done = (what: string) => redirect(`/gestion/espaces/reservations/${booking.id}?fait=${what}`);
  const after = { now };

  switch (form.get("intent")) {
    case "pay": {
      const submission = parseWithZod(form, { schema: OfflinePaymentSchema });
      if (submission.status !== "success") return invalid(submission);
      const result = await runCommand(
        confirmOfflinePayment,
        {
          poleId: pole.id,
          bookingId,
          method: submission.value.method,
          reference: submission.value.reference,
          staffId: person.id,
          now,
        },
        after,
      );
      if (!result.ok) return refused(submission, result);
      return done("paiement");
    }
    case "onsite": {
      const submission = parseWithZod(form, { schema: OnSiteSchema });
      if (submission.status !== "success") return invalid(submission);
      const result = await runCommand(
        payOnSite,
        { poleId: pole.id, bookingId, personId: booking.personId!, now },
        after,
      );
      if (!result.ok) return refused(submission, result);
      return done("sur-place");
    }
    case "cancel": {
      const submission = parseWithZod(form, { schema: CancelSchema });
      if (submission.status !== "success") return invalid(submission);
      const result = await runCommand(
        cancelBooking,
        {
          poleId: pole.id,
          bookingId,
          actor: { personId: person.id, staff: true },
          now,
          waiveFee: submission.value.waiveFee,
        },
        after,
      );
      if (!result.ok) return refused(submission, result);
      return done("annulee");
    }
    case "noshow": {
      const submission = parseWithZod(form, { schema: NoShowSchema });
      if (submission.status !== "success") return invalid(submission);
      const noShow = submission.value.noShow === "true";
      const result = await runCommand(markNoShow, { poleId: pole.id, bookingId, now, noShow });
      if (!result.ok) return refused(submission, result);
      return done(noShow ? "absence" : "presence");
    }
    case "fee": {
      const submission = parseWithZod(form, { schema: LateFeePaidSchema });
      if (submission.status !== "success") return invalid(submission);
      const result = await runCommand(recordLateFeePaid, {
        poleId: pole.id,
        bookingId,
        method: submission.value.method,
        reference: submission.value.reference,
        staffId: person.id,
        now,
      });
      if (!result.ok) return refused(submission, result);
      return done("frais");
    }
    case "refund": {
      const submission = parseWithZod(form, { schema: RefundDoneSchema });
      if (submission.status !== "success") return invalid(submission);
      const refund = await db.refund.findFirst({
        where: { id: submission.value.refundId, poleId: pole.id, payment: { bookingId } },
        select: { id: true },
      });
      if (!refund) httpError(404, "Ce remboursement n'existe pas.");
      const result = await runCommand(
        (client, input: { poleId: string; refundId: string; now: Date; staffId: string }) =>
          confirmOfflineRefund(client, input, PAYMENT_HANDLERS),
        { poleId: pole.id, refundId: refund.id, now, staffId: person.id },
      );
      if (!result.ok) return refused(submission, result);
      return done("rembourse");
    }
    default:
      return httpError(400, "Cette action n'existe pas.");
  }
}

export default function BookingPage() {
  const { booking, invoices, payments, can, lateFeeCents, lateFee } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const errorsOf = (intent: string) => resultFor(actionData, intent)?.error ?? undefined;
  const formErrors = (intent: string) => errorsOf(intent)?.[""] ?? undefined;
  return (
    <>
      <p>
        <Link to="/gestion/espaces/reservations">← Toutes les réservations</Link>
      </p>
      <div className="title-row">
        <h1>
          {booking.resource} — {booking.person}
        </h1>
        <StatusBadge status={booking.status} label={booking.statusLabel} />
      </div>
      <DoneNotice message={actionData ? null : DONE[searchParams.get("fait") ?? ""]} />
      <div className="two-columns">
        <section className="card" aria-labelledby="reservation">
          <h2 id="reservation">Réservation</h2>
          <dl className="details">
            <dt>Créneau</dt>
            <dd>{booking.slot}</dd>
            <dt>Poste ou salle</dt>
            <dd>
              <Link to={`/gestion/espaces/ressources/${booking.resourceId}`}>{booking.resource}</Link>{" "}
              <span className="muted">— {booking.space}</span>
            </dd>
            <dt>Personne</dt>
            <dd>
              {booking.personId ? (
                <Link to={`/gestion/personnes/${booking.personId}`}>{booking.person}</Link>
              ) : (
                booking.person
              )}{" "}
              <span className="muted">{booking.email}</span>
            </dd>
            <dt>Prix TTC</dt>
            <dd>
              {formatCents(booking.priceCents)}{" "}
              <span className="muted">— tarif {booking.memberRate ? "membre" : "public"}</span>
              {booking.lines.length ? <span className="cell-sub">{booking.lines.join(" + ")}</span> : null}
            </dd>
            <dt>Paiement</dt>
            <dd>{booking.pass ? `Carnet : ${booking.pass}` : (booking.method ?? "—")}</dd>
            {booking.holdExpiresAt ? (
              <>
                <dt>Gardée jusqu'à</dt>
                <dd>{formatDate(booking.holdExpiresAt, "time")}</dd>
              </>
            ) : null}
            <dt>Enregistrée</dt>
            <dd>
              le {formatDate(booking.createdAt, "dateTime")}
              {booking.bookedBy ? ` par ${booking.bookedBy} (équipe)` : " en ligne"}
            </dd>
            {booking.cancelledAt ? (
              <>
                <dt>Annulée</dt>
                <dd>
                  le {formatDate(booking.cancelledAt, "dateTime")}
                  {booking.cancelledBy ? ` par ${booking.cancelledBy}` : ""}
                  {booking.cancellationFeeCents ? ` — frais ${formatCents(booking.cancellationFeeCents)}` : ""}
                </dd>
              </>
            ) : null}
            <dt>Présence</dt>
            <dd>{booking.noShow ? <span className="badge badge-absent">Absent·e</span> : "—"}</dd>
            <dt>Factures</dt>
            <dd>
              {invoices.length === 0 ? (
                "—"
              ) : (
                <ul className="plain-list">
                  {invoices.map((i) => (
                    <li key={i.id}>
                      {i.label} <Link to={`/gestion/factures/${i.id}`}>{i.number}</Link>{" "}
                      <span className="muted">({formatCents(i.totalInclTax)})</span>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
        </section>

        <div className="action-stack">
          {can.pay ? (
            <section className="card" aria-labelledby="encaisser">
              <h2 id="encaisser">Encaisser {formatCents(booking.priceCents)}</h2>
              <IntentForm intent="pay" className="form">
                <FormErrors errors={formErrors("pay")} />
                <OfflinePaymentFields idPrefix="paiement" errors={errorsOf("pay")} />
                <SubmitButton pendingLabel="Enregistrement…">Paiement reçu</SubmitButton>
              </IntentForm>
              {can.onSite ? (
                <>
                  <p className="field-hint">Ou gardez le créneau, à régler plus tard sur place :</p>
                  <FormErrors errors={formErrors("onsite")} />
                  <IntentButton intent="onsite">À régler sur place</IntentButton>
                </>
              ) : null}
            </section>
          ) : null}

          {lateFee && !lateFee.paid ? (
            <section className="card" aria-labelledby="frais">
              <h2 id="frais">Encaisser les frais d'annulation ({formatCents(lateFee.amountCents)})</h2>
              <p className="field-hint">
                Facture {lateFee.number}, émise à l'annulation tardive d'une réservation à régler sur place.
              </p>
              <IntentForm intent="fee" className="form">
                <FormErrors errors={formErrors("fee")} />
                <OfflinePaymentFields idPrefix="frais" errors={errorsOf("fee")} />
                <SubmitButton pendingLabel="Enregistrement…">Frais reçus</SubmitButton>
              </IntentForm>
            </section>
          ) : null}

          {can.noShow ? (
            <section className="card" aria-labelledby="presence">
              <h2 id="presence">Présence</h2>
              <FormErrors errors={formErrors("noshow")} />
              <IntentButton intent="noshow" values={{ noShow: booking.noShow ? "false" : "true" }}>
                {booking.noShow ? "Retirer l'absence" : "Marquer absent·e"}
              </IntentButton>
            </section>
          ) : null}

          {can.cancel ? (
            <section className="card" aria-labelledby="annuler">
              <h2 id="annuler">Annuler</h2>
              <IntentForm intent="cancel" className="form">
                <FormErrors errors={formErrors("cancel")} />
                {lateFeeCents > 0 ? (
                  <>
                    <p className="field-hint">
                      Annulation tardive : la règle du pôle retient {formatCents(lateFeeCents)} de frais.
                    </p>
                    <div className="field field-checkbox">
                      <input id="waiveFee" name="waiveFee" type="checkbox" />
                      <label htmlFor="waiveFee">Renoncer aux frais d'annulation</label>
                    </div>
                  </>
                ) : (
                  <p className="field-hint">
                    Sans frais : ce qui a été payé est remboursé, un carnet récupère ses crédits.
                  </p>
                )}
                <SubmitButton className="button button-danger" pendingLabel="Annulation…">
                  Annuler la réservation
                </SubmitButton>
              </IntentForm>
            </section>
          ) : null}
        </div>
      </div>

      <section aria-labelledby="paiements">
        <h2 id="paiements">Paiements et remboursements</h2>
        <FormErrors errors={formErrors("refund")} />
        {payments.length === 0 ? (
          <p className="muted">Aucun paiement enregistré.</p>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <caption className="visually-hidden">Paiements de la réservation et leurs remboursements</caption>
              <thead>
                <tr>
                  <th scope="col">Moyen</th>
                  <th scope="col" className="num">
                    Montant
                  </th>
                  <th scope="col">État</th>
                  <th scope="col">Référence</th>
                  <th scope="col">Enregistré</th>
                </tr>
              </thead>
              <tbody>
                {payments.map((p) => (
                  <PaymentRows key={p.id} payment={p} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

type PaymentRow = ReturnType<typeof useLoaderData<typeof loader>>["payments"][number];

function PaymentRows({ payment: p }: { payment: PaymentRow }) {
  return (
    <>
      <tr>
        <th scope="row">{p.method}</th>
        <td className="num">{formatCents(p.amountCents)}</td>
        <td>{p.status}</td>
        <td>{p.reference ?? "—"}</td>
        <td>{p.confirmed ?? "—"}</td>
      </tr>
      {p.refunds.map((r) => (
        <tr key={r.id} className="refund-row">
          <td>↳ Remboursement</td>
          <td className="num">−{formatCents(r.amountCents)}</td>
          <td>
            {r.statusLabel}
            {r.failure ? <span className="cell-sub">{r.failure}</span> : null}
          </td>
          <td>{r.reason}</td>
          <td>
            {(r.status === "PENDING" && r.offline) || r.status === "FAILED" ? (
              <IntentButton intent="refund" values={{ refundId: r.id }}>
                {r.offline ? "Remboursement effectué" : "Remboursé par virement"}
              </IntentButton>
            ) : null}
          </td>
        </tr>
      ))}
    </>
  );
}
