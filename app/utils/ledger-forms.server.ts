import type { Submission } from "@conform-to/react";
import { json } from "@remix-run/node";
import type { LedgerError } from "~/domain/ledger/index.server";

// How the accounting screens answer a refusal of the posting module: the LedgerError's French message on the
// form field it names (or on the form when the form has no such field), with a 4xx — never a 500.

/**
 * `toField` maps the error's field (e.g. "lines[1].account", "date") to the form's field name, or returns
 * undefined when the form shows no such field (the message then goes to the form's errors).
 */
export function ledgerRefused(
  submission: Submission<unknown>,
  error: LedgerError,
  toField: (field: string) => string | undefined = () => undefined,
) {
  const field = error.field ? toField(error.field) : undefined;
  const reply = field
    ? submission.reply({ fieldErrors: { [field]: [error.message] } })
    : submission.reply({ formErrors: [error.message] });
  return json(reply, { status: error.status });
}
