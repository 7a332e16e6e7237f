import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCents } from "~/utils/format";

// Browser-only (the `.client` suffix keeps recharts out of the server bundle): the charts measure their
// container, so they render after hydration; the server renders the same figures as tables.

export const CHART_COLORS = {
  plan: "#8a9a7b",
  actual: "#2f6b3a",
  forecast: "#c27c0e",
  own: "#2f6b3a",
  subsidies: "#5b7fa6",
  gifts: "#b5838d",
} as const;

const euros = (cents: number) => cents / 100;
export const axisEuros = (value: number) => (Math.abs(value) >= 1000 ? `${Math.round(value / 1000)} k€` : `${value} €`);
export const tooltipEuros = (value: unknown) =>
  typeof value === "number" ? formatCents(Math.round(value * 100)) : String(value);

export type MonthPoint = { label: string; plan: number; actual: number; forecast: number };

/** Plan vs actual (to date) vs confirmed forecast, per month. Amounts in cents. */
export function MonthlyChart({ data }: { data: MonthPoint[] }) {
  const rows = data.map((d) => ({
    label: d.label,
    plan: euros(d.plan),
    actual: euros(d.actual),
    forecast: euros(d.forecast),
  }));
  return (
    <ResponsiveContainer width="100%" height={300} minWidth={0}>
      <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 12 }} />
        <YAxis tickFormatter={axisEuros} width={56} tick={{ fontSize: 12 }} />
        <Tooltip formatter={tooltipEuros} />
        <Legend itemSorter={null} />
        <Bar isAnimationActive={false} dataKey="plan" name="Prévu" fill={CHART_COLORS.plan} />
        <Bar isAnimationActive={false} dataKey="actual" name="Réalisé" fill={CHART_COLORS.actual} />
        <Bar isAnimationActive={false} dataKey="forecast" name="Prévision" fill={CHART_COLORS.forecast} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export type StreamPoint = { label: string; planToDate: number; actualToDate: number; forecast: number };

/** Per stream: plan to date vs actual to date, and what is still expected. Amounts in cents. */
export function StreamChart({ data }: { data: StreamPoint[] }) {
  const rows = data.map((d) => ({
    label: d.label,
    plan: euros(d.planToDate),
    actual: euros(d.actualToDate),
    forecast: euros(d.forecast),
  }));
  return (
    <ResponsiveContainer width="100%" height={320} minWidth={0}>
      <BarChart data={rows} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tickFormatter={axisEuros} tick={{ fontSize: 12 }} />
        <YAxis type="category" dataKey="label" width={110} tick={{ fontSize: 12 }} />
        <Tooltip formatter={tooltipEuros} />
        <Legend itemSorter={null} />
        <Bar isAnimationActive={false} dataKey="plan" name="Prévu à date" fill={CHART_COLORS.plan} />
        <Bar isAnimationActive={false} dataKey="actual" name="Réalisé à date" fill={CHART_COLORS.actual} />
        <Bar isAnimationActive={false} dataKey="forecast" name="Prévision" fill={CHART_COLORS.forecast} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export type ResourcesPoint = { label: string; own: number; subsidies: number; gifts: number; total: number };

/** The mix of resources behind the self-financing ratio, in % of total resources: to date and as planned. */
export function ResourcesChart({ data }: { data: ResourcesPoint[] }) {
  const pct = (part: number, total: number) => (total > 0 ? Math.round((part / total) * 1000) / 10 : 0);
  const rows = data.map((d) => ({
    label: d.label,
    own: pct(d.own, d.total),
    subsidies: pct(d.subsidies, d.total),
    gifts: pct(d.gifts, d.total),
  }));
  return (
    <ResponsiveContainer width="100%" height={180} minWidth={0}>
      <BarChart data={rows} layout="vertical" stackOffset="expand" margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <XAxis type="number" tickFormatter={(v: number) => `${Math.round(v * 100)} %`} tick={{ fontSize: 12 }} />
        <YAxis type="category" dataKey="label" width={110} tick={{ fontSize: 12 }} />
        <Tooltip formatter={(v: unknown) => `${String(v).replace(".", ",")} %`} />
        <Legend itemSorter={null} />
        <Bar isAnimationActive={false} dataKey="own" name="Recettes propres" stackId="r" fill={CHART_COLORS.own} />
        <Bar
          isAnimationActive={false}
          dataKey="subsidies"
          name="Subventions"
          stackId="r"
          fill={CHART_COLORS.subsidies}
        />
        <Bar isAnimationActive={false} dataKey="gifts" name="Dons" stackId="r" fill={CHART_COLORS.gifts} />
      </BarChart>
    </ResponsiveContainer>
  );
}
