import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { OfferIcon } from "~/components/offer-icon";
import { offerAt } from "~/components/offers";
import { sessionDatesLabel } from "~/components/training/sessions";
import { catalogue } from "~/domain/training/index.server";
import { hoursLabel, seatsLeftLabel } from "~/domain/training/labels";
import { getViewer } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatCents, formatDate } from "~/utils/format";

// /formations: the pole's catalogue, grouped by its axes — each course with its duration, its prices and its next
// sessions (date, seats left). The seats are the sessions' own counters: a card only shows them.

const offer = offerAt("/formations");

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${offer.title} — ${data?.poleName ?? "Terrain Commun"}` },
  {
    name: "description",
    content: `Le catalogue des formations${data ? ` de ${data.poleName}` : ""} : programmes, prochaines sessions, tarifs et inscription en ligne.`,
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await getViewer(request);
  const groups = await catalogue(db, { poleId: pole.id, now: new Date() });
  return json({
    poleName: pole.name,
    groups: groups.map((g) => ({
      axis: g.axis,
      text: g.text,
      courses: g.courses.map((c) => ({
        slug: c.slug,
        title: c.title,
        objectives: c.objectives,
        durationHours: c.durationHours,
        memberCents: c.memberCents,
        publicCents: c.publicCents,
        opensPlotPath: c.opensPlotPath,
        sessions: c.sessions.map((s) => ({
          id: s.id,
          startsAt: s.startsAt.toISOString(),
          endsAt: s.endsAt.toISOString(),
          seatsLeft: s.seatsLeft,
          open: s.open,
        })),
      })),
    })),
  });
}

type Course = ReturnType<typeof useLoaderData<typeof loader>>["groups"][number]["courses"][number];

const slugOf = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

export default function Catalogue() {
  const { groups } = useLoaderData<typeof loader>();
  return (
    <div className="tr-catalogue">
      <p className="eyebrow">Offre du pôle</p>
      <h1>{offer.title}</h1>
      <p className="lead">
        {offer.summary} Chaque formation a son programme détaillé ; inscrivez-vous en ligne, réglez par carte, virement,
        chèque, ou faites-la prendre en charge par un financeur.
      </p>
      {groups.length > 1 ? (
        <nav aria-label="Axes du catalogue" className="tr-axes-nav">
          <ul>
            {groups.map((g) => (
              <li key={g.axis}>
                <a href={`#axe-${slugOf(g.axis)}`}>{g.axis}</a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {groups.length === 0 ? (
        <p className="card muted">
          Aucune formation n'est publiée pour le moment. Revenez bientôt, ou{" "}
          <Link to="/inscription">créez votre compte</Link> pour être prêt·e à vous inscrire.
        </p>
      ) : null}
      {groups.map((g) => {
        const id = `axe-${slugOf(g.axis)}`;
        return (
          <section key={g.axis} aria-labelledby={id} className="tr-axis">
            <h2 id={id}>{g.axis}</h2>
            {g.text ? <p className="muted">{g.text}</p> : null}
            <ul className="tr-grid">
              {g.courses.map((c) => (
                <CourseCard key={c.slug} course={c} />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

function CourseCard({ course: c }: { course: Course }) {
  const next = c.sessions.find((s) => s.open) ?? c.sessions[0];
  const titleId = `formation-${c.slug}`;
  return (
    <li className="card tr-card">
      <article aria-labelledby={titleId}>
        <div className="tr-card-head">
          <OfferIcon name="book" />
          <p className="tr-duration">{hoursLabel(c.durationHours)}</p>
        </div>
        <h3 id={titleId}>
          <Link to={`/formations/${c.slug}`}>{c.title}</Link>
        </h3>
        {c.opensPlotPath ? <p className="badge tr-badge-plot">Ouvre la voie vers l'espace-test</p> : null}
        {c.objectives ? <p className="tr-card-summary">{firstSentence(c.objectives)}</p> : null}
        <dl className="tr-card-facts">
          <dt>Tarif membre</dt>
          <dd>{formatCents(c.memberCents)}</dd>
          <dt>Tarif non-membre</dt>
          <dd>{formatCents(c.publicCents)}</dd>
          <dt>Prochaine session</dt>
          <dd>
            {next ? (
              <>
                {sessionDatesLabel(next.startsAt, next.endsAt)}
                <span className={`tr-card-seats${next.seatsLeft === 0 ? " tr-seats-full" : ""}`}>
                  {next.open ? seatsLeftLabel(next.seatsLeft) : "Inscriptions closes"}
                </span>
              </>
            ) : (
              <span className="muted">Pas de session programmée</span>
            )}
          </dd>
        </dl>
        {c.sessions.length > 1 ? (
          <p className="field-hint">
            Aussi :{" "}
            {c.sessions
              .filter((s) => s !== next)
              .map((s) => formatDate(s.startsAt))
              .join(", ")}
          </p>
        ) : null}
      </article>
    </li>
  );
}

/** The card's summary: the objectives' first sentence or line. */
function firstSentence(text: string) {
  const line = text.split("\n").find((l) => l.trim()) ?? "";
  const clean = line.replace(/^[-•*]\s+/, "").trim();
  return clean.length > 180 ? `${clean.slice(0, 177).trimEnd()}…` : clean;
}
