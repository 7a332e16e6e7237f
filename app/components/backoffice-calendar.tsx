import { lazy, Suspense } from "react";
import type { BackofficeCalendarProps } from "./backoffice-calendar.client";
import { ClientOnly } from "./client-only";

// The FullCalendar week loads only in the browser, in its own chunk; the page's server-rendered list says the same.
const Calendar = lazy(() => import("./backoffice-calendar.client"));

export function BackofficeCalendar(props: BackofficeCalendarProps) {
  const pending = <p className="muted calendar-pending">Chargement du calendrier…</p>;
  return (
    <div className="staff-calendar">
      <ClientOnly fallback={pending}>
        {() => (
          <Suspense fallback={pending}>
            <Calendar {...props} />
          </Suspense>
        )}
      </ClientOnly>
    </div>
  );
}
