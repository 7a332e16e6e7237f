import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { SavedNotice } from "~/components/forms";
import { DoneNotice } from "~/components/spaces-admin";
import { CourseForm, SessionsTable } from "~/components/training-admin";
import { runCommand } from "~/domain/commands.server";
import { centsToInput } from "~/domain/ledger/schemas";
import { COURSE_FORM_FIELDS, courseInputOf, CourseFormSchema } from "~/domain/training/admin-schemas";
import { sessionRow, staffSessions, updateCourse } from "~/domain/training/index.server";
import { refusedOn } from "~/utils/crowdfunding-forms.server";
import { db } from "~/utils/db.server";
import { invalid } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

// One course in the back office: its programme, prices and publication (edited whole), and its sessions.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.course.title ?? "Formation"} — Gestion` },
];

async function courseOf(poleId: string, courseId: string | undefined) {
  const course = await db.course.findFirst({ where: { id: courseId ?? "", poleId } });
  if (!course) httpError(404, "Cette formation n'existe pas.");
  return course;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "training:manage");
  const course = await courseOf(pole.id, params.courseId);
  const now = new Date();
  const [upcoming, past] = await Promise.all([
    staffSessions(db, { poleId: pole.id, courseId: course.id, when: "upcoming", now }),
    staffSessions(db, { poleId: pole.id, courseId: course.id, when: "past", now }),
  ]);
  return json({
    course: { id: course.id, title: course.title, slug: course.slug, published: course.published },
    values: {
      title: course.title,
      slug: course.slug,
      axis: course.axis,
      objectives: course.objectives,
      content: course.content,
      prerequisites: course.prerequisites,
      audience: course.audience,
      durationHours: String(course.durationHours),
      methods: course.methods,
      evaluation: course.evaluation,
      accessibility: course.accessibility,
      accessibilityContact: course.accessibilityContact,
      memberPrice: centsToInput(course.memberCents),
      publicPrice: centsToInput(course.publicCents),
      fundedPrice: centsToInput(course.fundedCents),
      opensPlotPath: course.opensPlotPath ? "on" : "",
      published: course.published ? "on" : "",
    },
    upcoming: upcoming.map(sessionRow),
    past: past.map(sessionRow),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole } = await requirePermission(request, "training:manage");
  const course = await courseOf(pole.id, params.courseId);
  const submission = parseWithZod(await readForm(request), { schema: CourseFormSchema });
  if (submission.status !== "success") return invalid(submission);
  const result = await runCommand(updateCourse, {
    poleId: pole.id,
    courseId: course.id,
    ...courseInputOf(submission.value),
  });
  if (!result.ok) return refusedOn(submission, result, COURSE_FORM_FIELDS);
  return json({ ...submission.reply(), saved: true as const });
}

export default function CoursePage() {
  const { course, values, upcoming, past } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <>
      <p>
        <Link to="/gestion/formations">← Toutes les formations</Link>
      </p>
      <div className="title-row">
        <h1>{course.title}</h1>
        <p className="link-row">
          {course.published ? <Link to={`/formations/${course.slug}`}>Page publique</Link> : null}
          <Link to={`/gestion/formations/sessions/nouvelle?formation=${course.id}`} className="button">
            Nouvelle session
          </Link>
        </p>
      </div>
      <DoneNotice message={params.get("fait") === "creee" ? "Formation créée : programmez ses sessions." : null} />
      <section aria-labelledby="sessions">
        <h2 id="sessions">Sessions à venir</h2>
        {upcoming.length === 0 ? (
          <p className="notice">
            Aucune session à venir.{" "}
            <Link to={`/gestion/formations/sessions/nouvelle?formation=${course.id}`}>Programmer une session</Link>.
          </p>
        ) : (
          <SessionsTable sessions={upcoming} caption="Les sessions à venir de la formation" showCourse={false} />
        )}
        {past.length > 0 ? (
          <details>
            <summary>Sessions passées ou annulées ({past.length})</summary>
            <SessionsTable sessions={past} caption="Les sessions passées ou annulées" showCourse={false} />
          </details>
        ) : null}
      </section>
      <section aria-labelledby="programme">
        <h2 id="programme">Programme et tarifs</h2>
        <SavedNotice result={lastResult}>Formation enregistrée.</SavedNotice>
        <CourseForm lastResult={lastResult} defaultValue={values} submitLabel="Enregistrer la formation" />
      </section>
    </>
  );
}
