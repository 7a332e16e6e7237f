import {
  defaultStatementsYear,
  financialStatements,
  parisDate,
  parseVatPeriod,
  vatPeriodOf,
  type IsoDate,
} from "~/domain/ledger/index.server";
import { VAT_PERIOD_MESSAGE, VatPeriodQuerySchema } from "~/domain/ledger/vat-schemas";
import type { VatPeriod } from "~/generated/prisma/enums";
import { db } from "./db.server";
import { httpError } from "./http.server";
import { text, z } from "./validation";

// The query parameters of the accounting reports (statements, VAT return), read once for the page and its
// downloads: what cannot be read is a French 400, what does not exist a 404.

/** `?periode=2026-03` or `2026-T1`; without it, the last period ended before today. */
export function requestedVatPeriod(url: URL, kind: VatPeriod, today: IsoDate) {
  const query = VatPeriodQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) return httpError(400, VAT_PERIOD_MESSAGE);
  if (!query.data.periode) return vatPeriodOf(today, kind, -1);
  return parseVatPeriod(query.data.periode) ?? httpError(400, VAT_PERIOD_MESSAGE);
}

const YEAR_MESSAGE = "Exercice invalide : choisissez un exercice dans la liste.";
const StatementsQuerySchema = z.object({
  exercice: text({ error: YEAR_MESSAGE })
    .trim()
    .regex(/^[A-Za-z0-9-]{1,40}$/, { error: YEAR_MESSAGE })
    .optional(),
});

/**
 * The statements of `?exercice=<id>`, or of the year holding today (else the latest one) without it; null when the
 * pole has no fiscal year at all.
 */
export async function requestedStatements(url: URL, poleId: string) {
  const query = StatementsQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) return httpError(400, YEAR_MESSAGE);
  const id = query.data.exercice ?? (await defaultStatementsYear(db, poleId, parisDate(new Date())))?.id;
  if (!id) return null;
  const statements = await financialStatements(db, { poleId, fiscalYearId: id });
  if (!statements) return httpError(404, "Cet exercice n'existe pas.");
  return statements;
}
