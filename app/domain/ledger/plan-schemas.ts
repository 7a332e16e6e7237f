import type { PlanPeriod, Stream } from "~/generated/prisma/enums";
import { cents, MAX_CENTS, type Cents } from "~/domain/money";
import { text, z } from "~/utils/validation";
import { STREAM_LABELS, STREAMS } from "./streams";

// Shared by the business-plan forms (browser and server) and the CSV import: one set of rules and messages.

export const PLAN_PERIODS = ["MONTH", "YEAR"] as const satisfies readonly PlanPeriod[];
export const PLAN_PERIOD_LABELS: Record<PlanPeriod, string> = { MONTH: "Mensuel", YEAR: "Annuel" };

export const MONTH_NAMES = [
  "janvier",
  "février",
  "mars",
  "avril",
  "mai",
  "juin",
  "juillet",
  "août",
  "septembre",
  "octobre",
  "novembre",
  "décembre",
] as const;

/** A plan target is held to the ceiling of every amount (decision 018). */
export const MAX_PLAN_CENTS = MAX_CENTS;

/**
 * "1 250,00", "1250", "1250.5", "1 250,00 €" → cents; null when it is not a non-negative amount with at most two
 * decimals. Spaces (including the no-break ones Excel and Intl write) may group thousands.
 */
export function parseEuros(text: string): Cents | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, "").replace(/€$/, "");
  const match = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!match) return null;
  const amount = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(amount) ? cents(amount) : null;
}

/** 125000 → "1250,00": decimal comma, no grouping, so a French spreadsheet reads it as a number. */
export function formatEurosPlain(cents: number) {
  return `${Math.trunc(cents / 100)},${String(cents % 100).padStart(2, "0")}`;
}

const streamField = z.enum(STREAMS, { message: "Choisissez un flux de recettes dans la liste." });

export const amountField = text({ message: "Indiquez un montant en euros." })
  .trim()
  .min(1, "Indiquez un montant en euros.")
  .transform((value, ctx) => {
    const cents = parseEuros(value);
    if (cents === null) {
      ctx.addIssue({ code: "custom", message: "Indiquez un montant positif en euros, par exemple 1 250,00." });
      return z.NEVER;
    }
    if (cents > MAX_PLAN_CENTS) {
      ctx.addIssue({ code: "custom", message: "Ce montant est trop élevé pour un objectif de plan d'affaires." });
      return z.NEVER;
    }
    return cents;
  });

const planLineFields = {
  id: text().trim().optional(),
  stream: streamField,
  label: text({ message: "Indiquez un libellé." })
    .trim()
    .min(1, "Indiquez un libellé.")
    .max(120, "Le libellé tient en 120 caractères."),
  period: z.enum(PLAN_PERIODS, { message: "Choisissez une période : mensuelle ou annuelle." }),
  month: z.coerce
    .number({ message: "Choisissez un mois de 1 à 12." })
    .int("Choisissez un mois de 1 à 12.")
    .min(1, "Choisissez un mois de 1 à 12.")
    .max(12, "Choisissez un mois de 1 à 12.")
    .optional(),
  amount: amountField,
};

function periodHasMonth(
  v: { period: PlanPeriod; month?: number },
  ctx: z.core.$RefinementCtx<{ period: PlanPeriod; month?: number }>,
) {
  if (v.period === "MONTH" && v.month === undefined) {
    ctx.addIssue({ code: "custom", path: ["month"], message: "Choisissez le mois d'une ligne mensuelle." });
  }
  if (v.period === "YEAR" && v.month !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["month"],
      message: "Une ligne annuelle ne porte pas de mois : laissez-le vide.",
    });
  }
}

export const PlanLineSchema = z.object(planLineFields).superRefine(periodHasMonth);

/** The add/edit form: a line and the fiscal year it belongs to. */
export const PlanLineFormSchema = z
  .object({
    ...planLineFields,
    fiscalYearId: text({ message: "Choisissez un exercice." }).trim().min(1, "Choisissez un exercice."),
  })
  .superRefine(periodHasMonth);

export type PlanLineInput = z.output<typeof PlanLineSchema>;

export const DeletePlanLineSchema = z.object({
  id: text({ message: "Choisissez la ligne à supprimer." }).trim().min(1, "Choisissez la ligne à supprimer."),
});

/** The CSV's columns, in order (French headers, `;` separator). */
export const PLAN_CSV_COLUMNS = ["flux", "libelle", "periode", "mois", "montant"] as const;

const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .trim()
    .toLowerCase();

/** "COWORKING", "coworking", "Terres agricoles" → the stream; null when unknown. */
export function parseStream(text: string): Stream | null {
  const folded = fold(text);
  return STREAMS.find((s) => fold(s) === folded || fold(STREAM_LABELS[s]) === folded) ?? null;
}

/** "mensuel", "MONTH", "mois" → MONTH; "annuel", "YEAR", "année" → YEAR. */
export function parsePeriod(text: string): PlanPeriod | null {
  const folded = fold(text);
  if (["mensuel", "mensuelle", "mois", "month"].includes(folded)) return "MONTH";
  if (["annuel", "annuelle", "annee", "an", "year"].includes(folded)) return "YEAR";
  return null;
}

export const csvHeader = (text: string) => fold(text);
