import { beforeEach, describe, expect, it } from "vitest";
import { acceptOffer, offerPlot, submitApplication, sweepLand } from "~/domain/leasing/index.server";
import { parisDate } from "~/domain/ledger/dates";
import { askReconfirmations } from "~/domain/waitlist/index.server";
import * as leasePdf from "~/routes/compte+/terres.baux.$leaseId[.pdf]";
import * as leasePage from "~/routes/compte+/terres.baux.$leaseId";
import * as myLand from "~/routes/compte+/terres._index";
import * as account from "~/routes/compte+/_index";
import * as staffPdf from "~/routes/gestion+/terres.baux.$leaseId[.pdf]";
import * as apply from "~/routes/terres+/candidater";
import * as reconfirmLink from "~/routes/terres+/confirmer";
import * as confirmLink from "~/routes/inscription+/confirmer";
import * as land from "~/routes/terres+/_index";
import { inTransaction, db } from "~/utils/db.server";
import { createLandTerms, createPerson, createPlot, createPole } from "../factories";
import { callRoute, errorsOf, makeRequest, resetDatabase, sessionCookie } from "../helpers";
import { useStripeMock } from "../mocks/stripe";
import { pdfText } from "../pdf-text";

// The public side of the land: the map and its list, the application form (with or without an account), the
// yearly reconfirmation link, Mon compte › Mes terres (offers, leases, schedule, payment) and the lease summary.
// Routes run on the real clock: dates are computed from today.

const DAY = 86_400_000;
const today = () => parisDate(new Date());
const inDays = (days: number) => parisDate(new Date(Date.now() + days * DAY));

let poleId: string;
let plots: Record<"P01" | "P02" | "P03", { id: string }>;
let foreignPlotId: string;
let farmer: Awaited<ReturnType<typeof createPerson>>;
let other: Awaited<ReturnType<typeof createPerson>>;
let staff: Awaited<ReturnType<typeof createPerson>>;
let cookies: { farmer: string; other: string; staff: string };
let key = 0;

beforeEach(async () => {
  await resetDatabase();
  // The first pole is the one the site serves.
  const pole = await createPole(db, {
    name: "Organic'Vallée",
    legalName: "SCIC Organic'Vallée",
    siren: "912345678",
    siteHectares: 55,
  });
  poleId = pole.id;
  const year = new Date().getUTCFullYear();
  for (const y of [year - 1, year, year + 1]) await createLandTerms(db, { poleId, year: y, index: 12_255 });
  plots = {
    P01: await createPlot(db, {
      poleId,
      code: "P01",
      name: "Le Pré du canal",
      surfaceM2: 12_500,
      rentPerHectareCents: 16_000,
      soil: "Limon sableux",
      waterAccess: "Forage",
      shelter: "Serre tunnel",
    }),
    P02: await createPlot(db, { poleId, code: "P02", surfaceM2: 8_000 }),
    P03: await createPlot(db, { poleId, code: "P03", surfaceM2: 20_000 }),
  };
  const elsewhere = await createPole(db);
  foreignPlotId = (await createPlot(db, { poleId: elsewhere.id, code: "P01" })).id;
  farmer = await createPerson(db, { poleId, name: "Aurore Lebrun", email: "aurore.lebrun@exemple.test" });
  other = await createPerson(db, { poleId, name: "Malik Ferhat", email: "malik.ferhat@exemple.test" });
  staff = await createPerson(db, { poleId, role: "STAFF", name: "Claire Staff" });
  cookies = {
    farmer: await sessionCookie(farmer.id),
    other: await sessionCookie(other.id),
    staff: await sessionCookie(staff.id),
  };
});

const form = (fields: Record<string, string> = {}) => ({
  "plotIds[0]": plots.P01.id,
  project: "Maraîchage diversifié sur sol vivant, vente en AMAP et au marché de Montgiscard.",
  experience: "BPREA 2025, deux saisons de salariat agricole.",
  desiredStartOn: inDays(30),
  leaseKind: "ESPACE_TEST",
  idempotencyKey: `formulaire-${++key}`,
  ...fields,
});

const postApplication = (fields: Record<string, string>, cookie?: string) =>
  callRoute(apply.action, makeRequest("/terres/candidater", { cookie, form: fields }));

/** An application of the person, through the domain (as if sent the day before). */
async function applied(personId: string, plotIds: string[], now = new Date()) {
  const result = await submitApplication(db, {
    poleId,
    personId,
    plotIds,
    minSurfaceM2: null,
    project: "Un projet de maraîchage.",
    experience: "",
    desiredStartOn: parisDate(now),
    leaseKind: "ESPACE_TEST",
    idempotencyKey: `k-${++key}`,
    today: parisDate(now),
    now,
  });
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

async function offered(applicationId: string, plotId: string, now = new Date()) {
  const result = await offerPlot(db, {
    poleId,
    applicationId,
    plotId,
    startsOn: parisDate(now),
    frequency: "QUARTERLY",
    staffId: staff.id,
    idempotencyKey: `o-${++key}`,
    now,
  });
  if (!result.ok) throw new Error(result.message);
  return result.value.lease;
}

/** The farmer holds P03 (accepted today: the first instalment is invoiced). */
async function farmerLease() {
  const application = await applied(farmer.id, [plots.P03.id]);
  const lease = await offered(application.id, plots.P03.id);
  const accepted = await acceptOffer(db, { poleId, leaseId: lease.id, personId: farmer.id, now: new Date() });
  if (!accepted.ok) throw new Error(accepted.message);
  return lease;
}

describe("the site map and the list of plots", () => {
  it("shows each plot with its status, shape and indicative rent, never who holds it", async () => {
    await farmerLease();
    const waiting = await applied(other.id, [plots.P02.id]);
    await offered(waiting.id, plots.P02.id);
    const response = await callRoute(land.loader, makeRequest("/terres"));
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const secret of [farmer.name, farmer.email, farmer.id, other.name, other.id])
      expect(text).not.toContain(secret);
    const data = JSON.parse(text);
    expect(data.plots.map((p: { code: string; status: string }) => [p.code, p.status])).toEqual([
      ["P01", "FREE"],
      ["P02", "OFFERED"],
      ["P03", "LEASED"],
    ]);
    // 1,25 ha × 160,00 €/ha = 200,00 € a year.
    expect(data.plots[0]).toMatchObject({
      code: "P01",
      name: "Le Pré du canal",
      surfaceM2: 12_500,
      yearlyRentCents: 20_000,
      soil: "Limon sableux",
      waterAccess: "Forage",
      shelter: "Serre tunnel",
      shapeId: "parcelle-P01",
      onPlan: true,
    });
    // The plan: its background without the plots' group, and the twenty outlines by id.
    expect(data.plan.shapes).toHaveLength(20);
    expect(data.plan.shapes[0]).toMatchObject({ id: "parcelle-P01", label: { x: 167, y: 219 } });
    expect(data.plan.shapes[0].d).toMatch(/^M94 154/);
    expect(data.plan.background).toContain("Canal du Midi");
    expect(data.plan.background).not.toContain("parcelle-");
  });
});

describe("applying for plots", () => {
  it("lists the free and offered plots, the one chosen on the map preselected", async () => {
    await farmerLease();
    const response = await callRoute(
      apply.loader,
      makeRequest("/terres/candidater?parcelle=P01", { cookie: cookies.other }),
    );
    const data = await response.json();
    expect(data.plots.map((p: { code: string }) => p.code)).toEqual(["P01", "P02"]);
    expect(data).toMatchObject({ loggedIn: true, pending: false, preselected: plots.P01.id, unavailable: null });
    const leased = await (await callRoute(apply.loader, makeRequest("/terres/candidater?parcelle=P03"))).json();
    expect(leased).toMatchObject({ loggedIn: false, preselected: null, unavailable: "P03" });
  });

  it("queues a logged-in person's application, tells them their place by email, and leads to Mes terres", async () => {
    await applied(other.id, [plots.P02.id]);
    const response = await postApplication(form({ "plotIds[1]": plots.P02.id, minSurfaceM2: "5000" }), cookies.farmer);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/compte/terres?candidature=enregistree");
    const application = await db.plotApplication.findFirstOrThrow({
      where: { personId: farmer.id },
      include: { choices: { orderBy: { rank: "asc" } } },
    });
    expect(application).toMatchObject({
      minSurfaceM2: 5000,
      leaseKind: "ESPACE_TEST",
      experience: "BPREA 2025, deux saisons de salariat agricole.",
    });
    expect(application.choices.map((c) => [c.rank, c.plotId])).toEqual([
      [1, plots.P01.id],
      [2, plots.P02.id],
    ]);
    const mail = await db.outboxEmail.findFirstOrThrow({ where: { to: farmer.email } });
    expect(mail.subject).toBe("Organic'Vallée — candidature enregistrée");
    expect(mail.text).toContain("vous êtes n° 2 sur la liste d'attente");
    // A second application while the first is queued: refused, the first stays.
    const again = await postApplication(form(), cookies.farmer);
    expect(again.status).toBe(409);
    expect((await errorsOf(again))[""]).toEqual([
      "Vous avez déjà une candidature en cours : retrouvez-la dans Mon compte, où vous pouvez la retirer.",
    ]);
  });

  it.each([
    [
      "more than three preferences",
      { "plotIds[1]": "P02", "plotIds[2]": "P03", "plotIds[3]": "P04" },
      400,
      "plotIds",
      "Choisissez au plus 3 parcelles.",
    ],
    [
      "the same plot twice",
      { "plotIds[1]": "same" },
      400,
      "plotIds",
      "Une parcelle ne peut figurer qu'une fois dans vos choix.",
    ],
    [
      "no plot and no surface",
      { "plotIds[0]": "" },
      400,
      "plotIds",
      "Choisissez au moins une parcelle, ou indiquez la surface minimale qui vous convient.",
    ],
    [
      "a plot that does not exist",
      { "plotIds[0]": "parcelle-inconnue" },
      404,
      "plotIds",
      "Une des parcelles choisies n'existe pas sur ce pôle.",
    ],
    [
      "another pole's plot",
      { "plotIds[0]": "foreign" },
      404,
      "plotIds",
      "Une des parcelles choisies n'existe pas sur ce pôle.",
    ],
    [
      "a start in the past",
      { desiredStartOn: "past" },
      422,
      "desiredStartOn",
      "La date de début souhaitée est déjà passée.",
    ],
    [
      "a date that is not one",
      { desiredStartOn: "2027-02-30" },
      400,
      "desiredStartOn",
      "Indiquez une date de début valide (jj/mm/aaaa).",
    ],
    ["an absurd surface", { minSurfaceM2: "-5" }, 400, "minSurfaceM2", "La surface minimale est d'au moins 100 m²."],
    ["no project", { project: "" }, 400, "project", "Décrivez votre projet."],
    [
      "an unknown kind of lease",
      { leaseKind: "BAIL_EMPHYTEOTIQUE" },
      400,
      "leaseKind",
      "Choisissez le type de bail souhaité.",
    ],
  ])("refuses %s with a French message under its field", async (_, fields, status, field, message) => {
    const resolved = Object.fromEntries(
      Object.entries(fields).map(([k, v]) => [
        k,
        v === "P02"
          ? plots.P02.id
          : v === "P03"
            ? plots.P03.id
            : v === "P04"
              ? foreignPlotId
              : v === "same"
                ? plots.P01.id
                : v === "foreign"
                  ? foreignPlotId
                  : v === "past"
                    ? inDays(-2)
                    : v,
      ]),
    );
    const response = await postApplication(form(resolved), cookies.farmer);
    expect(response.status).toBe(status);
    expect((await errorsOf(response))[field]).toEqual([message]);
    expect(await db.plotApplication.count()).toBe(0);
  });

  /** The sign-up confirmation link mailed to the address: the token its button posts. */
  async function confirmationToken(to: string) {
    const mail = await db.outboxEmail.findFirstOrThrow({
      where: { to, subject: { contains: "confirmez votre adresse" } },
    });
    return new URL(/(https?:\/\/\S+\/inscription\/confirmer\?jeton=\S+)/.exec(mail.text)![1]).searchParams.get(
      "jeton",
    )!;
  }
  const confirmSignUp = (token: string, password = "une phrase de passe solide") =>
    callRoute(confirmLink.action, makeRequest("/inscription/confirmer", { form: { token, password } }));

  it("keeps a visitor's application until the address is confirmed, then creates the account, records it and logs them in", async () => {
    const response = await postApplication(
      form({ name: "Inès Morel", email: "Ines.Morel@exemple.test", password: "une phrase de passe solide" }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sent: true, email: "ines.morel@exemple.test" });
    expect(await db.person.count({ where: { email: "ines.morel@exemple.test" } })).toBe(0);
    expect(await db.plotApplication.count()).toBe(0);
    const stored = await db.signUpRequest.findFirstOrThrow();
    // What the sign-up keeps of the form: the application, never the password.
    expect(JSON.stringify(stored.followUpPayload)).not.toContain("une phrase de passe solide");
    expect(stored).toMatchObject({
      followUpKind: "PLOT_APPLICATION",
      followUpPayload: expect.objectContaining({ plotIds: [plots.P01.id], leaseKind: "ESPACE_TEST" }),
    });

    const token = await confirmationToken("ines.morel@exemple.test");
    const page = await callRoute(
      confirmLink.loader,
      makeRequest(`/inscription/confirmer?jeton=${encodeURIComponent(token)}`),
    );
    expect(await page.json()).toMatchObject({
      ok: true,
      confirmLabel: "Confirmer mon adresse et envoyer ma candidature",
      purpose: "candidater pour une parcelle",
    });
    expect(await db.plotApplication.count()).toBe(0);

    // Someone else holding the link, without the password chosen with the application, records nothing.
    const wrong = await confirmSignUp(token, "une autre phrase de passe");
    expect(wrong.status).toBe(422);
    expect((await errorsOf(wrong)).password).toEqual([
      "Ce n'est pas le mot de passe choisi lors de l'inscription. Si vous n'avez pas demandé ce compte, ignorez ce lien.",
    ]);
    expect(await db.person.count({ where: { email: "ines.morel@exemple.test" } })).toBe(0);
    expect(await db.plotApplication.count()).toBe(0);

    const confirmed = await confirmSignUp(token);
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("Location")).toBe("/compte/terres?candidature=enregistree");
    const cookie = confirmed.headers.get("Set-Cookie")!.split(";")[0];
    const mine = await (await callRoute(myLand.loader, makeRequest("/compte/terres", { cookie }))).json();
    expect(mine.application).toMatchObject({
      live: true,
      position: 1,
      kindLabel: "Espace-test agricole",
      choices: [{ rank: 1, code: "P01" }],
    });
    expect((await db.plotApplication.findFirstOrThrow()).experience).toBe(
      "BPREA 2025, deux saisons de salariat agricole.",
    );
    const mails = await db.outboxEmail.findMany({
      where: { to: "ines.morel@exemple.test" },
      orderBy: { createdAt: "asc" },
    });
    expect(mails.map((m) => m.subject)).toEqual([
      "Organic'Vallée — confirmez votre adresse email",
      expect.stringContaining("Bienvenue"),
      "Organic'Vallée — candidature enregistrée",
    ]);
    expect(mails[0].text).toContain("et candidater pour une parcelle");
  });

  it("answers an address that has an account like a new one, and tells its owner to log in to apply", async () => {
    const taken = await postApplication(
      form({ name: "Aurore L.", email: farmer.email, password: "une phrase de passe solide" }),
    );
    const fresh = await postApplication(
      form({ name: "Inès Morel", email: "ines.morel@exemple.test", password: "une phrase de passe solide" }),
    );
    expect(taken.status).toBe(200);
    expect(fresh.status).toBe(200);
    const withoutEcho = async (r: Response) => ({
      ...((await r.json()) as object),
      initialValue: undefined,
      email: undefined,
    });
    expect(await withoutEcho(taken)).toEqual(await withoutEcho(fresh));
    const notice = await db.outboxEmail.findFirstOrThrow({ where: { to: farmer.email } });
    expect(notice.subject).toBe("Organic'Vallée — vous avez déjà un compte");
    expect(notice.text).toContain("Connectez-vous pour candidater pour une parcelle.");
    expect(notice.text).toMatch(/Se connecter : http:\/\/\S+\/connexion\?redirectTo=%2Fterres%2Fcandidater\n/);
    expect(notice.text).toMatch(/Mot de passe oublié : http:\/\/\S+\/mot-de-passe-oublie\n/);
    expect(await db.plotApplication.count({ where: { personId: farmer.id } })).toBe(0);
    expect(await db.signUpRequest.count({ where: { email: farmer.email } })).toBe(0);
  });

  it("refuses a visitor's wrong choices at once, whatever the address, and mails nothing", async () => {
    for (const email of ["ines.morel@exemple.test", farmer.email]) {
      const refused = await postApplication(
        form({ "plotIds[0]": foreignPlotId, name: "Inès Morel", email, password: "une phrase de passe solide" }),
      );
      expect(refused.status).toBe(404);
      expect((await errorsOf(refused)).plotIds).toEqual(["Une des parcelles choisies n'existe pas sur ce pôle."]);
    }
    const past = await postApplication(
      form({
        desiredStartOn: inDays(-2),
        name: "Inès Morel",
        email: "ines.morel@exemple.test",
        password: "une phrase de passe solide",
      }),
    );
    expect(past.status).toBe(422);
    const short = await postApplication(
      form({ name: "Inès Morel", email: "ines.morel@exemple.test", password: "court" }),
    );
    expect(short.status).toBe(400);
    expect((await errorsOf(short)).password).toEqual(["Le mot de passe doit compter au moins 12 caractères."]);
    expect(await db.signUpRequest.count()).toBe(0);
    expect(await db.outboxEmail.count()).toBe(0);
    expect(await db.person.count({ where: { email: "ines.morel@exemple.test" } })).toBe(0);
  });

  it("still creates the account when the application can no longer be recorded at confirmation, and asks to send it again", async () => {
    await postApplication(
      form({ name: "Inès Morel", email: "ines.morel@exemple.test", password: "une phrase de passe solide" }),
    );
    // Between the form and the click, the plot was withdrawn from the catalogue.
    await db.plot.update({ where: { id: plots.P01.id }, data: { active: false } });
    const confirmed = await confirmSignUp(await confirmationToken("ines.morel@exemple.test"));
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("Location")).toBe("/terres/candidater?candidature=a-renvoyer");
    expect(await db.person.count({ where: { email: "ines.morel@exemple.test" } })).toBe(1);
    expect(await db.plotApplication.count()).toBe(0);
    expect(await db.waitlistEntry.count()).toBe(0);
    const cookie = confirmed.headers.get("Set-Cookie")!.split(";")[0];
    const page = await (
      await callRoute(apply.loader, makeRequest("/terres/candidater?candidature=a-renvoyer", { cookie }))
    ).json();
    expect(page).toMatchObject({ loggedIn: true, resend: true });
  });
});

describe("the yearly reconfirmation link", () => {
  it("keeps the application once, then says the link is used", async () => {
    const application = await applied(farmer.id, [plots.P01.id]);
    const [asked] = await inTransaction(db, (tx) =>
      askReconfirmations(tx, { kind: "PLOT", now: new Date(Date.now() + 366 * DAY) }),
    );
    expect(asked.entry.id).toBe(application.entryId);
    const link = `/terres/confirmer?jeton=${asked.token}`;
    const first = await callRoute(reconfirmLink.loader, makeRequest(link));
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ ok: true });
    const entry = await db.waitlistEntry.findUniqueOrThrow({ where: { id: application.entryId } });
    expect(entry).toMatchObject({ status: "WAITING", reconfirmAskedAt: null, reconfirmTokenHash: null });
    const second = await callRoute(reconfirmLink.loader, makeRequest(link));
    expect(second.status).toBe(410);
    expect(await second.json()).toMatchObject({
      ok: false,
      message: "Ce lien n'est pas (ou plus) valable : votre demande a peut-être déjà été confirmée.",
    });
    for (const bad of [
      "/terres/confirmer",
      "/terres/confirmer?jeton=abc",
      `/terres/confirmer?jeton=${"x".repeat(40)}`,
    ]) {
      expect((await callRoute(reconfirmLink.loader, makeRequest(bad))).status).toBe(410);
    }
  });
});

describe("Mes terres", () => {
  it("sends a visitor to log in", async () => {
    const response = await callRoute(myLand.loader, makeRequest("/compte/terres"));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/connexion?redirectTo=${encodeURIComponent("/compte/terres")}`);
  });

  it("shows the applicant their place, choices and history, and nobody else's", async () => {
    await applied(other.id, [plots.P01.id]);
    await applied(farmer.id, [plots.P02.id, plots.P01.id], new Date(Date.now() + 1000));
    const mine = await (
      await callRoute(myLand.loader, makeRequest("/compte/terres", { cookie: cookies.farmer }))
    ).json();
    expect(mine.application).toMatchObject({
      live: true,
      position: 2,
      choices: [{ code: "P02" }, { code: "P01" }],
      history: [{ label: "Candidature enregistrée" }],
    });
    const staffView = await (
      await callRoute(myLand.loader, makeRequest("/compte/terres", { cookie: cookies.staff }))
    ).json();
    expect(staffView).toMatchObject({ application: null, offers: [], leases: [] });
    const summary = await (await callRoute(account.loader, makeRequest("/compte", { cookie: cookies.farmer }))).json();
    expect(summary.land).toEqual({ position: 2, offers: 0, leases: 0 });
  });

  it("accepts an open offer: the lease, its schedule and its first invoice appear", async () => {
    const application = await applied(farmer.id, [plots.P01.id]);
    const offer = await offered(application.id, plots.P01.id);
    const before = await (
      await callRoute(myLand.loader, makeRequest("/compte/terres", { cookie: cookies.farmer }))
    ).json();
    expect(before.offers).toEqual([
      expect.objectContaining({
        id: offer.id,
        open: true,
        yearlyRentCents: 20_000,
        term: "1 an",
        frequencyLabel: "trimestrielle",
      }),
    ]);
    // Someone else cannot answer it.
    const stranger = await callRoute(
      myLand.action,
      makeRequest("/compte/terres", { cookie: cookies.other, form: { intent: "accept", leaseId: offer.id } }),
    );
    expect(stranger.status).toBe(404);
    expect((await errorsOf(stranger))[""]).toEqual(["Cette proposition n'existe pas."]);

    const response = await callRoute(
      myLand.action,
      makeRequest("/compte/terres", { cookie: cookies.farmer, form: { intent: "accept", leaseId: offer.id } }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/compte/terres?proposition=acceptee");
    const page = await (
      await callRoute(myLand.loader, makeRequest("/compte/terres", { cookie: cookies.farmer }))
    ).json();
    expect(page.offers).toEqual([]);
    expect(page.application).toMatchObject({ live: false, statusLabel: "Satisfaite : bail signé" });
    const [lease] = page.leases;
    expect(lease).toMatchObject({
      id: offer.id,
      plot: "P01 (Le Pré du canal)",
      yearlyRentCents: 20_000,
      perHectareCents: 16_000,
      index: `indice national des fermages ${new Date().getUTCFullYear()} : 122,55`,
    });
    expect(
      lease.instalments.map((i: { amountCents: number; statusLabel: string }) => [i.amountCents, i.statusLabel]),
    ).toEqual([
      [5000, "Facturée"],
      [5000, "À venir"],
      [5000, "À venir"],
      [5000, "À venir"],
    ]);
    expect(lease.instalments[0].invoiceNumber).toMatch(/^F-\d{4}-0001$/);
    expect(await db.outboxEmail.count({ where: { to: farmer.email, subject: { contains: "bail confirmé" } } })).toBe(1);
    // Without Stripe keys, no card: the transfer is the way (the page says so).
    expect(page.card).toBe(false);
    const card = await callRoute(
      myLand.action,
      makeRequest("/compte/terres", {
        cookie: cookies.farmer,
        form: { intent: "pay", instalmentId: lease.instalments[0].id },
      }),
    );
    expect(card.status).toBe(409);
    // Answering again is a clear refusal, not a second lease.
    const twice = await callRoute(
      myLand.action,
      makeRequest("/compte/terres", { cookie: cookies.farmer, form: { intent: "accept", leaseId: offer.id } }),
    );
    expect(twice.status).toBe(409);
    expect((await errorsOf(twice))[""]).toEqual(["Vous avez déjà accepté cette proposition."]);
  });

  it("refuses to accept an expired offer with 410", async () => {
    const past = new Date(Date.now() - 8 * DAY);
    const application = await applied(farmer.id, [plots.P01.id], past);
    const offer = await offered(application.id, plots.P01.id, past);
    const response = await callRoute(
      myLand.action,
      makeRequest("/compte/terres", { cookie: cookies.farmer, form: { intent: "accept", leaseId: offer.id } }),
    );
    expect(response.status).toBe(410);
    expect((await errorsOf(response))[""]).toEqual([
      "Le délai pour répondre à cette proposition est passé : elle n'est plus valable.",
    ]);
    expect(await db.rentInstalment.count()).toBe(0);
    // The sweeper closes it, with its email.
    await sweepLand(db);
    expect((await db.lease.findUniqueOrThrow({ where: { id: offer.id } })).status).toBe("EXPIRED");
    expect(await db.outboxEmail.count({ where: { subject: { contains: "proposition expirée" } } })).toBe(1);
  });

  it("declines an offer (the application keeps its place) and withdraws the application", async () => {
    const application = await applied(farmer.id, [plots.P01.id]);
    const offer = await offered(application.id, plots.P01.id);
    const declined = await callRoute(
      myLand.action,
      makeRequest("/compte/terres", { cookie: cookies.farmer, form: { intent: "decline", leaseId: offer.id } }),
    );
    expect(declined.headers.get("Location")).toBe("/compte/terres?proposition=declinee");
    const page = await (
      await callRoute(myLand.loader, makeRequest("/compte/terres", { cookie: cookies.farmer }))
    ).json();
    expect(page.application).toMatchObject({ live: true, position: 1 });
    expect(page.application.history.map((h: { label: string }) => h.label)).toEqual([
      "Candidature enregistrée",
      "Parcelle proposée",
      "Proposition déclinée",
    ]);
    const withdrawn = await callRoute(
      myLand.action,
      makeRequest("/compte/terres", { cookie: cookies.farmer, form: { intent: "withdraw" } }),
    );
    expect(withdrawn.headers.get("Location")).toBe("/compte/terres?candidature=retiree");
    expect((await db.waitlistEntry.findUniqueOrThrow({ where: { id: application.entryId } })).status).toBe("CANCELLED");
    const again = await callRoute(
      myLand.action,
      makeRequest("/compte/terres", { cookie: cookies.farmer, form: { intent: "withdraw" } }),
    );
    expect(again.status).toBe(404);
    expect((await errorsOf(again))[""]).toEqual(["Vous n'avez pas de candidature en cours."]);
  });

  it("keeps staff notes out of the applicant's history", async () => {
    const application = await applied(farmer.id, [plots.P01.id]);
    await db.waitlistEvent.create({
      data: {
        entryId: application.entryId,
        kind: "NOTE",
        note: "Dossier à compléter, appeler la chambre d'agriculture",
        actorId: staff.id,
      },
    });
    const response = await callRoute(myLand.loader, makeRequest("/compte/terres", { cookie: cookies.farmer }));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain("Candidature enregistrée");
    expect(text).not.toContain("chambre d'agriculture");
  });
});

describe("paying an instalment by card", () => {
  const { state } = useStripeMock();

  it("opens Stripe Checkout for the holder's invoiced instalment only", async () => {
    await farmerLease();
    const instalment = await db.rentInstalment.findFirstOrThrow({ where: { status: "INVOICED" } });
    const stranger = await callRoute(
      myLand.action,
      makeRequest("/compte/terres", { cookie: cookies.other, form: { intent: "pay", instalmentId: instalment.id } }),
    );
    expect(stranger.status).toBe(404);
    const response = await callRoute(
      myLand.action,
      makeRequest("/compte/terres", { cookie: cookies.farmer, form: { intent: "pay", instalmentId: instalment.id } }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    const created = state.requests.find((r) => r.method === "POST" && r.path === "/v1/checkout/sessions");
    expect(created?.body).toMatchObject({ success_url: expect.stringContaining("/compte/terres?paiement=retour") });
    const page = await (
      await callRoute(myLand.loader, makeRequest("/compte/terres", { cookie: cookies.farmer }))
    ).json();
    expect(page.card).toBe(true);
    expect(page.leases[0].instalments[0].cardPending).toBe(true);
  });
});

describe("the lease summary", () => {
  it("is the holder's: the page and the PDF; anyone else gets 404", async () => {
    const lease = await farmerLease();
    const page = await callRoute(
      leasePage.loader,
      makeRequest(`/compte/terres/baux/${lease.id}`, { cookie: cookies.farmer }),
      { leaseId: lease.id },
    );
    expect(page.status).toBe(200);
    const { document, clause } = await page.json();
    expect(document).toMatchObject({
      title: "Récapitulatif du bail",
      lessor: { legalName: "SCIC Organic'Vallée", siren: "912345678" },
      holder: { name: "Aurore Lebrun" },
      plot: { code: "P03", surfaceM2: 20_000 },
      kindLabel: "Espace-test agricole",
      term: "1 an",
      rent: {
        yearlyCents: 30_000,
        perHectareCents: 15_000,
        vatMention: "Exonération de TVA, article 261 D 1° du CGI",
        frequencyLabel: "trimestrielle",
      },
      index: { value: 12_255 },
      totalCents: 30_000,
    });
    expect(document.schedule).toHaveLength(4);
    expect(clause).toContain("nouveau loyer = loyer en cours × nouvel indice ÷ indice de référence");
    expect(clause).toContain("122,55");

    const pdf = await callRoute(
      leasePdf.loader,
      makeRequest(`/compte/terres/baux/${lease.id}.pdf`, { cookie: cookies.farmer }),
      { leaseId: lease.id },
    );
    expect(pdf.headers.get("Content-Type")).toBe("application/pdf");
    expect(pdf.headers.get("Content-Disposition")).toBe(`attachment; filename="bail-P03-${today()}.pdf"`);
    const text = pdfText(Buffer.from(await pdf.arrayBuffer()));
    for (const expected of [
      "RÉCAPITULATIF DU BAIL",
      "SCIC Organic'Vallée",
      "Aurore Lebrun",
      "Clause d'indexation",
      "Échéancier",
      "Exonération de TVA, article 261 D 1° du CGI",
    ])
      expect(text).toContain(expected);

    for (const loader of [leasePage.loader, leasePdf.loader]) {
      const response = await callRoute(
        loader,
        makeRequest(`/compte/terres/baux/${lease.id}`, { cookie: cookies.other }),
        { leaseId: lease.id },
      );
      expect(response.status).toBe(404);
      expect(await errorsOf(response)).toEqual({ "": ["Ce bail n'existe pas ou ne vous concerne pas."] });
    }
  });

  it("is downloadable by staff from the back office, not by a farmer", async () => {
    const lease = await farmerLease();
    const forStaff = await callRoute(
      staffPdf.loader,
      makeRequest(`/gestion/terres/baux/${lease.id}.pdf`, { cookie: cookies.staff }),
      { leaseId: lease.id },
    );
    expect(forStaff.status).toBe(200);
    expect(forStaff.headers.get("Content-Type")).toBe("application/pdf");
    const forFarmer = await callRoute(
      staffPdf.loader,
      makeRequest(`/gestion/terres/baux/${lease.id}.pdf`, { cookie: cookies.farmer }),
      { leaseId: lease.id },
    );
    expect(forFarmer.status).toBe(403);
    const unknown = await callRoute(
      staffPdf.loader,
      makeRequest("/gestion/terres/baux/inconnu.pdf", { cookie: cookies.staff }),
      { leaseId: "inconnu" },
    );
    expect(unknown.status).toBe(404);
  });
});
