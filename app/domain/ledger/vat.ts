// VAT arithmetic on integer cents. Prices are entered VAT included (what a person pays); the tax is
// computed per line, rounding half-up on the line (architecture.md).

/** a / b rounded half-up, for a ≥ 0 and b > 0 integers. */
export function divRoundHalfUp(a: number, b: number) {
  return Math.floor((2 * a + b) / (2 * b));
}

/** Splits a VAT-included amount: 12000 at 2000 bp (20 %) → { exclTax: 10000, tax: 2000 }. */
export function splitInclTax(inclTax: number, vatRateBp: number) {
  const exclTax = divRoundHalfUp(inclTax * 10000, 10000 + vatRateBp);
  return { exclTax, tax: inclTax - exclTax, inclTax };
}

/** Adds VAT to an amount before tax: 10000 at 2000 bp → 12000, rounded half-up to the cent. */
export const withVat = (exclTax: number, vatRateBp: number) => divRoundHalfUp(exclTax * (10000 + vatRateBp), 10000);

export const VAT_RATES_BP = [2000, 1000, 550, 210, 0] as const;

/**
 * Mentions printed on an invoice line at 0 % (CGI ann. II art. 242 nonies A, 13°: the provision that exempts it).
 * Land rent and vocational training are exempt operations ("exonération"); under the franchise (293 B) VAT is not
 * charged at all ("TVA non applicable").
 */
export const VAT_EXEMPTIONS = {
  LAND_RENT: "Exonération de TVA, article 261 D 1° du CGI",
  TRAINING: "Exonération de TVA, article 261-4-4° a du CGI",
  FRANCHISE: "TVA non applicable, article 293 B du CGI",
} as const;

export const formatRate = (bp: number) => `${(bp / 100).toLocaleString("fr-FR")} %`;
