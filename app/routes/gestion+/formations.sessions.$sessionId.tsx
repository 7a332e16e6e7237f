import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { PartsList, SeatsBar, SessionBadge, sessionDays } from "~/components/training-admin";
import { partView, staffSession } from "~/domain/training/index.server";
import { db } from "~/utils/db.server";
import { formatCents, formatDate } from "~/utils/format";
import { httpError } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

// One session in the back office: its head (course, dates, parts and rooms, trainers, seats, status) above its
// tabs — the registrations (this route's index), the attendance, the satisfaction answers — and the links to its
// attendance sheet. The attendance and satisfaction pages are children of this route.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.session.course ?? "Session"} ${data?.session.days ?? ""} — Gestion` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "training:manage");
  const session = await staffSession(db, { poleId: pole.id, sessionId: params.sessionId ?? "" });
  if (!session) httpError(404, "Cette session n'existe pas.");
  return json({
    session: {
      id: session.id,
      course: session.course.title,
      courseId: session.course.id,
      courseSlug: session.course.slug,
      published: session.course.published,
      durationHours: session.course.durationHours,
      prices: {
        member: formatCents(session.course.memberCents),
        public: formatCents(session.course.publicCents),
        funded: formatCents(session.course.fundedCents),
      },
      days: sessionDays(session.startsAt.toISOString(), session.endsAt.toISOString()),
      status: session.status,
      underMinimumAt: session.underMinimumAt?.toISOString() ?? null,
      decidedAt: session.decidedAt?.toISOString() ?? null,
      decidedBy: session.decidedBy,
      cancelReason: session.cancelReason,
      deliveredAt: session.deliveredAt?.toISOString() ?? null,
      capacity: session.capacity,
      minimum: session.minimum,
      seatsTaken: session.seatsTaken,
      seats: session.seats,
      registrationDeadline: session.registrationDeadline.toISOString(),
      parts: session.parts.map(partView),
      trainers: session.trainers.map((t) => ({ id: t.person.id, name: t.person.name, email: t.person.email })),
    },
  });
}

export default function SessionLayout() {
  const { session: s } = useLoaderData<typeof loader>();
  const path = useLocation().pathname.replace(/\/$/, "");
  const base = `/gestion/formations/sessions/${s.id}`;
  const tabs = [
    { to: base, label: "Inscriptions" },
    { to: `${base}/presences`, label: "Présences" },
    { to: `${base}/avis`, label: "Avis de satisfaction" },
  ];
  return (
    <>
      <p>
        <Link to={`/gestion/formations/${s.courseId}`}>← {s.course}</Link>
      </p>
      <div className="session-head">
        <div className="title-row">
          <h1>
            {s.course} <span className="muted">— {s.days}</span>
          </h1>
          <SessionBadge status={s.status} underMinimum={Boolean(s.underMinimumAt)} />
        </div>
        <SeatsBar seatsTaken={s.seatsTaken} capacity={s.capacity} minimum={s.minimum} seats={s.seats} />
        <dl className="session-facts">
          <div>
            <dt>Parties et salles (heure de Paris)</dt>
            <dd>
              <PartsList parts={s.parts} withSpace />
            </dd>
          </div>
          <div>
            <dt>Formateurs et formatrices</dt>
            <dd>
              {s.trainers.length === 0 ? (
                <span className="muted">Aucun·e indiqué·e</span>
              ) : (
                <ul className="parts-list">
                  {s.trainers.map((t) => (
                    <li key={t.id}>
                      <Link to={`/gestion/personnes/${t.id}`}>{t.name}</Link>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
          <div>
            <dt>Inscriptions</dt>
            <dd>
              Closes le {formatDate(s.registrationDeadline, "dateTime")}
              <span className="cell-sub">
                {s.durationHours} h — membre {s.prices.member}, public {s.prices.public}, financé {s.prices.funded}
              </span>
            </dd>
          </div>
          <div>
            <dt>Décision</dt>
            <dd>
              {s.status === "CANCELLED"
                ? `Annulée le ${formatDate(s.decidedAt ?? s.registrationDeadline, "dateTime")}${s.decidedBy ? ` par ${s.decidedBy}` : ""} : ${s.cancelReason ?? ""}`
                : s.status === "DELIVERED"
                  ? `Réalisée${s.deliveredAt ? ` (clôturée le ${formatDate(s.deliveredAt, "date")})` : ""}`
                  : s.status === "CONFIRMED"
                    ? `Confirmée${s.decidedAt ? ` le ${formatDate(s.decidedAt, "dateTime")}` : ""}${s.decidedBy ? ` par ${s.decidedBy}` : " (minimum atteint à la clôture)"}`
                    : s.underMinimumAt
                      ? `Sous le minimum depuis le ${formatDate(s.underMinimumAt, "dateTime")} : à décider`
                      : "Le minimum sera regardé à la clôture des inscriptions."}
            </dd>
          </div>
        </dl>
        <p className="link-row">
          <a href={`${base}/emargement.pdf`}>Feuille d'émargement (PDF)</a>
          {s.published ? <Link to={`/formations/${s.courseSlug}`}>Page publique de la formation</Link> : null}
        </p>
      </div>
      <nav aria-label="Sections de la session" className="ledger-tabs">
        <ul>
          {tabs.map((t) => (
            <li key={t.to}>
              <Link to={t.to} aria-current={path === t.to ? "page" : undefined}>
                {t.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
