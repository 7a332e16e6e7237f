import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PeriodFields } from "~/components/ledger";
import { currentPeriod, FEC_ENCODING, listFiscalYearsWithCounts, parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { formatDate, formatNumber } from "~/utils/format";
import { can, requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Exports — Comptabilité" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, membership } = await requirePermission(request, "ledger:manage");
  const [years, period] = await Promise.all([
    listFiscalYearsWithCounts(db, pole.id),
    currentPeriod(db, pole.id, parisDate(new Date())),
  ]);
  return json({
    period,
    hasSiren: Boolean(pole.siren && /^\d{9}$/.test(pole.siren.replace(/\s+/g, ""))),
    canEditSettings: can(membership.role, "settings:edit"),
    encoding: FEC_ENCODING,
    years: years.map((y) => ({
      id: y.id,
      startDate: y.startDate,
      endDate: y.endDate,
      closed: y.closedAt !== null,
      entries: y.entries,
    })),
  });
}

export default function Exports() {
  const { period, hasSiren, canEditSettings, encoding, years } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Exports comptables</h1>
      <div className="two-columns">
        <section className="card" aria-labelledby="csv-title">
          <h2 id="csv-title">Écritures d'une période (CSV)</h2>
          <p>
            Une ligne par ligne d'écriture : date, journal, pièce, libellé, compte, débit, crédit, flux, tiers et clé de
            source. Le fichier s'ouvre directement dans un tableur français (séparateur « ; », virgule décimale, accents
            conservés).
          </p>
          {/* A plain GET form: the browser downloads the file instead of navigating. */}
          <form method="get" action="/gestion/comptabilite/exports/ecritures.csv" className="form">
            <div className="filters">
              <PeriodFields idPrefix="csv-" from={period.from} to={period.to} required />
            </div>
            <div>
              <button type="submit" className="button">
                Télécharger le CSV
              </button>
            </div>
          </form>
        </section>

        <section className="card" aria-labelledby="fec-title">
          <h2 id="fec-title">Fichier des écritures comptables (FEC)</h2>
          <p>
            Le FEC est le fichier que l'administration fiscale demande lors d'un contrôle de comptabilité (article L. 47
            A du livre des procédures fiscales). Il contient toutes les écritures d'un exercice, numérotées sans
            interruption dans l'ordre chronologique, selon le format fixé par l'article A. 47 A-1.
          </p>
          {hasSiren ? null : (
            <p className="notice notice-error" role="status">
              Le SIREN du pôle est nécessaire : il donne son nom au fichier.{" "}
              {canEditSettings ? (
                <Link to="/gestion/parametres">Renseignez-le dans les paramètres du pôle.</Link>
              ) : (
                "Demandez à un·e administrateur·rice de le renseigner dans les paramètres du pôle."
              )}
            </p>
          )}
          {years.length === 0 ? (
            <p className="muted">Aucun exercice pour l'instant : il est créé avec la première écriture.</p>
          ) : (
            <form method="get" action="/gestion/comptabilite/exports/fec" className="form">
              <div className="field">
                <label htmlFor="fec-year">Exercice</label>
                <select
                  id="fec-year"
                  name="fiscalYearId"
                  defaultValue={years[0].id}
                  required
                  disabled={!hasSiren}
                  aria-describedby="fec-year-hint"
                >
                  {years.map((y) => (
                    <option key={y.id} value={y.id}>
                      Du {formatDate(y.startDate, "short")} au {formatDate(y.endDate, "short")} —{" "}
                      {y.closed ? "clôturé" : "ouvert"}, {formatNumber(y.entries)} écriture(s)
                    </option>
                  ))}
                </select>
                <p className="field-hint" id="fec-year-hint">
                  Le FEC d'un exercice encore ouvert est provisoire : il change avec chaque nouvelle écriture. Le
                  premier téléchargement du FEC d'un exercice clôturé le fige : l'exercice ne pourra plus être rouvert.
                </p>
              </div>
              <div>
                <button type="submit" className="button" disabled={!hasSiren}>
                  Télécharger le FEC
                </button>
              </div>
            </form>
          )}
          <details>
            <summary>Format du fichier</summary>
            <ul>
              <li>
                Nom : <code>SIRENFECAAAAMMJJ.txt</code>, avec la date de clôture de l'exercice.
              </li>
              <li>
                Jeu de caractères : {encoding} (l'un de ceux que l'article A. 47 A-1 admet ; les accents, « œ » et « € »
                y figurent).
              </li>
              <li>Champs séparés par une tabulation, une ligne par ligne d'écriture, fin de ligne CR LF.</li>
              <li>
                Les 18 champs réglementaires dans l'ordre : JournalCode, JournalLib, EcritureNum, EcritureDate,
                CompteNum, CompteLib, CompAuxNum, CompAuxLib, PieceRef, PieceDate, EcritureLib, Debit, Credit,
                EcritureLet, DateLet, ValidDate, Montantdevise, Idevise.
              </li>
              <li>Dates au format AAAAMMJJ ; montants avec une virgule décimale, sans séparateur de milliers.</li>
              <li>
                Comptes auxiliaires (CompAuxNum) : les lignes de clients (411) et d'avances reçues (419) portent un code
                stable par personne (P…) ou organisation (O…).
              </li>
              <li>Pas de lettrage ni de devise : ces champs restent vides ; tous les montants sont en euros.</li>
            </ul>
          </details>
        </section>
      </div>
    </>
  );
}
