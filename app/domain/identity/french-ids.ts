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

/** An IBAN as ISO 13616 checks it: country, check digits, then the whole moved and read mod 97 equals 1. */
export function isValidIban(value: string) {
  const iban = value.replace(/\s/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const digits = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  return rest === 1;
}

/** IBAN in groups of four, as banks print it. */
export const formatIban = (value: string) =>
  value
    .replace(/\s/g, "")
    .toUpperCase()
    .replace(/(.{4})/g, "$1 ")
    .trim();
