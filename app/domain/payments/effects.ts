import type { EmailMessage } from "~/utils/email.server";

/**
 * What a money transaction leaves to do once it has committed: emails to send and refunds to ask Stripe for.
 * Doing them after the commit means a rolled-back change never mailed anyone nor moved money.
 */
export type Effects = { emails: EmailMessage[]; refunds: string[] };

export const noEffects = (): Effects => ({ emails: [], refunds: [] });

export function mergeEffects(...all: Effects[]): Effects {
  return { emails: all.flatMap((e) => e.emails), refunds: all.flatMap((e) => e.refunds) };
}
