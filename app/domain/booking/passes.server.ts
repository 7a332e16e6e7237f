import { DateTime } from "luxon";
import type { Pass, Payment, ResourceKind } from "~/generated/prisma/client";
import { passActivatedEmail } from "~/emails/booking";
import { hasMemberRate } from "~/domain/identity/index.server";
import {
  discardUnopenedPayment,
  insertCheckoutPayment,
  noEffects,
  openCheckout,
  openSession,
  type CheckoutRequest,
  type PurposeHandler,
  type Stripe,
  recordOfflinePayment,
  type OfflineMethod,
} from "~/domain/payments/index.server";
import { fail, ok, type Result } from "~/domain/result";
import { cents } from "~/domain/money";
import { inTransaction, type Db, type Tx, type Client } from "~/utils/db.server";
import { lockRow } from "~/utils/row-locks.server";
import { isUniqueViolation } from "~/utils/db-errors.server";
import { appUrl } from "~/utils/env.server";
import { formatDate } from "~/utils/format";
import { COWORKING_ACCOUNT, COWORKING_VAT_BP, invoicePaidSale } from "./sales.server";

// Booklets (carnets): credits in half-days, bought by card or paid on site, valid some months from payment.
// Spending is one conditional UPDATE guarded by a CHECK (creditsUsed ≤ credits): never overdrawn.

export function listPassProducts(tx: Client, poleId: string, options: { includeInactive?: boolean } = {}) {
  return tx.passProduct.findMany({
    where: { poleId, ...(options.includeInactive ? {} : { active: true }) },
    orderBy: [{ credits: "asc" }, { name: "asc" }],
  });
}

type OrderInput = { poleId: string; productId: string; personId: string; idempotencyKey: string };

/** A booklet ordered to be paid on site (staff confirm the payment); the same form sent twice orders it once. */
export async function orderPass(client: Client, input: OrderInput): Promise<Result<{ pass: Pass; replay: boolean }>> {
  try {
    return await placeOrder(client, input);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return replayedOrder(client, input);
  }
}

async function placeOrder(tx: Client, input: OrderInput): Promise<Result<{ pass: Pass; replay: boolean }>> {
  const existing = await tx.pass.findUnique({
    where: { poleId_idempotencyKey: { poleId: input.poleId, idempotencyKey: input.idempotencyKey } },
  });
  if (existing)
    return existing.personId === input.personId
      ? ok({ pass: existing, replay: true })
      : fail("DUPLICATE", "Cette demande a déjà été envoyée.", { status: 409 });
  const product = await tx.passProduct.findFirst({
    where: { id: input.productId, poleId: input.poleId, active: true },
  });
  if (!product) return fail("NOT_FOUND", "Ce carnet n'est pas en vente.", { field: "productId", status: 404 });
  const member = await hasMemberRate(tx, input.poleId, input.personId);
  const pass = await tx.pass.create({
    data: {
      poleId: input.poleId,
      personId: input.personId,
      productId: product.id,
      name: product.name,
      credits: product.credits,
      resourceKind: product.resourceKind,
      status: "PENDING",
      priceCents: member ? product.memberCents : product.publicCents,
      memberRate: member,
      validityMonths: product.validityMonths,
      idempotencyKey: input.idempotencyKey,
    },
  });
  return ok({ pass, replay: false });
}

/** The order of a twin submission that won the race for the form's key (read outside the refused insert). */
async function replayedOrder(client: Client, input: OrderInput): Promise<Result<{ pass: Pass; replay: boolean }>> {
  const raced = await client.pass.findUnique({
    where: { poleId_idempotencyKey: { poleId: input.poleId, idempotencyKey: input.idempotencyKey } },
  });
  // The twin's card payment could not open and it withdrew its order already.
  if (!raced) return fail("RETRY", "Votre commande n'a pas abouti : réessayez.", { status: 409 });
  if (raced.personId !== input.personId) return fail("DUPLICATE", "Cette demande a déjà été envoyée.", { status: 409 });
  return ok({ pass: raced, replay: true });
}

export type BuyByCardInput = {
  poleId: string;
  productId: string;
  person: { id: string; email: string };
  idempotencyKey: string;
  now: Date;
};

/**
 * A booklet bought by card: the order and its card payment are written in one transaction (a card order never
 * exists without its payment, which is how the sweep tells it from an order to be paid on site), then Stripe opens
 * the Checkout page. When Stripe cannot, the order is withdrawn with its payment: nothing is left behind that looks
 * like a booklet waiting to be paid. `url` is null when the order was already paid (the same form sent again).
 */
export async function buyPassByCard(
  db: Db,
  stripe: Stripe,
  input: BuyByCardInput,
): Promise<Result<{ pass: Pass; url: string | null }>> {
  // Its own keys: a form sent while the pole took payment on site never turns into a card order, nor back.
  const order = {
    poleId: input.poleId,
    productId: input.productId,
    personId: input.person.id,
    idempotencyKey: `card:${input.idempotencyKey}`,
  };
  let placed: Result<{ pass: Pass; payment: Payment | null }>;
  try {
    placed = await inTransaction(db, async (tx) => {
      const made = await placeOrder(tx, order);
      if (!made.ok) return made;
      if (made.value.replay) return ok({ pass: made.value.pass, payment: null });
      return ok({
        pass: made.value.pass,
        payment: await insertCheckoutPayment(tx, passCheckout(made.value.pass, input)),
      });
    });
  } catch (error) {
    // The same form sent twice at once: the twin's order stands, this transaction wrote nothing.
    if (!isUniqueViolation(error)) throw error;
    const twin = await replayedOrder(db, order);
    placed = twin.ok ? ok({ pass: twin.value.pass, payment: null }) : twin;
  }
  if (!placed.ok) return placed;
  const { pass, payment } = placed.value;
  if (pass.status !== "PENDING") return ok({ pass, url: null });
  const request = passCheckout(pass, input);
  // This order's own payment, or (the form sent again) the first submission's checkout reopened.
  const opened = payment
    ? await openSession(db, stripe, request, payment, { discardOnFailure: false })
    : await openCheckout(db, stripe, request);
  if (opened.ok) return ok({ pass, url: opened.value.url });
  if (opened.code === "STRIPE_UNAVAILABLE")
    await inTransaction(db, (tx) =>
      withdrawCardOrder(tx, { passId: pass.id, paymentId: payment?.id ?? null, now: input.now }),
    );
  return opened;
}

/** What Stripe Checkout shows for a booklet: its one line. */
function passCheckout(pass: Pass, input: { person: { id: string; email: string }; now: Date }): CheckoutRequest {
  const line = passLine(pass);
  return {
    poleId: pass.poleId,
    handler: passPurpose,
    targetId: pass.id,
    person: input.person,
    amountCents: cents(pass.priceCents),
    lines: [{ name: line.description, quantity: 1, unitCents: line.unitInclTax }],
    description: line.description,
    returnPath: "/compte/carnets",
    now: input.now,
  };
}

/**
 * A booklet ordered to be paid by card whose Checkout page could not open is no order: it goes with the payment
 * that never opened (`paymentId`), or is cancelled when earlier card attempts left their history. Kept while a
 * payment of it is live (a twin request's, a page still open) or once it is paid.
 */
export async function withdrawCardOrder(tx: Tx, input: { passId: string; paymentId: string | null; now: Date }) {
  // Locked first: a twin inserting a payment for this pass waits, or has committed and is seen below.
  await lockRow(tx, "Pass", { id: input.passId });
  if (input.paymentId) await discardUnopenedPayment(tx, input.paymentId);
  const pass = await tx.pass.findUnique({
    where: { id: input.passId },
    include: { payments: { select: { method: true, status: true } } },
  });
  if (pass?.status !== "PENDING") return "kept";
  if (pass.payments.length === 0) {
    await tx.pass.delete({ where: { id: pass.id } });
    return "removed";
  }
  if (pass.payments.every((p) => p.method === "STRIPE" && (p.status === "CANCELLED" || p.status === "FAILED"))) {
    await tx.pass.update({ where: { id: pass.id }, data: { status: "CANCELLED", updatedAt: input.now } });
    return "cancelled";
  }
  return "kept";
}

/** A booklet bought by card: paid, it is invoiced and starts; abandoned, the order is cancelled or withdrawn. */
export const passPurpose: PurposeHandler = {
  purpose: "PASS",
  targetColumn: "passId",
  stillPayable: { pass: { status: "PENDING" } },
  receiptLabel: "Paiement reçu pour une commande de carnet close — à rembourser",
  async paid(tx, payment, now) {
    const { pass, activated } = await activatePass(tx, payment, now);
    if (!activated) return { outcome: "carnet déjà actif", ...noEffects() };
    const person = await tx.person.findUniqueOrThrow({ where: { id: pass.personId } });
    const pole = await tx.pole.findUniqueOrThrow({ where: { id: pass.poleId } });
    const email = passActivatedEmail({
      poleName: pole.name,
      name: person.name,
      what: `${pass.name}, ${pass.credits} demi-journées jusqu'au ${formatDate(pass.expiresAt!)}`,
      url: `${appUrl()}/compte`,
    });
    return { outcome: "carnet activé", emails: [{ poleId: pass.poleId, to: person.email, ...email }], refunds: [] };
  },
  failed: abandonCardOrder,
  expired: abandonCardOrder,
  // Booklets are refunded by no flow of ours yet: nothing to follow.
  async refunded() {},
  async unopened(tx, { payment, now, drop }) {
    // The booklet first (locked), then all its payments that never opened, then the order itself if nothing
    // else of it is left: an order on site never had a card payment, so it is never touched here.
    await lockRow(tx, "Pass", { id: payment.passId! });
    const count = await drop();
    if (count > 0) await withdrawCardOrder(tx, { passId: payment.passId!, paymentId: null, now });
    return count;
  },
};

/** An abandoned card order: the booklet is not sold (the person orders again to pay another way). */
async function abandonCardOrder(tx: Tx, payment: Payment, now: Date) {
  const { count } = await tx.pass.updateMany({
    where: { id: payment.passId!, status: "PENDING" },
    data: { status: "CANCELLED", updatedAt: now },
  });
  return { outcome: count ? "commande de carnet abandonnée" : "rien à annuler", ...noEffects() };
}

export const passLine = (pass: Pick<Pass, "name" | "credits" | "validityMonths" | "priceCents">) => ({
  description: `${pass.name} — ${pass.credits} demi-journées, valable ${pass.validityMonths} mois`,
  quantity: 1,
  unitInclTax: cents(pass.priceCents),
  vatRateBp: COWORKING_VAT_BP,
  accountCode: COWORKING_ACCOUNT,
});

/** The money for a booklet arrived: invoice it and start its validity. */
export async function activatePass(tx: Tx, payment: Payment, now: Date, createdById?: string | null) {
  const pass = await tx.pass.findUniqueOrThrow({ where: { id: payment.passId! } });
  if (pass.status !== "PENDING") return { pass, activated: false };
  const invoice = await invoicePaidSale(tx, {
    poleId: pass.poleId,
    personId: pass.personId,
    sourceKey: `pass:${pass.id}`,
    lines: [passLine(pass)],
    method: payment.method,
    now,
    createdById,
  });
  await tx.payment.update({ where: { id: payment.id }, data: { invoiceId: invoice.id } });
  const activated = await tx.pass.update({
    where: { id: pass.id },
    data: {
      status: "ACTIVE",
      activatedAt: now,
      expiresAt: DateTime.fromJSDate(now).plus({ months: pass.validityMonths }).toJSDate(),
      invoiceId: invoice.id,
    },
  });
  return { pass: activated, activated: true };
}

/**
 * Takes `credits` from the person's booklet that expires soonest among those valid for the booking's day and
 * holding enough credits. Null when none can pay.
 */
export async function spendCredits(
  tx: Tx,
  input: { poleId: string; personId: string; kind: ResourceKind; credits: number; validUntil: Date },
) {
  const candidates = await tx.pass.findMany({
    where: {
      poleId: input.poleId,
      personId: input.personId,
      resourceKind: input.kind,
      status: "ACTIVE",
      expiresAt: { gte: input.validUntil },
    },
    orderBy: [{ expiresAt: "asc" }, { createdAt: "asc" }],
    select: { id: true },
  });
  for (const { id } of candidates) {
    // Conditional on what is left at the moment of the update: two bookings racing for the last credit
    // cannot both take it.
    const taken =
      await tx.$executeRaw`UPDATE "Pass" SET "creditsUsed" = "creditsUsed" + ${input.credits}, "updatedAt" = now()
      WHERE "id" = ${id} AND "creditsUsed" + ${input.credits} <= "credits"`;
    if (taken === 1) return tx.pass.findUniqueOrThrow({ where: { id } });
  }
  return null;
}

export function returnCredits(tx: Tx, passId: string, credits: number) {
  return tx.$executeRaw`UPDATE "Pass" SET "creditsUsed" = "creditsUsed" - ${credits}, "updatedAt" = now() WHERE "id" = ${passId}`;
}

/** A person's booklets with what is left, the usable ones first. */
export async function personPasses(tx: Client, input: { poleId: string; personId: string; now: Date }) {
  const passes = await tx.pass.findMany({
    where: { poleId: input.poleId, personId: input.personId, status: { in: ["ACTIVE", "PENDING"] } },
    orderBy: [{ status: "asc" }, { expiresAt: "asc" }],
  });
  return passes.map((p) => ({
    ...p,
    creditsLeft: p.credits - p.creditsUsed,
    expired: p.expiresAt !== null && p.expiresAt <= input.now,
  }));
}

/** Staff confirm that a booklet ordered on site was paid (transfer, cheque, cash). */
export function confirmPassPaidOffline(
  client: Client,
  input: { poleId: string; passId: string; method: OfflineMethod; reference: string; staffId: string; now: Date },
): Promise<Result<Pass>> {
  return recordOfflinePayment(
    client,
    passPurpose,
    { ...input, targetId: input.passId, what: "ce carnet" },
    {
      async claim(tx) {
        if (!(await lockRow(tx, "Pass", { id: input.passId, poleId: input.poleId })))
          return fail("NOT_FOUND", "Ce carnet n'existe pas.", { status: 404 });
        const pass = await tx.pass.findUniqueOrThrow({ where: { id: input.passId } });
        if (pass.status !== "PENDING")
          return fail("NOT_PENDING", "Ce carnet n'attend pas de paiement.", { status: 409 });
        return ok({ personId: pass.personId, amountCents: pass.priceCents });
      },
      async settle(tx, payment) {
        return (await activatePass(tx, payment, input.now, input.staffId)).pass;
      },
    },
  );
}
