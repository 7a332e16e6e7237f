import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Comptabilité — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "ledger:manage");
  return null;
}

const TABS = [
  { to: "/gestion/comptabilite", label: "Journal", end: true },
  { to: "/gestion/comptabilite/balance", label: "Balance" },
  { to: "/gestion/comptabilite/comptes", label: "Comptes" },
  { to: "/gestion/comptabilite/exercices", label: "Exercices" },
  { to: "/gestion/comptabilite/ecritures/nouvelle", label: "Nouvelle écriture" },
  { to: "/gestion/comptabilite/exports", label: "Exports" },
];

export default function Accounting() {
  return (
    <div className="ledger">
      <nav aria-label="Comptabilité" className="ledger-tabs">
        <ul>
          {TABS.map((t) => (
            <li key={t.to}>
              <NavLink to={t.to} end={t.end} prefetch="intent">
                {t.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
