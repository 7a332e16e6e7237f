import { cents, MAX_CENTS, ZERO_CENTS, type Cents } from "~/domain/money";
import { formatCents } from "~/utils/format";
import { dayField, multilineText, optionalDayFilter, text, z } from "~/utils/validation";
import { isIsoDate } from "./dates";
import { ALL_JOURNALS, JOURNALS, STREAMS } from "./streams";

// Forms and filters of the accounting screens. Shared by the browser (conform validates as staff type) and
// the server (the action always validates again). Amounts leave these schemas as integer cents.

export type EurosParse = { ok: true; cents: Cents } | { ok: false; message: string };

const TOO_LARGE = `Ce montant est trop élevé (${formatCents(MAX_CENTS)} au plus).`;

/**
 * Reads an amount typed by staff, in euros, into integer cents without floating point: "1 234,56", "1234.56",
 * "12", "0,5" and "12 €" are accepted; spaces (also the no-break ones French formatting prints) group
 * thousands; the decimal separator is a comma or a point followed by one or two digits.
 */
export function parseEuros(input: string): EurosParse {
  const text = input.replace(/[\s\u00a0\u202f]/g, "").replace(/€$/, "");
  if (text === "") return { ok: false, message: "Indiquez un montant." };
  if (/^[-−]/.test(text)) return { ok: false, message: "Un montant ne peut pas être négatif." };
  const match = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(text);
  if (!match) {
    if (/^\d+[.,]\d{3,}$/.test(text))
      return { ok: false, message: "Un montant compte au plus deux décimales (centimes)." };
    return { ok: false, message: "Indiquez un montant en euros, par exemple 1 234,56." };
  }
  const units = match[1].replace(/^0+(?=\d)/, "");
  // The ceiling every amount column holds (decision 018): a person meets it here, never as a database error.
  if (units.length > 8) return { ok: false, message: TOO_LARGE };
  const amount = Number(units) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  if (amount > MAX_CENTS) return { ok: false, message: TOO_LARGE };
  return { ok: true, cents: cents(amount) };
}

/** Cents → the plain form value staff would type back ("1234,56"), for prefilled inputs. */
export const centsToInput = (cents: number) => `${Math.trunc(cents / 100)},${String(cents % 100).padStart(2, "0")}`;

/** An amount typed in euros, out as `Cents` at most MAX_CENTS, or a French field message. */
export const eurosField = text()
  .trim()
  .transform((value, ctx) => {
    const parsed = parseEuros(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }
    return parsed.cents;
  });

export const journalField = z.enum(JOURNALS, { error: "Choisissez un journal (VT, BQ ou OD)." });
export const streamField = z.enum(STREAMS, { error: "Choisissez un flux dans la liste." });
const accountCodeField = text()
  .trim()
  .regex(/^\d{6,10}$/, { error: "Un numéro de compte compte 6 à 10 chiffres." });

// ---------------------------------------------------------------------------------------------------------
// Manual entry

export const ManualLineSchema = z.object({
  account: accountCodeField.optional(),
  debit: eurosField.optional(),
  credit: eurosField.optional(),
  stream: streamField.optional(),
  label: text().trim().max(200, { error: "Le libellé d'une ligne ne dépasse pas 200 caractères." }).optional(),
});

type ManualLine = z.output<typeof ManualLineSchema>;
const isBlankLine = (l: ManualLine | undefined) =>
  !l ||
  (l.account === undefined &&
    l.debit === undefined &&
    l.credit === undefined &&
    l.stream === undefined &&
    l.label === undefined);

/** What one manual line totals to, for the live indicator and the balance check. */
export function totalsOf(lines: readonly { debit?: number; credit?: number }[]) {
  const debit = lines.reduce((s, l) => s + (l.debit ?? 0), 0);
  const credit = lines.reduce((s, l) => s + (l.credit ?? 0), 0);
  return { debit, credit, gap: debit - credit };
}

export const MIN_FORM_LINES = 4;
export const MAX_FORM_LINES = 40;

export const ManualEntrySchema = z
  .object({
    idempotencyKey: text({ error: "Le formulaire a expiré : rechargez la page." }).regex(/^[A-Za-z0-9-]{8,64}$/, {
      error: "Le formulaire a expiré : rechargez la page.",
    }),
    journal: journalField,
    date: dayField("Indiquez la date de l'écriture."),
    label: text({ error: "Indiquez le libellé de l'écriture." })
      .trim()
      .min(2, { error: "Le libellé compte au moins 2 caractères." })
      .max(200, { error: "Le libellé ne dépasse pas 200 caractères." }),
    pieceRef: text({ error: "Indiquez la référence de la pièce (n° de virement, de facture…)." })
      .trim()
      .max(60, { error: "La référence de la pièce ne dépasse pas 60 caractères." }),
    lines: z
      .array(ManualLineSchema.optional())
      .max(MAX_FORM_LINES, { error: `Une écriture compte au plus ${MAX_FORM_LINES} lignes.` })
      .default([]),
  })
  .superRefine((entry, ctx) => {
    let filled = 0;
    entry.lines.forEach((line, i) => {
      if (!line || isBlankLine(line)) return;
      filled++;
      if (line.account === undefined)
        ctx.addIssue({ code: "custom", path: ["lines", i, "account"], message: "Choisissez un compte." });
      if (line.debit !== undefined && line.credit !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["lines", i, "credit"],
          message: "Une ligne porte soit un débit, soit un crédit, pas les deux.",
        });
      } else if (line.debit === undefined && line.credit === undefined) {
        ctx.addIssue({ code: "custom", path: ["lines", i, "debit"], message: "Indiquez un débit ou un crédit." });
      } else if ((line.debit ?? line.credit) === 0) {
        ctx.addIssue({
          code: "custom",
          path: ["lines", i, line.debit !== undefined ? "debit" : "credit"],
          message: "Un montant doit être supérieur à zéro.",
        });
      }
    });
    if (filled < 2) {
      ctx.addIssue({ code: "custom", path: ["lines"], message: "Une écriture compte au moins deux lignes." });
      return;
    }
    const totals = totalsOf(entry.lines.filter((l): l is ManualLine => !!l));
    if (totals.gap !== 0) {
      ctx.addIssue({
        code: "custom",
        path: ["lines"],
        message: `L'écriture n'est pas équilibrée : débit ${formatCents(totals.debit)}, crédit ${formatCents(totals.credit)} (écart ${formatCents(Math.abs(totals.gap))}).`,
      });
    }
  })
  .transform((entry) => ({
    ...entry,
    // Blank rows (the form always offers a few) are dropped; `row` remembers where each line sat in the form.
    lines: entry.lines.flatMap((line, row) =>
      !line || isBlankLine(line)
        ? []
        : [
            {
              row,
              accountCode: line.account!,
              debit: line.debit ?? ZERO_CENTS,
              credit: line.credit ?? ZERO_CENTS,
              stream: line.stream,
              label: line.label,
            },
          ],
    ),
  }));

export type ManualEntryValue = z.output<typeof ManualEntrySchema>;

/** Ready-made entries for what no stream posts: accounts and sides, staff type the amounts. */
export const MANUAL_PRESETS = {
  subvention: {
    title: "Subvention reçue",
    journal: "BQ",
    label: "Subvention d'exploitation — ",
    lines: [
      { account: "512000", side: "debit", stream: undefined },
      { account: "740000", side: "credit", stream: "SUBSIDY" },
    ],
  },
  produit: {
    title: "Autre produit encaissé",
    journal: "BQ",
    label: "",
    lines: [
      { account: "512000", side: "debit", stream: undefined },
      { account: "708000", side: "credit", stream: "OTHER" },
    ],
  },
  depense: {
    title: "Dépense payée",
    journal: "BQ",
    label: "",
    lines: [
      { account: "606000", side: "debit", stream: undefined },
      { account: "512000", side: "credit", stream: undefined },
    ],
  },
  // The AG's decision on last year's profit, once its closing carried it to 120000: a SCIC puts at least 57,5 %
  // in its reserves (réserve légale, then the impartageables); what is left is carried forward.
  affectation: {
    title: "Affectation du résultat",
    journal: "OD",
    label: "Affectation du résultat de l'exercice — décision de l'AG du ",
    lines: [
      { account: "120000", side: "debit", stream: undefined },
      { account: "106100", side: "credit", stream: undefined },
      { account: "106800", side: "credit", stream: undefined },
      { account: "110000", side: "credit", stream: undefined },
    ],
  },
} as const satisfies Record<
  string,
  {
    title: string;
    journal: (typeof JOURNALS)[number];
    label: string;
    lines: readonly { account: string; side: "debit" | "credit"; stream: (typeof STREAMS)[number] | undefined }[];
  }
>;

export type PresetKey = keyof typeof MANUAL_PRESETS;

// ---------------------------------------------------------------------------------------------------------
// Other forms

export const ReversalSchema = z.object({
  reason: multilineText({ error: "Indiquez la raison de la contrepassation." })
    .trim()
    .superRefine((reason, ctx) => {
      if (reason === "") ctx.addIssue({ code: "custom", message: "Indiquez la raison de la contrepassation." });
      else if (reason.length < 3)
        ctx.addIssue({ code: "custom", message: "Indiquez la raison de la contrepassation (3 caractères au moins)." });
      else if (reason.length > 300)
        ctx.addIssue({ code: "custom", message: "La raison ne dépasse pas 300 caractères." });
    }),
});

export const SubAccountSchema = z.object({
  parentCode: text({ error: "Choisissez le compte parent." })
    .trim()
    .regex(/^\d{6,10}$/, { error: "Choisissez le compte parent." }),
  code: text({ error: "Indiquez le numéro du sous-compte." })
    .trim()
    .regex(/^\d{6,10}$/, { error: "Un numéro de compte compte 6 à 10 chiffres." }),
  label: text({ error: "Indiquez l'intitulé du compte." })
    .trim()
    .min(2, { error: "L'intitulé compte au moins 2 caractères." })
    .max(120, { error: "L'intitulé ne dépasse pas 120 caractères." }),
  stream: streamField.optional(),
});

export const FiscalYearSchema = z
  .object({
    intent: z.literal("create"),
    startDate: dayField("Indiquez le premier jour de l'exercice."),
    endDate: dayField("Indiquez le dernier jour de l'exercice."),
  })
  // Object-level checks run only once both dates are valid (zod keeps checking after a field's issue).
  .refine((v) => !isIsoDate(v.startDate) || !isIsoDate(v.endDate) || v.endDate >= v.startDate, {
    message: "La fin de l'exercice doit suivre son début.",
    path: ["endDate"],
  })
  .refine((v) => !isIsoDate(v.startDate) || !isIsoDate(v.endDate) || v.endDate < addMonths(v.startDate, 24), {
    message: "Un exercice dure au plus 24 mois.",
    path: ["endDate"],
  });

export const CloseYearSchema = z.object({
  intent: z.literal("close"),
  fiscalYearId: text({ error: "Choisissez un exercice." }).min(1).max(40),
  confirmEmpty: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()).default(false),
});

export const ReopenYearSchema = z.object({
  intent: z.literal("reopen"),
  fiscalYearId: text({ error: "Choisissez un exercice." }).min(1).max(40),
  reason: text({ error: "Indiquez pourquoi l'exercice est rouvert." })
    .trim()
    .min(10, { error: "Expliquez en une phrase pourquoi l'exercice est rouvert (10 caractères au moins)." })
    .max(500, { error: "La raison ne dépasse pas 500 caractères." }),
});

function addMonths(iso: string, months: number) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------------------
// Filters (GET): anything unreadable is ignored rather than refused.

const optionalDate = optionalDayFilter();

export const JournalFilterSchema = z.object({
  from: optionalDate,
  to: optionalDate,
  journal: z.enum(ALL_JOURNALS).optional().catch(undefined),
  stream: streamField.optional().catch(undefined),
  account: text()
    .trim()
    .regex(/^\d{1,10}$/)
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});

export const PeriodFilterSchema = z.object({ from: optionalDate, to: optionalDate });
