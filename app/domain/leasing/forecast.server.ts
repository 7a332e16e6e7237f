import type { ForecastSource } from "~/domain/ledger/index.server";
import { toSqlDate } from "~/domain/ledger/dates";
import { splitInclTax } from "~/domain/ledger/vat";

/** The land forecast: instalments of running leases not invoiced yet, by month of their due date, VAT excluded. */
export const landForecast: ForecastSource = async (tx, { poleId, from, to }) => {
  const rows = await tx.$queryRaw<{ month: string; amount: bigint; vat: number }[]>`
    SELECT to_char(i."dueOn", 'YYYY-MM') AS month, sum(i."amountCents")::bigint AS amount, l."vatRateBp" AS vat
    FROM "RentInstalment" i JOIN "Lease" l ON l."id" = i."leaseId"
    WHERE i."poleId" = ${poleId} AND i."status" = 'SCHEDULED' AND l."status" = 'ACTIVE'
      AND i."dueOn" >= ${toSqlDate(from)} AND i."dueOn" <= ${toSqlDate(to)}
    GROUP BY 1, 3`;
  return rows.map((r) => ({
    stream: "LAND" as const,
    month: r.month,
    amount: splitInclTax(Number(r.amount), r.vat).exclTax,
  }));
};
