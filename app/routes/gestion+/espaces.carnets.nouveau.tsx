import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { PassProductForm } from "~/components/spaces-admin";
import { PassProductSchema } from "~/domain/booking/admin-schemas";
import { savePassProduct } from "~/domain/booking/index.server";
import { db } from "~/utils/db.server";
import { invalid, refused } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Nouveau carnet — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "spaces:manage");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "spaces:manage");
  const submission = parseWithZod(await readForm(request), { schema: PassProductSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await savePassProduct(db, pole.id, undefined, submission.value);
  if (!result.ok) return refused(submission, result);
  return redirect(`/gestion/espaces/carnets/${result.value.id}?fait=cree`);
}

export default function NewBooklet() {
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/gestion/espaces/carnets">← Tous les carnets</Link>
      </p>
      <h1>Nouveau carnet</h1>
      <PassProductForm
        lastResult={lastResult}
        submitLabel="Créer le carnet"
        defaultValue={{ credits: "10", validityMonths: "6", resourceKind: "DESK", active: "on" }}
      />
    </>
  );
}
