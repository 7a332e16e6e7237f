import type { FunderType, TraineeType } from "~/generated/prisma/enums";
import { csvDocument } from "~/utils/csv";
import { firstDayOfYear, lastDayOfYear, type IsoDate } from "~/domain/ledger/dates";
import type { Client } from "~/utils/db.server";
import { TRAINING_REVENUE_ACCOUNT } from "./books.server";
import { FUNDER_TYPE_LABELS, FUNDER_TYPES, TRAINEE_TYPE_LABELS, TRAINEE_TYPES } from "./staff-labels";

// The yearly report of a training organisation (bilan pédagogique et financier, decision 020), for a calendar year;
// the same figures over a fiscal year feed the pole's annual report (decision 025).
//
// Trainees and hours: the confirmed registrations of the sessions delivered whose last part ended in the year
// (Europe/Paris). Hours × trainees are the course's stated duration times those registrations — the programme's
// hours, not the half-days marked present: the report says so.
//
// Revenue: what the books recognised in the year on 706200, TRAINING stream — the delivery entries keyed
// `registration:<id>:delivered` (and their reversals), joined back to their registration for its funder type and
// course. Read, never written: only the ledger posts. Lines on 706200 that no registration explains (an entry
// staff typed by hand) are reported apart, so the total meets the ledger's.

type Delivered = {
  id: string;
  personId: string;
  traineeType: TraineeType;
  courseId: string;
  title: string;
  durationHours: number;
  sessionId: string;
};

type Tally = { trainees: number; registrations: number; hours: number };

export type YearlyReport = Awaited<ReturnType<typeof yearlyReport>>;

export async function yearlyReport(client: Client, input: { poleId: string; year: number }) {
  const figures = await periodReport(client, {
    poleId: input.poleId,
    from: firstDayOfYear(input.year),
    to: lastDayOfYear(input.year),
  });
  return { year: input.year, ...figures };
}

/** The report's figures over any period [from, to] (both inclusive): a calendar year, or a fiscal year (decision 025). */
export async function periodReport(client: Client, input: { poleId: string; from: IsoDate; to: IsoDate }) {
  const { from, to } = input;
  const delivered = await client.$queryRaw<Delivered[]>`
    SELECT r."id", r."personId", r."traineeType"::text AS "traineeType", c."id" AS "courseId", c."title",
           c."durationHours", s."id" AS "sessionId"
    FROM "Registration" r
    JOIN "TrainingSession" s ON s."id" = r."sessionId"
    JOIN "Course" c ON c."id" = s."courseId"
    WHERE r."poleId" = ${input.poleId} AND r."status" = 'CONFIRMED' AND s."status" = 'DELIVERED'
      AND (s."endsAt" AT TIME ZONE 'Europe/Paris')::date BETWEEN ${from}::date AND ${to}::date`;

  // Revenue recognised in the year, per registration (null: a 706200 TRAINING line no registration explains).
  const revenue = await client.$queryRaw<{ registrationId: string | null; amount: bigint }[]>`
    SELECT coalesce(substring(e."sourceKey" from '^registration:(.+):delivered$'),
                    substring(o."sourceKey" from '^registration:(.+):delivered$')) AS "registrationId",
           sum(l."credit" - l."debit")::bigint AS "amount"
    FROM "EntryLine" l
    JOIN "Account" a ON a."id" = l."accountId"
    JOIN "JournalEntry" e ON e."id" = l."entryId"
    LEFT JOIN "JournalEntry" o ON o."id" = e."reversalOfId"
    WHERE l."poleId" = ${input.poleId} AND a."code" = ${TRAINING_REVENUE_ACCOUNT} AND l."stream" = 'TRAINING'
      AND l."date" BETWEEN ${from}::date AND ${to}::date
    GROUP BY 1`;
  const revenueIds = revenue.flatMap((r) => (r.registrationId ? [r.registrationId] : []));
  const earning = revenueIds.length
    ? await client.registration.findMany({
        where: { id: { in: revenueIds }, poleId: input.poleId },
        select: { id: true, funderType: true, session: { select: { course: { select: { id: true, title: true } } } } },
      })
    : [];
  const earningOf = new Map(earning.map((r) => [r.id, r]));

  const tally = (rows: Delivered[]): Tally => ({
    trainees: new Set(rows.map((r) => r.personId)).size,
    registrations: rows.length,
    hours: rows.reduce((sum, r) => sum + r.durationHours, 0),
  });

  const byFunder = new Map<FunderType, { cents: number; registrations: number }>(
    FUNDER_TYPES.map((t) => [t, { cents: 0, registrations: 0 }]),
  );
  const courseRevenue = new Map<string, { title: string; cents: number }>();
  let unexplainedCents = 0;
  let revenueCents = 0;
  for (const line of revenue) {
    const cents = Number(line.amount);
    revenueCents += cents;
    const registration = line.registrationId ? earningOf.get(line.registrationId) : undefined;
    if (!registration) {
      unexplainedCents += cents;
      continue;
    }
    const funder = byFunder.get(registration.funderType)!;
    funder.cents += cents;
    funder.registrations += 1;
    const course = registration.session.course;
    const was = courseRevenue.get(course.id) ?? { title: course.title, cents: 0 };
    courseRevenue.set(course.id, { title: was.title, cents: was.cents + cents });
  }

  const courseIds = new Set([...delivered.map((r) => r.courseId), ...courseRevenue.keys()]);
  const courses = [...courseIds]
    .map((courseId) => {
      const rows = delivered.filter((r) => r.courseId === courseId);
      return {
        courseId,
        title: rows[0]?.title ?? courseRevenue.get(courseId)!.title,
        durationHours: rows[0]?.durationHours ?? null,
        sessions: new Set(rows.map((r) => r.sessionId)).size,
        ...tally(rows),
        revenueCents: courseRevenue.get(courseId)?.cents ?? 0,
      };
    })
    .sort((a, b) => a.title.localeCompare(b.title, "fr"));

  return {
    total: { ...tally(delivered), sessions: new Set(delivered.map((r) => r.sessionId)).size, revenueCents },
    byTraineeType: TRAINEE_TYPES.map((type) => ({
      type,
      label: TRAINEE_TYPE_LABELS[type],
      ...tally(delivered.filter((r) => r.traineeType === type)),
    })),
    byFunderType: FUNDER_TYPES.map((type) => ({ type, label: FUNDER_TYPE_LABELS[type], ...byFunder.get(type)! })),
    unexplainedCents,
    courses,
  };
}

/** The years the report can be asked for: from the first delivered session or revenue line to next year. */
export async function reportYears(client: Client, poleId: string, now: Date) {
  const [first] = await client.$queryRaw<{ year: number | null }[]>`
    SELECT least(
      (SELECT min(extract(year FROM "endsAt" AT TIME ZONE 'Europe/Paris')) FROM "TrainingSession" WHERE "poleId" = ${poleId}),
      (SELECT min(extract(year FROM l."date")) FROM "EntryLine" l WHERE l."poleId" = ${poleId} AND l."stream" = 'TRAINING')
    )::int AS year`;
  const current = Number(new Intl.DateTimeFormat("fr-FR", { year: "numeric", timeZone: "Europe/Paris" }).format(now));
  const start = Math.min(first?.year ?? current, current);
  return Array.from({ length: current - start + 1 }, (_, i) => current - i);
}

/** "1234,56", "-12,00": an amount that may be negative (a year whose reversals outweigh its revenue). */
const signedAmount = (cents: number) =>
  `${cents < 0 ? "-" : ""}${Math.floor(Math.abs(cents) / 100)},${String(Math.abs(cents) % 100).padStart(2, "0")}`;

export const REPORT_CSV_HEADER = [
  "Rubrique",
  "Catégorie",
  "Stagiaires (personnes)",
  "Inscriptions",
  "Heures-stagiaires",
  "Produits HT",
] as const;

/** The report as one CSV table: the totals, then by trainee type, by funder type and by course. */
export function reportCsv(report: YearlyReport) {
  const rows: string[][] = [
    [
      "Total",
      String(report.year),
      String(report.total.trainees),
      String(report.total.registrations),
      String(report.total.hours),
      signedAmount(report.total.revenueCents),
    ],
    ...report.byTraineeType.map((t) => [
      "Type de stagiaire",
      t.label,
      String(t.trainees),
      String(t.registrations),
      String(t.hours),
      "",
    ]),
    ...report.byFunderType.map((f) => [
      "Origine des produits",
      f.label,
      "",
      String(f.registrations),
      "",
      signedAmount(f.cents),
    ]),
    ...(report.unexplainedCents !== 0
      ? [
          [
            "Origine des produits",
            "Écritures non rattachées à une inscription",
            "",
            "",
            "",
            signedAmount(report.unexplainedCents),
          ],
        ]
      : []),
    ...report.courses.map((c) => [
      "Formation",
      c.title,
      String(c.trainees),
      String(c.registrations),
      String(c.hours),
      signedAmount(c.revenueCents),
    ]),
  ];
  return csvDocument(REPORT_CSV_HEADER, rows);
}
