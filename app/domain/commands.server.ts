import {
  getStripe,
  openCheckout,
  runEffects,
  type CheckoutRequest,
  type Effects,
  type Stripe,
} from "~/domain/payments/index.server";
import { fail, isRefusal, type Result } from "~/domain/result";
import { PAYMENT_HANDLERS } from "~/domain/streams.server";
import { db as pool, type Db } from "~/utils/db.server";
import { sendEmail, type EmailMessage } from "~/utils/email.server";

// The one way a route runs a domain command (decision 016). The command opens its transaction on the pool (or
// joins none: it is handed the pool, never a transaction, so "after commit" is true when it returns). What it
// leaves to do — emails, refunds to ask Stripe for — travels in its result and runs here, only once it has
// committed; a refusal it throws (a posting into a closed year met deep in a flow) has rolled everything back and
// comes out as a Failure of the whole form, the one channel routes already answer.

/** What a command's successful value may carry for after the commit. */
type AfterCommit = { effects?: Effects; emails?: EmailMessage[] };

export type Command<I, T> = (client: Db, input: I) => Promise<Result<T>>;

export async function runCommand<I, T>(
  command: Command<I, T>,
  input: I,
  context: { now?: Date; stripe?: Stripe | null; client?: Db } = {},
): Promise<Result<T>> {
  const client = context.client ?? pool;
  let result: Result<T>;
  try {
    result = await command(client, input);
  } catch (error) {
    // Met deep in a flow, its field is the inner module's (a ledger line), not one of the form's: the whole form's.
    if (isRefusal(error)) return fail(error.code, error.message, { status: error.status });
    throw error;
  }
  if (result.ok && typeof result.value === "object" && result.value) {
    await afterCommit(client, result.value as AfterCommit, context);
  }
  return result;
}

async function afterCommit(client: Db, value: AfterCommit, context: { now?: Date; stripe?: Stripe | null }) {
  for (const email of value.emails ?? []) await sendEmail(email, client);
  if (!value.effects) return;
  const stripe = context.stripe === undefined ? getStripe() : context.stripe;
  await runEffects(client, stripe, value.effects, context.now ?? new Date(), PAYMENT_HANDLERS);
}

/**
 * The card path of a route: the stream says what is to be paid (`request`, a command like any other), then payments
 * opens the Stripe Checkout page — its own writes, then the Stripe call. Answers the page's address.
 */
export async function runCheckout<I>(request: Command<I, CheckoutRequest>, input: I, stripe: Stripe) {
  const asked = await runCommand(request, input);
  if (!asked.ok) return asked;
  return openCheckout(pool, stripe, asked.value);
}
