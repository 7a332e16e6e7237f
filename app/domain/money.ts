// Money is integer cents. The brand marks a number that went through `cents()`: the ledger and payments take
// `Cents`, so a quantity, a rate in basis points or a fractional euro amount cannot be posted by mistake.
declare const centsBrand: unique symbol;
export type Cents = number & { readonly [centsBrand]: true };

/**
 * The largest amount one row may carry: 10 000 000,00 €. The database holds every amount column to it (CHECK,
 * decision 018) and every form refuses more with a field message, so a person never meets the constraint. Below
 * 2^31 / 2, the sum or difference of two amounts in one row (credit − debit, exclTax + tax) stays a 32-bit
 * integer; sums over many rows are bigint in SQL and exact in JavaScript up to nine million rows at the ceiling.
 */
export const MAX_CENTS = 1_000_000_000;

/** Brands a count of cents; anything but a safe integer is a bug, not a user's mistake, so it throws. */
export function cents(n: number): Cents {
  if (!Number.isSafeInteger(n)) throw new TypeError(`Un montant s'exprime en centimes entiers, reçu ${n}.`);
  return n as Cents;
}

export const ZERO_CENTS = cents(0);

/** Σ of amounts, checked: a sum past Number.MAX_SAFE_INTEGER would silently lose cents. */
export const sumCents = (amounts: Iterable<number>): Cents => {
  let total = 0;
  for (const a of amounts) total += a;
  return cents(total);
};
