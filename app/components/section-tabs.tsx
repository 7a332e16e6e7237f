import { Link, useLocation } from "@remix-run/react";

export type SectionTab = { to: string; label: string; active: (path: string) => boolean };

/** The tab bar of a back-office section; a tab decides from the path whether it is the current page. */
export function SectionTabs({ label, tabs }: { label: string; tabs: SectionTab[] }) {
  const path = useLocation().pathname.replace(/\/$/, "");
  return (
    <nav aria-label={label} className="ledger-tabs">
      <ul>
        {tabs.map((t) => (
          <li key={t.to}>
            <Link to={t.to} prefetch="intent" aria-current={t.active(path) ? "page" : undefined}>
              {t.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
