// tsx scripts/crowdfunding-screenshots.ts [folder] — screenshots of the citizen's crowdfunding pages on the demo
// pole (its live campaign and its past one), the demo user having pledged twice: the list, the campaign pages, the
// pledge form, Mon compte › Mes contributions, wide and narrow. A fresh database
// (DATABASE_URL's server, or embedded), the built app (`npm run build` first), Debian's Chromium.
import { once } from "node:events";
import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { chromium } from "playwright-core";
import { createFreshDatabase } from "./fresh-database";

const out = path.resolve(process.argv[2] ?? "test-results/crowdfunding");
const database = await createFreshDatabase("captures");
process.env.DATABASE_URL = database.url;

const { db, inTransaction } = await import("~/utils/db.server");
const { seedDemo } = await import("../prisma/seed");
const { DEMO_ACCOUNTS } = await import("../prisma/demo/pole");
const { pledge } = await import("~/domain/crowdfunding/index.server");
const { cents } = await import("~/domain/money");
const { createHttpApp } = await import("~/http/express.server");

try {
  const pole = await inTransaction(db, (tx) => seedDemo(tx), { timeout: 120_000 });
  const now = new Date();
  // The demo's live campaign (la-grange, with its pledges and news) and past one; the user pledges twice on it.
  const barn = await db.campaign.findFirstOrThrow({
    where: { poleId: pole.id, slug: "la-grange" },
    include: { tiers: true },
  });
  const booklet = barn.tiers.find((t) => t.rewardKind === "BOOKLET" && (t.cap === null || t.claimed < t.cap))!;
  const share = barn.tiers.find((t) => t.kind === "SHARE")!;
  const user = await db.person.findUniqueOrThrow({
    where: { email: DEMO_ACCOUNTS.find((a) => a.role === "USER")!.email },
  });
  for (const [key, tier, method] of [
    ["usager-1", booklet, "TRANSFER"],
    ["usager-2", share, "CHEQUE"],
  ] as const) {
    const made = await pledge(db, {
      poleId: pole.id,
      campaignId: barn.id,
      tierId: tier.id,
      personId: user.id,
      amountCents: cents(tier.priceCents),
      giftCents: cents(key === "usager-1" ? 2_000 : 0),
      shares: tier.kind === "SHARE" ? (tier.minShares ?? 1) + 2 : undefined,
      method,
      idempotencyKey: key,
      now,
    });
    if (!made.ok) throw new Error(made.message);
  }

  const build = (await import(pathToFileURL(path.resolve("build/server/index.js")).href)) as ServerBuild;
  const server = createHttpApp(build, { NODE_ENV: "production", APP_ENV: "test" }).listen(0, "127.0.0.1");
  await once(server, "listening");
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  await mkdir(out, { recursive: true });
  try {
    for (const [label, viewport] of [
      ["large", { width: 1280, height: 900 }],
      ["mobile", { width: 390, height: 844 }],
    ] as const) {
      const context = await browser.newContext({
        baseURL: base,
        viewport,
        locale: "fr-FR",
        timezoneId: "Europe/Paris",
      });
      const page = await context.newPage();
      page.on("console", (m) => m.type() === "error" && console.error(`console (${page.url()}): ${m.text()}`));
      const shot = async (url: string, name: string) => {
        await page.goto(url);
        await page.waitForSelector("html[data-hydrated]", { state: "attached" });
        await page.screenshot({ path: `${out}/${name}-${label}.png`, fullPage: true });
        // A narrow page is long: its first two screens apart, readable at a glance.
        if (label === "mobile")
          await page.screenshot({
            path: `${out}/${name}-${label}-haut.png`,
            clip: { x: 0, y: 0, width: viewport.width, height: 2 * viewport.height },
          });
      };
      await shot("/financement", "liste");
      await shot("/financement/la-grange", "campagne");
      await shot("/financement/le-fournil", "campagne-passee");
      await shot(`/financement/la-grange/contribuer?contrepartie=${booklet.id}`, "formulaire");
      const account = DEMO_ACCOUNTS.find((a) => a.role === "USER")!;
      await page.goto("/connexion");
      await page.getByLabel("Adresse email").fill(account.email);
      await page.getByLabel("Mot de passe", { exact: true }).fill(account.password);
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.waitForURL((u) => !u.pathname.startsWith("/connexion"));
      await shot(`/financement/la-grange/contribuer?contrepartie=${share.id}`, "formulaire-connecte");
      await shot("/compte/contributions", "mes-contributions");
      // The change form of the first pledge, open.
      await page.getByText("Modifier ou annuler").first().click();
      await page.screenshot({ path: `${out}/mes-contributions-modifier-${label}.png`, fullPage: true });
      await shot("/compte", "mon-compte");
      const mine = await db.pledge.findFirstOrThrow({ where: { idempotencyKey: "usager-1" } });
      await shot(`/compte/contributions/${mine.id}?merci`, "confirmation");
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`Captures dans ${out}`);
} finally {
  await db.$disconnect();
  await database.drop();
}
