import type { BookingStatus } from "~/generated/prisma/enums";
import {
  formatDayHours,
  normaliseOpeningHours,
  parseDayHours,
  WEEKDAYS,
  type OpeningHours,
  type WeekdayKey,
} from "~/domain/identity/opening-hours";
import { isIsoDate, type IsoDate } from "~/domain/ledger/dates";
import { centsToInput, parseEuros } from "~/domain/ledger/schemas";
import { OFFLINE_METHODS } from "~/domain/payments/methods";
import { dayField, multilineText, optionalText, text, z } from "~/utils/validation";
import { SlotFields } from "./schemas";
import { addDays, parisInstant } from "./time";

// The staff forms of desks and rooms (spaces, resources and their rates, closures, booklets, the booking
// policy, payments confirmed by hand) and the bookings filter. Shared by the browser (conform) and the server.

export const RESOURCE_KINDS = ["DESK", "ROOM"] as const;
export const RESOURCE_KIND_LABELS = { DESK: "Poste de travail", ROOM: "Salle" } as const;
export const RESOURCE_KIND_SHORT = { DESK: "Poste", ROOM: "Salle" } as const;
export const RATE_UNITS = ["HOUR", "HALF_DAY", "DAY"] as const;
export type RateUnitKey = (typeof RATE_UNITS)[number];
export const RATE_UNIT_LABELS: Record<RateUnitKey, string> = {
  HOUR: "À l'heure",
  HALF_DAY: "À la demi-journée",
  DAY: "À la journée",
};

/** The illustrations staff choose from (files under public/images/espaces/). */
export const PHOTOS = [
  { path: "/images/espaces/grange.svg", label: "La grange (bâtiment)" },
  { path: "/images/espaces/bureaux.svg", label: "Bureaux partagés (bâtiment)" },
  { path: "/images/espaces/atelier.svg", label: "L'atelier (bâtiment)" },
  { path: "/images/espaces/salle.svg", label: "Salle de réunion" },
  { path: "/images/espaces/poste.svg", label: "Poste de travail" },
] as const;
const photoPaths = PHOTOS.map((p) => p.path) as [string, ...string[]];

const isCount = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);

const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

const integer = (message: string, min: number, max: number) =>
  z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });

const nameField = (what: string) =>
  text({ error: `Indiquez le nom ${what}.` })
    .trim()
    .min(2, { error: "Le nom doit compter au moins 2 caractères." })
    .max(120, { error: "Le nom ne peut pas dépasser 120 caractères." });

/** Optional: derived from the name when left empty. */
const slugField = text()
  .trim()
  .toLowerCase()
  .max(60, { error: "L'identifiant ne peut pas dépasser 60 caractères." })
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
    error: "L'identifiant s'écrit en minuscules sans accents, chiffres et tirets (ex. salle-des-semis).",
  })
  .optional();

const photoField = z.enum(photoPaths, { error: "Choisissez une image dans la liste." }).optional();
const positionField = integer("L'ordre est un nombre entier de 0 à 999.", 0, 999).optional();

export const SpaceSchema = z.object({
  name: nameField("de l'espace"),
  slug: slugField,
  building: optionalText(120, "Le bâtiment"),
  floor: optionalText(60, "L'étage"),
  description: optionalText(2000, "La description", { multiline: true }),
  photo: photoField,
  position: positionField,
});
export type SpaceInput = z.output<typeof SpaceSchema>;

/** An amount in euros typed by staff ("12,50") → cents; empty → null (the unit is not offered). */
const optionalEuros = text()
  .trim()
  .optional()
  .transform((value, ctx) => {
    if (!value) return null;
    const parsed = parseEuros(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }
    // Stripe takes no card payment under 0,50 € (a free price is fine: it needs no payment).
    if (parsed.cents > 0 && parsed.cents < 50) {
      ctx.addIssue({
        code: "custom",
        message: "Un prix payant est d'au moins 0,50 € (minimum du paiement par carte) ; 0 le rend gratuit.",
      });
      return z.NEVER;
    }
    return parsed.cents;
  });

const requiredEuros = (message: string) => optionalEuros.refine((v) => v !== null, { error: message });

export const rateField = (unit: RateUnitKey, who: "member" | "public") => `rate_${unit}_${who}` as const;

const rateFields = Object.fromEntries(
  RATE_UNITS.flatMap((u) => [
    [rateField(u, "member"), optionalEuros],
    [rateField(u, "public"), optionalEuros],
  ]),
) as Record<ReturnType<typeof rateField>, typeof optionalEuros>;

export const hoursField = (day: WeekdayKey) => `hours_${day}` as const;

const dayHoursField = text()
  .optional()
  .superRefine((v, ctx) => {
    const parsed = parseDayHours(v ?? "");
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
  });
const ownHoursFields = Object.fromEntries(WEEKDAYS.map(({ key }) => [hoursField(key), dayHoursField])) as Record<
  ReturnType<typeof hoursField>,
  typeof dayHoursField
>;

/** "Wi-Fi, écran\nTableau blanc" → ["Wi-Fi", "écran", "Tableau blanc"]. */
export const splitEquipment = (text: string) =>
  text
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

const durationField = (label: string) => integer(`${label} : un nombre entier de minutes, de 5 à 1440.`, 5, 1440);

export const ResourceSchema = z
  .object({
    spaceId: text({ error: "Choisissez l'espace où se trouve la ressource." }).min(1).max(40),
    kind: z.enum(RESOURCE_KINDS, { error: "Choisissez poste de travail ou salle." }),
    name: nameField("de la ressource"),
    slug: slugField,
    description: optionalText(2000, "La description", { multiline: true }),
    capacity: integer("La capacité est un nombre entier de personnes, de 1 à 500.", 1, 500),
    equipment: multilineText()
      .max(1000, { error: "La liste des équipements ne peut pas dépasser 1000 caractères." })
      .optional()
      .transform((v) => splitEquipment(v ?? ""))
      .refine((list) => list.length <= 30, { error: "30 équipements au plus." })
      .refine((list) => list.every((item) => item.length <= 60), {
        error: "Chaque équipement tient en 60 caractères.",
      }),
    photo: photoField,
    slotMinutes: durationField("La grille"),
    minMinutes: durationField("La durée minimale"),
    maxMinutes: durationField("La durée maximale"),
    active: checkbox,
    hoursMode: z.enum(["pole", "own"], { error: "Choisissez les horaires du pôle ou des horaires propres." }),
    ...ownHoursFields,
    ...rateFields,
    rates: z.unknown().optional(),
    position: positionField,
  })
  // Zod keeps checking the object after a field's issue: each rule below looks only at fields that parsed.
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const slot = isCount(v.slotMinutes) ? v.slotMinutes : null;
    if (slot !== null && 1440 % slot !== 0)
      issue("slotMinutes", "La grille doit diviser la journée : 15, 30, 60 ou 120 minutes, par exemple.");
    else if (slot !== null) {
      if (isCount(v.minMinutes) && v.minMinutes % slot !== 0)
        issue("minMinutes", `La durée minimale doit être un multiple de la grille (${slot} min).`);
      if (isCount(v.maxMinutes) && v.maxMinutes % slot !== 0)
        issue("maxMinutes", `La durée maximale doit être un multiple de la grille (${slot} min).`);
    }
    if (isCount(v.minMinutes) && isCount(v.maxMinutes) && v.maxMinutes < v.minMinutes)
      issue("maxMinutes", "La durée maximale ne peut pas être inférieure à la durée minimale.");
    const closed = (text: string | undefined) => !(text ?? "").trim() || /^ferm[ée]$/i.test((text ?? "").trim());
    if (v.hoursMode === "own" && WEEKDAYS.every(({ key }) => closed(v[hoursField(key)]))) {
      issue(hoursField("mon"), "Indiquez au moins un jour d'ouverture, ou reprenez les horaires du pôle.");
    }
    let offered = 0;
    for (const unit of RATE_UNITS) {
      const member: unknown = v[rateField(unit, "member")];
      const pub: unknown = v[rateField(unit, "public")];
      if (!(member === null || isCount(member)) || !(pub === null || isCount(pub))) {
        offered++; // a malformed amount already has its message
        continue;
      }
      if (member === null && pub === null) continue;
      offered++;
      if (member === null)
        issue(rateField(unit, "member"), "Indiquez aussi le tarif membre, ou laissez les deux tarifs vides.");
      else if (pub === null)
        issue(rateField(unit, "public"), "Indiquez aussi le tarif public, ou laissez les deux tarifs vides.");
      else if (member > pub) issue(rateField(unit, "member"), "Le tarif membre ne peut pas dépasser le tarif public.");
    }
    if (offered === 0) issue("rates", "Indiquez le prix d'au moins une durée (heure, demi-journée ou journée).");
  });
export type ResourceInput = z.output<typeof ResourceSchema>;

/** The rates of a valid form, by unit (units left empty are not offered). */
export function ratesOfInput(input: ResourceInput) {
  return RATE_UNITS.flatMap((unit) => {
    const memberCents = input[rateField(unit, "member")];
    const publicCents = input[rateField(unit, "public")];
    return memberCents === null || publicCents === null ? [] : [{ unit, memberCents, publicCents }];
  });
}

/** A resource as its form shows it (strings, as typed). */
export function resourceFormValues(r: {
  spaceId: string;
  kind: string;
  name: string;
  slug: string;
  description: string;
  capacity: number;
  equipment: string[];
  photo: string | null;
  slotMinutes: number;
  minMinutes: number;
  maxMinutes: number;
  active: boolean;
  position: number;
  openingHours: unknown;
  rates: { unit: string; memberCents: number; publicCents: number }[];
}) {
  const own = r.openingHours ? normaliseOpeningHours(r.openingHours) : null;
  const rate = (unit: RateUnitKey) => r.rates.find((x) => x.unit === unit);
  return {
    spaceId: r.spaceId,
    kind: r.kind,
    name: r.name,
    slug: r.slug,
    description: r.description,
    capacity: String(r.capacity),
    equipment: r.equipment.join("\n"),
    photo: r.photo ?? "",
    slotMinutes: String(r.slotMinutes),
    minMinutes: String(r.minMinutes),
    maxMinutes: String(r.maxMinutes),
    active: r.active ? "on" : "",
    position: String(r.position),
    hoursMode: own ? "own" : "pole",
    ...Object.fromEntries(
      WEEKDAYS.map(({ key }) => [hoursField(key), own && own[key].length ? formatDayHours(own[key]) : ""]),
    ),
    ...Object.fromEntries(
      RATE_UNITS.flatMap((unit) => {
        const found = rate(unit);
        return [
          [rateField(unit, "member"), found ? centsToInput(found.memberCents) : ""],
          [rateField(unit, "public"), found ? centsToInput(found.publicCents) : ""],
        ];
      }),
    ),
  };
}

/** The pole's hours per day as staff read them ("08:30-18:30" or "Fermé"). */
export function hoursText(hours: unknown): Record<WeekdayKey, string> {
  const all = normaliseOpeningHours(hours);
  return Object.fromEntries(WEEKDAYS.map(({ key }) => [key, formatDayHours(all[key])])) as Record<WeekdayKey, string>;
}

/** The opening hours of a valid form: null for the pole's own. */
export function hoursOfInput(input: ResourceInput): OpeningHours | null {
  if (input.hoursMode === "pole") return null;
  return Object.fromEntries(
    WEEKDAYS.map(({ key }) => {
      const parsed = parseDayHours(input[hoursField(key)] ?? "");
      return [key, parsed.ok ? parsed.ranges : []];
    }),
  ) as OpeningHours;
}

export const PolicySchema = z.object({
  cancellationDeadlineHours: integer(
    "Le délai d'annulation gratuite est un nombre entier d'heures, de 0 à 720.",
    0,
    720,
  ),
  lateCancellationFeePercent: integer("Les frais d'annulation tardive vont de 0 à 100 % du prix.", 0, 100),
  // At most 30: a Stripe Checkout page stays open 35 minutes and its expiry releases the hold.
  holdMinutes: integer("Le temps pour payer va de 1 à 30 minutes.", 1, 30),
});
export type PolicyInput = z.output<typeof PolicySchema>;

export const PassProductSchema = z
  .object({
    name: nameField("du carnet"),
    description: optionalText(1000, "La description", { multiline: true }),
    credits: integer("Le nombre de demi-journées est un entier de 1 à 200.", 1, 200),
    validityMonths: integer("La validité est un nombre entier de mois, de 1 à 36.", 1, 36),
    resourceKind: z.enum(RESOURCE_KINDS, { error: "Choisissez postes de travail ou salles." }),
    memberPrice: requiredEuros("Indiquez le prix pour les membres."),
    publicPrice: requiredEuros("Indiquez le prix public."),
    active: checkbox,
  })
  .refine((v) => !isCount(v.memberPrice) || !isCount(v.publicPrice) || v.memberPrice <= v.publicPrice, {
    error: "Le prix membre ne peut pas dépasser le prix public.",
    path: ["memberPrice"],
  });
export type PassProductInput = z.output<typeof PassProductSchema>;

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const validDay = (v: unknown) => typeof v === "string" && isIsoDate(v);
const validTime = (v: unknown) => typeof v === "string" && /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/.test(v);
const timeField = (message: string) =>
  text({ error: message }).trim().regex(HHMM, { error: "Indiquez une heure (hh:mm)." });
const formKey = text({ error: "Ce formulaire a expiré : rechargez la page." })
  .min(8, { error: "Ce formulaire a expiré : rechargez la page." })
  .max(100);

export const ClosureSchema = z
  .object({
    intent: z.literal("close"),
    startDate: dayField("Indiquez le premier jour de la fermeture."),
    startTime: timeField("Indiquez l'heure de début."),
    endDate: dayField("Indiquez le dernier jour de la fermeture."),
    endTime: timeField("Indiquez l'heure de fin."),
    reason: text({ error: "Indiquez le motif de la fermeture." })
      .trim()
      .min(3, { error: "Indiquez le motif de la fermeture (3 caractères au moins)." })
      .max(200, { error: "Le motif ne peut pas dépasser 200 caractères." }),
    idempotencyKey: formKey,
  })
  .refine(
    (v) =>
      !validDay(v.startDate) ||
      !validDay(v.endDate) ||
      !validTime(v.startTime) ||
      !validTime(v.endTime) ||
      `${v.endDate}T${v.endTime}` > `${v.startDate}T${v.startTime}`,
    { error: "La fermeture doit finir après son début.", path: ["endTime"] },
  );

export const ReopenSchema = z.object({
  intent: z.literal("reopen"),
  closureId: text({ error: "Choisissez la fermeture à lever." }).min(1).max(40),
});

const methodField = z.enum(OFFLINE_METHODS, {
  error: "Choisissez le moyen de paiement : virement, chèque ou espèces.",
});
const referenceField = text({
  error: "Indiquez la référence du paiement (libellé du virement, numéro de chèque, numéro de reçu).",
})
  .trim()
  .min(2, { error: "Indiquez la référence du paiement (2 caractères au moins)." })
  .max(120, { error: "La référence ne peut pas dépasser 120 caractères." });

export const OfflinePaymentSchema = z.object({
  intent: z.literal("pay"),
  method: methodField,
  reference: referenceField,
});
export const LateFeePaidSchema = z.object({ intent: z.literal("fee"), method: methodField, reference: referenceField });
export const PassPaidSchema = z.object({
  intent: z.literal("pass-paid"),
  passId: text({ error: "Choisissez le carnet." }).min(1).max(40),
  method: methodField,
  reference: referenceField,
});
export const CancelSchema = z.object({ intent: z.literal("cancel"), waiveFee: checkbox });
export const NoShowSchema = z.object({
  intent: z.literal("noshow"),
  noShow: z.enum(["true", "false"], { error: "Indiquez si la personne est venue." }),
});
export const RefundDoneSchema = z.object({
  intent: z.literal("refund"),
  refundId: text({ error: "Choisissez le remboursement." }).min(1).max(40),
});
export const OnSiteSchema = z.object({ intent: z.literal("onsite") });

/** Staff book for someone: who, what, when, and how it will be paid (on site later, or already paid). */
export const StaffBookingSchema = z
  .object({
    personId: text({ error: "Choisissez la personne pour qui vous réservez." }).min(1).max(40),
    resourceId: text({ error: "Choisissez le poste ou la salle." }).min(1).max(40),
    ...SlotFields,
    settle: z.enum(["onsite", "paid"], { error: "Choisissez comment la réservation sera réglée." }),
    method: methodField.optional(),
    reference: referenceField.optional(),
    idempotencyKey: formKey,
  })
  .refine((v) => !validTime(v.start) || !validTime(v.end) || v.end > v.start, {
    error: "La fin doit suivre le début.",
    path: ["end"],
  })
  .superRefine((v, ctx) => {
    if (v.settle !== "paid") return;
    if (!v.method)
      ctx.addIssue({
        code: "custom",
        path: ["method"],
        message: "Choisissez le moyen de paiement : virement, chèque ou espèces.",
      });
    if (!v.reference)
      ctx.addIssue({
        code: "custom",
        path: ["reference"],
        message: "Indiquez la référence du paiement (libellé du virement, numéro de chèque, numéro de reçu).",
      });
  });

// ---------------------------------------------------------------------------------------------------------
// The bookings filter (GET, shared by the list and its CSV): what cannot be read is ignored, and said.

export const STATUS_FILTERS = [
  "LIVE",
  "TOUS",
  "HELD",
  "AWAITING_PAYMENT",
  "CONFIRMED",
  "CANCELLED",
  "EXPIRED",
] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export const BOOKING_TYPES = { BOOKING: "Réservations", CLOSURE: "Fermetures", TRAINING: "Formations" } as const;

export type BookingQuery = {
  from: IsoDate;
  to: IsoDate;
  space?: string;
  status: StatusFilter;
  q?: string;
  kind?: keyof typeof BOOKING_TYPES;
  page?: number;
};

const DEFAULT_DAYS = 30;
const MAX_DAYS = 731;

export function parseBookingQuery(params: URLSearchParams, today: IsoDate): { query: BookingQuery; notices: string[] } {
  const notices: string[] = [];
  const read = (name: string) => params.get(name)?.trim() || undefined;
  const date = (name: "from" | "to", label: string) => {
    const value = read(name);
    if (value === undefined || isIsoDate(value)) return value;
    notices.push(`La date ${label} « ${String(value).slice(0, 20)} » n'est pas valide : elle est ignorée.`);
    return undefined;
  };
  let from = date("from", "de début");
  let to = date("to", "de fin");
  if (from && to && to < from) {
    notices.push("La date de fin précédait la date de début : la période par défaut est affichée.");
    from = to = undefined;
  }
  from ??= to ? addDays(to, -DEFAULT_DAYS) : today;
  to ??= addDays(from, DEFAULT_DAYS);
  if (to > addDays(from, MAX_DAYS)) {
    notices.push("La période est limitée à deux ans : la date de fin a été rapprochée.");
    to = addDays(from, MAX_DAYS);
  }
  const statusRaw = read("status");
  const status = (STATUS_FILTERS as readonly string[]).includes(statusRaw ?? "") ? (statusRaw as StatusFilter) : "LIVE";
  const kindRaw = read("kind");
  const kind = kindRaw && kindRaw in BOOKING_TYPES ? (kindRaw as keyof typeof BOOKING_TYPES) : undefined;
  const pageRaw = Number(read("page"));
  const page = Number.isInteger(pageRaw) && pageRaw >= 1 && pageRaw <= 10_000 ? pageRaw : undefined;
  const space = read("space");
  const q = read("q")?.slice(0, 100);
  return {
    query: {
      from,
      to,
      status,
      ...(space && space.length <= 40 ? { space } : {}),
      ...(q ? { q } : {}),
      ...(kind ? { kind } : {}),
      ...(page ? { page } : {}),
    },
    notices,
  };
}

/** A query as URL parameters (what is unset is left out). */
export const bookingQueryString = (query: Partial<BookingQuery>) =>
  new URLSearchParams(
    Object.entries(query).flatMap(([k, v]) => (v === undefined || v === "" ? [] : [[k, String(v)]])),
  ).toString();

/** The domain's filter for a query: Paris days, "to" included. */
export function bookingFilterOf(query: BookingQuery) {
  return {
    from: parisInstant(query.from, 0),
    to: parisInstant(addDays(query.to, 1), 0),
    spaceId: query.space,
    status: query.status === "TOUS" ? undefined : query.status,
    q: query.q,
    kind: query.kind,
    page: query.page,
  } satisfies { status?: BookingStatus | "LIVE" } & Record<string, unknown>;
}
