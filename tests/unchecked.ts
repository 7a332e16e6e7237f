import type { LineInput } from "~/domain/ledger/index.server";

// Some tests hand the ledger what an untyped caller could (fractions of a cent, negative amounts), to see it
// refuse them at run time. The types would stop them at compile time; this is the one way past, for tests only.
export type RawLine = Omit<LineInput, "debit" | "credit"> & { debit?: number; credit?: number };
export const uncheckedLines = (lines: readonly RawLine[]) => lines as readonly LineInput[];
