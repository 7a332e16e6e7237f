// npm run bench — the ledger's read paths over 10⁶ entry lines, each timed against a hand-written single SQL
// aggregate over the same rows in the same run; and posting one entry (validated and numbered at commit by the
// deferred trigger) into that full year, timed against the same posting into an empty year, so the numbering is
// shown not to grow with the year. Goals: ratio ≤ 1.5 and dashboard median < 300 ms; the process exits non-zero
// when one is missed.
//
// DATABASE_URL set: a fresh database is created on that server (and dropped at the end).
// DATABASE_URL unset: an embedded in-memory PostgreSQL (PGlite) is started, as in the tests.
import { performance } from "node:perf_hooks";
import pg from "pg";
import { benchMode, benchPole, closeBenchDatabase, finish, measure, openBenchDatabase } from "./harness";
import { isoDate } from "~/domain/ledger/dates";

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 250_000);
const BATCH = 25_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const WARMUP = 3;
const YEAR = { from: isoDate("2027-01-01"), to: isoDate("2027-12-31") };
const TODAY = isoDate("2027-09-15");
const GOAL_RATIO = 1.5;
const GOAL_DASHBOARD_MS = 300;

// Seven kinds of four-line entries, each balanced, over the default chart: card sales through Stripe (coworking,
// trainings, crowdfunding rewards) with VAT and fees, a land rent invoiced and paid (VAT exempt), a subsidy in
// two tranches, annex revenue with a gift, and a purchase. Every stream gets revenue.
// part: ht (excl. VAT), tva (20 %), fee (Stripe), net (ht + tva − fee), gross (ht + tva + fee)
const TEMPLATE = `(VALUES
  (0,1,'517000','D','net',NULL),(0,2,'627000','D','fee',NULL),(0,3,'706100','C','ht','COWORKING'),(0,4,'445710','C','tva',NULL),
  (1,1,'517000','D','net',NULL),(1,2,'627000','D','fee',NULL),(1,3,'706200','C','ht','TRAINING'),(1,4,'445710','C','tva',NULL),
  (2,1,'517000','D','net',NULL),(2,2,'627000','D','fee',NULL),(2,3,'707000','C','ht','CROWDFUNDING'),(2,4,'445710','C','tva',NULL),
  (3,1,'411000','D','ht',NULL),(3,2,'706300','C','ht','LAND'),(3,3,'512000','D','ht',NULL),(3,4,'411000','C','ht',NULL),
  (4,1,'512000','D','ht',NULL),(4,2,'740000','C','ht','SUBSIDY'),(4,3,'512000','D','tva',NULL),(4,4,'740000','C','tva','SUBSIDY'),
  (5,1,'512000','D','ht',NULL),(5,2,'708000','C','ht','OTHER'),(5,3,'512000','D','tva',NULL),(5,4,'758000','C','tva','OTHER'),
  (6,1,'606000','D','ht',NULL),(6,2,'445660','D','tva',NULL),(6,3,'627000','D','fee',NULL),(6,4,'512000','C','gross',NULL)
) AS t(kind, k, code, side, part, stream)`;

const LABELS = `(ARRAY['Réservation coworking','Inscription formation','Contrepartie financement participatif','Loyer parcelle','Subvention Région','Produits annexes et don','Achat fournitures'])`;

async function seedLines(url: string, poleId: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  const phases = { entries: 0, lines: 0, commit: 0 };
  const timed = async (phase: keyof typeof phases, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    await client.query(sql, params);
    phases[phase] += performance.now() - t;
  };
  try {
    for (let first = 1; first <= ENTRIES; first += BATCH) {
      const last = Math.min(ENTRIES, first + BATCH - 1);
      // Entries and their lines in one transaction: the statement trigger checks the whole batch's balance at
      // once, and the deferred trigger checks at commit that every entry has its lines.
      await client.query("BEGIN");
      await timed(
        "entries",
        `INSERT INTO "JournalEntry" ("id","poleId","journal","date","label","pieceRef","pieceDate","sourceKey")
         SELECT 'bench-' || g, $1, (CASE WHEN g % 7 IN (3, 6) THEN 'OD' WHEN g % 7 IN (4, 5) THEN 'BQ' ELSE 'VT' END)::"Journal",
                d, ${LABELS}[g % 7 + 1] || ' n° ' || g, 'B-' || g, d, 'bench:' || g
         FROM generate_series($2::int, $3::int) g, LATERAL (SELECT DATE '2027-01-01' + (g::bigint * 7919 % 365)::int AS d) x`,
        [poleId, first, last],
      );
      await timed(
        "lines",
        `INSERT INTO "EntryLine" ("entryId","poleId","date","accountId","debit","credit","stream")
         SELECT 'bench-' || g, $1, d, a."id",
                CASE WHEN t.side = 'D' THEN amt ELSE 0 END, CASE WHEN t.side = 'C' THEN amt ELSE 0 END, t.stream::"Stream"
         FROM generate_series($2::int, $3::int) g
         CROSS JOIN LATERAL (SELECT DATE '2027-01-01' + (g::bigint * 7919 % 365)::int AS d, 1000 + (g::bigint * 2654435761 % 199999)::int AS ht) x
         JOIN ${TEMPLATE} ON t.kind = g % 7
         JOIN "Account" a ON a."poleId" = $1 AND a."code" = t.code
         CROSS JOIN LATERAL (SELECT CASE t.part WHEN 'ht' THEN ht WHEN 'tva' THEN ht / 5 WHEN 'fee' THEN 25 + ht / 100
                                     WHEN 'net' THEN ht + ht / 5 - 25 - ht / 100 ELSE ht + ht / 5 + 25 + ht / 100 END AS amt) m
         ORDER BY g, t.k`,
        [poleId, first, last],
      );
      await timed("commit", "COMMIT");
      process.stdout.write(`\r  ${last.toLocaleString("fr-FR")} écritures insérées…`);
    }
    const inserted = performance.now() - started;
    const analyzeStart = performance.now();
    await client.query(`ANALYZE "EntryLine"; ANALYZE "JournalEntry"; ANALYZE "Account";`);
    const { rows } = await client.query<{ lines: string }>(
      `SELECT count(*) AS lines FROM "EntryLine" WHERE "poleId" = $1`,
      [poleId],
    );
    process.stdout.write("\n");
    return { lines: Number(rows[0].lines), insertMs: inserted, phases, analyzeMs: performance.now() - analyzeStart };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

// Hand-written baselines: the one aggregate each screen needs, straight through the pg driver.
const TRIAL_BALANCE_SQL = `
  SELECT a."id" AS "accountId", a."code", a."label", sum(l."debit")::bigint AS "debit", sum(l."credit")::bigint AS "credit"
  FROM "EntryLine" l JOIN "Account" a ON a."id" = l."accountId"
  WHERE l."poleId" = $1 AND l."date" BETWEEN $2::date AND $3::date
  GROUP BY a."id", a."code", a."label" ORDER BY a."code"`;

const REVENUE_SQL = `
  SELECT coalesce(l."stream", 'OTHER')::text AS "stream", to_char(l."date", 'YYYY-MM') AS "month", sum(l."credit" - l."debit")::bigint AS "actual"
  FROM "EntryLine" l JOIN "Account" a ON a."id" = l."accountId"
  WHERE l."poleId" = $1 AND l."date" BETWEEN $2::date AND $3::date AND a."code" LIKE '7%'
  GROUP BY 1, 2`;

async function main() {
  const serverMode = Boolean(process.env.DATABASE_URL);
  console.log(`Banc d'essai du grand livre — ${benchMode()}, ${ENTRIES.toLocaleString("fr-FR")} écritures × 4 lignes`);
  const database = await openBenchDatabase("bench");
  process.env.DATABASE_URL = database.url;
  process.env.APP_ENV ??= "test";
  // App modules read DATABASE_URL when first imported: load them once it points at the bench database.
  const { db } = await import("~/utils/db.server");
  const { trialBalance, dashboard, createFiscalYear, post } = await import("~/domain/ledger/index.server");
  const { cents } = await import("~/domain/money");
  const { provisionPole } = await import("~/domain/identity/index.server");
  const { STREAMS } = await import("~/domain/ledger/streams");
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  // An idle connection closed by the server (the database dropped at the end) must not crash the report.
  pool.on("error", (error) => console.warn(`Connexion de référence fermée : ${error.message}`));
  const missed: string[] = [];
  try {
    const { pole } = await provisionPole(db, { profile: benchPole("pole-banc", "912345675") });
    const year = await createFiscalYear(db, {
      poleId: pole.id,
      startDate: isoDate(YEAR.from),
      endDate: isoDate(YEAR.to),
    });
    if (!year.ok) throw new Error(year.message);
    const fiscalYearId = year.value.id;
    await db.businessPlanLine.createMany({
      data: STREAMS.flatMap((stream, s) =>
        Array.from({ length: 12 }, (_, m) => ({
          poleId: pole.id,
          fiscalYearId,
          stream,
          label: "Objectif",
          period: "MONTH" as const,
          month: m + 1,
          amount: 1_000_000 * (s + 1),
        })),
      ),
    });

    const seeded = await seedLines(database.url, pole.id);
    console.log(
      `Données : ${seeded.lines.toLocaleString("fr-FR")} lignes en ${(seeded.insertMs / 1000).toFixed(1)} s (déclencheurs actifs : écritures ${(seeded.phases.entries / 1000).toFixed(1)} s, lignes ${(seeded.phases.lines / 1000).toFixed(1)} s, COMMIT avec le contrôle différé ${(seeded.phases.commit / 1000).toFixed(1)} s), ANALYZE ${(seeded.analyzeMs / 1000).toFixed(1)} s`,
    );

    // The functions must give what the baselines give.
    const tb = await trialBalance(db, { poleId: pole.id, ...YEAR });
    const tbBase = (await pool.query(TRIAL_BALANCE_SQL, [pole.id, YEAR.from, YEAR.to])).rows.map((r) => ({
      ...r,
      debit: Number(r.debit),
      credit: Number(r.credit),
    }));
    if (JSON.stringify(tb.rows) !== JSON.stringify(tbBase))
      throw new Error("La balance diffère de l'agrégat de référence.");
    if (tb.totals.debit !== tb.totals.credit) throw new Error("La balance n'est pas équilibrée.");
    const dash = await dashboard(db, { poleId: pole.id, fiscalYearId, today: TODAY });
    const revenue = (await pool.query(REVENUE_SQL, [pole.id, YEAR.from, YEAR.to])).rows;
    const dashCells = dash.months
      .flatMap((m) =>
        STREAMS.filter((s) => m.byStream[s].actual !== 0).map((s) => `${s}|${m.month}|${m.byStream[s].actual}`),
      )
      .sort();
    const baseCells = revenue
      .filter((r) => Number(r.actual) !== 0)
      .map((r) => `${r.stream}|${r.month}|${Number(r.actual)}`)
      .sort();
    if (JSON.stringify(dashCells) !== JSON.stringify(baseCells))
      throw new Error("Le tableau de bord diffère de l'agrégat de référence.");
    console.log(
      `Résultats identiques aux agrégats de référence (${tb.rows.length} comptes, ${baseCells.length} cellules flux × mois).`,
    );

    // Posting: the same two-line entry into the full year and into the next, empty one.
    const next = await createFiscalYear(db, {
      poleId: pole.id,
      startDate: isoDate("2028-01-01"),
      endDate: isoDate("2028-12-31"),
    });
    if (!next.ok) throw new Error(next.message);
    let posted = 0;
    const posting = (date: string) => async () => {
      const n = ++posted;
      await post(db, {
        poleId: pole.id,
        sourceKey: `bench:post:${n}`,
        date: isoDate(date),
        journal: "OD",
        label: `Écriture de mesure n° ${n}`,
        pieceRef: `M-${n}`,
        lines: [
          { account: "512000", debit: cents(1_000) },
          { account: "706100", credit: cents(1_000), stream: "COWORKING" },
        ],
      });
    };
    const postingRuns = RUNS * 4;

    const results = [
      {
        operation: "trialBalance (balance générale, 12 mois)",
        ...(await measure(
          () => trialBalance(db, { poleId: pole.id, ...YEAR }),
          () => pool.query(TRIAL_BALANCE_SQL, [pole.id, YEAR.from, YEAR.to]),
          { runs: RUNS, warmup: WARMUP },
        )),
        maxMs: Infinity,
      },
      {
        operation: "dashboard (plan / réalisé par flux et mois)",
        ...(await measure(
          () => dashboard(db, { poleId: pole.id, fiscalYearId, today: TODAY }),
          () => pool.query(REVENUE_SQL, [pole.id, YEAR.from, YEAR.to]),
          { runs: RUNS, warmup: WARMUP },
        )),
        maxMs: GOAL_DASHBOARD_MS,
      },
      {
        operation: `post (une écriture numérotée, exercice de ${ENTRIES.toLocaleString("fr-FR")} écritures ; référence : exercice vide)`,
        ...(await measure(posting("2027-06-15"), posting("2028-06-15"), { runs: postingRuns, warmup: WARMUP })),
        maxMs: Infinity,
      },
    ];
    // Numbered at commit, gapless, in each year: every entry has its number, the highest equal to the count.
    const numbering = await pool.query<{
      year: string;
      series: string;
      entries: string;
      numbered: string;
      max: number;
    }>(
      `SELECT to_char(y."startDate", 'YYYY') AS year, coalesce(v."series", '-') AS series,
              count(e."id") AS entries, count(v."entryId") AS numbered, max(v."number") AS max
       FROM "JournalEntry" e
       JOIN "FiscalYear" y ON y."poleId" = e."poleId" AND e."date" BETWEEN y."startDate" AND y."endDate"
       LEFT JOIN "EntryValidation" v ON v."entryId" = e."id"
       WHERE e."poleId" = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [pole.id],
    );
    const posts = WARMUP + postingRuns;
    const expected = [
      { year: "2027", entries: ENTRIES + posts },
      { year: "2028", entries: posts },
    ];
    const seen = numbering.rows.map((r) => ({ year: r.year, entries: Number(r.entries) }));
    const gapless = numbering.rows.every(
      (r) => r.series === "" && Number(r.numbered) === Number(r.entries) && r.max === Number(r.entries),
    );
    if (!gapless || JSON.stringify(seen) !== JSON.stringify(expected))
      throw new Error(`Numérotation inattendue : ${JSON.stringify(numbering.rows)}.`);
    console.log(`Numérotation sans trou : ${numbering.rows.map((r) => `${r.year} n° 1 à ${r.max}`).join(", ")}.`);

    const rows = results.map((r) => {
      const ratio = r.median / r.baseMedian;
      const ok = ratio <= GOAL_RATIO && r.median < r.maxMs;
      if (!ok) missed.push(r.operation);
      return {
        opération: r.operation,
        "médiane (ms)": r.median.toFixed(1),
        "p95 (ms)": r.p95.toFixed(1),
        "référence médiane (ms)": r.baseMedian.toFixed(1),
        "référence p95 (ms)": r.baseP95.toFixed(1),
        ratio: ratio.toFixed(2),
        objectif: `≤ ${GOAL_RATIO}×${Number.isFinite(r.maxMs) ? ` et < ${r.maxMs} ms` : ""}`,
        verdict: ok ? "OK" : "MANQUÉ",
      };
    });
    console.log(
      `\n${RUNS} mesures (${postingRuns} pour post) après ${WARMUP} tours de chauffe, fonction et référence en alternance :`,
    );
    console.table(rows);
    if (missed.length) {
      // Where the time goes: the plan of the aggregate the missed screen rests on, on this very data.
      for (const [name, sql] of [
        ["balance", TRIAL_BALANCE_SQL],
        ["revenu par flux et mois", REVENUE_SQL],
      ]) {
        const plan = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, [pole.id, YEAR.from, YEAR.to]);
        console.log(`\nEXPLAIN ANALYZE — ${name} :\n${plan.rows.map((r) => r["QUERY PLAN"]).join("\n")}`);
      }
    }
  } finally {
    await pool.end();
    await db.$disconnect();
    // BENCH_KEEP=1 leaves the database up (server mode) to EXPLAIN by hand; its URL is printed.
    await closeBenchDatabase(database, serverMode);
  }
  finish(missed);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
