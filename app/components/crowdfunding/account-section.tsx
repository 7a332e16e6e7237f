import { Link } from "@remix-run/react";
import { formatCents } from "~/utils/format";

/** The "Mes contributions" card of Mon compte: how many, how much, and what waits for the person. */
export function PledgesSummary({
  pledges,
}: {
  pledges: { count: number; totalCents: number; toPay: number; register: boolean };
}) {
  return (
    <section aria-labelledby="contributions-titre" className="card" id="contributions">
      <div className="title-row">
        <h2 id="contributions-titre">Mes contributions</h2>
        <Link
          to={pledges.count ? "/compte/contributions" : "/financement"}
          className="button button-small button-secondary"
        >
          {pledges.count ? "Voir mes contributions" : "Voir les campagnes"}
        </Link>
      </div>
      {pledges.count ? (
        <ul className="plain-list">
          <li>
            {pledges.count} contribution{pledges.count > 1 ? "s" : ""} en cours ou passée
            {pledges.count > 1 ? "s" : ""}, {formatCents(pledges.totalCents)} au total
          </li>
          {pledges.toPay ? (
            <li>
              <strong>
                {pledges.toPay} contribution{pledges.toPay > 1 ? "s" : ""} à régler
              </strong>
            </li>
          ) : null}
        </ul>
      ) : (
        <p className="muted">
          Pas encore de contribution. Soutenez les projets du pôle par un don, une contrepartie ou des parts sociales.
        </p>
      )}
      {pledges.register ? (
        <p>
          <Link to="/compte/associes">Le registre des associés de la SCIC</Link>
        </p>
      ) : null}
    </section>
  );
}
