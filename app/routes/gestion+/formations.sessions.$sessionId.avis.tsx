import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { sessionSatisfaction } from "~/domain/training/index.server";
import styles from "~/styles/training-attendance.css";
import { db } from "~/utils/db.server";
import { formatDate, formatNumber } from "~/utils/format";
import { httpError } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

// The satisfaction results of a session, for staff (decision 020), a tab of the session's page: how many answered of
// those who attended, each question's average and the spread of its scores, who would recommend the course, and the
// comments (unsigned).

export const meta: MetaFunction = () => [{ title: "Avis des stagiaires — Gestion" }];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "training:manage");
  const results = await sessionSatisfaction(db, { poleId: pole.id, sessionId: params.sessionId ?? "" });
  if (!results) httpError(404, "Cette session n'existe pas.");
  const { session } = results;
  return json({
    ...results,
    session: {
      id: session.id,
      course: session.course,
      status: session.status,
      dates:
        formatDate(session.startsAt) === formatDate(session.endsAt)
          ? `le ${formatDate(session.startsAt)}`
          : `du ${formatDate(session.startsAt)} au ${formatDate(session.endsAt)}`,
      sentAt: session.satisfactionSentAt ? formatDate(session.satisfactionSentAt) : null,
    },
    comments: results.comments.map((c) => ({ comment: c.comment, answeredAt: formatDate(c.answeredAt) })),
  });
}

const average = (value: number | null) => (value === null ? "—" : formatNumber(value));

export default function SatisfactionResults() {
  const { session, count, attendees, questions, recommendPercent, comments } = useLoaderData<typeof loader>();
  return (
    <section className="attendance" aria-labelledby="avis">
      <h2 id="avis">Avis des stagiaires</h2>
      <p className="lead">
        {count} réponse{count > 1 ? "s" : ""} sur {attendees} personne{attendees > 1 ? "s" : ""} présente
        {attendees > 1 ? "s" : ""}
        {session.sentAt ? ` · questionnaire envoyé le ${session.sentAt}` : ""}.
      </p>
      {session.status !== "DELIVERED" ? (
        <p className="notice">
          Le questionnaire part une fois la session close, aux personnes qui l'ont suivie.{" "}
          <Link to={`/gestion/formations/sessions/${session.id}/presences`}>Présences et clôture</Link>
        </p>
      ) : null}
      {count === 0 ? (
        <p className="notice">Aucune réponse pour l'instant.</p>
      ) : (
        <>
          <div className="stat-grid">
            <div className="stat">
              <span className="stat-label">Recommanderaient la formation</span>
              <span className="stat-value">{recommendPercent} %</span>
            </div>
          </div>
          <div className="satisfaction-questions">
            {questions.map((q) => (
              <section key={q.name} className="card" aria-labelledby={`question-${q.name}`}>
                <h3 id={`question-${q.name}`}>{q.label}</h3>
                <p className="satisfaction-average">
                  {average(q.average)} <span className="muted">/ 5 en moyenne</span>
                </p>
                <ul className="score-bars" aria-label="Répartition des notes">
                  {q.spread.map((n, i) => (
                    <li key={i}>
                      <span aria-hidden="true">{i + 1}</span>
                      <span className="score-bar" aria-hidden="true">
                        <span style={{ width: `${count ? (n * 100) / count : 0}%` }} />
                      </span>
                      <span>
                        {n}
                        <span className="visually-hidden">
                          {" "}
                          réponse{n > 1 ? "s" : ""} avec la note {i + 1}
                        </span>
                      </span>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
          <section aria-labelledby="commentaires">
            <h3 id="commentaires">Commentaires</h3>
            {comments.length === 0 ? (
              <p className="muted">Aucun commentaire.</p>
            ) : (
              <ul className="satisfaction-comments">
                {comments.map((c, i) => (
                  <li key={i}>
                    {c.comment} <span className="muted">— {c.answeredAt}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </section>
  );
}
