import type { RegistrationPayer, RegistrationStatus } from "~/generated/prisma/enums";
import { OfflinePaymentSchema } from "~/domain/booking/admin-schemas";
import { addDays, parisInstant, toMinutes } from "~/domain/booking/time";
import type { IsoDate } from "~/domain/ledger/dates";
import { parseEuros } from "~/domain/ledger/schemas";
import { MAX_CENTS, type Cents } from "~/domain/money";
import { dayField, multilineText, optionalText, text, z } from "~/utils/validation";
import { PAYERS, REGISTRATION_STATUSES, TRAINEE_TYPES } from "./staff-labels";

// The staff forms of trainings (courses, sessions with their parts, what staff record on a registration, the
// session's go/cancel decision, the pole's training settings) and the registrations filter. Shared by the browser
// (conform validates as staff type) and the server; the course's rules are also the domain's (createCourse and
// updateCourse parse their input with CourseSchema), so a course is checked the same way wherever it comes from.

const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());
const id = (message: string) => text({ error: message }).trim().min(1, { error: message }).max(40, { error: message });
const integer = (message: string, min: number, max: number) =>
  z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });

// ─── Courses ───────────────────────────────────────────────────────────────────────────────────────────────

/** Domain fields → the form's fields, so a refusal lands under the input that holds it. */
export const COURSE_FORM_FIELDS: Record<string, string> = {
  memberCents: "memberPrice",
  publicCents: "publicPrice",
  fundedCents: "fundedPrice",
};

const PROGRAMME_MAX = 10_000;
const programme = (label: string) => optionalText(PROGRAMME_MAX, label, { multiline: true });

/** What a course says, the same in the form and in the domain (prices apart: euros typed, cents stored). */
const courseFields = {
  title: text({ error: "Indiquez l'intitulé de la formation." })
    .trim()
    .min(3, { error: "L'intitulé compte au moins 3 caractères." })
    .max(140, { error: "L'intitulé ne peut pas dépasser 140 caractères." }),
  slug: text({ error: "Indiquez l'adresse de la formation." })
    .trim()
    .toLowerCase()
    .min(2, { error: "L'adresse compte au moins 2 caractères." })
    .max(60, { error: "L'adresse ne peut pas dépasser 60 caractères." })
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
      error: "L'adresse s'écrit en minuscules sans accents, chiffres et tirets (ex. initiation-maraichage).",
    }),
  axis: optionalText(80, "L'axe"),
  objectives: programme("Les objectifs"),
  content: programme("Le contenu"),
  prerequisites: programme("Les prérequis"),
  audience: programme("Le public visé"),
  durationHours: integer("La durée est un nombre entier d'heures, de 1 à 1 000.", 1, 1000),
  methods: programme("Les méthodes pédagogiques"),
  evaluation: programme("Les modalités d'évaluation"),
  accessibility: programme("L'accessibilité"),
  accessibilityContact: optionalText(200, "Le contact accessibilité"),
};

/** Stripe takes no card payment under 0,50 €: a paid price is at least that (0 makes the course free). */
const MIN_PAID_CENTS = 50;
const PAID_MINIMUM = "Un prix payant est d'au moins 0,50 € (minimum du paiement par carte) ; 0 le rend gratuit.";

const priceCents = (what: string) =>
  z
    .number({ error: `Indiquez le ${what} en centimes.` })
    .int({ error: `Le ${what} est un nombre entier de centimes.` })
    .min(0, { error: `Le ${what} ne peut pas être négatif.` })
    .max(MAX_CENTS, { error: `Le ${what} est trop élevé.` })
    .refine((c) => c === 0 || c >= MIN_PAID_CENTS, { error: PAID_MINIMUM })
    .transform((c) => c as Cents);

/** A course as the domain takes it (createCourse, updateCourse): amounts in cents. */
export const CourseSchema = z.object({
  ...courseFields,
  memberCents: priceCents("prix membre"),
  publicCents: priceCents("prix public"),
  fundedCents: priceCents("prix financé"),
  opensPlotPath: z.boolean().default(false),
  published: z.boolean().default(true),
});
export type CourseData = z.input<typeof CourseSchema>;

/** A price typed in euros ("12,50", "180"): three decimals, a minus sign or words are French field errors. */
const eurosPrice = (missing: string) =>
  text({ error: missing })
    .trim()
    .min(1, { error: missing })
    .transform((value, ctx) => {
      const parsed = parseEuros(value);
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: parsed.message });
        return z.NEVER;
      }
      if (parsed.cents > 0 && parsed.cents < MIN_PAID_CENTS) {
        ctx.addIssue({ code: "custom", message: PAID_MINIMUM });
        return z.NEVER;
      }
      return parsed.cents;
    });

/** The course form (new or edited). */
export const CourseFormSchema = z.object({
  ...courseFields,
  memberPrice: eurosPrice("Indiquez le prix membre (0 pour une formation gratuite)."),
  publicPrice: eurosPrice("Indiquez le prix public (0 pour une formation gratuite)."),
  fundedPrice: eurosPrice("Indiquez le prix financé (pris en charge par un financeur)."),
  opensPlotPath: checkbox,
  published: checkbox,
});
export type CourseForm = z.output<typeof CourseFormSchema>;

/** The form's values → the domain's course. */
export function courseInputOf(v: CourseForm) {
  const { memberPrice, publicPrice, fundedPrice, ...rest } = v;
  return {
    ...rest,
    axis: v.axis ?? "",
    objectives: v.objectives ?? "",
    content: v.content ?? "",
    prerequisites: v.prerequisites ?? "",
    audience: v.audience ?? "",
    methods: v.methods ?? "",
    evaluation: v.evaluation ?? "",
    accessibility: v.accessibility ?? "",
    accessibilityContact: v.accessibilityContact ?? "",
    memberCents: memberPrice,
    publicCents: publicPrice,
    fundedCents: fundedPrice,
  };
}

// ─── Sessions ──────────────────────────────────────────────────────────────────────────────────────────────

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const time = (missing: string, invalid: string) => text({ error: missing }).trim().regex(HHMM, { error: invalid });

export const PartSchema = z
  .object({
    date: dayField("Indiquez le jour de cette partie."),
    start: time("Indiquez l'heure de début.", "Indiquez une heure de début (hh:mm)."),
    end: time("Indiquez l'heure de fin.", "Indiquez une heure de fin (hh:mm)."),
    resourceId: id("Choisissez la salle de cette partie."),
  })
  .refine((p) => !HHMM.test(p.start) || !HHMM.test(p.end) || p.end > p.start, {
    error: "La partie finit après son début.",
    path: ["end"],
  });

export const MAX_SESSION_PARTS = 40;
/** When registrations close if staff say nothing: the evening before the first day. */
export const DEFAULT_DEADLINE_TIME = "18:00";

export const SessionFormSchema = z
  .object({
    courseId: id("Choisissez la formation."),
    parts: z
      .array(PartSchema, { error: "Ajoutez au moins une partie (date, horaires, salle)." })
      .min(1, { error: "Ajoutez au moins une partie (date, horaires, salle)." })
      .max(MAX_SESSION_PARTS, { error: `Une session compte au plus ${MAX_SESSION_PARTS} parties.` }),
    capacity: integer("La capacité est un nombre entier de places, de 1 à 500.", 1, 500),
    minimum: integer("Le minimum est un nombre entier de places, de 1 à 500.", 1, 500),
    deadlineDate: dayField("Indiquez le jour de clôture des inscriptions.").optional(),
    deadlineTime: time("Indiquez l'heure de clôture.", "Indiquez une heure de clôture (hh:mm).").optional(),
    trainerIds: z
      .array(id("Choisissez les formateurs parmi les personnes du pôle."))
      .max(20, { error: "20 formateurs ou formatrices au plus." })
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (typeof v.capacity === "number" && typeof v.minimum === "number" && v.minimum > v.capacity)
      ctx.addIssue({ code: "custom", path: ["minimum"], message: "Le minimum ne peut pas dépasser la capacité." });
  });
export type SessionForm = z.output<typeof SessionFormSchema>;

/** Domain fields → the form's fields (a room refused by the booking module names `resourceId`: it is a part's). */
export const SESSION_FORM_FIELDS: Record<string, string> = {
  resourceId: "parts",
  registrationDeadline: "deadlineDate",
};

const firstDay = (parts: { date: IsoDate }[]) => parts.map((p) => p.date).sort()[0];

/** The form's values → the domain's session: Paris wall-clock times to instants, the deadline defaulted. */
export function sessionInputOf(v: SessionForm) {
  const deadlineDay = v.deadlineDate ?? addDays(firstDay(v.parts), -1);
  return {
    courseId: v.courseId,
    capacity: v.capacity,
    minimum: v.minimum,
    registrationDeadline: parisInstant(deadlineDay, toMinutes(v.deadlineTime ?? DEFAULT_DEADLINE_TIME)),
    parts: v.parts.map((p) => ({
      resourceId: p.resourceId,
      startsAt: parisInstant(p.date, toMinutes(p.start)),
      endsAt: parisInstant(p.date, toMinutes(p.end)),
    })),
    trainerIds: v.trainerIds ?? [],
  };
}

// ─── What staff record on a registration, and the session's decision ───────────────────────────────────────

const registrationId = id("Choisissez l'inscription.");
const traineeType = z.enum(TRAINEE_TYPES, { error: "Choisissez le type de stagiaire." });

/** A transfer, cheque or cash received for a held registration (the amount is the registration's price). */
export const RecordPaymentSchema = OfflinePaymentSchema.extend({ intent: z.literal("pay"), registrationId });
export const ConfirmFundingSchema = z.object({ intent: z.literal("fund"), registrationId });
export const FunderPaidSchema = OfflinePaymentSchema.extend({ intent: z.literal("funder-paid"), registrationId });
export const CancelRegistrationSchema = z.object({ intent: z.literal("cancel"), registrationId });
export const RefundDoneSchema = z.object({ intent: z.literal("refund"), refundId: id("Choisissez le remboursement.") });
export const TraineeTypeSchema = z.object({ intent: z.literal("trainee-type"), registrationId, traineeType });

export const GrantSeatSchema = z.object({
  intent: z.literal("grant"),
  personId: id("Choisissez la personne à inscrire."),
  traineeType,
  reason: text({ error: "Indiquez pourquoi cette place est offerte." })
    .trim()
    .min(3, { error: "Indiquez pourquoi cette place est offerte (3 caractères au moins)." })
    .max(300, { error: "La raison ne peut pas dépasser 300 caractères." }),
});

export const ConfirmSessionSchema = z.object({ intent: z.literal("confirm-session") });
export const CancelSessionSchema = z.object({
  intent: z.literal("cancel-session"),
  reason: multilineText({ error: "Indiquez pourquoi la session est annulée : le message part aux inscrits." })
    .trim()
    .min(3, { error: "Indiquez pourquoi la session est annulée : le message part aux inscrits." })
    .max(1000, { error: "La raison ne peut pas dépasser 1 000 caractères." }),
});

// ─── The pole's training settings ──────────────────────────────────────────────────────────────────────────

export const TrainingSettingsSchema = z.object({
  trainingDeclarationNumber: text()
    .transform((v) => v.replace(/[\s.]/g, ""))
    .refine((v) => /^\d{11}$/.test(v), {
      error: "Le numéro de déclaration d'activité compte 11 chiffres (ex. 76 31 12345 31).",
    })
    .optional(),
  trainingExemptionAttestation: optionalText(200, "L'attestation d'exonération"),
  espaceTestRequiresTraining: checkbox,
  trainingOfferHours: integer("La durée d'une proposition de place est un nombre entier d'heures, de 1 à 720.", 1, 720),
  trainingOfflineDays: integer("Le délai de paiement hors ligne est un nombre entier de jours, de 1 à 60.", 1, 60),
  trainingCancelDays: integer("Le délai d'annulation est un nombre entier de jours, de 0 à 90.", 0, 90),
});
export type TrainingSettings = z.output<typeof TrainingSettingsSchema>;

// ─── Filters (GET) ─────────────────────────────────────────────────────────────────────────────────────────

export type RegistrationQuery = { status?: RegistrationStatus; payer?: RegistrationPayer; q?: string };

/** The registrations filter from its address: anything unreadable is no filter rather than an error. */
export function parseRegistrationQuery(params: URLSearchParams): RegistrationQuery {
  const read = (name: string) => params.get(name)?.trim() || undefined;
  const status = read("status");
  const payer = read("payer");
  const q = read("q")?.slice(0, 100);
  return {
    ...((REGISTRATION_STATUSES as readonly string[]).includes(status ?? "")
      ? { status: status as RegistrationStatus }
      : {}),
    ...((PAYERS as readonly string[]).includes(payer ?? "") ? { payer: payer as RegistrationPayer } : {}),
    ...(q ? { q } : {}),
  };
}

export function registrationQueryString(query: RegistrationQuery) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, String(v));
  return params.toString();
}

/** The report's year from its address ("?annee=2027"), or the given default when absent or unreadable. */
export function reportYearOf(params: URLSearchParams, fallback: number) {
  const year = Number(params.get("annee"));
  return Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : fallback;
}
