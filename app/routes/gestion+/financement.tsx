import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { SectionTabs, type SectionTab } from "~/components/section-tabs";
import styles from "~/styles/crowdfunding-admin.css";
import landStyles from "~/styles/land-admin.css";
import spacesStyles from "~/styles/spaces-admin.css";
import { requirePermission } from "~/utils/permissions.server";

// The crowdfunding section of the back office: its tabs and its stylesheets (the staff form layout of
// spaces-admin.css, the status badges of land-admin.css, then what is crowdfunding's own).
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: spacesStyles },
  { rel: "stylesheet", href: landStyles },
  { rel: "stylesheet", href: styles },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "crowdfunding:manage");
  return null;
}

const BASE = "/gestion/financement";
const TABS: SectionTab[] = [
  {
    to: BASE,
    label: "Campagnes",
    active: (p) => p === BASE || (/^\/gestion\/financement\/(?!nouvelle|associes)/.test(p) && p !== BASE),
  },
  { to: `${BASE}/nouvelle`, label: "Nouvelle campagne", active: (p) => p.startsWith(`${BASE}/nouvelle`) },
  { to: `${BASE}/associes`, label: "Registre des associés", active: (p) => p.startsWith(`${BASE}/associes`) },
];

export default function CrowdfundingSection() {
  return (
    <div className="spaces-admin land-admin">
      <SectionTabs label="Financement participatif" tabs={TABS} />
      <Outlet />
    </div>
  );
}
