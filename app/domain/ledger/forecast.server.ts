import type { Stream } from "~/generated/prisma/enums";
import type { Client } from "~/utils/db.server";
import type { IsoDate } from "./dates";

/**
 * Confirmed future revenue a stream reports for the dashboard's forecast: bookings already made, lease
 * instalments due, paid registrations… Amounts are revenue excluding VAT, in cents, per calendar month
 * ("YYYY-MM") of the period [from, to] (both inclusive, from ≥ today).
 */
export type ForecastItem = { stream: Stream; month: string; amount: number };
export type ForecastSource = (
  tx: Client,
  input: { poleId: string; from: IsoDate; to: IsoDate; today: IsoDate },
) => Promise<ForecastItem[]>;
