import { cents } from "~/domain/money";
import {
  confirmFunding,
  confirmRegistrationPayment,
  createCourse,
  payRegistrationOffline,
  requestFunding,
  scheduleSession,
  signUp,
} from "~/domain/training/index.server";
import type { Client } from "~/utils/db.server";
import { createResource, createSpace } from "./factories";

// Training rows for tests, made through the training domain (decision 020).

let counter = 0;
const next = () => ++counter;

/** A room of the pole (a space with one ROOM resource). */
export async function createRoom(db: Client, poleId: string, name?: string) {
  const space = await createSpace(db, { poleId });
  return createResource(db, { poleId, spaceId: space.id, kind: "ROOM", ...(name ? { name } : {}) });
}

export async function createTrainingCourse(
  db: Client,
  input: { poleId: string; slug?: string; title?: string; opensPlotPath?: boolean; prices?: [number, number, number] },
) {
  const [member, pub, funded] = input.prices ?? [18_000, 24_000, 42_000];
  const slug = input.slug ?? `formation-${next()}`;
  const made = await createCourse(db, {
    poleId: input.poleId,
    slug,
    title: input.title ?? `Formation ${slug}`,
    axis: "Agriculture",
    objectives: "Savoir conduire une planche de culture.",
    durationHours: 7,
    memberCents: cents(member),
    publicCents: cents(pub),
    fundedCents: cents(funded),
    opensPlotPath: input.opensPlotPath ?? false,
  });
  if (!made.ok) throw new Error(made.message);
  return made.value;
}

/**
 * A session of the course on `day` (a weekday, "2027-03-15"), 09:00–12:30 and 13:30–17:00 Paris in a new room:
 * two parts, two half-days. Registrations close the evening before unless said otherwise.
 */
export async function createTrainingSession(
  db: Client,
  input: {
    poleId: string;
    courseId: string;
    day?: string;
    capacity?: number;
    minimum?: number;
    registrationDeadline?: Date;
    roomId?: string;
    trainerIds?: string[];
    now: Date;
  },
) {
  const day = input.day ?? "2027-03-15";
  const roomId = input.roomId ?? (await createRoom(db, input.poleId)).id;
  const at = (hhmm: string) => new Date(`${day}T${hhmm}:00+01:00`);
  const made = await scheduleSession(db, {
    poleId: input.poleId,
    courseId: input.courseId,
    capacity: input.capacity ?? 12,
    minimum: input.minimum ?? 1,
    registrationDeadline: input.registrationDeadline ?? new Date(at("09:00").getTime() - 12 * 3_600_000),
    parts: [
      { resourceId: roomId, startsAt: at("09:00"), endsAt: at("12:30") },
      { resourceId: roomId, startsAt: at("13:30"), endsAt: at("17:00") },
    ],
    trainerIds: input.trainerIds,
    now: input.now,
  });
  if (!made.ok) throw new Error(made.message);
  return made.value;
}

/** A person's held seat in a session. */
export async function holdSeat(db: Client, input: { poleId: string; sessionId: string; personId: string; now: Date }) {
  const made = await signUp(db, { ...input, idempotencyKey: `seat-${next()}` });
  if (!made.ok) throw new Error(made.message);
  return made.value.registration;
}

const parisOffset = new Intl.DateTimeFormat("en", { timeZone: "Europe/Paris", timeZoneName: "shortOffset" });

/**
 * A Monday at least `daysAhead` days from now in winter time (Paris at UTC+1, as the session factory's times are
 * written), "2027-01-18": for route tests, which run on the real clock.
 */
export function comingWinterMonday(daysAhead = 60) {
  const day = new Date(Date.now() + daysAhead * 86_400_000);
  for (;;) {
    const iso = day.toISOString().slice(0, 10);
    if (day.getUTCDay() === 1 && parisOffset.format(new Date(`${iso}T12:00:00Z`)).endsWith("GMT+1")) return iso;
    day.setUTCDate(day.getUTCDate() + 1);
  }
}

/** The day `n` days after an ISO day. */
export const dayAfter = (iso: string, n = 1) =>
  new Date(new Date(`${iso}T12:00:00Z`).getTime() + n * 86_400_000).toISOString().slice(0, 10);

/**
 * A person's confirmed and invoiced registration, as staff make it: a held seat paid by transfer and the money
 * recorded (invoice to the trainee), or — with `funderId` — the funder's agreement confirmed (invoice to the funder).
 */
export async function confirmedRegistration(
  db: Client,
  input: { poleId: string; sessionId: string; personId: string; staffId: string; funderId?: string; now: Date },
) {
  const held = await holdSeat(db, input);
  const ids = { poleId: input.poleId, registrationId: held.id, personId: input.personId, now: input.now };
  if (input.funderId) {
    const asked = await requestFunding(db, {
      ...ids,
      funderId: input.funderId,
      funderType: "OPCO",
      traineeType: "EMPLOYEE",
    });
    if (!asked.ok) throw new Error(asked.message);
    const funded = await confirmFunding(db, { ...ids, staffId: input.staffId });
    if (!funded.ok) throw new Error(funded.message);
    return funded.value.registration;
  }
  const announced = await payRegistrationOffline(db, { ...ids, method: "TRANSFER" });
  if (!announced.ok) throw new Error(announced.message);
  const paid = await confirmRegistrationPayment(db, {
    poleId: input.poleId,
    registrationId: held.id,
    method: "TRANSFER",
    reference: `VIR-${held.id.slice(-6)}`,
    staffId: input.staffId,
    now: input.now,
  });
  if (!paid.ok) throw new Error(paid.message);
  return paid.value.registration;
}
