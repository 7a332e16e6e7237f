import Papa from "papaparse";
import { beforeEach, describe, expect, it } from "vitest";
import {
  CSV_HEADER,
  entriesCsv,
  entriesCsvChunks,
  FEC_ENCODING,
  FEC_HEADER,
  fecExport,
  LedgerError,
  post,
  reverse,
  type PostInput,
} from "~/domain/ledger/index.server";
import { decodeLatin9, encodeLatin9 } from "~/domain/ledger/latin9";
import { STREAM_LABELS } from "~/domain/ledger/streams";
import { db } from "~/utils/db.server";
import { createOrganisation, createPerson, createPole } from "../factories";
import { resetDatabase } from "../helpers";
import { isoDate, type IsoDate } from "~/domain/ledger/dates";
import { cents as toCents } from "~/domain/money";

const SIREN = "912345675";
let poleId: string;
let fiscalYearId: string;
let personId: string;
let organisationId: string;

const entry = ({
  date,
  ...overrides
}: Partial<Omit<PostInput, "date">> & Pick<PostInput, "sourceKey"> & { date: string }): PostInput => ({
  poleId,
  date: isoDate(date),
  journal: "BQ",
  label: "Écriture",
  pieceRef: "P-1",
  lines: [
    { account: "512000", debit: toCents(10_000) },
    { account: "708000", credit: toCents(10_000) },
  ],
  ...overrides,
});

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db, { siren: SIREN })).id;
  personId = (await createPerson(db, { poleId, name: "Élodie Berthelot" })).id;
  organisationId = (await createOrganisation(db, { poleId, name: "Association Région Verte" })).id;

  // Posted out of date order on purpose: numbering follows the order of validation, not the accounting date.
  await post(
    db,
    entry({
      sourceKey: "subsidy:region",
      date: "2027-05-10",
      label: "Subvention Région Occitanie — Évaluation",
      pieceRef: "REG-2027-01",
      lines: [
        { account: "512000", debit: toCents(2_500_000) },
        { account: "740000", credit: toCents(2_500_000) },
      ],
    }),
  );
  await post(
    db,
    entry({
      sourceKey: "invoice:F-2027-0001",
      date: "2027-02-03",
      journal: "VT",
      label: "Facture F-2027-0001 coworking",
      pieceRef: "F-2027-0001",
      pieceDate: isoDate("2027-02-01"),
      lines: [
        { account: "411000", debit: toCents(12_000), thirdPartyPersonId: personId },
        { account: "706100", credit: toCents(10_000), label: "Bureau nomade — février" },
        { account: "445710", credit: toCents(2_000) },
      ],
    }),
  );
  await post(
    db,
    entry({
      sourceKey: "advance:org",
      date: "2027-02-03",
      label: "Acompte de 50 € formation\tcompost\nsession 2",
      pieceRef: "VIR-778",
      lines: [
        { account: "512000", debit: toCents(5_000) },
        { account: "419100", credit: toCents(5_000), thirdPartyOrganisationId: organisationId },
      ],
    }),
  );
  const wrong = await post(
    db,
    entry({ sourceKey: "wrong", date: "2027-03-01", label: "Dépôt erroné", pieceRef: "CHQ-1" }),
  );
  await reverse(db, { poleId, entryId: wrong.entry.id, reason: "Saisie en double", date: isoDate("2027-03-02") });
  await post(
    db,
    entry({ sourceKey: "formula", date: "2027-12-31", label: '=HYPERLINK("x")', pieceRef: "OD-9", journal: "OD" }),
  );
  // Outside the fiscal year, and another pole's books: neither appears.
  await post(db, entry({ sourceKey: "next-year", date: "2028-01-02" }));
  const otherPole = (await createPole(db, { siren: "552100554" })).id;
  await post(db, { ...entry({ sourceKey: "other-pole", date: "2027-06-01" }), poleId: otherPole });

  fiscalYearId = (
    await db.fiscalYear.findFirstOrThrow({ where: { poleId, startDate: new Date("2027-01-01T00:00:00Z") } })
  ).id;
});

// ─── FEC ───────────────────────────────────────────────────────────────────────────────────────────────────

async function exportFec() {
  const result = await fecExport(db, { poleId, fiscalYearId });
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

/** Reads the file back the way the administration's tool would: decode, split records and fields. */
function parseFec(body: Buffer) {
  const text = decodeLatin9(body);
  expect(text.endsWith("\r\n")).toBe(true);
  const records = text.slice(0, -2).split("\r\n");
  const [header, ...lines] = records.map((r) => r.split("\t"));
  return {
    text,
    header,
    lines: lines.map(
      (fields) =>
        Object.fromEntries(FEC_HEADER.map((name, i) => [name, fields[i]])) as Record<
          (typeof FEC_HEADER)[number],
          string
        >,
    ),
    raw: lines,
  };
}

const cents = (amount: string) => {
  const [units, decimals] = amount.split(",");
  return Number(units) * 100 + Number(decimals);
};

const isCompactDate = (value: string) => {
  if (!/^\d{8}$/.test(value)) return false;
  const iso = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  return new Date(`${iso}T00:00:00Z`).toISOString().startsWith(iso);
};

describe("FEC export", () => {
  it("is named <SIREN>FEC<closing date>.txt and encoded in ISO 8859-15", async () => {
    const fec = await exportFec();
    expect(fec.filename).toBe(`${SIREN}FEC20271231.txt`);
    expect(fec.encoding).toBe(FEC_ENCODING);
    expect(FEC_ENCODING).toBe("ISO-8859-15");
    // One byte per accented letter, € at 0xA4 (its ISO 8859-15 code point): this is not UTF-8.
    expect(fec.body.includes(Buffer.from([0x52, 0xe9, 0x67, 0x69, 0x6f, 0x6e]))).toBe(true); // "Région"
    expect(fec.body.includes(Buffer.from([0x35, 0x30, 0x20, 0xa4]))).toBe(true); // "50 €"
    expect(fec.body.includes(Buffer.from("é", "utf8"))).toBe(false);
  });

  it("follows every rule of article A47 A-1 once parsed back", async () => {
    const fec = await exportFec();
    const { header, lines, raw } = parseFec(fec.body);

    // Header: the 18 official names, in order; every record has exactly 18 fields (no tab inside a field).
    expect(header).toEqual([...FEC_HEADER]);
    expect(header).toHaveLength(18);
    for (const fields of raw) expect(fields).toHaveLength(18);

    // One line per entry line of the fiscal year, this pole only.
    const dbLines = await db.entryLine.count({
      where: { poleId, date: { gte: new Date("2027-01-01"), lte: new Date("2027-12-31") } },
    });
    expect(lines).toHaveLength(dbLines);
    expect(fec.lineCount).toBe(dbLines);

    for (const l of lines) {
      expect(["VT", "BQ", "OD"]).toContain(l.JournalCode);
      expect(l.JournalLib).not.toBe("");
      expect(isCompactDate(l.EcritureDate), l.EcritureDate).toBe(true);
      expect(l.EcritureDate >= "20270101" && l.EcritureDate <= "20271231").toBe(true);
      expect(isCompactDate(l.PieceDate), l.PieceDate).toBe(true);
      expect(isCompactDate(l.ValidDate), l.ValidDate).toBe(true);
      expect(l.CompteNum).toMatch(/^\d{6,}$/);
      expect(l.CompteLib).not.toBe("");
      expect(l.PieceRef).not.toBe("");
      expect(l.EcritureLib).not.toBe("");
      // Decimal comma, two decimals, no thousands separator; exactly one side carries the amount.
      expect(l.Debit).toMatch(/^\d+,\d{2}$/);
      expect(l.Credit).toMatch(/^\d+,\d{2}$/);
      expect((cents(l.Debit) === 0) !== (cents(l.Credit) === 0)).toBe(true);
      expect([l.EcritureLet, l.DateLet, l.Montantdevise, l.Idevise]).toEqual(["", "", "", ""]);
      expect(l.EcritureNum).toMatch(/^[1-9]\d*$/);
    }

    // EcritureNum: 1..n without gaps, in file order; an entry's lines are contiguous and share number, journal,
    // date and piece; the validation date is never before the entry's date.
    const numbers = lines.map((l) => Number(l.EcritureNum));
    const distinct = [...new Set(numbers)];
    expect(distinct).toEqual(Array.from({ length: distinct.length }, (_, i) => i + 1));
    for (let i = 1; i < numbers.length; i++) expect(numbers[i] - numbers[i - 1]).toBeGreaterThanOrEqual(0);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i] - numbers[i - 1]).toBeLessThanOrEqual(1);
    for (const l of lines) expect(l.ValidDate >= l.EcritureDate, `${l.ValidDate} < ${l.EcritureDate}`).toBe(true);
    const byEntry = new Map<string, typeof lines>();
    for (const l of lines) byEntry.set(l.EcritureNum, [...(byEntry.get(l.EcritureNum) ?? []), l]);
    for (const group of byEntry.values()) {
      expect(new Set(group.map((l) => `${l.JournalCode}|${l.EcritureDate}|${l.PieceRef}|${l.ValidDate}`)).size).toBe(1);
      // Each entry balances on its own.
      expect(group.reduce((s, l) => s + cents(l.Debit), 0)).toBe(group.reduce((s, l) => s + cents(l.Credit), 0));
    }
    expect(distinct).toHaveLength(
      await db.journalEntry.count({
        where: { poleId, date: { gte: new Date("2027-01-01"), lte: new Date("2027-12-31") } },
      }),
    );
    expect(fec.entryCount).toBe(distinct.length);

    // The May subsidy, validated first, is number 1 although the February invoice is dated before it.
    expect(lines[0]).toMatchObject({ EcritureNum: "1", EcritureDate: "20270510", PieceRef: "REG-2027-01" });
    expect(lines.find((l) => l.PieceRef === "F-2027-0001")).toMatchObject({
      EcritureNum: "2",
      EcritureDate: "20270203",
      PieceDate: "20270201",
      JournalCode: "VT",
      JournalLib: "Ventes",
    });
    expect(lines.find((l) => l.PieceRef === "VIR-778")?.EcritureNum).toBe("3");
    expect(lines.find((l) => l.PieceRef === "OD-9")?.EcritureNum).toBe(String(distinct.length));

    // Accents, € and œ survive; typographic dashes become plain ones; tabs and newlines become spaces.
    expect(lines.find((l) => l.PieceRef === "REG-2027-01")?.EcritureLib).toBe(
      "Subvention Région Occitanie - Évaluation",
    );
    expect(lines.find((l) => l.PieceRef === "VIR-778")?.EcritureLib).toBe(
      "Acompte de 50 € formation compost session 2",
    );
    expect(lines.find((l) => l.CompteNum === "706100")).toMatchObject({
      CompteLib: "Prestations - coworking",
      EcritureLib: "Bureau nomade - février",
    });
    expect(lines.find((l) => l.CompteNum === "758000")).toBeUndefined();

    // Third-party lines on 411/419 carry a stable auxiliary account; other lines leave it empty.
    const customer = lines.find((l) => l.CompteNum === "411000")!;
    expect(customer).toMatchObject({ CompAuxNum: `P${personId}`, CompAuxLib: "Élodie Berthelot" });
    const advance = lines.find((l) => l.CompteNum === "419100")!;
    expect(advance).toMatchObject({ CompAuxNum: `O${organisationId}`, CompAuxLib: "Association Région Verte" });
    for (const l of lines.filter((x) => !x.CompteNum.startsWith("411") && !x.CompteNum.startsWith("419"))) {
      expect([l.CompAuxNum, l.CompAuxLib]).toEqual(["", ""]);
    }

    // The reversal is an entry of its own, opposite to the original.
    const reversed = lines.filter((l) => l.PieceRef === "CHQ-1");
    expect(new Set(reversed.map((l) => l.EcritureNum)).size).toBe(2);
    expect(reversed.find((l) => l.EcritureLib.startsWith("Contrepassation"))).toBeDefined();
  });

  it("balances: Σ debit = Σ credit over the whole file, equal to the books of the year", async () => {
    const { lines } = parseFec((await exportFec()).body);
    const debit = lines.reduce((s, l) => s + cents(l.Debit), 0);
    const credit = lines.reduce((s, l) => s + cents(l.Credit), 0);
    expect(debit).toBe(credit);
    const [books] = await db.$queryRaw<{ debit: bigint; credit: bigint }[]>`
      SELECT sum("debit") AS debit, sum("credit") AS credit FROM "EntryLine"
      WHERE "poleId" = ${poleId} AND "date" BETWEEN '2027-01-01' AND '2027-12-31'`;
    expect(BigInt(debit)).toBe(books.debit);
    expect(BigInt(credit)).toBe(books.credit);
    expect(debit).toBe(2_500_000 + 12_000 + 5_000 + 10_000 * 3);
  });

  it("numbers an empty year's file with the header alone", async () => {
    const year = await db.fiscalYear.create({
      data: { poleId, startDate: new Date("2029-01-01"), endDate: new Date("2029-12-31") },
    });
    const result = await fecExport(db, { poleId, fiscalYearId: year.id });
    if (!result.ok) throw new Error(result.message);
    expect(decodeLatin9(result.value.body)).toBe(`${FEC_HEADER.join("\t")}\r\n`);
    expect(result.value.filename).toBe(`${SIREN}FEC20291231.txt`);
  });

  it("refuses a pole without SIREN with a French message, and a fiscal year of another pole", async () => {
    await db.pole.update({ where: { id: poleId }, data: { siren: null } });
    const noSiren = await fecExport(db, { poleId, fiscalYearId });
    expect(noSiren).toMatchObject({ ok: false, code: "NO_SIREN", status: 409 });
    if (!noSiren.ok) expect(noSiren.message).toMatch(/SIREN.*paramètres/);

    const other = await db.fiscalYear.findFirstOrThrow({ where: { poleId: { not: poleId } } });
    expect(await fecExport(db, { poleId, fiscalYearId: other.id })).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
      status: 404,
    });
    expect(await fecExport(db, { poleId, fiscalYearId: "nope" })).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });
});

describe("ISO 8859-15 codec", () => {
  it("round-trips French text, maps the eight Latin-9 code points and replaces what it cannot hold visibly", () => {
    const french = "Région Évaluation cœur ŒUVRE 12 € Šž Ÿ àâçèéêëîïôùûüÿ «»";
    const bytes = encodeLatin9(french);
    expect(bytes).toHaveLength([...french].length);
    expect(decodeLatin9(bytes)).toBe(french);
    expect([...encodeLatin9("€ŠšŽžŒœŸ")]).toEqual([0xa4, 0xa6, 0xa8, 0xb4, 0xb8, 0xbc, 0xbd, 0xbe]);
    expect(decodeLatin9(encodeLatin9("l’été — 1 000 € … ½ 漢 🌱"))).toBe("l'été - 1 000 € ... 1/2 ? ?");
  });
});

// ─── CSV ───────────────────────────────────────────────────────────────────────────────────────────────────

const toFrenchDate = (d: Date) => d.toISOString().slice(0, 10).split("-").reverse().join("/");
const amount = (c: number) => (c ? `${Math.floor(c / 100)},${String(c % 100).padStart(2, "0")}` : "");

async function expectedCsvRows(from: string, to: string) {
  const rows = await db.entryLine.findMany({
    where: { poleId, date: { gte: new Date(`${from}T00:00:00Z`), lte: new Date(`${to}T00:00:00Z`) } },
    orderBy: [{ date: "asc" }, { id: "asc" }],
    include: { account: true, entry: { include: { reversalOf: true } } },
  });
  const names = new Map([
    [personId, "Élodie Berthelot"],
    [organisationId, "Association Région Verte"],
  ]);
  return rows.map((l) => {
    const label = l.label ?? l.entry.label;
    return [
      toFrenchDate(l.date),
      l.entry.journal,
      l.entry.pieceRef,
      /^[=+\-@]/.test(label) ? `'${label}` : label,
      l.account.code,
      l.account.label,
      amount(l.debit),
      amount(l.credit),
      l.stream ? STREAM_LABELS[l.stream] : "",
      names.get(l.thirdPartyPersonId ?? l.thirdPartyOrganisationId ?? "") ?? "",
      l.entry.sourceKey,
      l.entry.reversalOf?.sourceKey ?? "",
    ];
  });
}

function parseCsv(csv: string) {
  expect(csv.startsWith("\uFEFF")).toBe(true);
  const parsed = Papa.parse<string[]>(csv.slice(1), { delimiter: ";", skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describe("CSV export", () => {
  it("gives, with a BOM and ';', one row per entry line of the period, equal to the database rows", async () => {
    const csv = await entriesCsv(db, { poleId, from: isoDate("2027-01-01"), to: isoDate("2027-12-31") });
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual([...CSV_HEADER]);
    const expected = await expectedCsvRows("2027-01-01", "2027-12-31");
    expect(rows).toEqual(expected);
    expect(rows).toHaveLength(13);

    // Spot checks of what a reader relies on.
    expect(rows[0]).toEqual([
      "03/02/2027",
      "VT",
      "F-2027-0001",
      "Facture F-2027-0001 coworking",
      "411000",
      "Clients",
      "120,00",
      "",
      "",
      "Élodie Berthelot",
      "invoice:F-2027-0001",
      "",
    ]);
    expect(rows.find((r) => r[4] === "740000")?.slice(6, 9)).toEqual(["", "25000,00", "Subventions"]);
    const wrong = await db.journalEntry.findFirstOrThrow({ where: { poleId, sourceKey: "wrong" } });
    expect(rows.filter((r) => r[10] === `reversal:${wrong.id}`).map((r) => r[11])).toEqual(["wrong", "wrong"]);
    // A label typed as a formula stays text in a spreadsheet.
    expect(rows.find((r) => r[2] === "OD-9")?.[3]).toBe('\'=HYPERLINK("x")');
    // The tab and newline inside a label survive quoted, as CSV allows.
    expect(rows.find((r) => r[2] === "VIR-778")?.[3]).toBe("Acompte de 50 € formation\tcompost\nsession 2");
  });

  it("restricts to the period, bounds included", async () => {
    const [, ...rows] = parseCsv(
      await entriesCsv(db, { poleId, from: isoDate("2027-02-03"), to: isoDate("2027-03-01") }),
    );
    expect(rows).toEqual(await expectedCsvRows("2027-02-03", "2027-03-01"));
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(["03/02/2027", "01/03/2027"]));
    const [, ...none] = parseCsv(
      await entriesCsv(db, { poleId, from: isoDate("2026-01-01"), to: isoDate("2026-12-31") }),
    );
    expect(none).toEqual([]);
  });

  it("reads in pages without losing or repeating a line at page boundaries", async () => {
    const whole = await entriesCsv(db, { poleId, from: isoDate("2027-01-01"), to: isoDate("2028-12-31") });
    for (const pageSize of [1, 2, 3, 7]) {
      let paged = "";
      let chunks = 0;
      for await (const chunk of entriesCsvChunks(
        db,
        { poleId, from: isoDate("2027-01-01"), to: isoDate("2028-12-31") },
        pageSize,
      )) {
        paged += chunk;
        chunks += 1;
      }
      expect(paged).toBe(whole);
      expect(chunks).toBeGreaterThan(Math.floor(15 / pageSize));
    }
    expect(parseCsv(whole)).toHaveLength(1 + 15);
  });

  it("refuses a bad period with a typed error", async () => {
    for (const [from, to, field] of [
      ["2027-02-30", "2027-03-01", "from"],
      ["2027-01-01", "demain", "to"],
      ["2027-03-01", "2027-02-01", "to"],
    ] as const) {
      // Unchecked on purpose: the export refuses at run time what an untyped caller could send.
      const period = { poleId, from: from as IsoDate, to: to as IsoDate };
      const error = await entriesCsv(db, period).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LedgerError);
      expect((error as LedgerError).field).toBe(field);
    }
  });
});
