import type { IsoDate } from "../dates";
import { child, childrenOf, descendants, readMarkup, textAt, type MarkupElement } from "./markup";
import {
  cleanText,
  finishStatement,
  isoPrefix,
  joinLabel,
  malformed,
  parseBankAmount,
  unsupported,
  type ParseResult,
  type StatementLine,
} from "./statement";

// CAMT.053, the ISO 20022 end-of-day statement (BankToCustomerStatement) every SEPA bank delivers as XML. One
// <Stmt> per account and day or period, its balances (<Bal>: OPBD or PRCD opening, CLBD closing) and its entries
// (<Ntry>): amount, CRDT/DBIT, booking date, the bank's reference (AcctSvcrRef) and the transaction details
// (counterparty, remittance information). Versions 001.02 to 001.13 share these elements.

/** Whether the text is ISO 20022 cash-management XML, and which message. */
export function camtKind(text: string): "camt.053" | "other" | null {
  const head = text.slice(0, 4096);
  if (/camt\.053\.|<(\w+:)?BkToCstmrStmt\b/.test(text.slice(0, 65536))) return "camt.053";
  if (/urn:iso:std:iso:20022:tech:xsd:camt\.\d{3}|<(\w+:)?BkToCstmr(AcctRpt|DbtCdtNtfctn)\b/.test(head)) return "other";
  return null;
}

const broken = (detail: string) =>
  malformed(
    `Le fichier CAMT.053 est incomplet ou mal formé (${detail}) : téléchargez-le à nouveau depuis l'espace de votre banque.`,
  );

const isEuro = (amount: MarkupElement | undefined) => !amount?.attributes.Ccy || amount.attributes.Ccy === "EUR";

/** An amount with its direction: "120.00" and CRDT → 12000, DBIT → -12000. */
function signedAmount(parent: MarkupElement | undefined): number | "bad" {
  const amount = parseBankAmount(textAt(parent, "Amt") ?? "", ".");
  const direction = textAt(parent, "CdtDbtInd");
  if (amount === null || amount < 0 || (direction !== "CRDT" && direction !== "DBIT")) return "bad";
  return direction === "DBIT" ? -amount : amount;
}

const dayOf = (element: MarkupElement | undefined): IsoDate | null =>
  isoPrefix(textAt(element, "Dt") ?? textAt(element, "DtTm"));

/** A party's name in the versions before 2019 (Dbtr/Nm) and after (Dbtr/Pty/Nm). */
const partyName = (parties: MarkupElement | undefined, role: "Dbtr" | "Cdtr") =>
  textAt(parties, `${role}/Nm`) ?? textAt(parties, `${role}/Pty/Nm`);

export function parseCamt053(text: string): ParseResult {
  const read = readMarkup(text, "xml");
  if (!read.ok) {
    if (read.problem === "unsupported")
      return unsupported(`Ce fichier XML contient ${read.detail}, non pris en charge.`);
    return broken(read.detail);
  }
  const report = child(read.root, "BkToCstmrStmt");
  if (read.root.name !== "Document" || !report) {
    return malformed("Ce fichier XML n'est pas un relevé CAMT.053 (élément <BkToCstmrStmt> absent).");
  }
  const statements = childrenOf(report, "Stmt");
  if (statements.length === 0) return malformed("Ce relevé CAMT.053 ne contient aucun relevé de compte (<Stmt>).");

  const accountOf = (s: MarkupElement) =>
    cleanText(textAt(s, "Acct/Id/IBAN") ?? textAt(s, "Acct/Id/Othr/Id"), 40).replace(/\s/g, "") || null;
  const accounts = new Set(statements.map(accountOf));
  if (accounts.size > 1) {
    return unsupported("Ce fichier CAMT.053 contient plusieurs comptes : exportez un relevé par compte.");
  }
  const currency = statements.map((s) => textAt(s, "Acct/Ccy")).find((c) => c && c !== "EUR");
  if (currency) {
    return unsupported(`Ce relevé est en ${cleanText(currency, 8)} : seuls les comptes en euros sont pris en charge.`);
  }

  const lines: StatementLine[] = [];
  let ignored = 0;
  let fromDate: IsoDate | null = null;
  let toDate: IsoDate | null = null;
  let opening: { cents: number; day: string } | null = null;
  let closing: { cents: number; day: string } | null = null;
  for (const s of statements) {
    const from = isoPrefix(textAt(s, "FrToDt/FrDtTm"));
    const to = isoPrefix(textAt(s, "FrToDt/ToDtTm"));
    if (from && (!fromDate || from < fromDate)) fromDate = from;
    if (to && (!toDate || to > toDate)) toDate = to;

    for (const bal of childrenOf(s, "Bal")) {
      const code = textAt(bal, "Tp/CdOrPrtry/Cd");
      if (code !== "OPBD" && code !== "PRCD" && code !== "CLBD") continue;
      if (!isEuro(child(bal, "Amt"))) return unsupported("Ce relevé a un solde dans une autre devise que l'euro.");
      const cents = signedAmount(bal);
      if (cents === "bad") return broken(`un solde ${code} illisible`);
      const day = dayOf(child(bal, "Dt")) ?? "";
      // The earliest opening and the latest closing when a file holds several days.
      if (code !== "CLBD" && (!opening || day < opening.day)) opening = { cents, day };
      if (code === "CLBD" && (!closing || day >= closing.day)) closing = { cents, day };
    }

    for (const entry of childrenOf(s, "Ntry")) {
      const where = `écriture ${lines.length + ignored + 1}`;
      const status = textAt(entry, "Sts/Cd") ?? textAt(entry, "Sts");
      // Only booked entries are on the statement; pending and information-only ones may still change.
      if (status && status !== "BOOK") {
        ignored += 1;
        continue;
      }
      if (!isEuro(child(entry, "Amt"))) {
        return unsupported(`Le relevé contient une opération dans une autre devise que l'euro (${where}).`);
      }
      const amount = signedAmount(entry);
      if (amount === "bad") return broken(`un montant ou un sens illisible, ${where}`);
      const date = dayOf(child(entry, "BookgDt")) ?? dayOf(child(entry, "ValDt"));
      if (!date) return broken(`une date de comptabilisation illisible, ${where}`);
      const details = descendants(entry, "TxDtls");
      const counterparties = details.map((d) => partyName(child(d, "RltdPties"), amount > 0 ? "Dbtr" : "Cdtr"));
      const remittance = details.flatMap((d) => childrenOf(child(d, "RmtInf"), "Ustrd").map((u) => u.text));
      const endToEnd = details.map((d) => textAt(d, "Refs/EndToEndId")).find((r) => r && r !== "NOTPROVIDED");
      lines.push({
        date,
        amount,
        label: joinLabel([
          textAt(entry, "AddtlNtryInf"),
          ...counterparties,
          ...remittance,
          ...details.map((d) => textAt(d, "AddtlTxInf")),
        ]),
        reference: cleanText(endToEnd ?? textAt(entry, "NtryRef"), 80) || null,
        bankRef: cleanText(textAt(entry, "AcctSvcrRef") ?? textAt(entry, "NtryRef"), 120) || null,
      });
    }
  }
  return finishStatement({
    format: "CAMT053",
    accountId: [...accounts][0],
    // Without a period, the lines give it; a statement without lines, its balances' days.
    fromDate: fromDate ?? (lines.length ? null : isoPrefix(opening?.day)),
    toDate: toDate ?? (lines.length ? null : isoPrefix(closing?.day)),
    openingCents: opening?.cents ?? null,
    closingCents: closing?.cents ?? null,
    lines,
    ignored,
  });
}
