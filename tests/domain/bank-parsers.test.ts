import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readCsvDate, inspectCsv, type CsvMapping } from "~/domain/ledger/bank/csv";
import { decodeStatementFile, detectFormat, parseStatement } from "~/domain/ledger/bank/detect";
import { letterAfter } from "~/domain/ledger/bank/letters";
import { readMarkup } from "~/domain/ledger/bank/markup";
import { parseBankAmount, type BankFormat, type ParsedStatement } from "~/domain/ledger/bank/statement";

// Each format on files shaped like the ones French banks deliver (tests/fixtures/bank), and the files that must be
// refused whole: not a statement, cut short, a mapping naming a column the file does not have.

const fixture = (name: string) => readFileSync(new URL(`../fixtures/bank/${name}`, import.meta.url));

function read(bytes: Uint8Array, mapping?: CsvMapping) {
  const text = decodeStatementFile(bytes);
  if (!text.ok) return text;
  const format = detectFormat(text.value);
  if (!format.ok) return format;
  return parseStatement(text.value, format.value, mapping);
}

function statement(bytes: Uint8Array, format: BankFormat, mapping?: CsvMapping): ParsedStatement {
  const text = decodeStatementFile(bytes);
  if (!text.ok) throw new Error(text.message);
  expect(detectFormat(text.value)).toEqual({ ok: true, value: format });
  const parsed = parseStatement(text.value, format, mapping);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

const sum = (s: ParsedStatement) => s.lines.reduce((t, l) => t + l.amount, 0);

describe("OFX", () => {
  it("reads an SGML 1.x file in Windows-1252: account, period, lines with FITID, balances", () => {
    const s = statement(fixture("credit-cooperatif-2026-11.ofx"), "OFX");
    expect(s).toMatchObject({
      accountId: "42559 10000 08012345678",
      fromDate: "2026-11-01",
      toDate: "2026-11-30",
      closingCents: 4_813_750,
      openingCents: 4_700_000,
    });
    expect(s.lines).toHaveLength(5);
    expect(s.lines[0]).toEqual({
      date: "2026-11-05",
      amount: -150_000,
      label: "PRLV SEPA SCI LUZERNIERE — LOYER NOVEMBRE 2026 DOMAINE",
      reference: null,
      bankRef: "8A1C2026110500001",
    });
    // Accents decoded from Windows-1252, a raw "&" kept, a cheque's number as its reference.
    expect(s.lines[2].label).toBe("VIR COMPOST'LAURAGAIS — Réglement facture F-2026-0098");
    expect(s.lines[3]).toMatchObject({ amount: -35_000, reference: "0001234" });
    expect(s.lines[4].label).toContain("ASSOCIATIONS & SCIC");
    expect(s.openingCents! + sum(s)).toBe(s.closingCents);
  });

  it("reads an XML 2.x file: dates with a time zone, entities, a signed amount", () => {
    const s = statement(fixture("bnp-2026-12.ofx"), "OFX");
    expect(s).toMatchObject({ accountId: "30004 00123 00012345678", fromDate: "2026-12-01", toDate: "2026-12-06" });
    expect(s.lines.map((l) => [l.date, l.amount, l.bankRef])).toEqual([
      ["2026-12-02", 96_000, "2026120200017"],
      ["2026-12-04", -90_000, "2026120400021"],
      ["2026-12-05", 6_000, "2026120500003"],
    ]);
    expect(s.lines[1].label).toBe("PRLV SEPA CABINET D&C EXPERTS — HONORAIRES T4");
    expect(s.closingCents).toBe(4_825_750);
  });

  it("refuses a file cut short, wherever it is cut", () => {
    const whole = fixture("credit-cooperatif-2026-11.ofx").toString("latin1");
    for (const at of [0.3, 0.6, 0.95]) {
      const cut = Buffer.from(whole.slice(0, Math.floor(whole.length * at)), "latin1");
      const result = read(cut);
      expect(result).toMatchObject({ ok: false, code: "MALFORMED", status: 422, field: "fichier" });
      expect(!result.ok && result.message).toMatch(/^Le fichier OFX est incomplet ou mal formé/);
    }
  });

  it("refuses an unreadable amount, several accounts and another currency", () => {
    const text = fixture("bnp-2026-12.ofx").toString("utf8");
    expect(read(Buffer.from(text.replace("<TRNAMT>960.00", "<TRNAMT>96O.00")))).toMatchObject({
      ok: false,
      message: "Le fichier OFX a un montant illisible (opération 1, <TRNAMT>).",
    });
    expect(read(Buffer.from(text.replace("<CURDEF>EUR", "<CURDEF>USD")))).toMatchObject({
      ok: false,
      message: "Ce relevé est en USD : seuls les comptes en euros sont pris en charge.",
    });
    const start = text.indexOf("<STMTTRNRS>");
    const end = text.indexOf("</STMTTRNRS>") + "</STMTTRNRS>".length;
    const other = text.slice(start, end).replace("00012345678", "00099999999");
    expect(read(Buffer.from(text.slice(0, end) + other + text.slice(end)))).toMatchObject({
      ok: false,
      message: "Ce fichier OFX contient plusieurs comptes : exportez un relevé par compte.",
    });
  });
});

describe("CAMT.053", () => {
  it("reads version 001.02: balances, booked entries only, batch details, references", () => {
    const s = statement(fixture("banque-postale-camt053-001-02.xml"), "CAMT053");
    expect(s).toMatchObject({
      accountId: "FR7620041010050500013M02606",
      fromDate: "2026-11-01",
      toDate: "2026-11-30",
      openingCents: 4_700_000,
      closingCents: 4_961_950,
      ignored: 1,
    });
    expect(s.lines.map((l) => [l.date, l.amount, l.bankRef, l.reference])).toEqual([
      ["2026-11-05", -150_000, "LBP2026110512AB01", "LOYER-2026-11"],
      ["2026-11-10", 300_000, "LBP2026111007CD02", "F-2026-0101"],
      ["2026-11-16", 120_000, "LBP2026111601EF03", "0003"],
      ["2026-11-28", -8_050, "LBP2026112809GH05", "0005"],
    ]);
    expect(s.lines[1].label).toBe(
      "REMISE VIREMENTS SEPA RECUS — MARAICHERS ASSOCIES DU CANAL — COUVEUSE AGRICOLE DU LAURAGAIS — FERMAGE T4 2026",
    );
    expect(s.lines[3].label).toBe("COMMISSION D'INTERVENTION & FRAIS");
    expect(s.openingCents! + sum(s)).toBe(s.closingCents);
  });

  it("reads version 001.08 with a namespace prefix, a debit opening balance and Pty names", () => {
    const s = statement(fixture("credit-agricole-camt053-001-08.xml"), "CAMT053");
    expect(s).toMatchObject({
      accountId: "FR7613106005002000123456789",
      fromDate: "2026-12-01",
      toDate: "2026-12-01",
      openingCents: -25_000,
      closingCents: 115_000,
    });
    expect(s.lines.map((l) => [l.amount, l.label, l.bankRef])).toEqual([
      [150_000, "REGION OCCITANIE — SUBVENTION FONCTIONNEMENT 2026 SOLDE", "CA2026120100000451"],
      [-10_000, "ATELIER BOIS ET PAILLE — RETOUR VIREMENT RECU A TORT", "RVSL-0001"],
    ]);
  });

  it("refuses truncated XML, a DOCTYPE, another ISO 20022 message and a foreign currency", () => {
    const text = fixture("banque-postale-camt053-001-02.xml").toString("utf8");
    for (const at of [0.25, 0.5, 0.99]) {
      const result = read(Buffer.from(text.slice(0, Math.floor(text.length * at))));
      expect(result).toMatchObject({ ok: false, code: "MALFORMED", status: 422 });
      expect(!result.ok && result.message).toMatch(/^Le fichier CAMT\.053 est incomplet ou mal formé/);
    }
    expect(read(Buffer.from(text.replace("</Ntry>", "</Nt>")))).toMatchObject({ ok: false, code: "MALFORMED" });
    expect(
      read(Buffer.from(text.replace("<Document", '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document'))),
    ).toMatchObject({ ok: false, code: "UNSUPPORTED" });
    expect(
      read(Buffer.from(text.replaceAll("camt.053", "camt.054").replaceAll("BkToCstmrStmt", "BkToCstmrDbtCdtNtfctn"))),
    ).toMatchObject({ ok: false, code: "UNSUPPORTED", message: expect.stringContaining("CAMT.053") });
    expect(read(Buffer.from(text.replace('<Amt Ccy="EUR">1200.00', '<Amt Ccy="CHF">1200.00')))).toMatchObject({
      ok: false,
      message: "Le relevé contient une opération dans une autre devise que l'euro (écriture 3).",
    });
  });
});

describe("CSV", () => {
  const sg: CsvMapping = {
    date: "Date opération",
    dateFormat: "JJ/MM/AAAA",
    amountMode: "split",
    debit: "Débit",
    credit: "Crédit",
    label: "Libellé",
    decimal: ",",
  };

  it("finds the header under the bank's preamble and guesses the mapping", () => {
    const text = decodeStatementFile(fixture("societe-generale-2026-11.csv"));
    expect(text.ok).toBe(true);
    const inspection = inspectCsv(text.ok ? text.value : "");
    expect(inspection).toMatchObject({
      ok: true,
      value: {
        columns: ["Date opération", "Date valeur", "Libellé", "Débit", "Crédit"],
        rowCount: 5,
        guess: { ...sg, reference: undefined },
      },
    });
  });

  it("reads debit and credit columns with French amounts, keeping two identical fees", () => {
    const s = statement(fixture("societe-generale-2026-11.csv"), "CSV", sg);
    expect(s.lines.map((l) => [l.date, l.amount])).toEqual([
      ["2026-11-05", -150_000],
      ["2026-11-10", 180_000],
      ["2026-11-15", 120_000],
      ["2026-11-28", -1_250],
      ["2026-11-28", -1_250],
    ]);
    expect(s).toMatchObject({ fromDate: "2026-11-05", toDate: "2026-11-28", openingCents: null, accountId: null });
    expect(s.lines[2].label).toBe("VIR COMPOST'LAURAGAIS Réglement F-2026-0098");
  });

  it("reads one signed amount column with a point, ISO dates and a reference", () => {
    const s = statement(fixture("qonto-2026-12.csv"), "CSV", {
      date: "date",
      dateFormat: "AAAA-MM-JJ",
      amountMode: "single",
      amount: "amount",
      label: "description",
      reference: "reference",
      decimal: ".",
    });
    expect(s.lines).toEqual([
      {
        date: "2026-12-01",
        amount: 150_000,
        label: "Virement Région Occitanie, subvention",
        reference: "REGION-OCC-2026-778",
        bankRef: null,
      },
      { date: "2026-12-02", amount: -8_640, label: "Carte 01/12 LEROY MERLIN LABEGE", reference: null, bankRef: null },
      { date: "2026-12-03", amount: 24_000, label: "Remise chèques n° 4521", reference: "RC4521", bankRef: null },
    ]);
  });

  it("refuses a mapping naming a column the file does not have, on that field", () => {
    expect(read(fixture("societe-generale-2026-11.csv"), { ...sg, credit: "Montant crédit" })).toEqual({
      ok: false,
      code: "MALFORMED",
      field: "mapping.credit",
      status: 422,
      message:
        "La colonne « Montant crédit » n'existe pas dans ce fichier (colonnes : Date opération, Date valeur, Libellé, Débit, Crédit).",
    });
  });

  it("refuses the whole file when a row cannot be read, naming the rows", () => {
    const result = read(fixture("societe-generale-2026-11.csv"), { ...sg, dateFormat: "AAAA-MM-JJ" });
    expect(result).toMatchObject({ ok: false, code: "MALFORMED", field: "fichier" });
    expect(!result.ok && result.message).toMatch(
      /^5 ligne\(s\) illisible\(s\), rien n'a été importé : ligne 5 : date « 05\/11\/2026 » illisible au format AAAA-MM-JJ ; .* et 2 autre\(s\)/,
    );
  });
});

describe("what is not a statement", () => {
  it.each([
    ["a PNG image", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48])],
    ["a PDF", Buffer.from("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")],
    ["a letter", Buffer.from("Bonjour,\nVeuillez trouver ci-joint notre relevé.\nCordialement")],
    ["an HTML page", Buffer.from("<!doctype html><html><body>Relevé</body></html>")],
    ["some other XML", Buffer.from('<?xml version="1.0"?><facture><total>12</total></facture>')],
    ["an empty file", Buffer.from("   \n")],
  ])("refuses %s with a French 422", (_what, bytes) => {
    expect(read(bytes)).toEqual({
      ok: false,
      code: "NOT_A_STATEMENT",
      field: "fichier",
      status: 422,
      message:
        "Ce fichier n'est pas un relevé bancaire reconnu : importez un relevé OFX, CAMT.053 (XML) ou CSV exporté de votre banque.",
    });
  });
});

describe("reading pieces", () => {
  it("reads amounts as banks write them, in exact cents", () => {
    expect(parseBankAmount("-1234.56")).toBe(-123_456);
    expect(parseBankAmount("1 234,56", ",")).toBe(123_456);
    expect(parseBankAmount("1.234,56", ",")).toBe(123_456);
    expect(parseBankAmount("1,234.56", ".")).toBe(123_456);
    expect(parseBankAmount("(12,50)", ",")).toBe(-1_250);
    expect(parseBankAmount("12,50-", ",")).toBe(-1_250);
    expect(parseBankAmount("-,5", ",")).toBe(-50);
    expect(parseBankAmount("0.10000")).toBe(10);
    expect(parseBankAmount("0.105")).toBeNull();
    expect(parseBankAmount("12.34.56")).toBeNull();
    expect(parseBankAmount("1,23,4", ",")).toBeNull();
    expect(parseBankAmount("abc")).toBeNull();
  });

  it("reads dates in each CSV format and refuses impossible days", () => {
    expect(readCsvDate("05/11/2026", "JJ/MM/AAAA")).toBe("2026-11-05");
    expect(readCsvDate("5/1/26", "JJ/MM/AA")).toBe("2026-01-05");
    expect(readCsvDate("2026-11-05T10:00:00", "AAAA-MM-JJ")).toBe("2026-11-05");
    expect(readCsvDate("11/05/2026", "MM/JJ/AAAA")).toBe("2026-11-05");
    expect(readCsvDate("20261105", "AAAAMMJJ")).toBe("2026-11-05");
    expect(readCsvDate("31/02/2026", "JJ/MM/AAAA")).toBeNull();
    expect(readCsvDate("2026-11-05", "JJ/MM/AAAA")).toBeNull();
  });

  it("reads XML strictly and OFX SGML leniently", () => {
    expect(readMarkup("<a><b>1</b></a>", "xml")).toMatchObject({ ok: true });
    expect(readMarkup("<a><b>1</a>", "xml")).toMatchObject({ ok: false, problem: "malformed" });
    expect(readMarkup("<a><b>1</b>", "xml")).toMatchObject({ ok: false, problem: "truncated" });
    expect(readMarkup("<a>x &nbsp; y</a>", "xml")).toMatchObject({ ok: false, problem: "malformed" });
    const sgml = readMarkup("<A><B>1<C>two &amp; three<D></D></A>", "sgml");
    expect(sgml.ok && sgml.root.children.map((c) => [c.name, c.text])).toEqual([
      ["B", "1"],
      ["C", "two & three"],
      ["D", ""],
    ]);
  });

  it("gives letters AA, AB … ZZ, then AAA", () => {
    expect(letterAfter(null)).toBe("AA");
    expect(letterAfter("AA")).toBe("AB");
    expect(letterAfter("AZ")).toBe("BA");
    expect(letterAfter("ZZ")).toBe("AAA");
    expect(letterAfter("AZZ")).toBe("BAA");
  });
});
