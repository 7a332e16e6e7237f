import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLocation } from "@remix-run/react";
import styles from "~/styles/spaces-admin.css";
import { requirePermission } from "~/utils/permissions.server";

// The desks-and-rooms section of the back office: its tabs and its stylesheet.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "spaces:manage");
  return null;
}

const BOOK = "/gestion/espaces/reservations/nouvelle";
const TABS: { to: string; label: string; active: (path: string) => boolean }[] = [
  { to: "/gestion/espaces", label: "Espaces", active: (p) => p === "/gestion/espaces" || /^\/gestion\/espaces\/(?!reservations|calendrier|carnets)/.test(p) },
  { to: "/gestion/espaces/reservations", label: "Réservations", active: (p) => p.startsWith("/gestion/espaces/reservations") && !p.startsWith(BOOK) },
  { to: BOOK, label: "Réserver pour quelqu'un", active: (p) => p.startsWith(BOOK) },
  { to: "/gestion/espaces/calendrier", label: "Calendrier", active: (p) => p.startsWith("/gestion/espaces/calendrier") },
  { to: "/gestion/espaces/carnets", label: "Carnets", active: (p) => p.startsWith("/gestion/espaces/carnets") },
];

export default function SpacesSection() {
  const path = useLocation().pathname.replace(/\/$/, "");
  return (
    <div className="spaces-admin">
      <nav aria-label="Espaces et réservations" className="ledger-tabs">
        <ul>
          {TABS.map((t) => (
            <li key={t.to}>
              <Link to={t.to} prefetch="intent" aria-current={t.active(path) ? "page" : undefined}>
                {t.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
