// Expected failures are values the route turns into a French message and a 4xx; unexpected ones throw.
export type Failure<C extends string = string> = {
  ok: false;
  code: C;
  message: string;
  /** The form field the message belongs to, when there is one. */
  field?: string;
  status: 400 | 401 | 403 | 404 | 409 | 410 | 422 | 429 | 503;
};
export type Success<T> = { ok: true; value: T };
export type Result<T, C extends string = string> = Success<T> | Failure<C>;

export const ok = <T>(value: T): Success<T> => ({ ok: true, value });

export function fail<C extends string>(
  code: C,
  message: string,
  options: { field?: string; status?: Failure["status"] } = {},
): Failure<C> {
  return { ok: false, code, message, field: options.field, status: options.status ?? 422 };
}

/**
 * A refusal thrown from deep inside a command, where returning a result would mean threading it through every
 * caller (a posting into a closed year met while invoicing a booking). Throwing rolls the transaction back;
 * `runCommand` (commands.server.ts) and the HTTP layer turn it into the same Failure a command would return.
 */
export class Refusal<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly options: { field?: string; status?: Failure["status"] } = {},
  ) {
    super(message);
    this.name = "Refusal";
  }

  get field() {
    return this.options.field;
  }

  get status(): Failure["status"] {
    return this.options.status ?? 422;
  }

  /** A failure a step returned, thrown so that the caller's transaction rolls back what came before it. */
  static from<C extends string>(failure: Failure<C>): Refusal<C> {
    return new Refusal(failure.code, failure.message, { field: failure.field, status: failure.status });
  }

  toFailure(): Failure<C> {
    return fail(this.code, this.message, this.options);
  }
}

export const isRefusal = (error: unknown): error is Refusal => error instanceof Refusal;
