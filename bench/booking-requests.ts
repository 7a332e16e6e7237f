// The requests of the booking write benchmark, built one by one inside autocannon's worker thread (it loads
// this module through a one-line CommonJS shim written by booking.bench.ts). The plan — session cookies, desks,
// days — comes through the environment, which the worker inherits when it starts.

export const PLAN_ENV = "BENCH_BOOKING_PLAN";

export type WritePlan = {
  /** In the idempotency keys (banc-<run>-<n>): tells this run's bookings apart in the database. */
  run: string;
  cookies: string[];
  slugs: string[];
  days: { date: string; close: string }[];
  seed: number;
};

/** Morning and afternoon (4 h each) or the whole day: a day overlaps both half-days. */
export function slotOf(part: number, close: string) {
  const closeMinutes = Number(close.slice(0, 2)) * 60 + Number(close.slice(3, 5));
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  if (part === 0) return { start: "08:30", end: "12:30" };
  if (part === 1) return { start: hhmm(closeMinutes - 240), end: close };
  return { start: "08:30", end: close };
}

/** mulberry32: a small seeded generator, so that every run draws the same sequence of slots. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const plan: WritePlan | null = process.env[PLAN_ENV] ? (JSON.parse(process.env[PLAN_ENV]!) as WritePlan) : null;
const random = seeded(plan?.seed ?? 1);
let sent = 0;

/** autocannon's setupRequest: each call is the next POST hold, by the next person, for a random desk-slot. */
export default function setupRequest(request: Record<string, unknown>) {
  if (!plan) throw new Error(`${PLAN_ENV} n'est pas défini.`);
  const n = sent++;
  const slug = plan.slugs[Math.floor(random() * plan.slugs.length)];
  const day = plan.days[Math.floor(random() * plan.days.length)];
  const { start, end } = slotOf(Math.floor(random() * 3), day.close);
  const body = new URLSearchParams({
    intent: "hold",
    idempotencyKey: `banc-${plan.run}-${n}`,
    date: day.date,
    start,
    end,
  }).toString();
  return {
    ...request,
    method: "POST",
    path: `/espaces/${slug}`,
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: plan.cookies[n % plan.cookies.length] },
    body,
  };
}
