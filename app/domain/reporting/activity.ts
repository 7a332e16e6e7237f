import type { IsoDate } from "~/domain/ledger/dates";
import type { Client } from "~/utils/db.server";
import { formatCents, formatDate, formatNumber, formatPercent } from "~/utils/format";

// What a stream tells the annual report of its year (decision 025): a few labelled figures and a sentence. The
// stream computes them from its own tables; the report knows no stream, only these shapes. Shared with the browser
// (the page formats the figures as the PDF does).

/** How a figure's value reads: a count, hours, hectares, a ratio shown in percent, or money in cents. */
export type FigureFormat = "count" | "hours" | "hectares" | "percent" | "money";

export type ActivityFigure = {
  /** "Heures réservées" */
  label: string;
  /** In the format's unit: hours and hectares may have decimals, a percent is a ratio (0.42), money is integer
   * cents; null when it cannot be computed (a ratio over nothing). */
  value: number | null;
  format: FigureFormat;
  /** A few words under the figure: "sur 2 340 h d'ouverture". */
  note?: string;
};

export type StreamActivity = {
  figures: ActivityFigure[];
  /** One short sentence that says what the figures count. */
  summary?: string;
};

/**
 * A stream's activity over [from, to] (calendar days, both inclusive, Europe/Paris): the annual report asks it for
 * the fiscal year, up to today while the year runs. Reads only.
 */
export type AnnualActivity = (
  tx: Client,
  input: { poleId: string; from: IsoDate; to: IsoDate },
) => Promise<StreamActivity>;

const decimal = (value: number, digits: number) => formatNumber(Math.round(value * 10 ** digits) / 10 ** digits);

/** "1 234", "12,5 h", "9,02 ha", "27,1 %", "1 234,50 €"; "—" for a value that could not be computed. */
export function formatFigure(figure: Pick<ActivityFigure, "value" | "format">): string {
  const { value } = figure;
  if (value === null || !Number.isFinite(value)) return "—";
  switch (figure.format) {
    case "count":
      return decimal(value, 0);
    case "hours":
      return `${decimal(value, 1)}\u00a0h`;
    case "hectares":
      return `${decimal(value, 2)}\u00a0ha`;
    case "percent":
      return formatPercent(value);
    case "money":
      return formatCents(Math.round(value));
  }
}

/** "1er janvier 2027", "7 décembre 2026": a calendar day as the report writes it. */
export const reportDay = (iso: IsoDate) => formatDate(`${iso}T12:00:00Z`).replace(/^1 /, "1er ");
