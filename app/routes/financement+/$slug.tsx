import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ProgressBlock } from "~/components/crowdfunding/progress";
import { TierFacts, tierSummary } from "~/components/crowdfunding/tiers";
import { campaignPage, NAMED_CONTRIBUTORS_SHOWN, renderRichText } from "~/domain/crowdfunding/index.server";
import { deadlineLabel, MODE_LABELS, MODE_SUMMARIES, PHASE_LABELS } from "~/domain/crowdfunding/labels";
import { getViewer } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatCents, formatDate } from "~/utils/format";
import { httpError } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.campaign.title} — Financement participatif` : "Campagne introuvable — Terrain Commun" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await getViewer(request);
  const now = new Date();
  const page = await campaignPage(db, { poleId: pole.id, slug: params.slug ?? "", now });
  if (!page) httpError(404, "Cette campagne n'existe pas.");
  const { campaign: c } = page;
  return json({
    now: now.toISOString(),
    campaign: {
      slug: c.slug,
      title: c.title,
      imageUrl: c.imageUrl,
      mode: c.mode,
      goalCents: c.goalCents,
      minimumCents: c.minimumCents,
      optimumCents: c.optimumCents,
      startsAt: c.startsAt.toISOString(),
      endsAt: c.endsAt.toISOString(),
      closedAt: c.closedAt?.toISOString() ?? null,
      // Staff's Markdown, rendered and cleaned on the server (story.server.ts).
      storyHtml: renderRichText(c.story),
    },
    phase: page.phase,
    open: page.open,
    progress: page.progress,
    tiers: page.tiers.map(tierSummary),
    news: page.news.map((n) => ({
      id: n.id,
      title: n.title,
      html: renderRichText(n.body),
      publishedAt: n.publishedAt.toISOString(),
    })),
    contributors: page.contributors.map((p) => ({ id: p.id, name: p.name })),
    moreContributors: page.contributors.length >= NAMED_CONTRIBUTORS_SHOWN,
  });
}

export default function CampaignPage() {
  const {
    campaign: c,
    phase,
    open,
    progress,
    tiers,
    news,
    contributors,
    moreContributors,
    now,
  } = useLoaderData<typeof loader>();
  const pledgePath = `/financement/${c.slug}/contribuer`;
  return (
    <article className="cf-page">
      <p>
        <Link to="/financement">← Toutes les campagnes</Link>
      </p>
      <header className="cf-hero">
        {c.imageUrl ? <img src={c.imageUrl} alt="" width={1120} height={420} className="cf-hero-image" /> : null}
        <p className="eyebrow">
          Financement participatif · <span className="cf-mode-inline">{MODE_LABELS[c.mode]}</span>
        </p>
        <h1>{c.title}</h1>
      </header>

      <div className="cf-layout">
        <section className="card cf-status" aria-labelledby="ou-en-est">
          <h2 id="ou-en-est" className="visually-hidden">
            Où en est la campagne
          </h2>
          <ProgressBlock
            progress={progress}
            phase={phase}
            endsAt={c.endsAt}
            startsAt={c.startsAt}
            now={now}
            id="progression"
            detailed
          />
          <dl className="details cf-facts">
            <dt>Objectif</dt>
            <dd>{formatCents(c.goalCents)}</dd>
            {c.minimumCents ? (
              <>
                <dt>Minimum</dt>
                <dd>
                  {formatCents(c.minimumCents)} <span className="muted">pour lancer le projet</span>
                </dd>
              </>
            ) : null}
            {c.optimumCents ? (
              <>
                <dt>Optimum</dt>
                <dd>
                  {formatCents(c.optimumCents)} <span className="muted">pour le réaliser entièrement</span>
                </dd>
              </>
            ) : null}
            <dt>Date limite</dt>
            <dd>{deadlineLabel(c.endsAt)}</dd>
            <dt>Mode</dt>
            <dd>
              <strong>{MODE_LABELS[c.mode]}</strong>
              <span className="field-hint">{MODE_SUMMARIES[c.mode]}</span>
            </dd>
          </dl>
          {open ? (
            <Link to={pledgePath} className="button cf-cta">
              Contribuer
            </Link>
          ) : (
            <p className="notice" role="status">
              {phase === "UPCOMING"
                ? `Les contributions ouvrent le ${formatDate(c.startsAt, "dateTime")}.`
                : phase === "CLOSING"
                  ? "La date limite est passée : la campagne est en cours de clôture, elle ne reçoit plus de contributions."
                  : `Campagne terminée${c.closedAt ? ` le ${formatDate(c.closedAt)}` : ""} : ${PHASE_LABELS[phase].toLowerCase()}.`}
            </p>
          )}
        </section>

        <section className="cf-tiers" aria-labelledby="contreparties">
          <h2 id="contreparties">Contreparties</h2>
          <ul className="plain-list">
            {tiers.map((t) => (
              <li key={t.id} className={`card cf-tier${t.soldOut ? " cf-tier-sold-out" : ""}`}>
                <TierFacts tier={t} headingLevel={3} />
                {open && !t.soldOut ? (
                  <Link
                    to={`${pledgePath}?contrepartie=${t.id}`}
                    className="button button-secondary button-small"
                    aria-label={`Choisir « ${t.name} »`}
                  >
                    Choisir
                  </Link>
                ) : null}
              </li>
            ))}
          </ul>
        </section>

        <div className="cf-main">
          <section aria-labelledby="histoire" className="card">
            <h2 id="histoire">Le projet</h2>
            <div className="rich-text" dangerouslySetInnerHTML={{ __html: c.storyHtml }} />
          </section>

          <section aria-labelledby="actualites" className="card">
            <h2 id="actualites">Actualités</h2>
            {news.length === 0 ? (
              <p className="muted">Pas encore d'actualité : l'équipe du pôle publiera ici l'avancement du projet.</p>
            ) : (
              <ol className="plain-list cf-news">
                {news.map((n) => (
                  <li key={n.id}>
                    <article aria-labelledby={`actualite-${n.id}`}>
                      <h3 id={`actualite-${n.id}`}>{n.title}</h3>
                      <p className="muted">
                        <time dateTime={n.publishedAt}>{formatDate(n.publishedAt)}</time>
                      </p>
                      <div className="rich-text" dangerouslySetInnerHTML={{ __html: n.html }} />
                    </article>
                  </li>
                ))}
              </ol>
            )}
          </section>

          <section aria-labelledby="contributeurs" className="card">
            <h2 id="contributeurs">Ils soutiennent le projet</h2>
            {contributors.length === 0 ? (
              <p className="muted">Les contributeurs qui choisissent d'apparaître seront listés ici.</p>
            ) : (
              <>
                <ul className="cf-contributors">
                  {contributors.map((p) => (
                    <li key={p.id}>{p.name}</li>
                  ))}
                </ul>
                <p className="field-hint">
                  {moreContributors
                    ? `Les ${contributors.length} derniers contributeurs qui ont choisi d'apparaître (prénom et initiale) ; les autres restent anonymes.`
                    : "Les contributeurs qui ont choisi d'apparaître (prénom et initiale) ; les autres restent anonymes."}
                </p>
              </>
            )}
          </section>
        </div>
      </div>
    </article>
  );
}
