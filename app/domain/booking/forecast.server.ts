import type { ForecastSource } from "~/domain/ledger/index.server";
import { splitInclTax } from "~/domain/ledger/vat";
import { parisInstant } from "./time";
import { COWORKING_VAT_BP } from "./sales.server";

/**
 * The coworking forecast: bookings from today on that are kept but not yet paid (to pay on site), by month of
 * their start, VAT excluded. Paid bookings are already in the actuals (their invoice is posted when paid);
 * booklet bookings were earned when the booklet was sold.
 */
export const coworkingForecast: ForecastSource = async (tx, { poleId, from, to }) => {
  const rows = await tx.$queryRaw<{ month: string; amount: bigint }[]>`
    SELECT to_char("startsAt" AT TIME ZONE 'Europe/Paris', 'YYYY-MM') AS month, sum("priceCents")::bigint AS amount
    FROM "Booking"
    WHERE "poleId" = ${poleId} AND "kind" = 'BOOKING' AND "status" = 'AWAITING_PAYMENT'
      AND "startsAt" >= ${parisInstant(from, 0)} AND "startsAt" < ${parisInstant(to, 1440)}
    GROUP BY 1`;
  return rows.map((r) => ({
    stream: "COWORKING" as const,
    month: r.month,
    amount: splitInclTax(Number(r.amount), COWORKING_VAT_BP).exclTax,
  }));
};
