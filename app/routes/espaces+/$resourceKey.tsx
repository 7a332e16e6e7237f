import { getFormProps, getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { lazy, Suspense, useRef, useState } from "react";
import { runCommand } from "~/domain/commands.server";
import { ClientOnly } from "~/components/client-only";
import { FieldErrors, FormErrors, IntentForm, SubmitButton, useValidatedForm } from "~/components/forms";
import { RatesTable, ResourceFacts } from "~/components/booking/resource-facts";
import { WeekSlots } from "~/components/booking/week-slots";
import {
  bookingPath,
  findResource,
  holdBooking,
  hoursOf,
  joinSlotWaitlist,
  personPasses,
  weekAvailability,
} from "~/domain/booking/index.server";
import { MAX_ADVANCE_DAYS, quote, rangeRefusal } from "~/domain/booking/rules";
import { HoldSchema, WaitSchema, WeekQuerySchema } from "~/domain/booking/schemas";
import { addDays, mondayOf, parisInstant, toMinutes, weekdayOf } from "~/domain/booking/time";
import { memberRateOf } from "~/domain/identity/index.server";
import { parisDate } from "~/domain/ledger/index.server";
import { cardPaymentEnabled } from "~/domain/payments/index.server";
import { getViewer } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatCents } from "~/utils/format";
import { invalid, refused } from "~/utils/forms.server";
import { httpError, readForm } from "~/utils/http.server";

const AvailabilityCalendar = lazy(() => import("~/components/booking/availability-calendar.client"));

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.resource.name ?? "Espace"} — réserver — Terrain Commun` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole, person, membership } = await getViewer(request);
  const resource = await findResource(db, pole.id, params.resourceKey ?? "");
  if (!resource) httpError(404, "Cet espace n'existe pas ou ne se réserve pas.");
  const url = new URL(request.url);
  const now = new Date();
  const today = parisDate(now);
  const query = WeekQuerySchema.safeParse({
    semaine: url.searchParams.get("semaine") ?? url.searchParams.get("jour") ?? undefined,
  });
  const hours = hoursOf(resource, pole);
  const thisMonday = mondayOf(today);
  // Without a week asked, the first week that still has an open day (on a Saturday, next week).
  const openLeft = Array.from({ length: 7 }, (_, i) => addDays(thisMonday, i)).some(
    (d) => d >= today && hours[weekdayOf(d)].length > 0,
  );
  const firstMonday = openLeft ? thisMonday : addDays(thisMonday, 7);
  const asked = query.success && query.data.semaine ? mondayOf(query.data.semaine) : firstMonday;
  // Between this week and the last one that can be booked (a year ahead).
  const lastMonday = mondayOf(addDays(today, MAX_ADVANCE_DAYS));
  const monday = asked < thisMonday ? thisMonday : asked > lastMonday ? lastMonday : asked;
  const days = await weekAvailability(db, { resource, pole, monday, now, viewerId: person?.id });
  const member = memberRateOf(membership);
  const credits = person
    ? (await personPasses(db, { poleId: pole.id, personId: person.id, now }))
        .filter((p) => p.status === "ACTIVE" && !p.expired && p.resourceKind === resource.kind)
        .reduce((s, p) => s + p.creditsLeft, 0)
    : 0;
  const prefill = {
    date: url.searchParams.get("jour") ?? "",
    start: url.searchParams.get("debut") ?? "",
    end: url.searchParams.get("fin") ?? "",
  };
  return json({
    resource: {
      slug: resource.slug,
      name: resource.name,
      kind: resource.kind,
      capacity: resource.capacity,
      equipment: resource.equipment,
      description: resource.description,
      photo: resource.photo,
      slotMinutes: resource.slotMinutes,
      minMinutes: resource.minMinutes,
      maxMinutes: resource.maxMinutes,
      space: {
        name: resource.space.name,
        building: resource.space.building,
        floor: resource.space.floor,
        slug: resource.space.slug,
      },
      rates: resource.rates.map((r) => ({ unit: r.unit, memberCents: r.memberCents, publicCents: r.publicCents })),
    },
    hours,
    week: {
      monday,
      previous: monday > thisMonday ? addDays(monday, -7) : null,
      next: monday < lastMonday ? addDays(monday, 7) : null,
      days,
    },
    busy: days.flatMap((d) =>
      d.busy.map((b) => ({
        start: parisInstant(d.date, b.start).toISOString(),
        end: parisInstant(d.date, b.end).toISOString(),
        kind: b.kind,
        mine: b.mine,
      })),
    ),
    viewer: { loggedIn: Boolean(person), member, credits },
    holdMinutes: pole.holdMinutes,
    cardPayment: cardPaymentEnabled(),
    formKey: crypto.randomUUID(),
    prefill,
    today,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { pole, person } = await getViewer(request);
  const form = await readForm(request);
  const intent = form.get("intent");
  const schema = intent === "wait" ? WaitSchema : HoldSchema;
  const submission = parseWithZod(form, { schema });
  if (submission.status !== "success") return invalid(submission);
  const { date, start, end } = submission.value;
  if (!person) {
    // Log in first, then come back to the same slot.
    const back = `/espaces/${encodeURIComponent(params.resourceKey ?? "")}?jour=${date}&debut=${start}&fin=${end}#reserver`;
    return redirect(`/connexion?redirectTo=${encodeURIComponent(back)}`);
  }
  const startsAt = parisInstant(date, toMinutes(start));
  const endsAt = parisInstant(date, toMinutes(end));
  const now = new Date();

  if (submission.value.intent === "wait") {
    const resource = await findResource(db, pole.id, params.resourceKey ?? "");
    if (!resource) httpError(404, "Cet espace n'existe pas ou ne se réserve pas.");
    const refusal = rangeRefusal(resource, hoursOf(resource, pole), startsAt, endsAt, now);
    if (refusal) return refused(submission, refusal);
    const joined = await runCommand(joinSlotWaitlist, {
      poleId: pole.id,
      personId: person.id,
      resourceId: resource.id,
      startsAt,
      endsAt,
      now,
    });
    if (!joined.ok) return refused(submission, joined);
    return json({ ...submission.reply({ resetForm: true }), waiting: true as const });
  }

  const held = await runCommand(holdBooking, {
    poleId: pole.id,
    resourceKey: params.resourceKey ?? "",
    personId: person.id,
    startsAt,
    endsAt,
    // One key per form and slot: a double click replays, another slot from the same page is a new booking.
    idempotencyKey: `${submission.value.idempotencyKey}:${date}:${start}:${end}`,
    now,
  });
  if (!held.ok) {
    // A refusal about a field this form has goes under it; any other (the resource, the person) above the form.
    const reply = refused(
      submission,
      held.field && ["date", "start", "end"].includes(held.field) ? held : { ...held, field: undefined },
    );
    return held.code === "SLOT_TAKEN"
      ? json({ ...(await reply.json()), slotTaken: true as const }, { status: 409 })
      : reply;
  }
  return redirect(bookingPath(held.value.booking.id));
}

export default function ResourcePage() {
  const { resource, hours, week, busy, viewer, formKey, prefill, today, holdMinutes } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useValidatedForm(HoldSchema, {
    lastResult,
    defaultValue: { intent: "hold", idempotencyKey: formKey, ...prefill },
  });
  const [selected, setSelected] = useState(prefill);
  const formRef = useRef<HTMLFormElement>(null);
  const minutes =
    selected.start && selected.end && selected.end > selected.start
      ? toMinutes(selected.end) - toMinutes(selected.start)
      : 0;
  const rates = Object.fromEntries(resource.rates.map((r) => [r.unit, r]));
  const preview = minutes ? quote(rates, minutes, viewer.member) : null;
  const dateProps = getInputProps(fields.date, { type: "date", ariaAttributes: true });
  const startProps = getInputProps(fields.start, { type: "time", ariaAttributes: true });
  const endProps = getInputProps(fields.end, { type: "time", ariaAttributes: true });
  const choose = (slot: { date: string; start: string; end: string }) => {
    setSelected(slot);
    const f = formRef.current;
    if (!f) return;
    (f.elements.namedItem("date") as HTMLInputElement).value = slot.date;
    (f.elements.namedItem("start") as HTMLInputElement).value = slot.start;
    (f.elements.namedItem("end") as HTMLInputElement).value = slot.end;
    f.scrollIntoView({ behavior: "smooth", block: "center" });
    (f.querySelector("button[type=submit]") as HTMLButtonElement | null)?.focus({ preventScroll: true });
  };
  const waiting = lastResult && "waiting" in lastResult;
  const slotTaken = lastResult && "slotTaken" in lastResult;
  // The slot that was refused, as submitted (without JavaScript the form's state never changed).
  const submitted = (lastResult && "initialValue" in lastResult ? lastResult.initialValue : null) as Record<
    string,
    unknown
  > | null;
  const refusedSlot = {
    date: String(submitted?.date ?? selected.date),
    start: String(submitted?.start ?? selected.start),
    end: String(submitted?.end ?? selected.end),
  };

  return (
    <div className="resource-page">
      <p>
        <Link to="/espaces">← Tous les espaces</Link>
      </p>
      <div className="resource-head">
        {resource.photo ? (
          <img src={resource.photo} alt="" className="resource-photo" width={320} height={200} />
        ) : null}
        <div>
          <p className="eyebrow">
            {resource.kind === "DESK" ? "Poste de travail" : "Salle"} · {resource.space.name}
          </p>
          <h1>{resource.name}</h1>
          {resource.description ? <p className="lead">{resource.description}</p> : null}
          <ResourceFacts resource={resource} hours={hours} />
        </div>
      </div>

      <section className="card" aria-labelledby="tarifs">
        <h2 id="tarifs">Tarifs</h2>
        <RatesTable rates={resource.rates} member={viewer.member} loggedIn={viewer.loggedIn} />
      </section>

      <section aria-labelledby="disponibilites" className="card">
        <div className="title-row">
          <h2 id="disponibilites">Disponibilités</h2>
          <nav aria-label="Semaines" className="week-nav">
            {week.previous ? (
              <Link to={`?semaine=${week.previous}#disponibilites`}>← Semaine précédente</Link>
            ) : (
              <span className="muted">← Semaine précédente</span>
            )}
            {week.next ? (
              <Link to={`?semaine=${week.next}#disponibilites`}>Semaine suivante →</Link>
            ) : (
              <span className="muted">Semaine suivante →</span>
            )}
          </nav>
        </div>
        <ClientOnly>
          {() => (
            <Suspense fallback={<p className="muted">Chargement du calendrier…</p>}>
              <div className="availability-calendar" data-testid="calendrier">
                <p className="field-hint">
                  Glissez sur un créneau libre pour le choisir, ou utilisez la liste des créneaux ci-dessous.
                </p>
                <AvailabilityCalendar
                  monday={week.monday}
                  hours={hours}
                  busy={busy}
                  slotMinutes={resource.slotMinutes}
                  onSelect={choose}
                />
              </div>
            </Suspense>
          )}
        </ClientOnly>
        <WeekSlots days={week.days} today={today} formKey={formKey} />
      </section>

      <section className="card" id="reserver" aria-labelledby="reserver-titre">
        <h2 id="reserver-titre">Réserver un créneau</h2>
        {waiting ? (
          <p className="notice notice-success" role="status">
            Vous êtes sur la liste d'attente : nous vous écrirons si ce créneau se libère.
          </p>
        ) : null}
        <Form
          method="post"
          {...getFormProps(form)}
          ref={formRef}
          className="form booking-form"
          onChange={(e) => {
            const f = e.currentTarget;
            setSelected({
              date: (f.elements.namedItem("date") as HTMLInputElement).value,
              start: (f.elements.namedItem("start") as HTMLInputElement).value,
              end: (f.elements.namedItem("end") as HTMLInputElement).value,
            });
          }}
        >
          <input type="hidden" name="intent" value="hold" />
          <input type="hidden" name="idempotencyKey" value={formKey} />
          <FormErrors id={form.errorId} errors={form.errors} />
          <div className="slot-fields">
            <div className="field">
              <label htmlFor={fields.date.id}>Jour</label>
              <input {...dateProps} key={dateProps.key} min={today} />
              <FieldErrors id={fields.date.errorId} errors={fields.date.errors} />
            </div>
            <div className="field">
              <label htmlFor={fields.start.id}>De</label>
              <input {...startProps} key={startProps.key} step={resource.slotMinutes * 60} />
              <FieldErrors id={fields.start.errorId} errors={fields.start.errors} />
            </div>
            <div className="field">
              <label htmlFor={fields.end.id}>À</label>
              <input {...endProps} key={endProps.key} step={resource.slotMinutes * 60} />
              <FieldErrors id={fields.end.errorId} errors={fields.end.errors} />
            </div>
          </div>
          <p className="booking-preview" aria-live="polite">
            {preview ? (
              <>
                Prix : <strong>{formatCents(preview.totalCents)}</strong> TTC{viewer.member ? " (tarif membre)" : ""}
                {viewer.credits > 0 && resource.kind === "DESK"
                  ? ` — ou avec votre carnet (${viewer.credits} crédit${viewer.credits > 1 ? "s" : ""} disponible${viewer.credits > 1 ? "s" : ""})`
                  : ""}
              </>
            ) : minutes ? (
              "Cette durée ne correspond à aucun tarif de cet espace."
            ) : (
              "Choisissez un jour et un horaire : le prix s'affiche ici."
            )}
          </p>
          <p className="field-hint">
            Le créneau vous est réservé {viewer.loggedIn ? "" : "(après connexion) "}pendant {holdMinutes} minutes, le
            temps de choisir comment payer.
          </p>
          <SubmitButton pendingLabel="Réservation…">Réserver ce créneau</SubmitButton>
        </Form>
        {slotTaken ? (
          <IntentForm intent="wait" className="waitlist-form">
            <input type="hidden" name="date" value={refusedSlot.date} />
            <input type="hidden" name="start" value={refusedSlot.start} />
            <input type="hidden" name="end" value={refusedSlot.end} />
            <p>Ce créneau est pris. Voulez-vous être prévenu·e s'il se libère ?</p>
            <button type="submit" className="button button-secondary">
              M'inscrire sur la liste d'attente
            </button>
          </IntentForm>
        ) : null}
      </section>
    </div>
  );
}
