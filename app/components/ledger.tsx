import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { STREAM_LABELS, STREAMS } from "~/domain/ledger/streams";
import { formatCents } from "~/utils/format";

// Small pieces shared by the accounting screens.

export const ACCOUNT_CLASSES: Record<string, string> = {
  "1": "Classe 1 — Capitaux",
  "2": "Classe 2 — Immobilisations",
  "3": "Classe 3 — Stocks et en-cours",
  "4": "Classe 4 — Tiers",
  "5": "Classe 5 — Financiers",
  "6": "Classe 6 — Charges",
  "7": "Classe 7 — Produits",
  "8": "Classe 8 — Comptes spéciaux",
};

/** Accounts grouped by PCG class (first digit), in code order. */
export function groupByClass<A extends { code: string }>(accounts: readonly A[]) {
  const groups = new Map<string, A[]>();
  for (const a of [...accounts].sort((x, y) => x.code.localeCompare(y.code))) {
    const key = a.code.slice(0, 1);
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return [...groups].map(([key, items]) => ({ key, label: ACCOUNT_CLASSES[key] ?? `Classe ${key}`, accounts: items }));
}

/** A money cell: right-aligned tabular figures, empty for zero when `blankZero`. */
export function Money({ cents, blankZero = false }: { cents: number; blankZero?: boolean }) {
  return <td className="num">{blankZero && cents === 0 ? "" : formatCents(cents)}</td>;
}

/** A balance shown as "1 234,00 € D" / "C", the way French ledgers print a debit or credit balance. */
export function formatBalance(cents: number) {
  if (cents === 0) return formatCents(0);
  return `${formatCents(Math.abs(cents))} ${cents > 0 ? "D" : "C"}`;
}

export function PrintButton({ children = "Imprimer" }: { children?: ReactNode }) {
  return (
    <button type="button" className="button button-secondary button-small" onClick={() => window.print()}>
      {children}
    </button>
  );
}

/** The two money column headers of every ledger table. */
export function DebitCreditHeaders() {
  return (
    <>
      <th scope="col" className="num">
        Débit
      </th>
      <th scope="col" className="num">
        Crédit
      </th>
    </>
  );
}

/** A ledger table's footer: one totals row, its heading spanning the text columns, then the given money cells. */
export function TotalsFoot({
  label = "Totaux",
  colSpan,
  children,
}: {
  label?: ReactNode;
  colSpan: number;
  children: ReactNode;
}) {
  return (
    <tfoot>
      <tr className="totals-row">
        <th scope="row" colSpan={colSpan}>
          {label}
        </th>
        {children}
      </tr>
    </tfoot>
  );
}

/** The "Du" / "Au" date fields of a period filter; `idPrefix` keeps the ids unique when a page has several. */
export function PeriodFields({
  from,
  to,
  required = false,
  idPrefix = "",
}: {
  from?: string;
  to?: string;
  required?: boolean;
  idPrefix?: string;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}from`}>Du</label>
        <input id={`${idPrefix}from`} name="from" type="date" defaultValue={from ?? ""} required={required} />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}to`}>Au</label>
        <input id={`${idPrefix}to`} name="to" type="date" defaultValue={to ?? ""} required={required} />
      </div>
    </>
  );
}

/** The GET form that picks the period of a report (balance, general ledger). */
export function PeriodForm({ period }: { period: { from: string; to: string } }) {
  return (
    <Form method="get" className="filters ledger-filters" aria-label="Période">
      <PeriodFields from={period.from} to={period.to} required />
      <button type="submit" className="button button-secondary">
        Afficher
      </button>
    </Form>
  );
}

/** One <option> per revenue stream. */
export function StreamOptions() {
  return (
    <>
      {STREAMS.map((s) => (
        <option key={s} value={s}>
          {STREAM_LABELS[s]}
        </option>
      ))}
    </>
  );
}

/** The "Flux" select of a list filter (name `stream`), empty for all streams. */
export function StreamFilter({ value }: { value?: string }) {
  return (
    <div className="field">
      <label htmlFor="stream">Flux</label>
      <select id="stream" name="stream" defaultValue={value ?? ""}>
        <option value="">Tous</option>
        <StreamOptions />
      </select>
    </div>
  );
}

/** The chart of accounts as <optgroup>s by class, as `groupByClass` returns it. */
export function AccountOptions({
  groups,
}: {
  groups: readonly { key: string; label: string; accounts: readonly { code: string; label: string }[] }[];
}) {
  return (
    <>
      {groups.map((g) => (
        <optgroup key={g.key} label={g.label}>
          {g.accounts.map((a) => (
            <option key={a.code} value={a.code}>
              {a.code} — {a.label}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}
