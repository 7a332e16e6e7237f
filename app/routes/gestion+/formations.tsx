import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { SectionTabs, type SectionTab } from "~/components/section-tabs";
import styles from "~/styles/training-admin.css";
import landStyles from "~/styles/land-admin.css";
import spacesStyles from "~/styles/spaces-admin.css";
import { requirePermission } from "~/utils/permissions.server";

// The trainings section of the back office (decision 020): its tabs and its stylesheets (the staff form layout of
// spaces-admin.css, the status badges of land-admin.css, then what is trainings' own).
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: spacesStyles },
  { rel: "stylesheet", href: landStyles },
  { rel: "stylesheet", href: styles },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "training:manage");
  return null;
}

const BASE = "/gestion/formations";
const OWN_PAGES = /^\/gestion\/formations\/(sessions|bilan|reglages)(\/|$)/;
const TABS: SectionTab[] = [
  { to: BASE, label: "Formations", active: (p) => p.startsWith(BASE) && !OWN_PAGES.test(p) },
  { to: `${BASE}/sessions`, label: "Sessions", active: (p) => p.startsWith(`${BASE}/sessions`) },
  { to: `${BASE}/bilan`, label: "Bilan annuel", active: (p) => p.startsWith(`${BASE}/bilan`) },
  { to: `${BASE}/reglages`, label: "Réglages", active: (p) => p.startsWith(`${BASE}/reglages`) },
];

export default function TrainingSection() {
  return (
    <div className="spaces-admin land-admin training-admin">
      <SectionTabs label="Formations" tabs={TABS} />
      <Outlet />
    </div>
  );
}
