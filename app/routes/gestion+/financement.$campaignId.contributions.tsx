import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { PledgeBadge } from "~/components/crowdfunding-admin";
import { allErrors, FieldErrors, FormErrors, IntentButton, IntentForm, SubmitButton } from "~/components/forms";
import { Pagination } from "~/components/pagination";
import { DoneNotice, FilterSelect, OfflinePaymentFields, resultFor } from "~/components/spaces-admin";
import { runCommand } from "~/domain/commands.server";
import {
  AdmitSchema,
  ConfirmReceivedSchema,
  DeliverSchema,
  DeliverTierSchema,
  parsePledgeQuery,
  pledgeQueryString,
  RefundSchema,
} from "~/domain/crowdfunding/admin-schemas";
import {
  admitShares,
  confirmPledgeReceived,
  markRewardsDelivered,
  recordPledgeRefund,
  staffPledges,
} from "~/domain/crowdfunding/index.server";
import {
  PLEDGE_METHOD_LABELS,
  PLEDGE_METHODS,
  PLEDGE_STATUS_LABELS,
  PLEDGE_STATUSES,
  TIER_KIND_LABELS,
} from "~/domain/crowdfunding/staff-labels";
import { parisDate } from "~/domain/ledger/index.server";
import { centsToInput } from "~/domain/ledger/schemas";
import { refusedOn } from "~/utils/crowdfunding-forms.server";
import { db } from "~/utils/db.server";
import { formatCents, formatDate, formatNumber } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Contributions — Gestion" }];

const DONE: Record<string, string> = {
  recue: "Réception enregistrée : le montant reçu est porté sur la contribution.",
  remboursee: "Remboursement enregistré.",
  remise: "Contrepartie marquée remise.",
  admise: "Admission enregistrée : la personne est associée et figure au registre.",
};

async function campaignOf(poleId: string, campaignId: string | undefined) {
  const campaign = await db.campaign.findFirst({
    where: { id: campaignId ?? "", poleId },
    include: { tiers: { orderBy: [{ position: "asc" }, { createdAt: "asc" }] } },
  });
  if (!campaign) httpError(404, "Cette campagne n'existe pas.");
  return campaign;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "crowdfunding:manage");
  const campaign = await campaignOf(pole.id, params.campaignId);
  const query = parsePledgeQuery(new URL(request.url).searchParams);
  const notices: string[] = [];
  if (query.tier && !campaign.tiers.some((t) => t.id === query.tier)) {
    notices.push("Cette contrepartie n'est pas de la campagne : toutes sont affichées.");
    delete query.tier;
  }
  const { rows, total, page, pageCount } = await staffPledges(db, {
    poleId: pole.id,
    campaignId: campaign.id,
    status: query.status,
    tierId: query.tier,
    method: query.method,
    q: query.q,
    page: query.page,
  });
  // What staff may record on a pledge follows its state and its campaign's: the domain refuses the rest anyway.
  const won = campaign.status === "SUCCEEDED" || (campaign.mode === "KEEP_IT_ALL" && campaign.status !== "DRAFT");
  return json({
    campaign: { id: campaign.id, status: campaign.status },
    query,
    notices,
    total,
    page,
    pageCount,
    today: parisDate(new Date()),
    csvHref: `/gestion/financement/${campaign.id}/contributions.csv?${pledgeQueryString({ ...query, page: undefined })}`,
    tiers: campaign.tiers.map((t) => ({ id: t.id, name: t.name, kind: t.kind })),
    deliverableTiers: won
      ? campaign.tiers.filter((t) => t.kind === "REWARD").map((t) => ({ id: t.id, name: t.name }))
      : [],
    rows: rows.map((p) => {
      const offline = p.method === "TRANSFER" || p.method === "CHEQUE" || p.method === "CASH";
      const dueCents = p.amountCents + p.giftCents - p.collectedCents;
      return {
        id: p.id,
        createdAt: p.createdAt.toISOString(),
        person: p.person.name,
        personId: p.person.id,
        email: p.person.email,
        anonymous: p.anonymous,
        tier: p.tier ? `${p.tier.name}` : "Montant libre",
        kind: p.tier ? TIER_KIND_LABELS[p.tier.kind] : "",
        shares: p.shares,
        amountCents: p.amountCents,
        giftCents: p.giftCents,
        collectedCents: p.collectedCents,
        status: p.status,
        method: PLEDGE_METHOD_LABELS[p.method],
        // The receipt form starts from the method the contributor announced.
        announced: offline ? p.method : undefined,
        graceEndsAt: p.graceEndsAt?.toISOString() ?? null,
        fulfilledAt: p.fulfilledAt?.toISOString() ?? null,
        admittedAt: p.admittedAt?.toISOString() ?? null,
        dueInput: centsToInput(Math.max(dueCents, 0)),
        can: {
          confirm: offline && (p.status === "SECURED" || p.status === "ACTION_REQUIRED") && dueCents > 0,
          refund: campaign.status === "FAILED" && p.collectedCents > 0 && p.status !== "REFUNDED",
          // Rewards and shares are the campaign's once its money is recognised (won, or kept as it came in).
          deliver: p.tier?.kind === "REWARD" && p.status === "COLLECTED" && Boolean(p.recognisedAt) && !p.fulfilledAt,
          admit: p.tier?.kind === "SHARE" && p.status === "COLLECTED" && Boolean(p.recognisedAt) && !p.admittedAt,
        },
      };
    }),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole, person } = await requirePermission(request, "crowdfunding:manage");
  const campaign = await campaignOf(pole.id, params.campaignId);
  const form = await readForm(request);
  const now = new Date();
  const staff = { poleId: pole.id, staffId: person.id, now };
  // Back to the list as it was filtered, with the notice of what was done.
  const done = (what: string) => {
    const back = new URL(request.url).searchParams;
    back.set("fait", what);
    return redirect(`/gestion/financement/${campaign.id}/contributions?${back}`);
  };
  // A pledge of another campaign (or pole) is not found here, whatever its id.
  const pledgeOf = async (pledgeId: string) =>
    (await db.pledge.findFirst({ where: { id: pledgeId, campaignId: campaign.id }, select: { id: true } })) ??
    httpError(404, "Cette contribution n'existe pas.");

  switch (form.get("intent")) {
    case "confirm": {
      const submission = parseWithZod(form, { schema: ConfirmReceivedSchema });
      if (submission.status !== "success") return invalid(submission);
      const { pledgeId, method, reference, amount } = submission.value;
      const result = await runCommand(
        confirmPledgeReceived,
        { ...staff, pledgeId: (await pledgeOf(pledgeId)).id, method, reference, amountCents: amount },
        { now },
      );
      if (!result.ok) return refusedOn(submission, result, { amountCents: "amount" });
      return done("recue");
    }
    case "refund": {
      const submission = parseWithZod(form, { schema: RefundSchema });
      if (submission.status !== "success") return invalid(submission);
      const pledge = await pledgeOf(submission.value.pledgeId);
      const result = await runCommand(recordPledgeRefund, { ...staff, pledgeId: pledge.id }, { now });
      if (!result.ok) return refused(submission, result);
      return done("remboursee");
    }
    case "deliver": {
      const submission = parseWithZod(form, { schema: DeliverSchema });
      if (submission.status !== "success") return invalid(submission);
      const pledge = await pledgeOf(submission.value.pledgeId);
      const result = await runCommand(
        markRewardsDelivered,
        { ...staff, campaignId: campaign.id, pledgeIds: [pledge.id] },
        { now },
      );
      if (!result.ok) return refused(submission, result);
      return done("remise");
    }
    case "deliver-tier": {
      const submission = parseWithZod(form, { schema: DeliverTierSchema });
      if (submission.status !== "success") return invalid(submission);
      const tier = campaign.tiers.find((t) => t.id === submission.value.tierId);
      if (!tier) return httpError(404, "Cette contrepartie n'existe pas.");
      const result = await runCommand(
        markRewardsDelivered,
        { ...staff, campaignId: campaign.id, tierId: tier.id },
        { now },
      );
      if (!result.ok) return refused(submission, result);
      return done("remise");
    }
    case "admit": {
      const submission = parseWithZod(form, { schema: AdmitSchema });
      if (submission.status !== "success") return invalid(submission);
      const { pledgeId, admittedOn } = submission.value;
      const result = await runCommand(
        admitShares,
        { ...staff, pledgeId: (await pledgeOf(pledgeId)).id, admittedOn },
        { now },
      );
      if (!result.ok) return refused(submission, result);
      return done("admise");
    }
    default:
      return httpError(400, "Cette action n'existe pas.");
  }
}

export default function Contributions() {
  const { campaign, query, notices, total, page, pageCount, csvHref, tiers, deliverableTiers, rows } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  return (
    <>
      <div className="title-row">
        <h2>Contributions</h2>
        <p className="link-row">
          <a href={csvHref} className="button button-secondary" download>
            Exporter en CSV
          </a>
        </p>
      </div>
      <DoneNotice message={actionData ? null : DONE[searchParams.get("fait") ?? ""]} />
      {notices.map((n) => (
        <p key={n} className="notice" role="status">
          {n}
        </p>
      ))}
      {deliverableTiers.length > 0 ? <DeliverTier tiers={deliverableTiers} /> : null}
      <Form method="get" className="filters" role="search" aria-label="Filtrer les contributions">
        <FilterSelect
          name="status"
          label="Statut"
          value={query.status}
          all="Tous les statuts"
          options={PLEDGE_STATUSES.map((s) => ({ value: s, label: PLEDGE_STATUS_LABELS[s] }))}
        />
        <FilterSelect
          name="tier"
          label="Contrepartie"
          value={query.tier}
          all="Toutes"
          options={tiers.map((t) => ({ value: t.id, label: t.name }))}
        />
        <FilterSelect
          name="method"
          label="Paiement"
          value={query.method}
          all="Tous"
          options={PLEDGE_METHODS.map((m) => ({ value: m, label: PLEDGE_METHOD_LABELS[m] }))}
        />
        <div className="field">
          <label htmlFor="q">Contributeur</label>
          <input id="q" name="q" type="search" defaultValue={query.q ?? ""} placeholder="Nom ou email" />
        </div>
        <button type="submit" className="button button-secondary">
          Filtrer
        </button>
      </Form>
      <p className="muted">{formatNumber(total)} contribution(s).</p>
      {rows.length === 0 ? (
        <p className="notice">Aucune contribution ne correspond à ces critères.</p>
      ) : (
        <div className="table-scroll">
          <table className="table pledges-table">
            <caption className="visually-hidden">
              Contributions de la campagne, les plus récentes d'abord, avec ce que l'équipe peut y enregistrer
            </caption>
            <thead>
              <tr>
                <th scope="col">Contributeur</th>
                <th scope="col">Contrepartie</th>
                <th scope="col" className="num">
                  Montant
                </th>
                <th scope="col">Statut</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <PledgeRow key={r.id} pledge={r} campaignId={campaign.id} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pageCount={pageCount} filter={query} />
    </>
  );
}

function DeliverTier({ tiers }: { tiers: { id: string; name: string }[] }) {
  const errors = allErrors(resultFor(useActionData<typeof action>(), "deliver-tier"));
  return (
    <section className="card" aria-labelledby="remise-palier">
      <h3 id="remise-palier">Remise des contreparties</h3>
      <FormErrors errors={errors} />
      <IntentForm intent="deliver-tier" className="deliver-tier-form">
        <div className="field">
          <label htmlFor="deliver-tier">Contrepartie dont toutes les contributions encaissées sont remises</label>
          <select id="deliver-tier" name="tierId" defaultValue={tiers[0]?.id}>
            {tiers.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <SubmitButton className="button button-secondary button-small" pendingLabel="Enregistrement…">
          Marquer remises
        </SubmitButton>
      </IntentForm>
    </section>
  );
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["rows"][number];

function PledgeRow({ pledge: p }: { pledge: Row; campaignId: string }) {
  const { today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const mine = (intent: string) => {
    const reply = resultFor(actionData, intent) as
      (ReturnType<typeof resultFor> & { initialValue?: { pledgeId?: string } }) | undefined;
    return reply?.initialValue?.pledgeId === p.id ? reply : undefined;
  };
  const confirm = mine("confirm");
  const refund = mine("refund");
  const admit = mine("admit");
  const deliverErrors = allErrors(mine("deliver"));
  return (
    <tr>
      <th scope="row">
        <Link to={`/gestion/personnes/${p.personId}`}>{p.person}</Link>
        {p.anonymous ? <span className="badge land-badge land-badge-muted">anonyme</span> : null}
        <span className="cell-sub">
          {p.email} — le {formatDate(p.createdAt, "short")}
        </span>
      </th>
      <td>
        {p.tier}
        <span className="cell-sub">
          {p.kind}
          {p.shares ? ` — ${formatNumber(p.shares)} part(s)` : ""}
        </span>
      </td>
      <td className="num">
        {formatCents(p.amountCents + p.giftCents)}
        {p.giftCents > 0 ? <span className="cell-sub">dont {formatCents(p.giftCents)} de don</span> : null}
        <span className="cell-sub">reçu {formatCents(p.collectedCents)}</span>
      </td>
      <td>
        <PledgeBadge status={p.status} />
        <span className="cell-sub">{p.method}</span>
        {p.graceEndsAt && p.status === "ACTION_REQUIRED" ? (
          <span className="cell-sub">à régler avant le {formatDate(p.graceEndsAt, "short")}</span>
        ) : null}
        {p.fulfilledAt ? <span className="cell-sub">remise le {formatDate(p.fulfilledAt, "short")}</span> : null}
        {p.admittedAt ? <span className="cell-sub">admise le {formatDate(p.admittedAt, "short")}</span> : null}
      </td>
      <td>
        <div className="pledge-actions">
          {p.can.confirm ? (
            <details open={Boolean(confirm)}>
              <summary>Paiement reçu…</summary>
              <IntentForm intent="confirm" values={{ pledgeId: p.id }} className="form">
                <FormErrors errors={confirm?.error?.[""] ?? undefined} />
                <div className="field">
                  <label htmlFor={`recu-${p.id}-amount`}>Montant effectivement reçu (€)</label>
                  <input
                    id={`recu-${p.id}-amount`}
                    name="amount"
                    type="text"
                    inputMode="decimal"
                    defaultValue={p.dueInput}
                    aria-invalid={confirm?.error?.amount ? true : undefined}
                    aria-describedby={confirm?.error?.amount ? `recu-${p.id}-amount-error` : undefined}
                  />
                  <FieldErrors id={`recu-${p.id}-amount-error`} errors={confirm?.error?.amount ?? undefined} />
                </div>
                <OfflinePaymentFields
                  idPrefix={`recu-${p.id}`}
                  errors={confirm?.error ?? undefined}
                  defaults={{ method: p.announced }}
                />
                <SubmitButton className="button button-small" pendingLabel="Enregistrement…">
                  Enregistrer la réception
                </SubmitButton>
              </IntentForm>
            </details>
          ) : null}
          {p.can.refund ? (
            <>
              <FormErrors errors={allErrors(refund)} />
              <IntentButton intent="refund" values={{ pledgeId: p.id }}>
                Remboursement fait ({formatCents(p.collectedCents)})
              </IntentButton>
            </>
          ) : null}
          {p.can.deliver ? (
            <>
              <FormErrors errors={deliverErrors} />
              <IntentButton intent="deliver" values={{ pledgeId: p.id }}>
                Marquer remise
              </IntentButton>
            </>
          ) : null}
          {p.can.admit ? (
            <details open={Boolean(admit)}>
              <summary>Admission…</summary>
              <IntentForm intent="admit" values={{ pledgeId: p.id }} className="form">
                <FormErrors errors={admit?.error?.[""] ?? undefined} />
                <div className="field">
                  <label htmlFor={`admis-${p.id}`}>Admise par le conseil le</label>
                  <input
                    id={`admis-${p.id}`}
                    name="admittedOn"
                    type="date"
                    defaultValue={today}
                    aria-invalid={admit?.error?.admittedOn ? true : undefined}
                    aria-describedby={admit?.error?.admittedOn ? `admis-${p.id}-error` : undefined}
                  />
                  <FieldErrors id={`admis-${p.id}-error`} errors={admit?.error?.admittedOn ?? undefined} />
                </div>
                <SubmitButton className="button button-small" pendingLabel="Enregistrement…">
                  Enregistrer l'admission
                </SubmitButton>
              </IntentForm>
            </details>
          ) : null}
          {!p.can.confirm && !p.can.refund && !p.can.deliver && !p.can.admit ? <span className="muted">—</span> : null}
        </div>
      </td>
    </tr>
  );
}
