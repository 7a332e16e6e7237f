import { PaymentPurpose } from "~/generated/prisma/enums";
import { coworkingStream } from "~/domain/booking/index.server";
import { crowdfundingStream } from "~/domain/crowdfunding/index.server";
import type { SignUpFollowUps } from "~/domain/identity/index.server";
import { landStream } from "~/domain/leasing/index.server";
import { trainingStream } from "~/domain/training/index.server";
import type { ForecastSource } from "~/domain/ledger/index.server";
import { sweepPayments, type PurposeHandler, type PurposeHandlers } from "~/domain/payments/index.server";
import type { ActivitySource } from "~/domain/reporting/index.server";
import type { StreamDefinition } from "./stream-definition";
import type { Sweep } from "./sweeps.server";
import type { WaitlistKindDef } from "~/domain/waitlist/index.server";

// The stream registry. The ledger, payments, identity, the waiting list and the server know no stream: each
// revenue stream describes itself once (a StreamDefinition exported by its folder) and is listed here; what the
// shared modules need is read from this list. Adding a stream is its folder plus one line below
// (docs/adding-a-stream.md).

export const STREAMS: readonly StreamDefinition[] = [coworkingStream, landStream, crowdfundingStream, trainingStream];

const PAYMENTS_SWEEP = "payments";

/** What the registry refuses, at start-up: two owners for one thing, or a payment purpose nobody handles. */
export function checkStreams(streams: readonly StreamDefinition[]) {
  const owners = new Map<string, string>();
  const own = (what: string, stream: string) => {
    const owner = owners.get(what);
    if (owner) throw new Error(`Registre des activités : ${what} est déclaré par « ${owner} » et « ${stream} »`);
    owners.set(what, stream);
  };
  own(`le ménage ${PAYMENTS_SWEEP}`, "paiements");
  for (const s of streams) {
    own(`l'activité ${s.name}`, s.name);
    own(`le flux comptable ${s.ledgerStream}`, s.name);
    for (const h of s.paymentPurposes) own(`le motif de paiement ${h.purpose}`, s.name);
    for (const sweep of s.sweeps) own(`le ménage ${sweep.name}`, s.name);
    for (const { kind } of s.waitlistKinds) own(`la liste d'attente ${kind}`, s.name);
    for (const kind of Object.keys(s.signUpFollowUps)) own(`la suite d'inscription ${kind}`, s.name);
  }
  const missing = Object.values(PaymentPurpose).filter((p) => !owners.has(`le motif de paiement ${p}`));
  if (missing.length) throw new Error(`Registre des activités : aucun gestionnaire pour ${missing.join(", ")}`);
}
checkStreams(STREAMS);

/** The dashboard's forecast sources. */
export const STREAM_FORECASTS: readonly ForecastSource[] = STREAMS.map((s) => s.forecast);

/** What each stream tells the annual report of its year, in the registry's order (decision 025). */
export const STREAM_ACTIVITIES: readonly ActivitySource[] = STREAMS.flatMap((s) =>
  s.annualActivity ? [{ stream: s.ledgerStream, activity: s.annualActivity }] : [],
);

/** Every payment purpose's handler, for the webhook, the refunds and the payments' sweep. */
export const PAYMENT_HANDLERS: PurposeHandlers = Object.fromEntries(
  STREAMS.flatMap((s) => s.paymentPurposes).map((h): [PaymentPurpose, PurposeHandler] => [h.purpose, h]),
) as PurposeHandlers;

/** Sign-up follow-ups by kind, for identity (decision 012). */
export const SIGN_UP_FOLLOW_UPS: SignUpFollowUps = Object.assign({}, ...STREAMS.map((s) => s.signUpFollowUps));

/** The kinds of waiting list the streams run on the one engine (decision 014), one definition per kind. */
export const WAITLIST_KINDS: readonly WaitlistKindDef[] = STREAMS.flatMap((s) => s.waitlistKinds);

/**
 * Every periodic sweep, in this order at each tick: the streams' own, then the payments' (the Checkout pages of
 * what a stream's sweep just released are closed in the same tick).
 */
export const SWEEPS: readonly Sweep[] = [
  ...STREAMS.flatMap((s) => s.sweeps),
  {
    name: PAYMENTS_SWEEP,
    label: "Ménage des paiements",
    run: (db, { stripe, now }) => sweepPayments(db, { stripe, now, purposes: PAYMENT_HANDLERS }),
  },
];
