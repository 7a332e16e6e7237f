import { DateTime } from "luxon";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { BackofficeCalendar } from "~/components/backoffice-calendar";
import { FilterSelect, Notices, StatusBadge } from "~/components/spaces-admin";
import { hoursOf, spaceWeek, STATUS_LABELS } from "~/domain/booking/index.server";
import { addDays, mondayOf, toMinutes } from "~/domain/booking/time";
import { WEEKDAYS } from "~/domain/identity/opening-hours";
import { isIsoDate, parisDate } from "~/domain/ledger/index.server";
import { db } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { httpError } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Calendrier${data?.space ? ` — ${data.space.name}` : ""} — Gestion` },
];

/** FullCalendar numbers days from Sunday. */
const DAY_NUMBER = Object.fromEntries(WEEKDAYS.map(({ key }, i) => [key, (i + 1) % 7]));

// GET /gestion/espaces/calendrier?espace=<id>&semaine=<any day of the week, YYYY-MM-DD>
export async function loader({ request }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "spaces:manage");
  const params = new URL(request.url).searchParams;
  const now = new Date();
  const notices: string[] = [];
  const spaces = await db.space.findMany({
    where: { poleId: pole.id },
    orderBy: [{ position: "asc" }, { name: "asc" }],
    select: { id: true, name: true, resources: { select: { openingHours: true } } },
  });
  const wanted = params.get("espace");
  const space = wanted ? spaces.find((s) => s.id === wanted) : spaces[0];
  if (wanted && !space) httpError(404, "Cet espace n'existe pas.");
  const semaine = params.get("semaine")?.trim();
  if (semaine && !isIsoDate(semaine))
    notices.push(
      `La semaine « ${String(semaine).slice(0, 20)} » n'est pas une date valide : voici la semaine en cours.`,
    );
  const monday = mondayOf(semaine && isIsoDate(semaine) ? semaine : parisDate(now));
  const week = space
    ? await spaceWeek(db, { poleId: pole.id, spaceId: space.id, monday, now })
    : { items: [], days: [] };

  // The grid spans the opening hours of the pole and of the space's resources, and whatever is booked.
  const poleHours = hoursOf({ openingHours: null }, pole);
  const ownHours = (space?.resources ?? []).filter((r) => r.openingHours).map((r) => hoursOf(r, pole));
  const allRanges = [poleHours, ...ownHours].flatMap((h) => Object.values(h).flat());
  const times = [
    ...allRanges.flatMap((r) => [r.open, r.close]),
    ...week.days.flatMap((d) => d.items.flatMap((i) => [i.from, i.to])),
  ]
    .filter((t) => /^\d\d:\d\d$/.test(t))
    .sort();
  const hour = (h: number) => `${String(h).padStart(2, "0")}:00`;
  const minTime = hour(times.length ? Math.floor(toMinutes(times[0]) / 60) : 8);
  const maxTime = hour(times.length ? Math.ceil(toMinutes(times.at(-1)!) / 60) : 19);

  // Days nobody can book and nothing happens on are left out of the grid, so the open days get the room.
  const openDays = new Set(
    WEEKDAYS.filter(({ key }) => [poleHours, ...ownHours].some((h) => h[key].length > 0)).map(
      ({ key }) => DAY_NUMBER[key],
    ),
  );
  const busyDays = new Set(
    week.days.filter((d) => d.items.length > 0).map((d) => DateTime.fromISO(d.date).weekday % 7),
  );
  const hiddenDays = [0, 1, 2, 3, 4, 5, 6].filter((n) => !openDays.has(n) && !busyDays.has(n));

  const href = (item: { id: string; kind: string; resourceId: string }) =>
    item.kind === "CLOSURE"
      ? `/gestion/espaces/ressources/${item.resourceId}`
      : item.kind === "TRAINING"
        ? "/gestion/formations"
        : `/gestion/espaces/reservations/${item.id}`;
  return json({
    notices,
    spaces: spaces.map((s) => ({ id: s.id, name: s.name })),
    space: space ? { id: space.id, name: space.name } : null,
    monday,
    previous: addDays(monday, -7),
    next: addDays(monday, 7),
    thisWeek: mondayOf(parisDate(now)),
    minTime,
    maxTime,
    hiddenDays: hiddenDays.length === 7 ? [] : hiddenDays,
    businessHours: WEEKDAYS.flatMap(({ key }) =>
      poleHours[key].map((r) => ({ daysOfWeek: [DAY_NUMBER[key]], startTime: r.open, endTime: r.close })),
    ),
    days: week.days.map((d) => ({
      date: d.date,
      items: d.items.map((i) => ({
        ...i,
        href: href(i),
        statusLabel: STATUS_LABELS[i.status as keyof typeof STATUS_LABELS],
      })),
    })),
    events: week.items.map((i) => ({
      id: i.id,
      title:
        i.kind === "CLOSURE"
          ? `${i.resourceName} — fermé${i.reason ? ` (${i.reason})` : ""}`
          : `${i.resourceName} — ${i.personName ?? i.reason ?? ""}`,
      start: i.start,
      end: i.end,
      status: i.status,
      kind: i.kind,
      href: href(i),
    })),
  });
}

const day = (iso: string, style: "weekday" | "date" = "weekday") => formatDate(`${iso}T12:00:00Z`, style);

export default function StaffCalendar() {
  const {
    notices,
    spaces,
    space,
    monday,
    previous,
    next,
    thisWeek,
    days,
    events,
    businessHours,
    minTime,
    maxTime,
    hiddenDays,
  } = useLoaderData<typeof loader>();
  const weekQuery = (semaine: string) => `?${new URLSearchParams({ ...(space ? { espace: space.id } : {}), semaine })}`;
  return (
    <>
      <h1>Calendrier{space ? ` — ${space.name}` : ""}</h1>
      <Notices notices={notices} />
      {space === null ? (
        <p className="notice">
          Aucun espace pour l'instant. <Link to="/gestion/espaces/nouveau">Ajouter un espace</Link>
        </p>
      ) : (
        <>
          <div className="calendar-bar">
            <nav aria-label="Semaines" className="link-row">
              <Link to={weekQuery(previous)} className="button button-secondary button-small">
                ← Semaine précédente
              </Link>
              {monday !== thisWeek ? (
                <Link to={weekQuery(thisWeek)} className="button button-secondary button-small">
                  Cette semaine
                </Link>
              ) : null}
              <Link to={weekQuery(next)} className="button button-secondary button-small">
                Semaine suivante →
              </Link>
            </nav>
            <Form method="get" className="filters calendar-filters" aria-label="Choisir l'espace et la semaine">
              <FilterSelect
                name="espace"
                label="Espace"
                value={space.id}
                options={spaces.map((s) => ({ value: s.id, label: s.name }))}
              />
              <div className="field">
                <label htmlFor="semaine">Semaine du</label>
                <input id="semaine" name="semaine" type="date" defaultValue={monday} />
              </div>
              <button type="submit" className="button button-secondary">
                Afficher
              </button>
            </Form>
          </div>
          <h2 className="week-title">
            Semaine du {day(monday, "date")} au {day(addDays(monday, 6), "date")}
          </h2>
          <BackofficeCalendar
            monday={monday}
            events={events}
            businessHours={businessHours}
            minTime={minTime}
            maxTime={maxTime}
            hiddenDays={hiddenDays}
          />
          <section aria-labelledby="liste-semaine">
            <h2 id="liste-semaine">La semaine, jour par jour</h2>
            <ol className="week-list">
              {days.map((d) => (
                <li key={d.date}>
                  <h3>{day(d.date)}</h3>
                  {d.items.length === 0 ? (
                    <p className="muted">Rien de réservé.</p>
                  ) : (
                    <ul className="plain-list">
                      {d.items.map((i) => (
                        <li key={i.id} className={i.kind === "CLOSURE" ? "week-item week-item-closure" : "week-item"}>
                          <span className="week-time">
                            {i.from}–{i.to}
                          </span>{" "}
                          <Link to={i.href}>{i.resourceName}</Link> —{" "}
                          {i.kind === "CLOSURE" ? (
                            <em>Fermeture{i.reason ? ` : ${i.reason}` : ""}</em>
                          ) : (
                            <span>{i.personName}</span>
                          )}{" "}
                          {i.kind === "CLOSURE" ? null : <StatusBadge status={i.status} label={i.statusLabel} />}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ol>
          </section>
        </>
      )}
    </>
  );
}
