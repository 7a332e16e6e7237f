import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { useHydrated } from "~/components/client-only";
import { STREAM_LABELS } from "~/domain/ledger/streams";
import { formatCents, formatDate } from "~/utils/format";
import { MonthlyChart, ResourcesChart, StreamChart } from "./charts.client";
import { formatPercent, monthLabel, shortMonth } from "./format";
import type { DashboardView as View } from "./load.server";

type Figures = NonNullable<View["figures"]>;

/** A chart drawn once React runs in the browser, under its caption; before that, a note that the tables hold the figures. */
export function ClientChart({ title, id, children }: { title: string; id: string; children: () => ReactNode }) {
  const hydrated = useHydrated();
  return (
    <figure className="card chart-card" aria-labelledby={id}>
      <figcaption id={id} className="chart-title">
        {title}
      </figcaption>
      <div className="chart-area" data-chart={hydrated ? "ready" : "pending"}>
        {hydrated ? (
          children()
        ) : (
          <p className="muted chart-pending">
            Graphique en préparation — les chiffres figurent dans les tableaux ci-dessous.
          </p>
        )}
      </div>
    </figure>
  );
}

const amount = (cents: number | null) => (cents === null ? "—" : formatCents(cents));
const signed = (cents: number | null) =>
  cents === null ? "—" : cents > 0 ? `+${formatCents(cents)}` : formatCents(cents);
const tone = (cents: number | null) => (cents === null || cents === 0 ? "" : cents > 0 ? "is-ahead" : "is-behind");

/** The period picker: a GET form, so the page works without JavaScript and the URL can be shared. */
function PeriodPicker({ view, action }: { view: View; action: string }) {
  const { years, period, errors } = view;
  const field = (
    name: "exercice" | "du" | "au",
    label: string,
    options: { value: string; label: string }[],
    value?: string,
  ) => (
    <div className="field">
      <label htmlFor={`periode-${name}`}>{label}</label>
      <select
        id={`periode-${name}`}
        name={name}
        defaultValue={value}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `periode-${name}-erreur` : undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {errors[name] ? (
        <p id={`periode-${name}-erreur`} className="field-errors" role="alert">
          {errors[name]}
        </p>
      ) : null}
    </div>
  );
  const monthOptions = (period?.months ?? []).map((m) => ({ value: m, label: monthLabel(m) }));
  return (
    <Form method="get" action={action} className="filters period-picker" aria-label="Période affichée">
      {field(
        "exercice",
        "Exercice",
        years.map((y) => ({ value: y.id, label: y.closed ? `${y.label} (clôturé)` : y.label })),
        period?.fiscalYear.id,
      )}
      {field("du", "Du mois de", monthOptions, period?.from)}
      {field("au", "Au mois de", monthOptions, period?.to)}
      <button type="submit" className="button button-secondary">
        Afficher
      </button>
    </Form>
  );
}

const percentOf = (r: number | null) => Math.max(0, Math.min(100, Math.round((r ?? 0) * 1000) / 10));

/** A ratio as a bar (a `meter` with its words), with the plan's target marked when there is one. */
export function RatioBar(props: { ratio: number | null; target?: number | null; label: string; valueText: string }) {
  return (
    <div
      className="ratio-bar"
      role="meter"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percentOf(props.ratio)}
      aria-valuetext={props.valueText}
    >
      <span className="ratio-bar-fill" style={{ width: `${percentOf(props.ratio)}%` }} />
      {props.target != null ? (
        <span className="ratio-bar-target" style={{ left: `${percentOf(props.target)}%` }} title="Objectif du plan" />
      ) : null}
    </div>
  );
}

function Kpis({ figures, today }: { figures: Figures; today: string }) {
  const { total, autofinancement } = figures;
  const ytd = autofinancement.toDate.ratio;
  const planned = autofinancement.planned.ratio;
  return (
    <ul className="stat-grid kpi-grid" aria-label="Chiffres clés de la période">
      <li className="card stat">
        <span className="stat-label">Prévu sur la période</span>
        <span className="stat-value">{formatCents(total.plan)}</span>
        <span className="muted">dont {formatCents(total.planToDate)} à date</span>
      </li>
      <li className="card stat">
        <span className="stat-label">Réalisé à date</span>
        <span className="stat-value">{formatCents(total.actualToDate)}</span>
        <span className="muted">au {formatDate(`${today}T12:00:00Z`)}</span>
      </li>
      <li className="card stat">
        <span className="stat-label">Écart au plan à date</span>
        <span className={`stat-value ${tone(total.variance)}`}>{signed(total.variance)}</span>
        <span className="muted">{formatPercent(total.variancePct, true)} du prévu à date</span>
      </li>
      <li className="card stat">
        <span className="stat-label">Prévisions confirmées</span>
        <span className="stat-value">{formatCents(total.forecast)}</span>
        <span className="muted">atterrissage {formatCents(total.projected)}</span>
      </li>
      <li className="card stat kpi-ratio">
        <span className="stat-label">Autofinancement depuis le début de l'exercice</span>
        <span className="stat-value">{formatPercent(ytd)}</span>
        <RatioBar
          ratio={ytd}
          target={planned}
          label="Taux d'autofinancement à date"
          valueText={`${formatPercent(ytd)}, objectif ${formatPercent(planned)}`}
        />
        <span className="muted">objectif du plan : {formatPercent(planned)}</span>
      </li>
    </ul>
  );
}

function MonthTable({ figures }: { figures: Figures }) {
  return (
    <div className="table-scroll">
      <table className="table dashboard-table">
        <caption>Prévu, réalisé et prévisions par mois</caption>
        <thead>
          <tr>
            <th scope="col">Mois</th>
            <th scope="col" className="num">
              Prévu
            </th>
            <th scope="col" className="num">
              Réalisé
            </th>
            <th scope="col" className="num">
              Prévision
            </th>
            <th scope="col" className="num">
              Écart
            </th>
            <th scope="col" className="num">
              Écart %
            </th>
          </tr>
        </thead>
        <tbody>
          {figures.perMonth.map((m) => (
            <tr key={m.month}>
              <th scope="row">{monthLabel(m.month)}</th>
              <td className="num">{formatCents(m.plan)}</td>
              <td className="num">{formatCents(m.actualToDate)}</td>
              <td className="num">{m.forecast ? formatCents(m.forecast) : "—"}</td>
              <td className={`num ${tone(m.variance)}`}>{signed(m.variance)}</td>
              <td className="num">{formatPercent(m.variancePct, true)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="num">{formatCents(figures.total.plan)}</td>
            <td className="num">{formatCents(figures.total.actualToDate)}</td>
            <td className="num">{amount(figures.total.forecast)}</td>
            <td className={`num ${tone(figures.total.variance)}`}>{signed(figures.total.variance)}</td>
            <td className="num">{formatPercent(figures.total.variancePct, true)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function StreamTable({ figures }: { figures: Figures }) {
  return (
    <div className="table-scroll">
      <table className="table dashboard-table">
        <caption>Par flux de recettes (écart calculé sur les mois commencés)</caption>
        <thead>
          <tr>
            <th scope="col">Flux</th>
            <th scope="col" className="num">
              Prévu
            </th>
            <th scope="col" className="num">
              Prévu à date
            </th>
            <th scope="col" className="num">
              Réalisé à date
            </th>
            <th scope="col" className="num">
              Prévision
            </th>
            <th scope="col" className="num">
              Écart
            </th>
            <th scope="col" className="num">
              Écart %
            </th>
          </tr>
        </thead>
        <tbody>
          {figures.perStream.map((s) => (
            <tr key={s.stream}>
              <th scope="row">{STREAM_LABELS[s.stream]}</th>
              <td className="num">{formatCents(s.plan)}</td>
              <td className="num">{formatCents(s.planToDate)}</td>
              <td className="num">{formatCents(s.actualToDate)}</td>
              <td className="num">{s.forecast ? formatCents(s.forecast) : "—"}</td>
              <td className={`num ${tone(s.variance)}`}>{signed(s.variance)}</td>
              <td className="num">{formatPercent(s.variancePct, true)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ResourcesTable({ figures }: { figures: Figures }) {
  const { toDate, planned } = figures.autofinancement;
  const rows = [
    { label: "Recettes propres", a: toDate.own, b: planned.own },
    { label: "Subventions (74)", a: toDate.subsidies, b: planned.subsidies },
    { label: "Dons (758)", a: toDate.gifts, b: planned.gifts },
    { label: "Ressources totales", a: toDate.total, b: planned.total },
  ];
  return (
    <div className="table-scroll">
      <table className="table dashboard-table">
        <caption>Autofinancement : recettes propres ÷ ressources totales</caption>
        <thead>
          <tr>
            <th scope="col">Ressources</th>
            <th scope="col" className="num">
              Depuis le début de l'exercice
            </th>
            <th scope="col" className="num">
              Plan de l'exercice
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              <td className="num">{formatCents(r.a)}</td>
              <td className="num">{formatCents(r.b)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Taux d'autofinancement</th>
            <td className="num">{formatPercent(toDate.ratio)}</td>
            <td className="num">{formatPercent(planned.ratio)}</td>
          </tr>
        </tfoot>
      </table>
      <p className="muted capital-note">
        Capital levé par parts sociales depuis le début de l'exercice, hors ressources (ce n'est pas une recette) :{" "}
        <strong>{formatCents(figures.capital.admitted + figures.capital.awaitingAdmission)}</strong>, dont{" "}
        {formatCents(figures.capital.admitted)} de souscriptions admises et{" "}
        {formatCents(figures.capital.awaitingAdmission)} en attente d'admission.
        {figures.deferredRevenue > 0 ? (
          <>
            {" "}
            Produits constatés d'avance (contreparties payées, reconnues à mesure qu'elles sont utilisées) :{" "}
            <strong>{formatCents(figures.deferredRevenue)}</strong>.
          </>
        ) : null}
      </p>
    </div>
  );
}

/**
 * The dashboard shared by the staff page and the members' transparency page: aggregates only (no third party,
 * no entry), so the read-only view shows exactly the same figures.
 */
export function DashboardView({ view, action, empty }: { view: View; action: string; empty: ReactNode }) {
  const { figures, period } = view;
  return (
    <div className="dashboard">
      <PeriodPicker view={view} action={action} />
      {!figures || !period ? (
        <div className="notice">{empty}</div>
      ) : (
        <>
          <p className="muted dashboard-period">
            {period.fiscalYear.label} · {monthLabel(period.from)} – {monthLabel(period.to)}
            {period.fiscalYear.closed ? " · exercice clôturé" : ""}
          </p>
          <Kpis figures={figures} today={view.today} />
          <div className="chart-grid">
            <ClientChart title="Prévu, réalisé et prévisions par mois" id="graphique-mois">
              {() => (
                <MonthlyChart
                  data={figures.perMonth.map((m) => ({
                    label: shortMonth(m.month),
                    plan: m.plan,
                    actual: m.actualToDate,
                    forecast: m.forecast,
                  }))}
                />
              )}
            </ClientChart>
            <ClientChart title="Par flux de recettes, à date" id="graphique-flux">
              {() => (
                <StreamChart
                  data={figures.perStream.map((s) => ({
                    label: STREAM_LABELS[s.stream],
                    planToDate: s.planToDate,
                    actualToDate: s.actualToDate,
                    forecast: s.forecast,
                  }))}
                />
              )}
            </ClientChart>
            <ClientChart title="Part des recettes propres dans les ressources" id="graphique-autofinancement">
              {() => (
                <ResourcesChart
                  data={[
                    { label: "Réalisé à date", ...figures.autofinancement.toDate },
                    { label: "Plan de l'exercice", ...figures.autofinancement.planned },
                  ]}
                />
              )}
            </ClientChart>
          </div>
          <section aria-labelledby="chiffres" className="dashboard-tables">
            <h2 id="chiffres">Les chiffres</h2>
            <MonthTable figures={figures} />
            <StreamTable figures={figures} />
            <ResourcesTable figures={figures} />
          </section>
          <p className="muted dashboard-notes">
            Réalisé : produits (comptes de classe 7) nets des avoirs et contrepassations. Prévu à date : objectifs des
            mois commencés ; un objectif annuel est réparti également sur les mois de l'exercice. Prévision : recettes à
            venir déjà confirmées (réservations, échéances de baux, inscriptions). Autofinancement : recettes propres ÷
            (recettes propres + subventions + dons).
          </p>
        </>
      )}
    </div>
  );
}
