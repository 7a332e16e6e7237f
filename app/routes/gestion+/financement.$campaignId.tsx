import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { CampaignBadge, FundingBar } from "~/components/crowdfunding-admin";
import { CAMPAIGN_MODE_LABELS } from "~/domain/crowdfunding/staff-labels";
import { db } from "~/utils/db.server";
import { formatCents, formatDate, formatNumber } from "~/utils/format";
import { httpError } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

// One campaign in the back office: its head (status, progress, dates) above three tabs — the campaign itself
// (its text, goal, tiers, publishing and closing), its contributions, its news.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "crowdfunding:manage");
  const campaign = await db.campaign.findFirst({
    where: { id: params.campaignId ?? "", poleId: pole.id },
    include: { _count: { select: { pledges: true, news: true } } },
  });
  if (!campaign) httpError(404, "Cette campagne n'existe pas.");
  return json({
    campaign: {
      id: campaign.id,
      title: campaign.title,
      slug: campaign.slug,
      status: campaign.status,
      mode: CAMPAIGN_MODE_LABELS[campaign.mode],
      imageUrl: campaign.imageUrl,
      startsAt: campaign.startsAt.toISOString(),
      endsAt: campaign.endsAt.toISOString(),
      closedAt: campaign.closedAt?.toISOString() ?? null,
      goalCents: campaign.goalCents,
      minimumCents: campaign.minimumCents,
      optimumCents: campaign.optimumCents,
      pledgedCents: campaign.finalPledgedCents ?? campaign.pledgedCents,
      collectedCents: campaign.finalCollectedCents ?? campaign.collectedCents,
      count: campaign.finalCount ?? campaign.pledgeCount,
      pledges: campaign._count.pledges,
      news: campaign._count.news,
    },
  });
}

export default function CampaignLayout() {
  const { campaign: c } = useLoaderData<typeof loader>();
  const path = useLocation().pathname.replace(/\/$/, "");
  const base = `/gestion/financement/${c.id}`;
  const tabs = [
    { to: base, label: "Campagne", active: path === base },
    {
      to: `${base}/contributions`,
      label: `Contributions (${formatNumber(c.pledges)})`,
      active: path === `${base}/contributions`,
    },
    { to: `${base}/actualites`, label: `Actualités (${formatNumber(c.news)})`, active: path === `${base}/actualites` },
  ];
  return (
    <>
      <p>
        <Link to="/gestion/financement">← Toutes les campagnes</Link>
      </p>
      <div className="campaign-head">
        <div>
          <div className="title-row">
            <h1>{c.title}</h1>
            <CampaignBadge status={c.status} />
          </div>
          <p className="muted">
            {c.mode} — objectif {formatCents(c.goalCents)}
            {c.minimumCents ? `, minimum ${formatCents(c.minimumCents)}` : ""}
            {c.optimumCents ? `, optimum ${formatCents(c.optimumCents)}` : ""} — du {formatDate(c.startsAt, "dateTime")}{" "}
            au {formatDate(c.endsAt, "dateTime")} (heure de Paris)
            {c.closedAt ? ` — close le ${formatDate(c.closedAt, "dateTime")}` : ""}
          </p>
          <FundingBar
            pledgedCents={c.pledgedCents}
            collectedCents={c.collectedCents}
            goalCents={c.goalCents}
            minimumCents={c.minimumCents}
            count={c.count}
          />
          {c.status !== "DRAFT" ? (
            <p className="link-row">
              <Link to={`/financement/${c.slug}`}>Page publique</Link>
            </p>
          ) : null}
        </div>
        {c.imageUrl ? <img src={c.imageUrl} alt="" width={200} height={125} /> : null}
      </div>
      <nav aria-label="Sections de la campagne" className="ledger-tabs">
        <ul>
          {tabs.map((t) => (
            <li key={t.to}>
              <Link to={t.to} aria-current={t.active ? "page" : undefined}>
                {t.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
