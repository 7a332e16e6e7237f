import type { LeaseKind } from "~/generated/prisma/enums";
import { toSqlDate } from "~/domain/ledger/dates";
import { formatFigure, reportDay, type AnnualActivity } from "~/domain/reporting/activity";

// Farm plots in the annual report (decision 025). A lease counts when it ran on a day of the period: accepted
// (ACTIVE, or ENDED since), offers never accepted left out. The surface is a snapshot on the period's last day;
// plots, tenants and leases are counted over the period, a renewal (an espace-test's second year) counting with the
// lease it renews when both fall in the period.

const hectares = (m2: number) => m2 / 10_000;

export const landActivity: AnnualActivity = async (tx, { poleId, from, to }) => {
  const last = toSqlDate(to);
  const [leases, plots] = await Promise.all([
    tx.lease.findMany({
      where: {
        poleId,
        status: { in: ["ACTIVE", "ENDED"] },
        startsOn: { lte: last },
        endsOn: { gt: toSqlDate(from) },
      },
      select: {
        id: true,
        plotId: true,
        holderId: true,
        kind: true,
        surfaceM2: true,
        startsOn: true,
        endsOn: true,
        renewalOfId: true,
      },
    }),
    tx.plot.aggregate({ where: { poleId, active: true }, _sum: { surfaceM2: true }, _count: { _all: true } }),
  ]);
  const ids = new Set(leases.map((l) => l.id));
  const tenancies = leases.filter((l) => !l.renewalOfId || !ids.has(l.renewalOfId));
  const ofKind = (kind: LeaseKind) => tenancies.filter((l) => l.kind === kind).length;
  const running = leases.filter((l) => l.startsOn <= last && l.endsOn > last);
  const leasedM2 = running.reduce((sum, l) => sum + l.surfaceM2, 0);
  const siteM2 = plots._sum.surfaceM2 ?? 0;
  const onLastDay = reportDay(to);
  return {
    figures: [
      {
        label: `Surface louée au ${onLastDay}`,
        value: hectares(leasedM2),
        format: "hectares",
        note: `sur ${formatFigure({ value: hectares(siteM2), format: "hectares" })} de parcelles`,
      },
      { label: "Parcelles louées", value: new Set(leases.map((l) => l.plotId)).size, format: "count" },
      { label: "Fermiers locataires", value: new Set(leases.map((l) => l.holderId)).size, format: "count" },
      { label: "Espaces-test", value: ofKind("ESPACE_TEST"), format: "count", note: "baux d'un an renouvelables" },
      { label: "Baux ruraux", value: ofKind("BAIL_RURAL"), format: "count", note: "baux longs, neuf ans et plus" },
      { label: "Conventions précaires", value: ofKind("CONVENTION_PRECAIRE"), format: "count" },
    ],
    summary:
      `${formatFigure({ value: plots._count._all, format: "count" })} parcelles au plan du site ; ` +
      `${formatFigure({ value: running.length, format: "count" })} baux en cours au ${onLastDay}.`,
  };
};
