import { getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, useValidatedForm } from "~/components/forms";
import { PoleRulesForm } from "~/components/spaces-admin";
import { hectares, LandBadge, PLOT_TONES } from "~/components/land-admin";
import { LandSettingsSchema } from "~/domain/leasing/admin-schemas";
import { landOverview, PLOT_STATUS_LABELS, saveLandSettings } from "~/domain/leasing/index.server";
import { KIND_LABELS } from "~/domain/leasing/rules";
import { parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { formatCents, formatNumber } from "~/utils/format";
import { invalid } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";
import { can, requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Terres et baux — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, membership } = await requirePermission(request, "land:manage");
  const now = new Date();
  const { plots, counts } = await landOverview(db, { poleId: pole.id, today: parisDate(now), now });
  const holders = new Map(
    (
      await db.person.findMany({
        where: { id: { in: plots.flatMap((p) => (p.lease ? [p.lease.holderId] : [])) } },
        select: { id: true, name: true },
      })
    ).map((p) => [p.id, p.name]),
  );
  return json({
    counts,
    totalM2: plots.filter((p) => p.active).reduce((sum, p) => sum + p.surfaceM2, 0),
    plots: plots.map((p) => ({
      id: p.id,
      code: p.code,
      name: p.name,
      surfaceM2: p.surfaceM2,
      soil: p.soil,
      rentPerHectareCents: p.rentPerHectareCents,
      active: p.active,
      status: p.status,
      statusLabel: PLOT_STATUS_LABELS[p.status],
      lease: p.lease
        ? {
            id: p.lease.id,
            holder: holders.get(p.lease.holderId) ?? "",
            kind: KIND_LABELS[p.lease.kind],
            endsOn: p.lease.endsOn,
          }
        : null,
    })),
    canEdit: can(membership.role, "settings:edit"),
    settings: {
      offerDays: String(pole.offerDays),
      reconfirmMonths: String(pole.reconfirmMonths),
      reconfirmGraceDays: String(pole.reconfirmGraceDays),
      landRentVatOptIn: pole.landRentVatOptIn ? "on" : "",
    },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "settings:edit");
  const submission = parseWithZod(await readForm(request), { schema: LandSettingsSchema });
  if (submission.status !== "success") return invalid(submission);
  await saveLandSettings(db, pole.id, submission.value);
  return json({ ...submission.reply(), saved: true as const });
}

export default function LandOverview() {
  const { counts, plots, totalM2 } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="title-row">
        <h1>Terres et baux</h1>
        <Link to="/gestion/terres/parcelles/nouvelle" className="button">
          Ajouter une parcelle
        </Link>
      </div>
      <ul className="stat-grid land-stats">
        <li className="card stat">
          <span className="stat-value">{formatNumber(counts.free)}</span>
          <span className="stat-label">
            parcelle(s) libre(s) — {formatNumber(counts.offered)} proposée(s), {formatNumber(counts.leased)} louée(s)
          </span>
          <Link to="/terres">Voir le plan public</Link>
        </li>
        <li className="card stat">
          <span className="stat-value">{formatNumber(counts.waiting)}</span>
          <span className="stat-label">candidature(s) en attente</span>
          <Link to="/gestion/terres/candidatures?status=QUEUED">Voir la file</Link>
        </li>
        <li className="card stat">
          <span className="stat-value">{formatNumber(counts.offers)}</span>
          <span className="stat-label">proposition(s) en attente de réponse</span>
          <Link to="/gestion/terres/baux?status=OFFERED">Voir les propositions</Link>
        </li>
        <li className="card stat">
          <span className="stat-value">{formatNumber(counts.overdue)}</span>
          <span className="stat-label">
            échéance(s) impayée(s){counts.overdue > 0 ? ` — ${formatCents(counts.overdueCents)}` : ""}
          </span>
          <Link to="/gestion/terres/impayes">Voir les impayés</Link>
        </li>
      </ul>

      <h2>Parcelles</h2>
      {plots.length === 0 ? (
        <p className="notice">
          Aucune parcelle pour l'instant : <Link to="/gestion/terres/parcelles/nouvelle">ajoutez la première</Link>,
          avec sa forme sur le plan du site.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table plots-table">
            <caption className="visually-hidden">Parcelles du pôle, leur état et leur bail en cours</caption>
            <thead>
              <tr>
                <th scope="col">Parcelle</th>
                <th scope="col" className="num">
                  Surface
                </th>
                <th scope="col" className="num">
                  Loyer indicatif
                  <span className="th-sub">par ha et par an</span>
                </th>
                <th scope="col">État</th>
                <th scope="col">Bail en cours</th>
              </tr>
            </thead>
            <tbody>
              {plots.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link to={`/gestion/terres/parcelles/${p.id}`}>{p.code}</Link>
                    {p.name ? <span className="cell-sub">{p.name}</span> : null}
                  </th>
                  <td className="num">
                    {hectares(p.surfaceM2)}
                    <span className="cell-sub">{formatNumber(p.surfaceM2)} m²</span>
                  </td>
                  <td className="num">{formatCents(p.rentPerHectareCents)}</td>
                  <td>
                    {p.active ? (
                      <LandBadge tone={PLOT_TONES[p.status]} label={p.statusLabel} />
                    ) : (
                      <LandBadge tone="muted" label="Masquée" />
                    )}
                  </td>
                  <td>
                    {p.lease ? (
                      <>
                        <Link to={`/gestion/terres/baux/${p.lease.id}`}>{p.lease.holder}</Link>
                        <span className="cell-sub">{p.lease.kind}</span>
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total visible</th>
                <td className="num">{hectares(totalM2)}</td>
                <td colSpan={3} />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      <SettingsForm />
    </>
  );
}

function SettingsForm() {
  const { canEdit, settings } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useValidatedForm(LandSettingsSchema, { lastResult, defaultValue: settings });
  return (
    <PoleRulesForm
      form={form}
      lastResult={lastResult}
      canEdit={canEdit}
      legendId="reglages-terres"
      legend="Règles des terres du pôle"
    >
      <div className="form-row form-row-3">
        <Field
          meta={fields.offerDays}
          label="Délai pour répondre à une proposition (jours)"
          type="number"
          hint="Passé ce délai, la parcelle va à la candidature suivante."
        />
        <Field
          meta={fields.reconfirmMonths}
          label="Reconfirmation de la candidature (tous les … mois)"
          type="number"
          hint="Un email avec un lien de confirmation en un clic."
        />
        <Field
          meta={fields.reconfirmGraceDays}
          label="Délai de grâce (jours)"
          type="number"
          hint="Sans confirmation dans ce délai, la candidature sort de la file."
        />
      </div>
      <div className="field field-checkbox">
        <input {...getInputProps(fields.landRentVatOptIn, { type: "checkbox" })} key={fields.landRentVatOptIn.key} />
        <label htmlFor={fields.landRentVatOptIn.id}>Le pôle a opté pour la TVA sur les fermages (20 %)</label>
      </div>
      <p className="field-hint">
        Sans option, les loyers sont exonérés (article 261 D 1° du CGI). Le choix vaut pour les propositions faites
        ensuite.
      </p>
    </PoleRulesForm>
  );
}
