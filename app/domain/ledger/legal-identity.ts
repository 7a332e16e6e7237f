// The seller's legal identity on an invoice (CGI ann. II art. 242 nonies A, Code de commerce L123-12, R123-237,
// L441-9): its legal form with "à capital variable", its RCS city and SIREN, its address, its VAT number, and for
// professional buyers the late-payment penalty rate. The pole holds it as settings; each invoice keeps a snapshot
// of it as it was on the day it was issued (Invoice.seller), so renaming the pole later changes no issued document.
// Pure functions: the settings page, the issuing and the documents (HTML and PDF) share them.

/** A SCIC is a société anonyme, a SAS or a SARL (loi 47-1775, art. 19 quinquies). */
export const LEGAL_FORMS = ["SCIC SA", "SCIC SAS", "SCIC SARL"] as const;
export type LegalForm = (typeof LEGAL_FORMS)[number];
export const isLegalForm = (value: string): value is LegalForm => (LEGAL_FORMS as readonly string[]).includes(value);

export type PoleIdentity = {
  name: string;
  legalName: string;
  legalForm: string;
  capitalVariable: boolean;
  siren: string | null;
  rcsCity: string | null;
  vatNumber: string | null;
  addressLine: string;
  postalCode: string;
  city: string;
  latePenaltyRate: string;
};

/** The seller as an invoice prints it: a snapshot of the pole's identity on the issue date. */
export type Seller = {
  name: string;
  legalName: string;
  /** As printed: "SCIC SAS à capital variable" (a snapshot taken before decision 022 may read only "SCIC"). */
  legalForm: string;
  siren: string | null;
  /** The city of the RCS registration (greffe); null when not set at issue, or in a snapshot before decision 022. */
  rcsCity: string | null;
  vatNumber: string | null;
  address: string;
  /** The late-payment penalty rate told to professional buyers; null in a snapshot before decision 022. */
  latePenaltyRate: string | null;
};

/** "SCIC SAS à capital variable". */
export const printedLegalForm = (pole: Pick<PoleIdentity, "legalForm" | "capitalVariable">) => {
  const form = pole.legalForm.trim();
  return form && pole.capitalVariable ? `${form} à capital variable` : form;
};

/** "Domaine de la Luzernière, 31450 Montgiscard" — what is there, never a dangling comma. */
export const poleAddress = (pole: Pick<PoleIdentity, "addressLine" | "postalCode" | "city">) =>
  [pole.addressLine.trim(), `${pole.postalCode.trim()} ${pole.city.trim()}`.trim()].filter(Boolean).join(", ");

const blank = (value: string | null | undefined) => !value?.trim();

/** The snapshot an invoice keeps of its seller. */
export function sellerOf(pole: PoleIdentity): Seller {
  return {
    name: pole.name,
    legalName: pole.legalName,
    legalForm: printedLegalForm(pole),
    siren: blank(pole.siren) ? null : pole.siren!.trim(),
    rcsCity: blank(pole.rcsCity) ? null : pole.rcsCity!.trim(),
    vatNumber: blank(pole.vatNumber) ? null : pole.vatNumber!.trim(),
    address: poleAddress(pole),
    latePenaltyRate: pole.latePenaltyRate.trim() || null,
  };
}

const GAPS = {
  legalForm: "la forme juridique (SCIC SA, SAS ou SARL)",
  siren: "le SIREN",
  rcsCity: "la ville d'immatriculation au RCS",
  vatNumber: "le numéro de TVA intracommunautaire",
  address: "l'adresse du siège",
} as const;

/**
 * What the pole's legal identity still lacks for its invoices to carry every mention, in French ("le SIREN", …);
 * empty when complete. The VAT number counts only once the pole charges VAT: a pole under the franchise (art.
 * 293 B du CGI) has none, but a seller identified for VAT prints it on every invoice, exempt ones included (art.
 * 242 nonies A, 2°).
 */
export function identityGaps(pole: PoleIdentity, { chargesVat = false } = {}): string[] {
  return gapsOf({
    legalForm: isLegalForm(pole.legalForm.trim()),
    siren: !blank(pole.siren),
    rcsCity: !blank(pole.rcsCity),
    vatNumber: !chargesVat || !blank(pole.vatNumber),
    address: ![pole.addressLine, pole.postalCode, pole.city].some(blank),
  });
}

/** The same for an issued invoice, read from its snapshot: what it was issued without. */
export function sellerGaps(seller: Seller, { chargesVat }: { chargesVat: boolean }): string[] {
  return gapsOf({
    legalForm: LEGAL_FORMS.some((f) => seller.legalForm === f || seller.legalForm.startsWith(`${f} `)),
    siren: seller.siren !== null,
    rcsCity: seller.rcsCity !== null,
    vatNumber: !chargesVat || seller.vatNumber !== null,
    address: !blank(seller.address),
  });
}

const gapsOf = (present: Record<keyof typeof GAPS, boolean>) =>
  (Object.keys(GAPS) as (keyof typeof GAPS)[]).filter((k) => !present[k]).map((k) => GAPS[k]);

/** "le SIREN, la ville d'immatriculation au RCS et l'adresse du siège". */
export function frenchList(items: readonly string[]) {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} et ${items[items.length - 1]}`;
}

/** "RCS Toulouse 912345675", or "SIREN 912345675" when the RCS city is unknown; null without a SIREN. */
export const registration = (seller: { siren: string | null; rcsCity?: string | null }) =>
  seller.siren ? (seller.rcsCity ? `RCS ${seller.rcsCity} ${seller.siren}` : `SIREN ${seller.siren}`) : null;

/** The lines under the seller's name at the top of an invoice: what it has, nothing made up. */
export const sellerLines = (seller: Seller) =>
  [
    seller.legalForm,
    seller.address,
    registration(seller),
    seller.vatNumber ? `N° de TVA intracommunautaire ${seller.vatNumber}` : null,
  ].filter((l): l is string => Boolean(l));

/** "SCIC La Vallée Fertile — SCIC SAS à capital variable — RCS Toulouse 912345675 — Domaine…": a page's footer. */
export const legalFooter = (
  seller: Pick<Seller, "legalName" | "legalForm" | "siren" | "address"> & { rcsCity?: string | null },
) => [seller.legalName, seller.legalForm, registration(seller), seller.address].filter(Boolean).join(" — ");

/** The buyer's lines under its name: the address, the SIREN of a business, the email. */
export const buyerLines = (buyer: { address: string | null; siren: string | null; email: string | null }) =>
  [buyer.address, buyer.siren ? `SIREN ${buyer.siren}` : null, buyer.email].filter((l): l is string => Boolean(l));

// Mentions for professional buyers (Code de commerce L441-9, L441-10, D441-5).
export const NO_DISCOUNT_MENTION = "Pas d'escompte pour paiement anticipé.";
export const penaltyMention = (rate: string) =>
  `Pénalités de retard : ${rate}, exigibles dès le lendemain de la date d'échéance (article L441-10 du Code de commerce).`;
export const RECOVERY_INDEMNITY_MENTION =
  "En cas de retard de paiement, une indemnité forfaitaire pour frais de recouvrement de 40 € est due (articles L441-10 et D441-5 du Code de commerce).";
/** What invoices issued before decision 022 said, without a rate of the pole's own: the statutory default. */
export const LEGACY_LATE_PAYMENT_MENTION =
  "En cas de retard de paiement, des pénalités sont exigibles au taux de refinancement de la Banque centrale européenne majoré de 10 points (article L441-10 du Code de commerce), ainsi qu'une indemnité forfaitaire pour frais de recouvrement de 40 € (article D441-5 du Code de commerce).";

/** The late-payment mentions of a professional buyer's invoice. */
export const businessMentions = (seller: Pick<Seller, "latePenaltyRate">) =>
  seller.latePenaltyRate
    ? [NO_DISCOUNT_MENTION, penaltyMention(seller.latePenaltyRate), RECOVERY_INDEMNITY_MENTION]
    : [NO_DISCOUNT_MENTION, LEGACY_LATE_PAYMENT_MENTION];
