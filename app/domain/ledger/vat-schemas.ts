import type { VatBasis, VatPeriod } from "~/generated/prisma/enums";
import { text, z } from "~/utils/validation";

// The VAT return page's settings form and query, shared by the browser (conform) and the server.

export const VAT_BASES = ["RECEIPTS", "DEBITS"] as const satisfies readonly VatBasis[];
export const VAT_PERIODS = ["MONTHLY", "QUARTERLY"] as const satisfies readonly VatPeriod[];

export const VAT_BASIS_LABELS: Record<VatBasis, string> = {
  RECEIPTS: "Sur les encaissements",
  DEBITS: "Sur les débits",
};
export const VAT_BASIS_HINTS: Record<VatBasis, string> = {
  RECEIPTS: "La TVA sur les prestations de services est due quand le client paie (régime de droit commun).",
  DEBITS: "La TVA est due à la date de la facture (option pour les débits déclarée au service des impôts).",
};
export const VAT_PERIOD_LABELS: Record<VatPeriod, string> = {
  MONTHLY: "Mensuelle",
  QUARTERLY: "Trimestrielle",
};

/** Why a document counts in the period (the drill-down's "fait générateur"). */
export type VatItemHow = "ISSUED" | "PAID_AT_ISSUE" | "RECEIPT" | "RECEIPT_REVERSED" | "CREDIT_NOTE" | "GOODS";
export const VAT_ITEM_HOW: Record<VatItemHow, string> = {
  ISSUED: "Facture",
  PAID_AT_ISSUE: "Facture payée à l'émission",
  RECEIPT: "Encaissement",
  RECEIPT_REVERSED: "Encaissement annulé",
  CREDIT_NOTE: "Avoir",
  GOODS: "Livraison de biens",
};

export const VatSettingsSchema = z.object({
  intent: z.literal("settings"),
  vatBasis: z.enum(VAT_BASES, { error: "Choisissez l'exigibilité : sur les encaissements ou sur les débits." }),
  vatPeriod: z.enum(VAT_PERIODS, { error: "Choisissez la périodicité : mensuelle ou trimestrielle." }),
});

export const VAT_PERIOD_MESSAGE =
  "Période invalide : indiquez un mois (AAAA-MM, par exemple 2026-03) ou un trimestre (AAAA-Tn, par exemple 2026-T1).";

/** The `periode` query: absent, or a month or quarter key (read by parseVatPeriod on the server). */
export const VatPeriodQuerySchema = z.object({
  periode: text({ error: VAT_PERIOD_MESSAGE })
    .trim()
    .regex(/^\d{4}-(?:0[1-9]|1[0-2]|T[1-4])$/, { error: VAT_PERIOD_MESSAGE })
    .optional(),
});
