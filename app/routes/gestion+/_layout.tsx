import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { can, requirePermission } from "~/utils/permissions.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { membership } = await requirePermission(request, "backoffice");
  return json({ canEditSettings: can(membership.role, "settings:edit") });
}

const SECTIONS = [
  { to: "/gestion", label: "Vue d'ensemble", end: true },
  { to: "/gestion/personnes", label: "Personnes et rôles" },
  { to: "/gestion/organisations", label: "Organisations membres" },
  { to: "/gestion/parametres", label: "Paramètres du pôle" },
  { to: "/gestion/emails", label: "Emails envoyés" },
];

export default function BackOffice() {
  useLoaderData<typeof loader>();
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
