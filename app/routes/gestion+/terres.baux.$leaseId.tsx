import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { runCommand } from "~/domain/commands.server";
import {
  Field,
  FormErrors,
  IntentButton,
  IntentForm,
  SubmitButton,
  TextAreaField,
  useValidatedForm,
} from "~/components/forms";
import { INSTALMENT_TONES, LandBadge, LEASE_TONES, TermCell } from "~/components/land-admin";
import { DoneNotice, OfflinePaymentFields, resultFor } from "~/components/spaces-admin";
import { InstalmentPaidSchema, InvoiceNowSchema, NoticeSchema, RenewSchema } from "~/domain/leasing/admin-schemas";
import {
  confirmInstalmentPaid,
  getLease,
  giveNotice,
  INSTALMENT_STATUS_LABELS,
  invoiceInstalmentNow,
  LEASE_STATUS_LABELS,
  peopleNames,
  renewLease,
} from "~/domain/leasing/index.server";
import {
  formatIndex,
  formatSurface,
  FREQUENCY_LABELS,
  KIND_LABELS,
  lastDay,
  TERMS,
  termText,
} from "~/domain/leasing/rules";
import { fromSqlDate, parisDate } from "~/domain/ledger/index.server";
import { isMoneyMethod, METHOD_LABELS } from "~/domain/payments/methods";
import { db } from "~/utils/db.server";
import { formatCents, formatDate } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `Bail ${data.lease.plot} — ${data.lease.holder}` : "Bail"} — Gestion` },
];

const DONE: Record<string, string> = {
  paiement: "Paiement enregistré : l'échéance est réglée et passée en comptabilité.",
  facturee: "Échéance facturée : la facture est émise et envoyée au titulaire.",
  renouvele: "Bail renouvelé : voici le nouveau bail, avec son échéancier.",
  conge:
    "Congé enregistré : le bail se termine à la date donnée ; la période qu'elle coupe est due au prorata, les suivantes sont annulées.",
};

async function leaseOf(poleId: string, leaseId: string | undefined) {
  const lease = await getLease(db, { poleId, leaseId: leaseId ?? "" });
  if (!lease) httpError(404, "Ce bail n'existe pas.");
  return lease;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "land:manage");
  const lease = await leaseOf(pole.id, params.leaseId);
  const today = parisDate(new Date());
  const [names, invoices] = await Promise.all([
    peopleNames(db, [...lease.rentChanges.map((c) => c.actorId), lease.offeredById]),
    db.invoice.findMany({
      where: { poleId: pole.id, id: { in: lease.instalments.flatMap((i) => (i.invoiceId ? [i.invoiceId] : [])) } },
      select: { id: true, number: true },
    }),
  ]);
  const numbers = new Map(invoices.map((i) => [i.id, i.number]));
  const running = lease.status === "ACTIVE" && fromSqlDate(lease.endsOn) > today;
  const maxRenewals = TERMS[lease.kind].maxRenewals;
  return json({
    lease: {
      id: lease.id,
      plot: lease.plot.code,
      plotId: lease.plotId,
      plotName: lease.plot.name,
      holder: lease.holder.name,
      holderId: lease.holder.id,
      email: lease.holder.email,
      applicationId: lease.applicationId,
      kind: KIND_LABELS[lease.kind],
      status: lease.status,
      statusLabel: LEASE_STATUS_LABELS[lease.status],
      startsOn: lease.startsOn,
      endsOn: lease.endsOn,
      lastDay: lastDay(lease.endsOn),
      offerExpiresAt: lease.status === "OFFERED" ? lease.offerExpiresAt : null,
      surface: formatSurface(lease.surfaceM2),
      rentPerHectareCents: lease.rentPerHectareCents,
      yearlyRentCents: lease.yearlyRentCents,
      frequency: FREQUENCY_LABELS[lease.frequency],
      index: `${formatIndex(lease.indexValue)} (${lease.indexYear})`,
      vat:
        lease.vatRateBp === 0 ? "Exonéré de TVA (article 261 D 1° du CGI)" : `TVA ${lease.vatRateBp / 100} % comprise`,
      renewalNumber: lease.renewalNumber,
      maxRenewals,
      renewalOf: lease.renewalOf?.id ?? null,
      renewedBy: lease.renewedBy?.id ?? null,
      endNoticeOn: lease.endNoticeOn,
      endReason: lease.endReason,
      offeredBy: lease.offeredById ? (names[lease.offeredById] ?? null) : null,
    },
    can: {
      act: running,
      renew: running && !lease.renewedBy && !lease.endNoticeOn && lease.renewalNumber < maxRenewals,
    },
    changes: lease.rentChanges.map((c) => ({
      id: c.id,
      effectiveOn: c.effectiveOn,
      previousCents: c.previousCents,
      newCents: c.newCents,
      index:
        c.previousIndex && c.newIndex
          ? `${formatIndex(c.previousIndex)} → ${formatIndex(c.newIndex)}${c.indexYear ? ` (${c.indexYear})` : ""}`
          : null,
      actor: c.actorId ? (names[c.actorId] ?? null) : null,
    })),
    instalments: lease.instalments.map((i) => ({
      id: i.id,
      periodStart: i.periodStart,
      periodEnd: i.periodEnd,
      dueOn: i.dueOn,
      amountCents: i.amountCents,
      status: i.status,
      statusLabel: INSTALMENT_STATUS_LABELS[i.status],
      invoice: i.invoiceId ? { id: i.invoiceId, number: numbers.get(i.invoiceId) ?? "" } : null,
      paidAt: i.paidAt,
      method: i.payments.find((p) => p.status === "SUCCEEDED")?.method ?? null,
      cardPending: i.payments.some((p) => p.status === "PENDING"),
      overdue: i.status === "INVOICED" && fromSqlDate(i.dueOn) < today,
    })),
    unpaidCents: lease.instalments.filter((i) => i.status === "INVOICED").reduce((sum, i) => sum + i.amountCents, 0),
    noticeDefault: { endsOn: fromSqlDate(lease.endsOn) },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole, person } = await requirePermission(request, "land:manage");
  const lease = await leaseOf(pole.id, params.leaseId);
  const form = await readForm(request);
  const now = new Date();
  const today = parisDate(now);
  const done = (what: string, leaseId = lease.id) => redirect(`/gestion/terres/baux/${leaseId}?fait=${what}`);
  const instalmentOf = (id: string) =>
    lease.instalments.find((i) => i.id === id) ?? httpError(404, "Cette échéance n'existe pas.");

  switch (form.get("intent")) {
    case "pay": {
      const submission = parseWithZod(form, { schema: InstalmentPaidSchema });
      if (submission.status !== "success") return invalid(submission);
      const { instalmentId, method, reference } = submission.value;
      const result = await runCommand(confirmInstalmentPaid, {
        poleId: pole.id,
        instalmentId: instalmentOf(instalmentId).id,
        method,
        reference,
        staffId: person.id,
        now,
      });
      if (!result.ok) return refused(submission, result);
      return done("paiement");
    }
    case "invoice": {
      const submission = parseWithZod(form, { schema: InvoiceNowSchema });
      if (submission.status !== "success") return invalid(submission);
      const instalment = instalmentOf(submission.value.instalmentId);
      if (lease.status !== "ACTIVE")
        return refused(submission, {
          ok: false,
          code: "NOT_ACTIVE",
          message: "Seules les échéances d'un bail en cours se facturent.",
          status: 409,
        });
      const result = await runCommand(invoiceInstalmentNow, { instalmentId: instalment.id, now });
      if (!result.ok) return refused(submission, result);
      return done("facturee");
    }
    case "renew": {
      const submission = parseWithZod(form, { schema: RenewSchema });
      if (submission.status !== "success") return invalid(submission);
      const result = await runCommand(renewLease, { poleId: pole.id, leaseId: lease.id, staffId: person.id, now });
      if (!result.ok) return refused(submission, result);
      return done("renouvele", result.value.id);
    }
    case "notice": {
      const submission = parseWithZod(form, { schema: NoticeSchema });
      if (submission.status !== "success") return invalid(submission);
      const result = await runCommand(giveNotice, {
        poleId: pole.id,
        leaseId: lease.id,
        endsOn: submission.value.endsOn,
        reason: submission.value.reason,
        today,
      });
      if (!result.ok) return refused(submission, result);
      return done("conge");
    }
    default:
      return httpError(400, "Cette action n'existe pas.");
  }
}

export default function LeasePage() {
  const { lease, can, changes, instalments, unpaidCents } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const renewErrors = resultFor(actionData, "renew")?.error?.[""] ?? undefined;
  return (
    <>
      <p>
        <Link to="/gestion/terres/baux">← Registre des baux</Link>
      </p>
      <div className="title-row">
        <h1>
          {lease.status === "OFFERED" ||
          lease.status === "DECLINED" ||
          lease.status === "EXPIRED" ||
          lease.status === "WITHDRAWN"
            ? "Proposition"
            : "Bail"}{" "}
          — parcelle {lease.plot}, {lease.holder}
        </h1>
        <LandBadge tone={LEASE_TONES[lease.status]} label={lease.statusLabel} />
      </div>
      <p className="link-row">
        <a href={`/gestion/terres/baux/${lease.id}.pdf`}>Récapitulatif du bail (PDF)</a>
        {lease.applicationId ? (
          <Link to={`/gestion/terres/candidatures/${lease.applicationId}`}>Candidature</Link>
        ) : null}
        {lease.renewalOf ? <Link to={`/gestion/terres/baux/${lease.renewalOf}`}>Bail précédent</Link> : null}
        {lease.renewedBy ? (
          <Link to={`/gestion/terres/baux/${lease.renewedBy}`}>Bail suivant (renouvellement)</Link>
        ) : null}
      </p>
      <DoneNotice message={actionData ? null : DONE[searchParams.get("fait") ?? ""]} />
      <div className="two-columns lease-columns">
        <section className="card" aria-labelledby="conditions">
          <h2 id="conditions">Conditions</h2>
          <dl className="details">
            <dt>Parcelle</dt>
            <dd>
              <Link to={`/gestion/terres/parcelles/${lease.plotId}`}>{lease.plot}</Link>
              {lease.plotName ? ` ${lease.plotName}` : ""} <span className="muted">— {lease.surface}</span>
            </dd>
            <dt>Titulaire</dt>
            <dd>
              <Link to={`/gestion/personnes/${lease.holderId}`}>{lease.holder}</Link>
              <span className="cell-sub">{lease.email}</span>
            </dd>
            <dt>Type</dt>
            <dd>
              {lease.kind}
              {lease.renewalNumber > 0 ? ` — renouvellement ${lease.renewalNumber} sur ${lease.maxRenewals}` : ""}
            </dd>
            <dt>Durée</dt>
            <dd>{termText(lease.startsOn, lease.endsOn)}</dd>
            {lease.offerExpiresAt ? (
              <>
                <dt>Réponse attendue</dt>
                <dd>avant le {formatDate(lease.offerExpiresAt, "dateTime")}</dd>
              </>
            ) : null}
            <dt>Loyer</dt>
            <dd>
              {formatCents(lease.yearlyRentCents)} par an{" "}
              <span className="muted">— {formatCents(lease.rentPerHectareCents)}/ha à l'origine</span>
            </dd>
            <dt>Échéances</dt>
            <dd>{lease.frequency}s</dd>
            <dt>Indice de référence</dt>
            <dd>{lease.index}</dd>
            <dt>TVA</dt>
            <dd>{lease.vat}</dd>
            {lease.offeredBy ? (
              <>
                <dt>Proposé par</dt>
                <dd>{lease.offeredBy}</dd>
              </>
            ) : null}
            {lease.endNoticeOn ? (
              <>
                <dt>Congé</dt>
                <dd>
                  donné le {formatDate(lease.endNoticeOn)}, fin le {formatDate(lease.lastDay)} au soir
                  {lease.endReason ? <span className="cell-sub">{lease.endReason}</span> : null}
                </dd>
              </>
            ) : null}
          </dl>
        </section>
        {can.act ? (
          <div className="action-stack">
            <section className="card" aria-labelledby="renouveler">
              <h2 id="renouveler">Renouveler</h2>
              <FormErrors errors={renewErrors} />
              {can.renew ? (
                <>
                  <p className="field-hint">
                    Un nouveau bail de même durée, à partir du {formatDate(lease.endsOn)}, au loyer actuel (
                    {formatCents(lease.yearlyRentCents)} par an).
                  </p>
                  <IntentButton intent="renew" className="button button-secondary">
                    Renouveler le bail
                  </IntentButton>
                </>
              ) : (
                <p className="muted">
                  {lease.renewedBy
                    ? "Ce bail est déjà renouvelé."
                    : lease.endNoticeOn
                      ? "Un congé a été donné : ce bail ne se renouvelle pas."
                      : `Un ${lease.kind.toLowerCase()} se renouvelle ${lease.maxRenewals} fois au plus.`}
                </p>
              )}
            </section>
            <NoticeForm />
          </div>
        ) : null}
      </div>

      {changes.length > 0 ? (
        <section aria-labelledby="revisions">
          <h2 id="revisions">Évolution du loyer</h2>
          <div className="table-scroll">
            <table className="table">
              <caption className="visually-hidden">Révisions du loyer annuel</caption>
              <thead>
                <tr>
                  <th scope="col">Depuis le</th>
                  <th scope="col" className="num">
                    Ancien loyer
                  </th>
                  <th scope="col" className="num">
                    Nouveau loyer
                  </th>
                  <th scope="col">Indice</th>
                  <th scope="col">Par</th>
                </tr>
              </thead>
              <tbody>
                {changes.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">{formatDate(c.effectiveOn, "short")}</th>
                    <td className="num">{formatCents(c.previousCents)}</td>
                    <td className="num">{formatCents(c.newCents)}</td>
                    <td>{c.index ?? "—"}</td>
                    <td>{c.actor ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section aria-labelledby="echeancier">
        <h2 id="echeancier">Échéancier</h2>
        {instalments.length === 0 ? (
          <p className="muted">
            {lease.status === "OFFERED"
              ? "L'échéancier s'écrit quand la personne accepte la proposition."
              : "Aucune échéance."}
          </p>
        ) : (
          <>
            {unpaidCents > 0 ? (
              <p>
                Facturé non payé : <strong>{formatCents(unpaidCents)}</strong>
              </p>
            ) : null}
            <div className="table-scroll">
              <table className="table schedule-table">
                <caption className="visually-hidden">
                  Échéances du bail (chacune due le premier jour de sa période), leurs factures et leurs paiements
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Échéance</th>
                    <th scope="col" className="num">
                      Montant
                    </th>
                    <th scope="col">État</th>
                    <th scope="col">Facture</th>
                    <th scope="col">Action</th>
                  </tr>
                </thead>
                <tbody>
                  {instalments.map((i) => (
                    <InstalmentRow key={i.id} instalment={i} running={can.act} />
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </>
  );
}

type Instalment = ReturnType<typeof useLoaderData<typeof loader>>["instalments"][number];

function InstalmentRow({ instalment: i, running }: { instalment: Instalment; running: boolean }) {
  const actionData = useActionData<typeof action>();
  const mine = (intent: string) => {
    const reply = resultFor(actionData, intent) as
      (ReturnType<typeof resultFor> & { initialValue?: { instalmentId?: string } }) | undefined;
    return reply?.initialValue?.instalmentId === i.id ? reply : undefined;
  };
  const pay = mine("pay");
  const invoiceErrors = mine("invoice")?.error?.[""] ?? undefined;
  return (
    <tr className={i.overdue ? "overdue-row" : undefined}>
      <th scope="row">
        {formatDate(i.dueOn, "short")}
        <span className="cell-sub">
          <TermCell startsOn={i.periodStart} endsOn={i.periodEnd} />
        </span>
      </th>
      <td className="num">{formatCents(i.amountCents)}</td>
      <td>
        <LandBadge
          tone={i.overdue ? "late" : INSTALMENT_TONES[i.status]}
          label={i.overdue ? "En retard" : i.statusLabel}
        />
        {i.paidAt ? (
          <span className="cell-sub">
            le {formatDate(i.paidAt, "short")}
            {i.method && isMoneyMethod(i.method) ? `, ${METHOD_LABELS[i.method].toLowerCase()}` : ""}
          </span>
        ) : null}
        {i.cardPending ? <span className="cell-sub">paiement par carte en cours</span> : null}
      </td>
      <td className="nowrap">
        {i.invoice ? (
          <Link to={`/gestion/factures/${i.invoice.id}`}>{i.invoice.number}</Link>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        {i.status === "INVOICED" ? (
          <details className="pay-details" open={Boolean(pay)}>
            <summary>Paiement reçu…</summary>
            <IntentForm intent="pay" className="form inline-pay">
              <input type="hidden" name="instalmentId" value={i.id} />
              <FormErrors errors={pay?.error?.[""] ?? undefined} />
              <OfflinePaymentFields idPrefix={`paiement-${i.id}`} errors={pay?.error ?? undefined} />
              <SubmitButton pendingLabel="Enregistrement…" className="button button-small">
                Enregistrer le paiement
              </SubmitButton>
            </IntentForm>
          </details>
        ) : i.status === "SCHEDULED" && running ? (
          <>
            <FormErrors errors={invoiceErrors} />
            <IntentButton intent="invoice" values={{ instalmentId: i.id }}>
              Facturer maintenant
            </IntentButton>
          </>
        ) : null}
      </td>
    </tr>
  );
}

function NoticeForm() {
  const { noticeDefault } = useLoaderData<typeof loader>();
  const [form, fields] = useValidatedForm(NoticeSchema, {
    lastResult: resultFor(useActionData<typeof action>(), "notice"),
    defaultValue: noticeDefault,
    id: "conge",
  });
  return (
    <section className="card" aria-labelledby="conge-titre">
      <h2 id="conge-titre">Donner congé</h2>
      <IntentForm intent="notice" {...getFormProps(form)} className="form">
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field
          meta={fields.endsOn}
          label="Fin du bail (exclue)"
          type="date"
          hint="Le bail court jusqu'à la veille ; les échéances des périodes suivantes sont annulées."
        />
        <TextAreaField meta={fields.reason} label="Motif" rows={2} />
        <SubmitButton pendingLabel="Enregistrement…" className="button button-danger">
          Enregistrer le congé
        </SubmitButton>
      </IntentForm>
    </section>
  );
}
