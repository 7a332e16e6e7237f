import { underMinimumEmail } from "~/emails/training";
import { sendEmail } from "~/utils/email.server";
import type { Db } from "~/utils/db.server";
import { appUrl } from "~/utils/env.server";
import { sessionDates } from "./books.server";

// At its registration deadline a session's minimum is looked at, once (decision 020): reached, the session goes
// ahead; not reached, it is flagged and staff are told — they confirm or cancel it (nobody auto-cancels: the
// anchors' users hated courses vanishing overnight).

export async function reviewDeadlines(db: Db, now: Date) {
  const due = await db.trainingSession.findMany({
    where: { status: "SCHEDULED", registrationDeadline: { lte: now }, underMinimumAt: null, decidedAt: null },
    include: { course: true },
    take: 100,
  });
  let flagged = 0;
  for (const session of due) {
    const confirmed = await db.registration.count({ where: { sessionId: session.id, status: "CONFIRMED" } });
    if (confirmed >= session.minimum) {
      await db.trainingSession.updateMany({
        where: { id: session.id, status: "SCHEDULED", decidedAt: null },
        data: { status: "CONFIRMED", decidedAt: now },
      });
      continue;
    }
    // Claimed first, then told: a second run finds it flagged.
    const { count } = await db.trainingSession.updateMany({
      where: { id: session.id, underMinimumAt: null },
      data: { underMinimumAt: now },
    });
    if (count === 0) continue;
    flagged += 1;
    const pole = await db.pole.findUniqueOrThrow({ where: { id: session.poleId }, select: { name: true } });
    const staff = await db.membership.findMany({
      where: { poleId: session.poleId, role: { in: ["ADMIN", "STAFF"] } },
      include: { person: { select: { name: true, email: true } } },
    });
    for (const m of staff) {
      const email = underMinimumEmail({
        poleName: pole.name,
        name: m.person.name,
        url: `${appUrl()}/gestion/formations/sessions/${session.id}`,
        course: session.course.title,
        dates: sessionDates(session),
        seats: `${confirmed} inscription${confirmed > 1 ? "s" : ""} confirmée${confirmed > 1 ? "s" : ""} pour un minimum de ${session.minimum}`,
      });
      await sendEmail({ poleId: session.poleId, to: m.person.email, ...email }, db);
    }
  }
  return { flagged };
}
