import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ProgressBlock } from "~/components/crowdfunding/progress";
import { OfferIcon } from "~/components/offer-icon";
import { offerAt } from "~/components/offers";
import { listCampaigns } from "~/domain/crowdfunding/index.server";
import { MODE_LABELS } from "~/domain/crowdfunding/labels";
import { getViewer } from "~/utils/auth.server";
import { db } from "~/utils/db.server";

const offer = offerAt("/financement");

export const meta: MetaFunction = () => [{ title: `${offer.title} — Terrain Commun` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await getViewer(request);
  const now = new Date();
  const { live, past } = await listCampaigns(db, { poleId: pole.id, now });
  const card = (c: (typeof live)[number]) => ({
    slug: c.slug,
    title: c.title,
    summary: c.summary,
    imageUrl: c.imageUrl,
    mode: c.mode,
    phase: c.phase,
    startsAt: c.startsAt.toISOString(),
    endsAt: c.endsAt.toISOString(),
    progress: c.progress,
  });
  return json({ now: now.toISOString(), live: live.map(card), past: past.map(card) });
}

type Card = ReturnType<typeof useLoaderData<typeof loader>>["live"][number];

export default function Campaigns() {
  const { live, past, now } = useLoaderData<typeof loader>();
  return (
    <div>
      <p className="eyebrow">Offre du pôle</p>
      <h1>{offer.title}</h1>
      <p className="lead">
        Soutenez les projets du pôle par un don, une contrepartie (un carnet de coworking, une formation, des produits
        du site…) ou en devenant sociétaire de la SCIC avec des parts sociales.
      </p>
      <section aria-labelledby="en-cours">
        <h2 id="en-cours">Campagnes en cours</h2>
        {live.length === 0 ? (
          <p className="card muted">Aucune campagne n'est ouverte pour le moment. Revenez bientôt !</p>
        ) : (
          <ul className="cf-grid cf-grid-live">
            {live.map((c) => (
              <CampaignCard key={c.slug} campaign={c} now={now} />
            ))}
          </ul>
        )}
      </section>
      {past.length ? (
        <section aria-labelledby="passees">
          <h2 id="passees">Campagnes passées</h2>
          <ul className="cf-grid">
            {past.map((c) => (
              <CampaignCard key={c.slug} campaign={c} now={now} />
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function CampaignCard({ campaign: c, now }: { campaign: Card; now: string }) {
  const titleId = `campagne-${c.slug}`;
  return (
    <li className="card cf-card">
      {c.imageUrl ? (
        <img className="cf-card-image" src={c.imageUrl} alt="" width={640} height={320} loading="lazy" />
      ) : (
        <div className="cf-card-image cf-card-placeholder" aria-hidden="true">
          <OfferIcon name="hands" />
        </div>
      )}
      <div className="cf-card-body">
        <p className="cf-mode">{MODE_LABELS[c.mode]}</p>
        <h3 id={titleId}>
          <Link to={`/financement/${c.slug}`}>{c.title}</Link>
        </h3>
        {c.summary ? <p className="cf-summary">{c.summary}</p> : null}
        <ProgressBlock
          progress={c.progress}
          phase={c.phase}
          endsAt={c.endsAt}
          startsAt={c.startsAt}
          now={now}
          id={`${titleId}-progression`}
        />
      </div>
    </li>
  );
}
