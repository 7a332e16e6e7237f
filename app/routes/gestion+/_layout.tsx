import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { requirePermission } from "~/utils/permissions.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "backoffice");
  return null;
}

const SECTIONS = [
  { to: "/gestion", label: "Vue d'ensemble", end: true },
  { to: "/gestion/espaces", label: "Espaces et réservations" },
  { to: "/gestion/terres", label: "Terres et baux" },
  { to: "/gestion/financement", label: "Financement" },
  { to: "/gestion/formations", label: "Formations" },
  { to: "/gestion/tableau-de-bord", label: "Tableau de bord" },
  { to: "/gestion/plan-d-affaires", label: "Plan d'affaires" },
  { to: "/gestion/comptabilite", label: "Comptabilité" },
  { to: "/gestion/factures", label: "Factures" },
  { to: "/gestion/personnes", label: "Personnes et rôles" },
  { to: "/gestion/organisations", label: "Organisations membres" },
  { to: "/gestion/parametres", label: "Paramètres du pôle" },
  { to: "/gestion/emails", label: "Emails envoyés" },
];

export default function BackOffice() {
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
