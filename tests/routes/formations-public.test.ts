import ICAL from "ical.js";
import { parse } from "node-html-parser";
import { beforeEach, describe, expect, it } from "vitest";
import {
  cancelRegistration,
  confirmFreeRegistration,
  confirmRegistrationPayment,
} from "~/domain/training/index.server";
import * as feedRoute from "~/routes/calendrier.$feed";
import * as accountFeed from "~/routes/compte+/calendrier";
import * as account from "~/routes/compte+/_index";
import * as myRegistration from "~/routes/compte+/formations.$registrationId._index";
import * as myTrainings from "~/routes/compte+/formations._index";
import * as coursePage from "~/routes/formations+/$slug";
import * as signUpPage from "~/routes/formations+/$slug_.inscription";
import * as catalogue from "~/routes/formations+/_index";
import * as confirmLink from "~/routes/inscription+/confirmer";
import { db } from "~/utils/db.server";
import { createOrganisation, createPerson, createPole } from "../factories";
import { callRoute, errorsOf, makeRequest, resetDatabase, sessionCookie } from "../helpers";
import { useHttpServer } from "../http-server";
import { useStripeMock } from "../mocks/stripe";
import { formatDate } from "~/utils/format";
import {
  comingWinterMonday,
  createRoom,
  createTrainingCourse,
  createTrainingSession,
  dayAfter,
  holdSeat,
} from "../training-factories";

// The trainee's side of trainings (issue 15): the catalogue by the pole's axes, a course's programme page, signing
// up (signed in, or with an account made on the way) and paying the held seat, Mon compte › Mes formations and the
// private calendar feed. Each bad input is a French 4xx with nothing written; a trainee sees and touches only their
// own registrations. Routes run on the real clock: the sessions are on a Monday two months or more ahead.

/** The session's day, 09:00–12:30 and 13:30–17:00 Paris (winter time: UTC+1). */
const DAY = comingWinterMonday();
const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+01:00`);
const server = useHttpServer();
let poleId: string;
let course: Awaited<ReturnType<typeof createTrainingCourse>>;
let session: Awaited<ReturnType<typeof createTrainingSession>>;
let roomId: string;
let trainee: Awaited<ReturnType<typeof createPerson>>;
let neighbour: Awaited<ReturnType<typeof createPerson>>;
let cookies: { trainee: string; neighbour: string };
let keys = 0;

beforeEach(async () => {
  await resetDatabase();
  poleId = (
    await createPole(db, {
      name: "Pôle Organic'Vallée",
      legalName: "SCIC Organic'Vallée",
      axes: [
        { title: "Agriculture", text: "Des sols vivants." },
        { title: "Compostage", text: "La matière organique revient aux sols." },
      ],
    })
  ).id;
  await db.pole.update({
    where: { id: poleId },
    data: { bankIban: "FR76 3000 4000 0500 0012 3456 789", bankBic: "BNPAFRPP" },
  });
  roomId = (await createRoom(db, poleId, "Salle du Lavoir")).id;
  course = await createTrainingCourse(db, { poleId, slug: "maraichage", title: "Initiation au maraîchage bio" });
  await db.course.update({
    where: { id: course.id },
    data: {
      content: "- Le sol\n- Les semis\n- Les planches",
      prerequisites: "Aucun.",
      audience: "Porteurs de projet agricole.",
      methods: "Apports en salle et pratique sur les parcelles.",
      evaluation: "Quiz de fin de formation.",
      accessibility: "Salle de plain-pied.",
      accessibilityContact: "Léa Martin, référente handicap, 05 61 00 00 00",
    },
  });
  session = await createTrainingSession(db, {
    poleId,
    courseId: course.id,
    roomId,
    day: DAY,
    capacity: 8,
    now: new Date(),
  });
  trainee = await createPerson(db, { poleId, name: "Aurore Lebrun", email: "aurore.lebrun@exemple.test" });
  neighbour = await createPerson(db, { poleId, name: "Malik Ferhat", email: "malik.ferhat@exemple.test" });
  cookies = { trainee: await sessionCookie(trainee.id), neighbour: await sessionCookie(neighbour.id) };
});

const signUpPath = (sessionId = session.id, slug = "maraichage") =>
  `/formations/${slug}/inscription?session=${sessionId}`;

const postSignUp = (
  fields: Record<string, string> = {},
  options: { sessionId?: string; slug?: string; cookie?: string | null } = {},
) =>
  callRoute(
    signUpPage.action,
    makeRequest(signUpPath(options.sessionId, options.slug), {
      form: { idempotencyKey: `formulaire-${++keys}`, ...fields },
      cookie: options.cookie === null ? undefined : (options.cookie ?? cookies.trainee),
    }),
    { slug: options.slug ?? "maraichage" },
  );

const postRegistration = (registrationId: string, form: Record<string, string>, cookie = cookies.trainee) =>
  callRoute(myRegistration.action, makeRequest(`/compte/formations/${registrationId}`, { form, cookie }), {
    registrationId,
  });

const getRegistration = (registrationId: string, cookie = cookies.trainee) =>
  callRoute(myRegistration.loader, makeRequest(`/compte/formations/${registrationId}`, { cookie }), {
    registrationId,
  });

/** A held seat of the trainee, made through the sign-up route. */
async function signedUp(cookie = cookies.trainee) {
  const response = await postSignUp({}, { cookie });
  expect(response.status).toBe(302);
  const id = /\/compte\/formations\/([^?]+)/.exec(response.headers.get("Location")!)![1];
  return db.registration.findUniqueOrThrow({ where: { id } });
}

/** What a refused request must leave as it was. */
async function snapshot() {
  return {
    registrations: await db.registration.findMany({ orderBy: { id: "asc" } }),
    seats: (await db.trainingSession.findMany({ orderBy: { id: "asc" } })).map((s) => s.seatsTaken),
    signUps: await db.signUpRequest.count(),
    emails: await db.outboxEmail.count(),
  };
}

describe("the catalogue", () => {
  it("groups the published courses by the pole's axes, with prices, the next session and its seats left", async () => {
    const compost = await createTrainingCourse(db, { poleId, slug: "compost", title: "Composter au jardin" });
    await db.course.update({ where: { id: compost.id }, data: { axis: "Compostage" } });
    const scic = await createTrainingCourse(db, { poleId, slug: "scic", title: "Gérer une SCIC" });
    await db.course.update({ where: { id: scic.id }, data: { axis: "" } });
    const draft = await createTrainingCourse(db, { poleId, slug: "brouillon", title: "Un brouillon" });
    await db.course.update({ where: { id: draft.id }, data: { published: false } });
    await db.trainingSession.update({ where: { id: session.id }, data: { seatsTaken: 5 } });

    const data = await (await callRoute(catalogue.loader, makeRequest("/formations"))).json();
    expect(
      data.groups.map((g: { axis: string; courses: { slug: string }[] }) => [g.axis, g.courses.map((c) => c.slug)]),
    ).toEqual([
      ["Agriculture", ["maraichage"]],
      ["Compostage", ["compost"]],
      ["Autres formations", ["scic"]],
    ]);
    expect(data.groups[0].courses[0]).toMatchObject({
      title: "Initiation au maraîchage bio",
      durationHours: 7,
      memberCents: 18_000,
      publicCents: 24_000,
      sessions: [{ id: session.id, seatsLeft: 3, open: true }],
    });
    expect(data.groups[1].courses[0].sessions).toEqual([]);

    // Rendered by the real server: the page's headings and the card's facts, in French.
    const html = await (await fetch(`${server.baseUrl}/formations`)).text();
    const page = parse(html);
    expect(page.querySelector("h1")?.text).toBe("Formations");
    expect(page.querySelectorAll("h2").map((h) => h.text)).toEqual(
      expect.arrayContaining(["Agriculture", "Compostage", "Autres formations"]),
    );
    const card = page.querySelector("#formation-maraichage")!.closest("article")!;
    expect(card.text).toContain("180,00");
    expect(card.text).toContain(formatDate(at(DAY, "09:00"), "longDay"));
    expect(card.text).toContain("3 places restantes");
    expect(html).not.toContain("Un brouillon");
  });
});

describe("a course's programme page", () => {
  it("shows the programme, the prices and each session's parts, room, seats left and deadline", async () => {
    const data = await (
      await callRoute(coursePage.loader, makeRequest("/formations/maraichage"), { slug: "maraichage" })
    ).json();
    expect(data.course).toMatchObject({
      title: "Initiation au maraîchage bio",
      durationHours: 7,
      memberCents: 18_000,
      publicCents: 24_000,
      fundedCents: 42_000,
      accessibilityContact: "Léa Martin, référente handicap, 05 61 00 00 00",
    });
    expect(data.sessions).toHaveLength(1);
    expect(data.sessions[0]).toMatchObject({
      capacity: 8,
      seatsLeft: 8,
      open: true,
      full: false,
      registrationId: null,
    });
    expect(data.sessions[0].parts.map((p: { room: string; startsAt: string }) => [p.room, p.startsAt])).toEqual([
      ["Salle du Lavoir", at(DAY, "09:00").toISOString()],
      ["Salle du Lavoir", at(DAY, "13:30").toISOString()],
    ]);

    const page = parse(await (await fetch(`${server.baseUrl}/formations/maraichage`)).text());
    expect(page.querySelector("h1")?.text).toBe("Initiation au maraîchage bio");
    const headings = page.querySelectorAll("h2").map((h) => h.text);
    for (const h of ["Objectifs", "Contenu", "Prérequis", "Public", "Méthodes pédagogiques", "Évaluation"])
      expect(headings).toContain(h);
    expect(headings).toEqual(expect.arrayContaining(["Accessibilité", "Prochaines sessions"]));
    expect(page.querySelectorAll("#programme-content ~ ul li").map((li) => li.text)).toEqual([
      "Le sol",
      "Les semis",
      "Les planches",
    ]);
    const sessionCard = page.querySelector(`#session-${session.id}`)!.closest("article")!;
    expect(sessionCard.text).toContain("09:00–12:30");
    expect(sessionCard.text).toContain("13:30–17:00");
    expect(sessionCard.text).toContain("Salle du Lavoir");
    expect(sessionCard.text).toContain("8 places restantes");
    // Registrations close the evening before (the factory's default): 21:00 Paris.
    expect(sessionCard.text).toContain(
      `Inscriptions jusqu'au ${formatDate(at(dayAfter(DAY, -1), "21:00"), "dateTime")}`,
    );
    expect(sessionCard.querySelector("a.button")?.getAttribute("href")).toBe(signUpPath());
    expect(page.querySelector('[role="meter"]')?.getAttribute("aria-valuetext")).toBe(
      "0 place prise sur 8 : 8 places restantes",
    );
  });

  it("offers the waiting list for a full session, and tells a signed-in person they are registered", async () => {
    await db.trainingSession.update({ where: { id: session.id }, data: { seatsTaken: 8 } });
    const full = await (
      await callRoute(coursePage.loader, makeRequest("/formations/maraichage"), { slug: "maraichage" })
    ).json();
    expect(full.sessions[0]).toMatchObject({ seatsLeft: 0, full: true });
    const html = await (await fetch(`${server.baseUrl}/formations/maraichage`)).text();
    expect(html).toContain("Rejoindre la liste d&#x27;attente");
    expect(html).not.toContain(">S&#x27;inscrire<");

    await db.trainingSession.update({ where: { id: session.id }, data: { seatsTaken: 0 } });
    const mine = await signedUp();
    const signedIn = await (
      await callRoute(coursePage.loader, makeRequest("/formations/maraichage", { cookie: cookies.trainee }), {
        slug: "maraichage",
      })
    ).json();
    expect(signedIn).toMatchObject({ memberRate: false, sessions: [{ registrationId: mine.id }] });
  });

  it("answers 404 for an unpublished or unknown course", async () => {
    await db.course.update({ where: { id: course.id }, data: { published: false } });
    for (const slug of ["maraichage", "inconnue"])
      expect((await callRoute(coursePage.loader, makeRequest(`/formations/${slug}`), { slug })).status).toBe(404);
  });
});

describe("signing up", () => {
  it("holds a seat, then the transfer chosen gives the instructions with the IBAN and the reference", async () => {
    const first = await postSignUp({ idempotencyKey: "cle-du-formulaire" });
    expect(first.status).toBe(302);
    const held = await db.registration.findFirstOrThrow();
    expect(first.headers.get("Location")).toBe(`/compte/formations/${held.id}?place=retenue`);
    expect(held).toMatchObject({ personId: trainee.id, status: "HELD", priceCents: 24_000, memberRate: false });
    expect(held.holdExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 5 * 60_000);
    // The same form sent twice is one sign-up.
    const again = await postSignUp({ idempotencyKey: "cle-du-formulaire" });
    expect(again.headers.get("Location")).toBe(`/compte/formations/${held.id}?place=retenue`);
    expect(await db.registration.count()).toBe(1);
    expect((await db.trainingSession.findUniqueOrThrow({ where: { id: session.id } })).seatsTaken).toBe(1);

    const page = await (await getRegistration(held.id)).json();
    expect(page).toMatchObject({
      card: false,
      registration: { status: "HELD", held: true, payer: "SELF", paymentMethod: null, priceCents: 24_000 },
      policy: { cancellable: true, refundable: true, cancelDays: 7 },
    });
    expect(page.registration.session.parts).toHaveLength(2);

    const chosen = await postRegistration(held.id, { intent: "offline", method: "TRANSFER" });
    expect(chosen.status).toBe(302);
    expect(chosen.headers.get("Location")).toBe(`/compte/formations/${held.id}?reglement=virement`);
    const waiting = await db.registration.findUniqueOrThrow({ where: { id: held.id } });
    expect(waiting).toMatchObject({ status: "HELD", paymentMethod: "TRANSFER" });
    // The seat waits the pole's days for the money, never past the start.
    expect(waiting.holdExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    const reference = `FO-${held.id.slice(-8).toUpperCase()}`;
    const after = await (await getRegistration(held.id)).json();
    expect(after).toMatchObject({
      registration: { reference, paymentMethod: "TRANSFER", held: true },
      payee: { legalName: "SCIC Organic'Vallée", iban: "FR76 3000 4000 0500 0012 3456 789", bic: "BNPAFRPP" },
    });
    const mail = await db.outboxEmail.findFirstOrThrow({ where: { to: trainee.email } });
    expect(mail.subject).toContain("place réservée");
    expect(mail.text).toContain("FR76 3000 4000 0500 0012 3456 789");
    expect(mail.text).toContain(reference);

    // The rendered page says where to send what.
    const html = await (
      await fetch(`${server.baseUrl}/compte/formations/${held.id}`, { headers: { Cookie: cookies.trainee } })
    ).text();
    const instructions = parse(html).querySelector("#instructions")!.closest("section")!;
    expect(instructions.text).toContain("Régler par virement");
    expect(instructions.text).toContain(reference);
    expect(instructions.text).toContain("240,00");

    // Staff record the transfer: confirmed, invoiced, and in the person's calendar feed.
    const staff = await createPerson(db, { poleId, role: "STAFF" });
    const paid = await confirmRegistrationPayment(db, {
      poleId,
      registrationId: held.id,
      method: "TRANSFER",
      reference: "VIR-123",
      staffId: staff.id,
      now: new Date(),
    });
    expect(paid.ok).toBe(true);
    const list = await (
      await callRoute(myTrainings.loader, makeRequest("/compte/formations", { cookie: cookies.trainee }))
    ).json();
    expect(list.upcoming).toHaveLength(1);
    expect(list.upcoming[0]).toMatchObject({ id: held.id, status: "CONFIRMED" });
    expect(list.upcoming[0].invoice.number).toMatch(/\S/);
  });

  it("gives the member rate to a person of a member organisation", async () => {
    const organisation = await createOrganisation(db, { poleId, isMember: true });
    const member = await createPerson(db, { poleId, organisationId: organisation.id });
    const held = await signedUp(await sessionCookie(member.id));
    expect(held).toMatchObject({ priceCents: 18_000, memberRate: true });
  });

  it("refuses with a French 409 a second sign-up, one after the deadline, and one to a full session", async () => {
    await signedUp();
    const before = await snapshot();
    const twice = await postSignUp();
    expect(twice.status).toBe(409);
    expect((await errorsOf(twice))[""]).toEqual(["Vous êtes déjà inscrit·e à cette session."]);

    const closed = await createTrainingSession(db, {
      poleId,
      courseId: course.id,
      roomId,
      day: dayAfter(DAY, 1),
      registrationDeadline: new Date(Date.now() - 60_000),
      now: new Date(),
    });
    const late = await postSignUp({}, { sessionId: closed.id });
    expect(late.status).toBe(409);
    expect((await errorsOf(late))[""]).toEqual(["Les inscriptions à cette session sont closes."]);

    const full = await createTrainingSession(db, {
      poleId,
      courseId: course.id,
      roomId,
      day: dayAfter(DAY, 2),
      capacity: 1,
      now: new Date(),
    });
    await db.trainingSession.update({ where: { id: full.id }, data: { seatsTaken: 1 } });
    const refused = await postSignUp({}, { sessionId: full.id });
    expect(refused.status).toBe(409);
    expect((await errorsOf(refused))[""]).toEqual([
      "Cette session est complète : inscrivez-vous sur sa liste d'attente.",
    ]);
    // The page of a full session offers its waiting list.
    const page = await (
      await callRoute(signUpPage.loader, makeRequest(signUpPath(full.id), { cookie: cookies.trainee }), {
        slug: "maraichage",
      })
    ).json();
    expect(page.session).toMatchObject({ full: true, seatsLeft: 0 });
    const after = await snapshot();
    expect(after.registrations).toEqual(before.registrations);
    expect(after.emails).toBe(before.emails);
  });

  it("answers bad inputs with a French 4xx, never a 500, and writes nothing", async () => {
    const before = await snapshot();
    const cases: [string, () => Promise<Response>, number, string][] = [
      ["no session", () => postSignUp({}, { sessionId: "" }), 404, "Cette session n'existe pas."],
      ["an unknown session", () => postSignUp({}, { sessionId: "inconnue" }), 404, "Cette session n'existe pas."],
      ["a huge session id", () => postSignUp({}, { sessionId: "x".repeat(500) }), 404, "Cette session n'existe pas."],
      ["another course's slug", () => postSignUp({}, { slug: "compost" }), 404, "Cette session n'existe pas."],
      [
        "an expired form",
        () => postSignUp({ idempotencyKey: "court" }),
        400,
        "Rechargez la page : le formulaire a expiré.",
      ],
    ];
    for (const [label, call, status, message] of cases) {
      const response = await call();
      expect(response.status, label).toBe(status);
      expect(Object.values(await errorsOf(response)).flat(), label).toContain(message);
    }
    // A visitor's account form.
    const visitor = await postSignUp({ name: "I", email: "pas-une-adresse", password: "court" }, { cookie: null });
    expect(visitor.status).toBe(400);
    expect(await errorsOf(visitor)).toMatchObject({
      name: ["Le nom doit compter au moins 2 caractères."],
      email: ["Cette adresse email n'est pas valide."],
      password: ["Le mot de passe doit compter au moins 12 caractères."],
    });
    expect(await snapshot()).toEqual(before);
  });

  it("makes a visitor's account on the way: the seat is taken when the address is confirmed", async () => {
    const visitor = { name: "Inès Morel", email: "Ines.Morel@exemple.test", password: "une phrase de passe solide" };
    const response = await postSignUp(visitor, { cookie: null });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sent: true, email: "ines.morel@exemple.test" });
    expect(await db.registration.count()).toBe(0);
    const stored = await db.signUpRequest.findFirstOrThrow();
    expect(stored.followUpKind).toBe("REGISTRATION");
    expect(JSON.stringify(stored.followUpPayload)).not.toContain(visitor.password);

    const mail = await db.outboxEmail.findFirstOrThrow({ where: { to: "ines.morel@exemple.test" } });
    const token = new URL(/(https?:\/\/\S+\/inscription\/confirmer\?jeton=\S+)/.exec(mail.text)![1]).searchParams.get(
      "jeton",
    )!;
    const page = await callRoute(confirmLink.loader, makeRequest(`/inscription/confirmer?jeton=${token}`));
    expect(await page.json()).toMatchObject({ confirmLabel: "Confirmer mon adresse et réserver ma place" });
    const confirmed = await callRoute(
      confirmLink.action,
      makeRequest("/inscription/confirmer", { form: { token, password: visitor.password } }),
    );
    expect(confirmed.status).toBe(302);
    const made = await db.registration.findFirstOrThrow({ include: { person: true } });
    expect(confirmed.headers.get("Location")).toBe(`/compte/formations/${made.id}?place=retenue`);
    expect(made).toMatchObject({ status: "HELD", person: { email: "ines.morel@exemple.test" } });
  });

  it("tells a visitor at once that a session is full, before any account is kept", async () => {
    await db.trainingSession.update({ where: { id: session.id }, data: { seatsTaken: 8 } });
    const visitor = { name: "Inès Morel", email: "ines.morel@exemple.test", password: "une phrase de passe solide" };
    const response = await postSignUp(visitor, { cookie: null });
    expect(response.status).toBe(409);
    expect((await errorsOf(response))[""]).toEqual([
      "Cette session est complète : inscrivez-vous sur sa liste d'attente.",
    ]);
    expect(await db.signUpRequest.count()).toBe(0);
  });

  it("lands a confirmed sign-up whose session filled meanwhile on Mon compte, account made", async () => {
    const visitor = { name: "Inès Morel", email: "ines.morel@exemple.test", password: "une phrase de passe solide" };
    await postSignUp(visitor, { cookie: null });
    await db.trainingSession.update({ where: { id: session.id }, data: { seatsTaken: 8 } });
    const mail = await db.outboxEmail.findFirstOrThrow({ where: { to: "ines.morel@exemple.test" } });
    const token = new URL(/(https?:\/\/\S+\/inscription\/confirmer\?jeton=\S+)/.exec(mail.text)![1]).searchParams.get(
      "jeton",
    )!;
    const confirmed = await callRoute(
      confirmLink.action,
      makeRequest("/inscription/confirmer", { form: { token, password: visitor.password } }),
    );
    expect(confirmed.headers.get("Location")).toBe("/compte/formations?inscription=a-refaire");
    expect(await db.person.count({ where: { email: "ines.morel@exemple.test" } })).toBe(1);
    expect(await db.registration.count()).toBe(0);
  });
});

describe("paying a held seat", () => {
  it("asks a funder of the pole only: another pole's organisation is refused, nothing written", async () => {
    const held = await signedUp();
    const otherPole = await createPole(db);
    const foreign = await createOrganisation(db, { poleId: otherPole.id, name: "OPCO d'ailleurs" });
    const before = await snapshot();
    const refused = await postRegistration(held.id, {
      intent: "funding",
      funderId: foreign.id,
      funderType: "OPCO",
      traineeType: "EMPLOYEE",
    });
    expect(refused.status).toBe(422);
    expect(await errorsOf(refused)).toEqual({ funderId: ["Choisissez une organisation du pôle comme financeur."] });
    expect(await snapshot()).toEqual(before);

    const opco = await createOrganisation(db, { poleId, name: "OPCO Agri" });
    const page = await (await getRegistration(held.id)).json();
    expect(page.funders.map((f: { id: string }) => f.id)).toContain(opco.id);
    const asked = await postRegistration(held.id, {
      intent: "funding",
      funderId: opco.id,
      funderType: "OPCO",
      traineeType: "JOB_SEEKER",
    });
    expect(asked.status).toBe(302);
    expect(asked.headers.get("Location")).toBe(`/compte/formations/${held.id}?prise-en-charge=demandee`);
    expect(await db.registration.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({
      status: "HELD",
      payer: "ORGANISATION",
      funderId: opco.id,
      funderType: "OPCO",
      traineeType: "JOB_SEEKER",
      priceCents: 42_000,
    });
  });

  it("answers bad payment choices with a French 4xx, never a 500", async () => {
    const held = await signedUp();
    const before = await snapshot();
    const cases: [Record<string, string>, number, string, string][] = [
      [{ intent: "voler" }, 400, "intent", "Cette action n'est pas reconnue."],
      [{ intent: "offline", method: "CASH" }, 400, "method", "Choisissez le virement ou le chèque."],
      [
        { intent: "funding", funderId: "x", funderType: "INDIVIDUAL", traineeType: "EMPLOYEE" },
        400,
        "funderType",
        "Indiquez le type de financeur.",
      ],
      [
        { intent: "funding", funderId: "", funderType: "OPCO", traineeType: "EMPLOYEE" },
        400,
        "funderId",
        "Choisissez l'organisation qui finance votre formation.",
      ],
      [
        { intent: "funding", funderId: "inconnue", funderType: "OPCO", traineeType: "ROBOT" },
        400,
        "traineeType",
        "Indiquez votre situation.",
      ],
      [
        { intent: "card" },
        409,
        "",
        "Le paiement par carte n'est pas proposé par le pôle : choisissez le virement ou le chèque.",
      ],
      [{ intent: "free" }, 409, "", "Cette formation est payante : choisissez comment la régler."],
    ];
    for (const [form, status, field, message] of cases) {
      const response = await postRegistration(held.id, form);
      expect(response.status, JSON.stringify(form)).toBe(status);
      expect((await errorsOf(response))[field], JSON.stringify(form)).toEqual([message]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("confirms a free course without payment, and its parts appear in the private calendar feed", async () => {
    const free = await createTrainingCourse(db, { poleId, slug: "visite", title: "Visite du site", prices: [0, 0, 0] });
    const freeSession = await createTrainingSession(db, {
      poleId,
      courseId: free.id,
      roomId,
      day: dayAfter(DAY, 3),
      now: new Date(),
    });
    const response = await postSignUp({}, { slug: "visite", sessionId: freeSession.id });
    const id = /\/compte\/formations\/([^?]+)/.exec(response.headers.get("Location")!)![1];
    const page = await (await getRegistration(id)).json();
    expect(page.registration).toMatchObject({ priceCents: 0, held: true });
    const confirmed = await postRegistration(id, { intent: "free" });
    expect(confirmed.headers.get("Location")).toBe(`/compte/formations/${id}?inscription=confirmee`);
    expect(await db.registration.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "CONFIRMED" });

    // A held (unpaid) seat elsewhere stays out of the calendar; the confirmed one's two parts are in it.
    await signedUp();
    await callRoute(
      accountFeed.action,
      makeRequest("/compte/calendrier", { cookie: cookies.trainee, form: { intent: "renew" } }),
    );
    const accountPage = await (
      await callRoute(account.loader, makeRequest("/compte", { cookie: cookies.trainee }))
    ).json();
    expect(accountPage.trainings).toMatchObject({ upcoming: 2, toPay: 1, next: { id, title: "Visite du site" } });
    const feedPath = new URL(accountPage.feedUrl).pathname;
    const feed = await callRoute(feedRoute.loader, makeRequest(feedPath), { feed: feedPath.split("/").pop()! });
    const calendar = new ICAL.Component(ICAL.parse(await feed.text()));
    const events = calendar.getAllSubcomponents("vevent").map((e) => new ICAL.Event(e));
    expect(events.map((e) => [e.summary, e.startDate.toJSDate().toISOString()])).toEqual([
      [expect.stringContaining("Formation — Visite du site (1/2)"), at(dayAfter(DAY, 3), "09:00").toISOString()],
      [expect.stringContaining("Formation — Visite du site (2/2)"), at(dayAfter(DAY, 3), "13:30").toISOString()],
    ]);
    expect(events[0].location).toContain("Salle du Lavoir");
    expect(events[0].component.getFirstPropertyValue("status")).toBe("CONFIRMED");

    // Cancelled, the parts stay in the feed as cancelled, so calendars remove them.
    await postRegistration(id, { intent: "cancel" });
    const again = await callRoute(feedRoute.loader, makeRequest(feedPath), { feed: feedPath.split("/").pop()! });
    const statuses = new ICAL.Component(ICAL.parse(await again.text()))
      .getAllSubcomponents("vevent")
      .map((e) => e.getFirstPropertyValue("status"));
    expect(statuses).toEqual(["CANCELLED", "CANCELLED"]);
  });
});

describe("Mon compte › Mes formations", () => {
  it("lets a trainee see and cancel their own registrations only", async () => {
    const mine = await signedUp();
    const theirs = await holdSeat(db, { poleId, sessionId: session.id, personId: neighbour.id, now: new Date() });

    const list = await (
      await callRoute(myTrainings.loader, makeRequest("/compte/formations", { cookie: cookies.trainee }))
    ).json();
    expect(list.upcoming.map((r: { id: string }) => r.id)).toEqual([mine.id]);
    expect(list.past).toEqual([]);
    expect((await getRegistration(theirs.id)).status).toBe(404);
    expect((await getRegistration("inconnue")).status).toBe(404);

    // Cancelling someone else's registration: 404, as if it did not exist; nothing changes.
    const before = await snapshot();
    const stranger = await postRegistration(theirs.id, { intent: "cancel" });
    expect(stranger.status).toBe(404);
    expect((await errorsOf(stranger))[""]).toEqual(["Cette inscription n'existe pas."]);
    const paying = await postRegistration(theirs.id, { intent: "offline", method: "CHEQUE" });
    expect(paying.status).toBe(404);
    expect(await snapshot()).toEqual(before);

    // Their own: cancelled, the seat back.
    const cancelled = await postRegistration(mine.id, { intent: "cancel" });
    expect(cancelled.status).toBe(302);
    expect(cancelled.headers.get("Location")).toBe(`/compte/formations/${mine.id}?inscription=annulee`);
    expect(await db.registration.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({
      status: "CANCELLED",
      cancelledById: trainee.id,
    });
    expect((await db.trainingSession.findUniqueOrThrow({ where: { id: session.id } })).seatsTaken).toBe(1);
    const twice = await postRegistration(mine.id, { intent: "cancel" });
    expect(twice.status).toBe(409);
    expect((await errorsOf(twice))[""]).toEqual(["Cette inscription est déjà annulée."]);

    const after = await (
      await callRoute(myTrainings.loader, makeRequest("/compte/formations", { cookie: cookies.trainee }))
    ).json();
    expect(after.upcoming).toEqual([]);
    expect(after.past.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([[mine.id, "CANCELLED"]]);
  });

  it("says before the confirmation what cancelling gives back, then refunds a paid registration in time", async () => {
    const held = await signedUp();
    await postRegistration(held.id, { intent: "offline", method: "CHEQUE" });
    const cancelSection = async () =>
      parse(
        await (
          await fetch(`${server.baseUrl}/compte/formations/${held.id}?annuler`, {
            headers: { Cookie: cookies.trainee },
          })
        ).text(),
      )
        .querySelector("#annuler")!
        .closest("section")!;
    const unpaid = await cancelSection();
    expect(unpaid.text).toContain("Vous libérez votre place sans frais");
    expect(unpaid.text).toContain("Confirmez-vous l'annulation");
    expect(unpaid.querySelector("button")?.text).toBe("Oui, annuler mon inscription");

    const staff = await createPerson(db, { poleId, role: "STAFF" });
    const paid = await confirmRegistrationPayment(db, {
      poleId,
      registrationId: held.id,
      method: "CHEQUE",
      reference: "CHQ-0042",
      staffId: staff.id,
      now: new Date(),
    });
    expect(paid.ok).toBe(true);
    const confirmed = await cancelSection();
    // Free until the pole's 7 days before the start.
    expect(confirmed.text).toContain(
      `Annulation gratuite jusqu'au ${formatDate(at(dayAfter(DAY, -7), "09:00"), "dateTime")}`,
    );
    expect(confirmed.text).toContain("ce que vous avez réglé vous est remboursé");

    const cancelled = await postRegistration(held.id, { intent: "cancel" });
    expect(cancelled.status).toBe(302);
    const refund = await db.refund.findFirstOrThrow({ include: { payment: true } });
    expect(refund).toMatchObject({ amountCents: 24_000, status: "PENDING", payment: { registrationId: held.id } });
    const page = await (await getRegistration(held.id)).json();
    expect(page.registration).toMatchObject({ status: "CANCELLED" });
    expect(page.registration.payments[0].refunds).toEqual([
      expect.objectContaining({ amountCents: 24_000, status: "PENDING" }),
    ]);
    expect(page.policy.cancellable).toBe(false);
  });

  it("lists a delivered session among the past, with its certificate and, for those who attended, the satisfaction form", async () => {
    const [mine, theirs] = await Promise.all(
      [trainee, neighbour].map((person) =>
        holdSeat(db, { poleId, sessionId: session.id, personId: person.id, now: new Date() }),
      ),
    );
    await db.registration.updateMany({
      where: { id: { in: [mine.id, theirs.id] } },
      data: { status: "CONFIRMED", confirmedAt: new Date() },
    });
    // The session took place last month and staff closed it: the trainee attended, the neighbour did not.
    const past = new Date(Date.now() - 30 * 86_400_000);
    await db.trainingSession.update({
      where: { id: session.id },
      data: {
        status: "DELIVERED",
        startsAt: past,
        endsAt: new Date(past.getTime() + 8 * 3_600_000),
        deliveredAt: new Date(),
      },
    });
    const staff = await createPerson(db, { poleId, role: "STAFF" });
    await db.attendance.create({
      data: {
        registrationId: mine.id,
        halfDayStart: past,
        status: "PRESENT",
        markedById: staff.id,
        markedAt: new Date(),
      },
    });
    await db.attendance.create({
      data: {
        registrationId: theirs.id,
        halfDayStart: past,
        status: "ABSENT",
        markedById: staff.id,
        markedAt: new Date(),
      },
    });
    await db.certificate.create({
      data: {
        poleId,
        registrationId: mine.id,
        number: "AT-2026-0001",
        halfDaysPresent: 2,
        halfDaysTotal: 2,
        issuedAt: new Date(),
      },
    });

    const list = await (
      await callRoute(myTrainings.loader, makeRequest("/compte/formations", { cookie: cookies.trainee }))
    ).json();
    expect(list.upcoming).toEqual([]);
    expect(list.past).toEqual([
      expect.objectContaining({
        id: mine.id,
        certificate: expect.objectContaining({ number: "AT-2026-0001" }),
        satisfactionOpen: true,
        satisfactionAnswered: false,
      }),
    ]);
    const html = await (
      await fetch(`${server.baseUrl}/compte/formations`, { headers: { Cookie: cookies.trainee } })
    ).text();
    const card = parse(html).querySelector(`#inscription-${mine.id}`)!.closest("article")!;
    expect(card.querySelector(`a[href="/compte/formations/${mine.id}/attestation.pdf"]`)?.text).toBe(
      "Attestation de fin de formation (PDF)",
    );
    expect(card.querySelector(`a[href="/compte/formations/${mine.id}/avis"]`)?.text).toBe("Donner mon avis");

    const absent = await (
      await callRoute(myTrainings.loader, makeRequest("/compte/formations", { cookie: cookies.neighbour }))
    ).json();
    expect(absent.past).toEqual([
      expect.objectContaining({ id: theirs.id, certificate: null, satisfactionOpen: false }),
    ]);
  });

  it("sends a visitor to log in", async () => {
    const response = await callRoute(myTrainings.loader, makeRequest("/compte/formations"));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/connexion?redirectTo=%2Fcompte%2Fformations");
  });
});

describe("the waiting list of a full session", () => {
  /** The session full: every seat held by someone else. */
  async function fill(sessionId = session.id, capacity = 8) {
    const holders = [];
    for (let i = 0; i < capacity; i++) {
      const person = await createPerson(db, { poleId });
      holders.push(await holdSeat(db, { poleId, sessionId, personId: person.id, now: new Date() }));
    }
    return holders;
  }
  const postWait = (cookie: string | null = cookies.trainee, sessionId = session.id) =>
    callRoute(
      signUpPage.action,
      makeRequest(signUpPath(sessionId), { form: { intent: "wait" }, cookie: cookie ?? undefined }),
      { slug: "maraichage" },
    );
  const postList = (form: Record<string, string>, cookie = cookies.trainee) =>
    callRoute(myTrainings.action, makeRequest("/compte/formations", { form, cookie }));
  const list = async (cookie = cookies.trainee) =>
    (await callRoute(myTrainings.loader, makeRequest("/compte/formations", { cookie }))).json();

  it("takes a signed-in person at the end of the list, shows their place, and lets them leave", async () => {
    const early = await postWait();
    expect(early.status).toBe(409);
    expect((await errorsOf(early))[""]).toEqual(["Il reste des places à cette session : inscrivez-vous directement."]);
    await fill();
    const joined = await postWait();
    expect(joined.status).toBe(302);
    expect(joined.headers.get("Location")).toBe("/compte/formations?attente=rejointe&position=1#attente");
    const second = await postWait(cookies.neighbour);
    expect(second.headers.get("Location")).toBe("/compte/formations?attente=rejointe&position=2#attente");
    const twice = await postWait();
    expect(twice.status).toBe(409);
    expect((await errorsOf(twice))[""]).toEqual(["Vous êtes déjà sur la liste d'attente de cette session."]);
    // A visitor logs in first.
    const visitor = await postWait(null);
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toMatch(/^\/connexion\?redirectTo=/);

    const mine = await list(cookies.neighbour);
    expect(mine.waits).toEqual([
      expect.objectContaining({ position: 2, course: { slug: "maraichage", title: "Initiation au maraîchage bio" } }),
    ]);
    const page = await (
      await callRoute(signUpPage.loader, makeRequest(signUpPath(), { cookie: cookies.neighbour }), {
        slug: "maraichage",
      })
    ).json();
    expect(page.waiting).toEqual({ position: 2 });
    const programme = await (
      await callRoute(coursePage.loader, makeRequest("/formations/maraichage", { cookie: cookies.neighbour }), {
        slug: "maraichage",
      })
    ).json();
    expect(programme.sessions[0]).toMatchObject({ full: true, waitingPosition: 2 });
    const summary = await (
      await callRoute(account.loader, makeRequest("/compte", { cookie: cookies.neighbour }))
    ).json();
    expect(summary.trainings).toMatchObject({ waiting: 1, upcoming: 0 });

    // Someone else's entry cannot be left; one's own can, and the next moves up.
    const entryId = (await list()).waits[0].entryId;
    const stranger = await postList({ intent: "leave", entryId }, cookies.neighbour);
    expect(stranger.status).toBe(409);
    expect((await errorsOf(stranger))[""]).toEqual(["Vous n'êtes plus sur la liste d'attente de cette session."]);
    expect((await list()).waits).toHaveLength(1);
    const left = await postList({ intent: "leave", entryId });
    expect(left.headers.get("Location")).toBe("/compte/formations?attente=quittee#attente");
    expect((await list()).waits).toEqual([]);
    expect((await list(cookies.neighbour)).waits[0].position).toBe(1);
  });

  it("offers a freed seat to the first in line, who accepts it and pays; a decline passes it on", async () => {
    const holders = await fill();
    await postWait();
    await postWait(cookies.neighbour);
    // A holder cancels: the seat goes at once to the trainee, as an offer in Mon compte.
    const cancelled = await cancelRegistration(db, {
      poleId,
      registrationId: holders[0].id,
      actor: { personId: holders[0].personId, staff: false },
      now: new Date(),
    });
    expect(cancelled.ok).toBe(true);
    const offered = await db.registration.findFirstOrThrow({ where: { personId: trainee.id } });
    expect(offered.status).toBe("OFFERED");
    const mine = await list();
    expect(mine.waits).toEqual([]);
    expect(mine.upcoming).toEqual([
      expect.objectContaining({ id: offered.id, status: "OFFERED", offerExpiresAt: expect.any(String) }),
    ]);
    const summary = await (await callRoute(account.loader, makeRequest("/compte", { cookie: cookies.trainee }))).json();
    expect(summary.trainings.offers).toBe(1);
    const html = await (
      await fetch(`${server.baseUrl}/compte/formations/${offered.id}`, { headers: { Cookie: cookies.trainee } })
    ).text();
    expect(parse(html).querySelector("#proposition")?.text).toBe("Une place s'est libérée pour vous");

    // The neighbour cannot answer the trainee's offer.
    const stranger = await postList({ intent: "accept", registrationId: offered.id }, cookies.neighbour);
    expect(stranger.status).toBe(404);
    const accepted = await postList({ intent: "accept", registrationId: offered.id });
    expect(accepted.headers.get("Location")).toBe(`/compte/formations/${offered.id}?place=acceptee`);
    expect(await db.registration.findUniqueOrThrow({ where: { id: offered.id } })).toMatchObject({ status: "HELD" });
    const pay = await postRegistration(offered.id, { intent: "offline", method: "TRANSFER" });
    expect(pay.headers.get("Location")).toBe(`/compte/formations/${offered.id}?reglement=virement`);
    const again = await postList({ intent: "accept", registrationId: offered.id });
    expect(again.status).toBe(409);
    expect((await errorsOf(again))[""]).toEqual(["Vous avez déjà accepté cette place."]);

    // Another seat frees: offered to the neighbour, who declines it from its page; it is nobody's now.
    await cancelRegistration(db, {
      poleId,
      registrationId: holders[1].id,
      actor: { personId: holders[1].personId, staff: false },
      now: new Date(),
    });
    const theirs = await db.registration.findFirstOrThrow({ where: { personId: neighbour.id } });
    expect(theirs.status).toBe("OFFERED");
    const declined = await postRegistration(theirs.id, { intent: "decline" }, cookies.neighbour);
    expect(declined.headers.get("Location")).toBe("/compte/formations?proposition=declinee");
    expect(await db.registration.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({
      status: "CANCELLED",
    });
    const free = await db.trainingSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(free.seatsTaken).toBe(7);
  });
});

describe("moving to another session of the course", () => {
  it("moves a confirmed registration, and refuses a full, closed or other course's session in French", async () => {
    const free = await createTrainingCourse(db, { poleId, slug: "visite", title: "Visite du site", prices: [0, 0, 0] });
    const [first, second, full] = await Promise.all(
      [1, 2, 3].map((n) =>
        createTrainingSession(db, {
          poleId,
          courseId: free.id,
          roomId,
          day: dayAfter(DAY, n),
          capacity: n === 3 ? 1 : 8,
          now: new Date(),
        }),
      ),
    );
    await db.trainingSession.update({ where: { id: full.id }, data: { seatsTaken: 1 } });
    const held = await holdSeat(db, { poleId, sessionId: first.id, personId: trainee.id, now: new Date() });
    expect(
      (await confirmFreeRegistration(db, { poleId, registrationId: held.id, personId: trainee.id, now: new Date() }))
        .ok,
    ).toBe(true);

    const page = await (await getRegistration(held.id)).json();
    expect(page.moves.map((m: { id: string; seatsLeft: number }) => [m.id, m.seatsLeft])).toEqual([
      [second.id, 8],
      [full.id, 0],
    ]);
    const before = await snapshot();
    const cases: [string, number, string][] = [
      [full.id, 409, "Cette session est complète : choisissez-en une autre, ou rejoignez sa liste d'attente."],
      [session.id, 422, "Choisissez une session de la même formation."],
      ["inconnue", 404, "Cette session n'existe pas."],
      [first.id, 409, "Vous êtes déjà inscrit·e à cette session : choisissez-en une autre."],
    ];
    for (const [sessionId, status, message] of cases) {
      const refused = await postRegistration(held.id, { intent: "move", sessionId });
      expect(refused.status, sessionId).toBe(status);
      expect((await errorsOf(refused)).sessionId, sessionId).toEqual([message]);
    }
    expect((await postRegistration(held.id, { intent: "move", sessionId: second.id }, cookies.neighbour)).status).toBe(
      404,
    );
    expect(await snapshot()).toEqual(before);

    const moved = await postRegistration(held.id, { intent: "move", sessionId: second.id });
    expect(moved.status).toBe(302);
    const now = await db.registration.findFirstOrThrow({ where: { sessionId: second.id, personId: trainee.id } });
    expect(moved.headers.get("Location")).toBe(`/compte/formations/${now.id}?inscription=deplacee`);
    expect(now).toMatchObject({ status: "CONFIRMED", movedFromId: held.id });
    expect(await db.registration.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({ status: "CANCELLED" });
    const seats = await db.trainingSession.findMany({ where: { id: { in: [first.id, second.id] } } });
    expect(Object.fromEntries(seats.map((s) => [s.id, s.seatsTaken]))).toEqual({ [first.id]: 0, [second.id]: 1 });
  });
});

describe("by card", () => {
  const { state } = useStripeMock();

  it("opens Stripe Checkout for the held seat", async () => {
    const held = await signedUp();
    const page = await (await getRegistration(held.id)).json();
    expect(page.card).toBe(true);
    const response = await postRegistration(held.id, { intent: "card" });
    expect(response.status).toBe(302);
    const payment = await db.payment.findFirstOrThrow({ where: { purpose: "REGISTRATION" } });
    expect(payment).toMatchObject({ registrationId: held.id, amountCents: 24_000, status: "PENDING" });
    expect(response.headers.get("Location")).toBe(state.sessions.get(payment.stripeSessionId!)?.url);
    const stranger = await postRegistration(held.id, { intent: "card" }, cookies.neighbour);
    expect(stranger.status).toBe(404);
  });
});
