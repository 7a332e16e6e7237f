import { DateTime } from "luxon";
import type { Registration, TrainingSession, WaitlistStatus } from "~/generated/prisma/client";
import { seatOfferLapsedEmail, seatOfferedEmail, waitlistSessionCancelledEmail } from "~/emails/training";
import { hasMemberRate } from "~/domain/identity/index.server";
import type { Effects } from "~/domain/payments/index.server";
import { fail, ok, type Result } from "~/domain/result";
import {
  acceptOffered,
  declineOffered,
  expireOffers,
  findEntries,
  joinWaitlist,
  leaveWaitlist,
  offerHeldBy,
  offerNext,
  type OfferKind,
} from "~/domain/waitlist/index.server";
import { inTransaction, type Client, type Db, type Tx } from "~/utils/db.server";
import { sendEmail, type EmailMessage } from "~/utils/email.server";
import { appUrl } from "~/utils/env.server";
import { formatDate, PARIS_TIME_ZONE } from "~/utils/format";
import { lockRow } from "~/utils/row-locks.server";
import { registrationInclude, sessionDates } from "./books.server";
import { claimSeat, lockRegistration, releaseSeat, SEAT_HOLDING } from "./locks.server";
import { registrationPath } from "./payment.server";

// The waiting list of a full session (decision 020), on the one engine (decision 014). A session is the unit
// ("session:<id>"), its seats the capacity; a person waits for one session (SessionWait links the engine's entry to
// it). A freed seat goes at once, in the transaction that frees it, to the first waiting person as an OFFERED
// registration that takes the seat by the same conditional UPDATE as a sign-up — so seatsTaken counts it and
// nothing is ever counted twice; accepting makes it HELD (then paid like any sign-up), declining or letting it
// lapse gives the seat back and passes it on, and ends that person's wait (there is nothing else they wait for).
// Lock order: the session, then the registration, then the engine's entry.

export type SeatUnit = { sessionId: string };

const SESSION_KEY = "session:";
const QUEUED: WaitlistStatus[] = ["WAITING", "OFFERED"];

/** The evening and morning hours an offer never lapses in (Paris): from 20:00 to 09:00. */
const DAY_STARTS = 9;
const DAY_ENDS = 20;

/**
 * When an offer of a seat made at `now` lapses: `hours` later, pushed to 09:00 (Paris) of the next working day
 * (Monday to Friday) when that would fall at night (20:00–09:00) or on a weekend — nobody should lose a seat
 * while asleep — and never after `limit` (the session's registration deadline, or its start).
 */
export function seatOfferDeadline(now: Date, hours: number, limit: Date): Date {
  const morning = (at: DateTime) => at.set({ hour: DAY_STARTS, minute: 0, second: 0, millisecond: 0 });
  let at: DateTime = DateTime.fromJSDate(now, { zone: PARIS_TIME_ZONE }).plus({ hours });
  if (at.hour < DAY_STARTS) at = morning(at);
  else if (at.hour >= DAY_ENDS) at = morning(at.plus({ days: 1 }));
  while (at.weekday > 5) at = morning(at.plus({ days: 1 }));
  const deadline = at.toJSDate();
  return deadline < limit ? deadline : limit;
}

type Openable = Pick<TrainingSession, "status" | "registrationDeadline" | "startsAt">;

/** Whether a session still takes registrations (and so offers) at `now`. */
const takesRegistrations = (s: Openable, now: Date) =>
  (s.status === "SCHEDULED" || s.status === "CONFIRMED") && now < s.registrationDeadline && now < s.startsAt;

const earlier = (a: Date, b: Date) => (a < b ? a : b);

const full = () =>
  fail("FULL", "Cette session est complète : il n'y a plus de place à proposer.", { field: "sessionId", status: 409 });
const sessionClosed = () =>
  fail("SESSION_CLOSED", "Cette session ne prend plus d'inscriptions.", { field: "sessionId", status: 409 });
const offerExpired = () =>
  fail(
    "OFFER_EXPIRED",
    "Le délai pour répondre à cette proposition est passé : la place est proposée à la personne suivante.",
    { status: 410 },
  );
const sessionNotFound = () => fail("NOT_FOUND", "Cette session n'existe pas.", { field: "sessionId", status: 404 });

export const seatWaitlist: OfferKind<SeatUnit, Registration, Registration> = {
  kind: "TRAINING_SEAT",
  serving: "offers",
  endsOnTurnDown: true,
  refusals: {
    ALREADY_WAITING: () =>
      fail("ALREADY_WAITING", "Vous êtes déjà sur la liste d'attente de cette session.", { status: 409 }),
    ALREADY_OFFERED: () =>
      fail("ALREADY_OFFERED", "Une place attend déjà la réponse de cette personne.", { status: 409 }),
    NOT_WAITING: () =>
      fail("NOT_WAITING", "Cette personne n'est plus sur la liste d'attente de la session.", { status: 409 }),
    TAKEN: full,
    NOT_QUEUED: () => fail("NOT_QUEUED", "Vous n'êtes plus sur la liste d'attente de cette session.", { status: 409 }),
    OFFER_CHANGED: () =>
      fail("OFFER_CHANGED", "Une place vient de vous être proposée : rechargez la page avant de répondre.", {
        status: 409,
      }),
    OFFER_EXPIRED: offerExpired,
  },
  unitKey: (unit) => `${SESSION_KEY}${unit.sessionId}`,

  // The session first, then the registration that holds a seat for an offer: the training lock order.
  async lock(tx, { unitKey, ref }) {
    await lockRow(tx, "TrainingSession", { id: unitKey.slice(SESSION_KEY.length) });
    if (ref) await lockRow(tx, "Registration", { id: ref });
  },

  // The session's own count already holds every HELD, OFFERED and CONFIRMED registration, live offers included:
  // they are not subtracted again. An offer past its deadline keeps its seat until the sweep lapses it and passes
  // the seat on (one place gives seats back: the counter).
  async freeCapacity(tx, unit, now) {
    const session = await tx.trainingSession.findUnique({ where: { id: unit.sessionId } });
    if (!session || !takesRegistrations(session, now)) return 0;
    return Math.max(0, session.capacity - session.seatsTaken);
  },

  // The engine's queue is one per kind: those who wait for this session.
  async wants(tx, unit, waiting) {
    const waits = await tx.sessionWait.findMany({
      where: { sessionId: unit.sessionId, entryId: { in: waiting.map((e) => e.id) } },
      select: { entryId: true },
    });
    return waits.map((w) => w.entryId);
  },

  hold: holdSeat,

  // About the session (closed, gone): nobody else would get a seat of it either.
  stopsQueue: (code) => code === "SESSION_CLOSED" || code === "NOT_FOUND",

  // Accepted: the seat is the person's to pay, as after a sign-up (a fresh hold of the pole's minutes).
  async yield(tx, { ref, now }) {
    const offered = await tx.registration.findUniqueOrThrow({ where: { id: ref } });
    if (offered.status !== "OFFERED") return fail("ANSWERED", "Cette proposition n'est plus ouverte.", { status: 409 });
    const pole = await tx.pole.findUniqueOrThrow({ where: { id: offered.poleId }, select: { holdMinutes: true } });
    const registration = await tx.registration.update({
      where: { id: ref },
      data: { status: "HELD", holdExpiresAt: new Date(now.getTime() + pole.holdMinutes * 60_000) },
    });
    return ok({ value: registration, note: "Place acceptée, à régler", emails: [] });
  },

  // Declined, lapsed or withdrawn: the offered registration ends and its seat goes back (once: a session cancelled
  // meanwhile may have ended it already); the session is passed on.
  async release(tx, { entry, ref, outcome, now }) {
    const lapsed = outcome === "EXPIRED";
    const { count } = await tx.registration.updateMany({
      where: { id: ref, status: "OFFERED" },
      data: lapsed
        ? { status: "EXPIRED" }
        : {
            status: "CANCELLED",
            cancelledAt: now,
            cancelledById: outcome === "DECLINED" ? entry.personId : null,
            holdExpiresAt: null,
          },
    });
    const r = await tx.registration.findUniqueOrThrow({ where: { id: ref }, include: registrationInclude });
    if (count === 1) await releaseSeat(tx, r.sessionId);
    const emails: EmailMessage[] = [];
    if (lapsed && count === 1) {
      const pole = await tx.pole.findUniqueOrThrow({ where: { id: r.poleId }, select: { name: true } });
      emails.push({
        poleId: r.poleId,
        to: r.person.email,
        ...seatOfferLapsedEmail({
          poleName: pole.name,
          name: r.person.name,
          url: `${appUrl()}/formations/${r.session.course.slug}`,
          course: r.session.course.title,
          dates: sessionDates(r.session),
        }),
      });
    }
    return { note: `Place à la session ${sessionDates(r.session)}`, next: { sessionId: r.sessionId }, emails };
  },
};

/**
 * What holds a seat for an offer: an OFFERED registration at the person's rate, its seat taken by the sign-ups'
 * conditional UPDATE, until the offer's deadline; and the email. Every check before the first write.
 */
async function holdSeat(
  tx: Tx,
  { entry, unit, now }: { entry: { id: string; poleId: string; personId: string }; unit: SeatUnit; now: Date },
): Promise<Result<{ ref: string; expiresAt: Date; note: string; value: Registration; emails: EmailMessage[] }>> {
  const wait = await tx.sessionWait.findUnique({ where: { entryId: entry.id } });
  if (!wait || wait.sessionId !== unit.sessionId)
    return fail("OTHER_SESSION", "Cette personne attend une place dans une autre session.", { status: 409 });
  const session = await tx.trainingSession.findFirst({
    where: { id: unit.sessionId, poleId: entry.poleId },
    include: { course: true },
  });
  if (!session) return sessionNotFound();
  if (!takesRegistrations(session, now)) return sessionClosed();
  const registered = await tx.registration.findFirst({
    where: { sessionId: session.id, personId: entry.personId, status: { in: [...SEAT_HOLDING] } },
    select: { id: true },
  });
  if (registered) return fail("ALREADY_REGISTERED", "Cette personne est déjà inscrite à la session.", { status: 409 });
  const pole = await tx.pole.findUniqueOrThrow({ where: { id: entry.poleId } });
  const person = await tx.person.findUniqueOrThrow({
    where: { id: entry.personId },
    select: { name: true, email: true },
  });
  const member = await hasMemberRate(tx, entry.poleId, entry.personId);
  const expiresAt = seatOfferDeadline(
    now,
    pole.trainingOfferHours,
    earlier(session.registrationDeadline, session.startsAt),
  );
  if (!(await claimSeat(tx, session.id))) return full();
  const registration = await tx.registration.create({
    data: {
      poleId: entry.poleId,
      sessionId: session.id,
      personId: entry.personId,
      status: "OFFERED",
      holdExpiresAt: expiresAt,
      priceCents: member ? session.course.memberCents : session.course.publicCents,
      memberRate: member,
      idempotencyKey: `offer:${entry.id}:${now.getTime()}`,
    },
  });
  const dates = sessionDates(session);
  const email = seatOfferedEmail({
    poleName: pole.name,
    name: person.name,
    url: `${appUrl()}${registrationPath(registration.id)}`,
    course: session.course.title,
    dates,
    deadline: formatDate(expiresAt, "dateTime"),
  });
  return ok({
    ref: registration.id,
    expiresAt,
    note: `Place à la session ${dates}`,
    value: registration,
    emails: [{ poleId: entry.poleId, to: person.email, ...email }],
  });
}

/**
 * A seat of the session was given back (a cancellation, a lapsed hold, a failed card payment, a move): it goes to
 * the waiting list now, in the caller's transaction — which holds the session's lock already or takes it here
 * first. Returns the offer emails, to send after the commit.
 */
export async function passFreedSeat(tx: Tx, input: { sessionId: string; now: Date }): Promise<EmailMessage[]> {
  const session = await tx.trainingSession.findUniqueOrThrow({
    where: { id: input.sessionId },
    select: { poleId: true },
  });
  return offerNext(tx, seatWaitlist, { poleId: session.poleId, unit: { sessionId: input.sessionId }, now: input.now });
}

/** The live entries (waiting or with an offer) of a session's waiting list, first come first, with their person. */
async function sessionEntries(tx: Client, input: { poleId: string; sessionId: string }) {
  const waits = await tx.sessionWait.findMany({ where: { sessionId: input.sessionId }, select: { entryId: true } });
  if (waits.length === 0) return [];
  return findEntries(tx, {
    poleId: input.poleId,
    kind: seatWaitlist.kind,
    ids: waits.map((w) => w.entryId),
    statuses: QUEUED,
  });
}

export type JoinInput = { poleId: string; sessionId: string; personId: string; now: Date };

/**
 * A person joins a full session's waiting list, at its end. Refused (409, nothing written) while seats are free
 * (they sign up instead), once registrations are closed, when already registered or already waiting. Joins of a
 * session are serialised on its row, so one person never waits twice for it.
 */
export function joinSessionWaitlist(
  client: Client,
  input: JoinInput,
): Promise<Result<{ entryId: string; position: number }>> {
  return inTransaction(client, async (tx) => {
    if (!(await lockRow(tx, "TrainingSession", { id: input.sessionId, poleId: input.poleId })))
      return sessionNotFound();
    const session = await tx.trainingSession.findUniqueOrThrow({ where: { id: input.sessionId } });
    if (session.status !== "SCHEDULED" && session.status !== "CONFIRMED") return sessionClosed();
    if (input.now >= session.registrationDeadline || input.now >= session.startsAt)
      return fail("DEADLINE", "Les inscriptions à cette session sont closes, sa liste d'attente aussi.", {
        field: "sessionId",
        status: 409,
      });
    const registered = await tx.registration.findFirst({
      where: { sessionId: session.id, personId: input.personId, status: { in: [...SEAT_HOLDING] } },
      select: { status: true },
    });
    if (registered)
      return fail(
        "ALREADY_REGISTERED",
        registered.status === "OFFERED"
          ? "Une place de cette session vous est déjà proposée : répondez depuis votre compte."
          : "Vous êtes déjà inscrit·e à cette session.",
        { field: "sessionId", status: 409 },
      );
    const queue = await sessionEntries(tx, input);
    if (queue.some((e) => e.personId === input.personId)) return seatWaitlist.refusals!.ALREADY_WAITING!();
    if (session.seatsTaken < session.capacity)
      return fail("SEATS_FREE", "Il reste des places à cette session : inscrivez-vous directement.", {
        field: "sessionId",
        status: 409,
      });
    const joined = await joinWaitlist(tx, seatWaitlist, {
      poleId: input.poleId,
      personId: input.personId,
      now: input.now,
    });
    if (!joined.ok) return joined;
    await tx.sessionWait.create({ data: { entryId: joined.value.id, sessionId: session.id } });
    return ok({ entryId: joined.value.id, position: queue.length + 1 });
  });
}

/** The person leaves a session's waiting list; a seat offered to them meanwhile passes to the next. */
export async function leaveSessionWaitlist(
  client: Client,
  input: { poleId: string; entryId: string; personId: string; now: Date },
): Promise<Result<{ effects: Effects }>> {
  const left = await leaveWaitlist(client, seatWaitlist, {
    poleId: input.poleId,
    entryId: input.entryId,
    personId: input.personId,
    actorId: input.personId,
    now: input.now,
  });
  if (!left.ok) return left;
  return ok({ effects: { emails: left.value.emails, refunds: [] } });
}

type OfferInput = { poleId: string; registrationId: string; personId: string; now: Date };

/** The person's offered registration, locked (session, then registration), still open at `now`, with its entry. */
async function lockOffered(tx: Tx, input: OfferInput) {
  const locked = await lockRegistration(tx, input);
  if (!locked.ok) return locked;
  const r = locked.value;
  if (r.status === "EXPIRED" || (r.status === "OFFERED" && r.holdExpiresAt! <= input.now)) return offerExpired();
  if (r.status !== "OFFERED")
    return fail(
      "ANSWERED",
      r.status === "HELD" || r.status === "CONFIRMED"
        ? "Vous avez déjà accepté cette place."
        : "Cette proposition n'est plus ouverte.",
      { status: 409 },
    );
  const entry = await offerHeldBy(tx, { kind: seatWaitlist.kind, ref: r.id });
  if (!entry) return fail("ANSWERED", "Cette proposition n'est plus ouverte.", { status: 409 });
  return ok({ registration: r, entryId: entry.id });
}

/** The person takes the seat offered: the registration is HELD, to pay as after a sign-up. */
export function acceptSeatOffer(
  client: Client,
  input: OfferInput,
): Promise<Result<{ registration: Registration; effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    const offer = await lockOffered(tx, input);
    if (!offer.ok) return offer;
    const accepted = await acceptOffered(tx, seatWaitlist, {
      entryId: offer.value.entryId,
      ref: input.registrationId,
      actorId: input.personId,
      now: input.now,
    });
    if (!accepted.ok) return accepted;
    return ok({ registration: accepted.value.value, effects: { emails: accepted.value.emails, refunds: [] } });
  });
}

/** The person declines the seat offered: it passes to the next, and their wait for the session ends. */
export function declineSeatOffer(client: Client, input: OfferInput): Promise<Result<{ effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    const offer = await lockOffered(tx, input);
    if (!offer.ok) return offer;
    const declined = await declineOffered(tx, seatWaitlist, {
      entryId: offer.value.entryId,
      ref: input.registrationId,
      actorId: input.personId,
      now: input.now,
    });
    if (!declined.ok) return declined;
    return ok({ effects: { emails: declined.value.emails, refunds: [] } });
  });
}

/**
 * An OFFERED registration cancelled from elsewhere (its person's "cancel", staff): it is the offer declined, through
 * the engine, so the entry and the seat stay in step. Null when no entry stands for it. Under the caller's locks.
 */
export async function declineOfferedRegistration(
  tx: Tx,
  input: { registrationId: string; actorId: string; now: Date },
): Promise<Result<EmailMessage[]> | null> {
  const entry = await offerHeldBy(tx, { kind: seatWaitlist.kind, ref: input.registrationId });
  if (!entry) return null;
  const declined = await declineOffered(tx, seatWaitlist, {
    entryId: entry.id,
    ref: input.registrationId,
    actorId: input.actorId,
    now: input.now,
  });
  return declined.ok ? ok(declined.value.emails) : declined;
}

/**
 * The person now has a seat of the session another way (a sign-up, a move): their wait for it is over. Under the
 * session's lock.
 */
export async function endWaitForSeat(
  tx: Tx,
  input: { poleId: string; sessionId: string; personId: string; now: Date; note: string },
) {
  const mine = (await sessionEntries(tx, input)).filter((e) => e.personId === input.personId);
  for (const entry of mine.filter((e) => e.status === "WAITING"))
    await leaveWaitlist(tx, seatWaitlist, {
      poleId: input.poleId,
      entryId: entry.id,
      actorId: input.personId,
      now: input.now,
      note: input.note,
    });
}

/**
 * A cancelled session's waiting list closes: every entry withdrawn (an open offer's seat given back first), each
 * person told. Under the session's lock, after its status changed, so nothing is offered again.
 */
export async function closeSessionWaits(
  tx: Tx,
  input: { poleId: string; sessionId: string; actorId: string; reason: string; now: Date },
): Promise<EmailMessage[]> {
  const entries = await sessionEntries(tx, input);
  if (entries.length === 0) return [];
  const session = await tx.trainingSession.findUniqueOrThrow({
    where: { id: input.sessionId },
    include: { course: true, pole: { select: { name: true } } },
  });
  const emails: EmailMessage[] = [];
  for (const entry of entries) {
    const left = await leaveWaitlist(tx, seatWaitlist, {
      poleId: input.poleId,
      entryId: entry.id,
      actorId: input.actorId,
      now: input.now,
      note: `Session annulée : ${input.reason}`.slice(0, 500),
    });
    if (!left.ok) continue;
    emails.push(...left.value.emails, {
      poleId: input.poleId,
      to: entry.person.email,
      ...waitlistSessionCancelledEmail({
        poleName: session.pole.name,
        name: entry.person.name,
        url: `${appUrl()}/formations/${session.course.slug}`,
        course: session.course.title,
        dates: sessionDates(session),
        reason: input.reason,
      }),
    });
  }
  return emails;
}

/** The sweep: offers past their deadline lapse and pass on, one transaction each; the emails go after. */
export async function expireSeatOffers(db: Db, now: Date) {
  const emails = await expireOffers(db, seatWaitlist, now);
  for (const email of emails) await sendEmail(email, db);
  return emails.length;
}

/** Mon compte: the person's waits for sessions, with their place in each and the seat offered, if any. */
export async function personSessionWaits(client: Client, input: { poleId: string; personId: string }) {
  const mine = await findEntries(client, {
    poleId: input.poleId,
    kind: seatWaitlist.kind,
    personId: input.personId,
    statuses: QUEUED,
  });
  if (mine.length === 0) return [];
  const waits = await client.sessionWait.findMany({
    where: { entryId: { in: mine.map((e) => e.id) } },
    include: { session: { include: { course: { select: { id: true, title: true, slug: true } } } } },
  });
  const sessionIds = [...new Set(waits.map((w) => w.sessionId))];
  const all = await client.sessionWait.findMany({
    where: { sessionId: { in: sessionIds } },
    select: { entryId: true, sessionId: true },
  });
  const queued = await findEntries(client, {
    poleId: input.poleId,
    kind: seatWaitlist.kind,
    ids: all.map((w) => w.entryId),
    statuses: QUEUED,
  });
  const sessionOf = new Map(all.map((w) => [w.entryId, w.sessionId]));
  return waits
    .map((wait) => {
      const entry = mine.find((e) => e.id === wait.entryId)!;
      const ahead = queued.filter((e) => sessionOf.get(e.id) === wait.sessionId);
      const { course, ...session } = wait.session;
      return {
        entryId: entry.id,
        status: entry.status as "WAITING" | "OFFERED",
        position: ahead.findIndex((e) => e.id === entry.id) + 1,
        joinedAt: entry.createdAt,
        course,
        session: {
          id: session.id,
          startsAt: session.startsAt,
          endsAt: session.endsAt,
          registrationDeadline: session.registrationDeadline,
          status: session.status,
          dates: sessionDates(session),
        },
        offer: entry.status === "OFFERED" ? { registrationId: entry.offerRef!, deadline: entry.offerExpiresAt! } : null,
      };
    })
    .sort((a, b) => a.session.startsAt.getTime() - b.session.startsAt.getTime());
}

export type PersonSessionWait = Awaited<ReturnType<typeof personSessionWaits>>[number];

/** Staff's view of a session's waiting list: who, in which order, waiting or with a seat offered until when. */
export async function sessionQueue(client: Client, input: { poleId: string; sessionId: string }) {
  const entries = await sessionEntries(client, input);
  return entries.map((entry, i) => ({
    entryId: entry.id,
    position: i + 1,
    status: entry.status as "WAITING" | "OFFERED",
    person: entry.person,
    joinedAt: entry.createdAt,
    offer: entry.status === "OFFERED" ? { registrationId: entry.offerRef!, deadline: entry.offerExpiresAt! } : null,
  }));
}

export type SessionQueueRow = Awaited<ReturnType<typeof sessionQueue>>[number];
