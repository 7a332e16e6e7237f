import type { Client } from "~/utils/db.server";

// From training to land (decision 020): a course may open the way to an espace-test lease. Leasing asks this one
// question through the training index and never reads the training tables.

export type PlotPathCompletion = { course: string; completedAt: Date; certificate: string };

/**
 * The courses opening the plot path that each person completed: a confirmed registration of a delivered session
 * whose attendance earned its certificate.
 */
export async function plotPathCompletions(
  client: Client,
  input: { poleId: string; personIds: string[] },
): Promise<Map<string, PlotPathCompletion[]>> {
  const rows = await client.registration.findMany({
    where: {
      poleId: input.poleId,
      personId: { in: input.personIds },
      status: "CONFIRMED",
      session: { status: "DELIVERED", course: { opensPlotPath: true } },
      certificate: { isNot: null },
    },
    select: {
      personId: true,
      session: { select: { endsAt: true, course: { select: { title: true } } } },
      certificate: { select: { number: true } },
    },
    orderBy: { session: { endsAt: "asc" } },
  });
  const byPerson = new Map<string, PlotPathCompletion[]>();
  for (const r of rows) {
    const list = byPerson.get(r.personId) ?? [];
    list.push({ course: r.session.course.title, completedAt: r.session.endsAt, certificate: r.certificate!.number });
    byPerson.set(r.personId, list);
  }
  return byPerson;
}
