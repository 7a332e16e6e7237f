import type { SatisfactionAnswer } from "~/generated/prisma/client";
import { satisfactionEmail } from "~/emails/training";
import { fail, ok, type Result } from "~/domain/result";
import { isUniqueViolation } from "~/utils/db-errors.server";
import { inTransaction, type Client, type Db } from "~/utils/db.server";
import { sendEmail } from "~/utils/email.server";
import { appUrl } from "~/utils/env.server";
import { ATTENDED } from "./attendance.server";
import { SATISFACTION_QUESTIONS, type SatisfactionQuestion } from "./attendance-labels";
import { registrationInclude } from "./books.server";
import { registrationEmailBase } from "./payment.server";

// The satisfaction form (decision 020): once a session is delivered, those who attended it (present or late on at
// least one half-day) are asked four questions scored 1 to 5, whether they would recommend the course, and a
// comment. Asked once per session — the sweep claims the session's satisfactionSentAt, then sends — and answered
// once per registration (unique), by the trainee only.

export const satisfactionPath = (registrationId: string) => `/compte/formations/${registrationId}/avis`;

/** Sessions delivered longer ago than this are not asked any more (a late first run of the sweep asks nobody old). */
const ASK_WITHIN_DAYS = 30;

/** The confirmed registrations of a session whose person attended at least one half-day. */
const attendeesWhere = (sessionId: string) => ({
  sessionId,
  status: "CONFIRMED" as const,
  attendance: { some: { status: { in: [...ATTENDED] } } },
});

/**
 * The sweep `training-deliveries`: each session delivered lately whose form was not sent yet is claimed (a
 * compare-and-set of satisfactionSentAt, committed on its own), then its attendees are emailed. A second run, or a
 * second instance, finds it claimed and sends nothing.
 */
export async function sendSatisfactionForms(db: Db, now: Date) {
  const due = await db.trainingSession.findMany({
    where: {
      status: "DELIVERED",
      satisfactionSentAt: null,
      deliveredAt: { lte: now, gte: new Date(now.getTime() - ASK_WITHIN_DAYS * 86_400_000) },
    },
    select: { id: true, poleId: true },
    orderBy: { deliveredAt: "asc" },
    take: 50,
  });
  let sessions = 0;
  let emails = 0;
  for (const session of due) {
    const { count } = await db.trainingSession.updateMany({
      where: { id: session.id, status: "DELIVERED", satisfactionSentAt: null },
      data: { satisfactionSentAt: now },
    });
    if (count === 0) continue;
    sessions += 1;
    const pole = await db.pole.findUniqueOrThrow({ where: { id: session.poleId }, select: { name: true } });
    const attendees = await db.registration.findMany({
      where: attendeesWhere(session.id),
      include: registrationInclude,
      orderBy: { createdAt: "asc" },
    });
    for (const r of attendees) {
      const email = satisfactionEmail({
        ...registrationEmailBase(pole.name, r),
        url: `${appUrl()}${satisfactionPath(r.id)}`,
      });
      await sendEmail({ poleId: session.poleId, to: r.person.email, ...email }, db);
      emails += 1;
    }
  }
  return { sessions, emails };
}

export type SatisfactionScores = Record<SatisfactionQuestion, number>;

export type AnswerInput = {
  poleId: string;
  registrationId: string;
  personId: string;
  scores: SatisfactionScores;
  recommend: boolean;
  comment: string;
  now: Date;
};

const COMMENT_MAX = 2_000;

/** The form for one of the person's registrations: what it is about, and whether they may still answer. */
export async function satisfactionForm(
  client: Client,
  input: { poleId: string; registrationId: string; personId: string },
): Promise<Result<{ course: string; startsAt: Date; endsAt: Date; answeredAt: Date | null }>> {
  const r = await client.registration.findFirst({
    where: { id: input.registrationId, poleId: input.poleId, personId: input.personId },
    include: { session: { include: { course: { select: { title: true } } } }, satisfaction: true },
  });
  if (!r) return fail("NOT_FOUND", "Cette inscription n'existe pas.", { status: 404 });
  const refusal = await answerRefusal(client, r);
  if (refusal) return refusal;
  return ok({
    course: r.session.course.title,
    startsAt: r.session.startsAt,
    endsAt: r.session.endsAt,
    answeredAt: r.satisfaction?.answeredAt ?? null,
  });
}

async function answerRefusal(client: Client, r: { id: string; status: string; session: { status: string } }) {
  if (r.status !== "CONFIRMED" || r.session.status !== "DELIVERED")
    return fail("NOT_DELIVERED", "Le questionnaire s'ouvre une fois la session terminée et close.", { status: 409 });
  const attended = await client.attendance.count({
    where: { registrationId: r.id, status: { in: [...ATTENDED] } },
  });
  if (attended === 0)
    return fail("NOT_ATTENDED", "Le questionnaire est réservé aux personnes qui ont suivi la session.", {
      status: 403,
    });
  return null;
}

/** The trainee answers the form of their registration, once. */
export function answerSatisfaction(client: Client, input: AnswerInput): Promise<Result<SatisfactionAnswer>> {
  for (const q of SATISFACTION_QUESTIONS) {
    const score = input.scores[q.name];
    if (!Number.isInteger(score) || score < 1 || score > 5)
      return Promise.resolve(fail("SCORE", "Choisissez une note de 1 à 5.", { field: q.name }));
  }
  const comment = input.comment.trim();
  if (comment.length > COMMENT_MAX)
    return Promise.resolve(
      fail("COMMENT", `Le commentaire ne peut pas dépasser ${COMMENT_MAX} caractères.`, { field: "comment" }),
    );
  return inTransaction(client, async (tx) => {
    const r = await tx.registration.findFirst({
      where: { id: input.registrationId, poleId: input.poleId, personId: input.personId },
      include: { session: { select: { status: true } }, satisfaction: { select: { id: true } } },
    });
    if (!r) return fail("NOT_FOUND", "Cette inscription n'existe pas.", { status: 404 });
    const refusal = await answerRefusal(tx, r);
    if (refusal) return refusal;
    if (r.satisfaction) return alreadyAnswered();
    const answer = await tx.satisfactionAnswer.create({
      data: { registrationId: r.id, ...input.scores, recommend: input.recommend, comment, answeredAt: input.now },
    });
    return ok(answer);
  }).catch((error: unknown) => {
    // A twin answer committed meanwhile: the unique index said no, and nothing was written.
    if (isUniqueViolation(error)) return alreadyAnswered();
    throw error;
  });
}

const alreadyAnswered = () =>
  fail("ALREADY_ANSWERED", "Vous avez déjà donné votre avis sur cette session. Merci !", { status: 409 });

/** The results of a session's form: how many answered, the average and spread of each question, who recommends. */
export async function sessionSatisfaction(client: Client, input: { poleId: string; sessionId: string }) {
  const session = await client.trainingSession.findFirst({
    where: { id: input.sessionId, poleId: input.poleId },
    include: { course: { select: { title: true } } },
  });
  if (!session) return null;
  const [answers, attendees] = await Promise.all([
    client.satisfactionAnswer.findMany({
      where: { registration: { sessionId: session.id } },
      orderBy: { answeredAt: "asc" },
    }),
    client.registration.count({ where: attendeesWhere(session.id) }),
  ]);
  const count = answers.length;
  const questions = SATISFACTION_QUESTIONS.map((q) => {
    const scores = answers.map((a) => a[q.name]);
    const spread = [1, 2, 3, 4, 5].map((score) => scores.filter((s) => s === score).length);
    return {
      name: q.name,
      label: q.label,
      average: count ? Math.round((scores.reduce((s, v) => s + v, 0) / count) * 10) / 10 : null,
      spread,
    };
  });
  return {
    session: {
      id: session.id,
      course: session.course.title,
      startsAt: session.startsAt,
      endsAt: session.endsAt,
      status: session.status,
      satisfactionSentAt: session.satisfactionSentAt,
    },
    count,
    attendees,
    questions,
    recommendPercent: count ? Math.round((answers.filter((a) => a.recommend).length * 100) / count) : null,
    comments: answers.filter((a) => a.comment.trim()).map((a) => ({ comment: a.comment, answeredAt: a.answeredAt })),
  };
}
