import { coworkingForecast } from "~/domain/booking/index.server";
import type { ForecastSource } from "~/domain/ledger/index.server";

// What the revenue streams report to the ledger's dashboard. The ledger knows no stream; each stream adds its
// forecast source here when it is built (coworking now; lease instalments and registrations later).
export const STREAM_FORECASTS: readonly ForecastSource[] = [coworkingForecast];
