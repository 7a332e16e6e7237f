// tsx scripts/crowdfunding-screenshots.ts [folder] — screenshots of the citizen's crowdfunding pages on the demo
// pole with a live campaign (~120 pledges, news, sold-out and nearly sold-out tiers) and a past successful one:
// the list, the campaign page, the pledge form, Mon compte › Mes contributions, wide and narrow. A fresh database
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
const { createPublishedCampaign, BARN_TIERS } = await import("../tests/campaign-factories");

const DAY = 86_400_000;
try {
  const pole = await inTransaction(db, (tx) => seedDemo(tx), { timeout: 120_000 });
  const now = new Date();
  const barn = await createPublishedCampaign(db, {
    poleId: pole.id,
    slug: "grange",
    goalCents: 2_000_000,
    minimumCents: 1_200_000,
    optimumCents: 3_000_000,
    imageUrl: "/images/espaces/grange.svg",
    // The end of a day in Paris, as staff set deadlines.
    endsAt: new Date(`${new Date(now.getTime() + 23 * DAY).toISOString().slice(0, 10)}T22:59:59Z`),
    tiers: BARN_TIERS,
  });
  const past = await createPublishedCampaign(db, {
    poleId: pole.id,
    slug: "pressoir",
    title: "Un pressoir partagé pour les vergers",
    goalCents: 800_000,
    mode: "KEEP_IT_ALL",
    startsAt: new Date(now.getTime() - 200 * DAY),
    endsAt: new Date(now.getTime() - 140 * DAY),
    story: "Un pressoir mobile pour les vergers du Lauragais, prêté aux fermes du pôle et aux habitants.",
    tiers: [{ kind: "GIFT", name: "Don libre", priceCents: 500 }],
    status: "SUCCEEDED",
  });
  await db.campaign.update({
    where: { id: past.id },
    data: {
      finalPledgedCents: 912_000,
      finalCollectedCents: 912_000,
      finalCount: 143,
      closedAt: new Date(now.getTime() - 139 * DAY),
    },
  });
  await db.campaignNews.createMany({
    data: [
      {
        campaignId: barn.id,
        title: "La charpente est expertisée",
        body: "Bonne nouvelle : l'expert confirme que la **charpente de 1890** est saine. Les travaux de toiture peuvent commencer dès l'objectif minimum atteint.",
        publishedAt: new Date(now.getTime() - 3 * DAY),
      },
      {
        campaignId: barn.id,
        title: "Lancement de la campagne",
        body: "Merci aux premiers contributeurs ! Rendez-vous le 12 à la grange pour une visite.",
        publishedAt: new Date(now.getTime() - 9 * DAY),
      },
    ],
  });
  // ~120 citizens, each one pledge: most named, a few anonymous, offline (secured at once).
  const first = ["Aurore", "Malik", "Inès", "Jules", "Chloé", "Hugo", "Léa", "Nathan", "Zoé", "Yanis", "Manon", "Tom"];
  const last = ["Lebrun", "Ferhat", "Garcia", "Martin", "Roux", "Fabre", "Bonnet", "Mercier", "Blanc", "Girard"];
  const tierIds = Object.values(barn.tiers);
  for (let i = 0; i < 120; i++) {
    const person = await db.person.create({
      data: {
        email: `citoyen-${i}@exemple.test`,
        name: `${first[i % first.length]} ${last[(i * 7) % last.length]}`,
        passwordHash: "x",
        memberships: { create: { poleId: pole.id, role: "USER" } },
      },
    });
    const tierId = tierIds[[0, 0, 1, 2, 3, 0, 1, 7, 5, 6][i % 10]];
    const tier = await db.campaignTier.findUniqueOrThrow({ where: { id: tierId } });
    const made = await pledge(db, {
      poleId: pole.id,
      campaignId: barn.id,
      tierId,
      personId: person.id,
      amountCents: cents(Math.max(tier.priceCents, 2_000 + (i % 5) * 1_500)),
      giftCents: cents(i % 4 === 0 ? 1_000 : 0),
      shares: tier.kind === "SHARE" ? 2 + (i % 3) : undefined,
      anonymous: i % 6 === 5,
      method: i % 2 ? "TRANSFER" : "CHEQUE",
      idempotencyKey: `capture-${i}`,
      now,
    });
    if (!made.ok && made.code !== "SOLD_OUT") throw new Error(made.message);
  }
  // Half of the money in already (staff confirmed transfers): the bar's two parts.
  await db.campaign.update({ where: { id: barn.id }, data: { collectedCents: { increment: 350_000 } } });
  const user = await db.person.findUniqueOrThrow({
    where: { email: DEMO_ACCOUNTS.find((a) => a.role === "USER")!.email },
  });
  for (const [key, tierName, amount, method] of [
    ["usager-1", "Carnet de 10 demi-journées", 15_000, "TRANSFER"],
    ["usager-2", "Devenir sociétaire", 0, "CHEQUE"],
  ] as const) {
    const made = await pledge(db, {
      poleId: pole.id,
      campaignId: barn.id,
      tierId: barn.tiers[tierName],
      personId: user.id,
      amountCents: cents(amount),
      giftCents: cents(key === "usager-1" ? 2_000 : 0),
      shares: tierName === "Devenir sociétaire" ? 4 : undefined,
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
      await shot("/financement/grange", "campagne");
      await shot(
        `/financement/grange/contribuer?contrepartie=${barn.tiers["Carnet de 10 demi-journées"]}`,
        "formulaire",
      );
      const account = DEMO_ACCOUNTS.find((a) => a.role === "USER")!;
      await page.goto("/connexion");
      await page.getByLabel("Adresse email").fill(account.email);
      await page.getByLabel("Mot de passe", { exact: true }).fill(account.password);
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.waitForURL((u) => !u.pathname.startsWith("/connexion"));
      await shot(
        `/financement/grange/contribuer?contrepartie=${barn.tiers["Devenir sociétaire"]}`,
        "formulaire-connecte",
      );
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
