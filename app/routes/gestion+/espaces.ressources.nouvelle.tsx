import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ResourceForm } from "~/components/spaces-admin";
import { hoursText, ResourceSchema } from "~/domain/booking/admin-schemas";
import { saveResource } from "~/domain/booking/index.server";
import { db } from "~/utils/db.server";
import { invalid, refused } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Nouveau poste ou salle — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "spaces:manage");
  const spaces = await db.space.findMany({
    where: { poleId: pole.id },
    orderBy: [{ position: "asc" }, { name: "asc" }],
    select: { id: true, name: true },
  });
  const wanted = new URL(request.url).searchParams.get("espace");
  const spaceId = spaces.find((s) => s.id === wanted)?.id ?? spaces[0]?.id ?? "";
  return json({
    spaces,
    poleHours: hoursText(pole.openingHours),
    values: {
      spaceId,
      kind: "DESK",
      capacity: "1",
      slotMinutes: "30",
      minMinutes: "60",
      maxMinutes: "600",
      active: "on",
      hoursMode: "pole",
      position: "0",
    },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "spaces:manage");
  const submission = parseWithZod(await readForm(request), { schema: ResourceSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await saveResource(db, pole.id, undefined, submission.value);
  if (!result.ok) return refused(submission, result);
  return redirect(`/gestion/espaces/ressources/${result.value.id}?fait=cree`);
}

export default function NewResource() {
  const { spaces, poleHours, values } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/gestion/espaces">← Tous les espaces</Link>
      </p>
      <h1>Nouveau poste ou salle</h1>
      {spaces.length === 0 ? (
        <p className="notice">
          Créez d'abord un espace (bâtiment, étage) : <Link to="/gestion/espaces/nouveau">ajouter un espace</Link>.
        </p>
      ) : (
        <ResourceForm
          lastResult={lastResult}
          defaultValue={values}
          spaces={spaces}
          poleHours={poleHours}
          submitLabel="Créer"
        />
      )}
    </>
  );
}
