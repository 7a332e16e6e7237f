import type { Pledge } from "~/generated/prisma/client";
import type { Cents } from "~/domain/money";
import type { Stripe } from "~/domain/payments/index.server";
import { fail, type Result } from "~/domain/result";
import type { Client, Db } from "~/utils/db.server";

// PLACEHOLDER (branch wt-public only): the lead is writing changePledge and payPledge on main with these
// signatures (helper brief). The public routes are written against them; this file goes when main is merged.

const NOT_YET = "Cette action n'est pas encore disponible.";

export async function changePledge(
  _client: Client,
  _input: {
    poleId: string;
    pledgeId: string;
    personId: string;
    tierId: string;
    amountCents: Cents;
    giftCents: Cents;
    shares?: number;
    anonymous: boolean;
    now: Date;
  },
): Promise<Result<Pledge>> {
  return fail("NOT_BUILT", NOT_YET, { status: 409 });
}

export async function payPledge(
  _db: Db,
  _stripe: Stripe,
  _input: { poleId: string; pledgeId: string; personId: string; now: Date },
): Promise<Result<{ url: string }>> {
  return fail("NOT_BUILT", NOT_YET, { status: 409 });
}
