import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { FilterSelect } from "~/components/spaces-admin";
import { reportYearOf } from "~/domain/training/admin-schemas";
import { reportYears, yearlyReport } from "~/domain/training/index.server";
import { db } from "~/utils/db.server";
import { formatCents, formatNumber } from "~/utils/format";
import { requirePermission } from "~/utils/permissions.server";

// The yearly report (bilan pédagogique et financier): trainees and hours by trainee type, revenue by funder type
// from the books, and per course, for a calendar year.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Bilan des formations ${data?.report.year ?? ""} — Gestion` },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "training:manage");
  const now = new Date();
  const years = await reportYears(db, pole.id, now);
  const year = reportYearOf(new URL(request.url).searchParams, years[0]);
  const report = await yearlyReport(db, { poleId: pole.id, year });
  return json({ years, report, csvHref: `/gestion/formations/bilan.csv?annee=${year}` });
}

export default function YearlyReport() {
  const { years, report, csvHref } = useLoaderData<typeof loader>();
  const funded = report.byFunderType.reduce((s, f) => s + f.cents, 0);
  return (
    <>
      <div className="title-row">
        <h1>Bilan pédagogique et financier {report.year}</h1>
        <p className="link-row">
          <a href={csvHref} className="button button-secondary" download>
            Exporter en CSV
          </a>
        </p>
      </div>
      <Form method="get" className="filters" aria-label="Choisir l'année">
        <FilterSelect
          name="annee"
          label="Année civile"
          value={String(report.year)}
          options={[...new Set([...years, report.year])]
            .sort((a, b) => b - a)
            .map((y) => ({ value: String(y), label: String(y) }))}
        />
        <button type="submit" className="button button-secondary">
          Afficher
        </button>
      </Form>
      <div className="report-note field-hint">
        <p>
          <strong>Stagiaires et heures</strong> : les inscriptions confirmées des sessions <em>réalisées</em> dont la
          dernière partie a eu lieu en {report.year}. Les heures-stagiaires sont la durée prévue de la formation
          multipliée par ces inscriptions (la durée du programme, pas les demi-journées relevées présentes). Une
          personne compte une fois comme stagiaire même si elle a suivi plusieurs formations.
        </p>
        <p>
          <strong>Produits</strong> : le chiffre d'affaires de formation reconnu en {report.year} dans la comptabilité
          (compte 706200, flux Formations), c'est-à-dire à la réalisation des sessions, hors taxes, réparti selon qui a
          payé chaque inscription.
        </p>
      </div>
      <ul className="stat-grid report-figures">
        <li className="card stat">
          <span className="stat-value">{formatNumber(report.total.trainees)}</span>
          <span className="stat-label">stagiaires (personnes)</span>
        </li>
        <li className="card stat">
          <span className="stat-value">{formatNumber(report.total.hours)}</span>
          <span className="stat-label">heures-stagiaires</span>
        </li>
        <li className="card stat">
          <span className="stat-value">{formatNumber(report.total.sessions)}</span>
          <span className="stat-label">sessions réalisées</span>
        </li>
        <li className="card stat">
          <span className="stat-value">{formatCents(report.total.revenueCents)}</span>
          <span className="stat-label">produits de formation HT</span>
        </li>
      </ul>
      <section aria-labelledby="stagiaires">
        <h2 id="stagiaires">Stagiaires par type</h2>
        <div className="table-scroll">
          <table className="table report-table">
            <thead>
              <tr>
                <th scope="col">Type de stagiaire</th>
                <th scope="col" className="num">
                  Stagiaires
                </th>
                <th scope="col" className="num">
                  Inscriptions
                </th>
                <th scope="col" className="num">
                  Heures-stagiaires
                </th>
              </tr>
            </thead>
            <tbody>
              {report.byTraineeType.map((t) => (
                <tr key={t.type}>
                  <th scope="row">{t.label}</th>
                  <td className="num">{formatNumber(t.trainees)}</td>
                  <td className="num">{formatNumber(t.registrations)}</td>
                  <td className="num">{formatNumber(t.hours)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total</th>
                <td className="num">{formatNumber(report.total.trainees)}</td>
                <td className="num">{formatNumber(report.total.registrations)}</td>
                <td className="num">{formatNumber(report.total.hours)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </section>
      <section aria-labelledby="produits">
        <h2 id="produits">Origine des produits</h2>
        <div className="table-scroll">
          <table className="table report-table">
            <thead>
              <tr>
                <th scope="col">Financeur</th>
                <th scope="col" className="num">
                  Inscriptions
                </th>
                <th scope="col" className="num">
                  Produits HT
                </th>
              </tr>
            </thead>
            <tbody>
              {report.byFunderType.map((f) => (
                <tr key={f.type}>
                  <th scope="row">{f.label}</th>
                  <td className="num">{formatNumber(f.registrations)}</td>
                  <td className="num">{formatCents(f.cents)}</td>
                </tr>
              ))}
              {report.unexplainedCents !== 0 ? (
                <tr>
                  <th scope="row">
                    Écritures non rattachées à une inscription
                    <span className="cell-sub">
                      Saisies à la main sur le 706200 :{" "}
                      <Link to="/gestion/comptabilite/comptes/706200">voir le compte</Link>
                    </span>
                  </th>
                  <td className="num">—</td>
                  <td className="num">{formatCents(report.unexplainedCents)}</td>
                </tr>
              ) : null}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total</th>
                <td className="num">{formatNumber(report.byFunderType.reduce((s, f) => s + f.registrations, 0))}</td>
                <td className="num">{formatCents(funded + report.unexplainedCents)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </section>
      <section aria-labelledby="par-formation">
        <h2 id="par-formation">Par formation</h2>
        {report.courses.length === 0 ? (
          <p className="notice">Aucune session réalisée ni aucun produit de formation en {report.year}.</p>
        ) : (
          <div className="table-scroll">
            <table className="table report-table">
              <thead>
                <tr>
                  <th scope="col">Formation</th>
                  <th scope="col" className="num">
                    Sessions
                  </th>
                  <th scope="col" className="num">
                    Stagiaires
                  </th>
                  <th scope="col" className="num">
                    Heures-stagiaires
                  </th>
                  <th scope="col" className="num">
                    Produits HT
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.courses.map((c) => (
                  <tr key={c.courseId}>
                    <th scope="row">
                      <Link to={`/gestion/formations/${c.courseId}`}>{c.title}</Link>
                      {c.durationHours ? <span className="cell-sub">{c.durationHours} h</span> : null}
                    </th>
                    <td className="num">{formatNumber(c.sessions)}</td>
                    <td className="num">{formatNumber(c.trainees)}</td>
                    <td className="num">{formatNumber(c.hours)}</td>
                    <td className="num">{formatCents(c.revenueCents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
