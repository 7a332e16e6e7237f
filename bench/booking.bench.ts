// npm run bench:booking — the booking paths, three goals (issue 5); the process exits non-zero when one is missed,
// after the whole report.
//
// 1. Availability: the app's own query (busyRanges, and weekAvailability around it) for one resource-week, on a
//    Booking table of 10³ rows and on one of 10⁶ rows (many resources, ten years, every status), alternated
//    run by run. Goal: median(10⁶) ÷ median(10³) ≤ 1.5. The plan is printed: the GiST index of the exclusion
//    constraint "Booking_no_overlap" must answer it.
// 2. Writes: the real HTTP server (createHttpApp around the built Remix app, in this process) on a fresh
//    database with many desks and users; 50 connections on loopback (autocannon, in its own worker thread) post
//    holds, each by the next of 500 people for a random desk × weekday × {morning, afternoon, whole day} among
//    100 desks × 20 days, so about a quarter overlap an earlier one and are refused with 409, which is a valid
//    answer. Goal: p99 < 20 ms, no error (anything else than 2xx, 3xx or 409, or a connection error), no
//    overlapping live bookings afterwards (checked in SQL), one booking per 302. Also measured, for information:
//    half the saturated rate, one connection, the SQL statements each request sends.
// 3. Booking page (GET /espaces/<desk>, logged in) throughput as a ratio of the bare route GET /sante, same
//    server, connections and duration, alternated. Goal: ≥ 0.5. Also measured: the page's data alone (?_data)
//    and the smallest HTML page (GET /connexion, anonymous), to tell loaders from rendering.
//
// DATABASE_URL set: its databases are created on that server (and dropped at the end); unset: embedded PGlite.
// Needs the Remix build: it runs `npm run build` when build/ is missing or older than app/. BENCH_PROFILE=1
// adds a CPU profile of the server during writes and page loads; BENCH_BOOKINGS, BENCH_WRITES, BENCH_SECONDS
// and BENCH_RUNS shrink the run while working on it.
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import autocannon from "autocannon";
import pg from "pg";
import { PLAN_ENV, slotOf, type WritePlan } from "./booking-requests";
import { profiled } from "./cpu-profile";
import {
  benchMode,
  benchPole,
  closeBenchDatabase,
  finish,
  measure,
  median,
  openBenchDatabase,
  type BenchDatabase,
} from "./harness";
import { isoDate } from "~/domain/ledger/dates";

const SMALL = 1_000;
const LARGE = Number(process.env.BENCH_BOOKINGS ?? 1_000_000);
const BIG = LARGE === 1_000_000 ? "10⁶" : LARGE.toLocaleString("fr-FR");
const RESOURCES = 400;
const PEOPLE = 1_000;
const BATCH = 100_000;
const QUERY_RUNS = Number(process.env.BENCH_RUNS ?? 300);
const QUERY_WARMUP = 30;
const CONNECTIONS = 50;
const DESKS = 100;
const USERS = 500;
const WRITES = Number(process.env.BENCH_WRITES ?? 2_000);
const WRITE_DAYS = 20;
const PAGE_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = 3;
const GOAL_QUERY_RATIO = 1.5;
const GOAL_P99_MS = 20;
const GOAL_PAGE_RATIO = 0.5;

// ─── Build ────────────────────────────────────────────────────────────────────────────────────────────────────

const BUILD = path.resolve("build/server/index.js");

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** The server runs the built app: build it when there is no build or a source is newer than it. */
function ensureBuild() {
  const built = existsSync(BUILD) ? statSync(BUILD).mtimeMs : 0;
  const sources = Math.max(newestChange(path.resolve("app")), statSync(path.resolve("remix.config.js")).mtimeMs);
  if (built >= sources) return;
  console.log(
    built ? "La construction est plus ancienne que app/ : npm run build…" : "Pas de construction : npm run build…",
  );
  const run = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  if (run.status !== 0) throw new Error("npm run build a échoué : le banc d'essai a besoin de build/server/index.js.");
}

// ─── 1. Availability over 10³ and 10⁶ bookings ────────────────────────────────────────────────────────────────

// The measured resource-week: the same nine rows in both tables (every status, a re-booking over a cancelled
// slot, a lapsed hold not swept yet, a closure); six of them are busy.
const TARGET = { resourceId: "bench-res-0", monday: "2027-03-15", now: "2027-03-10T12:00:00+01:00" };
const TARGET_ROWS: {
  id: string;
  day: number;
  start: string;
  end: string;
  status: string;
  kind?: "CLOSURE";
  hold?: "live" | "lapsed";
  busy: boolean;
}[] = [
  { id: "cible-1", day: 0, start: "08:30", end: "12:30", status: "CONFIRMED", busy: true },
  { id: "cible-2", day: 0, start: "14:30", end: "18:30", status: "CANCELLED", busy: false },
  { id: "cible-3", day: 0, start: "14:30", end: "18:30", status: "CONFIRMED", busy: true },
  { id: "cible-4", day: 1, start: "08:30", end: "18:30", status: "CONFIRMED", busy: true },
  { id: "cible-5", day: 2, start: "08:30", end: "12:30", status: "HELD", hold: "live", busy: true },
  { id: "cible-6", day: 2, start: "14:30", end: "18:30", status: "HELD", hold: "lapsed", busy: false },
  { id: "cible-7", day: 3, start: "08:30", end: "12:30", status: "EXPIRED", hold: "lapsed", busy: false },
  { id: "cible-8", day: 3, start: "08:30", end: "12:30", status: "AWAITING_PAYMENT", busy: true },
  { id: "cible-9", day: 4, start: "08:30", end: "17:30", status: "CONFIRMED", kind: "CLOSURE", busy: true },
];

// Resource r's k-th booking: weekday k/2 of its own stretch of weeks (four stretches, 2019–2028), morning or
// afternoon; statuses mixed along k: 68 % confirmed, 12 % cancelled, 10 % expired holds, 4 % awaiting
// payment, 3 % holds, 3 % closures. A resource's rows never overlap, so the constraint accepts them all.
const GENERATED_SQL = `
  INSERT INTO "Booking" ("id","poleId","resourceId","kind","personId","startsAt","endsAt","status","holdExpiresAt","priceCents",
                         "memberRate","idempotencyKey","reason","confirmedAt","cancelledAt","createdAt","updatedAt")
  SELECT 'bench-' || g, $1, 'bench-res-' || r, (CASE WHEN h >= 97 THEN 'CLOSURE' ELSE 'BOOKING' END)::"BookingKind",
         CASE WHEN h < 97 THEN 'bench-p-' || (g % ${PEOPLE}) END, s, e,
         (CASE WHEN h < 68 OR h >= 97 THEN 'CONFIRMED' WHEN h < 80 THEN 'CANCELLED' WHEN h < 90 THEN 'EXPIRED'
               WHEN h < 94 THEN 'AWAITING_PAYMENT' ELSE 'HELD' END)::"BookingStatus",
         CASE WHEN h >= 80 AND h < 90 OR h >= 94 AND h < 97 THEN s - interval '3 days' + interval '10 minutes' END,
         CASE WHEN h >= 97 THEN 0 WHEN k % 2 = 0 THEN 1200 ELSE 1800 END, h % 2 = 0, 'bench-' || g,
         CASE WHEN h >= 97 THEN 'Maintenance' END,
         CASE WHEN h < 68 THEN s - interval '2 days' END, CASE WHEN h >= 68 AND h < 80 THEN s - interval '1 day' END,
         s - interval '3 days', s - interval '3 days'
  FROM generate_series($2::int, $3::int) g
  CROSS JOIN LATERAL (SELECT g % ${RESOURCES} AS r, g / ${RESOURCES} AS k) a
  CROSS JOIN LATERAL (SELECT (k * 37 + r * 61) % 100 AS h,
                             DATE '2019-01-07' + ((r % 4) * 78 + (k / 2) / 5) * 7 + (k / 2) % 5 AS d) b
  CROSS JOIN LATERAL (SELECT (d + CASE WHEN k % 2 = 0 THEN TIME '08:30' ELSE TIME '14:00' END) AT TIME ZONE 'Europe/Paris' AS s,
                             (d + CASE WHEN k % 2 = 0 THEN TIME '12:30' ELSE TIME '18:00' END) AT TIME ZONE 'Europe/Paris' AS e) c
  WHERE NOT (r = 0 AND d BETWEEN DATE '${TARGET.monday}' AND DATE '${TARGET.monday}' + 6)`;

// busyRanges' SQL, for EXPLAIN with the same parameters.
const BUSY_SQL = `SELECT "id", "startsAt", "endsAt", "kind", "personId" FROM "Booking"
    WHERE "resourceId" = $1
      AND "status" IN ('HELD', 'AWAITING_PAYMENT', 'CONFIRMED')
      AND tstzrange("startsAt", "endsAt", '[)') && tstzrange($2::timestamptz, $3::timestamptz, '[)')
      AND NOT ("status" = 'HELD' AND "holdExpiresAt" <= $4::timestamptz)
    ORDER BY "startsAt"`;

async function fillBookings(url: string, poleId: string, spaceId: string, rows: number, label: string, lanes: number) {
  const connect = async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return client;
  };
  const client = await connect();
  const clients = [client];
  const started = performance.now();
  try {
    await client.query(
      `INSERT INTO "Resource" ("id","poleId","spaceId","slug","kind","name","updatedAt")
       SELECT 'bench-res-' || n, $1, $2, 'ressource-' || n, (CASE WHEN n % 5 = 4 THEN 'ROOM' ELSE 'DESK' END)::"ResourceKind", 'Ressource ' || n, now()
       FROM generate_series(0, ${RESOURCES - 1}) n`,
      [poleId, spaceId],
    );
    await client.query(
      `INSERT INTO "Person" ("id","email","name","passwordHash","updatedAt")
       SELECT 'bench-p-' || n, 'personne-' || n || '@banc.test', 'Personne ' || n, 'x', now() FROM generate_series(0, ${PEOPLE - 1}) n`,
    );
    for (const [i, t] of TARGET_ROWS.entries()) {
      const closure = t.kind === "CLOSURE";
      await client.query(
        `INSERT INTO "Booking" ("id","poleId","resourceId","kind","personId","startsAt","endsAt","status","holdExpiresAt","priceCents","idempotencyKey","reason","updatedAt")
         VALUES ($1, $2, $3, $4::"BookingKind", $5, ($6::date + $13::int + $7::time) AT TIME ZONE 'Europe/Paris', ($6::date + $13::int + $8::time) AT TIME ZONE 'Europe/Paris',
                 $9::"BookingStatus", $10::timestamptz, $11, $1, $12, now())`,
        [
          t.id,
          poleId,
          TARGET.resourceId,
          closure ? "CLOSURE" : "BOOKING",
          closure ? null : `bench-p-${i + 1}`,
          TARGET.monday,
          t.start,
          t.end,
          t.status,
          t.hold ? new Date(new Date(TARGET.now).getTime() + (t.hold === "live" ? 5 : -60) * 60_000) : null,
          closure ? 0 : 1200,
          closure ? "Entretien" : null,
          t.day,
        ],
      );
    }
    // Generated rows until the table holds exactly `rows` (the target resource-week is skipped, so a last short
    // round tops up), in batches over `lanes` connections (a server has a backend per connection). They are
    // right by construction: the foreign keys' triggers are skipped while they go in (as a restore does); the
    // checks, the indexes and the exclusion constraint work on every row as in production.
    while (clients.length < lanes) clients.push(await connect());
    for (const lane of clients) await lane.query("SET session_replication_role = replica");
    let count = TARGET_ROWS.length;
    let next = 1;
    while (count < rows) {
      const ranges: [number, number][] = [];
      for (let missing = rows - count; missing > 0; missing -= BATCH) {
        const size = Math.min(BATCH, missing);
        ranges.push([next, next + size - 1]);
        next += size;
      }
      await Promise.all(
        clients.map(async (lane) => {
          for (let range = ranges.shift(); range; range = ranges.shift()) {
            const inserted = await lane.query(GENERATED_SQL, [poleId, ...range]);
            count += inserted.rowCount ?? 0;
            if (rows > BATCH) process.stdout.write(`\r  ${label} : ${count.toLocaleString("fr-FR")} réservations…`);
          }
        }),
      );
    }
    if (rows > BATCH) process.stdout.write("\n");
    for (const lane of clients) await lane.query("SET session_replication_role = DEFAULT");
    const insertMs = performance.now() - started;
    await client.query(`VACUUM ANALYZE "Booking"`);
    const stats = await client.query<{ rows: string; resources: string; first: Date; last: Date; live: string }>(
      `SELECT count(*) AS rows, count(DISTINCT "resourceId") AS resources, min("startsAt") AS first, max("startsAt") AS last,
              count(*) FILTER (WHERE "status" IN ('HELD','AWAITING_PAYMENT','CONFIRMED')) AS live FROM "Booking"`,
    );
    return { ...stats.rows[0], insertMs, totalMs: performance.now() - started };
  } finally {
    for (const lane of clients) await lane.end();
  }
}

async function explain(url: string, params: unknown[]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const plan = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${BUSY_SQL}`, params);
    return plan.rows.map((r) => r["QUERY PLAN"] as string).join("\n");
  } finally {
    await client.end();
  }
}

type Row = Record<string, string>;

async function availabilityBench(
  small: BenchDatabase,
  large: BenchDatabase,
  serverMode: boolean,
  missed: string[],
  table: Row[],
) {
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { PrismaClient } = await import("~/generated/prisma/client");
  const { busyRanges, weekAvailability } = await import("~/domain/booking/availability.server");
  const { parisInstant, addDays } = await import("~/domain/booking/time");
  const { provisionPole } = await import("~/domain/identity/index.server");
  const { provisionSpace } = await import("~/domain/booking/index.server");

  const clients = {
    small: new PrismaClient({ adapter: new PrismaPg({ connectionString: small.url, max: 2 }) }),
    large: new PrismaClient({ adapter: new PrismaPg({ connectionString: large.url, max: 2 }) }),
  };
  try {
    const seeded: Record<"small" | "large", Awaited<ReturnType<typeof fillBookings>>> = {} as never;
    for (const [size, database, rows] of [
      ["small", small, SMALL],
      ["large", large, LARGE],
    ] as const) {
      const { pole } = await provisionPole(clients[size], { profile: benchPole("pole-banc") });
      const space = await provisionSpace(clients[size], { poleId: pole.id, slug: "espace-banc", name: "Espace banc" });
      seeded[size] = await fillBookings(
        database.url,
        pole.id,
        space.id,
        rows,
        size === "large" ? BIG : "10³",
        serverMode ? 2 : 1,
      );
      const s = seeded[size];
      console.log(
        `Table Booking ${size === "large" ? BIG : "10³"} : ${Number(s.rows).toLocaleString("fr-FR")} lignes (${Number(s.live).toLocaleString("fr-FR")} vivantes) sur ${s.resources} ressources, du ${s.first.toISOString().slice(0, 10)} au ${s.last.toISOString().slice(0, 10)} ; insertion ${(s.insertMs / 1000).toFixed(1)} s, VACUUM ANALYZE compris ${(s.totalMs / 1000).toFixed(1)} s`,
      );
    }

    const from = parisInstant(isoDate(TARGET.monday), 0);
    const to = parisInstant(addDays(isoDate(TARGET.monday), 7), 0);
    const now = new Date(TARGET.now);
    const query = (size: "small" | "large") => () =>
      busyRanges(clients[size], { resourceId: TARGET.resourceId, from, to, now });
    const loaded = async (size: "small" | "large") => {
      const resource = await clients[size].resource.findUniqueOrThrow({ where: { id: TARGET.resourceId } });
      const pole = await clients[size].pole.findFirstOrThrow();
      return () => weekAvailability(clients[size], { resource, pole, monday: isoDate(TARGET.monday), now });
    };
    const week = { small: await loaded("small"), large: await loaded("large") };

    // Both tables give the same answer, the expected one.
    const expected = TARGET_ROWS.filter((t) => t.busy)
      .map((t) => t.id)
      .sort()
      .join(",");
    for (const size of ["small", "large"] as const) {
      const got = (await query(size)())
        .map((b) => b.id)
        .sort()
        .join(",");
      if (got !== expected) throw new Error(`busyRanges (${size}) rend ${got}, attendu ${expected}.`);
    }
    if (JSON.stringify(await week.small()) !== JSON.stringify(await week.large()))
      throw new Error("weekAvailability diffère entre les deux tables.");
    console.log(
      `Même réponse sur les deux tables : ${expected.split(",").length} créneaux pris sur ${TARGET_ROWS.length} lignes de la semaine.`,
    );

    const options = { runs: QUERY_RUNS, warmup: QUERY_WARMUP };
    for (const [name, m] of [
      [
        "busyRanges (requête de disponibilité, 1 ressource × 1 semaine)",
        await measure(query("large"), query("small"), options),
      ],
      ["weekAvailability (la semaine calculée autour)", await measure(week.large, week.small, options)],
    ] as const) {
      const ratio = m.median / m.baseMedian;
      const ok = ratio <= GOAL_QUERY_RATIO;
      if (!ok) missed.push(`${name} : ratio ${ratio.toFixed(2)}`);
      table.push({
        mesure: name,
        "10³ lignes": `${m.baseMedian.toFixed(2)} ms (p95 ${m.baseP95.toFixed(2)})`,
        [`${BIG} lignes`]: `${m.median.toFixed(2)} ms (p95 ${m.p95.toFixed(2)})`,
        résultat: `ratio ${ratio.toFixed(2)}`,
        objectif: `≤ ${GOAL_QUERY_RATIO}`,
        verdict: ok ? "OK" : "MANQUÉ",
      });
    }
    console.log(`${QUERY_RUNS} mesures après ${QUERY_WARMUP} tours de chauffe, ${BIG} et 10³ en alternance.`);

    const params = [TARGET.resourceId, from, to, now];
    const plans = { small: await explain(small.url, params), large: await explain(large.url, params) };
    console.log(`\nEXPLAIN ANALYZE de busyRanges, table de ${BIG} lignes :\n${plans.large}`);
    console.log(`\nEXPLAIN ANALYZE de busyRanges, table de 10³ lignes :\n${plans.small}`);
    if (!plans.large.includes("Booking_no_overlap"))
      missed.push(`la requête de disponibilité n'utilise pas l'index GiST Booking_no_overlap sur ${BIG} lignes`);
  } finally {
    await clients.small.$disconnect();
    await clients.large.$disconnect();
  }
}

// ─── 2 and 3. The real HTTP server ────────────────────────────────────────────────────────────────────────────

type Load = {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  total: number;
  codes: Record<string, number>;
  errors: number;
  bad: number;
  seconds: number;
};

// autocannon's worker thread loads setupRequest with require(): a CommonJS shim hands it the typed module's
// default export (tsx's hooks are inherited by the worker).
function requestShim() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "banc-reservations-"));
  const file = path.join(dir, "setup-request.cjs");
  const target = fileURLToPath(new URL("./booking-requests.ts", import.meta.url));
  writeFileSync(file, `module.exports = require(${JSON.stringify(target)}).default;\n`);
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

async function load(label: string, options: autocannon.Options, accepted: (status: number) => boolean): Promise<Load> {
  const result = await autocannon({ connections: CONNECTIONS, workers: 1, timeout: 30, ...options });
  const codes = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0]),
  );
  const bad = Object.entries(codes)
    .filter(([code]) => !accepted(Number(code)))
    .reduce((s, [, n]) => s + n, 0);
  const total = Object.values(codes).reduce((s, n) => s + n, 0);
  const seconds = result.duration;
  return {
    label,
    rps: total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total,
    codes,
    errors: result.errors,
    bad,
    seconds,
  };
}

/** The SQL statements one HTTP request sends (the app's pg driver is this process's). */
async function statementsOf(request: () => Promise<unknown>) {
  const statements: string[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const sql = args[0] as string | { text?: string };
    statements.push((typeof sql === "string" ? sql : (sql?.text ?? "?")).replace(/\s+/g, " ").trim());
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await request();
  } finally {
    pg.Client.prototype.query = original;
  }
  return statements;
}

const describe = (l: Load) =>
  `${Math.round(l.rps)} req/s, p50 ${l.p50} ms, p99 ${l.p99} ms, ${l.total} réponses ${JSON.stringify(l.codes)}, ${l.errors} erreurs de connexion`;

async function httpBench(missed: string[], table: Row[], info: Row[]) {
  const { db } = await import("~/utils/db.server");
  const { createSession, provisionOrganisation, provisionPole } = await import("~/domain/identity/index.server");
  const { provisionResource, provisionSpace } = await import("~/domain/booking/index.server");
  const { sessionStorage } = await import("~/utils/session.server");
  const { hoursOf } = await import("~/domain/booking/catalogue.server");
  const { addDays, weekdayOf } = await import("~/domain/booking/time");
  const { parisDate } = await import("~/domain/ledger/dates");
  const { createHttpApp } = await import("~/http/express.server");
  const build = (await import(pathToFileURL(BUILD).href)) as ServerBuild;

  // A pole with many desks and people, each with a session.
  const started = performance.now();
  const { pole } = await provisionPole(db, { profile: benchPole("pole-banc") });
  const organisation = await provisionOrganisation(db, { poleId: pole.id, name: "Coopérative membre", isMember: true });
  const slugs: string[] = [];
  for (let s = 0; s < 4; s++) {
    const space = await provisionSpace(db, { poleId: pole.id, slug: `espace-${s}`, name: `Plateau ${s + 1}` });
    for (let d = s; d < DESKS; d += 4)
      slugs.push(
        (
          await provisionResource(db, {
            poleId: pole.id,
            spaceId: space.id,
            kind: "DESK",
            slug: `poste-${d}`,
            name: `Poste ${d}`,
          })
        ).slug,
      );
  }
  // The cookie a login would set, without the login's argon2 check for each of the people.
  const sessionCookie = async (personId: string) => {
    const session = await sessionStorage().getSession();
    session.set("sessionId", (await createSession(db, personId, new Date())).id);
    return (await sessionStorage().commitSession(session)).split(";")[0];
  };
  slugs.sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
  await db.$executeRawUnsafe(
    `INSERT INTO "Person" ("id","email","name","passwordHash","updatedAt")
     SELECT 'bench-u-' || n, 'usager-' || n || '@banc.test', 'Usager ' || n, 'x', now() FROM generate_series(0, ${USERS - 1}) n`,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO "Membership" ("id","poleId","personId","organisationId","updatedAt")
     SELECT 'bench-m-' || n, $1, 'bench-u-' || n, CASE WHEN n % 3 = 0 THEN $2 END, now() FROM generate_series(0, ${USERS - 1}) n`,
    pole.id,
    organisation.id,
  );
  const cookies: string[] = [];
  for (let n = 0; n < USERS; n += 25)
    cookies.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(25, USERS - n) }, (_, i) => sessionCookie(`bench-u-${n + i}`)),
      )),
    );

  // Open weekdays from tomorrow: pools for the warm-up, the measured run, the paced run, the checks.
  const hours = hoursOf({ openingHours: null }, pole);
  const days: WritePlan["days"] = [];
  for (let date = addDays(parisDate(new Date()), 1); days.length < 82; date = addDays(date, 1)) {
    const ranges = hours[weekdayOf(date)];
    if (ranges.length) days.push({ date, close: ranges[ranges.length - 1].close });
  }
  const pools = {
    warmup: days.slice(0, 10),
    main: days.slice(10, 10 + WRITE_DAYS),
    paced: days.slice(30, 70),
    single: days.slice(70, 80),
    check: days.slice(80, 82),
  };
  console.log(
    `Base HTTP : ${DESKS} postes sur 4 plateaux, ${USERS} personnes connectées (une sur trois au tarif membre), en ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const server: Server = createHttpApp(build, { NODE_ENV: "production", APP_ENV: "test" }).listen(0, "127.0.0.1");
  await once(server, "listening");
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const shim = requestShim();
  try {
    // The set-up answers as the benchmark expects: a hold redirects to the booking, the same slot is then a 409.
    const health = await fetch(`${base}/sante`);
    if (health.status !== 200 || (await health.text()) !== "ok") throw new Error(`GET /sante : ${health.status}`);
    const check = pools.check[0];
    const hold = (cookie: string, key: string, day = check) =>
      fetch(`${base}/espaces/${slugs[0]}`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ intent: "hold", idempotencyKey: key, date: day.date, ...slotOf(2, day.close) }),
      });
    const first = await hold(cookies[0], "verification-1");
    if (first.status !== 302 || !first.headers.get("location")?.startsWith("/compte/reservations/"))
      throw new Error(`POST de réservation : ${first.status} ${first.headers.get("location")}`);
    const second = await hold(cookies[1], "verification-2");
    const refusal = await second.text();
    if (second.status !== 409 || !refusal.includes("slotTaken"))
      throw new Error(`Créneau déjà pris : ${second.status} ${refusal.slice(0, 200)}`);
    const pageUrl = `/espaces/${slugs[0]}`;
    const page = await fetch(`${base}${pageUrl}`, { headers: { cookie: cookies[0] } });
    const html = await page.text();
    if (page.status !== 200 || !html.includes("Poste 0") || !html.includes("Usager 0"))
      throw new Error(`GET ${pageUrl} : ${page.status}`);

    // What each request costs in SQL round trips.
    for (const [name, request] of [
      ["GET /sante", () => fetch(`${base}/sante`).then((r) => r.text())],
      ["GET /connexion (anonyme)", () => fetch(`${base}/connexion`).then((r) => r.text())],
      [`GET ${pageUrl}`, () => fetch(`${base}${pageUrl}`, { headers: { cookie: cookies[0] } }).then((r) => r.text())],
      ["POST réservation", () => hold(cookies[2], "verification-3", pools.check[1]).then((r) => r.text())],
    ] as const) {
      const statements = await statementsOf(request);
      console.log(`\n${name} : ${statements.length} requêtes SQL`);
      for (const sql of statements) console.log(`  ${sql.length > 150 ? `${sql.slice(0, 150)}…` : sql}`);
      info.push({ mesure: `requêtes SQL, ${name}`, détail: String(statements.length) });
    }

    // ── Writes
    const writeRun = async (
      label: string,
      run: string,
      pool: WritePlan["days"],
      options: Partial<autocannon.Options>,
    ) => {
      const plan: WritePlan = { run, cookies, slugs, days: pool, seed: 20261128 };
      process.env[PLAN_ENV] = JSON.stringify(plan);
      return load(
        label,
        { ...options, url: base, requests: [{ setupRequest: shim.file }] },
        (status) => (status >= 200 && status < 400) || status === 409,
      );
    };
    await writeRun("chauffe", "chauffe", pools.warmup, { amount: 500 });
    const writes = await writeRun("écritures", "mesure", pools.main, { amount: WRITES });
    // Half the saturated rate, for the latency of a server that keeps up (information, not the goal).
    const rate = Math.max(1, Math.round(writes.rps / 2));
    const paced = await writeRun("écritures à mi-charge", "mi-charge", pools.paced, {
      amount: rate * PAGE_SECONDS,
      overallRate: rate,
    });
    // One connection: the time a hold takes when nothing waits in front of it.
    const single = await writeRun("écritures, 1 connexion", "seule", pools.single, { amount: 200, connections: 1 });
    if (process.env.BENCH_PROFILE === "1")
      await profiled("réservations (POST)", () => writeRun("profil", "profil", pools.paced, { amount: 1000 }));

    const [{ overlaps }] = await db.$queryRaw<{ overlaps: bigint }[]>`
      SELECT count(*) AS overlaps FROM "Booking" a JOIN "Booking" b
        ON a."resourceId" = b."resourceId" AND a."id" < b."id"
       AND tstzrange(a."startsAt", a."endsAt", '[)') && tstzrange(b."startsAt", b."endsAt", '[)')
      WHERE a."status" IN ('HELD', 'AWAITING_PAYMENT', 'CONFIRMED') AND b."status" IN ('HELD', 'AWAITING_PAYMENT', 'CONFIRMED')`;
    const [{ held, total }] = await db.$queryRaw<{ held: bigint; total: bigint }[]>`
      SELECT count(*) FILTER (WHERE "idempotencyKey" LIKE 'banc-mesure-%') AS held, count(*) AS total FROM "Booking"`;
    const created = Number(held);
    const p302 = writes.codes["302"] ?? 0;
    const p409 = writes.codes["409"] ?? 0;
    const writesOk =
      writes.p99 < GOAL_P99_MS && writes.bad + writes.errors === 0 && Number(overlaps) === 0 && created === p302;
    if (writes.p99 >= GOAL_P99_MS) missed.push(`écritures : p99 ${writes.p99} ms`);
    if (writes.bad + writes.errors > 0) missed.push(`écritures : ${writes.bad + writes.errors} erreurs`);
    if (Number(overlaps) > 0) missed.push(`${overlaps} réservations vivantes se chevauchent`);
    if (created !== p302) missed.push(`${p302} redirections mais ${created} réservations créées`);
    table.push({
      mesure: `POST réservation, ${CONNECTIONS} connexions, ${WRITES} requêtes`,
      "10³ lignes": "",
      [`${BIG} lignes`]: "",
      résultat: `${Math.round(writes.rps)} req/s, p50 ${writes.p50} ms, p99 ${writes.p99} ms ; ${p302} × 302, ${p409} × 409, ${writes.bad + writes.errors} erreurs ; ${overlaps} chevauchement`,
      objectif: `p99 < ${GOAL_P99_MS} ms, 0 erreur, 0 chevauchement`,
      verdict: writesOk ? "OK" : "MANQUÉ",
    });
    info.push({ mesure: "écritures saturées", détail: describe(writes) });
    info.push({ mesure: `écritures à ${rate} req/s (mi-charge)`, détail: describe(paced) });
    info.push({ mesure: "écritures, 1 connexion (sans file d'attente)", détail: describe(single) });
    info.push({
      mesure: "réservations créées par la mesure",
      détail: `${created} (= ${p302} redirections) ; ${total} lignes dans Booking après toutes les courses`,
    });

    // ── Booking page against the bare route, alternated
    const cookie = cookies[0];
    const get = (label: string, url: string, seconds: number, headers: Record<string, string> = { cookie }) =>
      load(label, { url: `${base}${url}`, headers, duration: seconds }, (status) => status === 200);
    await get("chauffe page", pageUrl, 3);
    await get("chauffe /sante", "/sante", 3);
    const pages: Load[] = [];
    const bares: Load[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      pages.push(await get("page", pageUrl, PAGE_SECONDS));
      bares.push(await get("/sante", "/sante", PAGE_SECONDS));
    }
    // Where the page's time goes: its data alone (no HTML), and the smallest HTML page (the login form, anonymous).
    const login = await get("page de connexion", "/connexion", PAGE_SECONDS, {});
    const data = await get(
      "données de la page seules",
      `${pageUrl}?_data=${encodeURIComponent("routes/espaces+/$resourceKey")}`,
      PAGE_SECONDS,
    );
    if (process.env.BENCH_PROFILE === "1")
      await profiled(`page de réservation (GET ${pageUrl})`, () => get("profil", pageUrl, PAGE_SECONDS));
    const pageRps = median(pages.map((l) => l.rps));
    const bareRps = median(bares.map((l) => l.rps));
    const ratio = pageRps / bareRps;
    const failures = [...pages, ...bares].reduce((s, l) => s + l.bad + l.errors, 0);
    const pageOk = ratio >= GOAL_PAGE_RATIO && failures === 0;
    if (ratio < GOAL_PAGE_RATIO) missed.push(`page de réservation : ${ratio.toFixed(2)} × la route nue`);
    if (failures > 0) missed.push(`pages : ${failures} erreurs`);
    table.push({
      mesure: `GET page de réservation ÷ GET /sante, ${CONNECTIONS} connexions, ${ROUNDS} × ${PAGE_SECONDS} s chacune`,
      "10³ lignes": "",
      [`${BIG} lignes`]: "",
      résultat: `${Math.round(pageRps)} ÷ ${Math.round(bareRps)} req/s = ${ratio.toFixed(3)}`,
      objectif: `≥ ${GOAL_PAGE_RATIO}`,
      verdict: pageOk ? "OK" : "MANQUÉ",
    });
    pages.forEach((l, i) => info.push({ mesure: `page, tour ${i + 1}`, détail: describe(l) }));
    bares.forEach((l, i) => info.push({ mesure: `/sante, tour ${i + 1}`, détail: describe(l) }));
    info.push({ mesure: "données de la page seules (?_data, sans rendu HTML)", détail: describe(data) });
    info.push({
      mesure: "GET /connexion anonyme (la plus petite page HTML)",
      détail: `${describe(login)} ; ${(login.rps / bareRps).toFixed(2)} × /sante`,
    });
    info.push({
      mesure: "taille de la page",
      détail: `${Buffer.byteLength(html).toLocaleString("fr-FR")} octets de HTML`,
    });
  } finally {
    shim.remove();
    await new Promise((resolve) => server.close(resolve));
  }
}

// ─── Run ──────────────────────────────────────────────────────────────────────────────────────────────────────

async function main() {
  ensureBuild();
  // Other work on the machine shares its cores with the server, the database and the load generator.
  const load0 = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
  const serverMode = Boolean(process.env.DATABASE_URL);
  const mode = benchMode();
  console.log(
    `Banc d'essai des réservations — ${mode}, ${SMALL.toLocaleString("fr-FR")} puis ${LARGE.toLocaleString("fr-FR")} réservations, ${os.cpus().length} cœurs`,
  );
  const small = await openBenchDatabase("booking_small");
  const large = await openBenchDatabase("booking_large");
  const http = await openBenchDatabase("booking_http");
  // Interrupted (Ctrl-C): the databases go too.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void Promise.allSettled([small, large, http].map((d) => d.drop())).then(() => process.exit(130));
    });
  }
  // App modules read the environment when first imported: the in-process server gets the HTTP database, the
  // production build of React, no sweeper, no throttle.
  Object.assign(process.env, {
    DATABASE_URL: http.url,
    NODE_ENV: "production",
    APP_ENV: "test",
    HOUSEKEEPING_SECONDS: "0",
    RATE_LIMIT_MAX: "1000000",
    SEED_DEMO: "false",
  });
  const missed: string[] = [];
  const table: Row[] = [];
  const info: Row[] = [];
  try {
    try {
      await availabilityBench(small, large, serverMode, missed, table);
    } finally {
      await closeBenchDatabase(small, serverMode);
      await closeBenchDatabase(large, serverMode);
    }
    await httpBench(missed, table, info);
  } finally {
    const { db } = await import("~/utils/db.server");
    await db.$disconnect();
    await closeBenchDatabase(http, serverMode);
  }
  console.log("\nDétail des courses HTTP :");
  console.table(info);
  console.log(
    `\nRésultats — ${mode} (charge de la machine : ${load0} au début, ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} à la fin) :`,
  );
  console.table(table);
  finish(missed);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
