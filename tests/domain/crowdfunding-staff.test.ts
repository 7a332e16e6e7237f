import { beforeEach, describe, expect, it } from "vitest";
import { runCommand } from "~/domain/commands.server";
import {
  addTier,
  createCampaign,
  goalSuggestion,
  pledge,
  pledgesCsv,
  publishCampaign,
  publishNews,
  registerCsv,
  registerOfAssociates,
  removeTier,
  staffPledges,
  updateCampaign,
  updateTier,
  type TierInput,
} from "~/domain/crowdfunding/index.server";
import { addPlanLines, createFiscalYear } from "~/domain/ledger/index.server";
import { isoDate } from "~/domain/ledger/dates";
import { cents } from "~/domain/money";
import { db } from "~/utils/db.server";
import { createPassProduct, createPerson, createPole } from "../factories";
import { resetDatabase } from "../helpers";

// The staff side of crowdfunding (issue 14): a campaign edited while a draft and only in its words once
// published, tiers of each kind with their rules, news mailed to the people backing the campaign, the pledges
// list and its CSV, the register of associates, and the goal the business plan suggests.

const NOW = new Date("2027-04-10T08:00:00Z");
const STARTS = new Date("2027-04-01T00:00:00Z");
const ENDS = new Date("2027-05-31T21:59:59Z");
let poleId: string;
let campaignId: string;
let keys = 0;

async function draft(slug = "grange") {
  const created = await createCampaign(db, {
    poleId,
    slug,
    title: "La grange devient tiers-lieu",
    goalCents: cents(2_000_000),
    mode: "ALL_OR_NOTHING",
    startsAt: STARTS,
    endsAt: ENDS,
  });
  if (!created.ok) throw new Error(created.message);
  return created.value.id;
}

const tierInput = (overrides: Partial<TierInput> = {}): TierInput => ({
  poleId,
  campaignId,
  name: "Un panier de légumes",
  kind: "REWARD",
  priceCents: cents(3_000),
  vatRateBp: 550,
  ...overrides,
});

async function tier(overrides: Partial<TierInput> = {}) {
  const added = await addTier(db, tierInput(overrides));
  if (!added.ok) throw new Error(added.message);
  return added.value;
}

async function pledgeOf(personId: string, tierId: string, overrides: Partial<Parameters<typeof pledge>[1]> = {}) {
  const made = await pledge(db, {
    poleId,
    campaignId,
    tierId,
    personId,
    amountCents: cents(3_000),
    method: "TRANSFER",
    idempotencyKey: `cle-${++keys}`,
    now: NOW,
    ...overrides,
  });
  if (!made.ok) throw new Error(made.message);
  return made.value.pledge;
}

const counts = async () => ({
  campaigns: await db.campaign.count(),
  tiers: await db.campaignTier.count(),
  news: await db.campaignNews.count(),
  emails: await db.outboxEmail.count(),
});

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  campaignId = await draft();
});

describe("a campaign", () => {
  it("changes in everything while a draft", async () => {
    const updated = await updateCampaign(db, {
      poleId,
      campaignId,
      slug: "grange-2",
      title: "La grange, saison 2",
      story: "Un récit.",
      imageUrl: "/images/espaces/grange.svg",
      goalCents: cents(1_500_000),
      minimumCents: cents(1_000_000),
      optimumCents: cents(3_000_000),
      mode: "KEEP_IT_ALL",
      startsAt: STARTS,
      endsAt: new Date("2027-06-30T21:59:59Z"),
      maxPledgeCents: cents(500_000),
    });
    expect(updated.ok).toBe(true);
    expect(await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).toMatchObject({
      slug: "grange-2",
      title: "La grange, saison 2",
      goalCents: 1_500_000,
      minimumCents: 1_000_000,
      mode: "KEEP_IT_ALL",
      maxPledgeCents: 500_000,
      imageUrl: "/images/espaces/grange.svg",
    });
  });

  it("refuses bad figures on a draft, each on its field, and writes nothing", async () => {
    const before = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    const base = { poleId, campaignId, title: before.title };
    for (const [change, field] of [
      [{ endsAt: new Date("2027-03-01T00:00:00Z") }, "endsAt"],
      [{ goalCents: cents(0) }, "goalCents"],
      [{ minimumCents: cents(3_000_000) }, "minimumCents"],
      [{ optimumCents: cents(1_000) }, "optimumCents"],
      [{ maxPledgeCents: cents(0) }, "maxPledgeCents"],
    ] as const) {
      const refused = await updateCampaign(db, { ...base, ...change });
      expect(refused).toMatchObject({ ok: false, field, status: 422 });
      if (!refused.ok) expect(refused.message).toMatch(/[éèàù]|objectif|minimum|optimum/);
    }
    await draft("autre");
    expect(await updateCampaign(db, { ...base, slug: "autre" })).toMatchObject({
      ok: false,
      code: "SLUG_TAKEN",
      field: "slug",
      status: 409,
    });
    expect(await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).toEqual(before);
  });

  it("keeps its money, dates and mode once published: only its title, story and image change", async () => {
    await tier();
    expect((await publishCampaign(db, { poleId, campaignId })).ok).toBe(true);
    const before = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    const refused = await updateCampaign(db, {
      poleId,
      campaignId,
      title: "Nouveau titre",
      goalCents: cents(10_000),
    });
    expect(refused).toMatchObject({ ok: false, code: "PUBLISHED", field: "goalCents", status: 409 });
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).title).toBe(before.title);
    // The same figures sent back unchanged are no change.
    const saved = await updateCampaign(db, {
      poleId,
      campaignId,
      title: "Nouveau titre",
      story: "Le chantier avance.",
      imageUrl: null,
      goalCents: cents(before.goalCents),
      startsAt: before.startsAt,
    });
    expect(saved.ok).toBe(true);
    expect(await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).toMatchObject({
      title: "Nouveau titre",
      story: "Le chantier avance.",
      goalCents: before.goalCents,
      endsAt: before.endsAt,
    });
  });

  it("is not another pole's to edit", async () => {
    const other = (await createPole(db)).id;
    expect(await updateCampaign(db, { poleId: other, campaignId, title: "Volée" })).toMatchObject({
      ok: false,
      status: 404,
    });
  });
});

describe("tiers", () => {
  it("price a share tier at its nominal value times its minimum, in its college", async () => {
    const share = await tier({
      name: "Parts citoyennes",
      kind: "SHARE",
      priceCents: cents(1),
      vatRateBp: 2000,
      shareNominalCents: cents(5_000),
      minShares: 2,
      college: "Citoyens",
    });
    expect(share).toMatchObject({
      kind: "SHARE",
      priceCents: 10_000,
      shareNominalCents: 5_000,
      minShares: 2,
      college: "Citoyens",
      vatRateBp: 0,
      rewardKind: null,
    });
  });

  it("refuses a share tier without nominal or college, an unknown booklet, a bad VAT rate — writing nothing", async () => {
    const before = await counts();
    const otherPole = (await createPole(db)).id;
    const foreign = await createPassProduct(db, { poleId: otherPole });
    for (const [input, field] of [
      [{ kind: "SHARE", college: "Citoyens" }, "shareNominalCents"],
      [{ kind: "SHARE", shareNominalCents: cents(5_000) }, "college"],
      [{ kind: "SHARE", shareNominalCents: cents(5_000), college: "Citoyens", minShares: 0 }, "minShares"],
      [{ rewardKind: "BOOKLET", passProductId: "inconnu" }, "passProductId"],
      [{ rewardKind: "BOOKLET", passProductId: foreign.id }, "passProductId"],
      [{ vatRateBp: 1900 }, "vatRateBp"],
      [{ priceCents: cents(0) }, "priceCents"],
      [{ cap: 0 }, "cap"],
    ] as const) {
      const refused = await addTier(db, tierInput(input as Partial<TierInput>));
      expect(refused, JSON.stringify(input)).toMatchObject({ ok: false, field, status: 422 });
    }
    expect(await counts()).toEqual(before);
  });

  it("turn a booklet reward into the pole's pass product, and a symbolic one into a gift without VAT", async () => {
    const product = await createPassProduct(db, { poleId, name: "Carnet 10 demi-journées" });
    const booklet = await tier({ rewardKind: "BOOKLET", passProductId: product.id, vatRateBp: 2000 });
    expect(booklet).toMatchObject({ rewardKind: "BOOKLET", passProductId: product.id, vatRateBp: 2000 });
    const symbolic = await tier({ name: "Votre nom sur le mur", symbolic: true, vatRateBp: 2000 });
    expect(symbolic).toMatchObject({ symbolic: true, vatRateBp: 0, rewardKind: "OTHER" });
  });

  it("are edited and removed while the campaign is a draft, and stay once it is published", async () => {
    const t = await tier();
    const edited = await updateTier(db, {
      ...tierInput({ name: "Deux paniers", priceCents: cents(6_000), cap: 20 }),
      tierId: t.id,
    });
    expect(edited).toMatchObject({ ok: true, value: { name: "Deux paniers", priceCents: 6_000, cap: 20 } });
    const gone = await tier({ name: "À retirer" });
    expect((await removeTier(db, { poleId, campaignId, tierId: gone.id })).ok).toBe(true);
    expect(await db.campaignTier.count({ where: { campaignId } })).toBe(1);

    expect((await publishCampaign(db, { poleId, campaignId })).ok).toBe(true);
    expect(await updateTier(db, { ...tierInput(), tierId: t.id })).toMatchObject({ ok: false, status: 409 });
    expect(await removeTier(db, { poleId, campaignId, tierId: t.id })).toMatchObject({ ok: false, status: 409 });
    expect(await addTier(db, tierInput())).toMatchObject({ ok: false, status: 409 });
    expect(await db.campaignTier.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({ name: "Deux paniers" });
  });

  it("of another campaign are not found", async () => {
    const other = await draft("autre");
    const t = await tier({ campaignId: other });
    expect(await removeTier(db, { poleId, campaignId, tierId: t.id })).toMatchObject({ ok: false, status: 404 });
  });
});

describe("news", () => {
  it("is mailed through the outbox to each person backing the campaign, once each, after the commit", async () => {
    const t = await tier();
    await publishCampaign(db, { poleId, campaignId });
    const backer = await createPerson(db, { poleId, name: "Aurore Lebrun", email: "aurore@exemple.test" });
    const twice = await createPerson(db, { poleId, email: "deux-fois@exemple.test" });
    const collected = await createPerson(db, { poleId, email: "encaisse@exemple.test" });
    const cardPending = await createPerson(db, { poleId, email: "carte-en-attente@exemple.test" });
    const cancelled = await createPerson(db, { poleId, email: "annule@exemple.test" });
    await pledgeOf(backer.id, t.id);
    await pledgeOf(twice.id, t.id);
    await pledgeOf(twice.id, t.id);
    const paid = await pledgeOf(collected.id, t.id);
    await db.pledge.update({
      where: { id: paid.id },
      data: { status: "COLLECTED", collectedCents: 3_000, collectedAt: NOW },
    });
    await pledgeOf(cardPending.id, t.id, { method: "STRIPE" });
    const gone = await pledgeOf(cancelled.id, t.id);
    await db.pledge.update({ where: { id: gone.id }, data: { status: "CANCELLED" } });
    const staff = await createPerson(db, { poleId, role: "STAFF" });

    const published = await runCommand(publishNews, {
      poleId,
      campaignId,
      title: "La charpente est posée",
      body: "Merci à toutes et tous.\n\nProchaine étape : la toiture.",
      authorId: staff.id,
      now: NOW,
    });
    expect(published.ok).toBe(true);
    const emails = await db.outboxEmail.findMany({ orderBy: { to: "asc" } });
    expect(emails.map((e) => e.to)).toEqual(["aurore@exemple.test", "deux-fois@exemple.test", "encaisse@exemple.test"]);
    expect(emails[0].subject).toContain("La charpente est posée");
    expect(emails[0].text).toContain("Bonjour Aurore Lebrun");
    expect(emails[0].text).toContain("Prochaine étape : la toiture.");
    expect(emails[0].text).toContain("/financement/grange");
    expect(await db.campaignNews.findMany()).toMatchObject([
      { campaignId, title: "La charpente est posée", authorId: staff.id, publishedAt: NOW },
    ]);
  });

  it("is refused on a draft and when empty, writing and sending nothing", async () => {
    const before = await counts();
    const input = { poleId, campaignId, title: "Titre", body: "Texte", authorId: "x", now: NOW };
    expect(await runCommand(publishNews, input)).toMatchObject({ ok: false, code: "DRAFT", status: 409 });
    await tier();
    await publishCampaign(db, { poleId, campaignId });
    expect(await runCommand(publishNews, { ...input, title: "  " })).toMatchObject({ ok: false, field: "title" });
    expect(await runCommand(publishNews, { ...input, body: "" })).toMatchObject({ ok: false, field: "body" });
    expect(await counts()).toEqual({ ...before, tiers: before.tiers + 1 });
  });
});

describe("the pledges list", () => {
  it("filters by status, tier, method and name or email, page by page, and exports every state as CSV", async () => {
    const basket = await tier();
    const big = await tier({ name: "Une visite de la ferme", priceCents: cents(10_000) });
    await publishCampaign(db, { poleId, campaignId });
    const aurore = await createPerson(db, { poleId, name: "Aurore Lebrun", email: "aurore@exemple.test" });
    const malik = await createPerson(db, { poleId, name: "Malik Ferhat", email: "malik@exemple.test" });
    await pledgeOf(aurore.id, basket.id, { giftCents: cents(500), anonymous: true });
    await pledgeOf(malik.id, big.id, { amountCents: cents(10_000), method: "CHEQUE" });
    const card = await pledgeOf(malik.id, basket.id, { method: "STRIPE" });
    await db.pledge.update({ where: { id: card.id }, data: { status: "CANCELLED" } });

    const list = (f: Partial<Parameters<typeof staffPledges>[1]> = {}) =>
      staffPledges(db, { poleId, campaignId, page: 1, ...f });
    expect((await list()).total).toBe(3);
    expect((await list({ status: "SECURED" })).total).toBe(2);
    expect((await list({ tierId: big.id })).rows.map((r) => r.person.name)).toEqual(["Malik Ferhat"]);
    expect((await list({ method: "CHEQUE" })).total).toBe(1);
    expect((await list({ q: "AURORE" })).rows.map((r) => r.giftCents)).toEqual([500]);
    expect((await list({ q: "malik@" })).total).toBe(2);
    expect(await list({ page: 2 })).toMatchObject({ page: 2, pageCount: 1, rows: [] });
    // Another campaign's pledges are not in this one's list.
    expect((await staffPledges(db, { poleId, campaignId: await draft("autre"), page: 1 })).total).toBe(0);

    const csv = await pledgesCsv(db, { poleId, campaignId });
    expect(csv.startsWith("\uFEFFDate;Contributeur;Email;Anonyme;Contrepartie")).toBe(true);
    const lines = csv.trim().split("\r\n");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(
      "Aurore Lebrun;aurore@exemple.test;oui;Un panier de légumes;Contrepartie;;30,00;5,00;35,00;0,00;Promise;Virement",
    );
    expect(lines[3]).toContain("Annulée;Carte");
    expect((await pledgesCsv(db, { poleId, campaignId, status: "CANCELLED" })).trim().split("\r\n")).toHaveLength(2);
  });
});

describe("the register of associates", () => {
  it("lists admitted share subscriptions only, in order of admission, and as CSV", async () => {
    const shares = await tier({
      name: "Parts citoyennes",
      kind: "SHARE",
      shareNominalCents: cents(5_000),
      minShares: 2,
      college: "Citoyens",
    });
    const basket = await tier();
    await publishCampaign(db, { poleId, campaignId });
    const people = await Promise.all(
      ["Zoé Martin", "Aurore Lebrun", "Malik Ferhat", "Inès Roux"].map((name) => createPerson(db, { poleId, name })),
    );
    const [zoe, aurore, malik, ines] = people;
    const admit = async (pledgeId: string, admittedAt: Date | null, status = "COLLECTED" as const) =>
      db.pledge.update({ where: { id: pledgeId }, data: { status, admittedAt } });
    const z = await pledgeOf(zoe.id, shares.id, { shares: 4 });
    const a = await pledgeOf(aurore.id, shares.id, { shares: 2 });
    const m = await pledgeOf(malik.id, shares.id, { shares: 3 });
    const i = await pledgeOf(ines.id, basket.id);
    await admit(z.id, new Date("2027-06-20T10:00:00Z"));
    await admit(a.id, new Date("2027-06-12T22:30:00Z"));
    await admit(m.id, null);
    await admit(i.id, new Date("2027-06-12T10:00:00Z"));

    const register = await registerOfAssociates(db, poleId);
    expect(register).toMatchObject({ associates: 2, shares: 6, capitalCents: 30_000 });
    expect(register.rows.map((r) => [r.name, r.college, r.shares, r.admittedOn])).toEqual([
      // 22:30 UTC on 12 June is 13 June in Paris.
      ["Aurore Lebrun", "Citoyens", 2, "2027-06-13"],
      ["Zoé Martin", "Citoyens", 4, "2027-06-20"],
    ]);
    expect(register.rows[0].subscribedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const file = await registerCsv(db, poleId);
    expect(file.startsWith("\uFEFF")).toBe(true);
    const csv = file.slice(1).trim().split("\r\n");
    expect(csv[0]).toBe(
      "Associé;Collège;Nombre de parts;Valeur nominale;Montant souscrit;Date de souscription;Date d'admission;Campagne",
    );
    expect(csv[1]).toMatch(
      /^Aurore Lebrun;Citoyens;2;50,00;100,00;\d\d\/\d\d\/\d{4};13\/06\/2027;La grange devient tiers-lieu$/,
    );
    expect(csv).toHaveLength(3);
  });
});

describe("the goal suggestion", () => {
  it("adds the CROWDFUNDING plan lines whose month or year meets the campaign's period", async () => {
    const year = await createFiscalYear(db, {
      poleId,
      startDate: isoDate("2027-01-01"),
      endDate: isoDate("2027-12-31"),
    });
    if (!year.ok) throw new Error(year.message);
    await addPlanLines(db, {
      poleId,
      fiscalYearId: year.value.id,
      lines: [
        { stream: "CROWDFUNDING", label: "Campagne de la grange", month: 5, amount: 2_000_000 },
        { stream: "CROWDFUNDING", label: "Campagne de la grange", month: 9, amount: 700_000 },
        { stream: "CROWDFUNDING", label: "Dons au fil de l'eau", amount: 300_000 },
        { stream: "COWORKING", label: "Postes", month: 5, amount: 900_000 },
      ],
    });
    const suggestion = await goalSuggestion(db, { poleId, startsAt: STARTS, endsAt: ENDS });
    expect(suggestion.totalCents).toBe(2_300_000);
    expect(suggestion.lines.map((l) => [l.label, l.period])).toEqual([
      ["Campagne de la grange", "mai 2027"],
      ["Dons au fil de l'eau", "exercice 2027"],
    ]);
    // A period that meets no year of the plan suggests nothing.
    const later = await goalSuggestion(db, {
      poleId,
      startsAt: new Date("2029-01-01T00:00:00Z"),
      endsAt: new Date("2029-02-01T00:00:00Z"),
    });
    expect(later).toMatchObject({ totalCents: 0, lines: [] });
  });
});
