import type { Registration } from "~/generated/prisma/client";
import { registrationMovedEmail } from "~/emails/training";
import type { Effects } from "~/domain/payments/index.server";
import { fail, ok, type Result } from "~/domain/result";
import { inTransaction, type Client } from "~/utils/db.server";
import { appUrl } from "~/utils/env.server";
import { lockRow } from "~/utils/row-locks.server";
import { registrationInclude, sessionDates } from "./books.server";
import { claimSeat, releaseSeat, SEAT_HOLDING } from "./locks.server";
import { registrationPath } from "./payment.server";
import { endWaitForSeat, passFreedSeat } from "./waitlist.server";

// Moving a registration to another session of the same course (issue 15, Mon compte): the new session's seat is
// taken by the one conditional UPDATE, the old registration is cancelled and its seat goes to that session's
// waiting list — all in one transaction. What was paid moves with it: the new registration (movedFromId = the old)
// keeps the price, the payer and funder, the payments (their registrationId re-pointed, so a later cancellation
// refunds them) and the invoice (registration.invoiceId is unique: the old one lets go of it in the same
// transaction). The invoice itself, append-only, stands as issued: same course, same price; its revenue is
// recognised when the new session is delivered.

export type MoveInput = {
  poleId: string;
  registrationId: string;
  toSessionId: string;
  /** Who moves it: the person themself (their own, before the session starts), or staff (any, any time). */
  actor: { personId: string; staff: boolean };
  now: Date;
};

export function moveRegistration(
  client: Client,
  input: MoveInput,
): Promise<Result<{ registration: Registration; effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    const found = await tx.registration.findFirst({
      where: {
        id: input.registrationId,
        poleId: input.poleId,
        ...(input.actor.staff ? {} : { personId: input.actor.personId }),
      },
      select: { sessionId: true },
    });
    if (!found) return fail("NOT_FOUND", "Cette inscription n'existe pas.", { status: 404 });
    const target = await tx.trainingSession.findFirst({
      where: { id: input.toSessionId, poleId: input.poleId },
      select: { id: true },
    });
    if (!target) return fail("NOT_FOUND", "Cette session n'existe pas.", { field: "toSessionId", status: 404 });
    if (target.id === found.sessionId)
      return fail("SAME_SESSION", "Vous êtes déjà inscrit·e à cette session : choisissez-en une autre.", {
        field: "toSessionId",
        status: 409,
      });
    // Both sessions in one order (by id), so two moves in opposite directions never wait on each other; then the
    // registration — the training lock order.
    for (const id of [found.sessionId, target.id].sort()) await lockRow(tx, "TrainingSession", { id });
    await lockRow(tx, "Registration", { id: input.registrationId });
    const r = await tx.registration.findUniqueOrThrow({
      where: { id: input.registrationId },
      include: registrationInclude,
    });
    const to = await tx.trainingSession.findUniqueOrThrow({ where: { id: target.id }, include: { course: true } });
    if (r.status !== "CONFIRMED")
      return fail("NOT_CONFIRMED", "Seule une inscription confirmée peut changer de session.", { status: 409 });
    // A delivered session's revenue is recognised and its certificates issued: its registrations stay where they are.
    if (r.session.status !== "SCHEDULED" && r.session.status !== "CONFIRMED")
      return fail("SESSION_CLOSED", "Cette session est close : l'inscription ne peut plus en changer.", {
        status: 409,
      });
    if (input.now >= r.session.startsAt && !input.actor.staff)
      return fail("STARTED", "La session a commencé : l'inscription ne peut plus être déplacée en ligne.", {
        status: 409,
      });
    if (to.courseId !== r.session.courseId)
      return fail("OTHER_COURSE", "Choisissez une session de la même formation.", {
        field: "toSessionId",
        status: 422,
      });
    const open = to.status === "SCHEDULED" || to.status === "CONFIRMED";
    if (!open || input.now >= to.startsAt || (input.now >= to.registrationDeadline && !input.actor.staff))
      return fail("NOT_OPEN", "Cette session ne prend plus d'inscriptions.", { field: "toSessionId", status: 409 });
    const already = await tx.registration.findFirst({
      where: { sessionId: to.id, personId: r.personId, status: { in: [...SEAT_HOLDING] } },
      select: { id: true },
    });
    if (already)
      return fail("ALREADY_REGISTERED", "Vous avez déjà une place à cette session.", {
        field: "toSessionId",
        status: 409,
      });
    if (!(await claimSeat(tx, to.id)))
      return fail("FULL", "Cette session est complète : choisissez-en une autre, ou rejoignez sa liste d'attente.", {
        field: "toSessionId",
        status: 409,
      });
    // Every check passed. The old registration lets go of its invoice first (unique), then the new one takes it.
    await tx.registration.update({
      where: { id: r.id },
      data: {
        status: "CANCELLED",
        cancelledAt: input.now,
        cancelledById: input.actor.personId,
        holdExpiresAt: null,
        invoiceId: null,
      },
    });
    await releaseSeat(tx, r.sessionId);
    const registration = await tx.registration.create({
      data: {
        poleId: r.poleId,
        sessionId: to.id,
        personId: r.personId,
        status: "CONFIRMED",
        priceCents: r.priceCents,
        memberRate: r.memberRate,
        idempotencyKey: `move:${r.id}`,
        paymentMethod: r.paymentMethod,
        payer: r.payer,
        funderId: r.funderId,
        funderType: r.funderType,
        traineeType: r.traineeType,
        grantedById: r.grantedById,
        grantReason: r.grantReason,
        movedFromId: r.id,
        invoiceId: r.invoiceId,
        confirmedAt: r.confirmedAt ?? input.now,
      },
    });
    await tx.payment.updateMany({ where: { registrationId: r.id }, data: { registrationId: registration.id } });
    await endWaitForSeat(tx, {
      poleId: r.poleId,
      sessionId: to.id,
      personId: r.personId,
      now: input.now,
      note: "Inscription déplacée vers cette session",
    });
    const passed = await passFreedSeat(tx, { sessionId: r.sessionId, now: input.now });
    const pole = await tx.pole.findUniqueOrThrow({ where: { id: r.poleId }, select: { name: true } });
    const email = registrationMovedEmail({
      poleName: pole.name,
      name: r.person.name,
      url: `${appUrl()}${registrationPath(registration.id)}`,
      course: to.course.title,
      dates: sessionDates(to),
      from: sessionDates(r.session),
    });
    return ok({
      registration,
      effects: { emails: [{ poleId: r.poleId, to: r.person.email, ...email }, ...passed], refunds: [] },
    });
  });
}
