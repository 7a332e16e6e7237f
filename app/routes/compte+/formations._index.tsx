import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { RegistrationCard, registrationCard } from "~/components/training/registration-card";
import { personRegistrations, trainsSessions } from "~/domain/training/index.server";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";

// Mon compte › Mes formations: the person's registrations — upcoming (a seat to pay, an offer to answer, a
// confirmed place) and past (with the certificate and the satisfaction form) — and, for a trainer, the way to the
// sessions they train. Only the person's own: the query is given the person.

export const meta: MetaFunction = () => [{ title: "Mes formations — Mon compte" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const who = { poleId: pole.id, personId: person.id, now: new Date() };
  const [registrations, trainer] = await Promise.all([personRegistrations(db, who), trainsSessions(db, who)]);
  return json({
    trainer,
    upcoming: registrations.upcoming.map(registrationCard),
    past: registrations.past.map(registrationCard),
  });
}

const NOTICES: Record<string, [string, boolean]> = {
  annulee: ["Votre inscription est annulée.", true],
};

export default function MyTrainings() {
  const { trainer, upcoming, past } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const notice = NOTICES[searchParams.get("inscription") ?? ""];
  return (
    <div className="tr-account">
      <p>
        <Link to="/compte">← Mon compte</Link>
      </p>
      <div className="title-row">
        <h1>Mes formations</h1>
        <Link to="/formations" className="button button-secondary button-small">
          Voir le catalogue
        </Link>
      </div>
      {notice ? (
        <p className={`notice ${notice[1] ? "notice-success" : ""}`} role="status">
          {notice[0]}
        </p>
      ) : null}
      {searchParams.get("inscription") === "a-refaire" ? (
        <p className="notice notice-error" role="alert">
          Votre compte est créé, mais la place n'a pas pu vous être retenue (la session s'est remplie ou ses
          inscriptions ont fermé entre-temps) : <Link to="/formations">choisissez une session à nouveau</Link>.
        </p>
      ) : null}
      {trainer ? (
        <p className="card tr-trainer-link">
          Vous animez des sessions du pôle :{" "}
          <Link to="/compte/formations/animees">les sessions que j'anime, leurs présences et leurs avis</Link>.
        </p>
      ) : null}

      <section aria-labelledby="a-venir">
        <h2 id="a-venir">À venir</h2>
        {upcoming.length === 0 ? (
          <p className="card muted">
            Aucune formation à venir. <Link to="/formations">Découvrez le catalogue du pôle</Link>.
          </p>
        ) : (
          <ul className="plain-list">
            {upcoming.map((r) => (
              <RegistrationCard key={r.id} registration={r} />
            ))}
          </ul>
        )}
      </section>

      {past.length ? (
        <section aria-labelledby="passees">
          <h2 id="passees">Passées ou annulées</h2>
          <ul className="plain-list">
            {past.map((r) => (
              <RegistrationCard key={r.id} registration={r} />
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
