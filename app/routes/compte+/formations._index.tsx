import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { allErrors, FormErrors, IntentButton } from "~/components/forms";
import { RegistrationCard, registrationCard } from "~/components/training/registration-card";
import { capitalise, sessionDatesLabel } from "~/components/training/sessions";
import { runCommand } from "~/domain/commands.server";
import {
  acceptSeatOffer,
  declineSeatOffer,
  leaveSessionWaitlist,
  personRegistrations,
  personSessionWaits,
  trainsSessions,
} from "~/domain/training/index.server";
import { MyTrainingsIntentSchema } from "~/domain/training/schemas";
import { requirePerson } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { readForm } from "~/utils/http.server";

// Mon compte › Mes formations: the person's registrations — upcoming (a seat to pay, a seat offered from a waiting
// list to accept or decline, a confirmed place) and past (with the certificate and the satisfaction form) — the
// waiting lists they are on (their place, a way out) and, for a trainer, the way to the sessions they train. Only
// the person's own: every query and command is given the person, and refuses another's as not found.

export const meta: MetaFunction = () => [{ title: "Mes formations — Mon compte" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const who = { poleId: pole.id, personId: person.id, now: new Date() };
  const [registrations, trainer, waits] = await Promise.all([
    personRegistrations(db, who),
    trainsSessions(db, who),
    personSessionWaits(db, who),
  ]);
  return json({
    trainer,
    // Those still waiting; an offered seat shows among the registrations, with its answer buttons.
    waits: waits
      .filter((w) => w.status === "WAITING")
      .map((w) => ({
        entryId: w.entryId,
        position: w.position,
        joinedAt: w.joinedAt.toISOString(),
        course: { slug: w.course.slug, title: w.course.title },
        session: { startsAt: w.session.startsAt.toISOString(), endsAt: w.session.endsAt.toISOString() },
      })),
    upcoming: registrations.upcoming.map(registrationCard),
    past: registrations.past.map(registrationCard),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { pole, person } = await requirePerson(request);
  const submission = parseWithZod(await readForm(request), { schema: MyTrainingsIntentSchema });
  if (submission.status !== "success") return invalid(submission);
  const v = submission.value;
  const now = new Date();
  if (v.intent === "leave") {
    const left = await runCommand(leaveSessionWaitlist, {
      poleId: pole.id,
      entryId: v.entryId,
      personId: person.id,
      now,
    });
    if (!left.ok) return refused(submission, left);
    return redirect("/compte/formations?attente=quittee#attente");
  }
  const input = { poleId: pole.id, registrationId: v.registrationId, personId: person.id, now };
  if (v.intent === "accept") {
    const accepted = await runCommand(acceptSeatOffer, input);
    if (!accepted.ok) return refused(submission, accepted);
    return redirect(`/compte/formations/${v.registrationId}?place=acceptee`);
  }
  const declined = await runCommand(declineSeatOffer, input);
  if (!declined.ok) return refused(submission, declined);
  return redirect("/compte/formations?proposition=declinee");
}

const NOTICES: Record<string, Record<string, string>> = {
  inscription: { annulee: "Votre inscription est annulée." },
  attente: {
    rejointe: "Vous êtes sur la liste d'attente : si une place se libère, elle vous sera proposée par email.",
    quittee: "Vous avez quitté la liste d'attente.",
  },
  proposition: { declinee: "Vous avez refusé la place proposée : elle passe à la personne suivante." },
};

export default function MyTrainings() {
  const { trainer, waits, upcoming, past } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const notice = Object.entries(NOTICES)
    .map(([param, messages]) => messages[searchParams.get(param) ?? ""])
    .find(Boolean);
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
        <p className="notice notice-success" role="status">
          {notice}
        </p>
      ) : null}
      <FormErrors id="formations-erreurs" errors={allErrors(lastResult)} />
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

      {waits.length ? (
        <section aria-labelledby="attente" id="attente-section">
          <h2 id="attente">Mes listes d'attente</h2>
          <ul className="plain-list">
            {waits.map((w) => (
              <li key={w.entryId} className="card tr-wait">
                <div>
                  <h3>
                    <Link to={`/formations/${w.course.slug}`}>{w.course.title}</Link>
                  </h3>
                  <p className="tr-registration-when">
                    {capitalise(sessionDatesLabel(w.session.startsAt, w.session.endsAt))}
                    <span className="muted"> · inscrit·e sur la liste le {formatDate(w.joinedAt)}</span>
                  </p>
                  <p className="tr-wait-position">
                    <strong>N° {w.position}</strong> sur la liste d'attente
                  </p>
                </div>
                <IntentButton intent="leave" values={{ entryId: w.entryId }} pendingLabel="Départ…">
                  Quitter la liste
                </IntentButton>
              </li>
            ))}
          </ul>
          <p className="field-hint">
            Quand une place se libère, elle est proposée à la première personne de la liste par email, à accepter dans
            le délai indiqué ; sans réponse, elle passe à la suivante.
          </p>
        </section>
      ) : null}

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
