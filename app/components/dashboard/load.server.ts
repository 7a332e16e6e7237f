import {
  dashboard,
  fiscalYearLabel,
  fromSqlDate,
  listFiscalYears,
  summarise,
  type IsoDate,
} from "~/domain/ledger/index.server";
import { STREAM_FORECASTS } from "~/domain/streams.server";
import type { Client } from "~/utils/db.server";
import { PeriodQuerySchema, type PeriodErrors } from "./period";

/** The fiscal years as the pickers show them, and the one a request asks for (or today's, or the latest). */
export async function pickFiscalYear(tx: Client, input: { poleId: string; requested?: string | null; today: IsoDate }) {
  const years = (await listFiscalYears(tx, input.poleId)).map((y) => {
    const startDate = fromSqlDate(y.startDate);
    const endDate = fromSqlDate(y.endDate);
    return { id: y.id, startDate, endDate, label: fiscalYearLabel(startDate, endDate), closed: y.closedAt !== null };
  });
  const current = years.find((y) => y.startDate <= input.today && input.today <= y.endDate) ?? years[0] ?? null;
  const requested = input.requested ? years.find((y) => y.id === input.requested) : undefined;
  return { years, selected: requested ?? current, unknown: Boolean(input.requested) && !requested };
}

/**
 * What the dashboard pages show for a query string: the fiscal year, the month range within it, the figures
 * over that range, and the self-financing ratio (year to date and planned, whatever the range).
 */
export async function loadDashboard(
  tx: Client,
  input: { poleId: string; searchParams: URLSearchParams; today: IsoDate },
) {
  const errors: PeriodErrors = {};
  const raw = Object.fromEntries(["exercice", "du", "au"].map((k) => [k, input.searchParams.get(k) || undefined]));
  const parsed = PeriodQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[issue.path[0] as keyof PeriodErrors] ??= issue.message;
    // Keep what was valid in the query.
    for (const key of ["exercice", "du", "au"] as const) {
      if (!errors[key] && raw[key]) (query as Record<string, string>)[key] = raw[key]!;
    }
  }
  const { years, selected, unknown } = await pickFiscalYear(tx, {
    poleId: input.poleId,
    requested: query.exercice,
    today: input.today,
  });
  if (unknown) errors.exercice = "Cet exercice n'existe pas : voici l'exercice en cours.";
  if (!selected) return { years, errors, today: input.today, period: null, figures: null };

  const data = await dashboard(tx, {
    poleId: input.poleId,
    fiscalYearId: selected.id,
    today: input.today,
    forecastSources: STREAM_FORECASTS,
  });
  const monthKeys = data.months.map((m) => m.month);
  let from = monthKeys[0];
  let to = monthKeys[monthKeys.length - 1];
  if (query.du && !errors.du) {
    if (monthKeys.includes(query.du)) from = query.du;
    else errors.du = "Ce mois n'appartient pas à l'exercice choisi : la période commence au premier mois.";
  }
  if (query.au && !errors.au) {
    if (monthKeys.includes(query.au)) to = query.au;
    else errors.au = "Ce mois n'appartient pas à l'exercice choisi : la période finit au dernier mois.";
  }
  if (from > to) {
    errors.au = "Le mois de fin doit suivre le mois de début : toute l'année est affichée.";
    from = monthKeys[0];
    to = monthKeys[monthKeys.length - 1];
  }
  const months = data.months.filter((m) => m.month >= from && m.month <= to);
  return {
    years,
    errors,
    today: input.today,
    period: { fiscalYear: selected, months: monthKeys, from, to },
    figures: {
      months,
      ...summarise(months),
      autofinancement: data.autofinancement,
      capital: data.capital,
      deferredRevenue: data.deferredRevenue,
    },
  };
}

export type DashboardView = Awaited<ReturnType<typeof loadDashboard>>;
