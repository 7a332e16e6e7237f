import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { SectionTabs, type SectionTab } from "~/components/section-tabs";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Comptabilité — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "ledger:manage");
  return null;
}

const BASE = "/gestion/comptabilite";
const under = (to: string) => (p: string) => p === to || p.startsWith(`${to}/`);
const TABS: SectionTab[] = [
  { to: BASE, label: "Journal", active: (p) => p === BASE },
  { to: `${BASE}/balance`, label: "Balance", active: under(`${BASE}/balance`) },
  { to: `${BASE}/comptes`, label: "Comptes", active: under(`${BASE}/comptes`) },
  { to: `${BASE}/exercices`, label: "Exercices", active: under(`${BASE}/exercices`) },
  { to: `${BASE}/etats`, label: "États financiers", active: under(`${BASE}/etats`) },
  { to: `${BASE}/tva`, label: "TVA", active: under(`${BASE}/tva`) },
  { to: `${BASE}/banque`, label: "Banque", active: under(`${BASE}/banque`) },
  { to: `${BASE}/ecritures/nouvelle`, label: "Nouvelle écriture", active: under(`${BASE}/ecritures/nouvelle`) },
  { to: `${BASE}/exports`, label: "Exports", active: under(`${BASE}/exports`) },
];

export default function Accounting() {
  return (
    <div className="ledger">
      <SectionTabs label="Comptabilité" tabs={TABS} />
      <Outlet />
    </div>
  );
}
