import { eurosField } from "~/domain/ledger/schemas";
import { emailField, newPasswordField, personNameField, text, z } from "~/utils/validation";

// The citizen's crowdfunding forms, shared by the browser (conform) and the server. Amounts are typed in euros and
// leave as integer cents (the ledger's eurosField: negative, three decimals or not a number are field errors);
// what depends on the tier (its price, the shares' minimum, places left) is the domain's check, under the same
// field names.

/** The ways a contributor may pay: the card only where Stripe is set up (the route checks), or an announced transfer or cheque. */
export const PLEDGE_METHODS = ["STRIPE", "TRANSFER", "CHEQUE"] as const;
export type PledgeMethod = (typeof PLEDGE_METHODS)[number];

export const PLEDGE_METHOD_LABELS: Record<PledgeMethod, string> = {
  STRIPE: "Carte bancaire",
  TRANSFER: "Virement bancaire",
  CHEQUE: "Chèque",
};

const EXPIRED = "Rechargez la page : le formulaire a expiré.";

const TierFields = {
  tierId: text({ error: "Choisissez une contrepartie." })
    .trim()
    .min(1, { error: "Choisissez une contrepartie." })
    .max(40, { error: "Choisissez une contrepartie de cette campagne." }),
  amount: eurosField.optional(),
  gift: eurosField.optional(),
  shares: z
    .number({ error: "Indiquez un nombre entier de parts." })
    .int({ error: "Indiquez un nombre entier de parts." })
    .min(1, { error: "Indiquez un nombre entier de parts, au moins 1." })
    .max(1_000_000, { error: "Ce nombre de parts est trop élevé." })
    .optional(),
  visibility: z.enum(["named", "anonymous"], {
    error: "Choisissez d'apparaître ou non parmi les contributeurs.",
  }),
};

const PledgeFields = {
  ...TierFields,
  method: z.enum(PLEDGE_METHODS, { error: "Choisissez un moyen de paiement." }),
  idempotencyKey: text({ error: EXPIRED }).min(8, { error: EXPIRED }).max(100, { error: EXPIRED }),
};

/** A signed-in person pledges. */
export const PledgeSchema = z.object(PledgeFields);

/** A visitor pledges and gets an account in the same step (the sign-up form's rules). */
export const VisitorPledgeSchema = z.object({
  ...PledgeFields,
  name: personNameField,
  email: emailField,
  password: newPasswordField,
});

export type PledgeForm = z.output<typeof PledgeSchema>;

const pledgeIdField = text({ error: "Cette contribution n'existe pas." })
  .trim()
  .min(1, { error: "Cette contribution n'existe pas." })
  .max(40, { error: "Cette contribution n'existe pas." });

/** Mon compte › Mes contributions: the change form of one open pledge (its tier, amount, gift, shares, anonymity). */
export const ChangePledgeSchema = z.object({ intent: z.literal("change"), pledgeId: pledgeIdField, ...TierFields });

/** Mon compte › Mes contributions: change an open pledge, cancel it, or pay it (card to save, failed charge). */
export const ContributionIntentSchema = z.discriminatedUnion(
  "intent",
  [ChangePledgeSchema, z.object({ intent: z.enum(["cancel", "pay"]), pledgeId: pledgeIdField })],
  { error: "Cette action n'est pas reconnue." },
);

/** A domain refusal's field (the command's input) → the form's field it belongs under. */
export const FORM_FIELD_OF: Record<string, string> = { amountCents: "amount", giftCents: "gift" };
