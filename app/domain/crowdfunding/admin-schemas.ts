import { DateTime } from "luxon";
import type { PaymentMethod, PledgeStatus } from "~/generated/prisma/enums";
import { OfflinePaymentSchema } from "~/domain/booking/admin-schemas";
import { isIsoDate } from "~/domain/ledger/dates";
import { parseEuros } from "~/domain/ledger/schemas";
import type { Cents } from "~/domain/money";
import { PARIS_TIME_ZONE } from "~/utils/format";
import { dayField, multilineText, optionalText, text, z } from "~/utils/validation";
import {
  CAMPAIGN_MODES,
  PLEDGE_METHODS,
  PLEDGE_STATUSES,
  REWARD_KINDS,
  TIER_KINDS,
  TIER_VAT_RATES,
} from "./staff-labels";

// The staff forms of crowdfunding (campaigns, tiers, news, what staff record on a pledge) and the pledges filter.
// Shared by the browser (conform) and the server. Amounts are typed in euros and leave as integer cents; a
// deadline is a Europe/Paris day and time, the end of that day when no time is given (decision 019).

/** Domain fields → the form's fields, so a refusal lands under the input that holds it. */
export const CAMPAIGN_FORM_FIELDS: Record<string, string> = {
  goalCents: "goal",
  minimumCents: "minimum",
  optimumCents: "optimum",
  maxPledgeCents: "maxPledge",
  startsAt: "startsOn",
  endsAt: "endsOn",
};
export const TIER_FORM_FIELDS: Record<string, string> = {
  priceCents: "price",
  vatRateBp: "vatRate",
  shareNominalCents: "shareNominal",
};

/** An amount in euros above zero: "12,345", "-1" or "abc" are field errors in French (the ledger's parseEuros). */
const positiveEuros = (message: string, missing = message) =>
  text({ error: missing })
    .trim()
    .transform((value, ctx) => {
      const parsed = parseEuros(value);
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: parsed.message });
        return z.NEVER;
      }
      if (parsed.cents <= 0) {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      return parsed.cents as Cents;
    });
const optionalPositiveEuros = (message: string) => positiveEuros(message).optional();

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const timeField = text().trim().regex(TIME, { error: "Indiquez une heure au format hh:mm (ex. 09:00)." }).optional();

/** The instant of a Paris day and time; with no time, the day's first minute — or, for a deadline, its last second. */
export function parisMoment(day: string, time: string | undefined, end: "start" | "end"): Date {
  const date = DateTime.fromISO(day, { zone: PARIS_TIME_ZONE });
  if (time) {
    const [hour, minute] = time.split(":").map(Number);
    // A deadline at 18:00 takes pledges until 18:00:59; a start at 09:00 opens at 09:00:00.
    return date.set({ hour, minute, second: end === "end" ? 59 : 0, millisecond: 0 }).toJSDate();
  }
  return end === "end" ? date.endOf("day").set({ millisecond: 0 }).toJSDate() : date.startOf("day").toJSDate();
}

/** An instant → the Paris day and time a form shows ("2027-05-31", "23:59"). */
export function parisFields(instant: Date) {
  const local = DateTime.fromJSDate(instant, { zone: PARIS_TIME_ZONE });
  return { day: local.toISODate()!, time: local.toFormat("HH:mm") };
}

const slugField = text({ error: "Indiquez l'adresse de la campagne." })
  .trim()
  .toLowerCase()
  .min(2, { error: "L'adresse compte au moins 2 caractères." })
  .max(60, { error: "L'adresse ne peut pas dépasser 60 caractères." })
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
    error: "L'adresse s'écrit en minuscules sans accents, chiffres et tirets (ex. grange-tiers-lieu).",
  });

const titleField = text({ error: "Indiquez le titre de la campagne." })
  .trim()
  .min(3, { error: "Le titre compte au moins 3 caractères." })
  .max(140, { error: "Le titre ne peut pas dépasser 140 caractères." });

export const STORY_MAX = 20_000;
const storyField = optionalText(STORY_MAX, "Le récit", { multiline: true });

/** An image served from public/: a path under /images/, checked against the files there by the route. */
const imageField = text()
  .trim()
  .max(200, { error: "Ce chemin d'image est trop long." })
  .regex(/^\/images\/[a-z0-9][a-z0-9/_-]*\.(svg|png|jpe?g|webp)$/, {
    error: "Choisissez une image du dossier public/images.",
  })
  .optional();

/** What a published campaign still lets staff change. */
export const CampaignTextSchema = z.object({
  intent: z.literal("edit-text"),
  title: titleField,
  story: storyField,
  imageUrl: imageField,
});

const campaignFields = {
  slug: slugField,
  title: titleField,
  story: storyField,
  imageUrl: imageField,
  goal: positiveEuros("L'objectif est un montant supérieur à zéro.", "Indiquez l'objectif en euros."),
  minimum: optionalPositiveEuros("Le minimum est un montant supérieur à zéro."),
  optimum: optionalPositiveEuros("L'optimum est un montant supérieur à zéro."),
  mode: z.enum(CAMPAIGN_MODES, { error: "Choisissez tout ou rien, ou on garde tout." }),
  startsOn: dayField("Indiquez le jour d'ouverture."),
  startsTime: timeField,
  endsOn: dayField("Indiquez la date limite."),
  endsTime: timeField,
  maxPledge: optionalPositiveEuros("Le plafond par contribution est un montant supérieur à zéro."),
};

type CampaignFields = {
  goal: Cents;
  minimum?: Cents;
  optimum?: Cents;
  startsOn: string;
  startsTime?: string;
  endsOn: string;
  endsTime?: string;
};

const readable = (day: unknown, time: unknown) =>
  typeof day === "string" && isIsoDate(day) && (time === undefined || (typeof time === "string" && TIME.test(time)));

function checkCampaign(v: CampaignFields, ctx: z.RefinementCtx) {
  // A field's own checks do not stop this one (zod runs an object's refinement after non-fatal field issues): the
  // dates are compared only once both read as a day and a time, each field having said what is wrong with it.
  if (
    readable(v.startsOn, v.startsTime) &&
    readable(v.endsOn, v.endsTime) &&
    parisMoment(v.endsOn, v.endsTime, "end") <= parisMoment(v.startsOn, v.startsTime, "start")
  )
    ctx.addIssue({ code: "custom", path: ["endsOn"], message: "La date limite doit venir après l'ouverture." });
  if (typeof v.minimum === "number" && typeof v.goal === "number" && v.minimum > v.goal)
    ctx.addIssue({ code: "custom", path: ["minimum"], message: "Le minimum ne peut pas dépasser l'objectif." });
  if (typeof v.optimum === "number" && typeof v.goal === "number" && v.optimum < v.goal)
    ctx.addIssue({ code: "custom", path: ["optimum"], message: "L'optimum ne peut pas être sous l'objectif." });
}

/** A new campaign, or a draft edited whole. */
export const CampaignSchema = z.object(campaignFields).superRefine(checkCampaign);
export const DraftSchema = z.object({ intent: z.literal("edit"), ...campaignFields }).superRefine(checkCampaign);
export type CampaignForm = z.output<typeof CampaignSchema>;

/** The form's values → the domain's campaign fields. */
export function campaignInputOf(v: CampaignForm) {
  return {
    slug: v.slug,
    title: v.title,
    story: v.story ?? "",
    imageUrl: v.imageUrl ?? null,
    goalCents: v.goal,
    minimumCents: v.minimum ?? null,
    optimumCents: v.optimum ?? null,
    mode: v.mode,
    startsAt: parisMoment(v.startsOn, v.startsTime, "start"),
    endsAt: parisMoment(v.endsOn, v.endsTime, "end"),
    maxPledgeCents: v.maxPledge ?? null,
  };
}

const id = (message: string) => text({ error: message }).trim().min(1, { error: message }).max(40, { error: message });
const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

const tierFields = {
  name: text({ error: "Indiquez le nom de la contrepartie." })
    .trim()
    .min(2, { error: "Le nom compte au moins 2 caractères." })
    .max(120, { error: "Le nom ne peut pas dépasser 120 caractères." }),
  description: optionalText(2000, "La description", { multiline: true }),
  kind: z.enum(TIER_KINDS, { error: "Choisissez don, contrepartie ou parts sociales." }),
  price: optionalPositiveEuros("Le prix est un montant supérieur à zéro."),
  symbolic: checkbox,
  vatRate: z
    .enum(TIER_VAT_RATES.map(String) as [string, ...string[]], {
      error: "Choisissez un taux de TVA : 0 %, 5,5 %, 10 % ou 20 %.",
    })
    .optional(),
  cap: z
    .number({ error: "Le nombre de places est un entier d'au moins 1." })
    .int({ error: "Le nombre de places est un entier d'au moins 1." })
    .min(1, { error: "Le nombre de places est un entier d'au moins 1." })
    .max(100_000, { error: "Le nombre de places ne dépasse pas 100 000." })
    .optional(),
  rewardKind: z.enum(REWARD_KINDS, { error: "Choisissez ce que devient la contrepartie." }).optional(),
  passProductId: text().trim().max(40, { error: "Choisissez un carnet du pôle." }).optional(),
  shareNominal: optionalPositiveEuros("La valeur nominale est un montant supérieur à zéro."),
  minShares: z
    .number({ error: "Le nombre minimum de parts est un entier d'au moins 1." })
    .int({ error: "Le nombre minimum de parts est un entier d'au moins 1." })
    .min(1, { error: "Le nombre minimum de parts est un entier d'au moins 1." })
    .max(100_000, { error: "Le nombre minimum de parts ne dépasse pas 100 000." })
    .optional(),
  college: optionalText(80, "Le collège"),
};

type TierFields = {
  kind: (typeof TIER_KINDS)[number];
  price?: Cents;
  rewardKind?: string;
  passProductId?: string;
  shareNominal?: Cents;
  college?: string;
};

function checkTier(v: TierFields, ctx: z.RefinementCtx) {
  if (v.kind === "SHARE") {
    if (v.shareNominal === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["shareNominal"],
        message: "Indiquez la valeur nominale d'une part sociale.",
      });
    if (!v.college)
      ctx.addIssue({ code: "custom", path: ["college"], message: "Indiquez le collège des associés de ces parts." });
    return;
  }
  if (v.price === undefined)
    ctx.addIssue({ code: "custom", path: ["price"], message: "Indiquez le prix de la contrepartie." });
  if (v.kind === "REWARD" && v.rewardKind === "BOOKLET" && !v.passProductId)
    ctx.addIssue({ code: "custom", path: ["passProductId"], message: "Choisissez un carnet du pôle." });
}

export const AddTierSchema = z.object({ intent: z.literal("add-tier"), ...tierFields }).superRefine(checkTier);
export const EditTierSchema = z
  .object({ intent: z.literal("edit-tier"), tierId: id("Choisissez la contrepartie."), ...tierFields })
  .superRefine(checkTier);
export type TierForm = Omit<z.output<typeof AddTierSchema>, "intent">;

/** The form's values → the domain's tier fields (a share's price follows from its nominal and minimum there). */
export function tierInputOf(v: TierForm) {
  return {
    name: v.name,
    description: v.description ?? "",
    kind: v.kind,
    priceCents: (v.price ?? 0) as Cents,
    symbolic: v.symbolic,
    vatRateBp: Number(v.vatRate ?? 0),
    cap: v.cap ?? null,
    rewardKind: v.kind === "REWARD" ? (v.rewardKind ?? "OTHER") : null,
    passProductId: v.kind === "REWARD" && v.rewardKind === "BOOKLET" ? (v.passProductId ?? null) : null,
    shareNominalCents: v.kind === "SHARE" ? (v.shareNominal ?? null) : null,
    minShares: v.kind === "SHARE" ? (v.minShares ?? 1) : null,
    college: v.kind === "SHARE" ? (v.college ?? null) : null,
  };
}

export const RemoveTierSchema = z.object({
  intent: z.literal("remove-tier"),
  tierId: id("Choisissez la contrepartie."),
});
export const PublishSchema = z.object({ intent: z.literal("publish") });
export const CloseSchema = z.object({ intent: z.literal("close") });

export const NewsSchema = z.object({
  intent: z.literal("news"),
  title: text({ error: "Indiquez le titre de l'actualité." })
    .trim()
    .min(3, { error: "Le titre compte au moins 3 caractères." })
    .max(160, { error: "Le titre ne peut pas dépasser 160 caractères." }),
  body: multilineText({ error: "Écrivez le texte de l'actualité." })
    .trim()
    .min(3, { error: "Écrivez le texte de l'actualité." })
    .max(10_000, { error: "Le texte ne peut pas dépasser 10 000 caractères." }),
});

// ─── What staff record on a pledge ─────────────────────────────────────────────────────────────────────────

const pledgeId = id("Choisissez la contribution.");

/** A transfer, cheque or cash received: the amount actually received (a bank may have taken its fee). */
export const ConfirmReceivedSchema = OfflinePaymentSchema.extend({
  intent: z.literal("confirm"),
  pledgeId,
  amount: positiveEuros("Le montant reçu est supérieur à zéro.", "Indiquez le montant effectivement reçu."),
});
/** Money received offline for a campaign that failed, given back (the refund the closing asked for, done). */
export const RefundSchema = z.object({ intent: z.literal("refund"), pledgeId });
export const DeliverSchema = z.object({ intent: z.literal("deliver"), pledgeId });
export const DeliverTierSchema = z.object({
  intent: z.literal("deliver-tier"),
  tierId: id("Choisissez la contrepartie."),
});
export const AdmitSchema = z.object({
  intent: z.literal("admit"),
  pledgeId,
  admittedOn: dayField("Indiquez la date d'admission par le conseil."),
});

// ─── The pledges filter (GET) ──────────────────────────────────────────────────────────────────────────────

export type PledgeQuery = {
  status?: PledgeStatus;
  tier?: string;
  method?: PaymentMethod;
  q?: string;
  page?: number;
};

/** The list's filter from its address: anything unreadable is no filter rather than an error. */
export function parsePledgeQuery(params: URLSearchParams): PledgeQuery {
  const read = (name: string) => params.get(name)?.trim() || undefined;
  const status = read("status");
  const method = read("method");
  const tier = read("tier");
  const q = read("q")?.slice(0, 100);
  const page = Number(read("page"));
  return {
    ...((PLEDGE_STATUSES as readonly string[]).includes(status ?? "") ? { status: status as PledgeStatus } : {}),
    ...((PLEDGE_METHODS as readonly string[]).includes(method ?? "") ? { method: method as PaymentMethod } : {}),
    ...(tier && tier.length <= 40 ? { tier } : {}),
    ...(q ? { q } : {}),
    ...(Number.isInteger(page) && page >= 1 && page <= 10_000 ? { page } : {}),
  };
}

export function pledgeQueryString(query: PledgeQuery) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") params.set(k, String(v));
  return params.toString();
}
