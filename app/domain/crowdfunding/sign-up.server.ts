import { requestSignUp, type SignUpFollowUps } from "~/domain/identity/index.server";
import { cents, type Cents } from "~/domain/money";
import { fail, ok, type Result } from "~/domain/result";
import { pledgeReceivedEmail } from "~/emails/pledges";
import type { Pledge } from "~/generated/prisma/client";
import type { Client, Prisma } from "~/utils/db.server";
import type { EmailMessage } from "~/utils/email.server";
import { appUrl } from "~/utils/env.server";
import { formatCents, formatDate } from "~/utils/format";
import { text, z } from "~/utils/validation";
import { pledgeRef } from "./books.server";
import { amountRefusal, placesLeft, pledge, type PledgeInput } from "./pledges.server";
import { PLEDGE_METHODS, type PledgeForm, type VisitorPledgeSchema } from "./schemas";

// A visitor pledges and gets an account on the way (decision 012): the pledge waits in their sign-up request
// until they confirm their address, then this follow-up records it — the same command a signed-in person's
// pledge runs. One identity: the account then books desks and leases plots too.

const PLEDGE = "PLEDGE";

/** Where a pledge leads once recorded: its page in Mon compte (transfer details, or the card to save). */
export const pledgePath = (pledgeId: string, query = "merci") => `/compte/contributions/${pledgeId}?${query}`;

/** What the pledge command takes, from the form's values (cents already) and who pledges. */
export function pledgeInput(
  input: { poleId: string; personId: string; campaignId: string; now: Date },
  form: Omit<PledgeForm, "visibility"> & { anonymous: boolean },
): PledgeInput {
  return {
    poleId: input.poleId,
    campaignId: input.campaignId,
    tierId: form.tierId,
    personId: input.personId,
    // A share tier computes its own amount; any other takes what was typed (none typed: the domain refuses it).
    amountCents: (form.amount ?? Number.NaN) as Cents,
    giftCents: form.gift ?? cents(0),
    shares: form.shares,
    anonymous: form.anonymous,
    method: form.method,
    idempotencyKey: form.idempotencyKey,
    now: input.now,
  };
}

/**
 * A signed-in person's pledge (its own transaction, in `pledge`), and the email that confirms it: for a transfer
 * or a cheque, what to send where with which reference. A replayed form (double submit) sends nothing twice.
 */
export async function pledgeAsPerson(
  client: Client,
  input: {
    pole: { id: string; name: string };
    person: { id: string; name: string; email: string };
    pledge: PledgeInput;
  },
): Promise<Result<{ pledge: Pledge; replay: boolean; emails: EmailMessage[] }>> {
  const made = await pledge(client, input.pledge);
  if (!made.ok) return made;
  if (made.value.replay) return ok({ ...made.value, emails: [] });
  // One after the other: inside a sign-up's transaction the embedded database has one connection.
  const campaign = await client.campaign.findUniqueOrThrow({
    where: { id: made.value.pledge.campaignId },
    select: { slug: true, title: true, endsAt: true },
  });
  const payee = await client.pole.findUniqueOrThrow({
    where: { id: input.pole.id },
    select: { legalName: true, addressLine: true, postalCode: true, city: true, bankIban: true, bankBic: true },
  });
  const p = made.value.pledge;
  const received = pledgeReceivedEmail({
    poleName: input.pole.name,
    name: input.person.name,
    url: `${appUrl()}${pledgePath(p.id, "")}`.replace(/\?$/, ""),
    campaign: campaign.title,
    amount: formatCents(p.amountCents + p.giftCents),
    method: p.method,
    reference: pledgeRef(p),
    payee: payee.legalName,
    address: `${payee.addressLine}, ${payee.postalCode} ${payee.city}`,
    iban: payee.bankIban ? `${payee.bankIban}${payee.bankBic ? ` (BIC ${payee.bankBic})` : ""}` : null,
    deadline: formatDate(campaign.endsAt),
  });
  return ok({ ...made.value, emails: [{ poleId: input.pole.id, to: input.person.email, ...received }] });
}

/** What a visitor's sign-up keeps of the form: the pledge's fields, as the domain will take them (never the password). */
const PayloadSchema = z.object({
  campaignId: text().min(1).max(40),
  tierId: text().min(1).max(40),
  amountCents: z.number().int().nullable(),
  giftCents: z.number().int().min(0),
  shares: z.number().int().nullable(),
  anonymous: z.boolean(),
  method: z.enum(PLEDGE_METHODS),
  idempotencyKey: text().min(8).max(100),
});

export const pledgeSignUpFollowUps: SignUpFollowUps = {
  [PLEDGE]: {
    purpose: "contribuer à une campagne de financement participatif",
    confirmLabel: "Confirmer mon adresse et enregistrer ma contribution",
    loginPath: "/financement",
    retryPath: "/compte/contributions?contribution=a-refaire",
    async run(tx, { pole, person, payload, now }) {
      // Checked again as it comes back: the campaign may have closed or the tier sold out meanwhile.
      const parsed = PayloadSchema.safeParse(payload);
      if (!parsed.success)
        return fail("UNREADABLE", "La contribution jointe à l'inscription est illisible.", { status: 422 });
      const v = parsed.data;
      const made = await pledgeAsPerson(tx, {
        pole,
        person,
        pledge: {
          poleId: pole.id,
          campaignId: v.campaignId,
          tierId: v.tierId,
          personId: person.id,
          amountCents: (v.amountCents ?? Number.NaN) as Cents,
          giftCents: cents(v.giftCents),
          shares: v.shares ?? undefined,
          anonymous: v.anonymous,
          method: v.method,
          idempotencyKey: v.idempotencyKey,
          now,
        },
      });
      if (!made.ok) return made;
      const card = made.value.pledge.method === "STRIPE";
      return ok({ redirectTo: pledgePath(made.value.pledge.id, card ? "carte" : "merci"), emails: made.value.emails });
    },
  },
};

/**
 * What can be told of a visitor's pledge before their address is confirmed — the campaign open, the tier one of
 * its own with a place left, the amount right for it — so that the form, not a later email, says what is wrong.
 */
export async function checkPledge(
  client: Client,
  input: Omit<PledgeInput, "personId" | "idempotencyKey" | "method">,
): Promise<Result<null>> {
  const campaign = await client.campaign.findFirst({ where: { id: input.campaignId, poleId: input.poleId } });
  if (!campaign) return fail("NOT_FOUND", "Cette campagne n'existe pas.", { status: 404 });
  if (campaign.status !== "PUBLISHED" || input.now < campaign.startsAt)
    return fail("NOT_OPEN", "Cette campagne ne reçoit pas de contributions.", { status: 409 });
  if (input.now >= campaign.endsAt)
    return fail("CLOSED", "Cette campagne est terminée : elle ne reçoit plus de contributions.", { status: 409 });
  const tier = await client.campaignTier.findFirst({ where: { id: input.tierId, campaignId: campaign.id } });
  if (!tier) return fail("UNKNOWN_TIER", "Choisissez une contrepartie de cette campagne.", { field: "tierId" });
  const amount = amountRefusal(tier, input, campaign.maxPledgeCents);
  if (!amount.ok) return amount;
  if (placesLeft(tier) === 0)
    return fail("SOLD_OUT", "Cette contrepartie est épuisée : choisissez-en une autre.", {
      field: "tierId",
      status: 409,
    });
  return ok(null);
}

/**
 * A visitor's pledge: refused at once if the form is wrong for the campaign, otherwise kept in a sign-up request
 * until the address is confirmed. Whether the address has an account shows only in the email returned.
 */
export async function pledgeWithSignUp(
  client: Client,
  input: {
    pole: { id: string; name: string };
    campaignId: string;
    form: z.output<typeof VisitorPledgeSchema>;
    now: Date;
  },
): Promise<Result<{ emails: EmailMessage[] }>> {
  const { name, email, password, visibility, ...form } = input.form;
  const pledged = pledgeInput(
    { poleId: input.pole.id, personId: "", campaignId: input.campaignId, now: input.now },
    { ...form, anonymous: visibility === "anonymous" },
  );
  const checked = await checkPledge(client, pledged);
  if (!checked.ok) return checked;
  const payload: Prisma.InputJsonValue = {
    campaignId: input.campaignId,
    tierId: pledged.tierId,
    amountCents: Number.isFinite(pledged.amountCents) ? pledged.amountCents : null,
    giftCents: pledged.giftCents ?? 0,
    shares: pledged.shares ?? null,
    anonymous: pledged.anonymous ?? false,
    method: form.method,
    idempotencyKey: form.idempotencyKey,
  };
  return requestSignUp(client, {
    pole: input.pole,
    name,
    email,
    password,
    followUp: { kind: PLEDGE, payload },
    followUps: pledgeSignUpFollowUps,
    now: input.now,
  });
}
