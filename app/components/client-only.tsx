import { useEffect, useState, type ReactNode } from "react";

/**
 * Renders its children only in the browser, after hydration; the fallback on the server and before. For
 * widgets that need the DOM (FullCalendar), loaded from a `*.client.tsx` module the server build leaves empty.
 */
export function ClientOnly({ children, fallback = null }: { children: () => ReactNode; fallback?: ReactNode }) {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return <>{hydrated ? children() : fallback}</>;
}
