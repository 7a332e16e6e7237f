import { useSyncExternalStore, type ReactNode } from "react";

const subscribe = () => () => {};

/**
 * True once React runs in the browser, false on the server and during hydration: the first browser render
 * matches the server's, then React renders again with true. Read from an external store rather than set by an
 * effect, so no render cascades from it.
 */
export function useHydrated() {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

/**
 * Renders its children only in the browser, after hydration; the fallback on the server and before. For
 * widgets that need the DOM (FullCalendar), loaded from a `*.client.tsx` module the server build leaves empty.
 */
export function ClientOnly({ children, fallback = null }: { children: () => ReactNode; fallback?: ReactNode }) {
  return <>{useHydrated() ? children() : fallback}</>;
}
