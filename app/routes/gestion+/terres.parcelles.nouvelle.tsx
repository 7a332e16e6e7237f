import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { runCommand } from "~/domain/commands.server";
import { PlotForm } from "~/components/land-admin";
import { plotInputOf, PlotSchema } from "~/domain/leasing/admin-schemas";
import { savePlotChecked, shapeChoices } from "~/domain/leasing/index.server";
import { parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { invalid, refused } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Nouvelle parcelle — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "land:manage");
  const shapes = await shapeChoices(db, pole.id);
  const free = shapes.find((s) => !s.usedBy);
  return json({
    shapes,
    values: { active: "on", shapeId: free?.id ?? "", code: free ? free.id.replace(/^parcelle-/, "") : "" },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "land:manage");
  const submission = parseWithZod(await readForm(request), { schema: PlotSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await runCommand(savePlotChecked, {
    poleId: pole.id,
    plotId: null,
    data: plotInputOf(submission.value),
    today: parisDate(new Date()),
  });
  if (!result.ok) return refused(submission, result);
  return redirect(`/gestion/terres/parcelles/${result.value.id}?fait=creee`);
}

export default function NewPlot() {
  const { shapes, values } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/gestion/terres">← Toutes les parcelles</Link>
      </p>
      <h1>Nouvelle parcelle</h1>
      <PlotForm lastResult={lastResult} defaultValue={values} shapes={shapes} submitLabel="Créer la parcelle" />
    </>
  );
}
