// Public face of reporting: the annual report for the general assembly and the funders (decision 025).
export {
  annualReport,
  reportYear,
  resultSummary,
  type ActivitySource,
  type AnnualReport,
  type ResultSummary,
  type StreamRevenue,
  type YearResources,
} from "./annual-report.server";
export { renderAnnualReportPdf } from "./annual-report-pdf.server";
export {
  formatFigure,
  reportDay,
  type ActivityFigure,
  type AnnualActivity,
  type FigureFormat,
  type StreamActivity,
} from "./activity";
