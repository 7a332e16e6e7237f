import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { allErrors, FieldErrors, FormErrors, IntentButton, IntentForm, SubmitButton } from "~/components/forms";
import { LandBadge } from "~/components/land-admin";
import { DoneNotice, FilterSelect, OfflinePaymentFields, resultFor } from "~/components/spaces-admin";
import { runCommand } from "~/domain/commands.server";
import { confirmOfflineRefund } from "~/domain/payments/index.server";
import { PAYMENT_HANDLERS } from "~/domain/streams.server";
import {
  CancelRegistrationSchema,
  CancelSessionSchema,
  ConfirmFundingSchema,
  ConfirmSessionSchema,
  GrantSeatSchema,
  parseRegistrationQuery,
  RecordPaymentSchema,
  RefundDoneSchema,
  registrationQueryString,
  TraineeTypeSchema,
  FunderPaidSchema,
} from "~/domain/training/admin-schemas";
import {
  cancelPreview,
  cancelRegistration,
  cancelSession,
  confirmFunding,
  confirmRegistrationPayment,
  confirmSession,
  grantSeat,
  PEOPLE_LIMIT,
  polePeople,
  registrationCounts,
  registrationRef,
  sessionRegistrations,
  sessionQueue,
  setTraineeType,
  paidInvoices,
  recordFunderPayment,
} from "~/domain/training/index.server";
import {
  FUNDER_TYPE_LABELS,
  PAYER_LABELS,
  PAYERS,
  PAYMENT_METHOD_LABELS,
  rateLabel,
  REGISTRATION_STATUS_LABELS,
  REGISTRATION_STATUSES,
  TRAINEE_TYPE_LABELS,
  TRAINEE_TYPES,
} from "~/domain/training/staff-labels";
import type { RegistrationStatus } from "~/generated/prisma/enums";
import { db } from "~/utils/db.server";
import { formatCents, formatDate, formatNumber } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

// A session's registrations, and what staff do there: record a transfer, cheque or cash, confirm a funder's
// agreement, cancel a registration (refunded in full), mark a repayment done, say a trainee's type, give a seat by
// hand, and decide the session — go ahead, or cancel it after reading what will be refunded.

export const meta: MetaFunction = () => [{ title: "Inscriptions de la session — Gestion" }];

const DONE: Record<string, string> = {
  creee: "Session créée : ses salles sont réservées.",
  paiement: "Paiement enregistré : l'inscription est confirmée et facturée.",
  financement: "Prise en charge confirmée : la facture est adressée au financeur.",
  "financeur-paye": "Règlement du financeur enregistré : sa facture est soldée.",
  annulee: "Inscription annulée : la place est libérée et le remboursement lancé s'il y a lieu.",
  rembourse: "Remboursement enregistré.",
  type: "Type de stagiaire enregistré.",
  offerte: "Place offerte : la personne est inscrite et prévenue par email.",
  maintenue: "Session confirmée : elle aura lieu.",
  "session-annulee": "Session annulée : les inscrits sont prévenus et remboursés, les salles libérées.",
};

const LIVE: readonly RegistrationStatus[] = ["HELD", "OFFERED", "CONFIRMED"];

async function sessionOf(poleId: string, sessionId: string | undefined) {
  const session = await db.trainingSession.findFirst({
    where: { id: sessionId ?? "", poleId },
    select: {
      id: true,
      status: true,
      startsAt: true,
      endsAt: true,
      minimum: true,
      seatsTaken: true,
      capacity: true,
      underMinimumAt: true,
    },
  });
  if (!session) httpError(404, "Cette session n'existe pas.");
  return session;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "training:manage");
  const session = await sessionOf(pole.id, params.sessionId);
  const url = new URL(request.url);
  const query = parseRegistrationQuery(url.searchParams);
  const personQuery = url.searchParams.get("personne")?.trim().slice(0, 100) || undefined;
  const open = session.status === "SCHEDULED" || session.status === "CONFIRMED";
  const [rows, counts, preview, people, waiting] = await Promise.all([
    sessionRegistrations(db, { poleId: pole.id, sessionId: session.id, ...query }),
    registrationCounts(db, session.id),
    cancelPreview(db, { poleId: pole.id, sessionId: session.id }),
    open ? polePeople(db, pole.id, personQuery) : Promise.resolve([]),
    sessionQueue(db, { poleId: pole.id, sessionId: session.id }),
  ]);
  const outcomeOf = new Map(preview.rows.map((r) => [r.id, r.outcome]));
  const funderInvoices = rows.flatMap((r) => (r.payer === "ORGANISATION" && r.invoiceNumber ? [r.invoiceNumber] : []));
  const paid = await paidInvoices(db, { poleId: pole.id, numbers: funderInvoices });
  const confirmed = counts.CONFIRMED ?? 0;
  return json({
    session: {
      id: session.id,
      status: session.status,
      minimum: session.minimum,
      confirmed,
      full: session.seatsTaken >= session.capacity,
      open,
      flagged: session.status === "SCHEDULED" && Boolean(session.underMinimumAt),
      ended: session.endsAt <= new Date(),
    },
    query,
    counts,
    personQuery: personQuery ?? "",
    people: people.map((p) => ({ id: p.id, label: `${p.name} — ${p.email}` })),
    peopleCapped: people.length >= PEOPLE_LIMIT,
    askCancel: url.searchParams.has("annuler") && open,
    preview,
    waiting: waiting.map((w) => ({
      id: w.entryId,
      position: w.position,
      person: w.person.name,
      personId: w.person.id,
      status: w.status,
      joinedAt: w.joinedAt.toISOString(),
      offerExpiresAt: w.offer?.deadline.toISOString() ?? null,
    })),
    csvHref: `/gestion/formations/sessions/${session.id}/inscriptions.csv?${registrationQueryString(query)}`,
    rows: rows.map((r) => ({
      id: r.id,
      ref: registrationRef(r),
      person: r.person,
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      holdExpiresAt: r.holdExpiresAt?.toISOString() ?? null,
      cancelledAt: r.cancelledAt?.toISOString() ?? null,
      payer: PAYER_LABELS[r.payer],
      funder: r.funder?.name ?? null,
      funderType: r.payer === "ORGANISATION" ? FUNDER_TYPE_LABELS[r.funderType] : null,
      traineeType: r.traineeType,
      priceCents: r.priceCents,
      rate: rateLabel(r),
      paidCents: r.paidCents,
      method: r.paymentMethod ? (PAYMENT_METHOD_LABELS[r.paymentMethod] ?? r.paymentMethod) : null,
      invoiceId: r.invoiceId,
      invoiceNumber: r.invoiceNumber,
      grantedBy: r.grantedBy,
      grantReason: r.grantReason,
      pendingRefunds: r.pendingRefunds.map((f) => ({
        id: f.id,
        amountCents: f.amountCents,
        method: PAYMENT_METHOD_LABELS[f.method] ?? f.method,
      })),
      outcome: outcomeOf.get(r.id) ?? null,
      can: {
        pay: r.status === "HELD" && r.payer === "SELF" && r.priceCents > 0,
        fund: r.status === "HELD" && r.payer === "ORGANISATION",
        funderPaid:
          r.status === "CONFIRMED" &&
          r.payer === "ORGANISATION" &&
          r.invoiceNumber !== null &&
          !paid.has(r.invoiceNumber),
        cancel: LIVE.includes(r.status),
      },
    })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole, person } = await requirePermission(request, "training:manage");
  const session = await sessionOf(pole.id, params.sessionId);
  const form = await readForm(request);
  const now = new Date();
  const base = `/gestion/formations/sessions/${session.id}`;
  // Back to the list as it was filtered, with the notice of what was done.
  const done = (what: string) => {
    const back = new URLSearchParams(new URL(request.url).searchParams);
    back.delete("annuler");
    back.delete("personne");
    back.set("fait", what);
    return redirect(`${base}?${back}`);
  };
  // A registration of another session (or pole) is not found here, whatever its id.
  const registrationOf = async (registrationId: string) =>
    (await db.registration.findFirst({
      where: { id: registrationId, sessionId: session.id, poleId: pole.id },
      select: { id: true },
    })) ?? httpError(404, "Cette inscription n'existe pas.");

  switch (form.get("intent")) {
    case "pay": {
      const submission = parseWithZod(form, { schema: RecordPaymentSchema });
      if (submission.status !== "success") return invalid(submission);
      const { registrationId, method, reference } = submission.value;
      const registration = await registrationOf(registrationId);
      const result = await runCommand(
        confirmRegistrationPayment,
        { poleId: pole.id, registrationId: registration.id, method, reference, staffId: person.id, now },
        { now },
      );
      if (!result.ok) return refused(submission, result);
      return done("paiement");
    }
    case "fund": {
      const submission = parseWithZod(form, { schema: ConfirmFundingSchema });
      if (submission.status !== "success") return invalid(submission);
      const registration = await registrationOf(submission.value.registrationId);
      const result = await runCommand(
        confirmFunding,
        { poleId: pole.id, registrationId: registration.id, staffId: person.id, now },
        { now },
      );
      if (!result.ok) return refused(submission, result);
      return done("financement");
    }
    case "funder-paid": {
      const submission = parseWithZod(form, { schema: FunderPaidSchema });
      if (submission.status !== "success") return invalid(submission);
      const { registrationId, method, reference } = submission.value;
      const registration = await registrationOf(registrationId);
      const result = await runCommand(recordFunderPayment, {
        poleId: pole.id,
        registrationId: registration.id,
        method,
        reference,
        staffId: person.id,
        now,
      });
      if (!result.ok) return refused(submission, result);
      return done("financeur-paye");
    }
    case "cancel": {
      const submission = parseWithZod(form, { schema: CancelRegistrationSchema });
      if (submission.status !== "success") return invalid(submission);
      const registration = await registrationOf(submission.value.registrationId);
      const result = await runCommand(
        cancelRegistration,
        { poleId: pole.id, registrationId: registration.id, actor: { personId: person.id, staff: true }, now },
        { now },
      );
      if (!result.ok) return refused(submission, result);
      return done("annulee");
    }
    case "refund": {
      const submission = parseWithZod(form, { schema: RefundDoneSchema });
      if (submission.status !== "success") return invalid(submission);
      const refund = await db.refund.findFirst({
        where: {
          id: submission.value.refundId,
          poleId: pole.id,
          payment: { registration: { sessionId: session.id } },
        },
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
    case "trainee-type": {
      const submission = parseWithZod(form, { schema: TraineeTypeSchema });
      if (submission.status !== "success") return invalid(submission);
      const registration = await registrationOf(submission.value.registrationId);
      const result = await runCommand(setTraineeType, {
        poleId: pole.id,
        registrationId: registration.id,
        traineeType: submission.value.traineeType,
      });
      if (!result.ok) return refused(submission, result);
      return done("type");
    }
    case "grant": {
      const submission = parseWithZod(form, { schema: GrantSeatSchema });
      if (submission.status !== "success") return invalid(submission);
      const result = await runCommand(
        grantSeat,
        { poleId: pole.id, sessionId: session.id, ...submission.value, staffId: person.id, now },
        { now },
      );
      if (!result.ok) return refused(submission, result);
      return done("offerte");
    }
    case "confirm-session": {
      const submission = parseWithZod(form, { schema: ConfirmSessionSchema });
      if (submission.status !== "success") return invalid(submission);
      const result = await runCommand(confirmSession, {
        poleId: pole.id,
        sessionId: session.id,
        staffId: person.id,
        now,
      });
      if (!result.ok) return refused(submission, result);
      return done("maintenue");
    }
    case "cancel-session": {
      const submission = parseWithZod(form, { schema: CancelSessionSchema });
      if (submission.status !== "success") return invalid(submission);
      const result = await runCommand(
        cancelSession,
        { poleId: pole.id, sessionId: session.id, reason: submission.value.reason, staffId: person.id, now },
        { now },
      );
      if (!result.ok) return refused(submission, result);
      return done("session-annulee");
    }
    default:
      return httpError(400, "Cette action n'existe pas.");
  }
}

const REGISTRATION_TONES = {
  HELD: "waiting",
  OFFERED: "offered",
  CONFIRMED: "paid",
  CANCELLED: "muted",
  EXPIRED: "muted",
} as const;

export default function SessionRegistrations() {
  const { session, query, counts, csvHref, rows, askCancel } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  return (
    <>
      <DoneNotice message={actionData ? null : DONE[searchParams.get("fait") ?? ""]} />
      {session.open && !askCancel ? <Decision /> : null}
      {askCancel ? <CancelSession /> : null}
      <div className="title-row">
        <h2>Inscriptions</h2>
        <p className="link-row">
          <a href={csvHref} className="button button-secondary" download>
            Exporter en CSV
          </a>
        </p>
      </div>
      {session.open && !session.ended ? <GrantSeat /> : null}
      <Form method="get" className="filters" role="search" aria-label="Filtrer les inscriptions">
        <FilterSelect
          name="status"
          label="Statut"
          value={query.status}
          all={`Tous les statuts (${formatNumber(total)})`}
          options={REGISTRATION_STATUSES.map((s) => ({
            value: s,
            label: `${REGISTRATION_STATUS_LABELS[s]} (${formatNumber(counts[s] ?? 0)})`,
          }))}
        />
        <FilterSelect
          name="payer"
          label="Payeur"
          value={query.payer}
          all="Tous"
          options={PAYERS.map((p) => ({ value: p, label: PAYER_LABELS[p] }))}
        />
        <div className="field">
          <label htmlFor="q">Stagiaire</label>
          <input id="q" name="q" type="search" defaultValue={query.q ?? ""} placeholder="Nom ou email" />
        </div>
        <button type="submit" className="button button-secondary">
          Filtrer
        </button>
      </Form>
      {rows.length === 0 ? (
        <p className="notice">Aucune inscription ne correspond à ces critères.</p>
      ) : (
        <div className="table-scroll">
          <table className="table registrations-table">
            <caption className="visually-hidden">
              Inscriptions de la session, en cours d'abord, avec ce que l'équipe peut y enregistrer
            </caption>
            <thead>
              <tr>
                <th scope="col">Stagiaire</th>
                <th scope="col">Statut</th>
                <th scope="col" className="num">
                  Prix et payeur
                </th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <RegistrationRow key={r.id} registration={r} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <WaitingList />
    </>
  );
}

/**
 * The minimum decision. A scheduled session found under its minimum at its deadline asks for it in a highlighted
 * card; otherwise staff may still confirm it early or cancel it, from a quieter row.
 */
function Decision() {
  const { session } = useLoaderData<typeof loader>();
  const errors = allErrors(resultFor(useActionData<typeof action>(), "confirm-session"));
  const buttons = (
    <div className="link-row">
      {session.status === "SCHEDULED" ? (
        <IntentButton
          intent="confirm-session"
          className={`button button-small${session.flagged ? "" : " button-secondary"}`}
          pendingLabel="Confirmation…"
        >
          {session.flagged ? "Maintenir la session" : "Confirmer la session dès maintenant"}
        </IntentButton>
      ) : null}
      <Link to="?annuler#annulation" className="button button-secondary button-small">
        Annuler la session…
      </Link>
    </div>
  );
  if (!session.flagged)
    return (
      <div className="session-decision">
        <FormErrors errors={errors} />
        {buttons}
      </div>
    );
  return (
    <section className="card decision-card" aria-labelledby="decision">
      <h2 id="decision">Sous le minimum : maintenir ou annuler ?</h2>
      <p>
        {formatNumber(session.confirmed)} inscription(s) confirmée(s) pour un minimum de {formatNumber(session.minimum)}{" "}
        à la clôture des inscriptions. Personne n'annule une session automatiquement : maintenez-la (les inscrits
        gardent leur place) ou annulez-la (chacun est prévenu et remboursé).
      </p>
      <FormErrors errors={errors} />
      {buttons}
    </section>
  );
}

/** The confirmation step of a cancellation: who is refunded how, then the reason told to everyone. */
function CancelSession() {
  const { preview } = useLoaderData<typeof loader>();
  const reply = resultFor(useActionData<typeof action>(), "cancel-session");
  return (
    <section className="card cancel-preview" id="annulation" aria-labelledby="annulation-titre">
      <h2 id="annulation-titre">Annuler la session : ce qui va se passer</h2>
      <ul>
        <li>Chaque inscription en cours est annulée et sa place libérée ; les salles réservées sont rendues.</li>
        <li>
          Cartes : <strong>{formatCents(preview.cardCents)}</strong> remboursés par Stripe. Virements, chèques et
          espèces : <strong>{formatCents(preview.offlineCents)}</strong> à rembourser par l'équipe (listés sur chaque
          inscription). Factures des financeurs non réglées : {formatNumber(preview.creditNotes)} avoir(s).
        </li>
        <li>Chaque inscrit·e reçoit un email avec la raison ci-dessous. L'annulation ne se fait qu'une fois.</li>
      </ul>
      {preview.rows.length > 0 ? (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">Ce que l'annulation fait pour chaque inscription en cours</caption>
            <thead>
              <tr>
                <th scope="col">Stagiaire</th>
                <th scope="col">Statut</th>
                <th scope="col">Remboursement</th>
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.person}</th>
                  <td>{REGISTRATION_STATUS_LABELS[r.status]}</td>
                  <td>{r.outcome}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">Aucune inscription en cours : seules les salles sont libérées.</p>
      )}
      <IntentForm intent="cancel-session" className="form">
        <FormErrors errors={reply?.error?.[""] ?? undefined} />
        <div className="field">
          <label htmlFor="cancel-reason">Raison (envoyée aux inscrits)</label>
          <textarea
            id="cancel-reason"
            name="reason"
            rows={3}
            required
            aria-invalid={reply?.error?.reason ? true : undefined}
            aria-describedby={reply?.error?.reason ? "cancel-reason-error" : undefined}
          />
          <FieldErrors id="cancel-reason-error" errors={reply?.error?.reason ?? undefined} />
        </div>
        <div className="link-row">
          <SubmitButton className="button button-danger" pendingLabel="Annulation…">
            Annuler la session et rembourser
          </SubmitButton>
          <Link to=".">Ne pas annuler</Link>
        </div>
      </IntentForm>
    </section>
  );
}

/** A seat given by hand, with its reason: a confirmed registration at price 0. */
function GrantSeat() {
  const { session, people, peopleCapped, personQuery } = useLoaderData<typeof loader>();
  const reply = resultFor(useActionData<typeof action>(), "grant");
  const errors = reply?.error ?? undefined;
  return (
    <details className="card" open={Boolean(reply) || Boolean(personQuery)}>
      <summary>Offrir une place…</summary>
      {session.full ? (
        <p className="notice">La session est complète : aucune place ne peut être offerte.</p>
      ) : (
        <>
          <Form method="get" className="filters" role="search" aria-label="Chercher une personne">
            <div className="field">
              <label htmlFor="personne">Chercher une personne</label>
              <input
                id="personne"
                name="personne"
                type="search"
                defaultValue={personQuery}
                placeholder="Nom ou email"
              />
            </div>
            <button type="submit" className="button button-secondary">
              Chercher
            </button>
          </Form>
          <IntentForm intent="grant" className="form">
            <FormErrors errors={errors?.[""] ?? undefined} />
            <div className="form-row">
              <div className="field">
                <label htmlFor="grant-person">Personne</label>
                <select
                  id="grant-person"
                  name="personId"
                  defaultValue=""
                  aria-invalid={errors?.personId ? true : undefined}
                  aria-describedby={errors?.personId ? "grant-person-error" : undefined}
                >
                  <option value="">{people.length ? "Choisissez…" : "Aucune personne ne correspond"}</option>
                  {people.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.label}
                    </option>
                  ))}
                </select>
                {peopleCapped ? <p className="field-hint">Les 300 premières : cherchez pour affiner.</p> : null}
                <FieldErrors id="grant-person-error" errors={errors?.personId ?? undefined} />
              </div>
              <div className="field">
                <label htmlFor="grant-type">Type de stagiaire</label>
                <select id="grant-type" name="traineeType" defaultValue="INDIVIDUAL">
                  {TRAINEE_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {TRAINEE_TYPE_LABELS[t]}
                    </option>
                  ))}
                </select>
                <FieldErrors id="grant-type-error" errors={errors?.traineeType ?? undefined} />
              </div>
            </div>
            <div className="field">
              <label htmlFor="grant-reason">Pourquoi cette place est offerte</label>
              <input
                id="grant-reason"
                name="reason"
                type="text"
                maxLength={300}
                placeholder="Invité·e du formateur, bénévole, partenaire…"
                aria-invalid={errors?.reason ? true : undefined}
                aria-describedby={errors?.reason ? "grant-reason-error" : undefined}
              />
              <FieldErrors id="grant-reason-error" errors={errors?.reason ?? undefined} />
            </div>
            <p className="field-hint">
              L'inscription est confirmée à 0 € (sans facture) et la personne reçoit un email. La place compte dans la
              capacité comme les autres.
            </p>
            <SubmitButton className="button button-small" pendingLabel="Inscription…">
              Offrir la place
            </SubmitButton>
          </IntentForm>
        </>
      )}
    </details>
  );
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["rows"][number];

function RegistrationRow({ registration: r }: { registration: Row }) {
  const actionData = useActionData<typeof action>();
  const mine = (intent: string) => {
    const reply = resultFor(actionData, intent) as
      (ReturnType<typeof resultFor> & { initialValue?: { registrationId?: string; refundId?: string } }) | undefined;
    const target = reply?.initialValue?.registrationId ?? reply?.initialValue?.refundId;
    return target === r.id || r.pendingRefunds.some((f) => f.id === target) ? reply : undefined;
  };
  const pay = mine("pay");
  const funderPaid = mine("funder-paid");
  const cancel = mine("cancel");
  const traineeType = mine("trainee-type");
  const simpleErrors = [...(allErrors(mine("fund")) ?? []), ...(allErrors(mine("refund")) ?? [])];
  return (
    <tr>
      <th scope="row">
        <Link to={`/gestion/personnes/${r.person.id}`}>{r.person.name}</Link>
        <span className="cell-sub">
          {r.person.email} — {r.ref}
        </span>
        <span className="cell-sub">
          {TRAINEE_TYPE_LABELS[r.traineeType]} — inscrit·e le {formatDate(r.createdAt, "short")}
        </span>
      </th>
      <td>
        <LandBadge tone={REGISTRATION_TONES[r.status]} label={REGISTRATION_STATUS_LABELS[r.status]} />
        {r.status === "HELD" && r.holdExpiresAt ? (
          <span className="cell-sub">place tenue jusqu'au {formatDate(r.holdExpiresAt, "dateTime")}</span>
        ) : null}
        {r.method ? <span className="cell-sub">{r.method}</span> : null}
        {r.cancelledAt ? <span className="cell-sub">le {formatDate(r.cancelledAt, "short")}</span> : null}
        {r.grantedBy ? (
          <span className="cell-sub">
            offerte par {r.grantedBy} : {r.grantReason}
          </span>
        ) : null}
      </td>
      <td className="num">
        {formatCents(r.priceCents)}
        <span className="cell-sub">{r.rate}</span>
        <span className="cell-sub">
          {r.funder ? `${r.funder} (${r.funderType})` : `payé par ${r.payer.toLowerCase()}`}
        </span>
        {r.paidCents > 0 ? <span className="cell-sub">réglé {formatCents(r.paidCents)}</span> : null}
        {r.invoiceId ? (
          <span className="cell-sub">
            <Link to={`/gestion/factures/${r.invoiceId}`}>{r.invoiceNumber ?? "facture"}</Link>
          </span>
        ) : null}
      </td>
      <td>
        <div className="registration-actions">
          <FormErrors errors={simpleErrors.length ? simpleErrors : undefined} />
          {r.can.pay ? (
            <details open={Boolean(pay)}>
              <summary>Paiement reçu…</summary>
              <IntentForm intent="pay" values={{ registrationId: r.id }} className="form">
                <FormErrors errors={pay?.error?.[""] ?? undefined} />
                <p className="field-hint">
                  Montant : {formatCents(r.priceCents)}. L'inscription est confirmée et facturée.
                </p>
                <OfflinePaymentFields idPrefix={`paiement-${r.id}`} errors={pay?.error ?? undefined} />
                <SubmitButton className="button button-small" pendingLabel="Enregistrement…">
                  Enregistrer le paiement
                </SubmitButton>
              </IntentForm>
            </details>
          ) : null}
          {r.can.funderPaid ? (
            <details open={Boolean(funderPaid)}>
              <summary>Règlement du financeur reçu…</summary>
              <IntentForm intent="funder-paid" values={{ registrationId: r.id }} className="form">
                <FormErrors errors={funderPaid?.error?.[""] ?? undefined} />
                <p className="field-hint">
                  Facture {r.invoiceNumber} à {r.funder} : {formatCents(r.priceCents)}.
                </p>
                <OfflinePaymentFields idPrefix={`financeur-${r.id}`} errors={funderPaid?.error ?? undefined} />
                <SubmitButton className="button button-small" pendingLabel="Enregistrement…">
                  Enregistrer le règlement
                </SubmitButton>
              </IntentForm>
            </details>
          ) : null}
          {r.can.fund ? (
            <IntentButton intent="fund" values={{ registrationId: r.id }} className="button button-small">
              Convention reçue : confirmer
            </IntentButton>
          ) : null}
          {r.pendingRefunds.map((f) => (
            <IntentButton key={f.id} intent="refund" values={{ refundId: f.id }}>
              Remboursement fait ({formatCents(f.amountCents)}, {f.method.toLowerCase()})
            </IntentButton>
          ))}
          {r.can.cancel ? (
            <details open={Boolean(cancel)}>
              <summary>Annuler…</summary>
              <IntentForm intent="cancel" values={{ registrationId: r.id }} className="form">
                <FormErrors errors={allErrors(cancel)} />
                <p className="field-hint">{r.outcome ?? "La place est libérée."} La personne est prévenue par email.</p>
                <SubmitButton className="button button-danger button-small" pendingLabel="Annulation…">
                  Confirmer l'annulation
                </SubmitButton>
              </IntentForm>
            </details>
          ) : null}
          {r.status !== "CANCELLED" && r.status !== "EXPIRED" ? (
            <details open={Boolean(traineeType)}>
              <summary>Type de stagiaire…</summary>
              <IntentForm intent="trainee-type" values={{ registrationId: r.id }} className="form">
                <FormErrors errors={allErrors(traineeType)} />
                <div className="field">
                  <label htmlFor={`type-${r.id}`}>Pour le bilan annuel</label>
                  <select id={`type-${r.id}`} name="traineeType" defaultValue={r.traineeType}>
                    {TRAINEE_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {TRAINEE_TYPE_LABELS[t]}
                      </option>
                    ))}
                  </select>
                </div>
                <SubmitButton className="button button-secondary button-small" pendingLabel="Enregistrement…">
                  Enregistrer
                </SubmitButton>
              </IntentForm>
            </details>
          ) : null}
        </div>
      </td>
    </tr>
  );
}

/**
 * The session's waiting list, in the engine's order (read only here: the engine offers a freed seat by itself, and
 * a seat given by hand ends the person's wait).
 */
function WaitingList() {
  const { waiting } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="attente">
      <h2 id="attente">Liste d'attente</h2>
      {waiting.length === 0 ? (
        <p className="muted">Personne n'attend une place pour cette session.</p>
      ) : (
        <ol className="waiting-list">
          {waiting.map((w) => (
            <li key={w.id}>
              <Link to={`/gestion/personnes/${w.personId}`}>{w.person}</Link>{" "}
              <span className="muted">
                — inscrit·e le {formatDate(w.joinedAt, "short")}
                {w.status === "OFFERED" && w.offerExpiresAt
                  ? `, place proposée jusqu'au ${formatDate(w.offerExpiresAt, "dateTime")}`
                  : ""}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
