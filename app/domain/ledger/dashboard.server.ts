import type { Stream } from "~/generated/prisma/enums";
import type { Client } from "~/utils/db.server";
import { fromSqlDate, type IsoDate } from "./dates";
import { LedgerError } from "./errors";
import type { ForecastSource } from "./forecast.server";
import { OWN_STREAMS, STREAMS } from "./streams";

// The autofinancement dashboard: plan vs actual vs forecast per stream and month of a fiscal year, and the
// self-financing ratio. Actuals come from ONE aggregate over "EntryLine" (it runs over a million lines in the
// benchmark); the plan is a few dozen rows summed here; the forecast is what the streams report.

export type StreamCell = {
  /** Target of the month (monthly lines in their month, yearly lines spread). */
  plan: number;
  /** Revenue posted in the month: Σ(credit − debit) on class 7 accounts (reversals and credit notes net out). */
  actual: number;
  /** The part of `actual` dated on or before today. */
  actualToDate: number;
  /** Confirmed future revenue reported by the streams, for the months from today's on. */
  forecast: number;
};

export type DashboardMonth = {
  /** "YYYY-MM" */
  month: string;
  /** The month has started (it is today's month or an earlier one): its plan counts "to date". */
  elapsed: boolean;
  byStream: Record<Stream, StreamCell>;
};

export type Figures = {
  plan: number;
  /** Plan of the elapsed months: a month's target counts in full from its first day. */
  planToDate: number;
  actual: number;
  actualToDate: number;
  forecast: number;
  /** actualToDate + forecast: where the period lands if nothing else comes in. */
  projected: number;
  /** actualToDate − planToDate; null when no month of the period has started. */
  variance: number | null;
  /** variance ÷ planToDate; null when there is no variance or the plan to date is 0. */
  variancePct: number | null;
};

export type Resources = { own: number; subsidies: number; gifts: number; total: number; ratio: number | null };

export type Dashboard = Awaited<ReturnType<typeof dashboard>>;

const emptyCell = (): StreamCell => ({ plan: 0, actual: 0, actualToDate: 0, forecast: 0 });
const byStream = () => Object.fromEntries(STREAMS.map((s) => [s, emptyCell()])) as Record<Stream, StreamCell>;

/** The calendar months ("YYYY-MM") a fiscal year spans, first to last. */
export function monthsBetween(start: IsoDate, end: IsoDate) {
  const months: string[] = [];
  let [y, m] = [Number(start.slice(0, 4)), Number(start.slice(5, 7))];
  const last = end.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, "0")}`;
    if (key > last) break;
    months.push(key);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return months;
}

/**
 * Spreads plan lines over the months of the year. A monthly line lands in the (first) month of the year with
 * that calendar month. A yearly line is split evenly in integer cents, floor(amount ÷ n) per month, and the
 * remainder goes to the last month, so the months always add up to the line: 100 000,01 € over 12 months is
 * 8 333,33 € for eleven months and 8 333,38 € in the last.
 */
export function spreadPlan(
  months: readonly string[],
  lines: readonly { stream: Stream; month: number | null; amount: number }[],
) {
  const plan = months.map(() => Object.fromEntries(STREAMS.map((s) => [s, 0])) as Record<Stream, number>);
  for (const line of lines) {
    if (line.month !== null) {
      const index = months.findIndex((m) => Number(m.slice(5, 7)) === line.month);
      if (index >= 0) plan[index][line.stream] += line.amount;
      continue;
    }
    const share = Math.floor(line.amount / months.length);
    months.forEach((_, i) => {
      plan[i][line.stream] += i === months.length - 1 ? line.amount - share * (months.length - 1) : share;
    });
  }
  return plan;
}

/** Adds up cells (of some months, some streams) into the figures the dashboard shows. */
export function figures(cells: readonly { cell: StreamCell; elapsed: boolean }[]): Figures {
  const f = { plan: 0, planToDate: 0, actual: 0, actualToDate: 0, forecast: 0 };
  let started = false;
  for (const { cell, elapsed } of cells) {
    f.plan += cell.plan;
    f.actual += cell.actual;
    f.actualToDate += cell.actualToDate;
    f.forecast += cell.forecast;
    if (elapsed) {
      f.planToDate += cell.plan;
      started = true;
    }
  }
  const variance = started ? f.actualToDate - f.planToDate : null;
  return {
    ...f,
    projected: f.actualToDate + f.forecast,
    variance,
    variancePct: variance !== null && f.planToDate !== 0 ? variance / f.planToDate : null,
  };
}

/** Totals per month, per stream and overall, over the months of `months` (a range the period picker chose). */
export function summarise(months: readonly DashboardMonth[]) {
  return {
    perMonth: months.map((m) => ({
      month: m.month,
      elapsed: m.elapsed,
      ...figures(STREAMS.map((s) => ({ cell: m.byStream[s], elapsed: m.elapsed }))),
    })),
    perStream: STREAMS.map((stream) => ({
      stream,
      ...figures(months.map((m) => ({ cell: m.byStream[stream], elapsed: m.elapsed }))),
    })),
    total: figures(months.flatMap((m) => STREAMS.map((s) => ({ cell: m.byStream[s], elapsed: m.elapsed })))),
  };
}

const resources = (own: number, subsidies: number, gifts: number): Resources => {
  const total = own + subsidies + gifts;
  return { own, subsidies, gifts, total, ratio: total > 0 ? own / total : null };
};

type ActualRow = {
  stream: Stream;
  month: Date;
  actual: bigint;
  to_date: bigint;
  own: bigint;
  subsidies: bigint;
  gifts: bigint;
};

/**
 * The dashboard of a fiscal year as of `today`. Revenue is what class 7 accounts received (isRevenueAccount in
 * chart.ts); the self-financing ratio splits it by account like isOwnRevenueAccount: own revenue is sales (70)
 * and other operating income (75 but 758), subsidies (74) and gifts (758) are the other resources, whatever
 * stream their lines carry; financial and exceptional income and reversals (76–79) are in neither.
 */
export async function dashboard(
  tx: Client,
  input: { poleId: string; fiscalYearId: string; today: IsoDate; forecastSources?: readonly ForecastSource[] },
) {
  const year = await tx.fiscalYear.findFirst({ where: { id: input.fiscalYearId, poleId: input.poleId } });
  if (!year) throw new LedgerError("NOT_FOUND", "Cet exercice n'existe pas.", "fiscalYearId");
  const start = fromSqlDate(year.startDate);
  const end = fromSqlDate(year.endDate);
  const monthKeys = monthsBetween(start, end);
  const currentMonth = input.today.slice(0, 7);
  const index = new Map(monthKeys.map((m, i) => [m, i]));

  const [planLines, actualRows, capitalRows] = await Promise.all([
    tx.businessPlanLine.findMany({
      where: { poleId: input.poleId, fiscalYearId: year.id },
      select: { stream: true, month: true, amount: true },
    }),
    // The one aggregate: lines of the pole in the year on revenue accounts (class 7), per stream and month.
    // A line without a stream (a sub-account created without one) counts as OTHER.
    tx.$queryRaw<ActualRow[]>`
      SELECT coalesce(l."stream", 'OTHER'::"Stream")::text AS "stream",
             date_trunc('month', l."date")::date AS "month",
             sum(l."credit" - l."debit")::bigint AS "actual",
             coalesce(sum(l."credit" - l."debit") FILTER (WHERE l."date" <= ${input.today}::date), 0)::bigint AS "to_date",
             coalesce(sum(l."credit" - l."debit") FILTER (WHERE l."date" <= ${input.today}::date
               AND (a."code" LIKE '70%' OR (a."code" LIKE '75%' AND a."code" NOT LIKE '758%'))), 0)::bigint AS "own",
             coalesce(sum(l."credit" - l."debit") FILTER (WHERE l."date" <= ${input.today}::date AND a."code" LIKE '74%'), 0)::bigint AS "subsidies",
             coalesce(sum(l."credit" - l."debit") FILTER (WHERE l."date" <= ${input.today}::date AND a."code" LIKE '758%'), 0)::bigint AS "gifts"
      FROM "EntryLine" l
      JOIN "Account" a ON a."id" = l."accountId"
      WHERE l."poleId" = ${input.poleId} AND l."date" BETWEEN ${start}::date AND ${end}::date AND a."code" LIKE '7%'
      GROUP BY 1, 2`,
    // Apart from revenue: capital raised in the year (shares paid, admitted or awaiting the board), and revenue
    // received but deferred until used (prepaid rewards, 487) — shown, never counted as the year's revenue. The
    // year's opening entry (journal AN) carries earlier years' balances: not raised this year.
    // Read account by account through the (accountId, date) index: joined the other way, the planner scanned every
    // line of the year a second time (bench:ledger).
    tx.$queryRaw<{ admitted: bigint; awaiting: bigint; deferred: bigint }[]>`
      SELECT coalesce(sum(s."net") FILTER (WHERE a."code" LIKE '1013%'), 0)::bigint AS "admitted",
             coalesce(sum(s."net") FILTER (WHERE a."code" LIKE '4563%'), 0)::bigint AS "awaiting",
             coalesce(sum(s."net") FILTER (WHERE a."code" LIKE '487%'), 0)::bigint AS "deferred"
      FROM "Account" a
      CROSS JOIN LATERAL (
        SELECT sum(l."credit" - l."debit") AS "net"
        FROM "EntryLine" l
        JOIN "JournalEntry" e ON e."id" = l."entryId"
        WHERE l."accountId" = a."id" AND l."date" BETWEEN ${start}::date AND ${input.today}::date
          AND e."journal" <> 'AN'
      ) s
      WHERE a."poleId" = ${input.poleId} AND (a."code" LIKE '1013%' OR a."code" LIKE '4563%' OR a."code" LIKE '487%')`,
  ]);

  const months: DashboardMonth[] = monthKeys.map((month) => ({
    month,
    elapsed: month <= currentMonth,
    byStream: byStream(),
  }));
  spreadPlan(monthKeys, planLines).forEach((plan, i) => {
    for (const s of STREAMS) months[i].byStream[s].plan = plan[s];
  });

  let own = 0;
  let subsidies = 0;
  let gifts = 0;
  for (const row of actualRows) {
    const i = index.get(fromSqlDate(row.month).slice(0, 7));
    if (i === undefined) continue;
    const cell = months[i].byStream[row.stream];
    cell.actual += Number(row.actual);
    cell.actualToDate += Number(row.to_date);
    own += Number(row.own);
    subsidies += Number(row.subsidies);
    gifts += Number(row.gifts);
  }

  // Forecast: only for what is still ahead, from today (or the year's start) to the year's end.
  if (input.today <= end) {
    const from = input.today > start ? input.today : start;
    const sources = input.forecastSources ?? [];
    const reported = await Promise.all(
      sources.map((source) => source(tx, { poleId: input.poleId, from, to: end, today: input.today })),
    );
    for (const item of reported.flat()) {
      if (!Number.isSafeInteger(item.amount))
        throw new Error(`Prévision en centimes non entiers pour ${item.stream} ${item.month} : ${item.amount}`);
      const i = index.get(item.month);
      // A source may answer more broadly than asked: keep the months of the year from today's on.
      if (i === undefined || item.month < currentMonth || !STREAMS.includes(item.stream)) continue;
      months[i].byStream[item.stream].forecast += item.amount;
    }
  }

  // Planned ratio: the plan has streams, not accounts, so SUBSIDY lines are the non-own resources and every
  // other stream is own revenue. A gift planned under OTHER or CROWDFUNDING therefore counts as own in the
  // plan (planned gifts are 0) while a gift received (758) does not in the actuals: plan gifts under SUBSIDY
  // if they should not count as own.
  const plannedResources = (elapsedOnly: boolean) => {
    let own = 0;
    let planSubsidies = 0;
    for (const m of months) {
      if (elapsedOnly && !m.elapsed) continue;
      for (const s of STREAMS) {
        if (OWN_STREAMS.includes(s)) own += m.byStream[s].plan;
        else planSubsidies += m.byStream[s].plan;
      }
    }
    return resources(own, planSubsidies, 0);
  };

  return {
    fiscalYear: { id: year.id, startDate: start, endDate: end, closed: year.closedAt !== null },
    today: input.today,
    months,
    ...summarise(months),
    capital: {
      admitted: Number(capitalRows[0]?.admitted ?? 0),
      awaitingAdmission: Number(capitalRows[0]?.awaiting ?? 0),
    },
    deferredRevenue: Number(capitalRows[0]?.deferred ?? 0),
    autofinancement: {
      toDate: resources(own, subsidies, gifts),
      planned: plannedResources(false),
      plannedToDate: plannedResources(true),
    },
  };
}
