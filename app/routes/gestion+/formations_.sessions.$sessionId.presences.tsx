import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { allErrors, FormErrors, IntentButton } from "~/components/forms";
import { DoneNotice } from "~/components/spaces-admin";
import { runCommand } from "~/domain/commands.server";
import { fail } from "~/domain/result";
import { attendanceBoard, deliverSession, markAttendance } from "~/domain/training/index.server";
import {
  ATTENDANCE_LABELS,
  ATTENDANCE_SHORT,
  ATTENDANCE_STATUSES,
  PERIOD_LABELS,
} from "~/domain/training/attendance-labels";
import { MarkAllSchema, MarkSchema } from "~/domain/training/attendance-schemas";
import type { AttendanceStatus } from "~/generated/prisma/enums";
import styles from "~/styles/training-attendance.css";
import { db } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";
import { requireSessionAccess } from "~/utils/training-access.server";
import { z } from "~/utils/validation";

// The attendance of a session, on a tablet in the training room (decision 020): a card per confirmed registration,
// four big buttons for the chosen half-day, each tap saved at once through markAttendance; staff close the
// session here once its last part has ended (deliverSession: revenue recognised, certificates issued). For staff
// and the session's trainers only — checked in the loader and in the action.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Présences${data ? ` — ${data.session.course}` : ""} — Terrain Commun` },
];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

const DONE: Record<string, string> = {
  tous: "Les personnes sans présence notée sont marquées présentes.",
  close: "Session close : le chiffre d'affaires est enregistré et les attestations envoyées.",
};

const pagePath = (sessionId: string, halfDay?: string | null) =>
  `/gestion/formations/sessions/${sessionId}/presences${halfDay ? `?demi-journee=${encodeURIComponent(halfDay)}` : ""}`;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireSessionAccess(request, params.sessionId);
  const now = new Date();
  const board = await attendanceBoard(db, {
    poleId: access.pole.id,
    sessionId: access.sessionId,
    actor: access.actor,
    now,
  });
  if (!board.ok) httpError(board.status, board.message);
  const b = board.value;
  const url = new URL(request.url);
  const halfDays = b.halfDays.map((h) => ({
    key: h.start.toISOString(),
    label: `${formatDate(h.start, "weekday")} — ${PERIOD_LABELS[h.period]}`,
    short: `${formatDate(h.start, "short").slice(0, 5)} ${PERIOD_LABELS[h.period]}`,
    hours: `${formatDate(h.start, "time")}–${formatDate(h.end, "time")}`,
    begun: h.begun,
    startsAt: formatDate(h.start, "dateTime"),
  }));
  const asked = url.searchParams.get("demi-journee");
  const lastBegun = [...halfDays].reverse().find((h) => h.begun);
  const selected = halfDays.find((h) => h.key === asked) ?? lastBegun ?? halfDays[0] ?? null;
  return json({
    staff: access.staff,
    session: {
      id: b.session.id,
      course: b.session.course,
      status: b.session.status,
      dates:
        formatDate(b.session.startsAt) === formatDate(b.session.endsAt)
          ? `le ${formatDate(b.session.startsAt, "longDay")}`
          : `du ${formatDate(b.session.startsAt)} au ${formatDate(b.session.endsAt)}`,
      endsAt: formatDate(b.session.endsAt, "dateTime"),
      rooms: b.session.rooms.join(", "),
      deliveredAt: b.session.deliveredAt ? formatDate(b.session.deliveredAt, "dateTime") : null,
    },
    halfDays,
    selected: selected?.key ?? null,
    rows: b.rows,
    open: b.open,
    deliverable: b.deliverable,
    unmarked: b.unmarked,
    eligible: b.rows.filter((r) => r.eligible).length,
    certificates: b.rows.filter((r) => r.certificate).length,
    done: DONE[url.searchParams.get("fait") ?? ""] ?? null,
  });
}

const DeliverSchema = z.object({});

export async function action({ request, params }: ActionFunctionArgs) {
  const access = await requireSessionAccess(request, params.sessionId);
  const form = await readForm(request);
  const now = new Date();
  const ids = { poleId: access.pole.id, sessionId: access.sessionId, actor: access.actor, now };
  switch (form.get("intent")) {
    case "mark": {
      const submission = parseWithZod(form, { schema: MarkSchema });
      if (submission.status !== "success") return invalid(submission);
      const result = await runCommand(markAttendance, { ...ids, marks: [submission.value] });
      if (!result.ok) return refused(submission, result);
      return json({ ...submission.reply(), saved: true as const });
    }
    case "mark-all": {
      const submission = parseWithZod(form, { schema: MarkAllSchema });
      if (submission.status !== "success") return invalid(submission);
      const key = submission.value.halfDayStart.getTime();
      const board = await attendanceBoard(db, ids);
      if (!board.ok) return refused(submission, board);
      const index = board.value.halfDays.findIndex((h) => h.start.getTime() === key);
      if (index < 0)
        return refused(
          submission,
          fail("NOT_A_HALF_DAY", "Cette demi-journée n'appartient pas à la session.", { field: "halfDayStart" }),
        );
      const marks = board.value.rows
        .filter((r) => r.marks[index] === null)
        .map((r) => ({
          registrationId: r.registrationId,
          halfDayStart: submission.value.halfDayStart,
          status: "PRESENT" as const,
        }));
      const back = pagePath(access.sessionId, submission.value.halfDayStart.toISOString());
      if (marks.length === 0) return redirect(back);
      const result = await runCommand(markAttendance, { ...ids, marks });
      if (!result.ok) return refused(submission, result);
      return redirect(`${back}&fait=tous`);
    }
    case "deliver": {
      const submission = parseWithZod(form, { schema: DeliverSchema });
      if (!access.staff) httpError(403, "Seule l'équipe du pôle clôt une session.");
      const result = await runCommand(deliverSession, {
        poleId: access.pole.id,
        sessionId: access.sessionId,
        staffId: access.person.id,
        now,
      });
      if (!result.ok) return refused(submission, result);
      return redirect(`${pagePath(access.sessionId)}?fait=close`);
    }
    default:
      return httpError(400, "Action inconnue.");
  }
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["rows"][number];
type HalfDayView = ReturnType<typeof useLoaderData<typeof loader>>["halfDays"][number];

export default function Attendance() {
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { session, halfDays, rows, staff } = data;
  const index = halfDays.findIndex((h) => h.key === data.selected);
  const current = index >= 0 ? halfDays[index] : null;
  const marked = current ? rows.filter((r) => r.marks[index] !== null).length : 0;
  const editable = data.open && Boolean(current?.begun);
  return (
    <div className="attendance">
      <p className="attendance-back">
        {staff ? (
          <Link to={`/gestion/formations/sessions/${session.id}`}>← La session</Link>
        ) : (
          <Link to="/compte/formations/animees">← Mes sessions animées</Link>
        )}
      </p>
      <p className="eyebrow">Présences · {session.dates}</p>
      <h1>{session.course}</h1>
      <p className="muted">
        {session.rooms ? `${session.rooms} · ` : ""}
        {rows.length} inscription{rows.length > 1 ? "s" : ""} confirmée{rows.length > 1 ? "s" : ""}
      </p>
      <p className="attendance-links">
        <a className="button button-secondary" href={`/gestion/formations/sessions/${session.id}/emargement.pdf`}>
          Feuille d'émargement (PDF)
        </a>
        {staff && session.status === "DELIVERED" ? (
          <Link className="button button-secondary" to={`/gestion/formations/sessions/${session.id}/avis`}>
            Avis des stagiaires
          </Link>
        ) : null}
      </p>
      <DoneNotice message={data.done} />
      <FormErrors errors={allErrors(lastResult)} />
      {session.status === "CANCELLED" ? <p className="notice notice-error">Cette session est annulée.</p> : null}
      {session.status === "DELIVERED" ? (
        <p className="notice">
          Session close le {session.deliveredAt} : les présences ne se modifient plus. {data.certificates} attestation
          {data.certificates > 1 ? "s" : ""} délivrée{data.certificates > 1 ? "s" : ""}.
        </p>
      ) : null}

      {halfDays.length === 0 ? (
        <p className="notice">Cette session n'a plus de partie : il n'y a pas de présence à noter.</p>
      ) : (
        <nav aria-label="Demi-journées de la session" className="halfday-tabs">
          <ul>
            {halfDays.map((h) => (
              <li key={h.key}>
                <Link
                  to={pagePath(session.id, h.key)}
                  aria-current={h.key === data.selected ? "page" : undefined}
                  preventScrollReset
                >
                  <span className="halfday-day">{h.label}</span>
                  <span className="halfday-hours">{h.begun ? h.hours : `à venir · ${h.hours}`}</span>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}

      {current ? (
        <section aria-labelledby="demi-journee" className="attendance-section">
          <div className="attendance-toolbar">
            <h2 id="demi-journee">
              {current.label} <span className="muted">({current.hours})</span>
            </h2>
            <p className="attendance-count" aria-live="polite">
              {marked} sur {rows.length} noté{rows.length > 1 ? "s" : ""}
            </p>
            {editable && marked < rows.length ? (
              <IntentButton
                intent="mark-all"
                values={{ halfDayStart: current.key }}
                className="button button-secondary"
                pendingLabel="Enregistrement…"
              >
                Marquer présentes les {rows.length - marked} personne{rows.length - marked > 1 ? "s" : ""} non notée
                {rows.length - marked > 1 ? "s" : ""}
              </IntentButton>
            ) : null}
          </div>
          {data.open && !current.begun ? (
            <p className="notice">
              Cette demi-journée commence le {current.startsAt} : ses présences se notent à partir de son début.
            </p>
          ) : null}
          {rows.length === 0 ? (
            <p className="notice">Personne n'est inscrit à cette session.</p>
          ) : (
            <ul className="attendance-cards">
              {rows.map((row) => (
                <PersonCard
                  key={row.registrationId}
                  row={row}
                  index={index}
                  halfDay={current}
                  halfDays={halfDays}
                  editable={editable}
                />
              ))}
            </ul>
          )}
        </section>
      ) : null}

      {staff ? <CloseSession data={data} /> : null}
      {!staff && data.deliverable ? (
        <p className="notice">La session est terminée : l'équipe du pôle la clôt et envoie les attestations.</p>
      ) : null}
    </div>
  );
}

function PersonCard({
  row,
  index,
  halfDay,
  halfDays,
  editable,
}: {
  row: Row;
  index: number;
  halfDay: HalfDayView;
  halfDays: HalfDayView[];
  editable: boolean;
}) {
  const fetcher = useFetcher<typeof action>({ key: `presence-${row.registrationId}-${halfDay.key}` });
  const pending = fetcher.formData?.get("status");
  const saved = row.marks[index] as AttendanceStatus | null;
  const shown = (typeof pending === "string" ? (pending as AttendanceStatus) : null) ?? saved;
  const errors = fetcher.state === "idle" ? allErrors(fetcher.data) : undefined;
  const headingId = `personne-${row.registrationId}`;
  return (
    <li className="attendance-card" aria-labelledby={headingId}>
      <div className="attendance-person">
        <h3 id={headingId}>{row.name}</h3>
        {row.organisation ? <p className="muted">{row.organisation}</p> : null}
        {row.certificate ? <p className="badge">Attestation {row.certificate}</p> : null}
      </div>
      <fetcher.Form method="post" className="attendance-form">
        <input type="hidden" name="intent" value="mark" />
        <input type="hidden" name="registrationId" value={row.registrationId} />
        <input type="hidden" name="halfDayStart" value={halfDay.key} />
        <fieldset className="status-buttons" disabled={!editable}>
          <legend className="visually-hidden">
            Présence de {row.name}, {halfDay.label}
          </legend>
          {ATTENDANCE_STATUSES.map((status) => (
            <button
              key={status}
              type="submit"
              name="status"
              value={status}
              aria-pressed={shown === status}
              className={`status-button status-${status.toLowerCase()}`}
            >
              {ATTENDANCE_LABELS[status]}
            </button>
          ))}
        </fieldset>
        {errors?.length ? (
          <p className="field-errors" role="alert">
            {errors.join(" ")}
          </p>
        ) : null}
        <p className="visually-hidden" role="status">
          {fetcher.state === "idle" && fetcher.data && "saved" in fetcher.data && saved
            ? `${row.name} : ${ATTENDANCE_LABELS[saved]}, enregistré.`
            : ""}
        </p>
      </fetcher.Form>
      {halfDays.length > 1 ? (
        <p className="attendance-summary">
          <span className="visually-hidden">Toutes les demi-journées : </span>
          {halfDays.map((h, i) => (
            <span
              key={h.key}
              className={`summary-chip${row.marks[i] ? ` status-${row.marks[i]!.toLowerCase()}` : ""}`}
              title={`${h.label} : ${row.marks[i] ? ATTENDANCE_LABELS[row.marks[i]!] : "non noté"}`}
            >
              <span aria-hidden="true">
                {h.short} {row.marks[i] ? ATTENDANCE_SHORT[row.marks[i]!] : "–"}
              </span>
              <span className="visually-hidden">
                {h.label} : {row.marks[i] ? ATTENDANCE_LABELS[row.marks[i]!] : "non noté"} ;
              </span>
            </span>
          ))}
        </p>
      ) : null}
    </li>
  );
}

function CloseSession({ data }: { data: ReturnType<typeof useLoaderData<typeof loader>> }) {
  if (!data.open) return null;
  if (!data.deliverable)
    return (
      <p className="muted attendance-close-later">
        La session pourra être close après la fin de sa dernière partie, le {data.session.endsAt}.
      </p>
    );
  const n = data.rows.length;
  return (
    <section className="card attendance-close" aria-labelledby="clore">
      <h2 id="clore">Clore la session</h2>
      <p>
        La session est terminée. La clore enregistre le chiffre d'affaires de ses {n} inscription{n > 1 ? "s" : ""},
        délivre une attestation de fin de formation aux personnes présentes à au moins 80 % des demi-journées (
        {data.eligible} sur {n}) et la leur envoie par email. Les présences ne se modifient plus ensuite.
      </p>
      {data.unmarked > 0 ? (
        <p className="notice notice-error">
          {data.unmarked} présence{data.unmarked > 1 ? "s ne sont pas notées" : " n'est pas notée"} : elle
          {data.unmarked > 1 ? "s comptent" : " compte"} comme absence{data.unmarked > 1 ? "s" : ""}.
        </p>
      ) : null}
      <IntentButton intent="deliver" className="button" pendingLabel="Clôture…">
        Clore la session
      </IntentButton>
    </section>
  );
}
