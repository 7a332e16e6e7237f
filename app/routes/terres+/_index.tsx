import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PlotTable } from "~/components/land/plot-table";
import { SiteMap } from "~/components/land/site-map";
import { offerAt } from "~/components/offers";
import { personApplication, plotsWithStatus, readSitePlan } from "~/domain/leasing/index.server";
import { yearlyRent } from "~/domain/leasing/rules";
import { parisDate } from "~/domain/ledger/dates";
import { getViewer } from "~/utils/auth.server";
import { db } from "~/utils/db.server";

const offer = offerAt("/terres");

export const meta: MetaFunction = () => [{ title: `${offer.title} — Terrain Commun` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, person } = await getViewer(request);
  const now = new Date();
  const [plots, applied] = await Promise.all([
    plotsWithStatus(db, { poleId: pole.id, today: parisDate(now), now }),
    person ? personApplication(db, { poleId: pole.id, personId: person.id }) : null,
  ]);
  const plan = readSitePlan();
  const drawn = new Set(plan.shapes.map((s) => s.id));
  return json({
    poleName: pole.name,
    siteHectares: pole.siteHectares,
    rentVat: pole.landRentVatOptIn,
    applied: Boolean(applied?.position),
    plan,
    // What the public may know of a plot: never who leases it.
    plots: plots.map((p) => ({
      code: p.code,
      name: p.name,
      surfaceM2: p.surfaceM2,
      soil: p.soil,
      waterAccess: p.waterAccess,
      shelter: p.shelter,
      currentUse: p.currentUse,
      description: p.description,
      rentPerHectareCents: p.rentPerHectareCents,
      yearlyRentCents: yearlyRent(p.surfaceM2, p.rentPerHectareCents),
      status: p.status,
      shapeId: p.shapeId,
      onPlan: drawn.has(p.shapeId),
    })),
  });
}

export default function Land() {
  const { plan, plots, poleName, siteHectares, applied, rentVat } = useLoaderData<typeof loader>();
  const free = plots.filter((p) => p.status === "FREE").length;
  return (
    <div className="land-page">
      <p className="eyebrow">Offre du pôle</p>
      <div className="title-row">
        <h1>{offer.title}</h1>
        {applied ? (
          <Link to="/compte/terres" className="button button-secondary">
            Suivre ma candidature
          </Link>
        ) : (
          <Link to="/terres/candidater" className="button">
            Candidater
          </Link>
        )}
      </div>
      <p className="lead">
        {siteHectares
          ? `${poleName} met ${siteHectares} ha de terres à la disposition des agriculteurs et porteurs de projet. `
          : ""}
        {plots.length} parcelles, dont {free} libre{free > 1 ? "s" : ""} : en espace-test, en convention d'occupation
        précaire ou en bail rural. Les candidatures sont servies dans l'ordre de la liste d'attente.
      </p>
      <section aria-labelledby="plan" className="card land-map-card">
        <h2 id="plan">Plan du site</h2>
        <SiteMap plan={plan} plots={plots} />
      </section>
      <section aria-labelledby="liste">
        <h2 id="liste">Les parcelles</h2>
        <p className="muted">
          Loyer indicatif : surface × loyer à l'hectare, dans les bornes préfectorales de l'année ; il est ensuite
          révisé chaque année selon l'indice national des fermages.
          {rentVat
            ? " Le pôle a opté pour la TVA : 20 % s'ajoutent à ces montants."
            : " Exonéré de TVA (article 261 D 1° du CGI)."}
        </p>
        <PlotTable plots={plots} />
      </section>
    </div>
  );
}
