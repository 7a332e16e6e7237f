import { dayField, text, z } from "~/utils/validation";

// The booking forms' fields, shared by the browser (conform) and the server. Prices and people are never read
// from the form: the server computes the one and knows the other.

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export const SlotFields = {
  date: dayField("Indiquez le jour.", "Indiquez un jour valide (jj/mm/aaaa)."),
  start: text({ message: "Indiquez l'heure de début." }).trim().regex(HHMM, "Indiquez une heure de début (hh:mm)."),
  end: text({ message: "Indiquez l'heure de fin." }).trim().regex(HHMM, "Indiquez une heure de fin (hh:mm)."),
};

const endAfterStart = (v: { start: string; end: string }) => v.end > v.start;

export const HoldSchema = z
  .object({
    intent: z.literal("hold"),
    ...SlotFields,
    idempotencyKey: text({ message: "Rechargez la page : le formulaire a expiré." })
      .min(8, "Rechargez la page : le formulaire a expiré.")
      .max(100),
  })
  .refine(endAfterStart, { message: "La fin doit suivre le début.", path: ["end"] });

export const WaitSchema = z
  .object({ intent: z.literal("wait"), ...SlotFields })
  .refine(endAfterStart, { message: "La fin doit suivre le début.", path: ["end"] });

export const PayIntentSchema = z.object({
  intent: z.enum(["pass", "card", "onsite", "free", "cancel"], { message: "Choisissez un moyen de paiement." }),
});

export const WeekQuerySchema = z.object({ semaine: SlotFields.date.optional() });
