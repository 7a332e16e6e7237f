import { text, z } from "~/utils/validation";

// The period picker's query string (?exercice=…&du=2027-01&au=2027-06). A bad value is not an error page: the
// loader falls back to a sensible period and says what it ignored, next to the field.
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export const PeriodQuerySchema = z.object({
  exercice: text().trim().max(64).optional(),
  du: text().trim().regex(MONTH, "Choisissez un mois de début dans la liste.").optional(),
  au: text().trim().regex(MONTH, "Choisissez un mois de fin dans la liste.").optional(),
});

export type PeriodErrors = Partial<Record<"exercice" | "du" | "au", string>>;
