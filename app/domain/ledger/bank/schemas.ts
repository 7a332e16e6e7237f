import { text, z } from "~/utils/validation";
import { CSV_DATE_FORMATS, FIELD_LABELS, type CsvMapping } from "./csv";

// Forms of the bank page, shared by the browser and the action: the CSV column mapping, a match, an unmatch and
// the demo statement's month.

const column = (label: string) =>
  text()
    .trim()
    .max(60, { error: `Le nom de la colonne « ${label} » ne dépasse pas 60 caractères.` })
    .optional();

const lineId = text({ error: "Cette ligne de relevé n'existe pas." })
  .trim()
  .min(1, { error: "Cette ligne de relevé n'existe pas." })
  .max(64, { error: "Cette ligne de relevé n'existe pas." });

/** The column mapping of a CSV, with the file it applies to (kept from the first upload, base64). */
export const CsvMappingSchema = z
  .object({
    intent: z.literal("mapping"),
    content: text({ error: "Le fichier a été perdu : importez-le à nouveau." })
      .min(1, { error: "Le fichier a été perdu : importez-le à nouveau." })
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: "Le fichier a été perdu : importez-le à nouveau." }),
    filename: text().trim().max(200).optional(),
    date: column(FIELD_LABELS.date),
    dateFormat: z.enum(CSV_DATE_FORMATS, { error: "Choisissez le format des dates." }),
    amountMode: z.enum(["single", "split"], { error: "Dites comment les montants sont écrits." }),
    amount: column(FIELD_LABELS.amount),
    debit: column(FIELD_LABELS.debit),
    credit: column(FIELD_LABELS.credit),
    label: column(FIELD_LABELS.label),
    reference: column(FIELD_LABELS.reference),
    decimal: z.enum([",", "."], { error: "Choisissez le séparateur décimal." }),
  })
  .superRefine((form, ctx) => {
    const needed: (keyof CsvMapping)[] =
      form.amountMode === "split" ? ["date", "debit", "credit", "label"] : ["date", "amount", "label"];
    for (const field of needed) {
      if (!form[field as keyof typeof form]) {
        ctx.addIssue({ code: "custom", path: [field], message: `Choisissez la colonne « ${FIELD_LABELS[field]} ».` });
      }
    }
  });

export const toCsvMapping = (form: z.output<typeof CsvMappingSchema>): CsvMapping => ({
  date: form.date ?? "",
  dateFormat: form.dateFormat,
  amountMode: form.amountMode,
  amount: form.amountMode === "single" ? form.amount : undefined,
  debit: form.amountMode === "split" ? form.debit : undefined,
  credit: form.amountMode === "split" ? form.credit : undefined,
  label: form.label ?? "",
  reference: form.reference || undefined,
  decimal: form.decimal,
});

export const MatchSchema = z.object({
  intent: z.literal("match"),
  bankLineId: lineId,
  entryLineIds: z
    .array(
      z.coerce
        .number({ error: "Cette écriture n'existe pas." })
        .int({ error: "Cette écriture n'existe pas." })
        .positive({ error: "Cette écriture n'existe pas." })
        .max(2_147_483_647, { error: "Cette écriture n'existe pas." }),
    )
    .min(1, { error: "Cochez au moins une écriture à rapprocher." })
    .max(20, { error: "Une ligne du relevé se rapproche d'au plus 20 écritures." }),
});

export const UnmatchSchema = z.object({ intent: z.literal("unmatch"), bankLineId: lineId });

export const DemoMonthSchema = z.object({
  mois: text({ error: "Choisissez un mois." }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: "Choisissez un mois." }),
});
