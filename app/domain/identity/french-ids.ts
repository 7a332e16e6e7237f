// SIREN (9 digits, Luhn key) and the French intra-community VAT number derived from it.
export function isValidSiren(siren: string) {
  if (!/^\d{9}$/.test(siren)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let digit = Number(siren[8 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

export function frenchVatNumber(siren: string) {
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return `FR${String(key).padStart(2, "0")}${siren}`;
}

export function isValidFrenchVat(vat: string, siren?: string) {
  const compact = vat.replace(/\s/g, "").toUpperCase();
  const m = /^FR(\d{2})(\d{9})$/.exec(compact);
  if (!m || !isValidSiren(m[2])) return false;
  if (siren && m[2] !== siren) return false;
  return frenchVatNumber(m[2]) === compact;
}
