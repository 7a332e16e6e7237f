import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { SavedNotice } from "~/components/forms";
import { DoneNotice, PhotoPreview, SpaceForm } from "~/components/spaces-admin";
import { RESOURCE_KIND_LABELS, SpaceSchema } from "~/domain/booking/admin-schemas";
import { getSpace, saveSpace } from "~/domain/booking/index.server";
import { db } from "~/utils/db.server";
import { invalid, refused } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.space.name ?? "Espace"} — Gestion` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "spaces:manage");
  const space = await getSpace(db, pole.id, params.spaceId ?? "");
  if (!space) httpError(404, "Cet espace n'existe pas.");
  return json({
    space: {
      id: space.id,
      name: space.name,
      photo: space.photo,
      values: {
        name: space.name,
        slug: space.slug,
        building: space.building,
        floor: space.floor,
        description: space.description,
        photo: space.photo ?? "",
        position: String(space.position),
      },
      resources: space.resources.map((r) => ({ id: r.id, name: r.name, kind: r.kind, active: r.active })),
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "spaces:manage");
  const submission = parseWithZod(await readForm(request), { schema: SpaceSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await saveSpace(db, pole.id, params.spaceId ?? "", submission.value);
  if (!result.ok) return refused(submission, result);
  return json({ ...submission.reply(), saved: true as const });
}

export default function SpacePage() {
  const { space } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  return (
    <>
      <p>
        <Link to="/gestion/espaces">← Tous les espaces</Link>
      </p>
      <h1>{space.name}</h1>
      <DoneNotice
        message={
          searchParams.get("fait") === "cree" && !lastResult
            ? "Espace créé. Ajoutez-y maintenant ses postes et ses salles."
            : null
        }
      />
      <SavedNotice result={lastResult}>Espace enregistré.</SavedNotice>
      <div className="two-columns">
        <SpaceForm lastResult={lastResult} submitLabel="Enregistrer" defaultValue={space.values} />
        <section className="card" aria-labelledby="ressources">
          <PhotoPreview src={space.photo} />
          <h2 id="ressources">Postes et salles</h2>
          {space.resources.length === 0 ? (
            <p className="muted">Aucun pour l'instant.</p>
          ) : (
            <ul className="plain-list">
              {space.resources.map((r) => (
                <li key={r.id}>
                  <Link to={`/gestion/espaces/ressources/${r.id}`}>{r.name}</Link>{" "}
                  <span className="muted">
                    — {RESOURCE_KIND_LABELS[r.kind]}
                    {r.active ? "" : ", fermée à la réservation"}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <p className="link-row">
            <Link
              to={`/gestion/espaces/ressources/nouvelle?espace=${space.id}`}
              className="button button-secondary button-small"
            >
              Ajouter un poste ou une salle
            </Link>
            <Link to={`/gestion/espaces/calendrier?espace=${space.id}`}>Calendrier de l'espace</Link>
          </p>
        </section>
      </div>
    </>
  );
}
