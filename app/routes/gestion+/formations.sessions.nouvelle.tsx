import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { SessionForm } from "~/components/training-admin";
import { addDays, weekdayOf } from "~/domain/booking/time";
import { runCommand } from "~/domain/commands.server";
import { parisDate } from "~/domain/ledger/index.server";
import { SESSION_FORM_FIELDS, SessionFormSchema, sessionInputOf } from "~/domain/training/admin-schemas";
import { polePeople, scheduleSession, trainingRooms } from "~/domain/training/index.server";
import { refusedOn } from "~/utils/crowdfunding-forms.server";
import { db } from "~/utils/db.server";
import { readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Nouvelle session — Gestion" }];

/** A first day two weeks ahead, on a weekday: a sensible start for the form. */
function suggestedDay(now: Date) {
  let day = addDays(parisDate(now), 14);
  while (weekdayOf(day) === "sat" || weekdayOf(day) === "sun") day = addDays(day, 1);
  return day;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "training:manage");
  const [courses, rooms, people] = await Promise.all([
    db.course.findMany({
      where: { poleId: pole.id },
      orderBy: [{ published: "desc" }, { title: "asc" }],
      select: { id: true, title: true, durationHours: true },
    }),
    trainingRooms(db, pole.id),
    polePeople(db, pole.id),
  ]);
  const wanted = new URL(request.url).searchParams.get("formation");
  const courseId = courses.find((c) => c.id === wanted)?.id ?? (courses.length === 1 ? courses[0].id : "");
  const day = suggestedDay(new Date());
  const roomId = rooms.length === 1 && rooms[0].resources.length === 1 ? rooms[0].resources[0].id : "";
  return json({
    courses,
    rooms,
    people,
    courseTitle: courses.find((c) => c.id === courseId)?.title ?? null,
    values: {
      courseId,
      parts: [
        { date: day, start: "09:00", end: "12:30", resourceId: roomId },
        { date: day, start: "13:30", end: "17:00", resourceId: roomId },
      ],
      capacity: "12",
      minimum: "4",
    },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole, person } = await requirePermission(request, "training:manage");
  const submission = parseWithZod(await readForm(request), { schema: SessionFormSchema });
  // Without JavaScript the add/remove part buttons come here: answer with the updated list, not an error.
  if (submission.status !== "success")
    return json(submission.reply(), { status: submission.status === "error" ? 400 : 200 });
  const now = new Date();
  const result = await runCommand(
    scheduleSession,
    { poleId: pole.id, ...sessionInputOf(submission.value), staffId: person.id, now },
    { now },
  );
  if (!result.ok) return refusedOn(submission, result, SESSION_FORM_FIELDS);
  return redirect(`/gestion/formations/sessions/${result.value.id}?fait=creee`);
}

export default function NewSession() {
  const { courses, rooms, people, courseTitle, values } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/gestion/formations/sessions">← Toutes les sessions</Link>
      </p>
      <h1>Nouvelle session{courseTitle ? ` — ${courseTitle}` : ""}</h1>
      {courses.length === 0 ? (
        <p className="notice">
          Créez d'abord une formation : <Link to="/gestion/formations/nouvelle">nouvelle formation</Link>.
        </p>
      ) : rooms.length === 0 ? (
        <p className="notice">
          Le pôle n'a aucune salle : créez-en une dans <Link to="/gestion/espaces">Espaces et réservations</Link>{" "}
          (ressource de type « Salle »).
        </p>
      ) : (
        <SessionForm lastResult={lastResult} defaultValue={values} courses={courses} rooms={rooms} people={people} />
      )}
    </>
  );
}
