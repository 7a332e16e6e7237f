import { formatSurface } from "~/domain/leasing/rules";
import { formatCents } from "~/utils/format";
import { hectares, plotHref, STATUS_WORDS, Swatch, type MapPlot } from "./site-map";

// The plots as a table: what the map shows, for keyboard and screen-reader users and on a narrow screen
// (where each line becomes a card, land.css).

export type PlotRow = MapPlot & {
  soil: string;
  waterAccess: string;
  shelter: string;
  currentUse: string;
  description: string;
  rentPerHectareCents: number;
  yearlyRentCents: number;
  onPlan: boolean;
};

const dash = (text: string) => text || "—";

export function PlotTable({ plots }: { plots: PlotRow[] }) {
  if (plots.length === 0) return <p className="card">Aucune parcelle n'est présentée pour le moment.</p>;
  return (
    <div className="table-scroll">
      <table className="table plot-table">
        <caption className="visually-hidden">
          Les parcelles du pôle, leur surface, leurs caractéristiques, leur loyer indicatif et leur statut
        </caption>
        <thead>
          <tr>
            <th scope="col">Parcelle</th>
            <th scope="col">Surface</th>
            <th scope="col">Sol</th>
            <th scope="col">Accès à l'eau</th>
            <th scope="col">Abri</th>
            <th scope="col">Usage actuel</th>
            <th scope="col" className="num">
              Loyer indicatif par an
            </th>
            <th scope="col">Statut</th>
          </tr>
        </thead>
        <tbody>
          {plots.map((p) => (
            <tr key={p.code} id={`fiche-${p.code}`}>
              <th scope="row" data-label="Parcelle">
                <span className="plot-code-cell">{p.code}</span>
                {p.name ? <span className="plot-name"> {p.name}</span> : null}
                {p.description ? <span className="plot-description">{p.description}</span> : null}
                {!p.onPlan ? <span className="plot-description">Pas encore dessinée sur le plan.</span> : null}
              </th>
              <td data-label="Surface" className="plot-surface">
                {formatSurface(p.surfaceM2)}
              </td>
              <td data-label="Sol">{dash(p.soil)}</td>
              <td data-label="Accès à l'eau">{dash(p.waterAccess)}</td>
              <td data-label="Abri">{dash(p.shelter)}</td>
              <td data-label="Usage actuel">{dash(p.currentUse)}</td>
              <td data-label="Loyer indicatif par an" className="num">
                <span>
                  {formatCents(p.yearlyRentCents)}
                  <span className="plot-rent-rate">{formatCents(p.rentPerHectareCents)}/ha</span>
                </span>
              </td>
              <td data-label="Statut">
                <span className="plot-status-cell">
                  <span className={`plot-badge plot-badge-${p.status.toLowerCase()}`}>
                    <Swatch status={p.status} /> {STATUS_WORDS[p.status]}
                  </span>
                  {p.status !== "LEASED" ? (
                    <a
                      href={plotHref(p)}
                      className="plot-apply"
                      aria-label={`Candidater pour la parcelle ${p.code} (${hectares(p.surfaceM2)})`}
                    >
                      Candidater
                    </a>
                  ) : null}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
