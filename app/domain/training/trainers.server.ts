import type { Client } from "~/utils/db.server";

// What a trainer finds in Mon compte (decision 020): the sessions they train — upcoming, recent, and any older one
// not closed yet (its attendance may still need marking) — each leading to its attendance page and sheet.

/** How far back "recent" goes: sessions that ended within these days. */
const RECENT_DAYS = 60;

export async function trainerSessions(client: Client, input: { poleId: string; personId: string; now: Date }) {
  const since = new Date(input.now.getTime() - RECENT_DAYS * 86_400_000);
  const sessions = await client.trainingSession.findMany({
    where: {
      poleId: input.poleId,
      trainers: { some: { personId: input.personId } },
      OR: [{ status: { in: ["SCHEDULED", "CONFIRMED"] } }, { status: "DELIVERED", endsAt: { gte: since } }],
    },
    include: {
      course: { select: { title: true } },
      _count: { select: { registrations: { where: { status: "CONFIRMED" } } } },
    },
    orderBy: { startsAt: "asc" },
    take: 100,
  });
  const view = (s: (typeof sessions)[number]) => ({
    id: s.id,
    course: s.course.title,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    status: s.status,
    registered: s._count.registrations,
  });
  return {
    upcoming: sessions.filter((s) => s.endsAt > input.now).map(view),
    recent: sessions
      .filter((s) => s.endsAt <= input.now)
      .reverse()
      .map(view),
  };
}

/** Whether the person trains a session of the pole that is not cancelled (Mon compte then links to their sessions). */
export async function trainsSessions(client: Client, input: { poleId: string; personId: string }) {
  const one = await client.sessionTrainer.findFirst({
    where: { personId: input.personId, session: { poleId: input.poleId, status: { not: "CANCELLED" } } },
    select: { id: true },
  });
  return Boolean(one);
}
