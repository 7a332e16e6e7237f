import { Link } from "@remix-run/react";

/** The query string of a filtered list at page `page`: the filter's set values, then the page. */
export function pageQuery(filter: Record<string, string | number | null | undefined>, page: number) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter))
    if (k !== "page" && v !== undefined && v !== null && v !== "") params.set(k, String(v));
  params.set("page", String(page));
  return `?${params}`;
}

/** Previous / next links of a paginated list, keeping its filter; nothing when everything fits on one page. */
export function Pagination({
  page,
  pageCount,
  filter,
}: {
  page: number;
  pageCount: number;
  filter: Record<string, string | number | null | undefined>;
}) {
  if (pageCount <= 1) return null;
  return (
    <nav aria-label="Pages" className="pagination">
      {page > 1 ? <Link to={pageQuery(filter, page - 1)}>← Précédente</Link> : null}
      <span>
        Page {page} sur {pageCount}
      </span>
      {page < pageCount ? <Link to={pageQuery(filter, page + 1)}>Suivante →</Link> : null}
    </nav>
  );
}
