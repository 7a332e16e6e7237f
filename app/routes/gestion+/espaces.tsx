import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { SectionTabs, type SectionTab } from "~/components/section-tabs";
import styles from "~/styles/spaces-admin.css";
import { requirePermission } from "~/utils/permissions.server";

// The desks-and-rooms section of the back office: its tabs and its stylesheet.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "spaces:manage");
  return null;
}

const BOOK = "/gestion/espaces/reservations/nouvelle";
const TABS: SectionTab[] = [
  {
    to: "/gestion/espaces",
    label: "Espaces",
    active: (p) => p === "/gestion/espaces" || /^\/gestion\/espaces\/(?!reservations|calendrier|carnets)/.test(p),
  },
  {
    to: "/gestion/espaces/reservations",
    label: "Réservations",
    active: (p) => p.startsWith("/gestion/espaces/reservations") && !p.startsWith(BOOK),
  },
  { to: BOOK, label: "Réserver pour quelqu'un", active: (p) => p.startsWith(BOOK) },
  {
    to: "/gestion/espaces/calendrier",
    label: "Calendrier",
    active: (p) => p.startsWith("/gestion/espaces/calendrier"),
  },
  { to: "/gestion/espaces/carnets", label: "Carnets", active: (p) => p.startsWith("/gestion/espaces/carnets") },
];

export default function SpacesSection() {
  return (
    <div className="spaces-admin">
      <SectionTabs label="Espaces et réservations" tabs={TABS} />
      <Outlet />
    </div>
  );
}
