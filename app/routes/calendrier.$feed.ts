import type { LoaderFunctionArgs } from "@remix-run/node";
import { bookingsCalendar, calendarBookings, findFeed } from "~/domain/booking/index.server";
import { calendarTrainingParts } from "~/domain/training/index.server";
import { db } from "~/utils/db.server";
import { appUrl } from "~/utils/env.server";
import { formatDate } from "~/utils/format";
import { httpError } from "~/utils/http.server";

// /calendrier/<token>.ics — a person's bookings and training sessions for calendar apps (no login: the token is
// the credential). Each stream reads its own; the feed merges them (the booking module knows nothing of trainings).
export async function loader({ params }: LoaderFunctionArgs) {
  const token = (params.feed ?? "").replace(/\.ics$/, "");
  const feed = token.length >= 20 ? await findFeed(db, token) : null;
  if (!feed) httpError(404, "Ce calendrier n'existe pas ou a été révoqué.");
  const now = new Date();
  const who = { poleId: feed.poleId, personId: feed.personId, now };
  const [bookings, parts] = await Promise.all([calendarBookings(db, who), calendarTrainingParts(db, who)]);
  const ics = bookingsCalendar({
    pole: feed.pole,
    url: `${appUrl()}/compte`,
    bookings: bookings.map((b) => ({
      id: b.id,
      startsAt: b.startsAt,
      endsAt: b.endsAt,
      status: b.status,
      resourceName: b.resource.name,
      spaceName: b.resource.space.name,
      updatedAt: b.updatedAt,
    })),
    events: parts.map((p) => ({
      id: p.id,
      startsAt: p.startsAt,
      endsAt: p.endsAt,
      summary: `Formation — ${p.course}${p.part ? ` (${p.part})` : ""} — ${feed.pole.name}`,
      location: `${p.room}, ${p.space}`,
      description: p.cancelled
        ? "Inscription ou session annulée."
        : `Formation « ${p.course} », ${formatDate(p.startsAt, "time")}–${formatDate(p.endsAt, "time")}. Inscription confirmée.`,
      cancelled: p.cancelled,
      updatedAt: p.updatedAt,
      url: `${appUrl()}/compte/formations/${p.registrationId}`,
    })),
  });
  return new Response(ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'inline; filename="agenda.ics"',
      "Cache-Control": "private, max-age=300",
      "X-Robots-Tag": "noindex",
    },
  });
}
