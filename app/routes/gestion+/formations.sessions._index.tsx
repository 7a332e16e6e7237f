import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { FilterSelect } from "~/components/spaces-admin";
import { SessionsTable } from "~/components/training-admin";
import { sessionRow, staffSessions } from "~/domain/training/index.server";
import { SESSION_WHEN, SESSION_WHEN_LABELS, type SessionWhen } from "~/domain/training/staff-labels";
import { db } from "~/utils/db.server";
import { formatNumber } from "~/utils/format";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Sessions de formation — Gestion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "training:manage");
  const params = new URL(request.url).searchParams;
  const wanted = params.get("quand") ?? "";
  const when: SessionWhen = (SESSION_WHEN as readonly string[]).includes(wanted) ? (wanted as SessionWhen) : "upcoming";
  const courses = await db.course.findMany({
    where: { poleId: pole.id },
    orderBy: { title: "asc" },
    select: { id: true, title: true },
  });
  const courseId = courses.find((c) => c.id === params.get("formation"))?.id;
  const sessions = (await staffSessions(db, { poleId: pole.id, courseId, when, now: new Date() })).map(sessionRow);
  return json({
    when,
    courseId: courseId ?? "",
    courses,
    sessions,
    toDecide: sessions.filter((s) => s.underMinimum && s.status === "SCHEDULED"),
  });
}

export default function Sessions() {
  const { when, courseId, courses, sessions, toDecide } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="title-row">
        <h1>Sessions</h1>
        <p className="link-row">
          <Link to="/gestion/formations/sessions/nouvelle" className="button">
            Nouvelle session
          </Link>
        </p>
      </div>
      {toDecide.length > 0 ? (
        <div className="notice notice-error" role="status">
          <p>
            {formatNumber(toDecide.length)} session(s) sous leur minimum à la clôture des inscriptions : maintenez-les
            ou annulez-les.
          </p>
          <ul>
            {toDecide.map((s) => (
              <li key={s.id}>
                <Link to={`/gestion/formations/sessions/${s.id}`}>{s.course}</Link> — {s.seats.CONFIRMED} confirmée(s)
                pour un minimum de {s.minimum}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="get" className="filters" role="search" aria-label="Filtrer les sessions">
        <FilterSelect
          name="quand"
          label="Période"
          value={when}
          options={SESSION_WHEN.map((w) => ({ value: w, label: SESSION_WHEN_LABELS[w] }))}
        />
        <FilterSelect
          name="formation"
          label="Formation"
          value={courseId}
          all="Toutes les formations"
          options={courses.map((c) => ({ value: c.id, label: c.title }))}
        />
        <button type="submit" className="button button-secondary">
          Filtrer
        </button>
      </Form>
      {sessions.length === 0 ? (
        <p className="notice">Aucune session ne correspond à ces critères.</p>
      ) : (
        <SessionsTable sessions={sessions} caption="Les sessions de formation du pôle" />
      )}
    </>
  );
}
