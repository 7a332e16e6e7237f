import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Pagination } from "~/components/pagination";
import { listPeople } from "~/domain/identity/index.server";
import { ROLE_LABELS, ROLE_VALUES } from "~/domain/identity/gestion-schemas";
import { db } from "~/utils/db.server";
import { formatDate, formatNumber } from "~/utils/format";
import { requirePermission } from "~/utils/permissions.server";
import { text, z } from "~/utils/validation";

export const meta: MetaFunction = () => [{ title: "Personnes — Gestion" }];

const Filter = z.object({
  q: text().trim().max(100).optional().catch(undefined),
  role: z.enum(ROLE_VALUES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "people:manage");
  const filter = Filter.parse(Object.fromEntries(new URL(request.url).searchParams));
  const result = await listPeople(db, pole.id, filter);
  return json({ filter, ...result });
}

export default function People() {
  const { filter, rows, total, page, pageCount } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Personnes et rôles</h1>
      <Form method="get" className="filters" role="search">
        <div className="field">
          <label htmlFor="q">Rechercher</label>
          <input id="q" name="q" type="search" defaultValue={filter.q ?? ""} placeholder="Nom, email, organisation" />
        </div>
        <div className="field">
          <label htmlFor="role">Rôle</label>
          <select id="role" name="role" defaultValue={filter.role ?? ""}>
            <option value="">Tous</option>
            {ROLE_VALUES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          Filtrer
        </button>
      </Form>
      <p className="muted">{formatNumber(total)} personne(s)</p>
      <div className="table-scroll">
        <table className="table">
          <caption className="visually-hidden">Personnes inscrites sur le pôle</caption>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Email</th>
              <th scope="col">Rôle</th>
              <th scope="col">Organisation</th>
              <th scope="col">Inscription</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr key={m.id}>
                <td>
                  <Link to={`/gestion/personnes/${m.person.id}`}>{m.person.name}</Link>
                </td>
                <td>{m.person.email}</td>
                <td>
                  <span className={`badge badge-${m.role.toLowerCase()}`}>{ROLE_LABELS[m.role]}</span>
                </td>
                <td>
                  {m.organisation ? (
                    m.organisation.name
                  ) : m.person.organisationName ? (
                    <span className="muted">{m.person.organisationName} (déclarée)</span>
                  ) : (
                    "—"
                  )}
                </td>
                <td>{formatDate(m.person.createdAt, "short")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination page={page} pageCount={pageCount} filter={filter} />
    </>
  );
}
