import type { Submission } from "@conform-to/react";
import type { Failure } from "~/domain/result";
import { refused } from "./forms.server";

/** A domain refusal on the form field that holds it (the domain names `goalCents`, the form `goal`). */
export function refusedOn(submission: Submission<unknown>, failure: Failure, fields: Record<string, string>) {
  return refused(submission, {
    ...failure,
    field: failure.field ? (fields[failure.field] ?? failure.field) : undefined,
  });
}
