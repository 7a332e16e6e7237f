import type { Payment, Registration } from "~/generated/prisma/client";
import type { FunderType, TraineeType } from "~/generated/prisma/enums";
import { fundingRequestedEmail, registrationAwaitingPaymentEmail, registrationConfirmedEmail } from "~/emails/training";
import {
  METHOD_LABELS,
  moneyAccount,
  noEffects,
  recordOfflinePayment,
  type CheckoutRequest,
  type Effects,
  type MoneyMethod,
  type OfflineMethod,
  type PurposeHandler,
} from "~/domain/payments/index.server";
import { cents } from "~/domain/money";
import { fail, ok, type Result } from "~/domain/result";
import { inTransaction, type Client, type Tx } from "~/utils/db.server";
import type { EmailMessage } from "~/utils/email.server";
import { appUrl } from "~/utils/env.server";
import { formatCents, formatDate } from "~/utils/format";
import { invoiceRegistration, sessionDates, type RegistrationFull } from "./books.server";
import { claimSeat, lockRegistration, releaseSeat, SEAT_HOLDING } from "./locks.server";
import { endWaitForSeat, passFreedSeat } from "./waitlist.server";

// How a held seat gets paid (decision 020): by card through Stripe Checkout (the webhook confirms), by transfer or
// cheque (the seat stays held until the pole's deadline; staff record the money), by a funder organisation (staff
// establish the agreement, then invoice the funder), or not at all when the price is nil. Each confirmation
// issues the registration's one invoice, keyed by the registration.

export const registrationPath = (id: string) => `/compte/formations/${id}`;
export const registrationRef = (r: Pick<Registration, "id">) => `FO-${r.id.slice(-8).toUpperCase()}`;

type HeldInput = { poleId: string; registrationId: string; personId: string; now: Date };

/** The person's registration, locked, still holding its seat for them to pay. */
async function lockHeld(tx: Tx, input: HeldInput): Promise<Result<RegistrationFull>> {
  const locked = await lockRegistration(tx, input);
  if (!locked.ok) return locked;
  const r = locked.value;
  if (r.status === "CONFIRMED")
    return fail("ALREADY_CONFIRMED", "Cette inscription est déjà confirmée.", { status: 409 });
  if (r.status !== "HELD" || r.holdExpiresAt! <= input.now)
    return fail("NOT_HELD", "Cette place n'est plus réservée pour vous : inscrivez-vous à nouveau.", { status: 409 });
  return ok(r);
}

/** How long a seat waits for money that comes by transfer, cheque or a funder: the pole's days, never past the start. */
async function offlineDeadline(tx: Tx, r: RegistrationFull, now: Date) {
  const pole = await tx.pole.findUniqueOrThrow({ where: { id: r.poleId }, select: { trainingOfflineDays: true } });
  const days = new Date(now.getTime() + pole.trainingOfflineDays * 86_400_000);
  return days < r.session.startsAt ? days : r.session.startsAt;
}

/** The seat is kept for a transfer or a cheque until the deadline; staff confirm when the money comes. */
export function payRegistrationOffline(
  client: Client,
  input: HeldInput & { method: "TRANSFER" | "CHEQUE" },
): Promise<Result<{ registration: Registration; effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    const held = await lockHeld(tx, input);
    if (!held.ok) return held;
    const r = held.value;
    if (r.priceCents === 0) return confirmFree(tx, r, input.now);
    const deadline = await offlineDeadline(tx, r, input.now);
    const registration = await tx.registration.update({
      where: { id: r.id },
      data: { paymentMethod: input.method, holdExpiresAt: deadline },
    });
    const pole = await tx.pole.findUniqueOrThrow({ where: { id: r.poleId } });
    const how =
      input.method === "TRANSFER"
        ? `Réglez par virement${pole.bankIban ? ` sur le compte ${pole.bankIban}${pole.bankBic ? ` (BIC ${pole.bankBic})` : ""}` : ""} en indiquant la référence ${registrationRef(r)}.`
        : `Réglez par chèque à l'ordre de ${pole.legalName}, à remettre ou envoyer au pôle avec la référence ${registrationRef(r)}.`;
    const email = registrationAwaitingPaymentEmail({
      ...registrationEmailBase(pole.name, r),
      amount: formatCents(r.priceCents),
      deadline: formatDate(deadline, "dateTime"),
      how,
    });
    return ok({ registration, effects: { emails: [{ poleId: r.poleId, to: r.person.email, ...email }], refunds: [] } });
  });
}

export type FundingInput = HeldInput & { funderId: string; funderType: FunderType; traineeType: TraineeType };

/** A funder organisation of the pole pays: the seat is kept at the funded price while staff set up the agreement. */
export function requestFunding(
  client: Client,
  input: FundingInput,
): Promise<Result<{ registration: Registration; effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    if (input.funderType === "INDIVIDUAL")
      return fail("FUNDER_TYPE", "Indiquez le type de financeur : employeur, OPCO, financeur public ou autre.", {
        field: "funderType",
      });
    const funder = await tx.organisation.findFirst({ where: { id: input.funderId, poleId: input.poleId } });
    if (!funder)
      return fail("FUNDER", "Choisissez une organisation du pôle comme financeur.", { field: "funderId", status: 422 });
    const held = await lockHeld(tx, input);
    if (!held.ok) return held;
    const r = held.value;
    const deadline = await offlineDeadline(tx, r, input.now);
    const registration = await tx.registration.update({
      where: { id: r.id },
      data: {
        payer: "ORGANISATION",
        funderId: funder.id,
        funderType: input.funderType,
        traineeType: input.traineeType,
        priceCents: r.session.course.fundedCents,
        memberRate: false,
        paymentMethod: null,
        holdExpiresAt: deadline,
      },
    });
    const pole = await tx.pole.findUniqueOrThrow({ where: { id: r.poleId }, select: { name: true } });
    const email = fundingRequestedEmail({
      ...registrationEmailBase(pole.name, r),
      funder: funder.name,
      deadline: formatDate(deadline, "dateTime"),
    });
    return ok({ registration, effects: { emails: [{ poleId: r.poleId, to: r.person.email, ...email }], refunds: [] } });
  });
}

/** A registration priced nil (a free course, a given seat) needs no payment. */
export function confirmFreeRegistration(
  client: Client,
  input: HeldInput,
): Promise<Result<{ registration: Registration; effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    const held = await lockHeld(tx, input);
    if (!held.ok) return held;
    if (held.value.priceCents !== 0)
      return fail("NOT_FREE", "Cette formation est payante : choisissez comment la régler.", { status: 409 });
    return confirmFree(tx, held.value, input.now);
  });
}

async function confirmFree(tx: Tx, r: RegistrationFull, now: Date) {
  const registration = await tx.registration.update({
    where: { id: r.id },
    data: { status: "CONFIRMED", confirmedAt: now, holdExpiresAt: null },
  });
  return ok({ registration, effects: { emails: [await confirmedEmail(tx, r, "gratuit")], refunds: [] } });
}

/** What Stripe Checkout shows for a held seat. */
export function registrationCheckout(client: Client, input: HeldInput): Promise<Result<CheckoutRequest>> {
  return inTransaction(client, async (tx) => {
    const held = await lockHeld(tx, input);
    if (!held.ok) return held;
    const r = held.value;
    if (r.payer !== "SELF")
      return fail("FUNDED", "Cette inscription est prise en charge par un financeur.", { status: 409 });
    if (r.priceCents === 0)
      return fail("FREE", "Cette formation est gratuite : confirmez simplement votre place.", { status: 409 });
    const description = `Formation « ${r.session.course.title} » ${sessionDates(r.session)}`;
    return ok({
      poleId: input.poleId,
      handler: registrationPurpose,
      targetId: r.id,
      person: { id: r.person.id, email: r.person.email },
      amountCents: cents(r.priceCents),
      lines: [{ name: description.slice(0, 250), quantity: 1, unitCents: cents(r.priceCents) }],
      description: description.slice(0, 250),
      returnPath: registrationPath(r.id),
      now: input.now,
    });
  });
}

/** The money is in: invoice the registration to the trainee, against the account the money landed in; confirm. */
async function confirmPaid(tx: Tx, r: RegistrationFull, payment: Payment, now: Date, staffId?: string | null) {
  const invoice = await invoiceRegistration(tx, r, { receivableAccount: moneyAccount(payment.method), now, staffId });
  await tx.payment.update({ where: { id: payment.id }, data: { invoiceId: invoice.id } });
  const registration = await tx.registration.update({
    where: { id: r.id },
    data: { status: "CONFIRMED", confirmedAt: now, holdExpiresAt: null, paymentMethod: payment.method },
  });
  const paidWith = `${METHOD_LABELS[payment.method as MoneyMethod].toLowerCase()}, ${formatCents(payment.amountCents)} — facture ${invoice.number}`;
  return { registration, effects: { emails: [await confirmedEmail(tx, r, paidWith)], refunds: [] } as Effects };
}

/** Staff record the transfer, cheque or cash that pays a held registration. */
export function confirmRegistrationPayment(
  client: Client,
  input: {
    poleId: string;
    registrationId: string;
    method: OfflineMethod;
    reference: string;
    staffId: string;
    now: Date;
  },
): Promise<Result<{ registration: Registration; effects: Effects }>> {
  let held: RegistrationFull;
  return recordOfflinePayment(
    client,
    registrationPurpose,
    { ...input, targetId: input.registrationId, what: "cette inscription" },
    {
      async claim(tx) {
        const locked = await lockRegistration(tx, input);
        if (!locked.ok) return locked;
        held = locked.value;
        if (held.status !== "HELD")
          return fail(
            "NOT_AWAITING",
            held.status === "CONFIRMED"
              ? "Cette inscription est déjà réglée."
              : "Cette inscription n'attend pas de paiement.",
            { status: 409 },
          );
        if (held.payer !== "SELF")
          return fail("FUNDED", "Cette inscription est prise en charge : confirmez la convention du financeur.", {
            status: 409,
          });
        return ok({ personId: held.personId, amountCents: held.priceCents });
      },
      settle: (tx, payment) => confirmPaid(tx, held, payment, input.now, input.staffId),
    },
  );
}

/** Staff have the funder's agreement: the registration is confirmed and the funder invoiced (411000, due in 30 days). */
export function confirmFunding(
  client: Client,
  input: { poleId: string; registrationId: string; staffId: string; now: Date },
): Promise<Result<{ registration: Registration; effects: Effects }>> {
  return inTransaction(client, async (tx) => {
    const locked = await lockRegistration(tx, input);
    if (!locked.ok) return locked;
    const r = locked.value;
    if (r.status !== "HELD" || r.payer !== "ORGANISATION")
      return fail("NOT_FUNDING", "Cette inscription n'attend pas de prise en charge.", { status: 409 });
    const invoice = await invoiceRegistration(tx, r, { now: input.now, staffId: input.staffId });
    const registration = await tx.registration.update({
      where: { id: r.id },
      data: { status: "CONFIRMED", confirmedAt: input.now, holdExpiresAt: null },
    });
    const paidWith = `prise en charge par ${r.funder!.name} — facture ${invoice.number} adressée au financeur`;
    return ok({ registration, effects: { emails: [await confirmedEmail(tx, r, paidWith)], refunds: [] } });
  });
}

/** What every email about a registration says first. */
export const registrationEmailBase = (poleName: string, r: RegistrationFull) => ({
  poleName,
  name: r.person.name,
  url: `${appUrl()}${registrationPath(r.id)}`,
  course: r.session.course.title,
  dates: sessionDates(r.session),
});

async function confirmedEmail(tx: Tx, r: RegistrationFull, paidWith: string): Promise<EmailMessage> {
  const pole = await tx.pole.findUniqueOrThrow({ where: { id: r.poleId }, select: { name: true } });
  return {
    poleId: r.poleId,
    to: r.person.email,
    ...registrationConfirmedEmail({ ...registrationEmailBase(pole.name, r), paidWith }),
  };
}

/** A seat paid by card: a paid checkout confirms it (or, too late, is refunded); a lapsed one gives the seat back. */
export const registrationPurpose: PurposeHandler = {
  purpose: "REGISTRATION",
  targetColumn: "registrationId",
  // Only a held seat is paid by card: once it lapsed, was cancelled, is to be paid by transfer or cheque, or was
  // paid another way, its page is closed.
  stillPayable: { registration: { status: "HELD", payer: "SELF", paymentMethod: null } },
  receiptLabel: "Paiement reçu pour une inscription annulée — à rembourser",
  paymentMethodTypes: ["card"],
  async paid(tx, payment, now) {
    const locked = await lockRegistration(tx, { poleId: payment.poleId, registrationId: payment.registrationId! });
    if (!locked.ok) throw new Error(`Inscription introuvable : ${payment.registrationId}`);
    const r = locked.value;
    if ((r.status === "HELD" && r.payer === "SELF") || (r.status === "EXPIRED" && (await retake(tx, r, now)))) {
      return { outcome: "inscription confirmée", ...(await confirmPaid(tx, r, payment, now)).effects };
    }
    // Paid already, cancelled meanwhile, or the seat went to someone else after the hold lapsed: owed back.
    return {
      outcome: "paiement tardif remboursé",
      ...noEffects(),
      owedBack: {
        reason:
          r.status === "CONFIRMED"
            ? "Inscription déjà réglée : paiement en double"
            : "Paiement arrivé après la fin de la réservation de la place",
      },
    };
  },
  failed: releaseHold,
  expired: releaseHold,
  // A refund follows a cancellation or money that came too late: the registration took its state then.
  async refunded() {},
};

/** An expired hold whose payment came late gets its seat back if one is free and the person has no other. */
async function retake(tx: Tx, r: RegistrationFull, now: Date) {
  const other = await tx.registration.findFirst({
    where: { sessionId: r.sessionId, personId: r.personId, status: { in: [...SEAT_HOLDING] } },
    select: { id: true },
  });
  if (other || now >= r.session.registrationDeadline) return false;
  if (!(await claimSeat(tx, r.sessionId))) return false;
  await endWaitForSeat(tx, {
    poleId: r.poleId,
    sessionId: r.sessionId,
    personId: r.personId,
    now,
    note: "Place retrouvée par un paiement arrivé après la fin de la réservation",
  });
  return true;
}

/** The card payment failed or its page lapsed: the seat goes back, and on to the session's waiting list. */
async function releaseHold(tx: Tx, payment: Payment, now: Date) {
  const locked = await lockRegistration(tx, { poleId: payment.poleId, registrationId: payment.registrationId! });
  // A seat kept for a transfer or a cheque chosen after the card page was opened stays kept for that money.
  if (
    !locked.ok ||
    locked.value.status !== "HELD" ||
    locked.value.payer !== "SELF" ||
    (locked.value.paymentMethod !== null && locked.value.paymentMethod !== "STRIPE")
  )
    return { outcome: "rien à libérer", ...noEffects() };
  await tx.registration.update({ where: { id: locked.value.id }, data: { status: "EXPIRED", holdExpiresAt: null } });
  await releaseSeat(tx, locked.value.sessionId);
  const emails = await passFreedSeat(tx, { sessionId: locked.value.sessionId, now });
  return { outcome: "place libérée", ...noEffects(), emails };
}
