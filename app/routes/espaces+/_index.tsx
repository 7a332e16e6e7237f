import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { offerAt } from "~/components/offers";
import { listPassProducts, listSpaces } from "~/domain/booking/index.server";
import { memberRateOf } from "~/domain/identity/index.server";
import { getViewer } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatCents } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: `${offerAt("/espaces").title} — Terrain Commun` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, membership } = await getViewer(request);
  const [spaces, products] = await Promise.all([listSpaces(db, pole.id), listPassProducts(db, pole.id)]);
  const member = memberRateOf(membership);
  return json({
    poleName: pole.name,
    member,
    spaces: spaces
      .filter((s) => s.resources.length)
      .map((s) => ({
        slug: s.slug,
        name: s.name,
        description: s.description,
        building: s.building,
        floor: s.floor,
        photo: s.photo,
        resources: s.resources.map((r) => {
          const cheapest = [...r.rates].sort((a, b) => a.memberCents - b.memberCents)[0];
          return {
            slug: r.slug,
            name: r.name,
            kind: r.kind,
            capacity: r.capacity,
            equipment: r.equipment,
            photo: r.photo,
            fromMember: cheapest?.memberCents ?? null,
            fromPublic: cheapest?.publicCents ?? null,
            unit: cheapest?.unit ?? null,
          };
        }),
      })),
    products: products.map((p) => ({
      id: p.id,
      name: p.name,
      credits: p.credits,
      validityMonths: p.validityMonths,
      memberCents: p.memberCents,
      publicCents: p.publicCents,
    })),
  });
}

const UNIT = { HOUR: "l'heure", HALF_DAY: "la demi-journée", DAY: "la journée" } as const;

function Price({
  r,
  member,
}: {
  r: { unit: keyof typeof UNIT | null; fromMember: number | null; fromPublic: number | null };
  member: boolean;
}) {
  if (!r.unit) return null;
  return (
    <p className="resource-price">
      dès <strong>{formatCents(member ? r.fromMember! : r.fromPublic!)}</strong> {UNIT[r.unit]}
      {member ? " (tarif membre)" : <span className="muted"> · membres {formatCents(r.fromMember!)}</span>}
    </p>
  );
}

export default function Spaces() {
  const { spaces, products, member } = useLoaderData<typeof loader>();
  return (
    <div>
      <p className="eyebrow">Offre du pôle</p>
      <h1>{offerAt("/espaces").title}</h1>
      <p className="lead">
        Postes en coworking et salles de réunion sur le site du pôle : choisissez un espace, voyez ses disponibilités de
        la semaine et réservez en ligne.
      </p>
      {spaces.length === 0 ? <p className="card">Aucun espace n'est ouvert à la réservation pour le moment.</p> : null}
      {spaces.map((space) => (
        <section key={space.slug} className="space-section" aria-labelledby={`espace-${space.slug}`}>
          <div className="space-head">
            {space.photo ? <img src={space.photo} alt="" width={160} height={90} /> : null}
            <div>
              <h2 id={`espace-${space.slug}`}>{space.name}</h2>
              <p className="muted">
                {[space.building, space.floor].filter(Boolean).join(" · ")}
                {space.description ? ` — ${space.description}` : ""}
              </p>
            </div>
          </div>
          {space.resources.some((r) => r.kind === "DESK") ? (
            <>
              <h3 className="group-title">Postes en coworking</h3>
              <ul className="desk-grid">
                {space.resources
                  .filter((r) => r.kind === "DESK")
                  .map((r) => (
                    <li key={r.slug} className="desk-tile">
                      <Link to={`/espaces/${r.slug}`}>{r.name}</Link>
                      <span className="resource-meta">{r.equipment.slice(0, 2).join(", ")}</span>
                      <Price r={r} member={member} />
                    </li>
                  ))}
              </ul>
            </>
          ) : null}
          {space.resources.some((r) => r.kind === "ROOM") ? (
            <>
              <h3 className="group-title">Salles</h3>
              <ul className="resource-grid">
                {space.resources
                  .filter((r) => r.kind === "ROOM")
                  .map((r) => (
                    <li key={r.slug} className="card resource-card">
                      {r.photo ? <img src={r.photo} alt="" width={320} height={180} loading="lazy" /> : null}
                      <h4>
                        <Link to={`/espaces/${r.slug}`}>{r.name}</Link>
                      </h4>
                      <p className="resource-meta">
                        {r.capacity} places{r.equipment.length ? ` · ${r.equipment.slice(0, 3).join(", ")}` : ""}
                      </p>
                      <Price r={r} member={member} />
                    </li>
                  ))}
              </ul>
            </>
          ) : null}
        </section>
      ))}
      {products.length ? (
        <section className="card" aria-labelledby="carnets">
          <h2 id="carnets">Carnets</h2>
          <p>Vous venez souvent ? Un carnet de demi-journées prépayées sert en priorité à vos réservations de poste.</p>
          <ul className="plain-list">
            {products.map((p) => (
              <li key={p.id}>
                <strong>{p.name}</strong> — {p.credits} demi-journées, valable {p.validityMonths} mois :{" "}
                {formatCents(member ? p.memberCents : p.publicCents)}
                {member ? " (tarif membre)" : ` (membres : ${formatCents(p.memberCents)})`}
              </li>
            ))}
          </ul>
          <p>
            <Link to="/compte/carnets" className="button button-secondary">
              Acheter un carnet
            </Link>
          </p>
        </section>
      ) : null}
    </div>
  );
}
