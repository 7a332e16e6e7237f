import { slotFreedEmail } from "~/emails/booking";
import { inTransaction, type Db } from "~/utils/db.server";
import { sendEmail } from "~/utils/email.server";
import { appUrl } from "~/utils/env.server";
import { bookingLabel } from "./describe";
import { parisParts, toHhmm } from "./time";
import { lapseStartedSlotWaits, slotFreed } from "./waitlist.server";

// The desks' part of the periodic sweep (registered in coworkingStream, run by the registry's sweeper): release
// lapsed holds, tell waiting lists about freed slots, lapse entries whose slot has begun. The Checkout pages of
// released holds are closed by the payments' sweep, which asks bookingPurpose. Each step is idempotent: a sweep
// that dies halfway is redone by the next.

export async function expireLapsedHolds(db: Db, now: Date) {
  return db.$executeRaw`UPDATE "Booking" SET "status" = 'EXPIRED', "updatedAt" = ${now} WHERE "status" = 'HELD' AND "holdExpiresAt" <= ${now}`;
}

/** Tells the waiting list about slots freed by cancelled or expired bookings (an outbox on the booking row). */
export async function notifyFreedSlots(db: Db, now: Date) {
  const freed = await db.booking.findMany({
    where: { freedNotifiedAt: null, status: { in: ["CANCELLED", "EXPIRED"] }, endsAt: { gt: now } },
    include: { resource: { include: { space: true } }, pole: { select: { name: true } } },
    orderBy: { updatedAt: "asc" },
    take: 200,
  });
  let sent = 0;
  const base = appUrl();
  for (const booking of freed) {
    const notified = await inTransaction(db, async (tx) => {
      const { count } = await tx.booking.updateMany({
        where: { id: booking.id, freedNotifiedAt: null },
        data: { freedNotifiedAt: now },
      });
      if (count === 0) return [];
      return slotFreed(tx, {
        resourceId: booking.resourceId,
        startsAt: booking.startsAt,
        endsAt: booking.endsAt,
        now,
      });
    });
    for (const entry of notified) {
      const start = parisParts(entry.startsAt!);
      const end = parisParts(entry.endsAt!);
      const url = `${base}/espaces/${booking.resource.slug}?jour=${start.date}&debut=${toHhmm(start.minutes)}&fin=${toHhmm(end.minutes)}#reserver`;
      const email = slotFreedEmail({
        poleName: booking.pole.name,
        name: entry.person.name,
        what: bookingLabel(booking.resource.name, entry.startsAt!, entry.endsAt!),
        url,
      });
      await sendEmail({ poleId: booking.poleId, to: entry.person.email, ...email }, db);
      sent++;
    }
  }
  return sent;
}

export async function sweepBookings(db: Db, now = new Date()) {
  const expired = await expireLapsedHolds(db, now);
  const notified = await notifyFreedSlots(db, now);
  const lapsed = await lapseStartedSlotWaits(db, now);
  return { expired, notified, lapsed };
}
