import { LEGAL_FORMS } from "~/domain/ledger/legal-identity";
import { optionalText, text, z } from "~/utils/validation";
import { formatIban, isValidFrenchVat, isValidIban, isValidSiren } from "./french-ids";
import { parseDayHours, WEEKDAYS } from "./opening-hours";
import { optionalSirenField } from "./schemas";

export const ROLE_LABELS = {
  ADMIN: "Administrateur·rice",
  STAFF: "Équipe du pôle",
  MEMBER: "Membre (sociétaire)",
  USER: "Usager·e",
} as const;

export const ORGANISATION_KIND_LABELS = {
  ASSOCIATION: "Association",
  COMPANY: "Entreprise",
  COOPERATIVE: "Coopérative",
  RESEARCH: "Recherche / enseignement",
  PUBLIC_BODY: "Collectivité / établissement public",
  OTHER: "Autre",
} as const;

export const ROLE_VALUES = Object.keys(ROLE_LABELS) as [keyof typeof ROLE_LABELS, ...(keyof typeof ROLE_LABELS)[]];
const kindValues = Object.keys(ORGANISATION_KIND_LABELS) as [
  keyof typeof ORGANISATION_KIND_LABELS,
  ...(keyof typeof ORGANISATION_KIND_LABELS)[],
];

const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

export const MembershipSchema = z.object({
  role: z.enum(ROLE_VALUES, { error: "Choisissez un rôle dans la liste." }),
  organisationId: text().max(40).optional(),
});

export const OrganisationSchema = z.object({
  name: text({ error: "Indiquez le nom de l'organisation." })
    .trim()
    .min(2, { error: "Le nom doit compter au moins 2 caractères." })
    .max(160, { error: "Le nom ne peut pas dépasser 160 caractères." }),
  kind: z.enum(kindValues, { error: "Choisissez un type d'organisation." }),
  isMember: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
  siret: text()
    .trim()
    .transform((v) => v.replace(/\s/g, ""))
    .pipe(text().regex(/^\d{14}$/, { error: "Le SIRET compte 14 chiffres." }))
    // Its first 9 digits are the SIREN printed on the organisation's invoices: their key must hold.
    .refine((v) => isValidSiren(v.slice(0, 9)), {
      error: "Ce SIRET n'est pas valide : ses 9 premiers chiffres (le SIREN) n'ont pas la bonne clé de contrôle.",
    })
    .optional(),
  // The postal address printed on the organisation's invoices.
  address: optionalText(200, "L'adresse"),
  postalCode: text()
    .trim()
    .regex(/^\d{5}$/, { error: "Le code postal compte 5 chiffres." })
    .optional(),
  city: optionalText(120, "La commune"),
  website: z.url({ error: "Indiquez une adresse web complète (https://…)." }).max(300).optional(),
  description: optionalText(2000, "La description", { multiline: true }),
});

const hoursFields = Object.fromEntries(
  WEEKDAYS.map(({ key }) => [
    `hours_${key}`,
    text()
      .optional()
      .superRefine((v, ctx) => {
        const parsed = parseDayHours(v ?? "");
        if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
      }),
  ]),
) as unknown as Record<`hours_${(typeof WEEKDAYS)[number]["key"]}`, z.ZodOptional<z.ZodString>>;

export const PoleSettingsSchema = z
  .object({
    name: text({ error: "Indiquez le nom du pôle." }).trim().min(2).max(120),
    legalName: text({ error: "Indiquez la raison sociale." }).trim().min(2).max(160),
    // The legal identity printed on invoices (decision 022).
    legalForm: z.enum(LEGAL_FORMS, { error: "Choisissez la forme juridique : SCIC SA, SCIC SAS ou SCIC SARL." }),
    capitalVariable: checkbox,
    siren: optionalSirenField(),
    rcsCity: text()
      .trim()
      .min(2, { error: "Indiquez la ville du greffe (au moins 2 caractères)." })
      .max(80, { error: "La ville du RCS ne dépasse pas 80 caractères." })
      .optional(),
    vatNumber: text()
      .transform((v) => v.replace(/\s/g, "").toUpperCase())
      .optional(),
    paymentTermDays: z
      .number({ error: "Indiquez le délai de paiement en jours, de 0 à 60." })
      .int({ error: "Le délai de paiement est un nombre entier de jours." })
      .min(0, { error: "Le délai de paiement ne peut pas être négatif." })
      .max(60, { error: "Le délai de paiement ne dépasse pas 60 jours (article L441-10 du Code de commerce)." }),
    latePenaltyRate: text({ error: "Indiquez le taux des pénalités de retard." })
      .trim()
      .min(3, { error: "Indiquez le taux des pénalités de retard." })
      .max(200, { error: "Le taux des pénalités ne dépasse pas 200 caractères." }),
    addressLine: text({ error: "Indiquez l'adresse." }).trim().min(3).max(200),
    postalCode: text({ error: "Indiquez le code postal." }).regex(/^\d{5}$/, {
      error: "Le code postal compte 5 chiffres.",
    }),
    city: text({ error: "Indiquez la commune." }).trim().min(2).max(120),
    tagline: optionalText(200, "L'accroche"),
    description: optionalText(4000, "La présentation", { multiline: true }),
    ...hoursFields,
    // Crowdfunding (decision 019): gifts' tax receipts, who reads the register, the grace for a failed charge.
    taxReceiptEligible: checkbox,
    registerVisibleToMembers: checkbox,
    pledgeGraceDays: z
      .number({ error: "Indiquez le délai en jours, de 1 à 60." })
      .int({ error: "Le délai est un nombre entier de jours, de 1 à 60." })
      .min(1, { error: "Le délai est d'au moins 1 jour." })
      .max(60, { error: "Le délai ne dépasse pas 60 jours." }),
    bankIban: text()
      .transform(formatIban)
      .refine(isValidIban, { error: "Cet IBAN n'est pas valide (clé de contrôle)." })
      .optional(),
    bankBic: text()
      .transform((v) => v.replace(/\s/g, "").toUpperCase())
      .refine((v) => /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(v), { error: "Un BIC compte 8 ou 11 caractères." })
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.vatNumber && !v.siren) {
      ctx.addIssue({
        code: "custom",
        path: ["siren"],
        message: "Indiquez le SIREN : le numéro de TVA intracommunautaire en découle.",
      });
    } else if (v.vatNumber && !isValidFrenchVat(v.vatNumber, v.siren)) {
      ctx.addIssue({
        code: "custom",
        path: ["vatNumber"],
        message: v.siren
          ? "Ce numéro de TVA ne correspond pas au SIREN (format FR + clé + SIREN)."
          : "Ce numéro de TVA intracommunautaire n'est pas valide.",
      });
    }
  });
