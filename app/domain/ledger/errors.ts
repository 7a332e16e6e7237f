import { Refusal, type Failure } from "~/domain/result";
// Typed refusals of the posting module. Routes turn them into a French field message and a 4xx; inside a
// stream's transaction they roll everything back.
export type LedgerErrorCode =
  | "UNBALANCED"
  | "DEBIT_XOR_CREDIT"
  | "NEGATIVE_AMOUNT"
  | "NOT_CENTS"
  | "TOO_LARGE"
  | "UNKNOWN_ACCOUNT"
  | "CLOSED_PERIOD"
  | "NO_LINES"
  | "NOT_FOUND"
  | "INVALID";

// A closed year is a conflict with the books' state, a missing entry is not found; the rest is bad input.
const STATUS: Record<LedgerErrorCode, Failure["status"]> = {
  UNBALANCED: 422,
  DEBIT_XOR_CREDIT: 422,
  NEGATIVE_AMOUNT: 422,
  NOT_CENTS: 422,
  TOO_LARGE: 422,
  UNKNOWN_ACCOUNT: 422,
  NO_LINES: 422,
  INVALID: 422,
  CLOSED_PERIOD: 409,
  NOT_FOUND: 404,
};

export class LedgerError extends Refusal<LedgerErrorCode> {
  constructor(
    code: LedgerErrorCode,
    message: string,
    /** Where the problem is in the input, e.g. "lines[2].credit" or "date". */
    field?: string,
  ) {
    super(code, message, { field, status: STATUS[code] });
    this.name = "LedgerError";
  }
}

export const isLedgerError = (error: unknown): error is LedgerError => error instanceof LedgerError;
