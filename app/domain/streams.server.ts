import { coworkingForecast, coworkingPaymentHandlers, deskSlotWaitlist } from "~/domain/booking/index.server";
import type { SignUpFollowUps } from "~/domain/identity/index.server";
import { landForecast, landPaymentHandlers, landSignUpFollowUps, plotWaitlist } from "~/domain/leasing/index.server";
import type { ForecastSource } from "~/domain/ledger/index.server";
import type { PurposeHandlers } from "~/domain/payments/index.server";
import type { WaitlistKindDef } from "~/domain/waitlist/index.server";

// What the revenue streams report to the shared modules. The ledger, payments and identity know no stream; each
// stream adds here its forecast source (for the dashboard), its payment handlers (for the Stripe webhook) and
// what to do once a person who signed up through it has confirmed their address (sign-up follow-ups, by kind).
export const STREAM_FORECASTS: readonly ForecastSource[] = [coworkingForecast, landForecast];

export const PAYMENT_HANDLERS: PurposeHandlers = { ...coworkingPaymentHandlers, ...landPaymentHandlers };

export const SIGN_UP_FOLLOW_UPS: SignUpFollowUps = { ...landSignUpFollowUps };

// The kinds of waiting list each stream runs on the one engine (decision 014), one definition per kind.
export const WAITLIST_KINDS: readonly WaitlistKindDef[] = [deskSlotWaitlist, plotWaitlist];
