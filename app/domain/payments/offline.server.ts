import type { Payment } from "~/generated/prisma/client";
import { fail, ok, type Failure, type Result } from "~/domain/result";
import { isUniqueViolation } from "~/utils/db-errors.server";
import { inTransaction, type Client, type Tx } from "~/utils/db.server";
import type { OfflineMethod } from "./methods";
import { targetOf, type PurposeHandler } from "./purposes";

/** Money staff received by transfer, cheque or cash, and who recorded it when. */
export type OfflineReceipt = {
  poleId: string;
  method: OfflineMethod;
  reference: string;
  staffId: string;
  now: Date;
};

/** What the stream says of its target, checked under its own lock: who pays how much, against which invoice. */
export type OfflineClaim = { personId: string; amountCents: number; invoiceId?: string | null };

/**
 * Staff record money received offline for one target of a purpose. The stream first checks its target under its
 * own lock (`claim`: there, still owed, how much); payments refuses while a card page is open for it — seen here,
 * or, when one opens meanwhile, by the index that allows one live payment per target — writes the SUCCEEDED
 * payment, and the stream follows up (`settle`: invoice, confirm) in the same transaction.
 */
export async function recordOfflinePayment<T>(
  client: Client,
  handler: PurposeHandler,
  input: OfflineReceipt & { targetId: string; what: string },
  stream: {
    claim(tx: Tx): Promise<Result<OfflineClaim>>;
    settle(tx: Tx, payment: Payment): Promise<T>;
  },
): Promise<Result<T>> {
  const target = targetOf(handler, input.targetId);
  try {
    return await inTransaction(client, async (tx) => {
      const claimed = await stream.claim(tx);
      if (!claimed.ok) return claimed;
      const open = await tx.payment.findFirst({
        where: { ...target, status: "PENDING" },
        select: { processingAt: true },
      });
      if (open) return paymentUnderWay(input.what, open.processingAt !== null);
      const payment = await tx.payment.create({
        data: {
          poleId: input.poleId,
          purpose: handler.purpose,
          ...target,
          personId: claimed.value.personId,
          method: input.method,
          amountCents: claimed.value.amountCents,
          status: "SUCCEEDED",
          reference: input.reference,
          confirmedById: input.staffId,
          confirmedAt: input.now,
          invoiceId: claimed.value.invoiceId ?? null,
        },
      });
      return ok(await stream.settle(tx, payment));
    });
  } catch (error) {
    if (isUniqueViolation(error)) return paymentUnderWay(input.what, false);
    throw error;
  }
}

/**
 * A payment of the target is under way: staff wait for the card page to succeed or lapse, or for the bank to
 * settle or reject a debit (decision 017).
 */
export const paymentUnderWay = (what: string, processing: boolean): Failure<"CARD_PAYMENT_OPEN"> =>
  fail(
    "CARD_PAYMENT_OPEN",
    processing
      ? `Un prélèvement est en cours pour ${what} : attendez que la banque l'accepte ou le rejette (quelques jours).`
      : `Un paiement par carte est en cours pour ${what} : attendez qu'il aboutisse ou expire (35 minutes au plus).`,
    { status: 409 },
  );
