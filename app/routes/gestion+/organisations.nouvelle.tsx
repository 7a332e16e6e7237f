import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { saveOrganisation } from "~/domain/identity/index.server";
import { OrganisationSchema } from "~/domain/identity/gestion-schemas";
import { OrganisationForm } from "~/components/organisation-form";
import { db } from "~/utils/db.server";
import { invalid, refused } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Nouvelle organisation — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "organisations:manage");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "organisations:manage");
  const submission = parseWithZod(await readForm(request), { schema: OrganisationSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await saveOrganisation(db, pole.id, undefined, submission.value);
  if (!result.ok) return refused(submission, result);
  return redirect(`/gestion/organisations/${result.value.id}?enregistre=1`);
}

export default function NewOrganisation() {
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/gestion/organisations">← Toutes les organisations</Link>
      </p>
      <h1>Nouvelle organisation</h1>
      <OrganisationForm lastResult={lastResult} submitLabel="Créer l'organisation" />
    </>
  );
}
