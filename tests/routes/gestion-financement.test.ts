import { beforeEach, describe, expect, it } from "vitest";
import { addTier, createCampaign, pledge, publishCampaign } from "~/domain/crowdfunding/index.server";
import { parisDate } from "~/domain/ledger/index.server";
import { cents } from "~/domain/money";
import * as memberRegister from "~/routes/compte+/associes";
import * as layout from "~/routes/gestion+/financement";
import * as campaignLayout from "~/routes/gestion+/financement.$campaignId";
import * as campaignPage from "~/routes/gestion+/financement.$campaignId._index";
import * as news from "~/routes/gestion+/financement.$campaignId.actualites";
import * as pledges from "~/routes/gestion+/financement.$campaignId.contributions";
import * as pledgesCsv from "~/routes/gestion+/financement.$campaignId.contributions[.csv]";
import * as list from "~/routes/gestion+/financement._index";
import * as register from "~/routes/gestion+/financement.associes";
import * as registerCsv from "~/routes/gestion+/financement.associes[.csv]";
import * as newCampaign from "~/routes/gestion+/financement.nouvelle";
import * as settings from "~/routes/gestion+/parametres";
import { db } from "~/utils/db.server";
import { createPassProduct, createPerson, createPole } from "../factories";
import { errorsOf, json, logInEveryRole, resetDatabase, routeCallers, type Handler, type Role } from "../helpers";

// The staff side of crowdfunding (/gestion/financement), called like Remix calls its loaders and actions, on the
// real database and the real clock: who may enter, each bad input of a campaign or a tier a French field error
// with a 4xx and nothing written, and the pages staff work with — tiers, publishing, news, the pledges list and
// what is recorded on a pledge, closing now after its preview, the register of associates.

const cookies: Record<Role, string> = { ADMIN: "", STAFF: "", MEMBER: "", USER: "" };
const { get, post } = routeCallers(cookies);
let poleId: string;
let campaignId: string;
let tierId: string;
let keys = 0;

const DAY = 86_400_000;
const today = () => parisDate(new Date());
const inDays = (days: number) => parisDate(new Date(Date.now() + days * DAY));

const validCampaign = (overrides: Record<string, string> = {}) => ({
  slug: "serre-bioclimatique",
  title: "Une serre bioclimatique",
  story: "Pour la couveuse agricole.",
  imageUrl: "/images/espaces/grange.svg",
  goal: "25 000",
  minimum: "15000",
  optimum: "40 000,00",
  mode: "ALL_OR_NOTHING",
  startsOn: today(),
  startsTime: "09:00",
  endsOn: inDays(40),
  endsTime: "",
  maxPledge: "5000",
  ...overrides,
});

const validTier = (overrides: Record<string, string> = {}) => ({
  intent: "add-tier",
  name: "Un panier de légumes",
  kind: "REWARD",
  price: "30",
  vatRate: "550",
  rewardKind: "OTHER",
  ...overrides,
});

/** A published campaign open since yesterday, with a reward tier (30 €) and a share tier (2 × 50 €). */
async function liveCampaign() {
  const created = await createCampaign(db, {
    poleId,
    slug: "grange",
    title: "La grange devient tiers-lieu",
    goalCents: cents(10_000),
    mode: "ALL_OR_NOTHING",
    startsAt: new Date(Date.now() - DAY),
    endsAt: new Date(Date.now() + 30 * DAY),
  });
  if (!created.ok) throw new Error(created.message);
  const reward = await addTier(db, {
    poleId,
    campaignId: created.value.id,
    name: "Un panier",
    kind: "REWARD",
    priceCents: cents(3_000),
    vatRateBp: 550,
  });
  const shares = await addTier(db, {
    poleId,
    campaignId: created.value.id,
    name: "Parts citoyennes",
    kind: "SHARE",
    priceCents: cents(10_000),
    shareNominalCents: cents(5_000),
    minShares: 2,
    college: "Citoyens",
  });
  if (!reward.ok || !shares.ok) throw new Error("tiers");
  await publishCampaign(db, { poleId, campaignId: created.value.id });
  return { id: created.value.id, reward: reward.value.id, shares: shares.value.id };
}

async function pledged(campaign: string, tier: string, personId: string, extra: Record<string, unknown> = {}) {
  const made = await pledge(db, {
    poleId,
    campaignId: campaign,
    tierId: tier,
    personId,
    amountCents: cents(3_000),
    method: "TRANSFER",
    idempotencyKey: `cle-${++keys}`,
    now: new Date(),
    ...extra,
  });
  if (!made.ok) throw new Error(made.message);
  return made.value.pledge;
}

const rows = async () => ({
  campaigns: await db.campaign.count(),
  tiers: await db.campaignTier.count(),
  news: await db.campaignNews.count(),
  pledges: await db.pledge.count(),
  emails: await db.outboxEmail.count(),
});

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  await logInEveryRole(poleId, cookies);
  const created = await createCampaign(db, {
    poleId,
    slug: "brouillon",
    title: "Un brouillon",
    goalCents: cents(500_000),
    mode: "ALL_OR_NOTHING",
    startsAt: new Date(Date.now() + DAY),
    endsAt: new Date(Date.now() + 40 * DAY),
  });
  if (!created.ok) throw new Error(created.message);
  campaignId = created.value.id;
  const tier = await addTier(db, { poleId, campaignId, name: "Merci", kind: "GIFT", priceCents: cents(1_000) });
  if (!tier.ok) throw new Error(tier.message);
  tierId = tier.value.id;
});

describe("who may enter", () => {
  const LOADERS: [string, Handler, boolean][] = [
    ["/gestion/financement (layout)", layout.loader as Handler, false],
    ["/gestion/financement", list.loader as Handler, false],
    ["/gestion/financement/nouvelle", newCampaign.loader as Handler, false],
    ["/gestion/financement/:id (layout)", campaignLayout.loader as Handler, true],
    ["/gestion/financement/:id", campaignPage.loader as Handler, true],
    ["/gestion/financement/:id/contributions", pledges.loader as Handler, true],
    ["/gestion/financement/:id/contributions.csv", pledgesCsv.loader as Handler, true],
    ["/gestion/financement/:id/actualites", news.loader as Handler, true],
    ["/gestion/financement/associes", register.loader as Handler, false],
    ["/gestion/financement/associes.csv", registerCsv.loader as Handler, false],
  ];

  it.each(LOADERS)(
    "%s refuses a plain user and a member with the French 403, sends a visitor to log in, opens for staff",
    async (path, loader, withCampaign) => {
      const params: Record<string, string> = withCampaign ? { campaignId } : {};
      for (const role of ["USER", "MEMBER"] as const) {
        const response = await get(loader, path, role, params);
        expect(response.status).toBe(403);
        expect(await response.json()).toEqual({ message: "Cette page est réservée à l'équipe du pôle." });
      }
      const visitor = await get(loader, path, null, params);
      expect(visitor.status).toBe(302);
      expect(visitor.headers.get("Location")).toMatch(/^\/connexion\?redirectTo=/);
      expect((await get(loader, path, "STAFF", params)).status).toBe(200);
      expect((await get(loader, path, "ADMIN", params)).status).toBe(200);
    },
  );

  it("refuses every action to a plain user and a member (403) and a visitor (to log in), and changes nothing", async () => {
    const live = await liveCampaign();
    const person = await createPerson(db, { poleId });
    const promised = await pledged(live.id, live.reward, person.id);
    const before = await rows();
    const actions: [Handler, Record<string, string>, Record<string, string>][] = [
      [newCampaign.action as Handler, {}, validCampaign()],
      [campaignPage.action as Handler, { campaignId }, { intent: "edit", ...validCampaign({ slug: "intrus" }) }],
      [campaignPage.action as Handler, { campaignId }, validTier()],
      [campaignPage.action as Handler, { campaignId }, { intent: "remove-tier", tierId }],
      [campaignPage.action as Handler, { campaignId }, { intent: "publish" }],
      [campaignPage.action as Handler, { campaignId: live.id }, { intent: "close" }],
      [news.action as Handler, { campaignId: live.id }, { intent: "news", title: "Intrus", body: "Intrus" }],
      [
        pledges.action as Handler,
        { campaignId: live.id },
        { intent: "confirm", pledgeId: promised.id, amount: "30", method: "TRANSFER", reference: "VIR-1" },
      ],
      [pledges.action as Handler, { campaignId: live.id }, { intent: "deliver-tier", tierId: live.reward }],
      [settings.action as Handler, {}, { registerVisibleToMembers: "on", pledgeGraceDays: "3" }],
    ];
    for (const [action, params, form] of actions) {
      for (const role of ["USER", "MEMBER"] as const)
        expect((await post(action, "/gestion/financement", form, params, role)).status).toBe(403);
    }
    expect(await rows()).toEqual(before);
    expect(await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).toMatchObject({
      status: "DRAFT",
      slug: "brouillon",
    });
    expect(await db.campaign.findUniqueOrThrow({ where: { id: live.id } })).toMatchObject({ status: "PUBLISHED" });
    expect(await db.pledge.findUniqueOrThrow({ where: { id: promised.id } })).toMatchObject({ status: "SECURED" });
    expect(await db.pole.findUniqueOrThrow({ where: { id: poleId } })).toMatchObject({
      registerVisibleToMembers: false,
      pledgeGraceDays: 7,
    });
  });

  it("shows another pole's campaign to nobody (404)", async () => {
    const other = await createPole(db);
    const foreign = await createCampaign(db, {
      poleId: other.id,
      slug: "ailleurs",
      title: "Ailleurs",
      goalCents: cents(100_000),
      mode: "KEEP_IT_ALL",
      startsAt: new Date(),
      endsAt: new Date(Date.now() + DAY),
    });
    if (!foreign.ok) throw new Error(foreign.message);
    for (const loader of [campaignLayout.loader, campaignPage.loader, pledges.loader, news.loader, pledgesCsv.loader]) {
      const response = await get(loader as Handler, "/gestion/financement/x", "ADMIN", {
        campaignId: foreign.value.id,
      });
      expect(response.status).toBe(404);
      expect(await json(response)).toEqual({ message: "Cette campagne n'existe pas." });
    }
    const response = await post(
      campaignPage.action as Handler,
      "/gestion/financement/x",
      { intent: "publish" },
      {
        campaignId: foreign.value.id,
      },
    );
    expect(response.status).toBe(404);
  });
});

describe("a new campaign", () => {
  it("is created as a draft from a valid form, its deadline the end of its Paris day", async () => {
    const page = await json<{ values: Record<string, string>; images: { value: string }[] }>(
      await get(newCampaign.loader as Handler, "/gestion/financement/nouvelle"),
    );
    expect(page.values).toMatchObject({ mode: "ALL_OR_NOTHING", startsOn: today() });
    expect(page.images.map((i) => i.value)).toContain("/images/espaces/grange.svg");
    const response = await post(newCampaign.action as Handler, "/gestion/financement/nouvelle", validCampaign());
    expect(response.status).toBe(302);
    const created = await db.campaign.findFirstOrThrow({ where: { slug: "serre-bioclimatique" } });
    expect(response.headers.get("Location")).toBe(`/gestion/financement/${created.id}?fait=creee`);
    expect(created).toMatchObject({
      status: "DRAFT",
      goalCents: 2_500_000,
      minimumCents: 1_500_000,
      optimumCents: 4_000_000,
      maxPledgeCents: 500_000,
      imageUrl: "/images/espaces/grange.svg",
    });
    // 23:59:59 in Paris on the deadline's day; 09:00 on the opening day.
    const paris = (d: Date) => d.toLocaleString("fr-FR", { timeZone: "Europe/Paris" });
    expect(paris(created.endsAt)).toMatch(/23:59:59$/);
    expect(paris(created.startsAt)).toMatch(/09:00:00$/);
  });

  it.each([
    ["a deadline before its start", { endsOn: inDays(-3) }, "endsOn", "La date limite doit venir après l'ouverture."],
    ["a goal of zero", { goal: "0" }, "goal", "L'objectif est un montant supérieur à zéro."],
    ["a negative goal", { goal: "-100" }, "goal", "Un montant ne peut pas être négatif."],
    [
      "a goal that is not a number",
      { goal: "beaucoup" },
      "goal",
      "Indiquez un montant en euros, par exemple 1 234,56.",
    ],
    [
      "a goal with three decimals",
      { goal: "25000,125" },
      "goal",
      "Un montant compte au plus deux décimales (centimes).",
    ],
    ["no goal", { goal: "" }, "goal", "Indiquez l'objectif en euros."],
    ["a minimum above the goal", { minimum: "30000" }, "minimum", "Le minimum ne peut pas dépasser l'objectif."],
    ["an optimum under the goal", { optimum: "100" }, "optimum", "L'optimum ne peut pas être sous l'objectif."],
    ["an impossible date", { startsOn: "2027-02-30" }, "startsOn", "Indiquez une date valide (jj/mm/aaaa)."],
    ["a time that is not one", { endsTime: "25:61" }, "endsTime", "Indiquez une heure au format hh:mm (ex. 09:00)."],
    [
      "an image outside public/images",
      { imageUrl: "/../../etc/passwd" },
      "imageUrl",
      "Choisissez une image du dossier public/images.",
    ],
    [
      "an image that is not there",
      { imageUrl: "/images/absente.svg" },
      "imageUrl",
      "Cette image n'est pas dans public/images.",
    ],
    [
      "an address with capitals and spaces",
      { slug: "Ma Campagne" },
      "slug",
      "L'adresse s'écrit en minuscules sans accents, chiffres et tirets (ex. grange-tiers-lieu).",
    ],
    ["an address already taken", { slug: "brouillon" }, "slug", "Une autre campagne du pôle a déjà cette adresse."],
  ])("is refused with %s: a French field error, a 4xx, nothing written", async (_what, change, field, message) => {
    const before = await rows();
    const response = await post(newCampaign.action as Handler, "/gestion/financement/nouvelle", validCampaign(change));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect((await errorsOf(response))[field]).toContain(message);
    expect(await rows()).toEqual(before);
  });
});

describe("a draft", () => {
  it("shows the business plan's goal suggestion and edits in everything", async () => {
    const page = await json<{ suggestion: { totalCents: number }; values: Record<string, string> }>(
      await get(campaignPage.loader as Handler, "/gestion/financement/x", "STAFF", { campaignId }),
    );
    expect(page.suggestion).toMatchObject({ totalCents: 0 });
    expect(page.values).toMatchObject({ slug: "brouillon", goal: "5000,00", mode: "ALL_OR_NOTHING" });
    const response = await post(
      campaignPage.action as Handler,
      "/gestion/financement/x",
      { intent: "edit", ...validCampaign({ slug: "brouillon-2", mode: "KEEP_IT_ALL" }) },
      { campaignId },
    );
    expect(response.status).toBe(302);
    expect(await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).toMatchObject({
      slug: "brouillon-2",
      mode: "KEEP_IT_ALL",
      goalCents: 2_500_000,
    });
    const refused = await post(
      campaignPage.action as Handler,
      "/gestion/financement/x",
      { intent: "edit", ...validCampaign({ minimum: "99999" }) },
      { campaignId },
    );
    expect(refused.status).toBe(400);
    expect((await errorsOf(refused)).minimum).toEqual(["Le minimum ne peut pas dépasser l'objectif."]);
  });

  it("takes tiers of each kind, and refuses a bad one on its field with nothing written", async () => {
    const product = await createPassProduct(db, { poleId, name: "Carnet 10 demi-journées" });
    const foreign = await createPassProduct(db, { poleId: (await createPole(db)).id });
    const add = (form: Record<string, string>) =>
      post(campaignPage.action as Handler, "/gestion/financement/x", form, { campaignId });
    expect(
      (await add(validTier({ name: "Un carnet", rewardKind: "BOOKLET", passProductId: product.id, vatRate: "2000" })))
        .status,
    ).toBe(302);
    expect(
      (
        await add(
          validTier({
            name: "Parts",
            kind: "SHARE",
            price: "",
            shareNominal: "50",
            minShares: "2",
            college: "Citoyens",
          }),
        )
      ).status,
    ).toBe(302);
    expect(await db.campaignTier.findFirstOrThrow({ where: { name: "Parts" } })).toMatchObject({
      priceCents: 10_000,
      shareNominalCents: 5_000,
      minShares: 2,
      college: "Citoyens",
    });
    expect(await db.campaignTier.findFirstOrThrow({ where: { name: "Un carnet" } })).toMatchObject({
      rewardKind: "BOOKLET",
      passProductId: product.id,
      vatRateBp: 2000,
    });

    const before = await rows();
    for (const [form, field, message] of [
      [
        validTier({ rewardKind: "BOOKLET", passProductId: "clzzzzzzzzzzzzzzzzzzzzzzz" }),
        "passProductId",
        "Choisissez un carnet du pôle.",
      ],
      [
        validTier({ rewardKind: "BOOKLET", passProductId: foreign.id }),
        "passProductId",
        "Choisissez un carnet du pôle.",
      ],
      [validTier({ rewardKind: "BOOKLET" }), "passProductId", "Choisissez un carnet du pôle."],
      [
        validTier({ kind: "SHARE", price: "", college: "Citoyens" }),
        "shareNominal",
        "Indiquez la valeur nominale d'une part sociale.",
      ],
      [validTier({ kind: "SHARE", shareNominal: "50" }), "college", "Indiquez le collège des associés de ces parts."],
      [validTier({ price: "12,345" }), "price", "Un montant compte au plus deux décimales (centimes)."],
      [validTier({ price: "" }), "price", "Indiquez le prix de la contrepartie."],
      [validTier({ vatRate: "1900" }), "vatRate", "Choisissez un taux de TVA : 0 %, 5,5 %, 10 % ou 20 %."],
      [validTier({ cap: "0" }), "cap", "Le nombre de places est un entier d'au moins 1."],
      [validTier({ kind: "LOTERIE" }), "kind", "Choisissez don, contrepartie ou parts sociales."],
    ] as const) {
      const response = await add(form);
      expect(response.status, JSON.stringify(form)).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect((await errorsOf(response))[field], JSON.stringify(form)).toContain(message);
    }
    expect(await rows()).toEqual(before);
  });

  it("edits and removes its tiers, then publishes; published, it keeps them and its figures", async () => {
    const edit = await post(
      campaignPage.action as Handler,
      "/gestion/financement/x",
      { ...validTier({ intent: "edit-tier", name: "Merci beaucoup", kind: "GIFT", price: "15" }), tierId },
      { campaignId },
    );
    expect(edit.status).toBe(302);
    expect(await db.campaignTier.findUniqueOrThrow({ where: { id: tierId } })).toMatchObject({
      name: "Merci beaucoup",
      priceCents: 1_500,
    });
    const second = await addTier(db, { poleId, campaignId, name: "À retirer", kind: "GIFT", priceCents: cents(500) });
    if (!second.ok) throw new Error(second.message);
    const removed = await post(
      campaignPage.action as Handler,
      "/gestion/financement/x",
      { intent: "remove-tier", tierId: second.value.id },
      { campaignId },
    );
    expect(removed.status).toBe(302);
    const published = await post(
      campaignPage.action as Handler,
      "/gestion/financement/x",
      { intent: "publish" },
      {
        campaignId,
      },
    );
    expect(published.headers.get("Location")).toBe(`/gestion/financement/${campaignId}?fait=publiee`);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status).toBe("PUBLISHED");

    const before = await rows();
    const late = await post(campaignPage.action as Handler, "/gestion/financement/x", validTier(), { campaignId });
    expect(late.status).toBe(409);
    expect(await errorsOf(late)).toEqual({ "": ["Les contreparties se fixent avant la publication."] });
    // The whole draft form sent to a published campaign: refused, its figures kept.
    const figures = await post(
      campaignPage.action as Handler,
      "/gestion/financement/x",
      { intent: "edit", ...validCampaign({ slug: "brouillon" }) },
      { campaignId },
    );
    expect(figures.status).toBe(409);
    const text = await post(
      campaignPage.action as Handler,
      "/gestion/financement/x",
      { intent: "edit-text", title: "Un titre plus clair", story: "Le récit mis à jour.", imageUrl: "" },
      { campaignId },
    );
    expect(text.status).toBe(302);
    expect(await rows()).toEqual(before);
    expect(await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).toMatchObject({
      title: "Un titre plus clair",
      story: "Le récit mis à jour.",
      goalCents: 500_000,
      slug: "brouillon",
    });
  });
});

describe("a live campaign", () => {
  it("sends its news to its backers through the outbox", async () => {
    const live = await liveCampaign();
    const backer = await createPerson(db, { poleId, email: "soutien@exemple.test" });
    await pledged(live.id, live.reward, backer.id);
    const refused = await post(
      news.action as Handler,
      "/gestion/financement/x/actualites",
      {
        intent: "news",
        title: "A",
        body: "",
      },
      { campaignId: live.id },
    );
    expect(refused.status).toBe(400);
    expect(await errorsOf(refused)).toMatchObject({ body: ["Écrivez le texte de l'actualité."] });
    const response = await post(
      news.action as Handler,
      "/gestion/financement/x/actualites",
      { intent: "news", title: "La charpente est posée", body: "Merci !" },
      { campaignId: live.id },
    );
    expect(response.headers.get("Location")).toBe(`/gestion/financement/${live.id}/actualites?envoyes=1`);
    expect((await db.outboxEmail.findMany()).map((e) => e.to)).toEqual(["soutien@exemple.test"]);
    const page = await json<{ news: { title: string; author: string }[] }>(
      await get(news.loader as Handler, "/gestion/financement/x/actualites", "STAFF", { campaignId: live.id }),
    );
    expect(page.news).toMatchObject([{ title: "La charpente est posée", author: "Équipe STAFF" }]);
  });

  it("lists its pledges with filters and CSV, records a transfer received, previews then closes, admits shares", async () => {
    const live = await liveCampaign();
    const aurore = await createPerson(db, { poleId, name: "Aurore Lebrun", email: "aurore@exemple.test" });
    const malik = await createPerson(db, { poleId, name: "Malik Ferhat", email: "malik@exemple.test" });
    const basket = await pledged(live.id, live.reward, aurore.id);
    const shares = await pledged(live.id, live.shares, malik.id, { shares: 2, amountCents: cents(0) });
    type Page = { total: number; rows: { id: string; can: Record<string, boolean> }[] };
    const listOf = async (query = "") =>
      json<Page>(
        await get(pledges.loader as Handler, `/gestion/financement/x/contributions${query}`, "STAFF", {
          campaignId: live.id,
        }),
      );
    expect((await listOf()).total).toBe(2);
    expect((await listOf(`?tier=${live.shares}`)).rows.map((r) => r.id)).toEqual([shares.id]);
    expect((await listOf("?q=aurore")).rows.map((r) => r.id)).toEqual([basket.id]);
    expect((await listOf("?status=COLLECTED")).total).toBe(0);
    expect((await listOf("?status=INCONNU&page=abc")).total).toBe(2);
    const csv = await get(pledgesCsv.loader as Handler, "/gestion/financement/x/contributions.csv?q=malik", "STAFF", {
      campaignId: live.id,
    });
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const text = await csv.text();
    expect(text.trim().split("\r\n")).toHaveLength(2);
    expect(text).toContain("Malik Ferhat;malik@exemple.test;non;Parts citoyennes;Parts sociales;2;100,00");

    // A transfer received for less than promised is refused for shares (paid whole), then recorded whole.
    const confirm = (pledgeId: string, amount: string) =>
      post(
        pledges.action as Handler,
        "/gestion/financement/x/contributions",
        { intent: "confirm", pledgeId, amount, method: "TRANSFER", reference: "VIR-2027-001" },
        { campaignId: live.id },
      );
    expect((await confirm(shares.id, "99,99")).status).toBe(422);
    expect((await confirm(shares.id, "100,001")).status).toBe(400);
    expect((await confirm(shares.id, "100")).status).toBe(302);
    expect(await db.pledge.findUniqueOrThrow({ where: { id: shares.id } })).toMatchObject({
      status: "COLLECTED",
      collectedCents: 10_000,
    });
    // Another campaign's pledge is not found from this one.
    const other = await post(
      pledges.action as Handler,
      "/gestion/financement/x/contributions",
      { intent: "confirm", pledgeId: basket.id, amount: "30", method: "TRANSFER", reference: "VIR-X" },
      { campaignId },
    );
    expect(other.status).toBe(404);

    // The preview first, then the closing: 130 € counted against a goal of 100 €.
    const preview = await json<{ preview: { succeeded: boolean; countedCents: number; goalCents: number } }>(
      await get(campaignPage.loader as Handler, "/gestion/financement/x?fermer=1", "STAFF", { campaignId: live.id }),
    );
    expect(preview.preview).toEqual({ succeeded: true, countedCents: 13_000, goalCents: 10_000 });
    const closed = await post(
      campaignPage.action as Handler,
      "/gestion/financement/x",
      { intent: "close" },
      {
        campaignId: live.id,
      },
    );
    expect(closed.headers.get("Location")).toBe(`/gestion/financement/${live.id}?fait=reussie`);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: live.id } })).status).toBe("SUCCEEDED");

    const admit = (admittedOn: string) =>
      post(
        pledges.action as Handler,
        "/gestion/financement/x/contributions",
        { intent: "admit", pledgeId: shares.id, admittedOn },
        { campaignId: live.id },
      );
    expect((await listOf(`?tier=${live.shares}`)).rows[0].can.admit).toBe(true);
    expect((await errorsOf(await admit("2027-02-30"))).admittedOn).toEqual(["Indiquez une date valide (jj/mm/aaaa)."]);
    expect((await admit(inDays(5))).status).toBe(422);
    expect((await admit(today())).status).toBe(302);
    expect(await db.membership.findFirstOrThrow({ where: { personId: malik.id } })).toMatchObject({ role: "MEMBER" });

    const page = await json<{ register: { rows: { name: string; college: string; shares: number }[] } }>(
      await get(register.loader as Handler, "/gestion/financement/associes"),
    );
    expect(page.register.rows).toMatchObject([{ name: "Malik Ferhat", college: "Citoyens", shares: 2 }]);
    const file = await (await get(registerCsv.loader as Handler, "/gestion/financement/associes.csv")).text();
    expect(file).toContain("Malik Ferhat;Citoyens;2;50,00;100,00;");

    // The basket's transfer arrives after the success; its reward is then handed over, for the whole tier at once.
    expect((await confirm(basket.id, "30")).status).toBe(302);
    const deliverable = await json<{ deliverableTiers: { id: string }[] }>(
      await get(pledges.loader as Handler, "/gestion/financement/x/contributions", "STAFF", { campaignId: live.id }),
    );
    expect(deliverable.deliverableTiers.map((t) => t.id)).toEqual([live.reward]);
    const delivered = await post(
      pledges.action as Handler,
      "/gestion/financement/x/contributions?tier=" + live.reward,
      { intent: "deliver-tier", tierId: live.reward },
      { campaignId: live.id },
    );
    expect(delivered.headers.get("Location")).toBe(
      `/gestion/financement/${live.id}/contributions?tier=${live.reward}&fait=remise`,
    );
    expect((await db.pledge.findUniqueOrThrow({ where: { id: basket.id } })).fulfilledAt).not.toBeNull();
    const unknownTier = await post(
      pledges.action as Handler,
      "/gestion/financement/x/contributions",
      { intent: "deliver-tier", tierId: "clzzzzzzzzzzzzzzzzzzzzzzz" },
      { campaignId: live.id },
    );
    expect(unknownTier.status).toBe(404);
  });

  it("fails below its goal: nothing is charged, and staff record the refund of a transfer received", async () => {
    const live = await liveCampaign();
    const aurore = await createPerson(db, { poleId, name: "Aurore Lebrun" });
    const basket = await pledged(live.id, live.reward, aurore.id, { giftCents: cents(500) });
    const receive = (amount: string) =>
      post(
        pledges.action as Handler,
        "/gestion/financement/x/contributions",
        { intent: "confirm", pledgeId: basket.id, amount, method: "TRANSFER", reference: "VIR-BANQUE" },
        { campaignId: live.id },
      );
    // Less than the basket's price is refused on the amount field; the bank's fee taken from the gift is recorded.
    const short = await receive("29,50");
    expect(short.status).toBe(422);
    expect((await errorsOf(short)).amount?.[0]).toMatch(/^Le montant reçu ne couvre pas le prix de la contrepartie/);
    expect((await receive("34,50")).status).toBe(302);
    expect(await db.pledge.findUniqueOrThrow({ where: { id: basket.id } })).toMatchObject({
      collectedCents: 3_450,
      giftCents: 450,
    });
    const preview = await json<{ preview: { succeeded: boolean } }>(
      await get(campaignPage.loader as Handler, "/gestion/financement/x?fermer=1", "STAFF", { campaignId: live.id }),
    );
    expect(preview.preview.succeeded).toBe(false);
    const closed = await post(
      campaignPage.action as Handler,
      "/gestion/financement/x",
      { intent: "close" },
      {
        campaignId: live.id,
      },
    );
    expect(closed.headers.get("Location")).toBe(`/gestion/financement/${live.id}?fait=echouee`);
    const list = await json<{ rows: { id: string; can: Record<string, boolean> }[] }>(
      await get(pledges.loader as Handler, "/gestion/financement/x/contributions", "STAFF", { campaignId: live.id }),
    );
    expect(list.rows.find((r) => r.id === basket.id)?.can).toMatchObject({ refund: true, confirm: false });
    const refund = () =>
      post(
        pledges.action as Handler,
        "/gestion/financement/x/contributions",
        { intent: "refund", pledgeId: basket.id },
        { campaignId: live.id },
      );
    expect((await refund()).status).toBe(302);
    expect((await db.pledge.findUniqueOrThrow({ where: { id: basket.id } })).status).toBe("REFUNDED");
    const twice = await refund();
    expect(twice.status).toBe(409);
    expect(await errorsOf(twice)).toEqual({ "": ["Aucun remboursement n'est à enregistrer pour cette contribution."] });
  });
});

describe("the register for members", () => {
  it("is shown to a member only when the pole opens it, to staff always, to a plain user never", async () => {
    const open = async (role: Role | null) => get(memberRegister.loader as Handler, "/compte/associes", role);
    expect((await open("MEMBER")).status).toBe(403);
    expect(await json(await open("MEMBER"))).toEqual({
      message: "Le registre des associés n'est pas ouvert à votre compte.",
    });
    expect((await open("USER")).status).toBe(403);
    expect((await open("STAFF")).status).toBe(200);
    expect((await open(null)).headers.get("Location")).toMatch(/^\/connexion/);

    // The admin opens it in the pole's settings, with the other crowdfunding settings.
    const saved = await post(
      settings.action as Handler,
      "/gestion/parametres",
      {
        name: "Pôle",
        legalName: "SCIC du Pôle",
        legalForm: "SCIC SAS",
        paymentTermDays: "30",
        latePenaltyRate: "trois fois le taux d'intérêt légal",
        addressLine: "1 chemin des Champs",
        postalCode: "31450",
        city: "Montgiscard",
        registerVisibleToMembers: "on",
        taxReceiptEligible: "on",
        pledgeGraceDays: "10",
      },
      {},
      "ADMIN",
    );
    expect(saved.status).toBe(200);
    expect(await db.pole.findUniqueOrThrow({ where: { id: poleId } })).toMatchObject({
      registerVisibleToMembers: true,
      taxReceiptEligible: true,
      pledgeGraceDays: 10,
    });
    const member = await open("MEMBER");
    expect(member.status).toBe(200);
    expect(await json(member)).toMatchObject({ register: { rows: [] } });
    expect((await open("USER")).status).toBe(403);

    const bad = await post(
      settings.action as Handler,
      "/gestion/parametres",
      {
        name: "Pôle",
        legalName: "SCIC du Pôle",
        legalForm: "SCIC SAS",
        paymentTermDays: "30",
        latePenaltyRate: "trois fois le taux d'intérêt légal",
        addressLine: "1 chemin des Champs",
        postalCode: "31450",
        city: "Montgiscard",
        pledgeGraceDays: "0",
      },
      {},
      "ADMIN",
    );
    expect(bad.status).toBe(400);
    expect((await errorsOf(bad)).pledgeGraceDays).toEqual(["Le délai est d'au moins 1 jour."]);
  });
});
