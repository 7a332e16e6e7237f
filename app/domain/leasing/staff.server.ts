import type { LeaseKind, Plot, Prisma } from "~/generated/prisma/client";
import { toSqlDate, type IsoDate } from "~/domain/ledger/dates";
import { fail, type Result } from "~/domain/result";
import { queueOf, waitingCount } from "~/domain/waitlist/index.server";
import type { Client } from "~/utils/db.server";
import { trainingPaths } from "./plot-path.server";
import { savePlot, type PlotInput } from "./admin.server";
import type { LandSettingsInput, RegisterStatus } from "./admin-schemas";
import { listApplications } from "./applications.server";
import { listOverdue } from "./leases.server";
import { plotsWithStatus } from "./plots.server";
import { readSitePlan } from "./site-plan.server";
import { boundsRefusal } from "./rules";
import { boundsFor } from "./terms.server";

// What only the back office reads or writes about the land: the overview's counts, the lease register with what
// is left unpaid, the overdue list with its invoices, who acted in a history, the site plan's shapes, the land
// settings of the pole.

/** The ids of the plot shapes drawn in the site plan ("parcelle-P01", …), in the file's order. */
export const siteShapeIds = () => readSitePlan().shapes.map((s) => s.id);

/** The site plan's shapes for the plot form, each with the code of the plot that uses it. */
export async function shapeChoices(tx: Client, poleId: string) {
  const plots = await tx.plot.findMany({ where: { poleId }, select: { code: true, shapeId: true } });
  const ids = siteShapeIds();
  const usedBy = new Map(plots.map((p) => [p.shapeId, p.code]));
  return ids.map((id) => ({ id, usedBy: usedBy.get(id) ?? null }));
}

/**
 * Saves a plot from the back office: its shape must be one of the site plan's, and its indicative rent per
 * hectare within this year's prefectoral bounds when the pole has entered them.
 */
export async function savePlotChecked(
  tx: Client,
  input: { poleId: string; plotId: string | null; data: PlotInput; today: IsoDate },
): Promise<Result<Plot>> {
  if (!siteShapeIds().includes(input.data.shapeId))
    return fail("UNKNOWN_SHAPE", "Choisissez une forme du plan du site.", { field: "shapeId", status: 422 });
  const year = Number(input.today.slice(0, 4));
  const bounds = await boundsFor(tx, input.poleId, year);
  const outside = bounds ? boundsRefusal(input.data.rentPerHectareCents, bounds, year) : null;
  if (outside) return outside;
  return savePlot(tx, { poleId: input.poleId, plotId: input.plotId, data: input.data });
}

/** The land's figures for the back office: plots by status, the queue, open offers, overdue instalments. */
export async function landOverview(tx: Client, input: { poleId: string; today: IsoDate; now: Date }) {
  const [plots, waiting, offers, overdue] = await Promise.all([
    plotsWithStatus(tx, { poleId: input.poleId, today: input.today, now: input.now, includeInactive: true }),
    waitingCount(tx, { poleId: input.poleId, kind: "PLOT" }),
    tx.lease.count({ where: { poleId: input.poleId, status: "OFFERED", offerExpiresAt: { gt: input.now } } }),
    listOverdue(tx, { poleId: input.poleId, today: input.today }),
  ]);
  const active = plots.filter((p) => p.active);
  const count = (status: string) => active.filter((p) => p.status === status).length;
  return {
    plots,
    counts: {
      free: count("FREE"),
      offered: count("OFFERED"),
      leased: count("LEASED"),
      waiting,
      offers,
      overdue: overdue.length,
      overdueCents: overdue.reduce((sum, i) => sum + i.amountCents, 0),
    },
  };
}

/** Overdue instalments with their invoice numbers. */
export async function overdueWithInvoices(tx: Client, input: { poleId: string; today: IsoDate }) {
  const rows = await listOverdue(tx, input);
  const invoices = await tx.invoice.findMany({
    where: { id: { in: rows.map((r) => r.invoiceId!).filter(Boolean) } },
    select: { id: true, number: true },
  });
  const numbers = new Map(invoices.map((i) => [i.id, i.number]));
  return rows.map((r) => ({ ...r, invoiceNumber: r.invoiceId ? (numbers.get(r.invoiceId) ?? null) : null }));
}

/** The lease register: leases and offers by status, kind, plot or holder, with what is invoiced and unpaid. */
export async function leaseRegister(
  tx: Client,
  input: {
    poleId: string;
    status: RegisterStatus;
    kind?: LeaseKind;
    plotId?: string;
    q?: string;
    today: IsoDate;
    page: number;
    pageSize: number;
  },
) {
  const today = toSqlDate(input.today);
  const running: Prisma.LeaseWhereInput = { status: "ACTIVE", endsOn: { gt: today } };
  const byStatus: Record<RegisterStatus, Prisma.LeaseWhereInput> = {
    LIVE: { OR: [running, { status: "OFFERED" }] },
    ACTIVE: running,
    OFFERED: { status: "OFFERED" },
    ENDED: { OR: [{ status: "ENDED" }, { status: "ACTIVE", endsOn: { lte: today } }] },
    CLOSED: { status: { in: ["DECLINED", "EXPIRED", "WITHDRAWN"] } },
    ALL: {},
  };
  const where: Prisma.LeaseWhereInput = {
    poleId: input.poleId,
    ...(input.kind ? { kind: input.kind } : {}),
    ...(input.plotId ? { plotId: input.plotId } : {}),
    AND: [
      byStatus[input.status],
      input.q
        ? {
            holder: {
              OR: [
                { name: { contains: input.q, mode: "insensitive" } },
                { email: { contains: input.q, mode: "insensitive" } },
              ],
            },
          }
        : {},
    ],
  };
  const [total, rows] = await Promise.all([
    tx.lease.count({ where }),
    tx.lease.findMany({
      where,
      include: {
        plot: { select: { id: true, code: true, name: true } },
        holder: { select: { id: true, name: true } },
        instalments: { where: { status: "INVOICED" }, select: { amountCents: true } },
      },
      orderBy: [{ plot: { code: "asc" } }, { startsOn: "desc" }],
      skip: (input.page - 1) * input.pageSize,
      take: input.pageSize,
    }),
  ]);
  return {
    total,
    rows: rows.map(({ instalments, ...lease }) => ({
      ...lease,
      unpaidCents: instalments.reduce((sum, i) => sum + i.amountCents, 0),
    })),
  };
}

/**
 * The applications as staff filter them, each with its place in the whole queue: listApplications numbers the
 * rows it returns, so a filtered list would start again at 1.
 */
export async function applicationsQueue(tx: Client, input: Parameters<typeof listApplications>[1]) {
  const [rows, queue] = await Promise.all([
    listApplications(tx, input),
    queueOf(tx, { poleId: input.poleId, kind: "PLOT" }),
  ]);
  const places = new Map(queue.map((e, i) => [e.id, i + 1]));
  const paths = await trainingPaths(tx, input.poleId, rows);
  return rows.map((r) => ({ ...r, position: places.get(r.entryId) ?? null, trainingPath: paths.get(r.id)! }));
}

/** The plots a list filters by, and the plot asked for in its URL when it is one of the pole's (else a notice). */
export async function plotFilter(tx: Client, poleId: string, asked: string | undefined) {
  const plots = await tx.plot.findMany({
    where: { poleId },
    orderBy: { code: "asc" },
    select: { id: true, code: true },
  });
  const known = !asked || plots.some((p) => p.id === asked);
  return {
    plots,
    plotId: known ? asked : undefined,
    notices: known ? [] : ["Cette parcelle n'existe pas : toutes les parcelles sont affichées."],
  };
}

/** Names of the people who acted in a history (staff, applicants), by id. */
export async function peopleNames(tx: Client, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  const people = wanted.length
    ? await tx.person.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } })
    : [];
  return Object.fromEntries(people.map((p) => [p.id, p.name])) as Record<string, string>;
}

/** The pole's land settings; the VAT option applies to offers made from now on. */
export function saveLandSettings(tx: Client, poleId: string, input: LandSettingsInput) {
  return tx.pole.update({
    where: { id: poleId },
    data: input,
    select: { offerDays: true, reconfirmMonths: true, reconfirmGraceDays: true, landRentVatOptIn: true },
  });
}
