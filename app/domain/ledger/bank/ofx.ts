import type { IsoDate } from "../dates";
import { child, childrenOf, descendants, readMarkup, textAt, type MarkupElement } from "./markup";
import {
  cleanText,
  compactToIso,
  finishStatement,
  joinLabel,
  malformed,
  parseBankAmount,
  unsupported,
  type ParseResult,
  type StatementLine,
} from "./statement";

// OFX, the "Open Financial Exchange" file French banks offer as "format Money / OFX": version 1.x is SGML (a
// colon header, then tags whose leaves are not closed), version 2.x is XML. Both carry one <STMTRS> per account
// with <STMTTRN> lines (FITID names a line across downloads) and <LEDGERBAL>, the balance at the end.

/** Whether the text looks like OFX at all: its header (1.x), its processing instruction (2.x) or its root. */
export const looksLikeOfx = (text: string) => /^\s*OFXHEADER\s*:/i.test(text) || /<\?OFX\b|<OFX>/i.test(text);

const truncated = (detail: string) =>
  malformed(
    `Le fichier OFX est incomplet ou mal formé (${detail}) : téléchargez-le à nouveau depuis l'espace de votre banque.`,
  );

/** The amount of OFX: a point, or a comma some French banks write, before the cents. */
const ofxAmount = (text: string | null) =>
  text === null ? null : parseBankAmount(text, text.includes(",") && !text.includes(".") ? "," : ".");

export function parseOfx(text: string): ParseResult {
  const start = text.search(/<OFX>/i);
  if (start === -1) return truncated("la balise <OFX> manque");
  // A truncated download stops before the end of the root: SGML leaves are never closed, the root always is.
  if (!/<\/OFX>\s*$/i.test(text)) return truncated("la fin </OFX> manque");
  const read = readMarkup(text.slice(start), "sgml");
  if (!read.ok) {
    if (read.problem === "unsupported")
      return unsupported(`Ce fichier OFX contient ${read.detail}, non pris en charge.`);
    return truncated(read.detail);
  }
  const statements = descendants(read.root, "STMTRS");
  if (statements.length === 0) {
    if (descendants(read.root, "CCSTMTRS").length) {
      return unsupported("Ce fichier OFX est un relevé de carte bancaire : importez le relevé du compte courant.");
    }
    return malformed("Ce fichier OFX ne contient aucun relevé de compte (<STMTRS>).");
  }
  const accountOf = (s: MarkupElement) => {
    const from = child(s, "BANKACCTFROM");
    return (
      [textAt(from, "BANKID"), textAt(from, "BRANCHID"), textAt(from, "ACCTID")]
        .filter(Boolean)
        .map((p) => cleanText(p, 40))
        .join(" ") || null
    );
  };
  const accounts = new Set(statements.map(accountOf));
  if (accounts.size > 1) {
    return unsupported("Ce fichier OFX contient plusieurs comptes : exportez un relevé par compte.");
  }
  for (const s of statements) {
    const currency = textAt(s, "CURDEF");
    if (currency && currency.toUpperCase() !== "EUR") {
      return unsupported(
        `Ce relevé est en ${cleanText(currency, 8)} : seuls les comptes en euros sont pris en charge.`,
      );
    }
  }

  const lines: StatementLine[] = [];
  let fromDate: IsoDate | null = null;
  let toDate: IsoDate | null = null;
  let closing: { cents: number; asOf: string } | null = null;
  for (const s of statements) {
    const list = child(s, "BANKTRANLIST");
    const start = compactToIso(textAt(list, "DTSTART"));
    const end = compactToIso(textAt(list, "DTEND"));
    if (start && (!fromDate || start < fromDate)) fromDate = start;
    if (end && (!toDate || end > toDate)) toDate = end;
    for (const trn of childrenOf(list, "STMTTRN")) {
      const where = `opération ${lines.length + 1}`;
      const date = compactToIso(textAt(trn, "DTPOSTED"));
      if (!date) return malformed(`Le fichier OFX a une date illisible (${where}, <DTPOSTED>).`);
      const amount = ofxAmount(textAt(trn, "TRNAMT"));
      if (amount === null) return malformed(`Le fichier OFX a un montant illisible (${where}, <TRNAMT>).`);
      lines.push({
        date,
        amount,
        label: joinLabel([textAt(trn, "NAME"), textAt(trn, "MEMO")]) || cleanText(textAt(trn, "TRNTYPE")),
        reference: cleanText(textAt(trn, "CHECKNUM") ?? textAt(trn, "REFNUM"), 80) || null,
        bankRef: cleanText(textAt(trn, "FITID"), 120) || null,
      });
    }
    const balance = child(s, "LEDGERBAL");
    const amount = ofxAmount(textAt(balance, "BALAMT"));
    const asOf = compactToIso(textAt(balance, "DTASOF"));
    if (balance && amount === null) return malformed("Le fichier OFX a un solde illisible (<LEDGERBAL>).");
    if (amount !== null && (!closing || (asOf ?? "") >= closing.asOf)) closing = { cents: amount, asOf: asOf ?? "" };
  }
  // OFX gives the balance at the end only; the opening one follows when the file holds the whole period.
  const total = lines.reduce((sum, l) => sum + l.amount, 0);
  return finishStatement({
    format: "OFX",
    accountId: [...accounts][0],
    fromDate,
    toDate,
    openingCents: closing ? closing.cents - total : null,
    closingCents: closing?.cents ?? null,
    lines,
  });
}
