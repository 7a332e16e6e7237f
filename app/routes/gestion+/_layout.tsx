import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { getViewer, loginRedirect } from "~/utils/auth.server";
import { can } from "~/utils/permissions.server";
import { trainsSessionOf } from "~/utils/training-access.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await getViewer(request);
  if (!viewer.person || !viewer.membership) throw loginRedirect(request);
  if (can(viewer.membership.role, "backoffice")) return json({ staff: true });
  // A trainer — often a plain user — opens the attendance page of a session they train, and nothing else here
  // (the page checks again, in its loader and its action).
  if (await trainsSessionOf(request, params.sessionId, viewer.person.id)) return json({ staff: false });
  throw json({ message: "Cette page est réservée à l'équipe du pôle." }, { status: 403 });
}

const SECTIONS = [
  { to: "/gestion", label: "Vue d'ensemble", end: true },
  { to: "/gestion/espaces", label: "Espaces et réservations" },
  { to: "/gestion/terres", label: "Terres et baux" },
  { to: "/gestion/financement", label: "Financement" },
  { to: "/gestion/formations", label: "Formations" },
  { to: "/gestion/tableau-de-bord", label: "Tableau de bord" },
  { to: "/gestion/rapport-annuel", label: "Rapport annuel" },
  { to: "/gestion/plan-d-affaires", label: "Plan d'affaires" },
  { to: "/gestion/comptabilite", label: "Comptabilité" },
  { to: "/gestion/factures", label: "Factures" },
  { to: "/gestion/personnes", label: "Personnes et rôles" },
  { to: "/gestion/organisations", label: "Organisations membres" },
  { to: "/gestion/parametres", label: "Paramètres du pôle" },
  { to: "/gestion/emails", label: "Emails envoyés" },
];

export default function BackOffice() {
  const { staff } = useLoaderData<typeof loader>();
  if (!staff)
    return (
      <div className="backoffice-content">
        <Outlet />
      </div>
    );
  return (
    <div className="backoffice">
      <nav aria-label="Gestion du pôle" className="side-nav">
        <p className="eyebrow">Gestion</p>
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.to}>
              <NavLink to={s.to} end={s.end}>
                {s.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="backoffice-content">
        <Outlet />
      </div>
    </div>
  );
}
