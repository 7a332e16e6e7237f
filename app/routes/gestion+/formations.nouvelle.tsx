import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { CourseForm } from "~/components/training-admin";
import { runCommand } from "~/domain/commands.server";
import { COURSE_FORM_FIELDS, courseInputOf, CourseFormSchema } from "~/domain/training/admin-schemas";
import { createCourse } from "~/domain/training/index.server";
import { refusedOn } from "~/utils/crowdfunding-forms.server";
import { invalid } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Nouvelle formation — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "training:manage");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "training:manage");
  const submission = parseWithZod(await readForm(request), { schema: CourseFormSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await runCommand(createCourse, { poleId: pole.id, ...courseInputOf(submission.value) });
  if (!result.ok) return refusedOn(submission, result, COURSE_FORM_FIELDS);
  return redirect(`/gestion/formations/${result.value.id}?fait=creee`);
}

export default function NewCourse() {
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/gestion/formations">← Toutes les formations</Link>
      </p>
      <h1>Nouvelle formation</h1>
      <p className="muted">
        Le programme est publié tel quel sur la page de la formation. Une fois la formation créée, programmez ses
        sessions (dates, salles, places).
      </p>
      <CourseForm
        lastResult={lastResult}
        defaultValue={{ published: "on", durationHours: "7" }}
        submitLabel="Créer la formation"
      />
    </>
  );
}
