import { randomUUID } from "node:crypto";
import type { Pole, Registration } from "~/generated/prisma/client";
import type { TraineeType } from "~/generated/prisma/enums";
import { registrationConfirmedEmail } from "~/emails/training";
import { parisDate, recordInvoicePayment } from "~/domain/ledger/index.server";
import { moneyAccount, type Effects, type OfflineMethod } from "~/domain/payments/index.server";
import { fail, isRefusal, ok, type Result } from "~/domain/result";
import { inTransaction, type Client } from "~/utils/db.server";
import { isUniqueViolation } from "~/utils/db-errors.server";
import type { TrainingSettings } from "./admin-schemas";
import { registrationInclude } from "./books.server";
import { claimSeat, lockRegistration, SEAT_HOLDING } from "./locks.server";
import { registrationEmailBase } from "./payment.server";
import { endWaitForSeat } from "./waitlist.server";

// What staff do by hand in trainings (decision 020): a seat given with a reason, a trainee's type for the yearly
// report, the pole's training settings.

export type GrantSeatInput = {
  poleId: string;
  sessionId: string;
  personId: string;
  reason: string;
  traineeType?: TraineeType;
  staffId: string;
  now: Date;
};

/**
 * Staff give a seat by hand (a trainer's guest, a volunteer, a seat promised by a partner): a confirmed
 * registration at price 0 that says who gave it and why. The seat is taken by the same conditional UPDATE as a
 * sign-up, so a full session refuses it like anyone else; the person must have an account on the pole and no
 * live registration for the session. Registrations may be closed: staff decide past the deadline, until the
 * session ends.
 */
export async function grantSeat(
  client: Client,
  input: GrantSeatInput,
): Promise<Result<{ registration: Registration; effects: Effects }>> {
  const reason = input.reason.trim();
  if (reason.length < 3)
    return fail("REASON", "Indiquez pourquoi cette place est offerte (3 caractères au moins).", { field: "reason" });
  if (reason.length > 300) return fail("REASON", "La raison ne peut pas dépasser 300 caractères.", { field: "reason" });
  try {
    return await inTransaction(client, async (tx) => {
      const session = await tx.trainingSession.findFirst({
        where: { id: input.sessionId, poleId: input.poleId },
        select: { id: true, status: true, endsAt: true },
      });
      if (!session) return fail("NOT_FOUND", "Cette session n'existe pas.", { status: 404 });
      if (session.status !== "SCHEDULED" && session.status !== "CONFIRMED")
        return fail("NOT_OPEN", "Cette session est annulée ou réalisée : elle ne prend plus d'inscriptions.", {
          status: 409,
        });
      if (input.now >= session.endsAt) return fail("ENDED", "Cette session est terminée.", { status: 409 });
      const member = await tx.membership.findUnique({
        where: { poleId_personId: { poleId: input.poleId, personId: input.personId } },
        select: { id: true },
      });
      if (!member)
        return fail("PERSON", "Choisissez une personne qui a un compte sur le pôle.", {
          field: "personId",
          status: 422,
        });
      const existing = await tx.registration.findFirst({
        where: { sessionId: session.id, personId: input.personId, status: { in: [...SEAT_HOLDING] } },
        select: { id: true },
      });
      if (existing) return alreadyRegistered();
      if (!(await claimSeat(tx, session.id)))
        return fail("FULL", "Cette session est complète : aucune place ne peut être donnée.", { status: 409 });
      const created = await tx.registration.create({
        data: {
          poleId: input.poleId,
          sessionId: session.id,
          personId: input.personId,
          status: "CONFIRMED",
          priceCents: 0,
          memberRate: false,
          traineeType: input.traineeType ?? "INDIVIDUAL",
          grantedById: input.staffId,
          grantReason: reason,
          confirmedAt: input.now,
          idempotencyKey: `grant:${randomUUID()}`,
        },
        include: registrationInclude,
      });
      // Waiting for this session, the person has a seat now: their wait is over.
      await endWaitForSeat(tx, {
        poleId: input.poleId,
        sessionId: session.id,
        personId: input.personId,
        now: input.now,
        note: "Place offerte par l'équipe",
      });
      const pole = await tx.pole.findUniqueOrThrow({ where: { id: input.poleId }, select: { name: true } });
      const email = registrationConfirmedEmail({
        ...registrationEmailBase(pole.name, created),
        paidWith: "place offerte par le pôle",
      });
      const { session: _s, person: _p, funder: _f, ...registration } = created;
      return ok({
        registration,
        effects: { emails: [{ poleId: input.poleId, to: created.person.email, ...email }], refunds: [] },
      });
    });
  } catch (error) {
    if (isRefusal(error)) return error.toFailure();
    // The same person signed up at the same instant: the partial unique index kept one live registration.
    if (isUniqueViolation(error)) return alreadyRegistered();
    throw error;
  }
}

const alreadyRegistered = () =>
  fail("ALREADY_REGISTERED", "Cette personne est déjà inscrite à cette session.", { field: "personId", status: 409 });

/** Staff say what kind of trainee a registration is (the yearly report counts trainees by type). */
export function setTraineeType(
  client: Client,
  input: { poleId: string; registrationId: string; traineeType: TraineeType },
): Promise<Result<Registration>> {
  return inTransaction(client, async (tx) => {
    const locked = await lockRegistration(tx, input);
    if (!locked.ok) return locked;
    return ok(
      await tx.registration.update({ where: { id: locked.value.id }, data: { traineeType: input.traineeType } }),
    );
  });
}

/**
 * The pole's training settings. The VAT exemption (CGI art. 261-4-4° a) applies only when both the declaration
 * number and the attestation are recorded (books.server.ts, trainingVat); invoices already issued keep theirs.
 */
export async function updateTrainingSettings(
  client: Client,
  input: { poleId: string } & TrainingSettings,
): Promise<Result<Pole>> {
  const { poleId, ...settings } = input;
  return ok(
    await client.pole.update({
      where: { id: poleId },
      data: {
        ...settings,
        trainingDeclarationNumber: settings.trainingDeclarationNumber || null,
        trainingExemptionAttestation: settings.trainingExemptionAttestation || null,
      },
    }),
  );
}

/**
 * Staff record the funder's payment of its invoice (transfer, cheque): the receivable is settled once, against the
 * account the money landed in. The funder pays an invoice, not a Payment of the trainee's.
 */
export async function recordFunderPayment(
  client: Client,
  input: {
    poleId: string;
    registrationId: string;
    method: OfflineMethod;
    reference: string;
    staffId: string;
    now: Date;
  },
): Promise<Result<{ invoiceNumber: string }>> {
  const registration = await client.registration.findFirst({
    where: { id: input.registrationId, poleId: input.poleId, payer: "ORGANISATION", invoiceId: { not: null } },
    select: { invoiceId: true },
  });
  if (!registration)
    return fail("NO_FUNDER_INVOICE", "Cette inscription n'a pas de facture adressée à un financeur.", { status: 404 });
  const invoice = await client.invoice.findUniqueOrThrow({
    where: { id: registration.invoiceId! },
    include: { creditNotes: { select: { id: true } } },
  });
  if (invoice.creditNotes.length > 0)
    return fail("CREDITED", "Cette facture a été annulée par un avoir : il n'y a rien à encaisser.", { status: 409 });
  const { created } = await recordInvoicePayment(client, {
    poleId: input.poleId,
    invoiceId: invoice.id,
    moneyAccount: moneyAccount(input.method),
    date: parisDate(input.now),
    reference: input.reference,
    createdById: input.staffId,
  });
  if (!created) return fail("ALREADY_PAID", "La facture du financeur est déjà réglée.", { status: 409 });
  return ok({ invoiceNumber: invoice.number });
}

/** Which of these invoices are paid (their settlement posted). */
export async function paidInvoices(client: Client, input: { poleId: string; numbers: string[] }) {
  const entries = await client.journalEntry.findMany({
    where: { poleId: input.poleId, sourceKey: { in: input.numbers.map((n) => `invoice:${n}:paid`) } },
    select: { sourceKey: true },
  });
  return new Set(entries.map((e) => e.sourceKey.slice("invoice:".length, -":paid".length)));
}
