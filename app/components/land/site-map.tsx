import type { PlotStatus } from "~/domain/leasing/index.server";

// The site plan as inline SVG: the plan's fixed background, then each plot's outline filled by its status (a
// colour, a pattern and the status written on it, so colour is never the only cue), each one a link: to the
// application form with the plot chosen when it can be asked for, else to its line in the list.

export type MapPlot = { code: string; name: string; surfaceM2: number; status: PlotStatus; shapeId: string };
export type MapPlan = {
  viewBox: string;
  title: string;
  background: string;
  shapes: { id: string; d: string; label: { x: number; y: number } }[];
};

export const STATUS_WORDS: Record<PlotStatus, string> = { FREE: "libre", OFFERED: "proposée", LEASED: "louée" };
const STATUS_CLASSES: Record<PlotStatus, string> = { FREE: "free", OFFERED: "offered", LEASED: "leased" };

/** "1,25 ha" */
export const hectares = (m2: number) => `${(m2 / 10_000).toLocaleString("fr-FR", { maximumFractionDigits: 2 })} ha`;

/** Where a plot leads: the form for a plot one can ask for, its line in the list otherwise. */
export const plotHref = (plot: Pick<MapPlot, "code" | "status">) =>
  plot.status === "LEASED" ? `#fiche-${plot.code}` : `/terres/candidater?parcelle=${encodeURIComponent(plot.code)}`;

/** The fills' patterns, once per page: the map and the legend both use them. */
export function LandPatterns() {
  return (
    <svg width="0" height="0" className="land-patterns" aria-hidden="true" focusable="false">
      <defs>
        <pattern id="motif-proposee" width="12" height="12" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="12" height="12" fill="#f7d48a" />
          <rect width="4" height="12" fill="#a86b00" />
        </pattern>
        <pattern id="motif-louee" width="10" height="10" patternUnits="userSpaceOnUse">
          <rect width="10" height="10" fill="#7d8a80" />
          <circle cx="5" cy="5" r="2" fill="#3c463e" />
        </pattern>
      </defs>
    </svg>
  );
}

export function Swatch({ status }: { status: PlotStatus }) {
  return (
    <svg width="28" height="20" viewBox="0 0 28 20" aria-hidden="true" focusable="false" className="map-swatch">
      <rect x="1.5" y="1.5" width="25" height="17" rx="2" className={`plot-shape plot-${STATUS_CLASSES[status]}`} />
    </svg>
  );
}

export function SiteMap({ plan, plots }: { plan: MapPlan; plots: MapPlot[] }) {
  const byShape = new Map(plots.map((p) => [p.shapeId, p]));
  return (
    <figure className="site-map">
      <LandPatterns />
      <svg viewBox={plan.viewBox} className="site-map-svg" role="group" aria-labelledby="plan-titre" focusable="false">
        <title id="plan-titre">{plan.title}</title>
        <g aria-hidden="true" dangerouslySetInnerHTML={{ __html: plan.background }} />
        {plan.shapes.map((shape) => {
          const plot = byShape.get(shape.id);
          if (!plot) return <path key={shape.id} d={shape.d} className="plot-shape plot-none" aria-hidden="true" />;
          const word = STATUS_WORDS[plot.status];
          const label = `Parcelle ${plot.code}, ${hectares(plot.surfaceM2)}, ${word}`;
          return (
            <a key={shape.id} href={plotHref(plot)} aria-label={label} className="plot-link">
              <title>{plot.status === "LEASED" ? label : `${label} — candidater`}</title>
              <path d={shape.d} className={`plot-shape plot-${STATUS_CLASSES[plot.status]}`} />
              <g aria-hidden="true" transform={`translate(${shape.label.x} ${shape.label.y})`} className="plot-label">
                <rect x="-44" y="-24" width="88" height="44" rx="8" />
                <text y="-3" textAnchor="middle" className="plot-code">
                  {plot.code}
                </text>
                <text y="14" textAnchor="middle" className="plot-status">
                  {word}
                </text>
              </g>
            </a>
          );
        })}
      </svg>
      <figcaption>
        <ul className="map-legend" aria-label="Légende du plan">
          {(["FREE", "OFFERED", "LEASED"] as const).map((status) => (
            <li key={status}>
              <Swatch status={status} /> {STATUS_WORDS[status][0].toUpperCase() + STATUS_WORDS[status].slice(1)}
              <span className="muted">
                {" "}
                —{" "}
                {status === "FREE"
                  ? "à louer"
                  : status === "OFFERED"
                    ? "proposée à un candidat, en attente de sa réponse"
                    : "louée en ce moment"}
              </span>
            </li>
          ))}
        </ul>
        <p className="field-hint">
          Choisissez une parcelle libre ou proposée sur le plan pour candidater. Les mêmes informations figurent dans la
          liste ci-dessous.
        </p>
      </figcaption>
    </figure>
  );
}
