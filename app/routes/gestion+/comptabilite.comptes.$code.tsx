import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DebitCreditHeaders, formatBalance, Money, PeriodForm, PrintButton, TotalsFoot } from "~/components/ledger";
import { currentPeriod, generalLedger, parisDate } from "~/domain/ledger/index.server";
import { PeriodFilterSchema } from "~/domain/ledger/schemas";
import { STREAM_LABELS } from "~/domain/ledger/streams";
import { db } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { httpError } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Grand livre ${data?.account.code ?? ""} — Comptabilité` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const code = params.code ?? "";
  if (!/^\d{1,10}$/.test(code)) httpError(404, "Ce compte n'existe pas.");
  const asked = PeriodFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const fallback = await currentPeriod(db, pole.id, parisDate(new Date()));
  let period = { from: asked.from ?? fallback.from, to: asked.to ?? fallback.to };
  if (period.to < period.from) period = { from: period.to, to: period.from };
  const ledger = await generalLedger(db, { poleId: pole.id, accountCode: code, ...period });
  if (!ledger) httpError(404, "Ce compte n'existe pas dans le plan comptable du pôle.");
  return json({
    period,
    account: { code: ledger.account.code, label: ledger.account.label, stream: ledger.account.stream },
    opening: ledger.opening,
    closing: ledger.closing,
    totals: ledger.totals,
    lines: ledger.lines,
  });
}

export default function GeneralLedgerPage() {
  const { period, account, opening, closing, totals, lines } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/gestion/comptabilite/comptes">← Plan comptable</Link>
      </p>
      <div className="title-row">
        <h1>
          Grand livre — {account.code} {account.label}
        </h1>
        <PrintButton />
      </div>
      {account.stream ? <p className="muted">Flux par défaut : {STREAM_LABELS[account.stream]}</p> : null}
      <PeriodForm period={period} />
      <div className="table-scroll">
        <table className="table ledger-table">
          <caption>
            Du {formatDate(period.from)} au {formatDate(period.to)}
          </caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Jnl</th>
              <th scope="col">Pièce</th>
              <th scope="col">Libellé</th>
              <DebitCreditHeaders />
              <th scope="col" className="num">
                Solde
              </th>
            </tr>
          </thead>
          <tbody>
            <tr className="carried">
              <td>{formatDate(period.from, "short")}</td>
              <td colSpan={5}>Solde à nouveau (avant le {formatDate(period.from)})</td>
              <td className="num">{formatBalance(opening)}</td>
            </tr>
            {lines.map((l) => (
              <tr key={l.id}>
                <td>{formatDate(l.date, "short")}</td>
                <td>{l.journal}</td>
                <td>{l.pieceRef}</td>
                <td>
                  <Link to={`/gestion/comptabilite/ecritures/${l.entryId}`}>{l.label}</Link>
                  {l.stream ? <span className="muted"> · {STREAM_LABELS[l.stream]}</span> : null}
                </td>
                <Money cents={l.debit} blankZero />
                <Money cents={l.credit} blankZero />
                <td className="num">{formatBalance(l.balance)}</td>
              </tr>
            ))}
          </tbody>
          <TotalsFoot colSpan={4} label={<>Mouvements de la période · solde au {formatDate(period.to)}</>}>
            <Money cents={totals.debit} />
            <Money cents={totals.credit} />
            <td className="num">{formatBalance(closing)}</td>
          </TotalsFoot>
        </table>
      </div>
      {lines.length === 0 ? <p className="muted">Aucun mouvement sur cette période.</p> : null}
    </>
  );
}
