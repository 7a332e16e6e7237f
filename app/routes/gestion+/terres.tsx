import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { SectionTabs, type SectionTab } from "~/components/section-tabs";
import spacesStyles from "~/styles/spaces-admin.css";
import styles from "~/styles/land-admin.css";
import { requirePermission } from "~/utils/permissions.server";

// The land section of the back office: its tabs and its stylesheets (the staff form layout of spaces-admin.css —
// rows of fields, link rows, inline forms, euro inputs — then what is the land's own).
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: spacesStyles },
  { rel: "stylesheet", href: styles },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "land:manage");
  return null;
}

const BASE = "/gestion/terres";
const TABS: SectionTab[] = [
  { to: BASE, label: "Parcelles", active: (p) => p === BASE || p.startsWith(`${BASE}/parcelles`) },
  { to: `${BASE}/candidatures`, label: "Candidatures", active: (p) => p.startsWith(`${BASE}/candidatures`) },
  { to: `${BASE}/baux`, label: "Baux", active: (p) => p.startsWith(`${BASE}/baux`) },
  { to: `${BASE}/impayes`, label: "Impayés", active: (p) => p.startsWith(`${BASE}/impayes`) },
  { to: `${BASE}/fermages`, label: "Fermages et indice", active: (p) => p.startsWith(`${BASE}/fermages`) },
];

export default function LandSection() {
  return (
    <div className="spaces-admin land-admin">
      <SectionTabs label="Terres et baux" tabs={TABS} />
      <Outlet />
    </div>
  );
}
