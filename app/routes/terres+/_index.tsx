import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "~/components/coming-soon";
import { offerAt } from "~/components/offers";

const offer = offerAt("/terres");

export const meta: MetaFunction = () => [{ title: `${offer.title} — Terrain Commun` }];

export default function OfferPage() {
  return <ComingSoon offer={offer} />;
}
