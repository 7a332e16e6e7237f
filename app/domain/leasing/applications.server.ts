import type { LeaseKind, PlotApplication } from "~/generated/prisma/client";
import { toSqlDate, type IsoDate } from "~/domain/ledger/dates";
import { fail, ok, type Result } from "~/domain/result";
import { entryHistory, joinWaitlist, leaveWaitlist, noteEntry, positionOf } from "~/domain/waitlist/index.server";
import type { Effects } from "~/domain/payments/index.server";
import { inTransaction, type Client } from "~/utils/db.server";
import { isUniqueViolation } from "~/utils/db-errors.server";
import { trainingPaths } from "./plot-path.server";
import { alreadyApplied, plotWaitlist } from "./offers.server";

// Applications for plots: up to three plots in order of preference and/or "any plot of at least N m²", a
// project, the kind of lease wanted. Each holds its place in the plots' queue through a waiting-list entry.

export type ApplicationInput = {
  poleId: string;
  personId: string;
  plotIds: string[];
  minSurfaceM2: number | null;
  project: string;
  experience: string;
  desiredStartOn: IsoDate;
  leaseKind: LeaseKind;
  idempotencyKey: string;
  today: IsoDate;
  now: Date;
};

type Choices = Pick<ApplicationInput, "poleId" | "plotIds" | "minSurfaceM2" | "desiredStartOn" | "today">;

function choicesRefusal(input: Choices) {
  if (input.plotIds.length > 3)
    return fail("TOO_MANY", "Choisissez au plus trois parcelles.", { field: "plotIds", status: 422 });
  if (new Set(input.plotIds).size !== input.plotIds.length)
    return fail("TWICE", "Une parcelle ne peut figurer qu'une fois dans vos choix.", { field: "plotIds", status: 422 });
  if (input.plotIds.length === 0 && !input.minSurfaceM2) {
    return fail("NO_CHOICE", "Choisissez au moins une parcelle, ou indiquez la surface minimale qui vous convient.", {
      field: "plotIds",
      status: 422,
    });
  }
  if (input.desiredStartOn < input.today)
    return fail("PAST_START", "La date de début souhaitée est déjà passée.", { field: "desiredStartOn", status: 422 });
  return null;
}

const unknownPlot = () =>
  fail("UNKNOWN_PLOT", "Une des parcelles choisies n'existe pas sur ce pôle.", { field: "plotIds", status: 404 });

async function plotsExist(tx: Client, input: Choices) {
  const plots = await tx.plot.findMany({
    where: { id: { in: input.plotIds }, poleId: input.poleId, active: true },
    select: { id: true },
  });
  return plots.length === input.plotIds.length;
}

/**
 * What can be checked of an application before its person has an account: the choices, the date, the plots.
 * A visitor hears these refusals at once, before confirming their address; submitApplication checks again.
 */
export async function checkApplication(tx: Client, input: Choices): Promise<Result<null>> {
  const refusal = choicesRefusal(input);
  if (refusal) return refusal;
  return (await plotsExist(tx, input)) ? ok(null) : unknownPlot();
}

export async function submitApplication(client: Client, input: ApplicationInput): Promise<Result<PlotApplication>> {
  const refusal = choicesRefusal(input);
  if (refusal) return refusal;
  try {
    return await inTransaction(client, async (tx) => {
      const replay = await tx.plotApplication.findUnique({
        where: { poleId_idempotencyKey: { poleId: input.poleId, idempotencyKey: input.idempotencyKey } },
      });
      if (replay)
        return replay.personId === input.personId
          ? ok(replay)
          : fail("DUPLICATE", "Ce formulaire a déjà servi : rechargez la page.", { status: 409 });
      if (!(await plotsExist(tx, input))) return unknownPlot();
      const pole = await tx.pole.findUniqueOrThrow({ where: { id: input.poleId }, select: { reconfirmMonths: true } });
      const joined = await joinWaitlist(tx, plotWaitlist, {
        poleId: input.poleId,
        personId: input.personId,
        now: input.now,
        reconfirmMonths: pole.reconfirmMonths,
      });
      if (!joined.ok) return joined;
      const entry = joined.value;
      const application = await tx.plotApplication.create({
        data: {
          poleId: input.poleId,
          personId: input.personId,
          entryId: entry.id,
          minSurfaceM2: input.minSurfaceM2,
          project: input.project.trim(),
          experience: input.experience.trim(),
          desiredStartOn: toSqlDate(input.desiredStartOn),
          leaseKind: input.leaseKind,
          idempotencyKey: input.idempotencyKey,
          choices: { create: input.plotIds.map((plotId, i) => ({ plotId, rank: i + 1 })) },
        },
      });
      return ok(application);
    });
  } catch (error) {
    // One live application per person and pole (a partial unique index), even from two tabs at once.
    if (isUniqueViolation(error)) return alreadyApplied();
    throw error;
  }
}

const withDetails = {
  entry: true,
  person: { select: { id: true, name: true, email: true } },
  choices: {
    orderBy: { rank: "asc" },
    include: { plot: { select: { id: true, code: true, name: true, surfaceM2: true } } },
  },
} as const;

/** The person's application in the queue (waiting or with an offer), with its place; null when none. */
export async function personApplication(tx: Client, input: { poleId: string; personId: string }) {
  const application = await tx.plotApplication.findFirst({
    where: { poleId: input.poleId, personId: input.personId },
    orderBy: { createdAt: "desc" },
    include: withDetails,
  });
  if (!application) return null;
  const paths = await trainingPaths(tx, input.poleId, [application]);
  return {
    ...application,
    position: await positionOf(tx, application.entry),
    history: await entryHistory(tx, application.entryId),
    trainingPath: paths.get(application.id)!,
  };
}

/** The queue as staff see it: in order, with filters; applications that left it come after, latest first. */
export async function listApplications(
  tx: Client,
  input: { poleId: string; status?: "QUEUED" | "CLOSED"; kind?: LeaseKind; plotId?: string; q?: string },
) {
  const rows = await tx.plotApplication.findMany({
    where: {
      poleId: input.poleId,
      ...(input.kind ? { leaseKind: input.kind } : {}),
      ...(input.plotId ? { choices: { some: { plotId: input.plotId } } } : {}),
      ...(input.q
        ? {
            person: {
              OR: [
                { name: { contains: input.q, mode: "insensitive" } },
                { email: { contains: input.q, mode: "insensitive" } },
              ],
            },
          }
        : {}),
      entry:
        input.status === "CLOSED"
          ? { status: { notIn: ["WAITING", "OFFERED"] } }
          : input.status === "QUEUED"
            ? { status: { in: ["WAITING", "OFFERED"] } }
            : {},
    },
    include: {
      ...withDetails,
      leases: { where: { status: "OFFERED" }, select: { id: true, plotId: true, offerExpiresAt: true } },
    },
  });
  const queued = rows
    .filter((r) => r.entry.status === "WAITING" || r.entry.status === "OFFERED")
    .sort((a, b) => a.entry.queueKey - b.entry.queueKey);
  const closed = rows.filter((r) => !queued.includes(r)).sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  return [...queued.map((r, i) => ({ ...r, position: i + 1 })), ...closed.map((r) => ({ ...r, position: null }))];
}

export async function getApplication(tx: Client, input: { poleId: string; applicationId: string }) {
  const application = await tx.plotApplication.findFirst({
    where: { id: input.applicationId, poleId: input.poleId },
    include: {
      ...withDetails,
      leases: { orderBy: { createdAt: "desc" }, include: { plot: { select: { code: true } } } },
    },
  });
  if (!application) return null;
  const paths = await trainingPaths(tx, input.poleId, [application]);
  return {
    ...application,
    position: await positionOf(tx, application.entry),
    history: await entryHistory(tx, application.entryId),
    trainingPath: paths.get(application.id)!,
  };
}

/** A staff note: it goes into the application's history, like everything else that happens to it. */
export async function addNote(
  tx: Client,
  input: { poleId: string; applicationId: string; note: string; actorId: string },
): Promise<Result<null>> {
  const note = input.note.trim();
  if (note.length < 2) return fail("EMPTY", "Écrivez la note.", { field: "note", status: 422 });
  const application = await tx.plotApplication.findFirst({
    where: { id: input.applicationId, poleId: input.poleId },
    select: { entryId: true },
  });
  if (!application) return fail("NOT_FOUND", "Cette candidature n'existe pas.", { status: 404 });
  await noteEntry(tx, { entryId: application.entryId, note: note.slice(0, 2000), actorId: input.actorId });
  return ok(null);
}

/** The applicant withdraws: the application leaves the queue; an open offer is withdrawn and passes on. */
export async function withdrawApplication(
  client: Client,
  input: { poleId: string; personId: string; now: Date },
): Promise<Result<{ effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    const application = await tx.plotApplication.findFirst({
      where: { poleId: input.poleId, personId: input.personId, entry: { status: { in: ["WAITING", "OFFERED"] } } },
      select: { entryId: true },
    });
    if (!application) return fail("NONE", "Vous n'avez pas de candidature en cours.", { status: 404 });
    // The engine locks as an acceptance does (the plot, the offer's lease, the entry) and reads again under the
    // locks: an acceptance may have committed meanwhile.
    const left = await leaveWaitlist(tx, plotWaitlist, {
      poleId: input.poleId,
      entryId: application.entryId,
      actorId: input.personId,
      now: input.now,
    });
    if (!left.ok) return left;
    return ok({ effects: { emails: left.value.emails, refunds: [] } });
  });
}
