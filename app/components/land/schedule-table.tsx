import type { ReactNode } from "react";
import { formatDay } from "~/components/invoice-sheet";
import { formatCents } from "~/utils/format";

// A lease's rent schedule as a table: period, due date, amount, status (and, in Mon compte, the invoice and the
// card payment). The printable sheet and Mon compte show the same rows.

type Row = { periodStart: string; lastDay: string; dueOn: string; amountCents: number };

export function ScheduleTable<T extends Row>({
  rows,
  caption,
  className,
  short = false,
  status,
  extra,
  totalCents,
}: {
  rows: T[];
  caption: string;
  className: string;
  short?: boolean;
  status: (row: T) => ReactNode;
  extra?: { title: string; cell: (row: T) => ReactNode };
  totalCents?: number;
}) {
  const style = short ? "short" : "date";
  return (
    <div className="table-scroll">
      <table className={className}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Période</th>
            <th scope="col">Échéance</th>
            <th scope="col" className="num">
              Montant
            </th>
            <th scope="col">Statut</th>
            {extra ? <th scope="col">{extra.title}</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.periodStart}>
              <th scope="row">
                du {formatDay(r.periodStart, style)} au {formatDay(r.lastDay, style)}
              </th>
              <td>{formatDay(r.dueOn)}</td>
              <td className="num">{formatCents(r.amountCents)}</td>
              <td>{status(r)}</td>
              {extra ? <td>{extra.cell(r)}</td> : null}
            </tr>
          ))}
        </tbody>
        {totalCents === undefined ? null : (
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                Total du bail
              </th>
              <td className="num">{formatCents(totalCents)}</td>
              <td />
              {extra ? <td /> : null}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}
