import { multilineText, text, z } from "~/utils/validation";
import { ATTENDANCE_STATUSES } from "./attendance-labels";

// The forms of attendance and satisfaction, shared by the browser (conform) and the server (decision 020).

const STATUS_MESSAGE = "Choisissez présent·e, en retard, absent·e ou excusé·e.";
const HALF_DAY_MESSAGE = "Choisissez une demi-journée de la session.";

/** A half-day's key as the page sends it: the ISO instant it starts. */
const halfDayField = text({ error: HALF_DAY_MESSAGE })
  .trim()
  .max(40, { error: HALF_DAY_MESSAGE })
  .refine((v) => /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(v) && !Number.isNaN(new Date(v).getTime()), {
    error: HALF_DAY_MESSAGE,
  })
  .transform((v) => new Date(v));

/** One person's status for one half-day. */
export const MarkSchema = z.object({
  registrationId: text({ error: "Choisissez une personne inscrite." })
    .trim()
    .min(1, { error: "Choisissez une personne inscrite." })
    .max(64, { error: "Cette personne n'est pas inscrite à cette session." }),
  halfDayStart: halfDayField,
  status: z.enum(ATTENDANCE_STATUSES, { error: STATUS_MESSAGE }),
});

/** Everyone not marked yet for a half-day, marked present. */
export const MarkAllSchema = z.object({ halfDayStart: halfDayField });

const score = (label: string) =>
  z
    .number({ error: `${label} : choisissez une note de 1 à 5.` })
    .int({ error: `${label} : choisissez une note de 1 à 5.` })
    .min(1, { error: `${label} : choisissez une note de 1 à 5.` })
    .max(5, { error: `${label} : choisissez une note de 1 à 5.` });

export const SatisfactionSchema = z.object({
  overall: score("Satisfaction générale"),
  content: score("Contenu"),
  trainer: score("Animation"),
  organisation: score("Organisation"),
  recommend: z.enum(["oui", "non"], { error: "Dites-nous si vous recommanderiez cette formation." }),
  comment: multilineText()
    .trim()
    .max(2000, { error: "Le commentaire ne peut pas dépasser 2 000 caractères." })
    .optional(),
});
