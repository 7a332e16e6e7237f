import { ok } from "../../result";
import { camtKind, parseCamt053 } from "./camt";
import { parseCsvStatement, readCsvTable, type CsvMapping } from "./csv";
import { looksLikeOfx, parseOfx } from "./ofx";
import { notAStatement, unsupported, type BankFormat, type ParseResult } from "./statement";

// A bank file is told by its content, never by its name: OFX by its header or root, CAMT.053 by its ISO 20022
// namespace or root, and anything else that reads as a table is a CSV.

/**
 * The file's text: UTF-8 (with or without its BOM), else UTF-16 by its BOM, else Windows-1252 — what French banks
 * write OFX and CSV in. A file with control characters (a PDF, an image, a spreadsheet) is no statement.
 */
export function decodeStatementFile(bytes: Uint8Array): ParseResult<string> {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder("utf-16le").decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder("utf-16be").decode(bytes.subarray(2));
  else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      text = new TextDecoder("windows-1252").decode(bytes);
    }
  }
  text = text.replace(/^\uFEFF/, "");
  // eslint-disable-next-line no-control-regex -- control characters are what tells a binary file
  if (text.trim() === "" || /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return notAStatement();
  return ok(text);
}

export function detectFormat(text: string): ParseResult<BankFormat> {
  if (looksLikeOfx(text)) return ok("OFX");
  const camt = camtKind(text);
  if (camt === "camt.053") return ok("CAMT053");
  if (camt === "other") {
    return unsupported(
      "Ce fichier ISO 20022 n'est pas un relevé de fin de journée : exportez le relevé au format CAMT.053 (et non CAMT.052 ou CAMT.054).",
    );
  }
  if (/^\s*</.test(text)) return notAStatement();
  return readCsvTable(text) ? ok("CSV") : notAStatement();
}

/** Reads a statement of a known format; a CSV needs its mapping. */
export function parseStatement(text: string, format: BankFormat, mapping?: CsvMapping): ParseResult {
  if (format === "OFX") return parseOfx(text);
  if (format === "CAMT053") return parseCamt053(text);
  if (!mapping) throw new Error("a CSV statement is read with its column mapping");
  return parseCsvStatement(text, mapping);
}
