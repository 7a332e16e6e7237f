// Bank reconciliation: statements imported from the bank's files (OFX, CAMT.053, CSV), their lines matched by hand
// to the books' lines on 512000 (lettrage), what is left unmatched, and the demo bank's statement.
export {
  importStatement,
  describeImport,
  lineFingerprints,
  sha256,
  type ImportInput,
  type ImportOutcome,
  type CsvInspection,
} from "./import.server";
export {
  BANK_ACCOUNT_CODE,
  MAX_LINES_PER_MATCH,
  PICK_WINDOW_DAYS,
  SUGGESTION_WINDOW_DAYS,
  confirmMatch,
  unmatchBankLine,
  suggestMatches,
  pickableLines,
  matchExactSuggestions,
  labelSimilarity,
  type CandidateLine,
  type Suggestion,
  type MatchInput,
  type UnmatchInput,
} from "./match.server";
export {
  booksBankBalance,
  unreconciledBankLines,
  listStatements,
  listUnmatchedBankLines,
  listUnmatchedEntryLines,
  listMatchedBankLines,
  reconciliationCounts,
  type UnmatchedBankLine,
} from "./queries.server";
export {
  demoBankStatement,
  isDemoPole,
  DEMO_POLE_SLUG,
  DEMO_FEE,
  DEMO_IBAN,
  type DemoStatement,
} from "./demo-statement.server";
