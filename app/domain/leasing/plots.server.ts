import { toSqlDate, type IsoDate } from "~/domain/ledger/dates";
import type { Tx, Client } from "~/utils/db.server";

// The pole's plots as the map and the list show them: libre, proposée (an offer is open) or louée.

export type PlotStatus = "FREE" | "OFFERED" | "LEASED";
export const PLOT_STATUS_LABELS: Record<PlotStatus, string> = { FREE: "Libre", OFFERED: "Proposée", LEASED: "Louée" };

export async function plotsWithStatus(
  tx: Client,
  input: { poleId: string; today: IsoDate; now: Date; includeInactive?: boolean },
) {
  const plots = await tx.plot.findMany({
    where: { poleId: input.poleId, ...(input.includeInactive ? {} : { active: true }) },
    orderBy: { code: "asc" },
    include: {
      leases: {
        where: { status: { in: ["OFFERED", "ACTIVE"] }, endsOn: { gt: toSqlDate(input.today) } },
        orderBy: { startsOn: "asc" },
        select: {
          id: true,
          status: true,
          startsOn: true,
          endsOn: true,
          offerExpiresAt: true,
          kind: true,
          holderId: true,
        },
      },
    },
  });
  return plots.map((plot) => {
    const leased = plot.leases.find((l) => l.status === "ACTIVE");
    const offered = plot.leases.find((l) => l.status === "OFFERED" && l.offerExpiresAt! > input.now);
    const status: PlotStatus = leased ? "LEASED" : offered ? "OFFERED" : "FREE";
    return { ...plot, status, lease: leased ?? null };
  });
}

export type PlotWithStatus = Awaited<ReturnType<typeof plotsWithStatus>>[number];

export function findPlot(tx: Client, poleId: string, idOrCode: string) {
  return tx.plot.findFirst({ where: { poleId, OR: [{ id: idOrCode }, { code: idOrCode }] } });
}

/**
 * Every change to a plot's offers and leases (offering, answering, expiring, withdrawing) locks the plot first,
 * then the lease, then the waiting-list entry: one order everywhere, so two of them wait instead of deadlocking.
 * NO KEY UPDATE, so rows that merely reference the plot (a new application's choices) are not held up.
 */
export async function lockPlot(tx: Tx, plotId: string) {
  await tx.$queryRaw`SELECT 1 FROM "Plot" WHERE "id" = ${plotId} FOR NO KEY UPDATE`;
}
