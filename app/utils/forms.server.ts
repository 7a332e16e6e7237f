import type { Submission } from "@conform-to/react";
import { json } from "@remix-run/node";
import type { Failure } from "~/domain/result";
import { db } from "./db.server";
import { httpError } from "./http.server";
import { isHoneypotFilled } from "./honeypot";
import { throttleAccountForm } from "./rate-limit.server";

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

/**
 * A sign-up, on its own or on the way to a stream (an application, a pledge): throttled per address and per IP;
 * over the limit, the 429 answer to send (the password field emptied), otherwise null.
 */
export async function signUpThrottled(submission: Submission<unknown>, who: { ip: string; email: string }) {
  const throttle = await throttleAccountForm(db, "signup", who);
  if (throttle.allowed) return null;
  return tooManyAttempts(
    submission,
    "Trop de tentatives de création de compte. Réessayez dans quelques minutes.",
    throttle.retryAfterSeconds,
    ["password"],
  );
}

export function rejectBots(form: FormData) {
  if (isHoneypotFilled(form)) httpError(400, "Envoi refusé : un champ réservé aux robots a été rempli.");
}
