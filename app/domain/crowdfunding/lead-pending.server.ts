// TEMPORARY (wt-staff): the signatures of the lead's staff commands from the helper brief, so the staff routes build
// before they land on main. Removed at the merge of main.
import type { Pledge } from "~/generated/prisma/client";
import type { IsoDate } from "~/domain/ledger/dates";
import type { Cents } from "~/domain/money";
import type { Stripe } from "~/domain/payments/index.server";
import { fail, type Result } from "~/domain/result";
import type { Client, Db } from "~/utils/db.server";

const notYet = () => fail("NOT_YET", "Cette action n'est pas encore disponible.", { status: 409 });

export async function confirmPledgeReceived(
  _client: Client,
  _input: {
    poleId: string;
    pledgeId: string;
    method: "TRANSFER" | "CHEQUE" | "CASH";
    reference: string;
    amountCents: Cents;
    staffId: string;
    now: Date;
  },
): Promise<Result<Pledge>> {
  return notYet();
}

export async function recordPledgeRefund(
  _client: Client,
  _input: {
    poleId: string;
    pledgeId: string;
    method: "TRANSFER" | "CHEQUE" | "CASH";
    reference: string;
    staffId: string;
    now: Date;
  },
): Promise<Result<Pledge>> {
  return notYet();
}

export async function markRewardsDelivered(
  _client: Client,
  _input: { poleId: string; campaignId: string; pledgeIds?: string[]; tierId?: string; staffId: string; now: Date },
): Promise<Result<{ count: number }>> {
  return notYet();
}

export async function admitShares(
  _client: Client,
  _input: { poleId: string; pledgeId: string; admittedOn: IsoDate; staffId: string; now: Date },
): Promise<Result<Pledge>> {
  return notYet();
}

export async function closingPreview(
  client: Client,
  input: { poleId: string; campaignId: string },
): Promise<{ succeeded: boolean; countedCents: number; goalCents: number }> {
  const c = await client.campaign.findFirstOrThrow({ where: { id: input.campaignId, poleId: input.poleId } });
  return { succeeded: c.pledgedCents >= c.goalCents, countedCents: c.pledgedCents, goalCents: c.goalCents };
}

export async function closeCampaignNow(
  _db: Db,
  _stripe: Stripe | null,
  _input: { poleId: string; campaignId: string; now: Date },
): Promise<Result<{ succeeded: boolean }>> {
  return notYet();
}
