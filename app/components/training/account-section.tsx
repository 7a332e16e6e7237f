import { Link } from "@remix-run/react";
import { formatDate } from "~/utils/format";

// The "Mes formations" card of Mon compte: the next session, and what waits for the person (a seat to pay, a seat
// offered from a waiting list).

export type TrainingSummary = {
  upcoming: number;
  past: number;
  toPay: number;
  offers: number;
  waiting: number;
  next: { id: string; title: string; startsAt: string } | null;
};

export function TrainingsSummary({ trainings: t }: { trainings: TrainingSummary }) {
  const any = t.upcoming + t.past + t.waiting > 0;
  return (
    <section aria-labelledby="formations-titre" className="card" id="formations">
      <div className="title-row">
        <h2 id="formations-titre">Mes formations</h2>
        <Link to={any ? "/compte/formations" : "/formations"} className="button button-small button-secondary">
          {any ? "Voir mes formations" : "Voir le catalogue"}
        </Link>
      </div>
      {any || t.waiting ? (
        <ul className="plain-list">
          {t.next ? (
            <li>
              Prochaine : <Link to={`/compte/formations/${t.next.id}`}>{t.next.title}</Link>, le{" "}
              {formatDate(t.next.startsAt)}
            </li>
          ) : null}
          <li>
            {[
              t.upcoming ? `${t.upcoming} à venir` : "",
              t.past ? `${t.past} passée${t.past > 1 ? "s" : ""} ou annulée${t.past > 1 ? "s" : ""}` : "",
            ]
              .filter(Boolean)
              .join(" · ")}
          </li>
          {t.toPay ? (
            <li>
              <strong>
                {t.toPay} place{t.toPay > 1 ? "s" : ""} à régler
              </strong>
            </li>
          ) : null}
          {t.waiting ? (
            <li>
              Sur {t.waiting} liste{t.waiting > 1 ? "s" : ""} d'attente
            </li>
          ) : null}
          {t.offers ? (
            <li>
              <strong>
                {t.offers} place{t.offers > 1 ? "s" : ""} proposée{t.offers > 1 ? "s" : ""} depuis une liste d'attente
              </strong>
            </li>
          ) : null}
        </ul>
      ) : (
        <p className="muted">Pas encore de formation. Découvrez les programmes et les prochaines sessions du pôle.</p>
      )}
    </section>
  );
}
