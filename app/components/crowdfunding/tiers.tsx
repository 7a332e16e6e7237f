import { TIER_KIND_LABELS } from "~/domain/crowdfunding/labels";
import type { TierKind } from "~/generated/prisma/enums";
import { formatCents, formatNumber } from "~/utils/format";

// How a tier reads wherever it is offered (the campaign page, the pledge form, the change form): its kind, name,
// price — from its price upwards, or per share with a minimum — and what remains of a capped one.

export type TierSummary = {
  id: string;
  name: string;
  description: string;
  kind: TierKind;
  priceCents: number;
  symbolic: boolean;
  cap: number | null;
  placesLeft: number | null;
  soldOut: boolean;
  shareNominalCents: number | null;
  minShares: number | null;
  college: string | null;
};

/** What a page sends the browser of a tier (from the domain's tier with its places left). */
export const tierSummary = (t: TierSummary): TierSummary => ({
  id: t.id,
  name: t.name,
  description: t.description,
  kind: t.kind,
  priceCents: t.priceCents,
  symbolic: t.symbolic,
  cap: t.cap,
  placesLeft: t.placesLeft,
  soldOut: t.soldOut,
  shareNominalCents: t.shareNominalCents,
  minShares: t.minShares,
  college: t.college,
});

/** "50,00 € la part, 2 parts au moins" / "à partir de 25,00 €". */
export function tierPrice(t: TierSummary) {
  if (t.kind === "SHARE" && t.shareNominalCents)
    return `${formatCents(t.shareNominalCents)} la part${(t.minShares ?? 1) > 1 ? `, ${t.minShares} parts au moins` : ""}`;
  return `à partir de ${formatCents(t.priceCents)}`;
}

/** "3 places restantes sur 20", "Épuisée", or nothing for an uncapped tier. */
export function placesLabel(t: TierSummary) {
  if (t.placesLeft === null) return null;
  if (t.soldOut) return "Épuisée";
  return `${formatNumber(t.placesLeft)} ${t.placesLeft > 1 ? "places restantes" : "place restante"} sur ${formatNumber(t.cap!)}`;
}

export function TierFacts({ tier: t, headingLevel }: { tier: TierSummary; headingLevel: 3 | 4 | null }) {
  const places = placesLabel(t);
  const Heading = headingLevel === 3 ? "h3" : headingLevel === 4 ? "h4" : "strong";
  return (
    <div className="cf-tier-facts">
      <p className="cf-tier-kind">
        {TIER_KIND_LABELS[t.kind]}
        {t.kind === "REWARD" && t.symbolic ? " symbolique" : ""}
      </p>
      <Heading className="cf-tier-name">{t.name}</Heading>
      <p className="cf-tier-price">{tierPrice(t)}</p>
      {t.description ? <p className="cf-tier-description">{t.description}</p> : null}
      {t.kind === "SHARE" ? (
        <p className="field-hint">
          Une souscription est une demande d'entrée au sociétariat de la SCIC
          {t.college ? ` (collège ${t.college})` : ""}, validée par son conseil.
        </p>
      ) : null}
      {places ? <p className={`cf-places${t.soldOut ? " cf-places-out" : ""}`}>{places}</p> : null}
    </div>
  );
}
