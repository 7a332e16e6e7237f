import { AsyncLocalStorage } from "node:async_hooks";

// One store per HTTP request, opened by the HTTP server around Remix (app/http/express.server.ts). Remix hands
// each loader its own Request object, so a cache keyed on the Request misses; the async context reaches every
// loader and action of the request. The instance lives on globalThis because the server (run by tsx) and the
// Remix build each load their own copy of this module.
declare global {
  var __terrainCommunRequestScope: AsyncLocalStorage<Map<string, unknown>> | undefined;
}
const scope = (globalThis.__terrainCommunRequestScope ??= new AsyncLocalStorage<Map<string, unknown>>());

export function inRequestScope<T>(fn: () => T): T {
  return scope.run(new Map(), fn);
}

/** The value `make` gives, computed once per HTTP request; outside a request (tests calling a loader), null. */
export function requestMemo<T>(key: string, make: () => T): T | null {
  const store = scope.getStore();
  if (!store) return null;
  if (!store.has(key)) store.set(key, make());
  return store.get(key) as T;
}
