import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CheckYourMailbox } from "~/components/check-your-mailbox";
import { allErrors, FormErrors, Honeypot, NewAccountFields, SubmitButton, useValidatedForm } from "~/components/forms";
import { PartsList, SeatsBar, sessionDatesLabel } from "~/components/training/sessions";
import { runCommand } from "~/domain/commands.server";
import { hasMemberRate } from "~/domain/identity/index.server";
import { cardPaymentEnabled } from "~/domain/payments/index.server";
import {
  heldPath,
  joinSessionWaitlist,
  personSessionWaits,
  sessionForSignUp,
  signUp,
  signUpWithAccount,
} from "~/domain/training/index.server";
import { hoursLabel } from "~/domain/training/labels";
import { SignUpSchema, VisitorSignUpSchema, WaitIntentSchema } from "~/domain/training/schemas";
import { getViewer, loginRedirect } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatCents, formatDate } from "~/utils/format";
import { invalid, refused, rejectBots, signUpThrottled } from "~/utils/forms.server";
import { clientIp, httpError, readForm } from "~/utils/http.server";

// /formations/<slug>/inscription?session=<id>: signing up to a session. A signed-in person's POST takes a seat
// (held while they pay, like a desk hold) and leads to the registration's page to choose how to pay; the form's
// key, made when it was rendered, makes a double submit one sign-up. A visitor gets an account on the way: the
// seat is taken when they confirm their address. A full session answers a French 409 and offers its waiting list
// (intent "wait": the one engine's queue, an offer by email when a seat frees).

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `S'inscrire — ${data.course.title}` : "Session introuvable — Terrain Commun" },
  { name: "robots", content: "noindex" },
];

async function sessionOf(request: Request, slug: string | undefined) {
  const viewer = await getViewer(request);
  const sessionId = new URL(request.url).searchParams.get("session")?.trim() ?? "";
  const now = new Date();
  const session =
    sessionId && sessionId.length <= 40
      ? await sessionForSignUp(db, { poleId: viewer.pole.id, slug: slug ?? "", sessionId, now })
      : null;
  if (!session) httpError(404, "Cette session n'existe pas.");
  return { ...viewer, session, now };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { pole, person, session: s } = await sessionOf(request, params.slug);
  const [memberRate, mine, waits] = person
    ? await Promise.all([
        hasMemberRate(db, pole.id, person.id),
        db.registration.findFirst({
          where: { sessionId: s.id, personId: person.id, status: { in: ["HELD", "OFFERED", "CONFIRMED"] } },
          select: { id: true },
        }),
        personSessionWaits(db, { poleId: pole.id, personId: person.id }),
      ])
    : [null, null, []];
  const wait = waits.find((w) => w.session.id === s.id);
  return json({
    loggedIn: Boolean(person),
    memberRate,
    registrationId: mine?.id ?? null,
    waiting: wait && wait.status === "WAITING" ? { position: wait.position } : null,
    card: cardPaymentEnabled(),
    holdMinutes: pole.holdMinutes,
    formKey: crypto.randomUUID(),
    course: {
      slug: s.course.slug,
      title: s.course.title,
      durationHours: s.course.durationHours,
      memberCents: s.course.memberCents,
      publicCents: s.course.publicCents,
      fundedCents: s.course.fundedCents,
    },
    session: {
      id: s.id,
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      capacity: s.capacity,
      registrationDeadline: s.registrationDeadline.toISOString(),
      parts: s.parts.map((p) => ({ ...p, startsAt: p.startsAt.toISOString(), endsAt: p.endsAt.toISOString() })),
      seatsLeft: s.seatsLeft,
      open: s.open,
      full: s.full,
    },
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { pole, person, session, now } = await sessionOf(request, params.slug);
  const form = await readForm(request);

  if (form.get("intent") === "wait") {
    // The waiting list is for people with an account: a visitor logs in (or signs up) first and comes back here.
    if (!person) throw loginRedirect(request);
    const submission = parseWithZod(form, { schema: WaitIntentSchema });
    if (submission.status !== "success") return invalid(submission);
    const joined = await runCommand(joinSessionWaitlist, {
      poleId: pole.id,
      sessionId: session.id,
      personId: person.id,
      now,
    });
    if (!joined.ok) return refused(submission, { ...joined, field: undefined });
    return redirect(`/compte/formations?attente=rejointe&position=${joined.value.position}#attente`);
  }

  if (person) {
    const submission = parseWithZod(form, { schema: SignUpSchema });
    if (submission.status !== "success") return invalid(submission);
    const made = await runCommand(signUp, {
      poleId: pole.id,
      sessionId: session.id,
      personId: person.id,
      idempotencyKey: submission.value.idempotencyKey,
      now,
    });
    if (!made.ok) return refused(submission, made);
    return redirect(heldPath(made.value.registration.id));
  }

  // A visitor: the seat is taken once the address is confirmed by email; the answer is the same whether or not
  // the address has an account — the email says what comes next.
  rejectBots(form);
  const submission = parseWithZod(form, { schema: VisitorSignUpSchema });
  if (submission.status !== "success") return invalid(submission, ["password"]);
  const throttled = await signUpThrottled(submission, { ip: clientIp(context), email: submission.value.email });
  if (throttled) return throttled;
  const result = await runCommand(signUpWithAccount, {
    pole,
    sessionId: session.id,
    form: submission.value,
    now,
  });
  if (!result.ok) return refused(submission, result, ["password"]);
  return json({
    ...submission.reply({ hideFields: ["password"] }),
    sent: true as const,
    email: submission.value.email,
  });
}

export default function SignUpPage() {
  const { loggedIn, memberRate, registrationId, waiting, card, holdMinutes, formKey, course, session } =
    useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const schema = (loggedIn ? SignUpSchema : VisitorSignUpSchema) as typeof VisitorSignUpSchema;
  const [form, fields] = useValidatedForm(schema, { lastResult, defaultValue: { idempotencyKey: formKey } });
  const here = `/formations/${course.slug}/inscription?session=${session.id}`;
  const dates = sessionDatesLabel(session.startsAt, session.endsAt);

  if (lastResult && "sent" in lastResult && "email" in lastResult)
    return (
      <CheckYourMailbox
        email={String(lastResult.email)}
        thenWhat=" : votre compte sera alors créé et une place vous sera retenue, le temps de la régler"
        toWhat=" pour vous inscrire"
      >
        <Link to={`/formations/${course.slug}`}>Retour au programme de la formation</Link>
      </CheckYourMailbox>
    );

  const price = memberRate === null ? null : memberRate ? course.memberCents : course.publicCents;
  const errors = allErrors(lastResult);
  const refusedFull = errors?.some((e) => e.includes("complète"));
  return (
    <div className="narrow tr-signup">
      <p>
        <Link to={`/formations/${course.slug}`}>← {course.title}</Link>
      </p>
      <p className="eyebrow">Inscription</p>
      <h1>S'inscrire à « {course.title} »</h1>
      <p className="lead">
        Session {dates} · {hoursLabel(course.durationHours)}
      </p>

      <section className="card" aria-labelledby="la-session">
        <h2 id="la-session">La session</h2>
        <PartsList parts={session.parts} caption="Dates, horaires et lieux de la session" />
        <SeatsBar seatsLeft={session.seatsLeft} capacity={session.capacity} id="places-restantes" />
        <dl className="details">
          <dt>Inscriptions</dt>
          <dd>
            {session.open ? "jusqu'au " : "closes depuis le "}
            {formatDate(session.registrationDeadline, "dateTime")}
          </dd>
          <dt>Tarif</dt>
          <dd>
            {price === null ? (
              <>
                {formatCents(course.memberCents)} membre · {formatCents(course.publicCents)} non-membre
              </>
            ) : (
              <>
                <strong>{formatCents(price)}</strong> {memberRate ? "(tarif membre)" : "(tarif non-membre)"}
              </>
            )}
            <span className="field-hint">
              Pris en charge par un financeur (employeur, OPCO…) : {formatCents(course.fundedCents)}, facturés au
              financeur.
            </span>
          </dd>
        </dl>
      </section>

      {registrationId ? (
        <p className="notice" role="status">
          Vous êtes déjà inscrit·e à cette session.{" "}
          <Link to={`/compte/formations/${registrationId}`}>Voir mon inscription</Link>
        </p>
      ) : !session.open ? (
        <p className="notice notice-error" role="alert">
          Les inscriptions à cette session sont closes.{" "}
          <Link to={`/formations/${course.slug}#sessions`}>Voir les autres sessions</Link>
        </p>
      ) : waiting ? (
        <p className="notice" role="status">
          Vous êtes n° {waiting.position} sur la liste d'attente de cette session : si une place se libère, elle vous
          est proposée par email. <Link to="/compte/formations#attente">Gérer mes listes d'attente</Link>
        </p>
      ) : session.full || refusedFull ? (
        <section className="card" aria-labelledby="liste-attente">
          <FormErrors id="inscription-erreurs" errors={errors} />
          <h2 id="liste-attente">Session complète : la liste d'attente</h2>
          <p>
            Toutes les places sont prises. Inscrivez-vous sur la liste d'attente : quand une place se libère, elle est
            proposée à la première personne de la liste, par email, à accepter dans le délai indiqué (24 heures en
            général, jamais la nuit ni le week-end) ; sans réponse, elle passe à la suivante.
          </p>
          {loggedIn ? (
            <Form method="post" action={here}>
              <input type="hidden" name="intent" value="wait" />
              <SubmitButton pendingLabel="Inscription…">Rejoindre la liste d'attente</SubmitButton>
            </Form>
          ) : (
            <p>
              La liste d'attente demande un compte :{" "}
              <Link to={`/connexion?redirectTo=${encodeURIComponent(here)}`}>connectez-vous</Link> ou{" "}
              <Link to="/inscription">créez votre compte</Link>, puis revenez sur cette page.
            </p>
          )}
        </section>
      ) : (
        <Form method="post" action={here} {...getFormProps(form)} className="card form">
          <FormErrors id={form.errorId} errors={form.errors} />
          <input type="hidden" name="idempotencyKey" value={formKey} />
          <h2>Réserver ma place</h2>
          <p>
            Votre place vous est retenue {holdMinutes} minutes, le temps de choisir comment la régler :{" "}
            {card ? "carte bancaire, " : ""}virement, chèque, ou prise en charge par un financeur.
          </p>
          {loggedIn ? null : (
            <fieldset className="fieldset">
              <legend>Votre compte</legend>
              <p className="field-hint">
                Un seul compte pour tout le pôle (espaces, terres, formations). Nous vous écrirons pour confirmer votre
                adresse : votre compte est créé et votre place retenue quand vous suivez le lien reçu. Déjà un compte ?{" "}
                <Link to={`/connexion?redirectTo=${encodeURIComponent(here)}`}>Connectez-vous</Link> d'abord.
              </p>
              <NewAccountFields fields={fields} />
              <Honeypot />
            </fieldset>
          )}
          <SubmitButton pendingLabel="Réservation…">
            {loggedIn ? "Réserver ma place" : "Créer mon compte et m'inscrire"}
          </SubmitButton>
        </Form>
      )}
    </div>
  );
}
