// Typed refusals of the posting module. Routes turn them into a French field message and a 4xx; inside a
// stream's transaction they roll everything back.
export type LedgerErrorCode =
  | "UNBALANCED"
  | "DEBIT_XOR_CREDIT"
  | "NEGATIVE_AMOUNT"
  | "NOT_CENTS"
  | "UNKNOWN_ACCOUNT"
  | "CLOSED_PERIOD"
  | "NO_LINES"
  | "NOT_FOUND"
  | "INVALID";

export class LedgerError extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    /** Where the problem is in the input, e.g. "lines[2].credit" or "date". */
    readonly field?: string,
  ) {
    super(message);
    this.name = "LedgerError";
  }
}

export const isLedgerError = (error: unknown): error is LedgerError => error instanceof LedgerError;
