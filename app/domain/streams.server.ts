import { coworkingForecast, coworkingPaymentHandlers } from "~/domain/booking/index.server";
import { landForecast, landPaymentHandlers } from "~/domain/leasing/index.server";
import type { ForecastSource } from "~/domain/ledger/index.server";
import type { PurposeHandlers } from "~/domain/payments/index.server";

// What the revenue streams report to the shared modules. The ledger and payments know no stream; each stream
// adds here its forecast source (for the dashboard) and its payment handlers (for the Stripe webhook).
export const STREAM_FORECASTS: readonly ForecastSource[] = [coworkingForecast, landForecast];

export const PAYMENT_HANDLERS: PurposeHandlers = { ...coworkingPaymentHandlers, ...landPaymentHandlers };
