import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { PrintButton } from "~/components/ledger";
import { listFiscalYears, type FinancialStatements, type StatementRow } from "~/domain/ledger/index.server";
import { fromSqlDate } from "~/domain/ledger/dates";
import { db } from "~/utils/db.server";
import { formatAmount, formatCents, formatDate } from "~/utils/format";
import { requestedStatements } from "~/utils/ledger-reports.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "États financiers — Comptabilité" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const url = new URL(request.url);
  const [statements, years] = await Promise.all([requestedStatements(url, pole.id), listFiscalYears(db, pole.id)]);
  return json({
    statements,
    years: years.map((y) => ({
      id: y.id,
      startDate: fromSqlDate(y.startDate),
      endDate: fromSqlDate(y.endDate),
      closed: y.closedAt !== null,
    })),
    showAccounts: url.searchParams.get("comptes") === "1",
  });
}

type Year = { startDate: string; endDate: string };
const yearLabel = (y: Year) =>
  y.startDate.slice(0, 4) === y.endDate.slice(0, 4)
    ? y.endDate.slice(0, 4)
    : `${y.startDate.slice(0, 4)}-${y.endDate.slice(0, 4)}`;
const yearName = (y: Year) => `Exercice ${yearLabel(y)}`;
const yearSpan = (y: Year) => `du ${formatDate(y.startDate)} au ${formatDate(y.endDate)}`;

export default function StatementsPage() {
  const { statements: s, years, showAccounts } = useLoaderData<typeof loader>();
  if (!s) {
    return (
      <>
        <h1>États financiers</h1>
        <p className="notice">Aucun exercice pour l'instant : la première écriture ouvre l'exercice de son année.</p>
      </>
    );
  }
  const balanced = s.totals.assets === s.totals.liabilities;
  const pdfHref = `/gestion/comptabilite/etats.pdf?${new URLSearchParams({ exercice: s.year.id })}`;
  const period = { from: s.year.startDate, to: s.year.endDate };
  return (
    <div className="statements">
      <div className="title-row">
        <h1>États financiers</h1>
        <div className="button-row no-print">
          <a className="button button-secondary" href={pdfHref} download>
            Télécharger le PDF
          </a>
          <PrintButton />
        </div>
      </div>
      <p className="muted">
        Compte de résultat et bilan au modèle abrégé du plan comptable général, lus dans la balance :{" "}
        {yearName(s.year).toLowerCase()} ({yearSpan(s.year)})
        {s.previous ? `, comparé à l'${yearName(s.previous).toLowerCase()}` : ", premier exercice"}. Montants en euros.
      </p>
      <Form method="get" className="filters ledger-filters" aria-label="Exercice">
        <div className="field">
          <label htmlFor="exercice">Exercice</label>
          <select id="exercice" name="exercice" defaultValue={s.year.id}>
            {years.map((y) => (
              <option key={y.id} value={y.id}>
                {yearName(y)} ({y.closed ? "clôturé" : "ouvert"})
              </option>
            ))}
          </select>
        </div>
        <div className="field field-checkbox">
          <input id="comptes" name="comptes" type="checkbox" value="1" defaultChecked={showAccounts} />
          <label htmlFor="comptes">Détail des comptes</label>
        </div>
        <button type="submit" className="button button-secondary">
          Afficher
        </button>
      </Form>
      {s.year.closed ? (
        <p className="notice notice-success" role="status">
          Exercice clôturé : ces comptes sont définitifs.
        </p>
      ) : (
        <p className="notice notice-warning" role="status">
          <strong>Provisoire</strong> : l'exercice n'est pas clôturé, ces comptes changeront avec les écritures à venir.
        </p>
      )}

      <section aria-labelledby="compte-de-resultat">
        <h2 id="compte-de-resultat">Compte de résultat</h2>
        <StatementTable
          caption={`Compte de résultat — ${yearName(s.year).toLowerCase()}`}
          hiddenCaption
          rows={s.income}
          statements={s}
          showAccounts={showAccounts}
          period={period}
        />
      </section>

      <section aria-labelledby="bilan">
        <h2 id="bilan">Bilan au {formatDate(s.year.endDate)}</h2>
        <StatementTable
          caption="Actif"
          rows={s.assets}
          statements={s}
          showAccounts={showAccounts}
          period={period}
          assets
        />
        <StatementTable
          caption="Passif"
          rows={s.liabilities}
          statements={s}
          showAccounts={showAccounts}
          period={period}
        />
        <p className={balanced ? "notice notice-success" : "notice notice-error"} role="status">
          {balanced
            ? `Bilan équilibré : total de l'actif = total du passif = ${formatCents(s.totals.assets)}.`
            : `Bilan déséquilibré : actif ${formatCents(s.totals.assets)} ≠ passif ${formatCents(s.totals.liabilities)}.`}
        </p>
        <p className="muted">
          Les comptes de bilan sont cumulés{" "}
          {s.balancesFrom
            ? `depuis les à-nouveaux du ${formatDate(s.balancesFrom)}`
            : "depuis la première écriture (aucun exercice antérieur n'a été reporté en à-nouveaux)"}
          . Le résultat de l'exercice est calculé sur les classes 6 et 7 ; les résultats antérieurs non encore affectés
          (comptes 12 ou exercices non reportés) figurent sur leur propre ligne.
        </p>
      </section>
    </div>
  );
}

function StatementTable({
  caption,
  rows,
  statements: s,
  showAccounts,
  period,
  assets = false,
  hiddenCaption = false,
}: {
  caption: string;
  hiddenCaption?: boolean;
  rows: StatementRow[];
  statements: FinancialStatements;
  showAccounts: boolean;
  period: { from: string; to: string };
  assets?: boolean;
}) {
  const amounts = (r: StatementRow) => [
    ...(assets ? [r.gross ?? 0, r.depreciation ?? 0] : []),
    r.n,
    ...(s.previous ? [r.prev ?? 0] : []),
  ];
  const columns = 1 + (assets ? 2 : 0) + 1 + (s.previous ? 1 : 0);
  const accountQuery = `?${new URLSearchParams(period)}`;
  return (
    <div className="table-scroll">
      <table className="table ledger-table statement-table">
        <caption className={hiddenCaption ? "visually-hidden" : undefined}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Rubrique</th>
            {assets ? (
              <>
                <th scope="col" className="num">
                  Brut
                </th>
                <th scope="col" className="num">
                  <abbr title="Amortissements et dépréciations">Amort. et dépréc.</abbr>
                </th>
              </>
            ) : null}
            <th scope="col" className="num">
              {assets ? `Net ${yearLabel(s.year)}` : yearName(s.year)}
            </th>
            {s.previous ? (
              <th scope="col" className="num">
                {assets ? `Net ${yearLabel(s.previous)}` : yearName(s.previous)}
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) =>
            r.kind === "heading" ? (
              <tr key={r.key} className="group-head">
                <th scope="colgroup" colSpan={columns}>
                  {r.label}
                </th>
              </tr>
            ) : (
              <StatementLine
                key={r.key}
                row={r}
                amounts={amounts(r)}
                accounts={showAccounts && r.kind === "line" ? (r.accounts ?? []) : []}
                accountQuery={accountQuery}
                blankColumns={assets ? 2 : 0}
                hasPrevious={Boolean(s.previous)}
              />
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}

function StatementLine({
  row,
  amounts,
  accounts,
  accountQuery,
  blankColumns,
  hasPrevious,
}: {
  row: StatementRow;
  amounts: number[];
  accounts: NonNullable<StatementRow["accounts"]>;
  accountQuery: string;
  blankColumns: number;
  hasPrevious: boolean;
}) {
  return (
    <>
      <tr className={`statement-${row.kind}`}>
        <th scope="row">{row.label}</th>
        {amounts.map((a, i) => (
          <td key={i} className="num">
            {a === 0 && row.kind === "line" ? "–" : formatAmount(a)}
          </td>
        ))}
      </tr>
      {accounts.map((a) => (
        <tr key={`${row.key}-${a.code}`} className="statement-account">
          <td>
            {/^\d+$/.test(a.code) ? (
              <Link to={`/gestion/comptabilite/comptes/${a.code}${accountQuery}`}>{a.code}</Link>
            ) : (
              a.code
            )}{" "}
            {a.label}
          </td>
          {Array.from({ length: blankColumns }, (_, i) => (
            <td key={i} />
          ))}
          <td className="num">{formatAmount(a.amount)}</td>
          {hasPrevious ? <td /> : null}
        </tr>
      ))}
    </>
  );
}
