// npm run bench:campaign — a campaign's public page (campaignPage: the campaign and its progress, its tiers with
// the places left, its news, the latest named contributors) on a campaign of 10⁵ pledges against the same campaign
// with 10² pledges, each in its own database, alternated run by run. Goal: median(10⁵) ÷ median(10²) ≤ 1.5 — the
// progress is the campaign's own counters and the contributors one page of an index, never a scan of the pledges.
// The plan of the contributors' query is printed; the process exits non-zero when the goal is missed.
//
// DATABASE_URL set: its databases are created on that server (and dropped at the end); unset: embedded PGlite.
// BENCH_PLEDGES and BENCH_RUNS shrink a run while working on it.
import { performance } from "node:perf_hooks";
import pg from "pg";
import { benchMode, benchPole, closeBenchDatabase, finish, measure, openBenchDatabase } from "./harness";

const SMALL = 100;
const LARGE = Number(process.env.BENCH_PLEDGES ?? 100_000);
const BIG = LARGE === 100_000 ? "10⁵" : LARGE.toLocaleString("fr-FR");
const PEOPLE = 5_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const WARMUP = 30;
const GOAL_RATIO = 1.5;
const SLUG = "grange";

// The pledges, by number g: ids that sort as cuids do (by creation time), spread over 40 days; a mix of every
// status (70 % secured, 15 % collected, 8 % cancelled, 4 % pending, 2 % lapsed, 1 % refunded), one in five
// anonymous, over the campaign's first four tiers (no cap there, so the counters stay consistent).
const PLEDGES_SQL = `
  INSERT INTO "Pledge" ("id","poleId","campaignId","tierId","personId","amountCents","giftCents","anonymous","method",
                        "status","idempotencyKey","collectedCents","securedAt","collectedAt","cancelledAt","createdAt","updatedAt")
  SELECT 'cbench' || lpad(g::text, 10, '0'), $1, $2, ($3::text[])[g % 4 + 1], 'bench-p-' || (g % ${PEOPLE}),
         a, CASE WHEN g % 5 = 0 THEN 500 ELSE 0 END, g % 5 = 3,
         (CASE WHEN g % 3 = 0 THEN 'STRIPE' WHEN g % 3 = 1 THEN 'TRANSFER' ELSE 'CHEQUE' END)::"PaymentMethod",
         s::"PledgeStatus", 'bench-' || g,
         CASE WHEN s = 'COLLECTED' THEN a + CASE WHEN g % 5 = 0 THEN 500 ELSE 0 END ELSE 0 END,
         CASE WHEN s <> 'PENDING' THEN t END, CASE WHEN s = 'COLLECTED' THEN t END,
         CASE WHEN s = 'CANCELLED' THEN t END, t, t
  FROM generate_series(1, $4::int) g
  CROSS JOIN LATERAL (SELECT (g * 37) % 100 AS h, 2000 + (g % 7) * 1500 AS a,
                             TIMESTAMPTZ '2027-04-01 08:00+02' + (g::float / $4 * 40) * interval '1 day' AS t) x
  CROSS JOIN LATERAL (SELECT CASE WHEN h < 70 THEN 'SECURED' WHEN h < 85 THEN 'COLLECTED' WHEN h < 93 THEN 'CANCELLED'
                                  WHEN h < 97 THEN 'PENDING' WHEN h < 99 THEN 'LAPSED' ELSE 'REFUNDED' END AS s) y`;

// The named contributors' query of queries.server.ts, for EXPLAIN.
const CONTRIBUTORS_SQL = `SELECT p."id", pe."name", p."createdAt"
    FROM "Pledge" p JOIN "Person" pe ON pe."id" = p."personId"
    WHERE p."campaignId" = $1 AND NOT p."anonymous" AND p."status"::text IN ('SECURED', 'COLLECTED')
    ORDER BY p."id" DESC LIMIT 50`;

type Db = import("~/generated/prisma/client").PrismaClient;

/** The same campaign in each database: eight tiers, five news, a goal; then `count` pledges and the counters they make. */
async function fill(url: string, client: Db, count: number) {
  const { provisionPole } = await import("~/domain/identity/index.server");
  const { createCampaign, addTier, publishCampaign } = await import("~/domain/crowdfunding/index.server");
  const { cents } = await import("~/domain/money");
  const { pole } = await provisionPole(client, { profile: benchPole("pole-banc") });
  const created = await createCampaign(client, {
    poleId: pole.id,
    slug: SLUG,
    title: "La grange devient tiers-lieu",
    story: "La grange du domaine devient le **tiers-lieu** du pôle.\n\n- la toiture\n- l'atelier\n- le café",
    goalCents: cents(50_000_000),
    minimumCents: cents(30_000_000),
    mode: "ALL_OR_NOTHING",
    startsAt: new Date("2027-04-01T00:00:00+02:00"),
    endsAt: new Date("2027-06-30T23:59:59+02:00"),
  });
  if (!created.ok) throw new Error(created.message);
  const campaignId = created.value.id;
  const tierIds: string[] = [];
  for (const [i, [name, price, cap]] of (
    [
      ["Don libre", 500, null],
      ["Votre nom sur le mur", 2_000, null],
      ["Panier de produits", 4_000, null],
      ["Carnet de 10 demi-journées", 12_000, null],
      ["Crédit formation", 25_000, 10],
      ["Visite du chantier", 3_000, 3],
      ["Atelier cidre", 6_000, 2],
      ["Soutien d'honneur", 100_000, 5],
    ] as const
  ).entries()) {
    const added = await addTier(client, {
      poleId: pole.id,
      campaignId,
      name,
      kind: i === 0 ? "GIFT" : "REWARD",
      priceCents: cents(price),
      cap,
    });
    if (!added.ok) throw new Error(added.message);
    tierIds.push(added.value.id);
  }
  const published = await publishCampaign(client, { poleId: pole.id, campaignId });
  if (!published.ok) throw new Error(published.message);

  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  const started = performance.now();
  try {
    await sql.query(
      `INSERT INTO "Person" ("id","email","name","passwordHash","updatedAt")
       SELECT 'bench-p-' || n, 'personne-' || n || '@banc.test', 'Prénom' || n || ' Nom' || n, 'x', now()
       FROM generate_series(0, ${PEOPLE - 1}) n`,
    );
    for (let k = 0; k < 5; k++)
      await sql.query(
        `INSERT INTO "CampaignNews" ("id","campaignId","title","body","publishedAt") VALUES ($1, $2, $3, $4, $5)`,
        [
          `news-${k}`,
          campaignId,
          `Nouvelle ${k + 1}`,
          `Le chantier **avance** (${k + 1}).`,
          new Date(Date.UTC(2027, 3, 2 + k)),
        ],
      );
    // Generated rows are right by construction: the foreign keys' triggers are skipped while they go in (as a
    // restore does); the checks and the indexes work on every row.
    await sql.query("SET session_replication_role = replica");
    await sql.query(PLEDGES_SQL, [pole.id, campaignId, tierIds.slice(0, 4), count]);
    await sql.query("SET session_replication_role = DEFAULT");
    // The counters as the pledges' transactions would have left them (live: pending, secured, collected).
    await sql.query(
      `UPDATE "Campaign" c SET "pledgedCents" = s.pledged, "pledgeCount" = s.n, "collectedCents" = s.collected
       FROM (SELECT coalesce(sum("amountCents" + "giftCents"), 0) AS pledged, count(*) AS n,
                    coalesce(sum("collectedCents"), 0) AS collected
             FROM "Pledge" WHERE "campaignId" = $1 AND "status" IN ('PENDING', 'SECURED', 'COLLECTED')) s
       WHERE c."id" = $1`,
      [campaignId],
    );
    await sql.query(
      `UPDATE "CampaignTier" t SET "claimed" = s.n
       FROM (SELECT "tierId", count(*) AS n FROM "Pledge"
             WHERE "campaignId" = $1 AND "status" IN ('PENDING', 'SECURED', 'COLLECTED') GROUP BY 1) s
       WHERE t."id" = s."tierId"`,
      [campaignId],
    );
    await sql.query(`VACUUM ANALYZE "Pledge"`);
    await sql.query(`VACUUM ANALYZE "Person"`);
    await sql.query(`VACUUM ANALYZE "Campaign"`);
    const plan = await sql.query(`EXPLAIN (ANALYZE, BUFFERS) ${CONTRIBUTORS_SQL}`, [campaignId]);
    return {
      poleId: pole.id,
      seconds: (performance.now() - started) / 1000,
      plan: plan.rows.map((r) => r["QUERY PLAN"] as string).join("\n"),
    };
  } finally {
    await sql.end();
  }
}

async function main() {
  const serverMode = Boolean(process.env.DATABASE_URL);
  console.log(`Banc d'essai de la page d'une campagne — ${benchMode()}`);
  const databases = {
    small: await openBenchDatabase("campagne_petite"),
    large: await openBenchDatabase("campagne_grande"),
  };
  // The app's modules open their pool at import: on the large database (campaignPage is handed its client).
  process.env.DATABASE_URL = databases.large.url;
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { PrismaClient } = await import("~/generated/prisma/client");
  const { campaignPage } = await import("~/domain/crowdfunding/index.server");
  const clients = {
    small: new PrismaClient({ adapter: new PrismaPg({ connectionString: databases.small.url, max: 2 }) }),
    large: new PrismaClient({ adapter: new PrismaPg({ connectionString: databases.large.url, max: 2 }) }),
  };
  const missed: string[] = [];
  try {
    const small = await fill(databases.small.url, clients.small, SMALL);
    const large = await fill(databases.large.url, clients.large, LARGE);
    console.log(
      `10² contributions : ${small.seconds.toFixed(1)} s ; ${BIG} : ${large.seconds.toFixed(1)} s (insertion et VACUUM ANALYZE)`,
    );
    // A moment while the campaign is open: the deadline and the counters read the same in both.
    const now = new Date("2027-05-20T12:00:00+02:00");
    const page = (size: "small" | "large", poleId: string) => () =>
      campaignPage(clients[size], { poleId, slug: SLUG, now });
    const pages = { small: page("small", small.poleId), large: page("large", large.poleId) };

    // Both pages are whole and of the same shape.
    for (const [size, rows] of [
      ["small", SMALL],
      ["large", LARGE],
    ] as const) {
      const p = await pages[size]();
      if (!p) throw new Error(`campaignPage (${size}) ne trouve pas la campagne.`);
      const expected = Math.min(50, Math.floor(rows * 0.85 * 0.8));
      if (p.tiers.length !== 8 || p.news.length !== 5 || p.contributors.length < Math.min(expected, 40))
        throw new Error(
          `campaignPage (${size}) : ${p.tiers.length} contreparties, ${p.news.length} actualités, ${p.contributors.length} contributeurs`,
        );
      console.log(
        `${size === "small" ? "10²" : BIG} : progression ${p.progress.pledgedCents / 100} € par ${p.progress.contributors} contributions vivantes, ${p.contributors.length} contributeurs nommés affichés`,
      );
    }

    const m = await measure(pages.large, pages.small, { runs: RUNS, warmup: WARMUP });
    const ratio = m.median / m.baseMedian;
    const ok = ratio <= GOAL_RATIO;
    if (!ok) missed.push(`campaignPage : ratio ${ratio.toFixed(2)}`);
    console.table([
      {
        mesure: "campaignPage (campagne, contreparties, actualités, contributeurs nommés)",
        "10² contributions": `${m.baseMedian.toFixed(2)} ms (p95 ${m.baseP95.toFixed(2)})`,
        [`${BIG} contributions`]: `${m.median.toFixed(2)} ms (p95 ${m.p95.toFixed(2)})`,
        ratio: ratio.toFixed(2),
        objectif: `≤ ${GOAL_RATIO}`,
        verdict: ok ? "OK" : "MANQUÉ",
      },
    ]);
    console.log(`${RUNS} mesures après ${WARMUP} tours de chauffe, ${BIG} et 10² en alternance.`);
    console.log(`\nEXPLAIN ANALYZE des contributeurs nommés, ${BIG} contributions :\n${large.plan}`);
    console.log(`\nEXPLAIN ANALYZE des contributeurs nommés, 10² contributions :\n${small.plan}`);
    // One page of an index read in order: neither a scan of the campaign's pledges nor a sort of them.
    if (/Seq Scan on "Pledge"|Sort Key/.test(large.plan))
      missed.push(`les contributeurs nommés parcourent et trient toutes les contributions (${BIG})`);
  } finally {
    await clients.small.$disconnect();
    await clients.large.$disconnect();
    await closeBenchDatabase(databases.small, serverMode);
    await closeBenchDatabase(databases.large, serverMode);
  }
  finish(missed);
}

await main();
