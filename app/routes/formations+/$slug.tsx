import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PartsList, ProgrammeText, SeatsBar, sessionDatesLabel, capitalise } from "~/components/training/sessions";
import { hasMemberRate } from "~/domain/identity/index.server";
import { coursePage, personSessionWaits } from "~/domain/training/index.server";
import { hoursLabel } from "~/domain/training/labels";
import { getViewer } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatCents, formatDate } from "~/utils/format";
import { httpError } from "~/utils/http.server";

// /formations/<slug>: a course's programme page — what the training organisations publish for each course
// (objectives, content, prerequisites, audience, duration, methods, evaluation, accessibility and whom to contact,
// prices) — and its upcoming sessions with each part's day, times and room, seats left and the registration
// deadline. Printable: the buttons drop out of the printed page.

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.course.title} — Formation — ${data.poleName}` },
        {
          name: "description",
          content: `${data.course.title} : formation de ${data.course.durationHours} h. ${data.course.objectives}`
            .replace(/\s+/g, " ")
            .slice(0, 300),
        },
      ]
    : [{ title: "Formation introuvable — Terrain Commun" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole, person } = await getViewer(request);
  const now = new Date();
  const page = await coursePage(db, { poleId: pole.id, slug: params.slug ?? "", personId: person?.id, now });
  if (!page) httpError(404, "Cette formation n'existe pas.");
  const c = page.course;
  const waits = person ? await personSessionWaits(db, { poleId: pole.id, personId: person.id }) : [];
  return json({
    poleName: pole.name,
    loggedIn: Boolean(person),
    memberRate: person ? await hasMemberRate(db, pole.id, person.id) : null,
    course: {
      slug: c.slug,
      title: c.title,
      axis: c.axis,
      objectives: c.objectives,
      content: c.content,
      prerequisites: c.prerequisites,
      audience: c.audience,
      durationHours: c.durationHours,
      methods: c.methods,
      evaluation: c.evaluation,
      accessibility: c.accessibility,
      accessibilityContact: c.accessibilityContact,
      memberCents: c.memberCents,
      publicCents: c.publicCents,
      fundedCents: c.fundedCents,
      opensPlotPath: c.opensPlotPath,
    },
    sessions: page.sessions.map((s) => ({
      id: s.id,
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      capacity: s.capacity,
      registrationDeadline: s.registrationDeadline.toISOString(),
      confirmed: s.status === "CONFIRMED",
      parts: s.parts.map((p) => ({ ...p, startsAt: p.startsAt.toISOString(), endsAt: p.endsAt.toISOString() })),
      seatsLeft: s.seatsLeft,
      open: s.open,
      full: s.full,
      registrationId: s.registrationId,
      waitingPosition: waits.find((w) => w.session.id === s.id && w.status === "WAITING")?.position ?? null,
    })),
  });
}

const SECTIONS = [
  ["objectives", "Objectifs"],
  ["content", "Contenu"],
  ["prerequisites", "Prérequis"],
  ["audience", "Public"],
  ["methods", "Méthodes pédagogiques"],
  ["evaluation", "Évaluation"],
] as const;

export default function CoursePage() {
  const { course: c, sessions, loggedIn, memberRate } = useLoaderData<typeof loader>();
  const signUpPath = (sessionId: string) => `/formations/${c.slug}/inscription?session=${sessionId}`;
  return (
    // A div, not an article: each session is an article of its own, found by its date.
    <div className="tr-page">
      <p className="tr-back">
        <Link to="/formations">← Toutes les formations</Link>
      </p>
      <header className="tr-hero">
        <p className="eyebrow">Formation{c.axis ? ` · ${c.axis}` : ""}</p>
        <h1 id="titre-formation">{c.title}</h1>
        {c.opensPlotPath ? (
          <p className="notice tr-plot-path">
            Cette formation ouvre la voie vers l'espace-test : l'avoir suivie compte pour une candidature à une parcelle
            du pôle.
          </p>
        ) : null}
      </header>

      <div className="tr-layout">
        <aside className="card tr-facts" aria-labelledby="en-bref">
          <h2 id="en-bref">En bref</h2>
          <dl className="details">
            <dt>Durée</dt>
            <dd>
              <strong>{hoursLabel(c.durationHours)}</strong>
            </dd>
            <dt>Tarif membre</dt>
            <dd className={memberRate === true ? "tr-your-price" : undefined}>
              {formatCents(c.memberCents)}
              {memberRate === true ? <span className="badge tr-badge-yours">votre tarif</span> : null}
            </dd>
            <dt>Non-membre</dt>
            <dd className={memberRate === false ? "tr-your-price" : undefined}>
              {formatCents(c.publicCents)}
              {memberRate === false ? <span className="badge tr-badge-yours">votre tarif</span> : null}
            </dd>
            <dt>Pris en charge</dt>
            <dd>{formatCents(c.fundedCents)}</dd>
          </dl>
          <p className="field-hint">
            Le tarif membre s'applique aux membres du pôle et aux personnes d'une organisation sociétaire. Le tarif pris
            en charge est facturé à votre financeur : employeur, OPCO, France Travail…
          </p>
          {sessions.some((s) => s.open && !s.full && !s.registrationId) ? (
            <a href="#sessions" className="button tr-cta">
              Voir les sessions et s'inscrire
            </a>
          ) : null}
        </aside>

        <div className="tr-main">
          {SECTIONS.map(([field, title]) =>
            c[field] ? (
              <section key={field} aria-labelledby={`programme-${field}`} className="tr-section">
                <h2 id={`programme-${field}`}>{title}</h2>
                <ProgrammeText text={c[field]} />
              </section>
            ) : null,
          )}
          <section aria-labelledby="programme-accessibilite" className="tr-section">
            <h2 id="programme-accessibilite">Accessibilité</h2>
            {c.accessibility ? (
              <ProgrammeText text={c.accessibility} />
            ) : (
              <p>
                Les salles du pôle sont de plain-pied. Dites-nous ce dont vous avez besoin pour suivre la formation.
              </p>
            )}
            <p>
              <strong>Personnes en situation de handicap</strong> : pour adapter la formation à vos besoins, contactez{" "}
              {c.accessibilityContact ? c.accessibilityContact : "l'équipe du pôle"} avant votre inscription.
            </p>
          </section>
        </div>
      </div>

      <section id="sessions" aria-labelledby="prochaines-sessions" className="tr-sessions">
        <h2 id="prochaines-sessions">Prochaines sessions</h2>
        {sessions.length === 0 ? (
          <p className="card muted">
            Aucune session n'est programmée pour le moment. L'équipe du pôle en ouvre régulièrement : revenez bientôt.
          </p>
        ) : (
          <ul className="plain-list tr-session-list">
            {sessions.map((s) => {
              const headingId = `session-${s.id}`;
              return (
                <li key={s.id} className="card tr-session">
                  <article aria-labelledby={headingId}>
                    <div className="title-row">
                      <h3 id={headingId}>{capitalise(sessionDatesLabel(s.startsAt, s.endsAt))}</h3>
                      {s.confirmed ? <span className="badge tr-badge-go">Session confirmée</span> : null}
                    </div>
                    <PartsList parts={s.parts} caption={`Dates, horaires et lieux de la session ${headingId}`} />
                    <div className="tr-session-foot">
                      <SeatsBar seatsLeft={s.seatsLeft} capacity={s.capacity} id={`${headingId}-places`} />
                      <p className="tr-deadline">
                        {s.open ? "Inscriptions jusqu'au " : "Inscriptions closes depuis le "}
                        <time dateTime={s.registrationDeadline}>{formatDate(s.registrationDeadline, "dateTime")}</time>
                      </p>
                      <div className="tr-session-action">
                        {s.registrationId ? (
                          <Link to={`/compte/formations/${s.registrationId}`} className="button button-secondary">
                            Vous êtes inscrit·e — voir mon inscription
                          </Link>
                        ) : s.waitingPosition ? (
                          <Link to="/compte/formations#attente" className="button button-secondary">
                            N° {s.waitingPosition} sur la liste d'attente
                          </Link>
                        ) : !s.open ? null : s.full ? (
                          <Link
                            to={signUpPath(s.id)}
                            className="button button-secondary"
                            aria-describedby={`${headingId}-places`}
                          >
                            Rejoindre la liste d'attente
                          </Link>
                        ) : (
                          <Link to={signUpPath(s.id)} className="button" aria-describedby={headingId}>
                            S'inscrire
                          </Link>
                        )}
                      </div>
                    </div>
                  </article>
                </li>
              );
            })}
          </ul>
        )}
        {!loggedIn && sessions.length ? (
          <p className="field-hint">
            Un seul compte pour tout le pôle : vous le créez en vous inscrivant, ou{" "}
            <Link to={`/connexion?redirectTo=${encodeURIComponent(`/formations/${c.slug}`)}`}>connectez-vous</Link>.
          </p>
        ) : null}
      </section>
    </div>
  );
}
