import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { getOrganisation, saveOrganisation } from "~/domain/identity/index.server";
import { OrganisationSchema, ROLE_LABELS } from "~/domain/identity/gestion-schemas";
import { OrganisationForm } from "~/components/organisation-form";
import { db } from "~/utils/db.server";
import { invalid, refused } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.organisation.name ?? "Organisation"} — Gestion` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "organisations:manage");
  const organisation = await getOrganisation(db, pole.id, params.organisationId ?? "");
  if (!organisation) throw json({ message: "Cette organisation n'existe pas." }, { status: 404 });
  return json({ organisation });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "organisations:manage");
  const submission = parseWithZod(await readForm(request), { schema: OrganisationSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await saveOrganisation(db, pole.id, params.organisationId ?? "", submission.value);
  if (!result.ok) return refused(submission, result);
  return json({ ...submission.reply(), saved: true as const });
}

export default function OrganisationPage() {
  const { organisation } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const saved = searchParams.has("enregistre") || (lastResult && "saved" in lastResult);
  return (
    <>
      <p>
        <Link to="/gestion/organisations">← Toutes les organisations</Link>
      </p>
      <h1>{organisation.name}</h1>
      {saved ? (
        <p className="notice notice-success" role="status">
          Organisation enregistrée.
        </p>
      ) : null}
      <div className="two-columns">
        <OrganisationForm
          lastResult={lastResult}
          submitLabel="Enregistrer"
          defaultValue={{
            name: organisation.name,
            kind: organisation.kind,
            isMember: organisation.isMember,
            siret: organisation.siret ?? "",
            address: organisation.address ?? "",
            postalCode: organisation.postalCode ?? "",
            city: organisation.city ?? "",
            website: organisation.website ?? "",
            description: organisation.description,
          }}
        />
        <section className="card" aria-labelledby="personnes">
          <h2 id="personnes">Personnes rattachées</h2>
          {organisation.people.length === 0 ? (
            <p className="muted">Personne n'est encore rattaché. Rattachez une personne depuis sa fiche.</p>
          ) : (
            <ul className="plain-list">
              {organisation.people.map((m) => (
                <li key={m.id}>
                  <Link to={`/gestion/personnes/${m.person.id}`}>{m.person.name}</Link>{" "}
                  <span className="muted">— {ROLE_LABELS[m.role]}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}
