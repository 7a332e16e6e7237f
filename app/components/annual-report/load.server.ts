import type { IsoDate } from "~/domain/ledger/index.server";
import { annualReport, renderAnnualReportPdf, reportYear } from "~/domain/reporting/index.server";
import { STREAM_ACTIVITIES } from "~/domain/streams.server";
import type { Client } from "~/utils/db.server";
import { httpError } from "~/utils/http.server";
import { pdfResponse } from "~/utils/pdf.server";
import { text, z } from "~/utils/validation";

// What the annual report's page and PDF read for a query string (?exercice=<id>), for staff and for members alike.
// Unlike the dashboard's picker, a year that does not exist is an error (404), not a fallback: the report is a
// document one cites, and a link to another year's must not quietly show this one's (decision 025).

const ReportQuery = z.object({
  exercice: text("Exercice illisible.").trim().max(64, "Exercice illisible : choisissez-le dans la liste.").optional(),
});

export async function loadAnnualReport(tx: Client, input: { poleId: string; url: URL; today: IsoDate }) {
  const parsed = ReportQuery.safeParse({ exercice: input.url.searchParams.get("exercice") || undefined });
  if (!parsed.success) httpError(400, parsed.error.issues[0]?.message ?? "Exercice illisible.");
  const choice = await reportYear(tx, { poleId: input.poleId, requested: parsed.data.exercice, today: input.today });
  if (!choice.ok) httpError(choice.status, choice.message);
  const { years, selectedId } = choice.value;
  if (!selectedId) return { years, report: null };
  const report = await annualReport(tx, {
    poleId: input.poleId,
    fiscalYearId: selectedId,
    today: input.today,
    sources: STREAM_ACTIVITIES,
  });
  if (!report.ok) httpError(report.status, report.message);
  return { years, report: report.value };
}

export type AnnualReportView = Awaited<ReturnType<typeof loadAnnualReport>>;

/** The report of the year asked for as a PDF download; 404 in French while the pole has no fiscal year. */
export async function annualReportPdf(tx: Client, input: { poleId: string; url: URL; today: IsoDate }) {
  const { report } = await loadAnnualReport(tx, input);
  if (!report) return httpError(404, "Aucun exercice n'est encore ouvert : il n'y a pas de rapport annuel.");
  const { startDate, endDate } = report.fiscalYear;
  const years =
    startDate.slice(0, 4) === endDate.slice(0, 4)
      ? startDate.slice(0, 4)
      : `${startDate.slice(0, 4)}-${endDate.slice(0, 4)}`;
  return pdfResponse(await renderAnnualReportPdf(report), `rapport-annuel-${years}`);
}
