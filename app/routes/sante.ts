// GET /sante — the health check: "ok" as plain text, without touching the database. A load balancer's probe;
// also the bare Remix route the booking benchmark (bench/booking.bench.ts) measures the booking page against.
export const loader = () =>
  new Response("ok", { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
