import type { Stream } from "~/generated/prisma/enums";
import {
  dashboard,
  fiscalYearLabel,
  fromSqlDate,
  listFiscalYearsWithCounts,
  type IsoDate,
  type Resources,
} from "~/domain/ledger/index.server";
import { STREAM_LABELS } from "~/domain/ledger/streams";
import { fail, ok, type Result } from "~/domain/result";
import type { Client } from "~/utils/db.server";
import type { AnnualActivity, StreamActivity } from "./activity";

// The annual report for the general assembly and the funders (decision 025): what the members vote on. It knows
// no stream: each one that tells its year (StreamDefinition.annualActivity, listed by the registry as
// STREAM_ACTIVITIES) gets a section under its ledger label. Revenue against the business plan and the
// autofinancement ratio are the dashboard's own figures (dashboard()), for this year and each earlier one with
// entries; the compte de résultat is summed here in three lines (the full statement is the ledger's).

export type ActivitySource = { stream: Stream; activity: AnnualActivity };

export type StreamRevenue = {
  stream: Stream;
  label: string;
  /** The year's target. */
  plan: number;
  /** Target of the months started by the report's day (the whole year once it has ended). */
  planToDate: number;
  /** Revenue posted (class 7), to the report's day. */
  actual: number;
  /** actual − planToDate; null before the year's first month. */
  variance: number | null;
  variancePct: number | null;
};

export type ResultSummary = {
  label: string;
  /** Σ class 7 (credit − debit), Σ class 6 (debit − credit), their difference: a profit when positive. */
  income: number;
  expenses: number;
  result: number;
};

export type YearResources = {
  fiscalYearId: string;
  label: string;
  startDate: IsoDate;
  endDate: IsoDate;
  closed: boolean;
  actual: Resources;
  planned: Resources;
};

export type AnnualReport = {
  pole: {
    name: string;
    legalName: string;
    legalForm: string;
    tagline: string;
    siren: string | null;
    address: string;
  };
  fiscalYear: { id: string; label: string; startDate: IsoDate; endDate: IsoDate; closed: boolean };
  /** The day the figures run to: the year's last day once it has ended, else today. */
  asOf: IsoDate;
  /** The year has not ended yet, or is not closed: its figures may still move. */
  provisional: boolean;
  /** The period the streams' activity covers; null before the year has begun. */
  activityPeriod: { from: IsoDate; to: IsoDate } | null;
  sections: { stream: Stream; label: string; activity: StreamActivity | null; revenue: StreamRevenue }[];
  revenue: { perStream: StreamRevenue[]; total: Omit<StreamRevenue, "stream" | "label"> };
  autofinancement: YearResources[];
  capital: { admitted: number; awaitingAdmission: number };
  result: { current: ResultSummary; previous: ResultSummary | null };
};

/**
 * The compte de résultat in three figures over [from, to]. An entry that also moves a result account (12x) —
 * one that would carry the year's charges and income to the result at closing — is left out, so the summary
 * reads the same before and after a closing.
 */
export async function resultSummary(
  tx: Client,
  input: { poleId: string; from: IsoDate; to: IsoDate },
): Promise<Omit<ResultSummary, "label">> {
  const [row] = await tx.$queryRaw<{ income: bigint; expenses: bigint }[]>`
    SELECT coalesce(sum(l."credit" - l."debit") FILTER (WHERE a."code" LIKE '7%'), 0)::bigint AS "income",
           coalesce(sum(l."debit" - l."credit") FILTER (WHERE a."code" LIKE '6%'), 0)::bigint AS "expenses"
    FROM "EntryLine" l
    JOIN "Account" a ON a."id" = l."accountId"
    WHERE l."poleId" = ${input.poleId} AND l."date" BETWEEN ${input.from}::date AND ${input.to}::date
      AND (a."code" LIKE '6%' OR a."code" LIKE '7%')
      AND NOT EXISTS (
        SELECT 1 FROM "EntryLine" r JOIN "Account" ra ON ra."id" = r."accountId"
        WHERE r."entryId" = l."entryId" AND ra."code" LIKE '12%')`;
  const income = Number(row?.income ?? 0);
  const expenses = Number(row?.expenses ?? 0);
  return { income, expenses, result: income - expenses };
}

const address = (p: { addressLine: string; postalCode: string; city: string }) =>
  [p.addressLine, `${p.postalCode} ${p.city}`.trim()].filter(Boolean).join(", ");

export async function annualReport(
  tx: Client,
  input: { poleId: string; fiscalYearId: string; today: IsoDate; sources: readonly ActivitySource[] },
): Promise<Result<AnnualReport>> {
  const [pole, year, years] = await Promise.all([
    tx.pole.findUniqueOrThrow({ where: { id: input.poleId } }),
    tx.fiscalYear.findFirst({ where: { id: input.fiscalYearId, poleId: input.poleId } }),
    listFiscalYearsWithCounts(tx, input.poleId),
  ]);
  if (!year) return fail("NOT_FOUND", "Cet exercice n'existe pas.", { field: "exercice", status: 404 });
  const startDate = fromSqlDate(year.startDate);
  const endDate = fromSqlDate(year.endDate);
  const asOf = input.today < endDate ? input.today : endDate;
  const activityPeriod = asOf >= startDate ? { from: startDate, to: asOf } : null;

  const board = await dashboard(tx, { poleId: input.poleId, fiscalYearId: year.id, today: input.today });
  const revenueOf = (f: (typeof board.perStream)[number]): StreamRevenue => ({
    stream: f.stream,
    label: STREAM_LABELS[f.stream],
    plan: f.plan,
    planToDate: f.planToDate,
    actual: f.actualToDate,
    variance: f.variance,
    variancePct: f.variancePct,
  });
  const perStream = board.perStream.map(revenueOf);

  const activities = await Promise.all(
    input.sources.map((s) => (activityPeriod ? s.activity(tx, { poleId: input.poleId, ...activityPeriod }) : null)),
  );
  const sections = input.sources.map((s, i) => ({
    stream: s.stream,
    label: STREAM_LABELS[s.stream],
    activity: activities[i],
    revenue: perStream.find((r) => r.stream === s.stream)!,
  }));

  // The ratio over the years: this one and every earlier year with entries, oldest first, each its own dashboard.
  const history = years
    .filter((y) => y.id === year.id || (y.entries > 0 && y.endDate < startDate))
    .sort((a, b) => a.startDate.localeCompare(b.startDate));
  const autofinancement = await Promise.all(
    history.map(async (y): Promise<YearResources> => {
      const figures =
        y.id === year.id
          ? board
          : await dashboard(tx, { poleId: input.poleId, fiscalYearId: y.id, today: input.today });
      return {
        fiscalYearId: y.id,
        label: fiscalYearLabel(y.startDate, y.endDate),
        startDate: y.startDate,
        endDate: y.endDate,
        closed: y.closedAt !== null,
        actual: figures.autofinancement.toDate,
        planned: figures.autofinancement.planned,
      };
    }),
  );

  const previousYear = history.filter((y) => y.endDate < startDate).at(-1);
  const [current, previous] = await Promise.all([
    resultSummary(tx, { poleId: input.poleId, from: startDate, to: asOf }),
    previousYear
      ? resultSummary(tx, { poleId: input.poleId, from: previousYear.startDate, to: previousYear.endDate })
      : null,
  ]);

  return ok({
    pole: {
      name: pole.name,
      legalName: pole.legalName,
      legalForm: pole.legalForm,
      tagline: pole.tagline,
      siren: pole.siren,
      address: address(pole),
    },
    fiscalYear: {
      id: year.id,
      label: fiscalYearLabel(startDate, endDate),
      startDate,
      endDate,
      closed: year.closedAt !== null,
    },
    asOf,
    provisional: input.today <= endDate || year.closedAt === null,
    activityPeriod,
    sections,
    revenue: {
      perStream,
      total: {
        plan: board.total.plan,
        planToDate: board.total.planToDate,
        actual: board.total.actualToDate,
        variance: board.total.variance,
        variancePct: board.total.variancePct,
      },
    },
    autofinancement,
    capital: board.capital,
    result: {
      current: { label: fiscalYearLabel(startDate, endDate), ...current },
      previous: previousYear
        ? { label: fiscalYearLabel(previousYear.startDate, previousYear.endDate), ...previous! }
        : null,
    },
  });
}

/**
 * The fiscal years a report can be asked for (newest first), and the one to show: the one asked for (unknown: 404),
 * else the latest that has ended — the one the general assembly approves —, else the one under way, else the
 * latest; null when the pole has no fiscal year yet.
 */
export async function reportYear(
  tx: Client,
  input: { poleId: string; requested?: string; today: IsoDate },
): Promise<Result<{ years: { id: string; label: string; closed: boolean }[]; selectedId: string | null }>> {
  const all = await listFiscalYearsWithCounts(tx, input.poleId);
  const years = all.map((y) => ({
    id: y.id,
    label: fiscalYearLabel(y.startDate, y.endDate),
    closed: y.closedAt !== null,
  }));
  if (input.requested) {
    if (!all.some((y) => y.id === input.requested))
      return fail("NOT_FOUND", "Cet exercice n'existe pas.", { field: "exercice", status: 404 });
    return ok({ years, selectedId: input.requested });
  }
  const selected =
    all.find((y) => y.endDate < input.today) ??
    all.find((y) => y.startDate <= input.today && input.today <= y.endDate) ??
    all[0];
  return ok({ years, selectedId: selected?.id ?? null });
}
