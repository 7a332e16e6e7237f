import type { MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { OfferIcon } from "~/components/offer-icon";
import { OFFERS } from "~/components/offers";
import { db } from "~/utils/db.server";
import { formatNumber } from "~/utils/format";
import { getPole } from "~/utils/pole.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.pole.name} — Terrain Commun` : "Terrain Commun" },
  { name: "description", content: data?.pole.tagline ?? "" },
];

export async function loader() {
  const pole = await getPole();
  const memberOrganisations = await db.organisation.count({ where: { poleId: pole.id, isMember: true } });
  return json({
    pole: {
      name: pole.name,
      legalName: pole.legalName,
      legalForm: pole.legalForm,
      tagline: pole.tagline,
      description: pole.description,
      city: pole.city,
      siteHectares: pole.siteHectares,
      axes: (Array.isArray(pole.axes) ? pole.axes : []) as { title: string; text: string }[],
    },
    memberOrganisations,
  });
}

export default function Home() {
  const { pole, memberOrganisations } = useLoaderData<typeof loader>();
  return (
    <>
      <section className="hero" aria-labelledby="titre-pole">
        <p className="eyebrow">Pôle territorial de coopération économique · {pole.legalForm}</p>
        <h1 id="titre-pole">{pole.name}</h1>
        <p className="lead">{pole.tagline}</p>
        <dl className="key-figures">
          <div>
            <dt>hectares de site</dt>
            <dd>{formatNumber(pole.siteHectares)}</dd>
          </div>
          <div>
            <dt>organisations membres</dt>
            <dd>{formatNumber(memberOrganisations)}</dd>
          </div>
          <div>
            <dt>axes d'activité</dt>
            <dd>{formatNumber(pole.axes.length)}</dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="offres">
        <h2 id="offres">Ce que le pôle vous propose</h2>
        <ul className="offer-grid">
          {OFFERS.map((offer) => (
            <li key={offer.to} className="card offer-card">
              <OfferIcon name={offer.icon} />
              <h3>
                <Link to={offer.to}>{offer.title}</Link>
              </h3>
              <p>{offer.summary}</p>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="projet" className="two-columns">
        <div>
          <h2 id="projet">Le projet</h2>
          {pole.description.split("\n\n").map((p) => (
            <p key={p.slice(0, 40)}>{p}</p>
          ))}
        </div>
        <div>
          <h2>Nos {pole.axes.length} axes</h2>
          <ol className="axes">
            {pole.axes.map((axis) => (
              <li key={axis.title}>
                <strong>{axis.title}</strong>
                <span>{axis.text}</span>
              </li>
            ))}
          </ol>
        </div>
      </section>
    </>
  );
}
