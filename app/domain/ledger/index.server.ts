// Public face of the ledger: the only module that writes journal entries and invoices.
export { installChartOfAccounts, listAccounts, createSubAccount, accountRoot } from "./accounts.server";
export { post, reverse, checkLines, type LineInput, type PostInput } from "./post.server";
export { createFiscalYear, closeFiscalYear, listFiscalYears, fiscalYearOf } from "./fiscal-years.server";
export { issueInvoice, issueCreditNote, invoiceNumber, type InvoiceLineInput, type IssueInvoiceInput, type Buyer } from "./invoices.server";
export { LedgerError, isLedgerError, type LedgerErrorCode } from "./errors";
export { parisDate, isIsoDate, fromSqlDate, toSqlDate, compactDate, type IsoDate } from "./dates";
