import { DateTime } from "luxon";
import type { InstalmentFrequency, Lease } from "~/generated/prisma/client";
import { leaseConfirmedEmail, offerLapsedEmail, plotOfferedEmail } from "~/emails/leasing";
import { fromSqlDate, parisDate, toSqlDate, type IsoDate } from "~/domain/ledger/dates";
import type { Effects } from "~/domain/payments/index.server";
import { withVat } from "~/domain/ledger/vat";
import { fail, ok, type Result } from "~/domain/result";
import {
  acceptOffered,
  declineOffered,
  expireOffers as expireWaitlistOffers,
  lapseOffered,
  noteEntryOnce,
  offerTo,
  type OfferKind,
} from "~/domain/waitlist/index.server";
import { inTransaction, type Db, type Tx, type Client } from "~/utils/db.server";
import { lockRow } from "~/utils/row-locks.server";
import { isExclusionViolation, isUniqueViolation } from "~/utils/db-errors.server";
import type { EmailMessage } from "~/utils/email.server";
import { appUrl } from "~/utils/env.server";
import { formatCents, formatDate } from "~/utils/format";
import { invoiceDueInstalments, writeSchedule } from "./instalments.server";
import { addDaysTo, boundsRefusal, defaultEnd, KIND_LABELS, termRefusal, termText, yearlyRent } from "./rules";
import { lockPlot } from "./plots.server";
import { lackingTraining, trainingRequired, TRAINING_REQUIRED_NOTE } from "./plot-path.server";
import { boundsFor, currentIndex } from "./terms.server";

// An offer is a lease in status OFFERED: it holds the plot for its period (the exclusion constraint) until the
// applicant answers or the deadline passes. The plots' queue runs on the waiting-list engine (decision 014): this
// module defines the PLOT kind — a plot is one unit, held by an OFFERED lease, accepting makes it ACTIVE with its
// schedule — and the engine does the queue: who is next, answers, deadlines, passing on, the history.

const taken = () =>
  fail("PLOT_TAKEN", "Cette parcelle est déjà louée ou proposée sur cette période.", { field: "plotId", status: 409 });

/** One live application per person and pole (a partial unique index on the waiting-list entries). */
export const alreadyApplied = () =>
  fail(
    "ALREADY_APPLIED",
    "Vous avez déjà une candidature en cours : retrouvez-la dans Mon compte, où vous pouvez la retirer.",
    { status: 409 },
  );

/**
 * A plot to offer: from `startsOn` (the first day staff chose; when the queue passes a plot on, the earliest
 * first day — the applicant's wish, or today, when later), paid at `frequency`. `terms` are staff's choices.
 */
export type PlotUnit = {
  plotId: string;
  startsOn: IsoDate;
  frequency: InstalmentFrequency;
  terms?: { endsOn: IsoDate | null; rentPerHectareCents: number | null; idempotencyKey: string };
};

const PLOT_KEY = "plot:";

export const plotWaitlist: OfferKind<PlotUnit, Lease, Lease> = {
  kind: "PLOT",
  serving: "offers",
  refusals: {
    ALREADY_WAITING: alreadyApplied,
    ALREADY_OFFERED: () =>
      fail("ALREADY_OFFERED", "Une parcelle est déjà proposée à cette candidature : attendez sa réponse.", {
        field: "applicationId",
        status: 409,
      }),
    NOT_WAITING: () =>
      fail("NOT_WAITING", "Cette candidature n'est plus sur la liste d'attente.", {
        field: "applicationId",
        status: 409,
      }),
    TAKEN: taken,
    NOT_QUEUED: () => fail("NONE", "Vous n'avez pas de candidature en cours.", { status: 409 }),
    OFFER_CHANGED: () =>
      fail(
        "JUST_OFFERED",
        "Une parcelle vient de vous être proposée : rechargez la page avant de retirer votre candidature.",
        { status: 409 },
      ),
    OFFER_EXPIRED: () =>
      fail("OFFER_EXPIRED", "Le délai pour répondre à cette proposition est passé : elle n'est plus valable.", {
        status: 410,
      }),
  },
  unitKey: (unit) => `${PLOT_KEY}${unit.plotId}`,

  // The plot first, then the lease that holds it for an offer (decision 009's one lock order).
  async lock(tx, { unitKey, ref }) {
    await lockPlot(tx, unitKey.slice(PLOT_KEY.length));
    if (ref) await lockRow(tx, "Lease", { id: ref });
  },

  // Free on its first day unless an active lease or an open offer covers it; the exclusion constraint decides
  // the rest of the period.
  async freeCapacity(tx, unit, now) {
    const from = toSqlDate(unit.startsOn);
    const to = toSqlDate(unit.terms?.endsOn || addDaysTo(unit.startsOn, 1));
    const holding = await tx.lease.count({
      where: {
        plotId: unit.plotId,
        startsOn: { lt: to },
        endsOn: { gt: from },
        OR: [{ status: "ACTIVE" }, { status: "OFFERED", offerExpiresAt: { gt: now } }],
      },
    });
    return holding > 0 ? 0 : 1;
  },

  // Applications that chose the plot, or asked for any plot at least as large. Their leases also say who turned
  // the plot down before the engine recorded units on events.
  // An espace-test applicant without the required course is passed over, with a note in their history.
  async wants(tx, unit, waiting) {
    const plot = await tx.plot.findUniqueOrThrow({
      where: { id: unit.plotId },
      select: { surfaceM2: true, poleId: true },
    });
    const applications = await tx.plotApplication.findMany({
      where: {
        entryId: { in: waiting.map((e) => e.id) },
        OR: [{ choices: { some: { plotId: unit.plotId } } }, { minSurfaceM2: { lte: plot.surfaceM2 } }],
        leases: { none: { plotId: unit.plotId, status: { in: ["DECLINED", "EXPIRED"] } } },
      },
      select: { entryId: true, personId: true, leaseKind: true },
    });
    const lacking = await lackingTraining(tx, plot.poleId, applications);
    for (const entryId of lacking)
      await noteEntryOnce(tx, { entryId, note: TRAINING_REQUIRED_NOTE, unit: plotWaitlist.unitKey(unit) });
    return applications.filter((a) => !lacking.has(a.entryId)).map((a) => a.entryId);
  },

  hold: holdPlot,

  // About the plot or the pole's settings: staff must act, no other application would get it either.
  stopsQueue: (code) => ["PLOT_TAKEN", "UNKNOWN_PLOT", "NO_BOUNDS", "OUT_OF_BOUNDS", "NO_INDEX"].includes(code),

  async yield(tx, { ref, now }) {
    const offer = await tx.lease.findUniqueOrThrow({ where: { id: ref }, include: { plot: true, holder: true } });
    const lease = await tx.lease.update({
      where: { id: offer.id },
      data: { status: "ACTIVE", answeredAt: now, offerExpiresAt: null },
    });
    await writeSchedule(tx, lease);
    const invoices = await invoiceDueInstalments(tx, { today: parisDate(now), now, leaseId: lease.id });
    const pole = await tx.pole.findUniqueOrThrow({ where: { id: lease.poleId }, select: { name: true } });
    const confirmed = leaseConfirmedEmail({
      poleName: pole.name,
      name: offer.holder.name,
      plot: offer.plot.code,
      term: `${KIND_LABELS[lease.kind].toLowerCase()} ${termText(lease.startsOn, lease.endsOn)}`,
      url: `${appUrl()}/compte/terres`,
    });
    return ok({
      value: lease,
      note: `Parcelle ${offer.plot.code}`,
      emails: [{ poleId: lease.poleId, to: offer.holder.email, ...confirmed }, ...invoices],
    });
  },

  // The offer's lease leaves the constraint; the applicant is told when it lapsed; the plot passes on from the
  // same first day, paid the same way.
  async release(tx, { entry, ref, outcome, now }) {
    const offer = await tx.lease.update({
      where: { id: ref },
      data: { status: outcome, answeredAt: now },
      include: { plot: { select: { code: true } } },
    });
    const emails: EmailMessage[] = [];
    if (outcome === "EXPIRED") {
      const application = await tx.plotApplication.findUniqueOrThrow({
        where: { entryId: entry.id },
        include: { person: true, pole: { select: { name: true } } },
      });
      emails.push({
        poleId: offer.poleId,
        to: application.person.email,
        ...offerLapsedEmail({
          poleName: application.pole.name,
          name: application.person.name,
          plot: offer.plot.code,
          url: `${appUrl()}/compte/terres`,
        }),
      });
    }
    return {
      note: `Parcelle ${offer.plot.code}`,
      next: { plotId: offer.plotId, startsOn: fromSqlDate(offer.startsOn), frequency: offer.frequency },
      emails,
    };
  },
};

/** What holds a plot for an offer: an OFFERED lease with its period, rent and deadline, and the email. */
async function holdPlot(
  tx: Tx,
  {
    entry,
    unit,
    now,
    actorId,
  }: { entry: { id: string; poleId: string }; unit: PlotUnit; now: Date; actorId: string | null },
): Promise<Result<{ ref: string; expiresAt: Date; note: string; value: Lease; emails: EmailMessage[] }>> {
  const application = await tx.plotApplication.findUniqueOrThrow({
    where: { entryId: entry.id },
    include: { person: true },
  });
  const plot = await tx.plot.findFirst({ where: { id: unit.plotId, poleId: entry.poleId, active: true } });
  if (!plot) return fail("UNKNOWN_PLOT", "Cette parcelle n'existe pas sur ce pôle.", { field: "plotId", status: 404 });
  if ((await lackingTraining(tx, entry.poleId, [application])).size > 0) return trainingRequired();
  const today = parisDate(now);
  const startsOn = unit.terms
    ? unit.startsOn
    : [unit.startsOn, fromSqlDate(application.desiredStartOn), today].sort().at(-1)!;
  if (startsOn < today)
    return fail("PAST_START", "Le bail ne peut pas commencer dans le passé.", { field: "startsOn", status: 422 });
  const endsOn = unit.terms?.endsOn || defaultEnd(application.leaseKind, startsOn);
  const term = termRefusal(application.leaseKind, startsOn, endsOn);
  if (term) return term;
  const rentPerHectareCents = unit.terms?.rentPerHectareCents ?? plot.rentPerHectareCents;
  const year = Number(startsOn.slice(0, 4));
  const bounds = boundsRefusal(rentPerHectareCents, await boundsFor(tx, entry.poleId, year), year);
  if (bounds) return bounds;
  const index = await currentIndex(tx, entry.poleId, year);
  if (!index)
    return fail("NO_INDEX", "Saisissez d'abord l'indice national des fermages : le loyer y est indexé.", {
      field: "plotId",
      status: 422,
    });
  const pole = await tx.pole.findUniqueOrThrow({ where: { id: entry.poleId } });
  const offerExpiresAt = DateTime.fromJSDate(now).plus({ days: pole.offerDays }).toJSDate();
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
      offerExpiresAt: { lte: now },
      startsOn: { lt: toSqlDate(endsOn) },
      endsOn: { gt: toSqlDate(startsOn) },
    },
    select: { id: true, application: { select: { entryId: true } } },
  });
  const lapsedEmails: EmailMessage[] = [];
  for (const offer of lapsed) {
    const closed = offer.application
      ? await lapseOffered(tx, plotWaitlist, { entryId: offer.application.entryId, ref: offer.id, now, passOn: false })
      : null;
    if (closed?.ok) lapsedEmails.push(...closed.value.emails);
    // An offer no queue entry stands for (none is made so): it only has to leave the constraint.
    else await tx.lease.update({ where: { id: offer.id }, data: { status: "EXPIRED", answeredAt: now } });
  }
  const lease = await tx.lease.create({
    data: {
      poleId: entry.poleId,
      plotId: plot.id,
      applicationId: application.id,
      holderId: application.personId,
      kind: application.leaseKind,
      status: "OFFERED",
      startsOn: toSqlDate(startsOn),
      endsOn: toSqlDate(endsOn),
      offerExpiresAt,
      surfaceM2: plot.surfaceM2,
      rentPerHectareCents,
      yearlyRentCents: rent,
      indexValue: index.value,
      indexYear: index.year,
      frequency: unit.frequency,
      vatRateBp,
      offeredById: actorId,
      idempotencyKey: unit.terms?.idempotencyKey ?? `next:${plot.id}:${application.id}:${now.getTime()}`,
    },
  });
  const email = plotOfferedEmail({
    poleName: pole.name,
    name: application.person.name,
    plot: `${plot.code}${plot.name ? ` (${plot.name})` : ""}`,
    term: `${KIND_LABELS[application.leaseKind].toLowerCase()} ${termText(toSqlDate(startsOn), toSqlDate(endsOn))}`,
    rent: `${formatCents(rent)}${vatRateBp ? " TVA comprise" : ""}`,
    deadline: formatDate(offerExpiresAt, "dateTime"),
    url: `${appUrl()}/compte/terres`,
  });
  return ok({
    ref: lease.id,
    expiresAt: offerExpiresAt,
    note: `Parcelle ${plot.code}, ${termText(toSqlDate(startsOn), toSqlDate(endsOn), "short")}`,
    value: lease,
    emails: [...lapsedEmails, { poleId: entry.poleId, to: application.person.email, ...email }],
  });
}

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

/** Staff offer a plot to an application of their choice, for a period and a rent. */
export async function offerPlot(
  client: Client,
  input: OfferInput,
): Promise<Result<{ lease: Lease; effects: Effects }>> {
  try {
    return await inTransaction(client, async (tx) => {
      const replay = await tx.lease.findUnique({
        where: { poleId_idempotencyKey: { poleId: input.poleId, idempotencyKey: input.idempotencyKey } },
      });
      if (replay) return ok({ lease: replay, effects: { emails: [], refunds: [] } });
      const application = await tx.plotApplication.findFirst({
        where: { id: input.applicationId, poleId: input.poleId },
        select: { entryId: true },
      });
      if (!application)
        return fail("NOT_FOUND", "Cette candidature n'existe pas.", { field: "applicationId", status: 404 });
      const plot = await tx.plot.findFirst({
        where: { id: input.plotId, poleId: input.poleId, active: true },
        select: { id: true },
      });
      if (!plot)
        return fail("UNKNOWN_PLOT", "Cette parcelle n'existe pas sur ce pôle.", { field: "plotId", status: 404 });
      const offered = await offerTo(tx, plotWaitlist, {
        entryId: application.entryId,
        unit: {
          plotId: plot.id,
          startsOn: input.startsOn,
          frequency: input.frequency,
          terms: {
            endsOn: input.endsOn ?? null,
            rentPerHectareCents: input.rentPerHectareCents ?? null,
            idempotencyKey: input.idempotencyKey,
          },
        },
        actorId: input.staffId,
        now: input.now,
      });
      if (!offered.ok) return offered;
      return ok({ lease: offered.value.value, effects: { emails: offered.value.emails, refunds: [] } });
    });
  } catch (error) {
    if (isExclusionViolation(error)) return taken();
    if (isUniqueViolation(error))
      return fail("DUPLICATE", "Ce formulaire a déjà servi : rechargez la page.", { status: 409 });
    throw error;
  }
}

/** Locks one of the person's open offers; one past its deadline is refused (410). */
async function lockOffer(tx: Tx, input: { poleId: string; leaseId: string; personId: string; now: Date }) {
  const mine = await tx.lease.findFirst({
    where: { id: input.leaseId, poleId: input.poleId, holderId: input.personId },
    select: { plotId: true },
  });
  if (!mine) return fail("NOT_FOUND", "Cette proposition n'existe pas.", { status: 404 });
  await lockPlot(tx, mine.plotId);
  await lockRow(tx, "Lease", { id: input.leaseId });
  const lease = await tx.lease.findUniqueOrThrow({ where: { id: input.leaseId }, include: { application: true } });
  // Past the deadline the offer is over; the sweeper closes it and passes the plot on, with the emails.
  if (lease.status === "EXPIRED" || (lease.status === "OFFERED" && lease.offerExpiresAt! <= input.now)) {
    return fail("OFFER_EXPIRED", "Le délai pour répondre à cette proposition est passé : elle n'est plus valable.", {
      status: 410,
    });
  }
  if (lease.status !== "OFFERED" || !lease.application)
    return fail(
      "ANSWERED",
      lease.status === "ACTIVE" ? "Vous avez déjà accepté cette proposition." : "Cette proposition n'est plus ouverte.",
      { status: 409 },
    );
  return ok({ ...lease, entryId: lease.application.entryId });
}

export async function acceptOffer(
  client: Client,
  input: { poleId: string; leaseId: string; personId: string; now: Date },
): Promise<Result<{ lease: Lease; effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    const locked = await lockOffer(tx, input);
    if (!locked.ok) return locked;
    const accepted = await acceptOffered(tx, plotWaitlist, {
      entryId: locked.value.entryId,
      ref: locked.value.id,
      actorId: input.personId,
      now: input.now,
    });
    if (!accepted.ok) return accepted;
    return ok({ lease: accepted.value.value, effects: { emails: accepted.value.emails, refunds: [] } });
  });
}

/** The applicant declines: the application keeps its place in the queue, the plot goes to the next that wants it. */
export async function declineOffer(
  client: Client,
  input: { poleId: string; leaseId: string; personId: string; now: Date },
): Promise<Result<{ effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    const locked = await lockOffer(tx, input);
    if (!locked.ok) return locked;
    const declined = await declineOffered(tx, plotWaitlist, {
      entryId: locked.value.entryId,
      ref: locked.value.id,
      actorId: input.personId,
      now: input.now,
    });
    if (!declined.ok) return declined;
    return ok({ effects: { emails: declined.value.emails, refunds: [] } });
  });
}

/** The sweeper: offers past their deadline expire and pass on, one transaction each. */
export async function expireOffers(db: Db, now: Date): Promise<Effects> {
  return { emails: await expireWaitlistOffers(db, plotWaitlist, now), refunds: [] };
}
