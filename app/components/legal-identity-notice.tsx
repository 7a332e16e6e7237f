import { Link } from "@remix-run/react";
import { frenchList } from "~/domain/ledger/legal-identity";

/** Where the pole's legal identity is filled in (the settings page's fieldset). */
export const LEGAL_IDENTITY_SETTINGS = "/gestion/parametres#identite-legale";

/**
 * Says, on the back office's invoice pages and the settings page, that the pole's legal identity lacks what every
 * invoice must print (decision 022) — and where to fill it in. Nothing when it is complete.
 */
export function LegalIdentityNotice({ gaps, onSettings = false }: { gaps: readonly string[]; onSettings?: boolean }) {
  if (gaps.length === 0) return null;
  return (
    <div className="notice notice-warning" role="status" aria-labelledby="legal-identity-notice">
      <p>
        <strong id="legal-identity-notice">L'identité légale du pôle est incomplète.</strong> Il manque{" "}
        {frenchList(gaps)}. Les factures émises en attendant ne portent pas ces mentions obligatoires.
      </p>
      <p>
        {onSettings ? (
          <a href="#identite-legale">Compléter l'identité légale ci-dessous</a>
        ) : (
          <Link to={LEGAL_IDENTITY_SETTINGS}>Compléter l'identité légale dans les paramètres du pôle</Link>
        )}
      </p>
    </div>
  );
}

/** On one issued document: what it was issued without. An issued invoice never changes; a credit note replaces it. */
export function InvoiceGapsNotice({ gaps, kind }: { gaps: readonly string[]; kind: "INVOICE" | "CREDIT_NOTE" }) {
  if (gaps.length === 0) return null;
  return (
    <p className="notice notice-warning">
      {kind === "INVOICE" ? "Cette facture a été émise" : "Cet avoir a été émis"} sans {frenchList(gaps)} du pôle :{" "}
      {kind === "INVOICE" ? "elle" : "il"} ne porte pas ces mentions.
      {kind === "INVOICE"
        ? " Une facture émise ne se modifie pas : si elle doit les porter, annulez-la par un avoir et faites-en émettre une nouvelle une fois l'identité légale complétée."
        : null}
    </p>
  );
}
