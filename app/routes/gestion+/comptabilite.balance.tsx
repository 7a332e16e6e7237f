import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DebitCreditHeaders, Money, PeriodForm, PrintButton, TotalsFoot } from "~/components/ledger";
import { currentPeriod, parisDate, trialBalance } from "~/domain/ledger/index.server";
import { PeriodFilterSchema } from "~/domain/ledger/schemas";
import { db } from "~/utils/db.server";
import { formatCents, formatDate } from "~/utils/format";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Balance générale — Comptabilité" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const asked = PeriodFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const fallback = await currentPeriod(db, pole.id, parisDate(new Date()));
  const period = { from: asked.from ?? fallback.from, to: asked.to ?? fallback.to };
  if (period.to < period.from) {
    return json({
      period,
      error: "La fin de la période précède son début." as string | null,
      rows: [],
      totals: { debit: 0, credit: 0 },
    });
  }
  const { rows, totals } = await trialBalance(db, { poleId: pole.id, ...period });
  return json({ period, error: null as string | null, rows, totals });
}

export default function BalancePage() {
  const { period, error, rows, totals } = useLoaderData<typeof loader>();
  const balanced = totals.debit === totals.credit;
  const periodQuery = `?${new URLSearchParams(period)}`;
  const soldes = rows.reduce(
    (t, r) =>
      r.debit >= r.credit
        ? { ...t, debit: t.debit + r.debit - r.credit }
        : { ...t, credit: t.credit + r.credit - r.debit },
    { debit: 0, credit: 0 },
  );
  return (
    <>
      <div className="title-row">
        <h1>Balance générale</h1>
        <PrintButton />
      </div>
      <p className="print-only">
        Période du {formatDate(period.from)} au {formatDate(period.to)}
      </p>
      <PeriodForm period={period} />
      {error ? (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      {rows.length === 0 && !error ? <p className="notice">Aucun mouvement sur cette période.</p> : null}
      {rows.length > 0 ? (
        <div className="table-scroll">
          <table className="table ledger-table balance-table">
            <caption>
              Mouvements du {formatDate(period.from)} au {formatDate(period.to)}, en euros
            </caption>
            <thead>
              <tr>
                <th scope="col">Compte</th>
                <th scope="col">Intitulé</th>
                <DebitCreditHeaders />
                <th scope="col" className="num">
                  Solde débiteur
                </th>
                <th scope="col" className="num">
                  Solde créditeur
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.accountId}>
                  <th scope="row">
                    <Link to={`/gestion/comptabilite/comptes/${r.code}${periodQuery}`}>{r.code}</Link>
                  </th>
                  <td>{r.label}</td>
                  <Money cents={r.debit} />
                  <Money cents={r.credit} />
                  <Money cents={Math.max(0, r.debit - r.credit)} blankZero />
                  <Money cents={Math.max(0, r.credit - r.debit)} blankZero />
                </tr>
              ))}
            </tbody>
            <TotalsFoot colSpan={2}>
              <Money cents={totals.debit} />
              <Money cents={totals.credit} />
              <Money cents={soldes.debit} />
              <Money cents={soldes.credit} />
            </TotalsFoot>
          </table>
        </div>
      ) : null}
      {rows.length > 0 ? (
        <p className={balanced ? "notice notice-success" : "notice notice-error"} role="status">
          {balanced
            ? `Balance équilibrée : Σ débit = Σ crédit = ${formatCents(totals.debit)}.`
            : `Balance déséquilibrée : Σ débit ${formatCents(totals.debit)} ≠ Σ crédit ${formatCents(totals.credit)}.`}
        </p>
      ) : null}
    </>
  );
}
