import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { SpaceForm } from "~/components/spaces-admin";
import { SpaceSchema } from "~/domain/booking/admin-schemas";
import { saveSpace } from "~/domain/booking/index.server";
import { db } from "~/utils/db.server";
import { invalid, refused } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Nouvel espace — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "spaces:manage");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "spaces:manage");
  const submission = parseWithZod(await readForm(request), { schema: SpaceSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await saveSpace(db, pole.id, undefined, submission.value);
  if (!result.ok) return refused(submission, result);
  return redirect(`/gestion/espaces/${result.value.id}?fait=cree`);
}

export default function NewSpace() {
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/gestion/espaces">← Tous les espaces</Link>
      </p>
      <h1>Nouvel espace</h1>
      <p className="muted">Un bâtiment, un étage ou un lieu qui regroupe des postes de travail et des salles.</p>
      <SpaceForm lastResult={lastResult} submitLabel="Créer l'espace" defaultValue={{ position: "0" }} />
    </>
  );
}
