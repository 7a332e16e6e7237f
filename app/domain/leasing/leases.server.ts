import { Prisma, type Lease } from "~/generated/prisma/client";
import { instalmentOverdueEmail } from "~/emails/leasing";
import { fromSqlDate, parisDate, toSqlDate, type IsoDate } from "~/domain/ledger/dates";
import { fail, ok, type Result } from "~/domain/result";
import { inTransaction, type Db, type Client } from "~/utils/db.server";
import { lockRow } from "~/utils/row-locks.server";
import { isExclusionViolation } from "~/utils/db-errors.server";
import { appUrl } from "~/utils/env.server";
import { formatCents, formatDate } from "~/utils/format";
import { writeSchedule } from "./instalments.server";
import { divRoundHalfUp } from "~/domain/ledger/vat";
import { addDaysTo, addMonths, daysBetween, indexedRent, KIND_LABELS, monthsBetween, TERMS } from "./rules";

// The lease register: running leases, renewals, end notices, the yearly indexation of rents, overdue instalments.

const withPlotAndHolder = { plot: true, holder: { select: { id: true, name: true, email: true } } } as const;

export function getLease(tx: Client, input: { poleId: string; leaseId: string }) {
  return tx.lease.findFirst({
    where: { id: input.leaseId, poleId: input.poleId },
    include: {
      ...withPlotAndHolder,
      instalments: {
        orderBy: { periodStart: "asc" },
        include: {
          payments: {
            where: { status: { in: ["PENDING", "SUCCEEDED"] } },
            select: { id: true, status: true, method: true },
          },
        },
      },
      rentChanges: { orderBy: { createdAt: "asc" } },
      renewalOf: { select: { id: true, startsOn: true } },
      renewedBy: { select: { id: true, startsOn: true } },
    },
  });
}

/** A person's leases and offers, with their schedules and invoices (Mon compte). */
export function personLeases(tx: Client, input: { poleId: string; personId: string }) {
  return tx.lease.findMany({
    where: { poleId: input.poleId, holderId: input.personId, status: { in: ["OFFERED", "ACTIVE", "ENDED"] } },
    include: {
      plot: true,
      instalments: {
        orderBy: { periodStart: "asc" },
        include: { payments: { where: { status: "PENDING" }, select: { id: true } } },
      },
    },
    orderBy: { startsOn: "desc" },
  });
}

/**
 * Renews a lease for the same term right after it (espace-test: twice at most), at its current (indexed) rent.
 * The exclusion constraint refuses it if the plot is promised to someone else by then.
 */
export async function renewLease(
  client: Client,
  input: { poleId: string; leaseId: string; staffId: string; now: Date },
): Promise<Result<Lease>> {
  try {
    return await inTransaction(client, async (tx) => {
      await lockRow(tx, "Lease", { id: input.leaseId, poleId: input.poleId });
      const lease = await tx.lease.findFirst({
        where: { id: input.leaseId, poleId: input.poleId },
        include: { renewedBy: true },
      });
      if (!lease) return fail("NOT_FOUND", "Ce bail n'existe pas.", { status: 404 });
      if (lease.status !== "ACTIVE") return fail("NOT_ACTIVE", "Seul un bail en cours se renouvelle.", { status: 409 });
      if (lease.renewedBy) return fail("ALREADY_RENEWED", "Ce bail est déjà renouvelé.", { status: 409 });
      if (lease.endNoticeOn)
        return fail("NOTICE_GIVEN", "Un congé a été donné pour ce bail : il ne se renouvelle pas.", { status: 409 });
      const max = TERMS[lease.kind].maxRenewals;
      if (lease.renewalNumber >= max)
        return fail("MAX_RENEWALS", `Un ${KIND_LABELS[lease.kind].toLowerCase()} se renouvelle ${max} fois au plus.`, {
          status: 409,
        });
      const startsOn = fromSqlDate(lease.endsOn);
      const endsOn = addMonths(startsOn, monthsBetween(fromSqlDate(lease.startsOn), startsOn));
      const renewal = await tx.lease.create({
        data: {
          poleId: lease.poleId,
          plotId: lease.plotId,
          applicationId: lease.applicationId,
          holderId: lease.holderId,
          kind: lease.kind,
          status: "ACTIVE",
          startsOn: lease.endsOn,
          endsOn: toSqlDate(endsOn),
          answeredAt: input.now,
          surfaceM2: lease.surfaceM2,
          rentPerHectareCents: lease.rentPerHectareCents,
          yearlyRentCents: lease.yearlyRentCents,
          indexValue: lease.indexValue,
          indexYear: lease.indexYear,
          frequency: lease.frequency,
          vatRateBp: lease.vatRateBp,
          renewalOfId: lease.id,
          renewalNumber: lease.renewalNumber + 1,
          offeredById: input.staffId,
          idempotencyKey: `renewal:${lease.id}`,
        },
      });
      await writeSchedule(tx, renewal);
      return ok(renewal);
    });
  } catch (error) {
    if (isExclusionViolation(error))
      return fail("PLOT_TAKEN", "La parcelle est déjà promise à quelqu'un d'autre après ce bail.", { status: 409 });
    throw error;
  }
}

/**
 * An end notice (congé): the lease ends on the date given. The period it cuts is charged pro rata of its days,
 * the periods after it are cancelled. A period already invoiced cannot be cut (it would need a credit note
 * first). A renewal not invoiced yet is called off with it; one already invoiced takes the notice itself.
 */
export async function giveNotice(
  client: Client,
  input: { poleId: string; leaseId: string; endsOn: IsoDate; reason: string; today: IsoDate },
): Promise<Result<Lease>> {
  return inTransaction(client, async (tx) => {
    await lockRow(tx, "Lease", { id: input.leaseId, poleId: input.poleId });
    const lease = await tx.lease.findFirst({
      where: { id: input.leaseId, poleId: input.poleId },
      include: { renewedBy: { select: { id: true, startsOn: true, status: true } } },
    });
    if (!lease) return fail("NOT_FOUND", "Ce bail n'existe pas.", { status: 404 });
    if (lease.status !== "ACTIVE") return fail("NOT_ACTIVE", "Seul un bail en cours reçoit un congé.", { status: 409 });
    if (!input.reason.trim()) return fail("REASON", "Indiquez le motif du congé.", { field: "reason", status: 422 });
    if (input.endsOn < input.today)
      return fail("PAST", "La fin du bail ne peut pas être dans le passé.", { field: "endsOn", status: 422 });
    if (input.endsOn <= fromSqlDate(lease.startsOn))
      return fail("BEFORE_START", "La fin doit suivre le début du bail.", { field: "endsOn", status: 422 });
    if (input.endsOn > fromSqlDate(lease.endsOn))
      return fail("AFTER_END", "Un congé ne prolonge pas un bail : la date dépasse sa fin.", {
        field: "endsOn",
        status: 422,
      });
    const renewal = lease.renewedBy?.status === "ACTIVE" ? lease.renewedBy : null;
    const leaseIds = renewal ? [lease.id, renewal.id] : [lease.id];
    // The instalments are locked, so invoicing (which locks each one) cannot slip in between the check and the cut.
    await tx.$queryRaw`SELECT 1 FROM "RentInstalment" WHERE "leaseId" IN (${Prisma.join(leaseIds)}) FOR UPDATE`;
    if (
      renewal &&
      (await tx.rentInstalment.count({ where: { leaseId: renewal.id, status: { in: ["INVOICED", "PAID"] } } })) > 0
    ) {
      return fail(
        "RENEWED",
        `Ce bail est renouvelé à partir du ${formatDate(renewal.startsOn)}, déjà facturé : donnez le congé sur le renouvellement.`,
        { field: "endsOn", status: 409 },
      );
    }
    const billed = await tx.rentInstalment.findFirst({
      where: { leaseId: lease.id, status: { in: ["INVOICED", "PAID"] }, periodEnd: { gt: toSqlDate(input.endsOn) } },
      orderBy: { periodEnd: "desc" },
    });
    if (billed) {
      return fail(
        "BILLED",
        `Cette date coupe une période déjà facturée : choisissez une fin au ${formatDate(billed.periodEnd)} ou après (ou annulez d'abord la facture par un avoir).`,
        { field: "endsOn", status: 422 },
      );
    }
    if (renewal) {
      await tx.lease.update({
        where: { id: renewal.id },
        data: { status: "WITHDRAWN", endNoticeOn: toSqlDate(input.today), endReason: input.reason.trim() },
      });
      await tx.rentInstalment.updateMany({
        where: { leaseId: renewal.id, status: "SCHEDULED" },
        data: { status: "CANCELLED" },
      });
    }
    const endsOn = toSqlDate(input.endsOn);
    const updated = await tx.lease.update({
      where: { id: lease.id },
      data: { endsOn, endNoticeOn: toSqlDate(input.today), endReason: input.reason.trim() },
    });
    await tx.rentInstalment.updateMany({
      where: { leaseId: lease.id, status: "SCHEDULED", periodStart: { gte: endsOn } },
      data: { status: "CANCELLED" },
    });
    const cut = await tx.rentInstalment.findFirst({
      where: { leaseId: lease.id, status: "SCHEDULED", periodStart: { lt: endsOn }, periodEnd: { gt: endsOn } },
    });
    if (cut) {
      const start = fromSqlDate(cut.periodStart);
      const amountCents = divRoundHalfUp(
        cut.amountCents * daysBetween(start, input.endsOn),
        daysBetween(start, fromSqlDate(cut.periodEnd)),
      );
      await tx.rentInstalment.updateMany({
        where: { id: cut.id, status: "SCHEDULED" },
        data: { periodEnd: endsOn, amountCents },
      });
    }
    return ok(updated);
  });
}

/** Leases whose end has passed are ENDED (the sweeper). */
export function endFinishedLeases(tx: Client, today: IsoDate) {
  return tx.lease.updateMany({
    where: { status: "ACTIVE", endsOn: { lte: toSqlDate(today) } },
    data: { status: "ENDED" },
  });
}

export type IndexationLine = {
  leaseId: string;
  plotCode: string;
  holder: string;
  currentCents: number;
  previousIndex: number;
  newCents: number;
  effectiveOn: IsoDate;
};

/** What a new index would do to each running lease's rent, before it applies. */
export async function previewIndexation(tx: Client, input: { poleId: string; year: number; today: IsoDate }) {
  const index = await tx.farmRentIndex.findUnique({
    where: { poleId_year: { poleId: input.poleId, year: input.year } },
  });
  if (!index) return null;
  const leases = await tx.lease.findMany({
    where: {
      poleId: input.poleId,
      status: "ACTIVE",
      endsOn: { gt: toSqlDate(input.today) },
      indexYear: { lt: input.year },
    },
    include: withPlotAndHolder,
    orderBy: { plot: { code: "asc" } },
  });
  const lines: IndexationLine[] = leases
    .map((l) => ({
      leaseId: l.id,
      plotCode: l.plot.code,
      holder: l.holder.name,
      currentCents: l.yearlyRentCents,
      previousIndex: l.indexValue,
      newCents: indexedRent(l.yearlyRentCents, l.indexValue, index.value),
      effectiveOn: nextAnniversary(fromSqlDate(l.startsOn), input.today),
      endsOn: fromSqlDate(l.endsOn),
    }))
    // A lease that ends before its next anniversary keeps its rent; its renewal is indexed when it begins.
    .filter((l) => l.effectiveOn < l.endsOn)
    .map(({ endsOn: _, ...line }) => line);
  return { index, lines };
}

/**
 * The first anniversary of a lease's start after a date: when a new index reaches its rent. The lease year under
 * way (whose instalment may be invoiced already) keeps its rent, and a lease's first year keeps the rent agreed.
 */
export function nextAnniversary(startsOn: IsoDate, after: IsoDate): IsoDate {
  let years = Math.max(1, Number(after.slice(0, 4)) - Number(startsOn.slice(0, 4)) - 1);
  while (addMonths(startsOn, 12 * years) <= after) years++;
  return addMonths(startsOn, 12 * years);
}

/**
 * Applies the index of a year: rent × new ÷ previous index for each running lease not yet indexed on it, from
 * the lease's next anniversary (the current lease year keeps its rent); the instalments of the periods from then
 * on follow. Once per lease and index year; the index row is locked, so two staff applying at once apply once.
 */
export async function applyIndexation(
  client: Client,
  input: { poleId: string; year: number; staffId: string; today: IsoDate },
): Promise<Result<{ changed: number }>> {
  return inTransaction(client, async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "FarmRentIndex" WHERE "poleId" = ${input.poleId} AND "year" = ${input.year} FOR UPDATE`;
    const preview = await previewIndexation(tx, input);
    if (!preview) return fail("NO_INDEX", `Saisissez d'abord l'indice ${input.year}.`, { field: "year", status: 422 });
    for (const line of preview.lines) {
      await tx.leaseRentChange.create({
        data: {
          leaseId: line.leaseId,
          effectiveOn: toSqlDate(line.effectiveOn),
          previousCents: line.currentCents,
          newCents: line.newCents,
          previousIndex: line.previousIndex,
          newIndex: preview.index.value,
          indexYear: input.year,
          actorId: input.staffId,
        },
      });
      const lease = await tx.lease.update({
        where: { id: line.leaseId },
        data: { yearlyRentCents: line.newCents, indexValue: preview.index.value, indexYear: input.year },
      });
      await writeSchedule(tx, lease, line.effectiveOn);
    }
    return ok({ changed: preview.lines.length });
  });
}

const OVERDUE_GRACE_DAYS = 15;
const REMIND_EVERY_DAYS = 7;

/** Invoiced instalments unpaid more than 15 days after their due date. */
export function listOverdue(tx: Client, input: { poleId?: string; today: IsoDate }) {
  return tx.rentInstalment.findMany({
    where: {
      ...(input.poleId ? { poleId: input.poleId } : {}),
      status: "INVOICED",
      dueOn: { lt: toSqlDate(addDaysTo(input.today, -OVERDUE_GRACE_DAYS)) },
    },
    include: { lease: { include: withPlotAndHolder } },
    orderBy: { dueOn: "asc" },
  });
}

/** The sweeper: one reminder per overdue instalment each week, by email. */
export async function remindOverdue(db: Db, now: Date) {
  const today = parisDate(now);
  const cutoff = now.getTime() - REMIND_EVERY_DAYS * 86_400_000;
  const due = (await listOverdue(db, { today })).filter((i) => !i.remindedAt || i.remindedAt.getTime() <= cutoff);
  const [invoices, poles] = await Promise.all([
    db.invoice.findMany({ where: { id: { in: due.map((i) => i.invoiceId!) } }, select: { id: true, number: true } }),
    db.pole.findMany({
      where: { id: { in: [...new Set(due.map((i) => i.poleId))] } },
      select: { id: true, name: true },
    }),
  ]);
  const numberOf = new Map(invoices.map((i) => [i.id, i.number]));
  const poleName = new Map(poles.map((p) => [p.id, p.name]));
  const emails = [];
  for (const i of due) {
    // Claimed row by row: a sweep running twice reminds once.
    const { count } = await db.rentInstalment.updateMany({
      where: { id: i.id, remindedAt: i.remindedAt },
      data: { remindedAt: now },
    });
    if (count === 0) continue;
    emails.push({
      poleId: i.poleId,
      to: i.lease.holder.email,
      ...instalmentOverdueEmail({
        poleName: poleName.get(i.poleId)!,
        name: i.lease.holder.name,
        number: numberOf.get(i.invoiceId!)!,
        amount: formatCents(i.amountCents),
        due: formatDate(i.dueOn),
        url: `${appUrl()}/compte/terres`,
      }),
    });
  }
  return emails;
}
