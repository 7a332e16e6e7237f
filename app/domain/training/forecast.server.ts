import type { ForecastSource } from "~/domain/ledger/index.server";
import { trainingVat } from "./books.server";

/**
 * The training forecast: confirmed registrations of sessions still to deliver, by month of their last day, VAT
 * excluded — what their invoices deferred (or will bill, for a seat confirmed without one yet) and the delivery
 * will recognise. Delivered sessions are in the actuals already.
 */
export const trainingForecast: ForecastSource = async (tx, { poleId, from, to }) => {
  const pole = await tx.pole.findUniqueOrThrow({ where: { id: poleId } });
  const rate = trainingVat(pole).vatRateBp;
  const rows = await tx.$queryRaw<{ month: string; amount: bigint }[]>`
    SELECT to_char(s."endsAt" AT TIME ZONE 'Europe/Paris', 'YYYY-MM') AS month,
           sum(coalesce(i."totalExclTax", round(r."priceCents" * 10000.0 / (10000 + ${rate}))))::bigint AS amount
    FROM "Registration" r
    JOIN "TrainingSession" s ON s."id" = r."sessionId"
    LEFT JOIN "Invoice" i ON i."id" = r."invoiceId"
    WHERE r."poleId" = ${poleId} AND r."status" = 'CONFIRMED' AND r."recognisedAt" IS NULL
      AND s."status" IN ('SCHEDULED', 'CONFIRMED')
      AND (s."endsAt" AT TIME ZONE 'Europe/Paris')::date BETWEEN ${from}::date AND ${to}::date
    GROUP BY 1`;
  return rows.map((r) => ({ stream: "TRAINING" as const, month: r.month, amount: Number(r.amount) }));
};
