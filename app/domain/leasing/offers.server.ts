import { DateTime } from "luxon";
import type { InstalmentFrequency, Lease } from "~/generated/prisma/client";
import { leaseConfirmedEmail, offerLapsedEmail, plotOfferedEmail } from "~/emails/leasing";
import { fromSqlDate, parisDate, toSqlDate, type IsoDate } from "~/domain/ledger/dates";
import type { Effects } from "~/domain/payments/index.server";
import { withVat } from "~/domain/ledger/vat";
import { fail, ok, type Result } from "~/domain/result";
import { recordEvent } from "~/domain/waitlist/index.server";
import { inTransaction, type Db, type Tx } from "~/utils/db.server";
import { isExclusionViolation, isUniqueViolation } from "~/utils/db-errors.server";
import type { EmailMessage } from "~/utils/email.server";
import { appUrl } from "~/utils/env.server";
import { formatCents, formatDate } from "~/utils/format";
import { invoiceDueInstalments, writeSchedule } from "./instalments.server";
import { boundsRefusal, defaultEnd, KIND_LABELS, termRefusal, termText, yearlyRent } from "./rules";
import { lockPlot } from "./plots.server";
import { boundsFor, currentIndex } from "./terms.server";

// An offer is a lease in status OFFERED: it holds the plot for its period (the exclusion constraint) until the
// applicant answers or the deadline passes. Accepting makes it ACTIVE with its schedule; declining or letting
// it expire passes the plot to the next application in the queue that wants it.

const taken = () =>
  fail("PLOT_TAKEN", "Cette parcelle est déjà louée ou proposée sur cette période.", { field: "plotId", status: 409 });

export type OfferInput = {
  poleId: string;
  applicationId: string;
  plotId: string;
  startsOn: IsoDate;
  endsOn?: IsoDate | null;
  rentPerHectareCents?: number | null;
  frequency: InstalmentFrequency;
  staffId: string | null;
  idempotencyKey: string;
  now: Date;
};

/** Staff (or the queue, after a refusal) offer a plot to an application, for a period and a rent. */
export async function offerPlot(client: Tx, input: OfferInput): Promise<Result<{ lease: Lease; effects: Effects }>> {
  try {
    return await inTransaction(client, (tx) => makeOffer(tx, input));
  } catch (error) {
    if (isExclusionViolation(error)) return taken();
    if (isUniqueViolation(error))
      return fail("DUPLICATE", "Ce formulaire a déjà servi : rechargez la page.", { status: 409 });
    throw error;
  }
}

async function makeOffer(tx: Tx, input: OfferInput): Promise<Result<{ lease: Lease; effects: Effects }>> {
  const replay = await tx.lease.findUnique({
    where: { poleId_idempotencyKey: { poleId: input.poleId, idempotencyKey: input.idempotencyKey } },
  });
  if (replay) return ok({ lease: replay, effects: { emails: [], refunds: [] } });
  const today = parisDate(input.now);
  const application = await tx.plotApplication.findFirst({
    where: { id: input.applicationId, poleId: input.poleId },
    include: { person: true },
  });
  if (!application)
    return fail("NOT_FOUND", "Cette candidature n'existe pas.", { field: "applicationId", status: 404 });
  const plot = await tx.plot.findFirst({ where: { id: input.plotId, poleId: input.poleId, active: true } });
  if (!plot) return fail("UNKNOWN_PLOT", "Cette parcelle n'existe pas sur ce pôle.", { field: "plotId", status: 404 });
  await lockPlot(tx, plot.id);
  // One offer at a time per application: the entry is locked, so two staff offering at once are serialised.
  await tx.$queryRaw`SELECT 1 FROM "WaitlistEntry" WHERE "id" = ${application.entryId} FOR UPDATE`;
  const entry = await tx.waitlistEntry.findUniqueOrThrow({ where: { id: application.entryId } });
  if (entry.status === "OFFERED")
    return fail("ALREADY_OFFERED", "Une parcelle est déjà proposée à cette candidature : attendez sa réponse.", {
      field: "applicationId",
      status: 409,
    });
  if (entry.status !== "WAITING")
    return fail("NOT_WAITING", "Cette candidature n'est plus sur la liste d'attente.", {
      field: "applicationId",
      status: 409,
    });
  if (input.startsOn < today)
    return fail("PAST_START", "Le bail ne peut pas commencer dans le passé.", { field: "startsOn", status: 422 });
  const endsOn = input.endsOn || defaultEnd(application.leaseKind, input.startsOn);
  const term = termRefusal(application.leaseKind, input.startsOn, endsOn);
  if (term) return term;
  const rentPerHectareCents = input.rentPerHectareCents ?? plot.rentPerHectareCents;
  const year = Number(input.startsOn.slice(0, 4));
  const bounds = boundsRefusal(rentPerHectareCents, await boundsFor(tx, input.poleId, year), year);
  if (bounds) return bounds;
  const index = await currentIndex(tx, input.poleId, year);
  if (!index)
    return fail("NO_INDEX", "Saisissez d'abord l'indice national des fermages : le loyer y est indexé.", {
      field: "plotId",
      status: 422,
    });
  const pole = await tx.pole.findUniqueOrThrow({ where: { id: input.poleId } });
  const offerExpiresAt = DateTime.fromJSDate(input.now).plus({ days: pole.offerDays }).toJSDate();
  // The prefectoral bounds are for the rent itself; a pole that opted for VAT bills it on top, so the lease's
  // rent (what the schedule splits and the invoices carry, VAT included) is that rent plus 20 %.
  const vatRateBp = pole.landRentVatOptIn ? 2000 : 0;
  const rent = withVat(yearlyRent(plot.surfaceM2, rentPerHectareCents), vatRateBp);
  // Every check passed: offers of this plot for an overlapping period that are past their deadline, which the
  // sweeper has not closed yet, no longer hold it (their applicants are told, as the sweeper would).
  const lapsed = await tx.lease.findMany({
    where: {
      plotId: plot.id,
      status: "OFFERED",
      offerExpiresAt: { lte: input.now },
      startsOn: { lt: toSqlDate(endsOn) },
      endsOn: { gt: toSqlDate(input.startsOn) },
    },
    include: { plot: true },
  });
  const lapsedEmails: EmailMessage[] = [];
  for (const offer of lapsed) lapsedEmails.push(...(await endOffer(tx, offer, "EXPIRED", input.now)));
  const lease = await tx.lease.create({
    data: {
      poleId: input.poleId,
      plotId: plot.id,
      applicationId: application.id,
      holderId: application.personId,
      kind: application.leaseKind,
      status: "OFFERED",
      startsOn: toSqlDate(input.startsOn),
      endsOn: toSqlDate(endsOn),
      offerExpiresAt,
      surfaceM2: plot.surfaceM2,
      rentPerHectareCents,
      yearlyRentCents: rent,
      indexValue: index.value,
      indexYear: index.year,
      frequency: input.frequency,
      vatRateBp,
      offeredById: input.staffId,
      idempotencyKey: input.idempotencyKey,
    },
  });
  await tx.waitlistEntry.update({
    where: { id: entry.id },
    data: { status: "OFFERED", offerExpiresAt, notifiedAt: input.now },
  });
  await recordEvent(
    tx,
    entry.id,
    "OFFERED",
    `Parcelle ${plot.code}, ${termText(toSqlDate(input.startsOn), toSqlDate(endsOn), "short")}`,
    input.staffId,
  );
  const email = plotOfferedEmail({
    poleName: pole.name,
    name: application.person.name,
    plot: `${plot.code}${plot.name ? ` (${plot.name})` : ""}`,
    term: `${KIND_LABELS[application.leaseKind].toLowerCase()} ${termText(toSqlDate(input.startsOn), toSqlDate(endsOn))}`,
    rent: `${formatCents(rent)}${vatRateBp ? " TVA comprise" : ""}`,
    deadline: formatDate(offerExpiresAt, "dateTime"),
    url: `${appUrl()}/compte/terres`,
  });
  return ok({
    lease,
    effects: {
      emails: [...lapsedEmails, { poleId: input.poleId, to: application.person.email, ...email }],
      refunds: [],
    },
  });
}

/** Locks one of the person's open offers; one past its deadline is refused (410). */
async function lockOffer(tx: Tx, input: { poleId: string; leaseId: string; personId: string; now: Date }) {
  const mine = await tx.lease.findFirst({
    where: { id: input.leaseId, poleId: input.poleId, holderId: input.personId },
    select: { plotId: true },
  });
  if (!mine) return fail("NOT_FOUND", "Cette proposition n'existe pas.", { status: 404 });
  await lockPlot(tx, mine.plotId);
  await tx.$queryRaw`SELECT 1 FROM "Lease" WHERE "id" = ${input.leaseId} FOR UPDATE`;
  const lease = await tx.lease.findUniqueOrThrow({
    where: { id: input.leaseId },
    include: { plot: true, holder: true, application: true },
  });
  // Past the deadline the offer is over; the sweeper closes it and passes the plot on, with the emails.
  if (lease.status === "EXPIRED" || (lease.status === "OFFERED" && lease.offerExpiresAt! <= input.now)) {
    return fail("OFFER_EXPIRED", "Le délai pour répondre à cette proposition est passé : elle n'est plus valable.", {
      status: 410,
    });
  }
  if (lease.status !== "OFFERED")
    return fail(
      "ANSWERED",
      lease.status === "ACTIVE" ? "Vous avez déjà accepté cette proposition." : "Cette proposition n'est plus ouverte.",
      { status: 409 },
    );
  return ok(lease);
}

export async function acceptOffer(
  client: Tx,
  input: { poleId: string; leaseId: string; personId: string; now: Date },
): Promise<Result<{ lease: Lease; effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    const locked = await lockOffer(tx, input);
    if (!locked.ok) return locked;
    const offer = locked.value;
    const lease = await tx.lease.update({
      where: { id: offer.id },
      data: { status: "ACTIVE", answeredAt: input.now, offerExpiresAt: null },
    });
    if (offer.application) {
      await tx.waitlistEntry.update({
        where: { id: offer.application.entryId },
        data: { status: "FULFILLED", fulfilledAt: input.now, offerExpiresAt: null },
      });
      await recordEvent(tx, offer.application.entryId, "ACCEPTED", `Parcelle ${offer.plot.code}`, input.personId);
    }
    await writeSchedule(tx, lease);
    const invoices = await invoiceDueInstalments(tx, {
      today: parisDate(input.now),
      now: input.now,
      leaseId: lease.id,
    });
    const pole = await tx.pole.findUniqueOrThrow({ where: { id: input.poleId }, select: { name: true } });
    const confirmed = leaseConfirmedEmail({
      poleName: pole.name,
      name: offer.holder.name,
      plot: offer.plot.code,
      term: `${KIND_LABELS[lease.kind].toLowerCase()} ${termText(lease.startsOn, lease.endsOn)}`,
      url: `${appUrl()}/compte/terres`,
    });
    return ok({
      lease,
      effects: { emails: [{ poleId: input.poleId, to: offer.holder.email, ...confirmed }, ...invoices], refunds: [] },
    });
  });
}

export async function declineOffer(
  client: Tx,
  input: { poleId: string; leaseId: string; personId: string; now: Date },
): Promise<Result<{ effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    const locked = await lockOffer(tx, input);
    if (!locked.ok) return locked;
    return ok({ effects: await closeOffer(tx, locked.value, "DECLINED", input.now) });
  });
}

/**
 * An offer that did not become a lease: the application keeps its place in the queue, the plot goes to the next
 * application in order that wants it (a new timed offer), and the applicant is told when it lapsed.
 */
export async function closeOffer(
  tx: Tx,
  offer: Lease & { plot: { code: string } },
  status: "DECLINED" | "EXPIRED" | "WITHDRAWN",
  now: Date,
): Promise<Effects> {
  const emails = await endOffer(tx, offer, status, now);
  const next = await passToNext(tx, {
    poleId: offer.poleId,
    plotId: offer.plotId,
    startsOn: fromSqlDate(offer.startsOn),
    frequency: offer.frequency,
    now,
  });
  return { emails: [...emails, ...next.emails], refunds: [] };
}

/** The offer ends and its application is back in the queue at its place; the emails to send. */
async function endOffer(
  tx: Tx,
  offer: Lease & { plot: { code: string } },
  status: "DECLINED" | "EXPIRED" | "WITHDRAWN",
  now: Date,
): Promise<EmailMessage[]> {
  await tx.lease.update({ where: { id: offer.id }, data: { status, answeredAt: now } });
  if (!offer.applicationId) return [];
  const application = await tx.plotApplication.findUniqueOrThrow({
    where: { id: offer.applicationId },
    include: { person: true, pole: { select: { name: true } } },
  });
  await tx.waitlistEntry.updateMany({
    where: { id: application.entryId, status: "OFFERED" },
    data: { status: "WAITING", offerExpiresAt: null },
  });
  if (status !== "WITHDRAWN")
    await recordEvent(
      tx,
      application.entryId,
      status === "DECLINED" ? "DECLINED" : "OFFER_EXPIRED",
      `Parcelle ${offer.plot.code}`,
      status === "DECLINED" ? application.personId : null,
    );
  if (status !== "EXPIRED") return [];
  return [
    {
      poleId: offer.poleId,
      to: application.person.email,
      ...offerLapsedEmail({
        poleName: application.pole.name,
        name: application.person.name,
        plot: offer.plot.code,
        url: `${appUrl()}/compte/terres`,
      }),
    },
  ];
}

/**
 * The first application in the queue that wants this plot — among its choices, or asking for any plot at least
 * as large — and has not already turned it down, gets a timed offer. None: the plot stays free for staff.
 */
export async function passToNext(
  tx: Tx,
  input: { poleId: string; plotId: string; startsOn: IsoDate; frequency: InstalmentFrequency; now: Date },
): Promise<Effects> {
  const plot = await tx.plot.findUniqueOrThrow({ where: { id: input.plotId } });
  const waiting = await tx.plotApplication.findMany({
    where: {
      poleId: input.poleId,
      entry: { status: "WAITING" },
      OR: [{ choices: { some: { plotId: plot.id } } }, { minSurfaceM2: { lte: plot.surfaceM2 } }],
      // Not to someone who already declined it or let it lapse.
      leases: { none: { plotId: plot.id, status: { in: ["DECLINED", "EXPIRED"] } } },
    },
    include: { entry: { select: { queueKey: true } } },
  });
  const today = parisDate(input.now);
  for (const application of waiting.sort((a, b) => a.entry.queueKey - b.entry.queueKey)) {
    const desired = fromSqlDate(application.desiredStartOn);
    const startsOn = [input.startsOn, desired, today].sort().at(-1)!;
    // In a savepoint: a refusal by the database (a concurrent offer of the plot) must not undo the caller's work.
    await tx.$executeRaw`SAVEPOINT pass_to_next`;
    let offered: Result<{ lease: Lease; effects: Effects }>;
    try {
      offered = await makeOffer(tx, {
        poleId: input.poleId,
        applicationId: application.id,
        plotId: plot.id,
        startsOn,
        frequency: input.frequency,
        staffId: null,
        idempotencyKey: `next:${plot.id}:${application.id}:${input.now.getTime()}`,
        now: input.now,
      });
      await tx.$executeRaw`RELEASE SAVEPOINT pass_to_next`;
    } catch (error) {
      if (!isExclusionViolation(error)) throw error;
      await tx.$executeRaw`ROLLBACK TO SAVEPOINT pass_to_next`;
      await tx.$executeRaw`RELEASE SAVEPOINT pass_to_next`;
      break;
    }
    if (offered.ok) return offered.value.effects;
    // A refusal that concerns this application (it has an offer already, its kind's term) → the next one; a
    // refusal about the plot or the pole's settings → staff must act, nothing more to try.
    if (["PLOT_TAKEN", "NO_BOUNDS", "OUT_OF_BOUNDS", "NO_INDEX"].includes(offered.code)) break;
  }
  return { emails: [], refunds: [] };
}

/** The sweeper: offers past their deadline expire and pass on, one transaction each. */
export async function expireOffers(db: Db, now: Date) {
  const due = await db.lease.findMany({
    where: { status: "OFFERED", offerExpiresAt: { lte: now } },
    select: { id: true, plotId: true },
    take: 100,
  });
  const effects: Effects = { emails: [], refunds: [] };
  for (const { id, plotId } of due) {
    const done = await db.$transaction(async (tx) => {
      await lockPlot(tx, plotId);
      await tx.$queryRaw`SELECT 1 FROM "Lease" WHERE "id" = ${id} FOR UPDATE`;
      const offer = await tx.lease.findUniqueOrThrow({ where: { id }, include: { plot: true } });
      // Accepted (or answered) while we were on our way: nothing to do.
      if (offer.status !== "OFFERED" || offer.offerExpiresAt! > now) return null;
      return closeOffer(tx, offer, "EXPIRED", now);
    });
    if (done) effects.emails.push(...done.emails);
  }
  return effects;
}
