import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { ClientChart, RatioBar } from "~/components/dashboard/dashboard-view";
import { formatFigure, reportDay } from "~/domain/reporting/activity";
import type { IsoDate } from "~/domain/ledger/dates";
import { formatCents, formatPercent } from "~/utils/format";
import { RatioChart, RevenueChart } from "./charts.client";
import type { AnnualReportView } from "./load.server";

// The annual report's page, shared by the back office (/gestion/rapport-annuel) and the members' transparency
// pages (/transparence/rapport-annuel): aggregates only, no person named. Charts after hydration, every figure in a
// table or a list as well; printing keeps the report and drops the controls (annual-report.css).

type Report = NonNullable<AnnualReportView["report"]>;
type Revenue = Report["revenue"]["perStream"][number];

const day = (iso: string) => reportDay(iso as IsoDate);
const signed = (cents: number | null) =>
  cents === null ? "—" : cents > 0 ? `+${formatCents(cents)}` : formatCents(cents);
const tone = (cents: number | null) => (cents === null || cents === 0 ? "" : cents > 0 ? "is-ahead" : "is-behind");
const ofPlan = (r: { plan: number; actual: number }) => (r.plan > 0 ? r.actual / r.plan : null);

function YearPicker({ view, action, pdfHref }: { view: AnnualReportView; action: string; pdfHref: string | null }) {
  return (
    <Form
      method="get"
      action={action}
      className="filters period-picker report-controls"
      aria-label="Exercice du rapport"
    >
      <div className="field">
        <label htmlFor="rapport-exercice">Exercice</label>
        <select id="rapport-exercice" name="exercice" defaultValue={view.report?.fiscalYear.id}>
          {view.years.map((y) => (
            <option key={y.id} value={y.id}>
              {y.closed ? `${y.label} (clôturé)` : y.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button-secondary">
        Afficher
      </button>
      {pdfHref ? (
        <a className="button" href={pdfHref} download>
          Télécharger le PDF
        </a>
      ) : null}
    </Form>
  );
}

/** Actual against plan as a bar, for people who read it and for assistive technologies (a meter with its words). */
function PlanMeter({ revenue, label }: { revenue: Pick<Revenue, "plan" | "actual">; label: string }) {
  const share = ofPlan(revenue);
  return (
    <div className="report-meter">
      <RatioBar
        ratio={share}
        label={label}
        valueText={
          share === null
            ? `${formatCents(revenue.actual)}, pas d'objectif au plan`
            : `${formatCents(revenue.actual)} sur ${formatCents(revenue.plan)} prévus, ${formatPercent(share)}`
        }
      />
      <p className="muted">
        <strong>{formatCents(revenue.actual)}</strong>{" "}
        {share === null
          ? "— pas d'objectif au plan"
          : `sur ${formatCents(revenue.plan)} prévus (${formatPercent(share)})`}
      </p>
    </div>
  );
}

function Cover({ report }: { report: Report }) {
  const { pole, fiscalYear } = report;
  const current = report.autofinancement.find((y) => y.fiscalYearId === fiscalYear.id);
  return (
    <section className="card report-cover" aria-labelledby="rapport-pole">
      <div className="report-identity">
        <img src="/favicon.svg" alt="" width={56} height={56} />
        <div>
          <p id="rapport-pole" className="report-pole">
            {pole.name}
          </p>
          <p className="muted">
            {pole.legalName}
            {pole.siren ? ` — SIREN ${pole.siren}` : ""} — {pole.address}
          </p>
        </div>
      </div>
      {pole.tagline ? <p className="report-tagline">{pole.tagline}</p> : null}
      <p>
        {fiscalYear.label}, du {day(fiscalYear.startDate)} au {day(fiscalYear.endDate)}.{" "}
        {report.provisional ? (
          <strong className="report-status">
            {report.asOf < fiscalYear.endDate
              ? `Document provisoire : exercice en cours, chiffres au ${day(report.asOf)}.`
              : "Document provisoire : l'exercice est terminé mais pas encore clôturé."}
          </strong>
        ) : (
          <strong className="report-status">Exercice clôturé.</strong>
        )}
      </p>
      <ul className="stat-grid kpi-grid" aria-label="Chiffres clés de l'exercice">
        <li className="card stat">
          <span className="stat-label">Recettes de l'exercice</span>
          <span className="stat-value">{formatCents(report.revenue.total.actual)}</span>
          <span className="muted">plan : {formatCents(report.revenue.total.plan)}</span>
        </li>
        <li className="card stat">
          <span className="stat-label">Résultat</span>
          <span className={`stat-value ${tone(report.result.current.result)}`}>
            {formatCents(report.result.current.result)}
          </span>
          <span className="muted">{report.result.current.result >= 0 ? "excédent" : "perte"}</span>
        </li>
        <li className="card stat">
          <span className="stat-label">Capital souscrit dans l'exercice</span>
          <span className="stat-value">{formatCents(report.capital.admitted + report.capital.awaitingAdmission)}</span>
          <span className="muted">parts sociales, hors ressources</span>
        </li>
        <li className="card stat kpi-ratio">
          <span className="stat-label">Autofinancement</span>
          <span className="stat-value">{formatPercent(current?.actual.ratio ?? null)}</span>
          <RatioBar
            ratio={current?.actual.ratio ?? null}
            target={current?.planned.ratio}
            label="Taux d'autofinancement de l'exercice"
            valueText={`${formatPercent(current?.actual.ratio ?? null)}, objectif ${formatPercent(current?.planned.ratio ?? null)}`}
          />
          <span className="muted">objectif du plan : {formatPercent(current?.planned.ratio ?? null)}</span>
        </li>
      </ul>
    </section>
  );
}

function RevenueSection({ report }: { report: Report }) {
  const rows = report.revenue.perStream.filter((s) => s.plan !== 0 || s.actual !== 0);
  return (
    <section className="report-section" aria-labelledby="rapport-recettes">
      <h2 id="rapport-recettes">Recettes par flux : réalisé et plan</h2>
      <ClientChart title="Recettes de l'exercice et plan d'affaires, par flux" id="graphique-recettes">
        {() => <RevenueChart data={rows.map((r) => ({ label: r.label, plan: r.plan, actual: r.actual }))} />}
      </ClientChart>
      <div className="table-scroll">
        <table className="table dashboard-table">
          <caption>Recettes par flux (produits de classe 7, nets des avoirs)</caption>
          <thead>
            <tr>
              <th scope="col">Flux</th>
              <th scope="col" className="num">
                Plan de l'exercice
              </th>
              <th scope="col" className="num">
                Réalisé
              </th>
              <th scope="col" className="num">
                Part du plan
              </th>
              <th scope="col" className="num">
                Écart au plan à date
              </th>
            </tr>
          </thead>
          <tbody>
            {report.revenue.perStream.map((s) => (
              <tr key={s.stream}>
                <th scope="row">{s.label}</th>
                <td className="num">{formatCents(s.plan)}</td>
                <td className="num">{formatCents(s.actual)}</td>
                <td className="num">{formatPercent(ofPlan(s))}</td>
                <td className={`num ${tone(s.variance)}`}>{signed(s.variance)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td className="num">{formatCents(report.revenue.total.plan)}</td>
              <td className="num">{formatCents(report.revenue.total.actual)}</td>
              <td className="num">{formatPercent(ofPlan(report.revenue.total))}</td>
              <td className={`num ${tone(report.revenue.total.variance)}`}>{signed(report.revenue.total.variance)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}

function StreamSection({ report, section }: { report: Report; section: Report["sections"][number] }) {
  const id = `rapport-flux-${section.stream.toLowerCase()}`;
  return (
    <section className="report-section report-stream" aria-labelledby={id}>
      <h2 id={id}>{section.label}</h2>
      {section.activity && report.activityPeriod ? (
        <>
          <p className="muted">
            Activité du {day(report.activityPeriod.from)} au {day(report.activityPeriod.to)}.
          </p>
          <dl className="report-figures">
            {section.activity.figures.map((f) => (
              <div key={f.label} className="card report-figure">
                <dt>{f.label}</dt>
                <dd className="report-figure-value">{formatFigure(f)}</dd>
                {f.note ? <dd className="muted">{f.note}</dd> : null}
              </div>
            ))}
          </dl>
          {section.activity.summary ? <p className="muted report-summary">{section.activity.summary}</p> : null}
        </>
      ) : (
        <p className="muted">L'exercice n'a pas encore commencé.</p>
      )}
      <h3>Recettes : réalisé et plan</h3>
      <PlanMeter revenue={section.revenue} label={`${section.label} : recettes réalisées sur le plan de l'exercice`} />
    </section>
  );
}

function AutofinancementSection({ report }: { report: Report }) {
  const short = (label: string) => label.replace(/^Exercice /, "");
  return (
    <section className="report-section" aria-labelledby="rapport-autofinancement">
      <h2 id="rapport-autofinancement">Autofinancement au fil des exercices</h2>
      <ClientChart title="Taux d'autofinancement par exercice, réalisé et plan" id="graphique-autofinancement-annees">
        {() => (
          <RatioChart
            data={report.autofinancement.map((y) => ({
              label: short(y.label),
              actual: y.actual.ratio,
              planned: y.planned.ratio,
            }))}
          />
        )}
      </ClientChart>
      <div className="table-scroll">
        <table className="table dashboard-table">
          <caption>Recettes propres ÷ (recettes propres + subventions + dons)</caption>
          <thead>
            <tr>
              <th scope="col">Exercice</th>
              <th scope="col" className="num">
                Recettes propres
              </th>
              <th scope="col" className="num">
                Subventions (74)
              </th>
              <th scope="col" className="num">
                Dons (758)
              </th>
              <th scope="col" className="num">
                Taux réalisé
              </th>
              <th scope="col" className="num">
                Taux du plan
              </th>
            </tr>
          </thead>
          <tbody>
            {report.autofinancement.map((y) => (
              <tr key={y.fiscalYearId}>
                <th scope="row">
                  {y.label}
                  {y.closed ? " (clôturé)" : ""}
                </th>
                <td className="num">{formatCents(y.actual.own)}</td>
                <td className="num">{formatCents(y.actual.subsidies)}</td>
                <td className="num">{formatCents(y.actual.gifts)}</td>
                <td className="num">{formatPercent(y.actual.ratio)}</td>
                <td className="num">{formatPercent(y.planned.ratio)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ResultSection({ report }: { report: Report }) {
  const columns = [report.result.current, ...(report.result.previous ? [report.result.previous] : [])];
  const rows = [
    { label: "Produits (classe 7)", value: (c: (typeof columns)[number]) => c.income },
    { label: "Charges (classe 6)", value: (c: (typeof columns)[number]) => c.expenses },
  ];
  return (
    <section className="report-section" aria-labelledby="rapport-resultat">
      <h2 id="rapport-resultat">Compte de résultat (résumé)</h2>
      <div className="table-scroll">
        <table className="table dashboard-table report-result">
          <caption>Produits, charges et résultat{report.result.previous ? ", avec l'exercice précédent" : ""}</caption>
          <thead>
            <tr>
              <td />
              {columns.map((c) => (
                <th key={c.label} scope="col" className="num">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                {columns.map((c) => (
                  <td key={c.label} className="num">
                    {formatCents(r.value(c))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Résultat (excédent ou perte)</th>
              {columns.map((c) => (
                <td key={c.label} className={`num ${tone(c.result)}`}>
                  {formatCents(c.result)}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}

export function AnnualReportView({
  view,
  action,
  pdfHref,
  empty,
}: {
  view: AnnualReportView;
  action: string;
  /** The PDF of the year shown, without its query string. */
  pdfHref: string;
  empty: ReactNode;
}) {
  const { report } = view;
  return (
    <div className="annual-report">
      <YearPicker view={view} action={action} pdfHref={report ? `${pdfHref}?exercice=${report.fiscalYear.id}` : null} />
      {!report ? (
        <div className="notice">{empty}</div>
      ) : (
        <>
          <Cover report={report} />
          <RevenueSection report={report} />
          {report.sections.map((s) => (
            <StreamSection key={s.stream} report={report} section={s} />
          ))}
          <AutofinancementSection report={report} />
          <ResultSection report={report} />
          <p className="muted dashboard-notes">
            Recettes : produits (comptes de classe 7) nets des avoirs et contrepassations, par flux, face au plan
            d'affaires voté ; l'écart compare le réalisé aux objectifs des mois commencés. Autofinancement : recettes
            propres ÷ (recettes propres + subventions + dons), comme au tableau de bord. Compte de résultat : total des
            produits (classe 7) et des charges (classe 6) de l'exercice.
          </p>
        </>
      )}
    </div>
  );
}
