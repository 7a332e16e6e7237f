import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { trainerSessions } from "~/domain/training/index.server";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatDate } from "~/utils/format";

// The sessions the viewer trains (decision 020): upcoming, recent or not closed yet, each leading to its attendance
// page and its attendance sheet. A trainer is often a plain user of the pole: this is how they find their sessions.

export const meta: MetaFunction = () => [{ title: "Sessions que j'anime — Mon compte" }];

const STATUS: Record<string, string> = {
  SCHEDULED: "Programmée",
  CONFIRMED: "Confirmée",
  DELIVERED: "Close",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const sessions = await trainerSessions(db, { poleId: pole.id, personId: person.id, now: new Date() });
  const view = (s: (typeof sessions.upcoming)[number]) => ({
    id: s.id,
    course: s.course,
    when:
      formatDate(s.startsAt) === formatDate(s.endsAt)
        ? `${formatDate(s.startsAt, "longDay")}, ${formatDate(s.startsAt, "time")}–${formatDate(s.endsAt, "time")}`
        : `du ${formatDate(s.startsAt)} au ${formatDate(s.endsAt)}`,
    status: STATUS[s.status] ?? s.status,
    registered: s.registered,
  });
  return json({ upcoming: sessions.upcoming.map(view), recent: sessions.recent.map(view) });
}

type SessionView = ReturnType<typeof useLoaderData<typeof loader>>["upcoming"][number];

function Sessions({ sessions, empty }: { sessions: SessionView[]; empty: string }) {
  if (sessions.length === 0) return <p className="muted">{empty}</p>;
  return (
    <div className="table-scroll">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Formation</th>
            <th scope="col">Dates</th>
            <th scope="col" className="num">
              Inscrits
            </th>
            <th scope="col">État</th>
            <th scope="col">Documents</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <th scope="row">
                <Link to={`/gestion/formations/sessions/${s.id}/presences`}>{s.course}</Link>
              </th>
              <td>{s.when}</td>
              <td className="num">{s.registered}</td>
              <td>{s.status}</td>
              <td>
                <Link to={`/gestion/formations/sessions/${s.id}/presences`}>Présences</Link>
                {" · "}
                <a href={`/gestion/formations/sessions/${s.id}/emargement.pdf`}>Feuille d'émargement (PDF)</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function TrainerSessions() {
  const { upcoming, recent } = useLoaderData<typeof loader>();
  return (
    <div>
      <p>
        <Link to="/compte">← Mon compte</Link>
      </p>
      <h1>Sessions que j'anime</h1>
      <p className="lead">
        Notez les présences de chaque demi-journée sur la page de la session, et imprimez sa feuille d'émargement.
      </p>
      <section aria-labelledby="a-venir">
        <h2 id="a-venir">En cours et à venir</h2>
        <Sessions sessions={upcoming} empty="Aucune session à venir." />
      </section>
      <section aria-labelledby="recentes">
        <h2 id="recentes">Terminées</h2>
        <p className="muted">Les deux derniers mois, et celles que l'équipe n'a pas encore closes.</p>
        <Sessions sessions={recent} empty="Aucune session terminée récemment." />
      </section>
    </div>
  );
}
