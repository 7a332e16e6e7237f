import { beforeEach, describe, expect, it } from "vitest";
import { pledge } from "~/domain/crowdfunding/index.server";
import { cents } from "~/domain/money";
import * as myPledgeCertificate from "~/routes/compte+/contributions.$pledgeId.certificat[.pdf]";
import * as myPledgeReceipt from "~/routes/compte+/contributions.$pledgeId.recu-fiscal[.pdf]";
import * as myPledge from "~/routes/compte+/contributions.$pledgeId";
import * as myPledges from "~/routes/compte+/contributions._index";
import * as account from "~/routes/compte+/_index";
import * as campaignPage from "~/routes/financement+/$slug";
import * as pledgeForm from "~/routes/financement+/$slug_.contribuer";
import * as campaigns from "~/routes/financement+/_index";
import * as confirmLink from "~/routes/inscription+/confirmer";
import { db } from "~/utils/db.server";
import { createPublishedCampaign } from "../campaign-factories";
import { createPerson, createPole } from "../factories";
import { callRoute, errorsOf, makeRequest, resetDatabase, sessionCookie } from "../helpers";
import { useStripeMock } from "../mocks/stripe";
import { pdfText } from "../pdf-text";

// The citizen's side of crowdfunding: the campaigns list, a campaign's page, the pledge form (signed in or with an
// account made on the way) and Mon compte › Mes contributions. Every bad pledge is a French 4xx with nothing
// written; a citizen sees and touches only their own pledges. Routes run on the real clock.

const DAY = 86_400_000;
let poleId: string;
let live: Awaited<ReturnType<typeof createPublishedCampaign>>;
let other: Awaited<ReturnType<typeof createPublishedCampaign>>;
let citizen: Awaited<ReturnType<typeof createPerson>>;
let neighbour: Awaited<ReturnType<typeof createPerson>>;
let cookies: { citizen: string; neighbour: string };
let keys = 0;

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db, { legalName: "SCIC Organic'Vallée" })).id;
  const now = Date.now();
  live = await createPublishedCampaign(db, {
    poleId,
    slug: "grange",
    goalCents: 1_000_000,
    minimumCents: 600_000,
    optimumCents: 1_500_000,
    endsAt: new Date(now + 20 * DAY),
    tiers: [
      { kind: "GIFT", name: "Don libre", priceCents: 500 },
      { kind: "REWARD", name: "Carnet de 10 demi-journées", priceCents: 12_000, cap: 30 },
      { kind: "REWARD", name: "Visite du chantier", priceCents: 3_000, cap: 1 },
      { kind: "SHARE", name: "Devenir sociétaire", nominalCents: 5_000, minShares: 2 },
    ],
  });
  other = await createPublishedCampaign(db, {
    poleId,
    slug: "pressoir",
    title: "Un pressoir partagé",
    mode: "KEEP_IT_ALL",
    endsAt: new Date(now + 40 * DAY),
    tiers: [{ kind: "GIFT", name: "Don au pressoir", priceCents: 500 }],
  });
  citizen = await createPerson(db, { poleId, name: "Aurore Lebrun", email: "aurore.lebrun@exemple.test" });
  neighbour = await createPerson(db, { poleId, name: "Malik Ferhat", email: "malik.ferhat@exemple.test" });
  cookies = { citizen: await sessionCookie(citizen.id), neighbour: await sessionCookie(neighbour.id) };
});

/** A pledge made through the domain (offline: secured at once). */
async function pledged(
  personId: string,
  tierName: string,
  overrides: { amountCents?: number; shares?: number; anonymous?: boolean; campaign?: typeof live } = {},
) {
  const campaign = overrides.campaign ?? live;
  const made = await pledge(db, {
    poleId,
    campaignId: campaign.id,
    tierId: campaign.tiers[tierName],
    personId,
    amountCents: cents(overrides.amountCents ?? 12_000),
    shares: overrides.shares,
    anonymous: overrides.anonymous,
    method: "TRANSFER",
    idempotencyKey: `cle-${++keys}`,
    now: new Date(),
  });
  if (!made.ok) throw new Error(made.message);
  return made.value.pledge;
}

const form = (fields: Record<string, string> = {}) => ({
  tierId: live.tiers["Carnet de 10 demi-journées"],
  amount: "120,00",
  gift: "",
  visibility: "named",
  method: "TRANSFER",
  idempotencyKey: `formulaire-${++keys}`,
  ...fields,
});
const postPledge = (fields: Record<string, string>, options: { slug?: string; cookie?: string | null } = {}) =>
  callRoute(
    pledgeForm.action,
    makeRequest(`/financement/${options.slug ?? "grange"}/contribuer`, {
      form: fields,
      cookie: options.cookie === null ? undefined : (options.cookie ?? cookies.citizen),
    }),
    { slug: options.slug ?? "grange" },
  );

/** What a refused pledge must leave as it was: pledges, places claimed, the campaigns' progress, sign-ups, emails. */
async function snapshot() {
  return {
    pledges: await db.pledge.count(),
    claimed: (await db.campaignTier.findMany({ orderBy: { id: "asc" } })).map((t) => t.claimed),
    progress: (await db.campaign.findMany({ orderBy: { id: "asc" } })).map((c) => [c.pledgedCents, c.pledgeCount]),
    signUps: await db.signUpRequest.count(),
    emails: await db.outboxEmail.count(),
  };
}

describe("the campaigns list", () => {
  it("shows the open campaigns first, then past ones with their result, never a draft", async () => {
    await createPublishedCampaign(db, {
      poleId,
      slug: "brouillon",
      title: "Un brouillon",
      tiers: [{ kind: "GIFT", name: "Don", priceCents: 500 }],
      status: "DRAFT",
    });
    const past = await createPublishedCampaign(db, {
      poleId,
      slug: "serre",
      title: "Une serre pour les semis",
      startsAt: new Date(Date.now() - 90 * DAY),
      endsAt: new Date(Date.now() - 30 * DAY),
      tiers: [{ kind: "GIFT", name: "Don", priceCents: 500 }],
      status: "SUCCEEDED",
    });
    await db.campaign.update({
      where: { id: past.id },
      data: { finalPledgedCents: 2_100_000, finalCollectedCents: 2_100_000, finalCount: 88 },
    });
    await pledged(citizen.id, "Carnet de 10 demi-journées", { amountCents: 15_000 });

    const response = await callRoute(campaigns.loader, makeRequest("/financement"));
    expect(response.status).toBe(200);
    const data = await response.json();
    // The soonest deadline first among the open ones.
    expect(data.live.map((c: { slug: string }) => c.slug)).toEqual(["grange", "pressoir"]);
    expect(data.past.map((c: { slug: string; phase: string }) => [c.slug, c.phase])).toEqual([["serre", "SUCCEEDED"]]);
    expect(data.live[0]).toMatchObject({
      title: "La grange devient tiers-lieu",
      mode: "ALL_OR_NOTHING",
      phase: "LIVE",
      progress: { pledgedCents: 15_000, goalCents: 1_000_000, contributors: 1, percent: 1, daysLeft: 20 },
    });
    expect(data.live[0].summary).toMatch(/^La grange du domaine/);
    expect(data.past[0].progress).toMatchObject({ pledgedCents: 2_100_000, contributors: 88, percent: 105 });
  });
});

describe("a campaign's page", () => {
  it("shows the story as clean rich text, the progress from the counters, the tiers' places and the named contributors", async () => {
    await pledged(citizen.id, "Carnet de 10 demi-journées", { amountCents: 20_000 });
    await pledged(neighbour.id, "Visite du chantier", { amountCents: 3_000, anonymous: true });
    await db.campaign.update({ where: { id: live.id }, data: { collectedCents: 20_000 } });
    await db.campaignNews.create({
      data: {
        campaignId: live.id,
        title: "La charpente est saine",
        body: "Bonne nouvelle : **la charpente** tient. <img src=x onerror=alert(1)>",
        publishedAt: new Date(Date.now() - DAY),
      },
    });

    const response = await callRoute(campaignPage.loader, makeRequest("/financement/grange"), { slug: "grange" });
    expect(response.status).toBe(200);
    const data = await response.json();
    expect(data.open).toBe(true);
    expect(data.progress).toEqual({
      goalCents: 1_000_000,
      pledgedCents: 23_000,
      collectedCents: 20_000,
      promisedCents: 3_000,
      contributors: 2,
      percent: 2,
      daysLeft: 20,
    });
    expect(data.campaign).toMatchObject({ minimumCents: 600_000, optimumCents: 1_500_000, mode: "ALL_OR_NOTHING" });
    // Staff's Markdown, rendered; a script or an event handler never reaches the page.
    expect(data.campaign.storyHtml).toContain("<strong>tiers-lieu du pôle</strong>");
    expect(data.campaign.storyHtml).not.toMatch(/<script|alert\(/);
    expect(data.news[0].html).toContain("<strong>la charpente</strong>");
    expect(data.news[0].html).not.toMatch(/onerror/);
    const tiers = Object.fromEntries(
      data.tiers.map((t: { name: string; placesLeft: number | null; soldOut: boolean }) => [
        t.name,
        [t.placesLeft, t.soldOut],
      ]),
    );
    expect(tiers).toEqual({
      "Don libre": [null, false],
      "Carnet de 10 demi-journées": [29, false],
      "Visite du chantier": [0, true],
      "Devenir sociétaire": [null, false],
    });
    // Named ones only, first name and initial; the anonymous neighbour is not listed.
    expect(data.contributors.map((c: { name: string }) => c.name)).toEqual(["Aurore L."]);
    expect(JSON.stringify(data)).not.toContain("Lebrun");
    expect(JSON.stringify(data)).not.toContain("Ferhat");
  });

  it("answers 404 for a draft or an unknown campaign, and says a past one takes no pledge", async () => {
    await createPublishedCampaign(db, {
      poleId,
      slug: "brouillon",
      tiers: [{ kind: "GIFT", name: "Don", priceCents: 500 }],
      status: "DRAFT",
    });
    for (const slug of ["brouillon", "inconnue"])
      expect((await callRoute(campaignPage.loader, makeRequest(`/financement/${slug}`), { slug })).status).toBe(404);
    await createPublishedCampaign(db, {
      poleId,
      slug: "serre",
      startsAt: new Date(Date.now() - 60 * DAY),
      endsAt: new Date(Date.now() - DAY),
      tiers: [{ kind: "GIFT", name: "Don", priceCents: 500 }],
    });
    const past = await (
      await callRoute(campaignPage.loader, makeRequest("/financement/serre"), { slug: "serre" })
    ).json();
    expect(past).toMatchObject({ open: false, phase: "CLOSING" });
  });
});

describe("the pledge form", () => {
  it("records a signed-in person's transfer pledge once, even sent twice, and leads to its payment details", async () => {
    const fields = form({ amount: "150", gift: "10,50", visibility: "anonymous" });
    const first = await postPledge(fields);
    expect(first.status).toBe(302);
    const made = await db.pledge.findFirstOrThrow();
    expect(first.headers.get("Location")).toBe(`/compte/contributions/${made.id}?merci`);
    expect(made).toMatchObject({
      personId: citizen.id,
      amountCents: 15_000,
      giftCents: 1_050,
      anonymous: true,
      method: "TRANSFER",
      status: "SECURED",
    });
    const again = await postPledge(fields);
    expect(again.headers.get("Location")).toBe(`/compte/contributions/${made.id}?merci`);
    expect(await db.pledge.count()).toBe(1);
    const mail = await db.outboxEmail.findFirstOrThrow({ where: { to: citizen.email } });
    expect(mail.subject).toContain("contribution enregistrée");
    expect(mail.text).toContain(`CF-${made.id.slice(-8).toUpperCase()}`);
    expect(await db.outboxEmail.count()).toBe(1);

    const page = await callRoute(
      myPledge.loader,
      makeRequest(`/compte/contributions/${made.id}?merci`, { cookie: cookies.citizen }),
      { pledgeId: made.id },
    );
    expect(await page.json()).toMatchObject({
      pledge: { reference: `CF-${made.id.slice(-8).toUpperCase()}`, totalCents: 16_050, status: "SECURED" },
      payee: { legalName: "SCIC Organic'Vallée" },
    });
  });

  it("subscribes shares: the amount is the nominal value times the number", async () => {
    const response = await postPledge(
      form({ tierId: live.tiers["Devenir sociétaire"], amount: "", shares: "3", method: "CHEQUE" }),
    );
    expect(response.status).toBe(302);
    expect(await db.pledge.findFirstOrThrow()).toMatchObject({ shares: 3, amountCents: 15_000, method: "CHEQUE" });
  });

  const share = () => live.tiers["Devenir sociétaire"];
  const cases: [string, () => Record<string, string>, number, string, string][] = [
    [
      "an amount under the tier's price",
      () => form({ amount: "119,99" }),
      422,
      "amount",
      "Le montant ne peut pas être inférieur au prix de la contrepartie.",
    ],
    [
      "three decimals",
      () => form({ amount: "120,005" }),
      400,
      "amount",
      "Un montant compte au plus deux décimales (centimes).",
    ],
    ["a negative amount", () => form({ amount: "-120" }), 400, "amount", "Un montant ne peut pas être négatif."],
    [
      "a non-numeric amount",
      () => form({ amount: "cent vingt" }),
      400,
      "amount",
      "Indiquez un montant en euros, par exemple 1 234,56.",
    ],
    ["a negative gift", () => form({ gift: "-5" }), 400, "gift", "Un montant ne peut pas être négatif."],
    ["no amount", () => form({ amount: "" }), 422, "amount", "Indiquez un montant supérieur à zéro."],
    [
      "a sold-out tier",
      () => form({ tierId: live.tiers["Visite du chantier"], amount: "30" }),
      409,
      "tierId",
      "Cette contrepartie est épuisée : choisissez-en une autre.",
    ],
    [
      "another campaign's tier",
      () => form({ tierId: other.tiers["Don au pressoir"], amount: "30" }),
      422,
      "tierId",
      "Choisissez une contrepartie de cette campagne.",
    ],
    [
      "shares not a whole number",
      () => form({ tierId: share(), amount: "", shares: "2,5" }),
      400,
      "shares",
      "Indiquez un nombre entier de parts.",
    ],
    [
      "shares a decimal number",
      () => form({ tierId: share(), amount: "", shares: "2.5" }),
      400,
      "shares",
      "Indiquez un nombre entier de parts.",
    ],
    [
      "shares under the minimum",
      () => form({ tierId: share(), amount: "", shares: "1" }),
      422,
      "shares",
      "La souscription compte au moins 2 parts.",
    ],
    [
      "a card where Stripe is not set up",
      () => form({ method: "STRIPE" }),
      422,
      "method",
      "Le paiement par carte n'est pas proposé par le pôle : choisissez le virement ou le chèque.",
    ],
    ["an unknown method", () => form({ method: "CASH" }), 400, "method", "Choisissez un moyen de paiement."],
    [
      "no idempotency key",
      () => form({ idempotencyKey: "" }),
      400,
      "idempotencyKey",
      "Rechargez la page : le formulaire a expiré.",
    ],
  ];
  it.each(cases)(
    "refuses %s in French with a 4xx and writes nothing",
    async (_what, fields, status, field, message) => {
      await pledged(neighbour.id, "Visite du chantier", { amountCents: 3_000 });
      const before = await snapshot();
      const response = await postPledge(fields());
      expect(response.status).toBe(status);
      expect((await errorsOf(response))[field]).toEqual([message]);
      expect(await snapshot()).toEqual(before);
    },
  );

  it("refuses a pledge to a draft (404) or a past campaign (409), and writes nothing", async () => {
    const draft = await createPublishedCampaign(db, {
      poleId,
      slug: "brouillon",
      tiers: [{ kind: "GIFT", name: "Don", priceCents: 500 }],
      status: "DRAFT",
    });
    const past = await createPublishedCampaign(db, {
      poleId,
      slug: "serre",
      startsAt: new Date(Date.now() - 60 * DAY),
      endsAt: new Date(Date.now() - DAY),
      tiers: [{ kind: "GIFT", name: "Don", priceCents: 500 }],
    });
    const before = await snapshot();
    const toDraft = await postPledge(form({ tierId: draft.tiers.Don, amount: "10" }), { slug: "brouillon" });
    expect(toDraft.status).toBe(404);
    const toPast = await postPledge(form({ tierId: past.tiers.Don, amount: "10" }), { slug: "serre" });
    expect(toPast.status).toBe(409);
    expect((await errorsOf(toPast))[""]).toEqual([
      "Cette campagne est terminée : elle ne reçoit plus de contributions.",
    ]);
    // The same refusals for a visitor, before any sign-up is kept.
    const visitor = { name: "Inès Morel", email: "ines.morel@exemple.test", password: "une phrase de passe solide" };
    const visitorToPast = await postPledge(form({ tierId: past.tiers.Don, amount: "10", ...visitor }), {
      slug: "serre",
      cookie: null,
    });
    expect(visitorToPast.status).toBe(409);
    const visitorSoldOut = await postPledge(form({ amount: "10", ...visitor }), { cookie: null });
    expect(visitorSoldOut.status).toBe(422);
    expect((await errorsOf(visitorSoldOut)).amount).toEqual([
      "Le montant ne peut pas être inférieur au prix de la contrepartie.",
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it("keeps a visitor's pledge until the address is confirmed, then makes the account and records it", async () => {
    const visitor = { name: "Inès Morel", email: "Ines.Morel@exemple.test", password: "une phrase de passe solide" };
    const response = await postPledge(form({ amount: "130", ...visitor }), { cookie: null });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sent: true, email: "ines.morel@exemple.test" });
    expect(await db.pledge.count()).toBe(0);
    const stored = await db.signUpRequest.findFirstOrThrow();
    expect(stored.followUpKind).toBe("PLEDGE");
    expect(JSON.stringify(stored.followUpPayload)).not.toContain(visitor.password);

    const mail = await db.outboxEmail.findFirstOrThrow({ where: { to: "ines.morel@exemple.test" } });
    const token = new URL(/(https?:\/\/\S+\/inscription\/confirmer\?jeton=\S+)/.exec(mail.text)![1]).searchParams.get(
      "jeton",
    )!;
    const page = await callRoute(confirmLink.loader, makeRequest(`/inscription/confirmer?jeton=${token}`));
    expect(await page.json()).toMatchObject({
      confirmLabel: "Confirmer mon adresse et enregistrer ma contribution",
    });
    const confirmed = await callRoute(
      confirmLink.action,
      makeRequest("/inscription/confirmer", { form: { token, password: visitor.password } }),
    );
    expect(confirmed.status).toBe(302);
    const made = await db.pledge.findFirstOrThrow({ include: { person: true } });
    expect(confirmed.headers.get("Location")).toBe(`/compte/contributions/${made.id}?merci`);
    expect(made).toMatchObject({
      amountCents: 13_000,
      status: "SECURED",
      person: { email: "ines.morel@exemple.test" },
    });
  });
});

describe("Mon compte › Mes contributions", () => {
  it("lists the person's own pledges only, with their state in French", async () => {
    const mine = await pledged(citizen.id, "Carnet de 10 demi-journées", { amountCents: 12_000 });
    await pledged(neighbour.id, "Don libre", { amountCents: 5_000 });
    const response = await callRoute(
      myPledges.loader,
      makeRequest("/compte/contributions", { cookie: cookies.citizen }),
    );
    const data = await response.json();
    expect(data.pledges).toHaveLength(1);
    expect(data.pledges[0]).toMatchObject({
      id: mine.id,
      status: "SECURED",
      changeable: true,
      payable: false,
      certificate: false,
      taxReceipt: false,
      campaign: { slug: "grange" },
    });
    const home = await (await callRoute(account.loader, makeRequest("/compte", { cookie: cookies.citizen }))).json();
    expect(home.pledges).toEqual({ count: 1, totalCents: 12_000, toPay: 0, register: false });
  });

  it("answers 404 for someone else's pledge: its page, its documents, and any action on it", async () => {
    const theirs = await pledged(neighbour.id, "Devenir sociétaire", { shares: 2 });
    await db.pledge.update({ where: { id: theirs.id }, data: { status: "COLLECTED", collectedCents: 10_000 } });
    const asCitizen = (path: string) => makeRequest(path, { cookie: cookies.citizen });
    for (const [route, path] of [
      [myPledge.loader, `/compte/contributions/${theirs.id}`],
      [myPledgeCertificate.loader, `/compte/contributions/${theirs.id}/certificat.pdf`],
      [myPledgeReceipt.loader, `/compte/contributions/${theirs.id}/recu-fiscal.pdf`],
    ] as const)
      expect((await callRoute(route, asCitizen(path), { pledgeId: theirs.id })).status).toBe(404);
    const cancel = await callRoute(
      myPledges.action,
      makeRequest("/compte/contributions", {
        cookie: cookies.citizen,
        form: { intent: "cancel", pledgeId: theirs.id },
      }),
    );
    expect(cancel.status).toBe(404);
    expect((await db.pledge.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("COLLECTED");
    // Its owner gets the certificate.
    const certificate = await callRoute(
      myPledgeCertificate.loader,
      makeRequest(`/compte/contributions/${theirs.id}/certificat.pdf`, { cookie: cookies.neighbour }),
      { pledgeId: theirs.id },
    );
    expect(certificate.status).toBe(200);
    expect(certificate.headers.get("Content-Type")).toBe("application/pdf");
    const text = pdfText(Buffer.from(await certificate.arrayBuffer()));
    expect(text).toContain("Malik Ferhat");
    expect(text).toMatch(/2 parts sociales/);
  });

  it("cancels an open pledge before the deadline and gives its place back", async () => {
    const mine = await pledged(citizen.id, "Carnet de 10 demi-journées");
    const response = await callRoute(
      myPledges.action,
      makeRequest("/compte/contributions", { cookie: cookies.citizen, form: { intent: "cancel", pledgeId: mine.id } }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/compte/contributions?contribution=annulee");
    expect((await db.pledge.findUniqueOrThrow({ where: { id: mine.id } })).status).toBe("CANCELLED");
    expect(
      (await db.campaignTier.findUniqueOrThrow({ where: { id: live.tiers["Carnet de 10 demi-journées"] } })).claimed,
    ).toBe(0);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: live.id } })).pledgeCount).toBe(0);
  });

  it("refuses a change's bad amount in French, field by field, and changes nothing", async () => {
    const mine = await pledged(citizen.id, "Carnet de 10 demi-journées");
    const change = (fields: Record<string, string>) =>
      callRoute(
        myPledges.action,
        makeRequest("/compte/contributions", {
          cookie: cookies.citizen,
          form: {
            intent: "change",
            pledgeId: mine.id,
            tierId: live.tiers["Carnet de 10 demi-journées"],
            visibility: "named",
            ...fields,
          },
        }),
      );
    for (const [amount, message] of [
      ["12,345", "Un montant compte au plus deux décimales (centimes)."],
      ["-1", "Un montant ne peut pas être négatif."],
      ["beaucoup", "Indiquez un montant en euros, par exemple 1 234,56."],
    ]) {
      const response = await change({ amount });
      expect(response.status).toBe(400);
      expect((await errorsOf(response)).amount).toEqual([message]);
    }
    expect(await db.pledge.findUniqueOrThrow({ where: { id: mine.id } })).toEqual(mine);
  });

  it("changes an open pledge's tier, amount, gift and anonymity; the places and the progress follow", async () => {
    const mine = await pledged(citizen.id, "Carnet de 10 demi-journées");
    const response = await callRoute(
      myPledges.action,
      makeRequest("/compte/contributions", {
        cookie: cookies.citizen,
        form: {
          intent: "change",
          pledgeId: mine.id,
          tierId: live.tiers["Devenir sociétaire"],
          amount: "",
          shares: "4",
          gift: "5",
          visibility: "anonymous",
        },
      }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/compte/contributions?contribution=modifiee");
    expect(await db.pledge.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({
      tierId: live.tiers["Devenir sociétaire"],
      shares: 4,
      amountCents: 20_000,
      giftCents: 500,
      anonymous: true,
    });
    expect((await db.campaign.findUniqueOrThrow({ where: { id: live.id } })).pledgedCents).toBe(20_500);
    const stranger = await callRoute(
      myPledges.action,
      makeRequest("/compte/contributions", {
        cookie: cookies.neighbour,
        form: {
          intent: "change",
          pledgeId: mine.id,
          tierId: live.tiers["Don libre"],
          amount: "5",
          visibility: "named",
        },
      }),
    );
    expect(stranger.status).toBe(404);
  });

  it("gives a tax receipt only where the pole is eligible, for a gift whose money is in and kept", async () => {
    const gift = await pledged(citizen.id, "Don au pressoir", { amountCents: 5_000, campaign: other });
    await db.pledge.update({ where: { id: gift.id }, data: { status: "COLLECTED", collectedCents: 5_000 } });
    const receipt = () =>
      callRoute(
        myPledgeReceipt.loader,
        makeRequest(`/compte/contributions/${gift.id}/recu-fiscal.pdf`, { cookie: cookies.citizen }),
        { pledgeId: gift.id },
      );
    expect((await receipt()).status).toBe(404);
    await db.pole.update({ where: { id: poleId }, data: { taxReceiptEligible: true } });
    const eligible = await receipt();
    expect(eligible.status).toBe(200);
    const text = pdfText(Buffer.from(await eligible.arrayBuffer()));
    expect(text).toContain("Aurore Lebrun");
    expect(text).toContain("50,00");
    // A reward is a sale: never a tax receipt, whatever the pole.
    const reward = await pledged(citizen.id, "Carnet de 10 demi-journées");
    await db.pledge.update({ where: { id: reward.id }, data: { status: "COLLECTED", collectedCents: 12_000 } });
    const list = await (
      await callRoute(myPledges.loader, makeRequest("/compte/contributions", { cookie: cookies.citizen }))
    ).json();
    expect(
      Object.fromEntries(list.pledges.map((p: { id: string; taxReceipt: boolean }) => [p.id, p.taxReceipt])),
    ).toEqual({ [gift.id]: true, [reward.id]: false });
  });
});

describe("by card", () => {
  const { state } = useStripeMock();

  it("saves the card on Stripe for an all-or-nothing campaign, and offers it again from Mon compte", async () => {
    const response = await postPledge(form({ method: "STRIPE" }));
    expect(response.status).toBe(302);
    const made = await db.pledge.findFirstOrThrow();
    expect(made).toMatchObject({ method: "STRIPE", status: "PENDING" });
    const session = state.sessions.get(made.stripeSetupSessionId!);
    expect(session?.mode).toBe("setup");
    expect(response.headers.get("Location")).toBe(session?.url);

    const list = await (
      await callRoute(myPledges.loader, makeRequest("/compte/contributions", { cookie: cookies.citizen }))
    ).json();
    expect(list.pledges[0]).toMatchObject({ id: made.id, payable: true });
    const again = await callRoute(
      myPledges.action,
      makeRequest("/compte/contributions", { cookie: cookies.citizen, form: { intent: "pay", pledgeId: made.id } }),
    );
    expect(again.status).toBe(302);
    const stranger = await callRoute(
      myPledges.action,
      makeRequest("/compte/contributions", { cookie: cookies.neighbour, form: { intent: "pay", pledgeId: made.id } }),
    );
    expect(stranger.status).toBe(404);
  });

  it("pays at once for a keep-it-all campaign", async () => {
    const response = await postPledge(
      form({ tierId: other.tiers["Don au pressoir"], amount: "25", method: "STRIPE" }),
      { slug: "pressoir" },
    );
    expect(response.status).toBe(302);
    const payment = await db.payment.findFirstOrThrow({ where: { purpose: "PLEDGE" } });
    expect(payment).toMatchObject({ amountCents: 2_500, status: "PENDING" });
    expect(response.headers.get("Location")).toBe(state.sessions.get(payment.stripeSessionId!)?.url);
  });
});
