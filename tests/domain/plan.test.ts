import Papa from "papaparse";
import { beforeEach, describe, expect, it } from "vitest";
import {
  createFiscalYear,
  deletePlanLine,
  exportPlanCsv,
  importPlanCsv,
  listPlanLines,
  savePlanLine,
} from "~/domain/ledger/index.server";
import { formatEurosPlain, parseEuros } from "~/domain/ledger/plan-schemas";
import { db } from "~/utils/db.server";
import { createPole } from "../factories";
import { resetDatabase } from "../helpers";
import { isoDate } from "~/domain/ledger/dates";
import { cents } from "~/domain/money";

let poleId: string;
let fiscalYearId: string;
let otherYearId: string;

async function year(startDate: string, endDate: string) {
  const created = await createFiscalYear(db, { poleId, startDate: isoDate(startDate), endDate: isoDate(endDate) });
  if (!created.ok) throw new Error(created.message);
  return created.value.id;
}

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
  fiscalYearId = await year("2027-01-01", "2027-12-31");
  otherYearId = await year("2028-01-01", "2028-12-31");
});

const HEADER = "flux;libelle;periode;mois;montant";
const rows = async (id = fiscalYearId) =>
  (await listPlanLines(db, { poleId, fiscalYearId: id })).map((l) => [l.stream, l.label, l.period, l.month, l.amount]);

describe("euro amounts", () => {
  it.each([
    ["1 250,00", 125_000],
    ["1\u202f250,5 €", 125_050],
    ["1250.05", 125_005],
    ["0", 0],
    ["48000", 4_800_000],
  ])("reads %s as %i cents", (text, cents) => expect(parseEuros(text)).toBe(cents));

  it.each(["-10", "12,345", "douze", "", "1,2,3", "1e3"])("refuses %s", (text) => expect(parseEuros(text)).toBeNull());

  it("writes cents back with a decimal comma", () => {
    expect(formatEurosPlain(125_005)).toBe("1250,05");
    expect(formatEurosPlain(7)).toBe("0,07");
    expect(parseEuros(formatEurosPlain(123_456_789))).toBe(123_456_789);
  });
});

describe("plan lines", () => {
  it("creates, edits and deletes a line, refusing a second line with the same target whatever its case", async () => {
    const created = await savePlanLine(db, {
      poleId,
      fiscalYearId,
      stream: "LAND",
      label: "Fermages",
      period: "MONTH",
      month: 3,
      amount: cents(100),
    });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const twin = await savePlanLine(db, {
      poleId,
      fiscalYearId,
      stream: "LAND",
      label: "FERMAGES",
      period: "MONTH",
      month: 3,
      amount: cents(5),
    });
    expect(twin).toMatchObject({ ok: false, code: "TAKEN", field: "label", status: 409 });
    // The same label in another month or year is another target.
    expect(
      (
        await savePlanLine(db, {
          poleId,
          fiscalYearId,
          stream: "LAND",
          label: "Fermages",
          period: "MONTH",
          month: 4,
          amount: cents(5),
        })
      ).ok,
    ).toBe(true);
    expect(
      (
        await savePlanLine(db, {
          poleId,
          fiscalYearId: otherYearId,
          stream: "LAND",
          label: "Fermages",
          period: "MONTH",
          month: 3,
          amount: cents(5),
        })
      ).ok,
    ).toBe(true);

    const edited = await savePlanLine(db, {
      poleId,
      fiscalYearId,
      id: created.value.id,
      stream: "LAND",
      label: "Fermages T1",
      period: "YEAR",
      amount: cents(200),
    });
    expect(edited.ok).toBe(true);
    // Within a stream: yearly lines first, then months in order.
    expect(await rows()).toEqual([
      ["LAND", "Fermages T1", "YEAR", null, 200],
      ["LAND", "Fermages", "MONTH", 4, 5],
    ]);
    expect((await deletePlanLine(db, { poleId, id: created.value.id })).ok).toBe(true);
    expect(await deletePlanLine(db, { poleId, id: created.value.id })).toMatchObject({ ok: false, status: 404 });
  });

  it("does not touch another pole's year or line", async () => {
    const other = await createPole(db);
    expect(
      await savePlanLine(db, {
        poleId: other.id,
        fiscalYearId,
        stream: "LAND",
        label: "x",
        period: "YEAR",
        amount: cents(1),
      }),
    ).toMatchObject({ ok: false, status: 404 });
    const mine = await savePlanLine(db, {
      poleId,
      fiscalYearId,
      stream: "LAND",
      label: "x",
      period: "YEAR",
      amount: cents(1),
    });
    if (!mine.ok) throw new Error(mine.message);
    expect(await deletePlanLine(db, { poleId: other.id, id: mine.value.id })).toMatchObject({ ok: false, status: 404 });
    expect(await rows()).toHaveLength(1);
  });
});

describe("plan CSV", () => {
  it("exports for a French spreadsheet and imports back into another year unchanged", async () => {
    const lines = [
      { stream: "COWORKING", label: "Postes nomades", period: "MONTH", month: 1, amount: 400_050 },
      { stream: "COWORKING", label: "Bureaux fermés; salle", period: "YEAR", amount: 1_200_000 },
      { stream: "SUBSIDY", label: "Région « Occitanie »", period: "YEAR", amount: 12_000_000 },
      { stream: "OTHER", label: "=Tombola", period: "MONTH", month: 12, amount: 7 },
    ] as const;
    for (const line of lines) {
      const saved = await savePlanLine(db, { poleId, fiscalYearId, ...line, amount: cents(line.amount) });
      expect(saved.ok).toBe(true);
    }
    const csv = await exportPlanCsv(db, { poleId, fiscalYearId });
    expect(csv.startsWith("\uFEFFflux;libelle;periode;mois;montant\r\n")).toBe(true);
    expect(csv).toContain("COWORKING;Postes nomades;mensuel;1;4000,50\r\n");
    expect(csv).toContain('COWORKING;"Bureaux fermés; salle";annuel;;12000,00\r\n');
    expect(csv).toContain(`OTHER;"'=Tombola";mensuel;12;0,07`); // a formula-looking label is neutralised
    expect(Papa.parse(csv.slice(1), { delimiter: ";", skipEmptyLines: true }).data).toHaveLength(5);

    const imported = await importPlanCsv(db, { poleId, fiscalYearId: otherYearId, text: csv });
    expect(imported).toEqual({ ok: true, value: { created: 4, updated: 0 } });
    expect(await rows(otherYearId)).toEqual(await rows(fiscalYearId));
    // Again: every row matches a line, so it updates and creates nothing.
    expect(await importPlanCsv(db, { poleId, fiscalYearId: otherYearId, text: csv })).toEqual({
      ok: true,
      value: { created: 0, updated: 4 },
    });
  });

  it("upserts by stream, label (any case) and month, keeping lines the file does not mention", async () => {
    await savePlanLine(db, {
      poleId,
      fiscalYearId,
      stream: "LAND",
      label: "Fermages",
      period: "MONTH",
      month: 3,
      amount: cents(100),
    });
    await savePlanLine(db, {
      poleId,
      fiscalYearId,
      stream: "TRAINING",
      label: "Compostage",
      period: "YEAR",
      amount: cents(100),
    });
    const text = [HEADER, "Terres agricoles;fermages;Mensuel;3;1 250,00", "LAND;Fermages;mensuel;6;10", ""].join("\n");
    expect(await importPlanCsv(db, { poleId, fiscalYearId, text })).toEqual({
      ok: true,
      value: { created: 1, updated: 1 },
    });
    expect(await rows()).toEqual([
      ["LAND", "fermages", "MONTH", 3, 125_000],
      ["LAND", "Fermages", "MONTH", 6, 1_000],
      ["TRAINING", "Compostage", "YEAR", null, 100],
    ]);
  });

  it("reports every bad row with its line number and column, and writes nothing", async () => {
    await savePlanLine(db, {
      poleId,
      fiscalYearId,
      stream: "LAND",
      label: "Fermages",
      period: "YEAR",
      amount: cents(100),
    });
    const text = [
      HEADER,
      "LAND;Fermages;annuel;;999,00", // fine, but must not be written
      "PARKING;Places;mensuel;1;100",
      "COWORKING;Postes;mensuel;13;100",
      "COWORKING;Salles;mensuel;1;-50",
      "COWORKING;Salles bis;mensuel;2;douze euros",
      "TRAINING;;annuel;;100",
      "",
      "TRAINING;Compostage;annuel;4;100",
      "OTHER;Buvette;hebdo;;100",
      "OTHER;Dons;annuel;;100;extra",
      "LAND;fermages;annuel;;5",
    ].join("\r\n");
    const result = await importPlanCsv(db, { poleId, fiscalYearId, text });
    expect(result).toMatchObject({
      ok: false,
      code: "INVALID_ROWS",
      status: 400,
      field: "fichier",
      message: "9 ligne(s) invalide(s) : rien n'a été importé.",
    });
    if (result.ok) return;
    expect(result.rows.map((r) => [r.line, r.field])).toEqual([
      [3, "flux"],
      [4, "mois"],
      [5, "montant"],
      [6, "montant"],
      [7, "libelle"],
      [9, "mois"],
      [10, "periode"],
      [11, null],
      [12, "libelle"],
    ]);
    expect(result.rows[0].message).toBe(
      "Flux inconnu « PARKING » (COWORKING, LAND, TRAINING, CROWDFUNDING, SUBSIDY, OTHER).",
    );
    expect(result.rows[1].message).toBe("Mois invalide « 13 » : un nombre de 1 à 12.");
    expect(result.rows[2].message).toBe(
      "Montant invalide « -50 » : un montant positif en euros, par exemple 1 250,00.",
    );
    expect(result.rows[4].message).toBe("Indiquez un libellé.");
    expect(result.rows[8].message).toBe("Même flux, libellé et période qu'à la ligne 2.");
    expect(await rows()).toEqual([["LAND", "Fermages", "YEAR", null, 100]]);
  });

  it("refuses a cell with a control character, naming its line and column, and imports nothing", async () => {
    const text = [
      HEADER,
      "COWORKING;Loyer\u001b[31m rouge\u0007;annuel;;100,00",
      "LAND;Fermages;annuel;;1\u0000",
      "TRAINING;Compostage;annuel;;100",
    ].join("\r\n");
    const result = await importPlanCsv(db, { poleId, fiscalYearId, text });
    expect(result).toMatchObject({
      ok: false,
      code: "INVALID_ROWS",
      message: "2 ligne(s) invalide(s) : rien n'a été importé.",
    });
    if (result.ok) return;
    expect(result.rows).toEqual([
      {
        line: 2,
        field: "libelle",
        message: "Cette cellule contient des caractères invisibles non autorisés (caractères de contrôle).",
      },
      {
        line: 3,
        field: "montant",
        message: "Cette cellule contient des caractères invisibles non autorisés (caractères de contrôle).",
      },
    ]);
    expect(await rows()).toEqual([]);
  });

  it.each([
    [
      "",
      "La première ligne du fichier doit nommer les colonnes flux;libelle;periode;mois;montant (manquantes : flux, libelle, periode, mois, montant).",
    ],
    [
      "flux,libelle,periode,mois,montant\nLAND,x,annuel,,1",
      "La première ligne du fichier doit nommer les colonnes flux;libelle;periode;mois;montant (manquantes : flux, libelle, periode, mois, montant).",
    ],
    [`${HEADER}\r\n\r\n`, "Le fichier ne contient aucune ligne de plan."],
  ])("refuses a file without its columns or rows (%#)", async (text, message) => {
    expect(await importPlanCsv(db, { poleId, fiscalYearId, text })).toMatchObject({
      ok: false,
      code: "INVALID_FILE",
      message,
      rows: [],
    });
  });

  it("accepts accented headers and a BOM, and refuses another pole's year", async () => {
    const text = "\uFEFFFlux;Libellé;Période;Mois;Montant\nCROWDFUNDING;Campagne serre;annuel;;25 000";
    expect(await importPlanCsv(db, { poleId, fiscalYearId, text })).toEqual({
      ok: true,
      value: { created: 1, updated: 0 },
    });
    const other = await createPole(db);
    expect(await importPlanCsv(db, { poleId: other.id, fiscalYearId, text })).toMatchObject({ ok: false, status: 404 });
    expect(await rows()).toEqual([["CROWDFUNDING", "Campagne serre", "YEAR", null, 2_500_000]]);
  });
});
