// Public face of the ledger: the only module that writes journal entries and invoices.
export { installChartOfAccounts, listAccounts, createSubAccount } from "./accounts.server";
export { post, reverse, type LineInput, type PostInput } from "./post.server";
export { createFiscalYear, openFiscalYear, listFiscalYears, fiscalYearOf } from "./fiscal-years.server";
export {
  closeFiscalYear,
  closingCheck,
  reopenFiscalYear,
  auditLog,
  type ClosingCheck,
  type UnpaidInvoice,
} from "./closing.server";
export {
  issueInvoice,
  issueCreditNote,
  invoiceOfSource,
  recordInvoicePayment,
  type InvoiceLineInput,
  type IssueInvoiceInput,
  type Buyer,
} from "./invoices.server";
export { personBuyer, professionalPersonBuyer, organisationBuyer, organisationAddress } from "./buyers";
export { sellerOf, type Seller } from "./legal-identity";
export { LedgerError, isLedgerError, type LedgerErrorCode } from "./errors";
export {
  parisDate,
  isIsoDate,
  isoDate,
  firstDayOfYear,
  lastDayOfYear,
  fromSqlDate,
  toSqlDate,
  fiscalYearLabel,
  type IsoDate,
} from "./dates";
export {
  entriesCsv,
  entriesCsvChunks,
  csvFilename,
  fecExport,
  FEC_HEADER,
  FEC_ENCODING,
  CSV_HEADER,
  type FecFile,
  type PeriodQuery,
} from "./exports.server";
export {
  listEntries,
  trialBalance,
  generalLedger,
  getEntry,
  describeSource,
  postManualEntry,
  listFiscalYearsWithCounts,
  currentPeriod,
  type TrialBalanceRow,
  type EntrySource,
  type ManualEntryInput,
} from "./queries.server";
export {
  listPlanLines,
  savePlanLine,
  deletePlanLine,
  addPlanLines,
  exportPlanCsv,
  importPlanCsv,
  type PlanRowError,
} from "./plan.server";
export {
  dashboard,
  summarise,
  spreadPlan,
  monthsBetween,
  type Dashboard,
  type DashboardMonth,
  type Figures,
  type Resources,
} from "./dashboard.server";
export type { ForecastSource, ForecastItem } from "./forecast.server";
export {
  frenchDate,
  getInvoiceForViewer,
  listInvoices,
  listPersonInvoices,
  poleIdentityGaps,
  vatSummary,
  type InvoiceDocument,
} from "./invoice-documents.server";
export { renderInvoicePdf } from "./invoice-pdf.server";
export {
  financialStatements,
  defaultStatementsYear,
  type FinancialStatements,
  type StatementRow,
} from "./statements.server";
export { renderStatementsPdf, statementsPdfName } from "./statements-pdf.server";
export {
  vatReturn,
  vatSettings,
  updateVatSettings,
  parseVatPeriod,
  vatPeriodOf,
  recentVatPeriods,
  vatReturnCsv,
  type VatReturn,
  type VatPeriodRange,
} from "./vat-return.server";
export * from "./bank/index.server";
