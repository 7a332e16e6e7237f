import { Link } from "@remix-run/react";
import { OfferIcon } from "./offer-icon";
import type { Offer } from "./offers";

export function ComingSoon({ offer }: { offer: Offer }) {
  return (
    <div className="narrow">
      <OfferIcon name={offer.icon} />
      <p className="eyebrow">Offre du pôle</p>
      <h1>{offer.title}</h1>
      <p className="lead">{offer.summary}</p>
      <section className="card" aria-labelledby="bientot">
        <h2 id="bientot">Bientôt en ligne</h2>
        <p>Cette offre ouvre prochainement sur Terrain Commun. Voici ce que vous pourrez faire ici :</p>
        <ul className="checklist">
          {offer.coming.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <p>
          En attendant, <Link to="/inscription">créez votre compte</Link> : il servira pour toutes les offres du pôle.
        </p>
      </section>
    </div>
  );
}
