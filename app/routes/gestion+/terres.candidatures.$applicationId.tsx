import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useRef, type FormEvent } from "react";
import {
  Field,
  FormErrors,
  IntentForm,
  SelectField,
  SubmitButton,
  TextAreaField,
  useValidatedForm,
} from "~/components/forms";
import { APPLICATION_TONES, hectares, LandBadge, LEASE_TONES, TermCell } from "~/components/land-admin";
import { DoneNotice, resultFor } from "~/components/spaces-admin";
import { runCommand } from "~/domain/commands.server";
import {
  APPLICATION_STATUS_LABELS,
  EVENT_LABELS,
  FREQUENCIES,
  MoveSchema,
  NoteSchema,
  OfferSchema,
  QUEUE_END,
} from "~/domain/leasing/admin-schemas";
import {
  addNote,
  applicationsQueue,
  getApplication,
  LEASE_STATUS_LABELS,
  offerPlot,
  peopleNames,
  PLOT_STATUS_LABELS,
  plotsWithStatus,
} from "~/domain/leasing/index.server";
import { defaultEnd, FREQUENCY_LABELS, KIND_LABELS, TERMS, termText } from "~/domain/leasing/rules";
import { isIsoDate, isoDate } from "~/domain/ledger/dates";
import { fromSqlDate, parisDate } from "~/domain/ledger/index.server";
import { centsToInput } from "~/domain/ledger/schemas";
import { moveEntry } from "~/domain/waitlist/index.server";
import { db } from "~/utils/db.server";
import { formatCents, formatDate, formatNumber } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";
import { requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Candidature de ${data?.application.person ?? ""} — Gestion` },
];

const DONE: Record<string, string> = {
  note: "Note ajoutée à l'historique.",
  deplacee: "Place changée dans la file ; la raison est gardée dans l'historique.",
  proposee: "Parcelle proposée : la personne a reçu un email avec le délai pour répondre.",
};

async function applicationOf(poleId: string, applicationId: string | undefined) {
  const application = await getApplication(db, {
    poleId,
    applicationId: applicationId ?? "",
  });
  if (!application) httpError(404, "Cette candidature n'existe pas.");
  return application;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole } = await requirePermission(request, "land:manage");
  const application = await applicationOf(pole.id, params.applicationId);
  const now = new Date();
  const today = parisDate(now);
  const [plots, queue, names] = await Promise.all([
    plotsWithStatus(db, { poleId: pole.id, today, now }),
    applicationsQueue(db, { poleId: pole.id, status: "QUEUED" }),
    peopleNames(
      db,
      application.history.map((h) => h.actorId),
    ),
  ]);
  const desired = fromSqlDate(application.desiredStartOn);
  const startsOn = desired > today ? desired : today;
  const choiceIds = application.choices.map((c) => c.plot.id);
  const offerable = plots.filter(
    (p) => p.status === "FREE" && (!application.minSurfaceM2 || p.surfaceM2 >= application.minSurfaceM2),
  );
  const defaultPlot = plots.find((p) => p.id === choiceIds[0]) ?? offerable[0] ?? plots[0] ?? null;
  const openOffer = application.leases.find((l) => l.status === "OFFERED") ?? null;
  return json({
    application: {
      id: application.id,
      person: application.person.name,
      personId: application.person.id,
      email: application.person.email,
      kind: application.leaseKind,
      kindLabel: KIND_LABELS[application.leaseKind],
      choices: application.choices.map((c) => ({
        rank: c.rank,
        id: c.plot.id,
        code: c.plot.code,
        name: c.plot.name,
        surface: hectares(c.plot.surfaceM2),
      })),
      minSurfaceM2: application.minSurfaceM2,
      project: application.project,
      experience: application.experience,
      desiredStartOn: application.desiredStartOn,
      since: application.entry.createdAt,
      reconfirmDueAt: application.entry.reconfirmDueAt,
      status: application.entry.status,
      statusLabel: APPLICATION_STATUS_LABELS[application.entry.status],
      position: application.position,
      queued: application.position !== null,
      trainingPath: application.trainingPath,
    },
    openOffer: openOffer
      ? {
          id: openOffer.id,
          plot: openOffer.plot.code,
          startsOn: openOffer.startsOn,
          endsOn: openOffer.endsOn,
          expiresAt: openOffer.offerExpiresAt,
        }
      : null,
    leases: application.leases.map((l) => ({
      id: l.id,
      label: l.plot.code,
      status: l.status,
      statusLabel: LEASE_STATUS_LABELS[l.status],
      startsOn: l.startsOn,
      endsOn: l.endsOn,
      yearlyRentCents: l.yearlyRentCents,
    })),
    history: application.history.map((h) => ({
      id: h.id,
      at: h.createdAt,
      label: EVENT_LABELS[h.kind],
      note: h.note,
      actor: h.actorId ? (names[h.actorId] ?? null) : null,
    })),
    queue: queue
      .filter((a) => a.id !== application.id)
      .map((a) => ({
        entryId: a.entryId,
        position: a.position,
        person: a.person.name,
      })),
    plots: plots.map((p) => ({
      id: p.id,
      label: `${p.code}, ${hectares(p.surfaceM2)}, ${PLOT_STATUS_LABELS[p.status].toLowerCase()}`,
      rent: centsToInput(p.rentPerHectareCents),
      chosen: choiceIds.indexOf(p.id) + 1,
    })),
    offer: {
      plotId: defaultPlot?.id ?? "",
      startsOn,
      endsOn: defaultEnd(application.leaseKind, startsOn),
      rentPerHectare: defaultPlot ? centsToInput(defaultPlot.rentPerHectareCents) : "",
      frequency: "YEARLY",
    },
    offerKey: randomUUID(),
  });
}

/** offerPlot names the application's own problems after it: shown above the form, not on a field. */
const OFFER_FIELDS = new Set(["plotId", "startsOn", "endsOn", "rentPerHectare", "frequency"]);

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole, person } = await requirePermission(request, "land:manage");
  const application = await applicationOf(pole.id, params.applicationId);
  const form = await readForm(request);
  const done = (what: string) => redirect(`/gestion/terres/candidatures/${application.id}?fait=${what}`);
  const now = new Date();

  switch (form.get("intent")) {
    case "note": {
      const submission = parseWithZod(form, { schema: NoteSchema });
      if (submission.status !== "success") return invalid(submission);
      const result = await runCommand(addNote, {
        poleId: pole.id,
        applicationId: application.id,
        note: submission.value.note,
        actorId: person.id,
      });
      if (!result.ok) return refused(submission, result);
      return done("note");
    }
    case "move": {
      const submission = parseWithZod(form, { schema: MoveSchema });
      if (submission.status !== "success") return invalid(submission);
      if (application.position === null)
        return refused(submission, {
          ok: false,
          code: "NOT_QUEUED",
          message: "Cette candidature n'est plus dans la file.",
          status: 409,
        });
      const { beforeEntryId, reason } = submission.value;
      const result = await runCommand(moveEntry, {
        poleId: pole.id,
        entryId: application.entryId,
        beforeEntryId: beforeEntryId === QUEUE_END ? null : beforeEntryId,
        reason,
        actorId: person.id,
      });
      if (!result.ok) return refused(submission, result);
      return done("deplacee");
    }
    case "offer": {
      const submission = parseWithZod(form, { schema: OfferSchema });
      if (submission.status !== "success") return invalid(submission);
      const v = submission.value;
      const result = await runCommand(
        offerPlot,
        {
          poleId: pole.id,
          applicationId: application.id,
          plotId: v.plotId,
          startsOn: v.startsOn,
          endsOn: v.endsOn ?? null,
          rentPerHectareCents: v.rentPerHectare,
          frequency: v.frequency,
          staffId: person.id,
          idempotencyKey: `offer:${v.idempotencyKey}`,
          now,
        },
        { now },
      );
      if (!result.ok)
        return refused(submission, {
          ...result,
          field: result.field && OFFER_FIELDS.has(result.field) ? result.field : undefined,
        });
      return done("proposee");
    }
    default:
      return httpError(400, "Cette action n'existe pas.");
  }
}

export default function ApplicationPage() {
  const { application: a, openOffer, leases, history } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  return (
    <>
      <p>
        <Link to="/gestion/terres/candidatures">← Toutes les candidatures</Link>
      </p>
      <div className="title-row">
        <h1>Candidature de {a.person}</h1>
        <p className="link-row">
          <LandBadge tone={APPLICATION_TONES[a.status]} label={a.statusLabel} />
          {a.position ? <strong>{a.position === 1 ? "1re" : `${a.position}e`} dans la file</strong> : null}
        </p>
      </div>
      <DoneNotice message={actionData ? null : DONE[searchParams.get("fait") ?? ""]} />
      <div className="two-columns">
        <div>
          <section className="card" aria-labelledby="projet">
            <h2 id="projet">Le projet</h2>
            <dl className="details">
              <dt>Personne</dt>
              <dd>
                <Link to={`/gestion/personnes/${a.personId}`}>{a.person}</Link>
                <span className="cell-sub">{a.email}</span>
              </dd>
              <dt>Bail souhaité</dt>
              <dd>{a.kindLabel}</dd>
              <dt>Parcelles</dt>
              <dd>
                {a.choices.length ? (
                  <ol className="choice-list">
                    {a.choices.map((c) => (
                      <li key={c.id}>
                        <Link to={`/gestion/terres/parcelles/${c.id}`}>{c.code}</Link>
                        {c.name ? ` ${c.name}` : ""} <span className="muted">({c.surface})</span>
                      </li>
                    ))}
                  </ol>
                ) : null}
                {a.minSurfaceM2 ? (
                  <span>{`${a.choices.length ? "Ou toute" : "Toute"} parcelle d'au moins ${formatNumber(a.minSurfaceM2)} m²`}</span>
                ) : null}
              </dd>
              <dt>Parcours de formation</dt>
              <dd>
                {a.trainingPath.courses.length ? (
                  <ul className="plain-list">
                    {a.trainingPath.courses.map((c) => (
                      <li key={c.course}>
                        {c.course} <span className="muted">(terminée le {formatDate(c.completedAt)})</span>
                      </li>
                    ))}
                  </ul>
                ) : a.trainingPath.required ? (
                  <strong>
                    Aucune formation du parcours suivie : exigée par le pôle pour un espace-test, pas d'offre possible.
                  </strong>
                ) : (
                  <span className="muted">Aucune formation du parcours suivie.</span>
                )}
              </dd>
              <dt>Début souhaité</dt>
              <dd>{formatDate(a.desiredStartOn)}</dd>
              <dt>Inscrite le</dt>
              <dd>{formatDate(a.since, "dateTime")}</dd>
              {a.queued && a.reconfirmDueAt ? (
                <>
                  <dt>À reconfirmer</dt>
                  <dd>avant le {formatDate(a.reconfirmDueAt)}</dd>
                </>
              ) : null}
            </dl>
            <h3>Projet</h3>
            <p className="prose-text">{a.project}</p>
            <h3>Expérience</h3>
            <p className="prose-text">{a.experience || <span className="muted">Non précisée.</span>}</p>
          </section>
          {leases.length > 0 ? (
            <section className="card" aria-labelledby="propositions">
              <h2 id="propositions">Propositions et baux</h2>
              <ul className="plain-list offer-list">
                {leases.map((l) => (
                  <li key={l.id}>
                    <Link to={`/gestion/terres/baux/${l.id}`}>Parcelle {l.label}</Link>{" "}
                    <LandBadge tone={LEASE_TONES[l.status]} label={l.statusLabel} />
                    <span className="cell-sub">
                      <TermCell startsOn={l.startsOn} endsOn={l.endsOn} /> — {formatCents(l.yearlyRentCents)} par an
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          <section className="card" aria-labelledby="historique">
            <h2 id="historique">Historique</h2>
            <ol className="history-list">
              {history.map((h) => (
                <li key={h.id}>
                  <time dateTime={h.at}>{formatDate(h.at, "dateTime")}</time>
                  <span>
                    <strong>{h.label}</strong>
                    {h.note ? ` — ${h.note}` : ""}
                    {h.actor ? <span className="muted"> ({h.actor})</span> : null}
                  </span>
                </li>
              ))}
            </ol>
          </section>
        </div>

        <div className="action-stack">
          {openOffer ? (
            <section className="card" aria-labelledby="proposition">
              <h2 id="proposition">Proposition en cours</h2>
              <p>
                Parcelle <strong>{openOffer.plot}</strong>, {termText(openOffer.startsOn, openOffer.endsOn)}.
              </p>
              {openOffer.expiresAt ? (
                <p>Réponse attendue avant le {formatDate(openOffer.expiresAt, "dateTime")}.</p>
              ) : null}
              <Link to={`/gestion/terres/baux/${openOffer.id}`}>Voir la proposition</Link>
            </section>
          ) : null}
          {a.status === "WAITING" ? <OfferForm /> : null}
          {a.queued ? <MoveForm /> : null}
          <NoteForm />
        </div>
      </div>
    </>
  );
}

function OfferForm() {
  const { application, plots, offer, offerKey } = useLoaderData<typeof loader>();
  const [form, fields] = useValidatedForm(OfferSchema, {
    lastResult: resultFor(useActionData<typeof action>(), "offer"),
    defaultValue: offer,
    id: "proposer",
  });
  // With JavaScript, the end and the rent follow the start and the plot, unless staff typed their own.
  const last = useRef({ plotId: offer.plotId, startsOn: isoDate(offer.startsOn) });
  const follow = (event: FormEvent<HTMLFormElement>) => {
    const target = event.target as HTMLInputElement | HTMLSelectElement;
    const input = (name: string) => event.currentTarget.elements.namedItem(name) as HTMLInputElement | null;
    if (target.name === "plotId") {
      const rent = input("rentPerHectare");
      const before = plots.find((p) => p.id === last.current.plotId);
      const after = plots.find((p) => p.id === target.value);
      if (rent && after && (!rent.value || rent.value === before?.rent)) rent.value = after.rent;
      last.current.plotId = target.value;
    }
    if (target.name === "startsOn" && isIsoDate(target.value)) {
      const end = input("endsOn");
      if (end && (!end.value || end.value === defaultEnd(application.kind, last.current.startsOn)))
        end.value = defaultEnd(application.kind, target.value);
      last.current.startsOn = target.value;
    }
  };
  const chosen = plots.filter((p) => p.chosen > 0).sort((x, y) => x.chosen - y.chosen);
  const others = plots.filter((p) => p.chosen === 0);
  const terms = TERMS[application.kind];
  return (
    <section className="card" aria-labelledby="proposer-titre">
      <h2 id="proposer-titre">Proposer une parcelle</h2>
      <IntentForm intent="offer" {...getFormProps(form)} onChange={follow} className="form">
        <input type="hidden" name="idempotencyKey" value={offerKey} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <FormErrors errors={fields.idempotencyKey.errors} />
        <SelectField
          meta={fields.plotId}
          label="Parcelle"
          options={[
            ...chosen.map((p) => ({
              value: p.id,
              label: `Choix ${p.chosen} — ${p.label}`,
            })),
            ...others.map((p) => ({ value: p.id, label: p.label })),
          ]}
        />
        <div className="form-row">
          <Field meta={fields.startsOn} label="Début du bail" type="date" />
          <Field
            meta={fields.endsOn}
            label="Fin du bail (exclue)"
            type="date"
            hint={`${application.kindLabel} : ${termHint(terms)}`}
          />
        </div>
        <div className="form-row">
          <Field
            meta={fields.rentPerHectare}
            label="Loyer (€ par hectare et par an)"
            placeholder="160,00"
            hint="Vide : le loyer indicatif de la parcelle."
          />
          <SelectField
            meta={fields.frequency}
            label="Échéances"
            options={FREQUENCIES.map((f) => ({
              value: f,
              label: FREQUENCY_LABELS[f][0].toUpperCase() + FREQUENCY_LABELS[f].slice(1),
            }))}
          />
        </div>
        <p className="field-hint">
          La personne reçoit un email et dispose du délai du pôle pour accepter ; sans réponse, la parcelle passe à la
          candidature suivante.
        </p>
        <SubmitButton pendingLabel="Envoi…">Proposer la parcelle</SubmitButton>
      </IntentForm>
    </section>
  );
}

const span = (months: number) => (months % 12 === 0 ? `${months / 12} an${months > 12 ? "s" : ""}` : `${months} mois`);
const termHint = (t: { minMonths: number; maxMonths: number }) =>
  t.minMonths === t.maxMonths ? `${span(t.minMonths)} exactement.` : `de ${span(t.minMonths)} à ${span(t.maxMonths)}.`;

function MoveForm() {
  const { queue, application } = useLoaderData<typeof loader>();
  const [form, fields] = useValidatedForm(MoveSchema, {
    lastResult: resultFor(useActionData<typeof action>(), "move"),
    id: "deplacer",
  });
  return (
    <section className="card" aria-labelledby="deplacer-titre">
      <h2 id="deplacer-titre">Changer de place dans la file</h2>
      <IntentForm intent="move" {...getFormProps(form)} className="form">
        <FormErrors id={form.errorId} errors={form.errors} />
        <SelectField
          meta={fields.beforeEntryId}
          label="Nouvelle place"
          hint={
            application.position
              ? `Aujourd'hui : ${application.position === 1 ? "1re" : `${application.position}e`}.`
              : undefined
          }
          options={[
            { value: "", label: "Choisir…" },
            ...queue.map((q) => ({
              value: q.entryId,
              label: `Avant ${q.position === 1 ? "la 1re" : `la ${q.position}e`} : ${q.person}`,
            })),
            { value: QUEUE_END, label: "À la fin de la file" },
          ]}
        />
        <TextAreaField
          meta={fields.reason}
          label="Raison (gardée dans l'historique, que la personne voit aussi)"
          rows={2}
        />
        <SubmitButton pendingLabel="Enregistrement…" className="button button-secondary">
          Déplacer
        </SubmitButton>
      </IntentForm>
    </section>
  );
}

function NoteForm() {
  const [form, fields] = useValidatedForm(NoteSchema, {
    lastResult: resultFor(useActionData<typeof action>(), "note"),
    id: "note",
  });
  return (
    <section className="card" aria-labelledby="note-titre">
      <h2 id="note-titre">Ajouter une note</h2>
      <IntentForm intent="note" {...getFormProps(form)} className="form">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextAreaField meta={fields.note} label="Note de l'équipe" rows={3} />
        <SubmitButton pendingLabel="Enregistrement…" className="button button-secondary">
          Ajouter la note
        </SubmitButton>
      </IntentForm>
    </section>
  );
}
