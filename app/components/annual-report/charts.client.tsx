import { Bar, BarChart, CartesianGrid, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { axisEuros, CHART_COLORS, tooltipEuros } from "~/components/dashboard/charts.client";
import { formatPercent } from "~/utils/format";

// Browser-only, like the dashboard's charts: the annual report page renders the same figures as captioned tables.

/** Each stream's revenue of the year against its plan. Amounts in cents. */
export function RevenueChart({ data }: { data: { label: string; plan: number; actual: number }[] }) {
  const rows = data.map((d) => ({ label: d.label, plan: d.plan / 100, actual: d.actual / 100 }));
  return (
    <ResponsiveContainer width="100%" height={Math.max(200, 44 * rows.length + 70)} minWidth={0}>
      <BarChart data={rows} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tickFormatter={axisEuros} tick={{ fontSize: 12 }} />
        <YAxis type="category" dataKey="label" width={150} tick={{ fontSize: 13 }} />
        <Tooltip formatter={tooltipEuros} />
        <Legend itemSorter={null} />
        <Bar isAnimationActive={false} dataKey="plan" name="Plan de l'exercice" fill={CHART_COLORS.plan} />
        <Bar isAnimationActive={false} dataKey="actual" name="Réalisé" fill={CHART_COLORS.actual} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** The autofinancement ratio of each year, actual and planned, in percent with its value on the bar. */
export function RatioChart({ data }: { data: { label: string; actual: number | null; planned: number | null }[] }) {
  const pct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);
  const rows = data.map((d) => ({ label: d.label, actual: pct(d.actual), planned: pct(d.planned) }));
  const label = (v: unknown) => (typeof v === "number" ? formatPercent(v / 100) : "");
  return (
    <ResponsiveContainer width="100%" height={280} minWidth={0}>
      <BarChart data={rows} margin={{ top: 24, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 13 }} />
        <YAxis
          domain={[0, 100]}
          ticks={[0, 25, 50, 75, 100]}
          tickFormatter={(v: number) => `${v} %`}
          width={56}
          tick={{ fontSize: 12 }}
        />
        <Tooltip formatter={label} />
        <Legend itemSorter={null} />
        <Bar isAnimationActive={false} dataKey="actual" name="Réalisé" fill={CHART_COLORS.actual} maxBarSize={56}>
          <LabelList dataKey="actual" position="top" formatter={label} fontSize={12} />
        </Bar>
        <Bar isAnimationActive={false} dataKey="planned" name="Plan" fill={CHART_COLORS.plan} maxBarSize={56}>
          <LabelList dataKey="planned" position="top" formatter={label} fontSize={12} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}
