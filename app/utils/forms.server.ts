import type { Submission } from "@conform-to/react";
import { json } from "@remix-run/node";
import type { Failure } from "~/domain/result";
import { httpError } from "./http.server";
import { isHoneypotFilled } from "./honeypot";

/** A validation failure: 400 with each field's French message and what was typed (passwords excepted). */
export function invalid(submission: Submission<unknown>, hideFields: string[] = []) {
  return json(submission.reply({ hideFields }), { status: 400 });
}

/** A domain failure, attached to its field when it has one, with its own status. */
export function refused(submission: Submission<unknown>, failure: Failure, hideFields: string[] = []) {
  const reply = failure.field
    ? submission.reply({ fieldErrors: { [failure.field]: [failure.message] }, hideFields })
    : submission.reply({ formErrors: [failure.message], hideFields });
  return json(reply, { status: failure.status });
}

/** Over a throttle: 429 with the message on the form and when to try again, in seconds. */
export function tooManyAttempts(
  submission: Submission<unknown>,
  message: string,
  retryAfterSeconds: number,
  hideFields: string[] = [],
) {
  return json(submission.reply({ formErrors: [message], hideFields }), {
    status: 429,
    headers: { "Retry-After": String(retryAfterSeconds) },
  });
}

export function rejectBots(form: FormData) {
  if (isHoneypotFilled(form)) httpError(400, "Envoi refusé : un champ réservé aux robots a été rempli.");
}
