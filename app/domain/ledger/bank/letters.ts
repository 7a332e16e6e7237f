// Lettrage codes: AA, AB, … AZ, BA, … ZZ, then AAA… — per pole, in the order matches are made, never given twice
// (a letter freed by an unmatch stays spent: the audit log keeps it).

const A = "A".charCodeAt(0);

/** The letter after `last` (null: the first one). */
export function letterAfter(last: string | null): string {
  if (!last || !/^[A-Z]{2,}$/.test(last)) return "AA";
  const digits = [...last].map((c) => c.charCodeAt(0) - A);
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === 25) digits[i--] = 0;
  if (i < 0) return "A".repeat(last.length + 1);
  digits[i] += 1;
  return String.fromCharCode(...digits.map((d) => d + A));
}

/** Orders letters the way they were given: shorter first, then alphabetically. */
export const compareLetters = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
