import { DateTime } from "luxon";
import type { Pass, Payment, ResourceKind } from "~/generated/prisma/client";
import { hasMemberRate } from "~/domain/identity/index.server";
import { fail, ok, type Result } from "~/domain/result";
import { inTransaction, type Tx } from "~/utils/db.server";
import { isUniqueViolation } from "~/utils/db-errors.server";
import { cardPaymentOpen, COWORKING_ACCOUNT, COWORKING_VAT_BP, invoicePaidSale } from "./sales.server";

// Booklets (carnets): credits in half-days, bought by card or paid on site, valid some months from payment.
// Spending is one conditional UPDATE guarded by a CHECK (creditsUsed ≤ credits): never overdrawn.

export function listPassProducts(tx: Tx, poleId: string, options: { includeInactive?: boolean } = {}) {
  return tx.passProduct.findMany({ where: { poleId, ...(options.includeInactive ? {} : { active: true }) }, orderBy: [{ credits: "asc" }, { name: "asc" }] });
}

export async function orderPass(
  client: Tx,
  input: { poleId: string; productId: string; personId: string; idempotencyKey: string },
): Promise<Result<{ pass: Pass; replay: boolean }>> {
  const existing = await client.pass.findUnique({ where: { poleId_idempotencyKey: { poleId: input.poleId, idempotencyKey: input.idempotencyKey } } });
  if (existing) return existing.personId === input.personId ? ok({ pass: existing, replay: true }) : fail("DUPLICATE", "Cette demande a déjà été envoyée.", { status: 409 });
  const product = await client.passProduct.findFirst({ where: { id: input.productId, poleId: input.poleId, active: true } });
  if (!product) return fail("NOT_FOUND", "Ce carnet n'est pas en vente.", { field: "productId", status: 404 });
  const member = await hasMemberRate(client, input.poleId, input.personId);
  try {
    const pass = await client.pass.create({
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
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const raced = await client.pass.findUniqueOrThrow({ where: { poleId_idempotencyKey: { poleId: input.poleId, idempotencyKey: input.idempotencyKey } } });
    return ok({ pass: raced, replay: true });
  }
}

export const passLine = (pass: Pick<Pass, "name" | "credits" | "validityMonths" | "priceCents">) => ({
  description: `${pass.name} — ${pass.credits} demi-journées, valable ${pass.validityMonths} mois`,
  quantity: 1,
  unitInclTax: pass.priceCents,
  vatRateBp: COWORKING_VAT_BP,
  accountCode: COWORKING_ACCOUNT,
});

/** The money for a booklet arrived: invoice it and start its validity. */
export async function activatePass(tx: Tx, payment: Payment, now: Date, createdById?: string | null) {
  const pass = await tx.pass.findUniqueOrThrow({ where: { id: payment.passId! } });
  if (pass.status !== "PENDING") return { pass, activated: false };
  const invoice = await invoicePaidSale(tx, { poleId: pass.poleId, personId: pass.personId, sourceKey: `pass:${pass.id}`, lines: [passLine(pass)], method: payment.method, now, createdById });
  await tx.payment.update({ where: { id: payment.id }, data: { invoiceId: invoice.id } });
  const activated = await tx.pass.update({
    where: { id: pass.id },
    data: { status: "ACTIVE", activatedAt: now, expiresAt: DateTime.fromJSDate(now).plus({ months: pass.validityMonths }).toJSDate(), invoiceId: invoice.id },
  });
  return { pass: activated, activated: true };
}

/**
 * Takes `credits` from the person's booklet that expires soonest among those valid for the booking's day and
 * holding enough credits. Null when none can pay.
 */
export async function spendCredits(tx: Tx, input: { poleId: string; personId: string; kind: ResourceKind; credits: number; validUntil: Date }) {
  const candidates = await tx.pass.findMany({
    where: { poleId: input.poleId, personId: input.personId, resourceKind: input.kind, status: "ACTIVE", expiresAt: { gte: input.validUntil } },
    orderBy: [{ expiresAt: "asc" }, { createdAt: "asc" }],
    select: { id: true },
  });
  for (const { id } of candidates) {
    // Conditional on what is left at the moment of the update: two bookings racing for the last credit
    // cannot both take it.
    const taken = await tx.$executeRaw`UPDATE "Pass" SET "creditsUsed" = "creditsUsed" + ${input.credits}, "updatedAt" = now()
      WHERE "id" = ${id} AND "creditsUsed" + ${input.credits} <= "credits"`;
    if (taken === 1) return tx.pass.findUniqueOrThrow({ where: { id } });
  }
  return null;
}

export function returnCredits(tx: Tx, passId: string, credits: number) {
  return tx.$executeRaw`UPDATE "Pass" SET "creditsUsed" = "creditsUsed" - ${credits}, "updatedAt" = now() WHERE "id" = ${passId}`;
}

/** A person's booklets with what is left, the usable ones first. */
export async function personPasses(tx: Tx, input: { poleId: string; personId: string; now: Date }) {
  const passes = await tx.pass.findMany({ where: { poleId: input.poleId, personId: input.personId, status: { in: ["ACTIVE", "PENDING"] } }, orderBy: [{ status: "asc" }, { expiresAt: "asc" }] });
  return passes.map((p) => ({ ...p, creditsLeft: p.credits - p.creditsUsed, expired: p.expiresAt !== null && p.expiresAt <= input.now }));
}

/** Staff confirm that a booklet ordered on site was paid (transfer, cheque, cash). */
export async function confirmPassPaidOffline(
  client: Tx,
  input: { poleId: string; passId: string; method: "TRANSFER" | "CHEQUE" | "CASH"; reference: string; staffId: string; now: Date },
): Promise<Result<Pass>> {
  try {
    return await inTransaction(client, (tx) => recordOfflinePassPayment(tx, input));
  } catch (error) {
    if (isUniqueViolation(error)) return cardPaymentOpen("ce carnet");
    throw error;
  }
}

async function recordOfflinePassPayment(tx: Tx, input: { poleId: string; passId: string; method: "TRANSFER" | "CHEQUE" | "CASH"; reference: string; staffId: string; now: Date }): Promise<Result<Pass>> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Pass" WHERE "id" = ${input.passId} AND "poleId" = ${input.poleId} FOR UPDATE`;
  if (rows.length === 0) return fail("NOT_FOUND", "Ce carnet n'existe pas.", { status: 404 });
  const pass = await tx.pass.findUniqueOrThrow({ where: { id: input.passId } });
  if (pass.status !== "PENDING") return fail("NOT_PENDING", "Ce carnet n'attend pas de paiement.", { status: 409 });
  if (await tx.payment.findFirst({ where: { passId: pass.id, status: "PENDING" }, select: { id: true } })) return cardPaymentOpen("ce carnet");
  const payment = await tx.payment.create({
    data: { poleId: pass.poleId, purpose: "PASS", passId: pass.id, personId: pass.personId, method: input.method, amountCents: pass.priceCents, status: "SUCCEEDED", reference: input.reference, confirmedById: input.staffId, confirmedAt: input.now },
  });
  const { pass: activated } = await activatePass(tx, payment, input.now, input.staffId);
  return ok(activated);
}
