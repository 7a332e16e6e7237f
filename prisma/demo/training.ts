import { DateTime } from "luxon";
import { cents } from "~/domain/money";
import {
  confirmFunding,
  confirmRegistrationPayment,
  createCourse,
  deliverSession,
  halfDaysOf,
  joinSessionWaitlist,
  markAttendance,
  payRegistrationOffline,
  requestFunding,
  scheduleSession,
  signUp,
  type CourseInput,
} from "~/domain/training/index.server";
import type { Client } from "~/utils/db.server";
import { demoCitizens } from "./people";
import { demoAccount, demoOrganisation, type DemoPole } from "./pole";

// The demo pole's trainings (issue 15): four courses of its catalogue — market gardening, composting, running a
// SCIC, and the installation path that opens the way to a test plot — with past sessions delivered (attendance,
// certificates, revenue in the books) and upcoming ones, one of them full with a waiting list. Everything goes
// through the training domain as staff and trainees would, at the dates it would have happened; a second run
// changes nothing (the courses exist: the demo's trainings are there).

type CourseSeed = Omit<CourseInput, "poleId" | "memberCents" | "publicCents" | "fundedCents"> & {
  prices: [number, number, number];
};

const COURSES: CourseSeed[] = [
  {
    slug: "initiation-maraichage-bio",
    title: "Initiation au maraîchage biologique",
    axis: "Agroécologie en Lauragais",
    objectives:
      "Concevoir un plan de culture sur une saison.\nPréparer un sol vivant sans travail profond.\nConduire les principales cultures légumières en agriculture biologique.",
    content:
      "Jour 1 : le sol (observation, couverts, amendements organiques du pôle), le plan de culture et les rotations.\nJour 2 : semis, plantation, irrigation et protection des cultures, sur les planches pédagogiques du site.",
    prerequisites: "Aucun. Prévoir des vêtements de terrain.",
    audience: "Porteurs de projet agricole, jardiniers de jardins partagés, salariés d'associations.",
    durationHours: 14,
    methods: "Apports en salle le matin, pratique sur les planches l'après-midi ; un livret remis à chaque stagiaire.",
    evaluation: "Quiz en début et fin de formation ; plan de culture réalisé en binôme.",
    accessibility:
      "Salle de plain-pied, planches pédagogiques accessibles en fauteuil par un chemin stabilisé. Adaptations possibles : nous contacter.",
    accessibilityContact: "Référente handicap : Claire Vidal — formation@vallee-fertile.demo — 05 61 00 00 12",
    prices: [18_000, 24_000, 42_000],
  },
  {
    slug: "compostage-de-proximite",
    title: "Composter les biodéchets : du quartier au champ",
    axis: "Valorisation locale de la biomasse",
    objectives:
      "Mettre en place et suivre un site de compostage partagé.\nComprendre le retour au sol de la matière organique urbaine.",
    content:
      "Les biodéchets et la loi, le processus de compostage, le suivi d'un composteur de quartier, la valorisation agricole du compost sur les parcelles du pôle.",
    prerequisites: "Aucun.",
    audience: "Référents de sites de compostage, agents de collectivités, bénévoles d'associations.",
    durationHours: 7,
    methods: "Visite de la plateforme de compostage du site et atelier pratique.",
    evaluation: "Mise en situation : diagnostic d'un composteur.",
    accessibility: "Plateforme de compostage accessible par un chemin stabilisé ; salle de plain-pied.",
    accessibilityContact: "Référente handicap : Claire Vidal — formation@vallee-fertile.demo",
    prices: [9_000, 12_000, 21_000],
  },
  {
    slug: "gerer-une-scic",
    title: "Gérer une SCIC : gouvernance et gestion",
    axis: "Soutien au développement local",
    objectives:
      "Comprendre le fonctionnement d'une société coopérative d'intérêt collectif.\nTenir une assemblée générale et les registres.\nLire les comptes d'une coopérative.",
    content:
      "Le statut SCIC, les collèges et les votes, le capital variable et le registre des associés, l'affectation des résultats, les obligations comptables.",
    prerequisites: "Être associé·e ou salarié·e d'une coopérative, ou porter un projet de SCIC.",
    audience: "Dirigeants et administrateurs de coopératives, porteurs de projet.",
    durationHours: 14,
    methods: "Apports, étude de cas (les comptes du pôle), échanges de pratiques.",
    evaluation: "Étude de cas corrigée en groupe.",
    accessibility: "Salle de plain-pied, supports disponibles en gros caractères sur demande.",
    accessibilityContact: "Référente handicap : Claire Vidal — formation@vallee-fertile.demo",
    prices: [20_000, 28_000, 49_000],
  },
  {
    slug: "parcours-installation-agricole",
    title: "Parcours installation agricole",
    axis: "Soutien au développement local",
    objectives:
      "Construire son projet d'installation : production, commercialisation, statut, financement.\nPréparer une année en espace-test sur les terres du pôle.",
    content:
      "Cinq journées : le projet et son territoire, le système de production, la commercialisation en circuits courts, le prévisionnel économique, le cadre de l'espace-test et du bail.",
    prerequisites: "Un projet d'installation agricole, même au stade de l'idée.",
    audience: "Porteurs de projet agricole, en particulier hors cadre familial.",
    durationHours: 35,
    methods: "Ateliers, rencontres de paysans installés, travail individuel accompagné.",
    evaluation: "Présentation du projet devant un jury de paysans et de l'équipe du pôle.",
    accessibility: "Salle de plain-pied ; visites de fermes adaptées sur demande.",
    accessibilityContact: "Référente handicap : Claire Vidal — formation@vallee-fertile.demo",
    opensPlotPath: true,
    prices: [35_000, 45_000, 105_000],
  },
];

export async function seedDemoTraining(tx: Client, demo: DemoPole, today: Date) {
  const poleId = demo.pole.id;
  if ((await tx.course.count({ where: { poleId } })) > 0) return { created: false };
  const staffId = demoAccount(demo, "STAFF").id;
  const trainerId = demoAccount(demo, "MEMBER").id;
  const people = await demoCitizens(tx, poleId, 110);
  const courses = new Map<string, string>();
  for (const seed of COURSES) {
    const { prices, ...course } = seed;
    const made = await createCourse(tx, {
      ...course,
      poleId,
      memberCents: cents(prices[0]),
      publicCents: cents(prices[1]),
      fundedCents: cents(prices[2]),
    });
    if (!made.ok) throw new Error(`Formation de démonstration : ${made.message}`);
    courses.set(seed.slug, made.value.id);
  }
  const rooms = await tx.resource.findMany({ where: { poleId, kind: "ROOM" }, orderBy: { position: "asc" } });
  const paris = (date: Date) => DateTime.fromJSDate(date, { zone: "Europe/Paris" });
  const at = (days: number, hour = 10) =>
    paris(today).plus({ days }).set({ hour, minute: 0, second: 0, millisecond: 0 }).toJSDate();

  /** A session of `days` whole days from the first free weekday at or after `fromDays`, scheduled at `now`. */
  async function session(input: {
    course: string;
    fromDays: number;
    days: number;
    capacity: number;
    minimum: number;
    now: Date;
  }) {
    for (let offset = 0; offset < 60; offset++) {
      const first = paris(today).plus({ days: input.fromDays + offset });
      if (first.weekday > 5 || closedDay(first)) continue;
      const dates: DateTime[] = [];
      for (let d = first; dates.length < input.days; d = d.plus({ days: 1 }))
        if (d.weekday <= 5 && !closedDay(d)) dates.push(d);
      const time = (d: DateTime, hhmm: string) =>
        d.set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3)), second: 0, millisecond: 0 }).toJSDate();
      const room = rooms[offset % rooms.length];
      const made = await scheduleSession(tx, {
        poleId,
        courseId: courses.get(input.course)!,
        capacity: input.capacity,
        minimum: input.minimum,
        registrationDeadline: first.minus({ days: 2 }).endOf("day").set({ millisecond: 0 }).toJSDate(),
        parts: dates.flatMap((d) => [
          { resourceId: room.id, startsAt: time(d, "09:00"), endsAt: time(d, "12:30") },
          { resourceId: room.id, startsAt: time(d, "13:30"), endsAt: time(d, "17:00") },
        ]),
        trainerIds: [trainerId],
        staffId,
        now: input.now,
      });
      if (made.ok) return made.value;
      if (made.code !== "ROOM_TAKEN" && made.code !== "OUTSIDE_HOURS")
        throw new Error(`Session de démonstration : ${made.message}`);
    }
    throw new Error(`Session de démonstration : aucune salle libre pour ${input.course}`);
  }

  let keys = 0;
  /**
   * A person's registration made at `now`, paid by transfer or cheque, or funded, or left to pay. Staff record the
   * money (and invoice) today: invoice numbers follow their dates, and the other demos' invoices run up to today.
   */
  async function register(
    sessionId: string,
    personId: string,
    how: "transfer" | "cheque" | "funded" | "awaiting",
    now: Date,
  ) {
    const held = await signUp(tx, { poleId, sessionId, personId, idempotencyKey: `demo:${++keys}`, now });
    if (!held.ok) throw new Error(`Inscription de démonstration : ${held.message}`);
    const registrationId = held.value.registration.id;
    if (how === "funded") {
      const funder = demoOrganisation(demo, "Biomasse Sud-Ouest");
      await requestFunding(tx, {
        poleId,
        registrationId,
        personId,
        funderId: funder.id,
        funderType: "EMPLOYER",
        traineeType: "EMPLOYEE",
        now,
      });
      await confirmFunding(tx, { poleId, registrationId, staffId, now: today });
      return registrationId;
    }
    const method = how === "cheque" ? "CHEQUE" : "TRANSFER";
    await payRegistrationOffline(tx, { poleId, registrationId, personId, method, now });
    if (how === "awaiting") return registrationId;
    const paid = await confirmRegistrationPayment(tx, {
      poleId,
      registrationId,
      method,
      reference: `DEMO-${keys}`,
      staffId,
      now: today,
    });
    if (!paid.ok) throw new Error(`Paiement de démonstration : ${paid.message}`);
    return registrationId;
  }

  // Upcoming: composting is full with people waiting; market gardening fills; the SCIC course is under its minimum.
  const compost = await session({
    course: "compostage-de-proximite",
    fromDays: 18,
    days: 1,
    capacity: 10,
    minimum: 4,
    now: at(-20),
  });
  for (let i = 0; i < 10; i++)
    await register(compost.id, people[40 + i], i % 4 === 3 ? "cheque" : "transfer", at(-19 + i));
  for (let i = 0; i < 3; i++) {
    const joined = await joinSessionWaitlist(tx, {
      poleId,
      sessionId: compost.id,
      personId: people[50 + i],
      now: at(-8 + i),
    });
    if (!joined.ok) throw new Error(`Liste d'attente de démonstration : ${joined.message}`);
  }
  const gardening = await session({
    course: "initiation-maraichage-bio",
    fromDays: 30,
    days: 2,
    capacity: 12,
    minimum: 5,
    now: at(-15),
  });
  for (let i = 0; i < 6; i++)
    await register(
      gardening.id,
      people[55 + i],
      i === 2 ? "funded" : i === 5 ? "awaiting" : "transfer",
      at(i === 5 ? -1 : -14 + i),
    );
  const scic = await session({
    course: "gerer-une-scic",
    fromDays: 45,
    days: 2,
    capacity: 8,
    minimum: 5,
    now: at(-10),
  });
  for (let i = 0; i < 2; i++) await register(scic.id, people[65 + i], "transfer", at(-9 + i));
  await session({
    course: "parcours-installation-agricole",
    fromDays: 60,
    days: 5,
    capacity: 10,
    minimum: 6,
    now: at(-5),
  });

  // Past: the installation path two months ago and a composting day six weeks ago, delivered — attendance marked by
  // their trainer, certificates issued at 80 % and revenue recognised; market gardening ended last week and waits
  // for its attendance (Léa, the demo user, attended it).
  const path = await session({
    course: "parcours-installation-agricole",
    fromDays: -70,
    days: 5,
    capacity: 10,
    minimum: 4,
    now: at(-110),
  });
  for (let i = 0; i < 6; i++) await register(path.id, people[80 + i], i === 1 ? "funded" : "transfer", at(-100 + i));
  // One missed two half-days of ten (80 %: certified), another four (60 %: not).
  await attend(path.id, (person, half) =>
    (person === 4 && half < 2) || (person === 5 && half < 4) ? "ABSENT" : "PRESENT",
  );
  await deliver(path.id);
  const pastCompost = await session({
    course: "compostage-de-proximite",
    fromDays: -42,
    days: 1,
    capacity: 10,
    minimum: 4,
    now: at(-80),
  });
  for (let i = 0; i < 7; i++)
    await register(pastCompost.id, people[90 + i], i === 6 ? "cheque" : "transfer", at(-75 + i));
  await attend(pastCompost.id, (person) => (person === 3 ? "EXCUSED" : "PRESENT"));
  await deliver(pastCompost.id);
  const lastWeek = await session({
    course: "initiation-maraichage-bio",
    fromDays: -9,
    days: 2,
    capacity: 12,
    minimum: 4,
    now: at(-45),
  });
  await register(lastWeek.id, demoAccount(demo, "USER").id, "transfer", at(-40));
  for (let i = 0; i < 4; i++) await register(lastWeek.id, people[100 + i], "transfer", at(-39 + i));
  return { created: true, compost, gardening, scic, people };

  /** The trainer marks every half-day of a past session as `status(person index, half-day index)` says. */
  async function attend(sessionId: string, status: (person: number, half: number) => "PRESENT" | "ABSENT" | "EXCUSED") {
    const parts = await tx.booking.findMany({ where: { trainingSessionId: sessionId }, orderBy: { startsAt: "asc" } });
    const halves = halfDaysOf(parts);
    const registrations = await tx.registration.findMany({
      where: { sessionId, status: "CONFIRMED" },
      orderBy: { createdAt: "asc" },
    });
    const marked = await markAttendance(tx, {
      poleId,
      sessionId,
      marks: registrations.flatMap((r, person) =>
        halves.map((h, half) => ({ registrationId: r.id, halfDayStart: h.start, status: status(person, half) })),
      ),
      actor: { personId: trainerId, staff: false },
      now: halves.at(-1)!.end,
    });
    if (!marked.ok) throw new Error(`Présences de démonstration : ${marked.message}`);
  }

  /** Staff close the session (today: its invoices were issued today, its revenue follows them). */
  async function deliver(sessionId: string) {
    const delivered = await deliverSession(tx, { poleId, sessionId, staffId, now: today });
    if (!delivered.ok) throw new Error(`Session de démonstration : ${delivered.message}`);
  }
}

/** Days nobody trains: the fixed French public holidays and the year-end break. */
function closedDay(day: DateTime) {
  const md = day.toFormat("MM-dd");
  return ["01-01", "05-01", "05-08", "07-14", "08-15", "11-01", "11-11"].includes(md) || md >= "12-22" || md <= "01-02";
}
