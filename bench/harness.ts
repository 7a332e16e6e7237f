// What the benchmarks share: the database they run on (their own, created and dropped), timing by alternation
// against a reference measured in the same run, and the failing exit when a goal is missed.
import { performance } from "node:perf_hooks";
import { createFreshDatabase } from "../scripts/fresh-database";

export type BenchDatabase = Awaited<ReturnType<typeof createFreshDatabase>>;

export const benchMode = () => (process.env.DATABASE_URL ? "serveur PostgreSQL" : "PostgreSQL embarqué (PGlite)");

/**
 * A fresh, migrated database: a new one on the server of DATABASE_URL when it is set, an embedded in-memory
 * PostgreSQL (PGlite) otherwise — as in the tests.
 */
export const openBenchDatabase = (label: string) => createFreshDatabase(label);

/** The benchmarks' pole, for provisionPole: what a test pole gets, under a slug of the bench's choosing. */
export const benchPole = (slug: string, siren: string | null = null) => ({
  slug,
  name: `Pôle ${slug}`,
  legalName: `SCIC ${slug}`,
  siren,
  addressLine: "1 chemin des Champs",
  postalCode: "31450",
  city: "Montgiscard",
});

/** Drops it, unless BENCH_KEEP=1 asks to keep it up (server mode) to EXPLAIN by hand: its URL is printed. */
export async function closeBenchDatabase(database: BenchDatabase, serverMode: boolean) {
  if (process.env.BENCH_KEEP === "1" && serverMode) console.log(`Base conservée : ${database.url}`);
  else await database.drop();
}

export const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];

export const median = (values: number[]) =>
  quantile(
    [...values].sort((x, y) => x - y),
    0.5,
  );

/**
 * Warm-up, then `runs` interleaved runs of `fn` and its reference `baseline` (same conditions for both): the
 * median and 95th percentile of each, in milliseconds.
 */
export async function measure(
  fn: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
  options: { runs: number; warmup: number },
) {
  for (let i = 0; i < options.warmup; i++) {
    await fn();
    await baseline();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    let t = performance.now();
    await fn();
    a.push(performance.now() - t);
    t = performance.now();
    await baseline();
    b.push(performance.now() - t);
  }
  a.sort((x, y) => x - y);
  b.sort((x, y) => x - y);
  return { median: quantile(a, 0.5), p95: quantile(a, 0.95), baseMedian: quantile(b, 0.5), baseP95: quantile(b, 0.95) };
}

/** The report is printed whole; a missed goal then fails the run (npm run bench runs every bench, then fails). */
export function finish(missed: string[]) {
  if (missed.length === 0) return;
  console.error(`Objectif manqué : ${missed.join(" ; ")}.`);
  process.exitCode = 1;
}
