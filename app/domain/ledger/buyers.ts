// Who an invoice is addressed to. Streams build their buyer from a person or an organisation with these, so every
// invoice prints the same mentions about its buyer (CGI ann. II art. 242 nonies A: name and address; Code de
// commerce L441-9: the SIREN of a business buyer).

export type Buyer = {
  name: string;
  email?: string | null;
  /** Postal address, one or several lines. */
  address?: string | null;
  /** A business buyer's SIREN (9 digits). */
  siren?: string | null;
  /**
   * A professional buyer: its invoices carry the late-payment penalty rate and the 40 € recovery indemnity
   * (L441-10 C. com.). Defaults to true for an organisation, false for a person.
   */
  isBusiness?: boolean;
  personId?: string | null;
  organisationId?: string | null;
};

const filled = (value: string | null | undefined) => value?.trim() || null;

type PersonLike = { id: string; name: string; email: string; address: string | null };

/** A person buying in their own name, as a consumer, at the address on their profile. */
export const personBuyer = (person: PersonLike): Buyer => ({
  name: person.name,
  email: person.email,
  address: filled(person.address),
  personId: person.id,
  isBusiness: false,
});

/**
 * A person buying for their trade (a farmer's land rent): a professional buyer, with the SIREN of their profile —
 * which the caller must load, hence required here.
 */
export const professionalPersonBuyer = (person: PersonLike & { siren: string | null }): Buyer => ({
  ...personBuyer(person),
  siren: filled(person.siren),
  isBusiness: true,
});

/** "12 rue des Près\n31450 Montgiscard", from the organisation's street, postal code and city; null when none. */
export const organisationAddress = (organisation: {
  address: string | null;
  postalCode: string | null;
  city: string | null;
}) =>
  [filled(organisation.address), [filled(organisation.postalCode), filled(organisation.city)].filter(Boolean).join(" ")]
    .filter(Boolean)
    .join("\n") || null;

/** An organisation is a business buyer; its SIREN is the first 9 digits of its SIRET. */
export const organisationBuyer = (organisation: {
  id: string;
  name: string;
  siret: string | null;
  address: string | null;
  postalCode: string | null;
  city: string | null;
}): Buyer => ({
  name: organisation.name,
  address: organisationAddress(organisation),
  siren: organisation.siret ? organisation.siret.replace(/\s/g, "").slice(0, 9) : null,
  isBusiness: true,
  organisationId: organisation.id,
});
