import type { LoaderFunctionArgs } from "@remix-run/node";
import { bookingsCalendar, calendarBookings, findFeed } from "~/domain/booking/index.server";
import { db } from "~/utils/db.server";
import { appUrl } from "~/utils/env.server";
import { httpError } from "~/utils/http.server";

// /calendrier/<token>.ics — a person's bookings for calendar apps (no login: the token is the credential).
export async function loader({ params }: LoaderFunctionArgs) {
  const token = (params.feed ?? "").replace(/\.ics$/, "");
  const feed = token.length >= 20 ? await findFeed(db, token) : null;
  if (!feed) httpError(404, "Ce calendrier n'existe pas ou a été révoqué.");
  const bookings = await calendarBookings(db, { poleId: feed.poleId, personId: feed.personId, now: new Date() });
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
  });
  return new Response(ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'inline; filename="reservations.ics"',
      "Cache-Control": "private, max-age=300",
      "X-Robots-Tag": "noindex",
    },
  });
}
