import type { LeaseKind, WaitlistEventKind, WaitlistStatus } from "~/generated/prisma/enums";
import { OfflinePaymentSchema } from "~/domain/booking/admin-schemas";
import { isIsoDate } from "~/domain/ledger/dates";
import { centsToInput, parseEuros } from "~/domain/ledger/schemas";
import { dayField, multilineText, optionalText, text, z } from "~/utils/validation";
import type { PlotInput } from "./admin.server";
import { parseIndex } from "./rules";

// The staff forms of the land (plots, the year's bounds and index, the indexation, the queue, offers, leases and
// their instalments, the land settings), the filters of its lists, and the French words for its statuses.
// Shared by the browser (conform) and the server.

export const LEASE_KINDS = ["ESPACE_TEST", "CONVENTION_PRECAIRE", "BAIL_RURAL"] as const satisfies readonly LeaseKind[];
export const FREQUENCIES = ["YEARLY", "QUARTERLY", "MONTHLY"] as const;

/** The kinds of lease in a table cell. */
export const KIND_SHORT: Record<LeaseKind, string> = {
  ESPACE_TEST: "Espace-test",
  CONVENTION_PRECAIRE: "Convention précaire",
  BAIL_RURAL: "Bail rural",
};

export const APPLICATION_STATUS_LABELS: Record<WaitlistStatus, string> = {
  WAITING: "En attente",
  NOTIFIED: "Prévenue",
  OFFERED: "Proposition en cours",
  FULFILLED: "Bail accepté",
  LAPSED: "Non reconfirmée",
  CANCELLED: "Retirée",
};

/** The history of an application, in the words staff use. */
export const EVENT_LABELS: Record<WaitlistEventKind, string> = {
  JOINED: "Inscription",
  NOTE: "Note",
  MOVED: "Déplacement dans la file",
  OFFERED: "Proposition",
  ACCEPTED: "Acceptation",
  DECLINED: "Refus",
  OFFER_EXPIRED: "Expiration de la proposition",
  RECONFIRM_ASKED: "Demande de confirmation",
  RECONFIRMED: "Confirmation",
  LAPSED: "Retrait de la liste",
  WITHDRAWN: "Retrait",
  NOTIFIED: "Prévenue d'une place libérée",
};

const isCount = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);
const validDay = (v: unknown): v is string => typeof v === "string" && isIsoDate(v);
const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());
const integer = (message: string, min: number, max: number) =>
  z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
const id = (message: string) => text({ error: message }).min(1, { error: message }).max(40, { error: message });
const formKey = text({ error: "Ce formulaire a expiré : rechargez la page." })
  .min(8, { error: "Ce formulaire a expiré : rechargez la page." })
  .max(100);
const yearField = integer("Indiquez une année entre 2000 et 2100.", 2000, 2100);

/** Euros per hectare typed by staff ("160" or "162,50") → cents, more than zero. */
function rentCents(value: string, ctx: z.RefinementCtx): number {
  const parsed = parseEuros(value);
  if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
  else if (parsed.cents === 0)
    ctx.addIssue({ code: "custom", message: "Un loyer à l'hectare est un montant positif." });
  return parsed.ok && parsed.cents > 0 ? parsed.cents : z.NEVER;
}
const rentField = (missing: string) => text({ error: missing }).trim().transform(rentCents);
/** Empty: null (the plot's own rent applies). */
const optionalRentField = text()
  .trim()
  .optional()
  .transform((value, ctx) => (value ? rentCents(value, ctx) : null));

// ---------------------------------------------------------------------------------------------------------
// Plots

/** 100 ha: more than the largest site a pole could hold, so a typo ("125000" for 12 500 m²) is caught. */
export const MAX_SURFACE_M2 = 1_000_000;

/** A surface in whole square metres, "12 500" accepted; negative, zero, decimal or over 100 ha refused. */
const surfaceField = text({ error: "Indiquez la surface en m²." }).transform((value, ctx) => {
  const text = value.replace(/[\s\u00a0\u202f]/g, "");
  const issue = (message: string) => {
    ctx.addIssue({ code: "custom", message });
    return z.NEVER;
  };
  if (/^[-−]/.test(text)) return issue("La surface ne peut pas être négative.");
  if (!/^\d+$/.test(text)) return issue("La surface est un nombre entier de m², sans décimales (1 ha = 10 000 m²).");
  const m2 = Number(text);
  if (m2 === 0) return issue("La surface ne peut pas être nulle.");
  if (m2 > MAX_SURFACE_M2) return issue("Une parcelle fait au plus 100 ha (1 000 000 m²) : vérifiez la surface.");
  return m2;
});

const plotText = (max: number, label: string, options: { multiline?: boolean } = {}) =>
  optionalText(max, label, options).transform((v) => v ?? "");

export const PlotSchema = z.object({
  code: text({ error: "Indiquez le code de la parcelle (ex. P07)." })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9][A-Z0-9-]{0,11}$/, {
      error: "Le code s'écrit en lettres et chiffres, 12 caractères au plus (ex. P07).",
    }),
  name: plotText(80, "Le nom"),
  surfaceM2: surfaceField,
  soil: plotText(120, "Le sol"),
  waterAccess: plotText(120, "L'accès à l'eau"),
  shelter: plotText(120, "L'abri"),
  currentUse: plotText(120, "L'usage actuel"),
  description: plotText(2000, "La description", { multiline: true }),
  shapeId: text({ error: "Choisissez la forme de la parcelle sur le plan du site." }).regex(
    /^parcelle-[A-Za-z0-9_-]{1,40}$/,
    { error: "Choisissez une forme du plan du site." },
  ),
  rentPerHectare: rentField("Indiquez le loyer indicatif, en euros par hectare et par an."),
  active: checkbox,
});

/** A valid plot form as the domain takes it. */
export function plotInputOf(v: z.output<typeof PlotSchema>): PlotInput {
  const { rentPerHectare, ...rest } = v;
  return { ...rest, rentPerHectareCents: rentPerHectare };
}

/** A plot as its form shows it (strings, as typed). */
export function plotFormValues(p: PlotInput) {
  return {
    code: p.code,
    name: p.name,
    surfaceM2: String(p.surfaceM2),
    soil: p.soil,
    waterAccess: p.waterAccess,
    shelter: p.shelter,
    currentUse: p.currentUse,
    description: p.description,
    shapeId: p.shapeId,
    rentPerHectare: centsToInput(p.rentPerHectareCents),
    active: p.active ? "on" : "",
  };
}

// ---------------------------------------------------------------------------------------------------------
// The year's terms: prefectoral bounds, the national farm-rent index, the indexation

export const BoundsSchema = z
  .object({
    intent: z.literal("bounds"),
    year: yearField,
    min: rentField("Indiquez la borne basse, en euros par hectare."),
    max: rentField("Indiquez la borne haute, en euros par hectare."),
  })
  .refine((v) => !isCount(v.min) || !isCount(v.max) || v.max >= v.min, {
    error: "La borne haute ne peut pas être sous la borne basse.",
    path: ["max"],
  });

const INDEX_MESSAGE = "Indiquez la valeur de l'indice, un nombre positif (par exemple 122,55).";

export const IndexSchema = z.object({
  intent: z.literal("index"),
  year: yearField,
  value: text({ error: INDEX_MESSAGE }).transform((text, ctx) => {
    const value = parseIndex(text);
    if (value === null) ctx.addIssue({ code: "custom", message: INDEX_MESSAGE });
    return value ?? z.NEVER;
  }),
});

export const ApplyIndexationSchema = z.object({ intent: z.literal("apply"), year: yearField });

// ---------------------------------------------------------------------------------------------------------
// The land settings of the pole

export const LandSettingsSchema = z.object({
  offerDays: integer("Le délai de réponse à une proposition va de 1 à 60 jours.", 1, 60),
  reconfirmMonths: integer("La reconfirmation se demande tous les 1 à 36 mois.", 1, 36),
  reconfirmGraceDays: integer("Le délai de grâce va de 1 à 180 jours.", 1, 180),
  landRentVatOptIn: checkbox,
});
export type LandSettingsInput = z.output<typeof LandSettingsSchema>;

// ---------------------------------------------------------------------------------------------------------
// An application: notes, its place in the queue, an offer

export const NoteSchema = z.object({
  intent: z.literal("note"),
  note: multilineText({ error: "Écrivez la note." })
    .trim()
    .min(2, { error: "Écrivez la note." })
    .max(2000, { error: "La note ne peut pas dépasser 2000 caractères." }),
});

const MOVE_REASON = "Écrivez la raison de ce changement d'ordre (elle reste dans l'historique).";
/** The value of "to the end of the queue" in the move form. */
export const QUEUE_END = "fin";

export const MoveSchema = z.object({
  intent: z.literal("move"),
  beforeEntryId: id("Choisissez la nouvelle place : avant une autre candidature, ou à la fin de la file."),
  reason: multilineText({ error: MOVE_REASON })
    .trim()
    .min(5, { error: MOVE_REASON })
    .max(500, { error: "La raison ne peut pas dépasser 500 caractères." }),
});

export const OfferSchema = z
  .object({
    intent: z.literal("offer"),
    plotId: id("Choisissez la parcelle à proposer."),
    startsOn: dayField("Indiquez la date de début du bail."),
    endsOn: text()
      .trim()
      .optional()
      .refine((v) => v === undefined || isIsoDate(v), { error: "Indiquez une date valide (jj/mm/aaaa)." }),
    /** Empty: the plot's indicative rent. */
    rentPerHectare: optionalRentField,
    frequency: z.enum(FREQUENCIES, {
      error: "Choisissez la périodicité des échéances : annuelle, trimestrielle ou mensuelle.",
    }),
    idempotencyKey: formKey,
  })
  .refine((v) => !v.endsOn || !validDay(v.startsOn) || !validDay(v.endsOn) || v.endsOn > v.startsOn, {
    error: "La fin du bail doit suivre son début.",
    path: ["endsOn"],
  });

// ---------------------------------------------------------------------------------------------------------
// A lease: its instalments, renewal, end notice

export const InstalmentPaidSchema = OfflinePaymentSchema.extend({ instalmentId: id("Choisissez l'échéance.") });
export const InvoiceNowSchema = z.object({ intent: z.literal("invoice"), instalmentId: id("Choisissez l'échéance.") });
export const RenewSchema = z.object({ intent: z.literal("renew") });
export const NoticeSchema = z.object({
  intent: z.literal("notice"),
  endsOn: dayField("Indiquez la date de fin du bail."),
  reason: multilineText({ error: "Indiquez le motif du congé." })
    .trim()
    .min(3, { error: "Indiquez le motif du congé (3 caractères au moins)." })
    .max(500, { error: "Le motif ne peut pas dépasser 500 caractères." }),
});

// ---------------------------------------------------------------------------------------------------------
// The filters of the lists (GET): what cannot be read is ignored.

export const REGISTER_STATUSES = ["LIVE", "ACTIVE", "OFFERED", "ENDED", "CLOSED", "ALL"] as const;
export type RegisterStatus = (typeof REGISTER_STATUSES)[number];
export const REGISTER_STATUS_LABELS: Record<RegisterStatus, string> = {
  LIVE: "En cours et propositions",
  ACTIVE: "Baux en cours ou à venir",
  OFFERED: "Propositions en attente de réponse",
  ENDED: "Baux terminés",
  CLOSED: "Propositions sans suite",
  ALL: "Tous",
};
export const QUEUE_FILTERS = { QUEUED: "Dans la file", CLOSED: "Sorties de la file" } as const;

const read = (params: URLSearchParams, name: string, max = 100) => params.get(name)?.trim().slice(0, max) || undefined;
const oneOf = <T extends string>(values: readonly T[], value: string | undefined) =>
  (values as readonly string[]).includes(value ?? "") ? (value as T) : undefined;
const pageOf = (params: URLSearchParams) => {
  const page = Number(read(params, "page"));
  return Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
};

export function parseApplicationQuery(params: URLSearchParams) {
  return {
    status: oneOf(["QUEUED", "CLOSED"] as const, read(params, "status")),
    kind: oneOf(LEASE_KINDS, read(params, "kind")),
    plot: read(params, "plot", 40),
    q: read(params, "q"),
    page: pageOf(params),
  };
}

export function parseLeaseQuery(params: URLSearchParams) {
  return {
    status: oneOf(REGISTER_STATUSES, read(params, "status")) ?? "LIVE",
    kind: oneOf(LEASE_KINDS, read(params, "kind")),
    plot: read(params, "plot", 40),
    q: read(params, "q"),
    page: pageOf(params),
  };
}
