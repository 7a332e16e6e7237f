import type { Booking } from "~/generated/prisma/client";
import { isLedgerError } from "~/domain/ledger/index.server";
import { noEffects, type Effects, type OfflineMethod } from "~/domain/payments/index.server";
import { fail, isRefusal, ok, Refusal, type Result } from "~/domain/result";
import { inTransaction, type Db } from "~/utils/db.server";
import { holdRefusal, placeHold, type HoldInput } from "./holds.server";
import { confirmOfflinePayment, payOnSite } from "./payment.server";

export type OnBehalfInput = HoldInput & {
  bookedById: string;
  /** Paid already (recorded, invoiced and posted at once), or to be paid on site later. */
  settle: { method: OfflineMethod; reference: string } | "onsite";
};

/**
 * Staff book a slot in someone's name and settle it in the same transaction: a refusal of the settlement (a closed
 * fiscal year, say) or a crash leaves no booking holding the slot without its payment, invoice and entry. The same
 * form sent again answers with the first booking (`replay`), settled by the first submission. The emails are
 * returned as effects, to send once committed.
 */
export async function bookOnBehalf(
  db: Db,
  input: OnBehalfInput,
): Promise<Result<{ booking: Booking; replay: boolean; effects: Effects }>> {
  try {
    return await inTransaction(db, async (tx) => {
      const held = await placeHold(tx, input);
      if (!held.ok) return held;
      const { booking, replay } = held.value;
      if (replay) return ok({ booking, replay, effects: noEffects() });
      const settled =
        input.settle === "onsite"
          ? await payOnSite(tx, {
              poleId: input.poleId,
              bookingId: booking.id,
              personId: booking.personId!,
              now: input.now,
            })
          : await confirmOfflinePayment(tx, {
              poleId: input.poleId,
              bookingId: booking.id,
              ...input.settle,
              staffId: input.bookedById,
              now: input.now,
            });
      // Thrown, so the hold made before it is rolled back too.
      if (!settled.ok) throw Refusal.from(settled);
      return ok({ booking: settled.value.booking, replay: false, effects: settled.value.effects });
    });
  } catch (error) {
    if (isLedgerError(error) && error.code === "CLOSED_PERIOD") {
      return fail("YEAR_CLOSED", `${error.message} Le paiement n'a pas pu être enregistré : rien n'a été réservé.`, {
        status: 409,
      });
    }
    if (isRefusal(error)) return error.toFailure();
    // Refusals of the hold's insert (the slot taken meanwhile, the same form sent twice at once), read now that
    // the failed transaction is over.
    const refusal = await holdRefusal(db, input, error);
    if (refusal) return refusal.ok ? ok({ ...refusal.value, effects: noEffects() }) : refusal;
    throw error;
  }
}
