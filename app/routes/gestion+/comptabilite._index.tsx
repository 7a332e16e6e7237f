import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { DebitCreditHeaders, Money, PeriodFields, PrintButton, StreamFilter } from "~/components/ledger";
import { Pagination } from "~/components/pagination";
import { fromSqlDate, listAccounts, listEntries } from "~/domain/ledger/index.server";
import { JournalFilterSchema } from "~/domain/ledger/schemas";
import { ALL_JOURNALS, JOURNAL_LABELS, STREAM_LABELS } from "~/domain/ledger/streams";
import { db } from "~/utils/db.server";
import { formatDate, formatNumber } from "~/utils/format";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Journal — Comptabilité" }];

const PAGE_SIZE = 25;

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "ledger:manage");
  const filter = JournalFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [result, accounts] = await Promise.all([
    listEntries(db, {
      poleId: pole.id,
      from: filter.from,
      to: filter.to,
      journal: filter.journal,
      stream: filter.stream,
      accountCode: filter.account,
      page: filter.page ?? 1,
      pageSize: PAGE_SIZE,
    }),
    listAccounts(db, pole.id),
  ]);
  return json({
    filter,
    accounts: accounts.map((a) => ({ code: a.code, label: a.label })),
    total: result.total,
    page: result.page,
    pageCount: result.pageCount,
    entries: result.entries.map((e) => ({
      id: e.id,
      date: fromSqlDate(e.date),
      journal: e.journal,
      label: e.label,
      pieceRef: e.pieceRef,
      reversalOfId: e.reversalOfId,
      reversed: !!e.reversedBy,
      lines: e.lines.map((l) => ({
        id: l.id,
        code: l.account.code,
        accountLabel: l.account.label,
        label: l.label,
        stream: l.stream,
        debit: l.debit,
        credit: l.credit,
      })),
    })),
  });
}

export default function JournalPage() {
  const { filter, accounts, entries, total, page, pageCount } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="title-row">
        <h1>Journal</h1>
        <PrintButton />
      </div>
      <Form method="get" className="filters ledger-filters" role="search" aria-label="Filtrer les écritures">
        <PeriodFields from={filter.from} to={filter.to} />
        <div className="field">
          <label htmlFor="journal">Journal</label>
          <select id="journal" name="journal" defaultValue={filter.journal ?? ""}>
            <option value="">Tous</option>
            {ALL_JOURNALS.map((j) => (
              <option key={j} value={j}>
                {j} — {JOURNAL_LABELS[j]}
              </option>
            ))}
          </select>
        </div>
        <StreamFilter value={filter.stream} />
        <div className="field">
          <label htmlFor="account">Compte</label>
          <input
            id="account"
            name="account"
            type="text"
            inputMode="numeric"
            list="account-codes"
            defaultValue={filter.account ?? ""}
            placeholder="ex. 74 ou 512000"
            aria-describedby="account-hint"
          />
          <datalist id="account-codes">
            {accounts.map((a) => (
              <option key={a.code} value={a.code}>
                {a.label}
              </option>
            ))}
          </datalist>
          <p className="field-hint" id="account-hint">
            Inclut les sous-comptes.
          </p>
        </div>
        <button type="submit" className="button button-secondary">
          Filtrer
        </button>
      </Form>
      <p className="muted" role="status">
        {formatNumber(total)} écriture(s){pageCount > 1 ? ` — page ${page} sur ${pageCount}` : ""}
      </p>
      {entries.length === 0 ? (
        <p className="notice">Aucune écriture ne correspond à ces critères.</p>
      ) : (
        <div className="table-scroll">
          <table className="table ledger-table journal-table">
            <caption className="visually-hidden">Écritures du journal, avec leurs lignes au débit et au crédit</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Jnl</th>
                <th scope="col">Compte</th>
                <th scope="col">Libellé</th>
                <DebitCreditHeaders />
              </tr>
            </thead>
            {entries.map((e) => (
              <tbody key={e.id} className="journal-entry">
                <tr className="entry-head">
                  <td>{formatDate(e.date, "short")}</td>
                  <td>
                    <abbr title={JOURNAL_LABELS[e.journal]}>{e.journal}</abbr>
                  </td>
                  <td colSpan={4}>
                    <Link to={`/gestion/comptabilite/ecritures/${e.id}`}>{e.label}</Link>{" "}
                    <span className="muted">— pièce {e.pieceRef}</span>
                    {e.reversalOfId ? <span className="badge badge-reversal">Contrepassation</span> : null}
                    {e.reversed ? <span className="badge badge-reversed">Contrepassée</span> : null}
                  </td>
                </tr>
                {e.lines.map((l) => (
                  <tr key={l.id}>
                    <td />
                    <td />
                    <td>
                      <Link to={`/gestion/comptabilite/comptes/${l.code}`} title={l.accountLabel}>
                        {l.code}
                      </Link>
                    </td>
                    <td>
                      {l.label ?? l.accountLabel}
                      {l.stream ? <span className="muted"> · {STREAM_LABELS[l.stream]}</span> : null}
                    </td>
                    <Money cents={l.debit} blankZero />
                    <Money cents={l.credit} blankZero />
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
      <Pagination page={page} pageCount={pageCount} filter={filter} />
    </>
  );
}
