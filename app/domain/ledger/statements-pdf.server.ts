import { formatAmount } from "~/utils/format";
import {
  ACCENT,
  contentWidth,
  INK,
  legalLine,
  MARGIN,
  MUTED,
  pdf,
  renderA4Pdf,
  room,
  RULE,
  SHADE,
  type Doc,
  type PdfOptions,
} from "~/utils/pdf.server";
import { parisDate } from "./dates";
import { frenchDate } from "./invoice-documents.server";
import type { FinancialStatements, StatementRow, YearInfo } from "./statements.server";

// The annual statements as a PDF (A4, the invoices' fonts and footer): the compte de résultat, then the bilan's
// actif and passif, with the previous year beside this one. A year not closed yet is marked "provisoire".

export type StatementsIssuer = {
  name: string;
  legalName: string;
  legalForm: string;
  siren: string | null;
  address: string;
};

type Column = { title: string; width: number; value: (row: StatementRow) => number | null | undefined };

const CELL_PAD = 4;
const ROW_HEIGHT = 12.5;

const yearTitle = (y: YearInfo) => `du ${frenchDate(y.startDate)} au ${frenchDate(y.endDate)}`;
const shortYear = (y: YearInfo) =>
  y.startDate.slice(0, 4) === y.endDate.slice(0, 4)
    ? y.endDate.slice(0, 4)
    : `${y.startDate.slice(0, 4)}-${y.endDate.slice(2, 4)}`;

export const statementsPdfName = (s: FinancialStatements) =>
  `etats-financiers-${shortYear(s.year)}${s.year.closed ? "" : "-provisoires"}`;

export function renderStatementsPdf(
  s: FinancialStatements,
  issuer: StatementsIssuer,
  issued: Date,
  options: PdfOptions = {},
): Promise<Buffer<ArrayBuffer>> {
  const title = `États financiers — exercice ${shortYear(s.year)}${s.year.closed ? "" : " (provisoires)"}`;
  return renderA4Pdf(
    {
      title,
      author: issuer.legalName,
      issued,
      footer: { legal: legalLine(issuer), label: title },
      draw: (doc) => draw(doc, s, issuer, issued),
    },
    options,
  );
}

function draw(doc: Doc, s: FinancialStatements, issuer: StatementsIssuer, issued: Date) {
  const top = header(doc, s, issuer, issued);
  const n = `Exercice ${shortYear(s.year)}`;
  const prev = s.previous ? `Exercice ${shortYear(s.previous)}` : null;
  const twoColumns = (width: number): Column[] => [
    { title: n, width, value: (r) => r.n },
    ...(prev ? [{ title: prev, width, value: (r: StatementRow) => r.prev }] : []),
  ];

  table(doc, sectionTitle(doc, top, "Compte de résultat"), s.income, twoColumns(85));

  doc.addPage();
  let y = sectionTitle(doc, MARGIN, "Bilan — actif");
  y = table(doc, y, s.assets, [
    { title: "Brut", width: 70, value: (r) => r.gross },
    { title: "Amort. et dépréc.", width: 70, value: (r) => r.depreciation },
    { title: `Net ${shortYear(s.year)}`, width: 70, value: (r) => r.n },
    ...(s.previous ? [{ title: `Net ${shortYear(s.previous)}`, width: 70, value: (r: StatementRow) => r.prev }] : []),
  ]);
  y = sectionTitle(doc, y + 16, "Bilan — passif", 120);
  y = table(doc, y, s.liabilities, twoColumns(85));
  const balanced = s.totals.assets === s.totals.liabilities;
  doc
    .fillColor(balanced ? MUTED : "#a3261b")
    .font("Helvetica")
    .fontSize(9)
    .text(
      pdf(
        balanced
          ? `Total de l'actif = total du passif = ${formatAmount(s.totals.assets)} €.`
          : `Attention : l'actif (${formatAmount(s.totals.assets)} €) et le passif (${formatAmount(s.totals.liabilities)} €) diffèrent.`,
      ),
      MARGIN,
      room(doc, y + 10, 14),
      { width: contentWidth },
    );
}

function header(doc: Doc, s: FinancialStatements, issuer: StatementsIssuer, issued: Date) {
  doc
    .fillColor(ACCENT)
    .font("Helvetica-Bold")
    .fontSize(14)
    .text(pdf(issuer.legalName), MARGIN, MARGIN, { width: contentWidth });
  doc
    .fillColor(MUTED)
    .font("Helvetica")
    .fontSize(9)
    .text(
      pdf(
        [
          [issuer.name, issuer.legalForm, issuer.siren ? `SIREN ${issuer.siren}` : null].filter(Boolean).join(" — "),
          issuer.address,
        ].join("\n"),
      ),
      { width: contentWidth },
    );
  doc
    .moveDown(0.6)
    .fillColor(INK)
    .font("Helvetica-Bold")
    .fontSize(16)
    .text("États financiers", { width: contentWidth });
  doc
    .font("Helvetica")
    .fontSize(11)
    .text(pdf(`Exercice ${yearTitle(s.year)}`), { width: contentWidth });
  if (s.previous)
    doc
      .fillColor(MUTED)
      .fontSize(9)
      .text(pdf(`Exercice précédent ${yearTitle(s.previous)}. Montants en euros.`), { width: contentWidth });
  else doc.fillColor(MUTED).fontSize(9).text("Premier exercice. Montants en euros.", { width: contentWidth });
  let y = doc.y + 10;
  if (!s.year.closed) {
    const text = pdf(
      `PROVISOIRE — l'exercice n'est pas clôturé : ces comptes peuvent encore changer (édités le ${frenchDate(parisDate(issued))}).`,
    );
    doc.font("Helvetica-Bold").fontSize(9.5);
    const height = doc.heightOfString(text, { width: contentWidth - 20 }) + 10;
    doc.rect(MARGIN, y, contentWidth, height).lineWidth(1.2).strokeColor("#a3261b").stroke();
    doc.fillColor("#a3261b").text(text, MARGIN + 10, y + 5, { width: contentWidth - 20 });
    y += height + 4;
  }
  return y;
}

function sectionTitle(doc: Doc, y: number, text: string, keep = 60) {
  y = room(doc, y + 6, 26 + keep);
  doc.fillColor(ACCENT).font("Helvetica-Bold").fontSize(13).text(pdf(text), MARGIN, y, { width: contentWidth });
  const below = doc.y + 3;
  doc
    .moveTo(MARGIN, below)
    .lineTo(MARGIN + contentWidth, below)
    .lineWidth(0.8)
    .strokeColor(ACCENT)
    .stroke();
  return below + 6;
}

function table(doc: Doc, y: number, rows: StatementRow[], columns: Column[]) {
  const labelWidth = contentWidth - columns.reduce((s, c) => s + c.width, 0);
  const head = (at: number) => {
    doc.font("Helvetica-Bold").fontSize(8.5);
    const height =
      Math.max(...columns.map((c) => doc.heightOfString(pdf(c.title), { width: c.width - 2 * CELL_PAD }))) + 8;
    doc.rect(MARGIN, at, contentWidth, height).fillColor(SHADE).fill();
    doc.fillColor(INK);
    let x = MARGIN + labelWidth;
    for (const c of columns) {
      doc.text(pdf(c.title), x + CELL_PAD, at + 4, { width: c.width - 2 * CELL_PAD, align: "right" });
      x += c.width;
    }
    return at + height;
  };
  y = head(y);
  for (const row of rows) {
    const strong = row.kind !== "line";
    doc.font(strong ? "Helvetica-Bold" : "Helvetica").fontSize(row.kind === "heading" ? 9 : 8.5);
    const indent = row.kind === "line" ? 8 : 0;
    const labelBox = { width: labelWidth - 2 * CELL_PAD - indent };
    const height = Math.max(ROW_HEIGHT, doc.heightOfString(pdf(row.label), labelBox) + 4);
    const next = room(doc, y, height + (row.kind === "heading" ? ROW_HEIGHT : 0));
    if (next !== y) y = head(next);
    if (row.kind === "result" || row.kind === "total")
      doc
        .rect(MARGIN, y, contentWidth, height)
        .fillColor(row.kind === "total" ? SHADE : "#e6f0e1")
        .fill();
    doc
      .fillColor(row.kind === "heading" ? ACCENT : INK)
      .font(strong ? "Helvetica-Bold" : "Helvetica")
      .fontSize(row.kind === "heading" ? 9 : 8.5)
      .text(pdf(row.label), MARGIN + CELL_PAD + indent, y + 3, labelBox);
    if (row.kind !== "heading") {
      let x = MARGIN + labelWidth;
      for (const c of columns) {
        const value = c.value(row);
        const shown =
          value === null || value === undefined ? "" : value === 0 && row.kind === "line" ? "–" : formatAmount(value);
        doc.text(pdf(shown), x + CELL_PAD, y + 3, {
          width: c.width - 2 * CELL_PAD,
          align: "right",
          lineBreak: false,
        });
        x += c.width;
      }
    }
    y += height;
    doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + contentWidth, y)
      .lineWidth(row.kind === "line" ? 0.4 : 0.8)
      .strokeColor(RULE)
      .stroke();
  }
  return y;
}
