import type { Stream } from "~/generated/prisma/enums";
import type { SignUpFollowUps } from "~/domain/identity/index.server";
import type { ForecastSource } from "~/domain/ledger/index.server";
import type { PurposeHandler } from "~/domain/payments/index.server";
import type { AnnualActivity } from "~/domain/reporting/activity";
import type { WaitlistKindDef } from "~/domain/waitlist/index.server";
import type { Sweep } from "./sweeps.server";

/**
 * What a revenue stream gives the shared modules, which know it only through this: its folder exports one, and
 * the registry (app/domain/streams.server.ts) lists it. See docs/adding-a-stream.md.
 */
export type StreamDefinition = {
  /** Its name in the registry's checks and the logs: "coworking". */
  name: string;
  /** Its code on ledger lines, business-plan lines and the dashboard. */
  ledgerStream: Stream;
  /** Confirmed revenue to come, for the dashboard's forecast. */
  forecast: ForecastSource;
  /** One handler per PaymentPurpose it takes money for: how payments finds, closes and settles its targets. */
  paymentPurposes: readonly PurposeHandler[];
  /** Its periodic work, each run under a lease (one instance at a time) by the server's sweeper. */
  sweeps: readonly Sweep[];
  /** The kinds of waiting list it runs on the one engine: what a unit is, how it is held and taken (decision 014). */
  waitlistKinds: readonly WaitlistKindDef[];
  /** What to do once someone who signed up through it confirms their address, by kind (decision 012). */
  signUpFollowUps: SignUpFollowUps;
  /** Its year for the annual report (decision 025): a few labelled figures and a sentence, read from its tables. */
  annualActivity?: AnnualActivity;
};
