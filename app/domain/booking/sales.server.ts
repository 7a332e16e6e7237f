import type { PaymentMethod } from "~/generated/prisma/enums";
import { issueInvoice, parisDate, personBuyer, type InvoiceLineInput } from "~/domain/ledger/index.server";
import { moneyAccount } from "~/domain/payments/index.server";
import type { Tx } from "~/utils/db.server";

export const COWORKING_ACCOUNT = "706100";
export const COWORKING_VAT_BP = 2000;

/**
 * The invoice of a paid coworking sale (a booking, a booklet), dated the day the money came in. It debits the
 * account the money landed in (Stripe, bank, cheques, cash), so the sale and its payment are one balanced entry.
 */
export async function invoicePaidSale(
  tx: Tx,
  input: {
    poleId: string;
    personId: string;
    sourceKey: string;
    lines: InvoiceLineInput[];
    method: PaymentMethod;
    now: Date;
    createdById?: string | null;
  },
) {
  const person = await tx.person.findUniqueOrThrow({
    where: { id: input.personId },
    select: { id: true, name: true, email: true, address: true },
  });
  const { invoice } = await issueInvoice(tx, {
    poleId: input.poleId,
    sourceKey: input.sourceKey,
    issueDate: parisDate(input.now),
    stream: "COWORKING",
    buyer: personBuyer(person),
    lines: input.lines,
    receivableAccount: moneyAccount(input.method),
    createdById: input.createdById,
  });
  return invoice;
}
