import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CampaignBadge, FundingBar } from "~/components/crowdfunding-admin";
import { staffCampaigns } from "~/domain/crowdfunding/index.server";
import { CAMPAIGN_MODE_LABELS } from "~/domain/crowdfunding/staff-labels";
import { db } from "~/utils/db.server";
import { formatCents, formatDate } from "~/utils/format";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Financement participatif — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "crowdfunding:manage");
  const campaigns = await staffCampaigns(db, pole.id);
  return json({
    campaigns: campaigns.map((c) => ({
      id: c.id,
      title: c.title,
      slug: c.slug,
      status: c.status,
      mode: CAMPAIGN_MODE_LABELS[c.mode],
      startsAt: c.startsAt.toISOString(),
      endsAt: c.endsAt.toISOString(),
      goalCents: c.goalCents,
      minimumCents: c.minimumCents,
      // A closed campaign shows its frozen figures; a live one its counters.
      pledgedCents: c.finalPledgedCents ?? c.pledgedCents,
      collectedCents: c.finalCollectedCents ?? c.collectedCents,
      count: c.finalCount ?? c.pledgeCount,
      tiers: c._count.tiers,
    })),
  });
}

export default function Campaigns() {
  const { campaigns } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="title-row">
        <h1>Campagnes de financement</h1>
        <p className="link-row">
          <Link to="/gestion/financement/associes" className="button button-secondary">
            Registre des associés
          </Link>
          <Link to="/gestion/financement/nouvelle" className="button">
            Nouvelle campagne
          </Link>
        </p>
      </div>
      {campaigns.length === 0 ? (
        <p className="notice">
          Aucune campagne pour l'instant. <Link to="/gestion/financement/nouvelle">Créer la première</Link>.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table campaigns-table">
            <caption className="visually-hidden">
              Les campagnes du pôle : en cours d'abord, puis les brouillons, puis les campagnes terminées
            </caption>
            <thead>
              <tr>
                <th scope="col">Campagne</th>
                <th scope="col">Statut</th>
                <th scope="col">Progression</th>
                <th scope="col" className="num">
                  Objectif
                </th>
                <th scope="col">Période (heure de Paris)</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to={`/gestion/financement/${c.id}`}>{c.title}</Link>
                    <span className="cell-sub">
                      {c.mode} — {c.tiers} contrepartie(s)
                    </span>
                  </th>
                  <td>
                    <CampaignBadge status={c.status} />
                  </td>
                  <td>
                    <FundingBar
                      pledgedCents={c.pledgedCents}
                      collectedCents={c.collectedCents}
                      goalCents={c.goalCents}
                      minimumCents={c.minimumCents}
                      count={c.count}
                    />
                  </td>
                  <td className="num">{formatCents(c.goalCents)}</td>
                  <td>
                    du {formatDate(c.startsAt, "short")}
                    <span className="cell-sub">au {formatDate(c.endsAt, "dateTime")}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
