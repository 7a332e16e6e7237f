import {
  getCollectionProps,
  getFormProps,
  getInputProps,
  getSelectProps,
  type FieldMetadata,
  type SubmissionResult,
} from "@conform-to/react";
import { Form, Link } from "@remix-run/react";
import type { z } from "zod";
import type { TrainingSessionStatus } from "~/generated/prisma/enums";
import {
  CourseFormSchema,
  DEFAULT_DEADLINE_TIME,
  SessionFormSchema,
  type PartSchema,
} from "~/domain/training/admin-schemas";
import { SESSION_STATUS_LABELS, UNDER_MINIMUM_LABEL } from "~/domain/training/staff-labels";
import { formatDate, formatNumber } from "~/utils/format";
import {
  CheckboxField,
  Field,
  FieldErrors,
  FormErrors,
  SelectField,
  SubmitButton,
  TextAreaField,
  useValidatedForm,
} from "./forms";
import { LandBadge } from "./land-admin";

// The staff pieces of trainings: the session's badge and seats bar, its parts, the course and session forms.

type Result = SubmissionResult<string[]> | null | undefined;

const SESSION_TONES = { SCHEDULED: "waiting", CONFIRMED: "leased", CANCELLED: "muted", DELIVERED: "paid" } as const;

/** A session's status; a scheduled one found under its minimum at its deadline says so (staff decide). */
export function SessionBadge({ status, underMinimum }: { status: TrainingSessionStatus; underMinimum: boolean }) {
  return (
    <span className="badge-group">
      <LandBadge tone={SESSION_TONES[status]} label={SESSION_STATUS_LABELS[status]} />
      {underMinimum && status === "SCHEDULED" ? <LandBadge tone="late" label={UNDER_MINIMUM_LABEL} /> : null}
    </span>
  );
}

/** Seats taken against the capacity, the minimum marked; in words, how they split. */
export function SeatsBar({
  seatsTaken,
  capacity,
  minimum,
  seats,
}: {
  seatsTaken: number;
  capacity: number;
  minimum: number;
  seats: { CONFIRMED: number; HELD: number; OFFERED: number };
}) {
  const percent = capacity > 0 ? Math.round((seatsTaken * 100) / capacity) : 0;
  const detail = [
    `${formatNumber(seats.CONFIRMED)} confirmée(s)`,
    seats.HELD ? `${formatNumber(seats.HELD)} en attente de paiement` : null,
    seats.OFFERED ? `${formatNumber(seats.OFFERED)} proposée(s)` : null,
  ].filter(Boolean);
  return (
    <div className="seats">
      <div
        className="seats-bar"
        role="img"
        aria-label={`${formatNumber(seatsTaken)} places prises sur ${formatNumber(capacity)}, minimum ${formatNumber(minimum)}`}
      >
        <span
          className={`seats-bar-fill${seats.CONFIRMED < minimum ? " seats-bar-low" : ""}`}
          style={{ width: `${Math.min(percent, 100)}%` }}
        />
        <span
          className="seats-bar-minimum"
          style={{ left: `${Math.min((minimum * 100) / Math.max(capacity, 1), 100)}%` }}
          title={`Minimum : ${minimum}`}
        />
      </div>
      <span className="cell-sub">
        <strong>
          {formatNumber(seatsTaken)} / {formatNumber(capacity)}
        </strong>{" "}
        places — min. {formatNumber(minimum)}
        {detail.length ? ` (${detail.join(", ")})` : ""}
      </span>
    </div>
  );
}

export type PartView = {
  id: string;
  startsAt: string;
  endsAt: string;
  status: string;
  room: string;
  space: string;
};

/** A session's parts by day: "lundi 18 janvier — 09:00–12:30, 13:30–17:00, Salle de la Forge". */
export function PartsList({ parts, withSpace = false }: { parts: PartView[]; withSpace?: boolean }) {
  const days: { day: string; parts: PartView[] }[] = [];
  for (const p of parts) {
    const day = formatDate(p.startsAt, "weekday");
    const last = days.at(-1);
    if (last?.day === day) last.parts.push(p);
    else days.push({ day, parts: [p] });
  }
  const room = (p: PartView) => `${p.room}${withSpace ? ` (${p.space})` : ""}`;
  return (
    <ul className="parts-list">
      {days.map(({ day, parts: ofDay }) => {
        const oneRoom = ofDay.every((p) => room(p) === room(ofDay[0]));
        const cancelled = ofDay.every((p) => p.status === "CANCELLED");
        return (
          <li key={ofDay[0].id} className={cancelled ? "part-cancelled" : undefined}>
            <span className="part-day">{day}</span>{" "}
            {ofDay.map((p, i) => (
              <span key={p.id} className="nowrap">
                {formatDate(p.startsAt, "time")}–{formatDate(p.endsAt, "time")}
                {oneRoom ? "" : ` (${room(p)})`}
                {i < ofDay.length - 1 ? ", " : ""}
              </span>
            ))}
            {oneRoom ? <span className="part-room"> — {room(ofDay[0])}</span> : null}
            {cancelled ? <span className="visually-hidden"> (salle libérée)</span> : null}
          </li>
        );
      })}
    </ul>
  );
}

export type SessionRowView = {
  id: string;
  course: string;
  courseId: string;
  status: TrainingSessionStatus;
  underMinimum: boolean;
  startsAt: string;
  endsAt: string;
  registrationDeadline: string;
  capacity: number;
  minimum: number;
  seatsTaken: number;
  seats: { CONFIRMED: number; HELD: number; OFFERED: number };
  trainers: number;
  parts: PartView[];
};

/** Sessions with their dates and rooms, seats, deadline and status; the course column when several are listed. */
export function SessionsTable({
  sessions,
  caption,
  showCourse = true,
}: {
  sessions: SessionRowView[];
  caption: string;
  showCourse?: boolean;
}) {
  return (
    <div className="table-scroll">
      <table className="table sessions-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{showCourse ? "Session" : "Dates"}</th>
            <th scope="col">Parties et salles (heure de Paris)</th>
            <th scope="col">Places</th>
            <th scope="col">Clôture des inscriptions</th>
            <th scope="col">Statut</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <th scope="row">
                <Link to={`/gestion/formations/sessions/${s.id}`}>
                  {showCourse ? s.course : sessionDays(s.startsAt, s.endsAt)}
                </Link>
                {showCourse ? <span className="cell-sub">{sessionDays(s.startsAt, s.endsAt)}</span> : null}
              </th>
              <td>
                <PartsList parts={s.parts} />
              </td>
              <td className="seats-cell">
                <SeatsBar seatsTaken={s.seatsTaken} capacity={s.capacity} minimum={s.minimum} seats={s.seats} />
              </td>
              <td>
                <span className="nowrap">{formatDate(s.registrationDeadline, "short")}</span>
                <span className="cell-sub">à {formatDate(s.registrationDeadline, "time")}</span>
              </td>
              <td>
                <SessionBadge status={s.status} underMinimum={s.underMinimum} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "le 15/03/2027" or "du 15/03/2027 au 16/03/2027", in Paris. */
export function sessionDays(startsAt: string, endsAt: string) {
  const from = formatDate(startsAt, "short");
  const to = formatDate(endsAt, "short");
  return from === to ? `le ${from}` : `du ${from} au ${to}`;
}

/** A new course, or a course edited: its programme, prices and publication. */
export function CourseForm({
  lastResult,
  defaultValue,
  submitLabel,
}: {
  lastResult?: Result;
  defaultValue?: Record<string, unknown>;
  submitLabel: string;
}) {
  const [form, fields] = useValidatedForm(CourseFormSchema, { lastResult, defaultValue, id: "formation" });
  return (
    <Form method="post" {...getFormProps(form)} className="form course-form">
      <FormErrors id={form.errorId} errors={form.errors} />
      <fieldset className="card">
        <legend>La formation</legend>
        <Field meta={fields.title} label="Intitulé" placeholder="Initiation au maraîchage biologique" />
        <div className="form-row">
          <Field
            meta={fields.slug}
            label="Adresse de la page"
            hint="Minuscules, chiffres et tirets : la page publique sera /formations/cette-adresse."
          />
          <Field
            meta={fields.axis}
            label="Axe (facultatif)"
            placeholder="Agriculture, Coopération…"
            hint="Le catalogue regroupe les formations par axe."
          />
        </div>
        <div className="form-row">
          <Field meta={fields.durationHours} label="Durée (heures)" type="number" hint="Pour tout le parcours." />
        </div>
        <CheckboxField
          meta={fields.published}
          label="Publiée dans le catalogue"
          hint="Décochée, la formation reste un brouillon visible de l'équipe seulement."
        />
        <CheckboxField
          meta={fields.opensPlotPath}
          label="Ouvre l'accès à un espace-test"
          hint="L'avoir suivie compte pour une candidature à un bail d'espace-test (exigé si le pôle le demande, voir Réglages)."
        />
      </fieldset>
      <fieldset className="card">
        <legend>Tarifs TTC (€)</legend>
        <p className="field-hint">
          En euros, centimes avec une virgule (« 180 », « 12,50 ») ; 0 pour une formation gratuite. Le tarif membre suit
          la même règle que pour les espaces ; le tarif financé est facturé au financeur (employeur, OPCO…).
        </p>
        <div className="form-row form-row-3">
          <Field meta={fields.memberPrice} label="Prix membre" placeholder="180,00" />
          <Field meta={fields.publicPrice} label="Prix public" placeholder="240,00" />
          <Field meta={fields.fundedPrice} label="Prix financé" placeholder="420,00" />
        </div>
      </fieldset>
      <fieldset className="card">
        <legend>Programme</legend>
        <p className="field-hint">
          Ce qu'une formation professionnelle doit publier : objectifs, contenu, prérequis, public, méthodes,
          évaluation, accessibilité. Une ligne par point si vous voulez une liste.
        </p>
        <TextAreaField meta={fields.objectives} label="Objectifs pédagogiques" rows={4} />
        <TextAreaField meta={fields.content} label="Contenu" rows={6} />
        <div className="form-row">
          <TextAreaField meta={fields.prerequisites} label="Prérequis" rows={3} />
          <TextAreaField meta={fields.audience} label="Public visé" rows={3} />
        </div>
        <div className="form-row">
          <TextAreaField meta={fields.methods} label="Méthodes pédagogiques" rows={3} />
          <TextAreaField meta={fields.evaluation} label="Modalités d'évaluation" rows={3} />
        </div>
        <TextAreaField
          meta={fields.accessibility}
          label="Accessibilité aux personnes en situation de handicap"
          rows={3}
        />
        <Field
          meta={fields.accessibilityContact}
          label="Contact accessibilité (référent·e handicap)"
          placeholder="Nom, email ou téléphone"
        />
      </fieldset>
      <SubmitButton pendingLabel="Enregistrement…">{submitLabel}</SubmitButton>
    </Form>
  );
}

export type RoomGroup = { id: string; name: string; resources: { id: string; name: string; active: boolean }[] };
export type PersonChoice = { id: string; name: string; email: string; role: string };

type PartField = FieldMetadata<z.input<typeof PartSchema> | undefined, z.input<typeof SessionFormSchema>, string[]>;

/** A new session of a course: its parts (day, hours, room), seats, registration deadline and trainers. */
export function SessionForm({
  lastResult,
  defaultValue,
  courses,
  rooms,
  people,
}: {
  lastResult?: Result;
  defaultValue: Record<string, unknown>;
  courses: { id: string; title: string; durationHours: number }[];
  rooms: RoomGroup[];
  people: PersonChoice[];
}) {
  const [form, fields] = useValidatedForm(SessionFormSchema, { lastResult, defaultValue, id: "session" });
  const parts = fields.parts.getFieldList();
  const lastPart = (parts.at(-1)?.value ?? {}) as { date?: string; resourceId?: string };
  return (
    <Form method="post" {...getFormProps(form)} className="form session-form">
      {/* The first submit button is what Enter presses: create, never "add a part". */}
      <button type="submit" className="visually-hidden" tabIndex={-1} aria-hidden="true">
        Créer la session
      </button>
      <FormErrors id={form.errorId} errors={form.errors} />
      <fieldset className="card">
        <legend>Formation</legend>
        <SelectField
          meta={fields.courseId}
          label="Formation"
          options={[
            { value: "", label: "Choisissez…" },
            ...courses.map((c) => ({ value: c.id, label: `${c.title} (${c.durationHours} h)` })),
          ]}
        />
      </fieldset>
      <fieldset
        className="card parts-fieldset"
        aria-describedby={fields.parts.errors ? fields.parts.errorId : undefined}
      >
        <legend>Parties (heure de Paris)</legend>
        <p className="field-hint">
          Chaque partie réserve sa salle comme une réservation : une salle déjà prise (réunion, poste, fermeture) ou une
          partie hors des heures d'ouverture est refusée. Une journée = deux parties (matin, après-midi).
        </p>
        <FieldErrors id={fields.parts.errorId} errors={fields.parts.errors} />
        <ol className="part-rows">
          {parts.map((part, index) => (
            <PartRow
              key={part.key ?? `partie-${index}`}
              part={part}
              index={index}
              rooms={rooms}
              removeButton={parts.length > 1 ? form.remove.getButtonProps({ name: fields.parts.name, index }) : null}
            />
          ))}
        </ol>
        <p>
          <button
            {...form.insert.getButtonProps({
              name: fields.parts.name,
              defaultValue: {
                date: lastPart.date ?? "",
                start: "13:30",
                end: "17:00",
                resourceId: lastPart.resourceId ?? "",
              },
            })}
            className="button button-secondary button-small"
          >
            Ajouter une partie
          </button>
        </p>
      </fieldset>
      <fieldset className="card">
        <legend>Places et inscriptions</legend>
        <div className="form-row form-row-4">
          <Field meta={fields.capacity} label="Capacité (places)" type="number" />
          <Field meta={fields.minimum} label="Minimum de stagiaires" type="number" />
          <Field meta={fields.deadlineDate} label="Clôture des inscriptions le" type="date" />
          <Field meta={fields.deadlineTime} label="à" type="time" />
        </div>
        <p className="field-hint">
          Sous son minimum à la clôture des inscriptions, la session vous est signalée : vous la maintenez ou l'annulez
          (personne ne l'annule automatiquement). Clôture laissée vide : la veille du premier jour à{" "}
          {DEFAULT_DEADLINE_TIME}.
        </p>
      </fieldset>
      <fieldset className="card">
        <legend>Formateurs et formatrices</legend>
        <p className="field-hint">
          Des personnes du pôle (l'équipe d'abord) : elles voient la session et en relèvent les présences.
          {people.length >= 300 ? " Les 300 premières sont listées." : ""}
        </p>
        <FieldErrors id={fields.trainerIds.errorId} errors={fields.trainerIds.errors} />
        {people.length === 0 ? (
          <p className="muted">Personne d'autre sur le pôle pour l'instant.</p>
        ) : (
          <div className="check-list" role="group" aria-label="Formateurs et formatrices">
            {getCollectionProps(fields.trainerIds, {
              type: "checkbox",
              options: people.map((p) => p.id),
            }).map((props) => {
              const person = people.find((p) => p.id === props.value)!;
              return (
                <label key={props.key} className="check-item">
                  <input {...props} key={props.key} />
                  <span>
                    {person.name} <span className="cell-sub">{person.email}</span>
                  </span>
                </label>
              );
            })}
          </div>
        )}
      </fieldset>
      <SubmitButton pendingLabel="Création…">Créer la session</SubmitButton>
    </Form>
  );
}

function PartRow({
  part,
  index,
  rooms,
  removeButton,
}: {
  part: PartField;
  index: number;
  rooms: RoomGroup[];
  removeButton: Record<string, unknown> | null;
}) {
  const f = part.getFieldset();
  const n = index + 1;
  const errors = [
    ...(part.errors ?? []),
    ...(f.date.errors ?? []),
    ...(f.start.errors ?? []),
    ...(f.end.errors ?? []),
    ...(f.resourceId.errors ?? []),
  ];
  const describedBy = errors.length ? part.errorId : undefined;
  const input = (meta: typeof f.date, type: "date" | "time", label: string) => {
    const props = getInputProps(meta, { type });
    return (
      <div className="field">
        <label htmlFor={meta.id}>{label}</label>
        <input
          {...props}
          key={props.key}
          aria-describedby={describedBy}
          aria-invalid={meta.errors ? true : undefined}
        />
      </div>
    );
  };
  const room = getSelectProps(f.resourceId);
  return (
    <li className={errors.length ? "part-row has-errors" : "part-row"}>
      <span className="part-number" aria-hidden="true">
        {n}
      </span>
      <div className="part-fields">
        {input(f.date, "date", `Jour (partie ${n})`)}
        {input(f.start, "time", "De")}
        {input(f.end, "time", "À")}
        <div className="field">
          <label htmlFor={f.resourceId.id}>Salle</label>
          <select
            {...room}
            key={room.key}
            aria-describedby={describedBy}
            aria-invalid={f.resourceId.errors ? true : undefined}
          >
            <option value="">Choisissez…</option>
            {rooms.map((space) => (
              <optgroup key={space.id} label={space.name}>
                {space.resources.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                    {r.active ? "" : " (fermée à la réservation)"}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        {removeButton ? (
          <button {...removeButton} className="button button-secondary button-small part-remove">
            Retirer<span className="visually-hidden"> la partie {n}</span>
          </button>
        ) : null}
      </div>
      <FieldErrors id={part.errorId} errors={errors.length ? errors : undefined} />
    </li>
  );
}
