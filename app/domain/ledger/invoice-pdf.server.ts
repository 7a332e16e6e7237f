import { formatCents } from "~/utils/format";
import {
  ACCENT,
  bottomLimit,
  contentWidth,
  INK,
  MARGIN,
  MUTED,
  pdf,
  renderA4Pdf,
  RULE,
  SHADE,
  type Doc,
  type PdfOptions,
} from "~/utils/pdf.server";
import { DOCUMENT_TITLES, frenchDate, type InvoiceDocument } from "./invoice-documents.server";
import { buyerLines as buyerDetails, legalFooter, sellerLines } from "./legal-identity";
import { formatRate } from "./vat";

// The PDF of an invoice or a credit note (the A4 plumbing, fonts and footers are in app/utils/pdf.server.ts).

const money = (cents: number) => pdf(formatCents(cents));
const rate = (bp: number) => pdf(formatRate(bp));

type Column = { key: string; title: string; width: number; align: "left" | "right" };
const COLUMNS: Column[] = [
  { key: "description", title: "Désignation", width: 167, align: "left" },
  { key: "quantity", title: "Qté", width: 30, align: "right" },
  { key: "unitExclTax", title: "P.U. HT", width: 60, align: "right" },
  { key: "unitInclTax", title: "P.U. TTC", width: 60, align: "right" },
  { key: "vat", title: "TVA", width: 40, align: "right" },
  { key: "exclTax", title: "Total HT", width: 71, align: "right" },
  { key: "inclTax", title: "Total TTC", width: 71.28, align: "right" },
];
const CELL_PAD = 4;

/** Renders the document to a PDF file in memory. Deterministic: the PDF's dates are the issue date. */
export function renderInvoicePdf(document: InvoiceDocument, options: PdfOptions = {}): Promise<Buffer<ArrayBuffer>> {
  const title = `${DOCUMENT_TITLES[document.kind]} ${document.number}`;
  return renderA4Pdf(
    {
      title,
      author: document.seller.legalName,
      issued: new Date(`${document.issueDate}T00:00:00Z`),
      footer: { legal: legalFooter(document.seller), label: document.number },
      draw: (doc) => draw(doc, document),
    },
    options,
  );
}

function draw(doc: Doc, d: InvoiceDocument) {
  const left = MARGIN;
  const top = MARGIN;
  const half = contentWidth / 2;

  // Seller, top left.
  doc
    .fillColor(ACCENT)
    .font("Helvetica-Bold")
    .fontSize(14)
    .text(pdf(d.seller.legalName), left, top, { width: half - 10 });
  doc.fillColor(MUTED).font("Helvetica").fontSize(9);
  doc.text(pdf(sellerLines(d.seller).join("\n")), { width: half - 10 });
  const sellerBottom = doc.y;

  // Document title and references, top right.
  doc
    .fillColor(INK)
    .font("Helvetica-Bold")
    .fontSize(20)
    .text(DOCUMENT_TITLES[d.kind].toUpperCase(), left + half, top, { width: half, align: "right" });
  doc.font("Helvetica").fontSize(10);
  const refs: [string, string][] = [
    ["Numéro", d.number],
    ["Date d'émission", frenchDate(d.issueDate)],
  ];
  if (d.dueDate && d.kind === "INVOICE") refs.push(["Date d'échéance", frenchDate(d.dueDate)]);
  if (d.creditedInvoice)
    refs.push(["Facture d'origine", `${d.creditedInvoice.number} du ${frenchDate(d.creditedInvoice.issueDate)}`]);
  // Labels right-aligned against a column of values (no `continued` text: pdfkit then breaks right alignment, and
  // separate boxes keep apart even in a viewer that substitutes a wider font for Helvetica).
  let refY = doc.y + 2;
  const valuesWidth =
    Math.max(...refs.map(([, value]) => doc.font("Helvetica-Bold").fontSize(10).widthOfString(pdf(value)))) + 2;
  const valueX = left + contentWidth - valuesWidth;
  for (const [label, value] of refs) {
    doc
      .fillColor(MUTED)
      .font("Helvetica")
      .fontSize(10)
      .text(`${label} :`, left + half, refY, { width: valueX - 6 - (left + half), align: "right", lineBreak: false });
    doc.fillColor(INK).font("Helvetica-Bold").text(pdf(value), valueX, refY, { width: valuesWidth, lineBreak: false });
    refY += 14;
  }
  doc.font("Helvetica");
  const refsBottom = refY;

  // Buyer box.
  let y = Math.max(sellerBottom, refsBottom) + 22;
  const boxX = left + half;
  const buyerLines = buyerDetails(d.buyer);
  doc.font("Helvetica-Bold").fontSize(11);
  const nameHeight = doc.heightOfString(pdf(d.buyer.name), { width: half - 20 });
  doc.font("Helvetica").fontSize(10);
  const restHeight = buyerLines.length ? doc.heightOfString(pdf(buyerLines.join("\n")), { width: half - 20 }) : 0;
  const boxHeight = 10 + 12 + nameHeight + restHeight + 10;
  doc.roundedRect(boxX, y, half, boxHeight, 4).lineWidth(0.8).strokeColor(RULE).stroke();
  doc
    .fillColor(MUTED)
    .font("Helvetica")
    .fontSize(8)
    .text(d.kind === "INVOICE" ? "FACTURÉ À" : "CLIENT", boxX + 10, y + 10, {
      width: half - 20,
      characterSpacing: 0.6,
    });
  doc
    .fillColor(INK)
    .font("Helvetica-Bold")
    .fontSize(11)
    .text(pdf(d.buyer.name), { width: half - 20 });
  if (buyerLines.length)
    doc
      .font("Helvetica")
      .fontSize(10)
      .text(pdf(buyerLines.join("\n")), { width: half - 20 });
  y += boxHeight + 14;

  // The credit note's reference to the invoice it cancels, in words.
  doc.fillColor(INK).font("Helvetica").fontSize(10);
  if (d.creditedInvoice) {
    doc.text(
      pdf(
        `Avoir sur la facture ${d.creditedInvoice.number} du ${frenchDate(d.creditedInvoice.issueDate)}, qu'il annule à hauteur du montant ci-dessous.${d.reason ? ` Motif : ${d.reason}` : ""}`,
      ),
      left,
      y,
      { width: contentWidth },
    );
    y = doc.y + 8;
  }
  doc
    .fillColor(MUTED)
    .fontSize(9)
    .text(pdf(`Nature de l'opération : ${d.nature.toLowerCase()}.`), left, y, { width: contentWidth });
  y = doc.y + 8;

  // Lines.
  y = tableHeader(doc, y);
  doc.font("Helvetica").fontSize(9).fillColor(INK);
  for (const line of d.lines) {
    const cells: Record<string, string> = {
      description: pdf(line.description),
      quantity: String(line.quantity),
      unitExclTax: money(line.unitExclTax),
      unitInclTax: money(line.unitInclTax),
      vat: rate(line.vatRateBp),
      exclTax: money(line.exclTax),
      inclTax: money(line.inclTax),
    };
    const cellsHeight =
      Math.max(...COLUMNS.map((c) => doc.heightOfString(cells[c.key], { width: c.width - 2 * CELL_PAD }))) +
      2 * CELL_PAD;
    // A line at 0 % names its exemption under it, across the table.
    const exemption = line.vatExemption ? pdf(line.vatExemption) : null;
    doc.fontSize(8);
    const exemptionHeight = exemption ? doc.heightOfString(exemption, { width: contentWidth - 2 * CELL_PAD }) : 0;
    doc.fontSize(9);
    const height = cellsHeight + (exemption ? exemptionHeight - CELL_PAD / 2 : 0);
    if (y + height > bottomLimit) {
      doc.addPage();
      y = tableHeader(doc, MARGIN);
      doc.font("Helvetica").fontSize(9).fillColor(INK);
    }
    let x = left;
    for (const c of COLUMNS) {
      doc.text(cells[c.key], x + CELL_PAD, y + CELL_PAD, { width: c.width - 2 * CELL_PAD, align: c.align });
      x += c.width;
    }
    if (exemption) {
      doc
        .fillColor(MUTED)
        .fontSize(8)
        .text(exemption, left + CELL_PAD, y + cellsHeight - CELL_PAD / 2, { width: contentWidth - 2 * CELL_PAD });
      doc.fillColor(INK).fontSize(9);
    }
    y += height;
    doc
      .moveTo(left, y)
      .lineTo(left + contentWidth, y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
  }
  y += 14;

  // VAT per rate (left) and totals (right), kept together.
  const summaryHeight = 18 + 16 * (d.vatSummary.length + 1);
  const totalsHeight = 3 * 18 + 8;
  if (y + Math.max(summaryHeight, totalsHeight) > bottomLimit) {
    doc.addPage();
    y = MARGIN;
  }
  const vatWidths = [72, 90, 90];
  const vatX = left;
  doc.font("Helvetica-Bold").fontSize(9).fillColor(INK);
  ["Taux de TVA", "Base HT", "Montant TVA"].forEach((t, i) => {
    doc
      .rect(vatX + sum(vatWidths.slice(0, i)), y, vatWidths[i], 16)
      .fillColor(SHADE)
      .fill();
    doc.fillColor(INK).text(t, vatX + sum(vatWidths.slice(0, i)) + CELL_PAD, y + 4, {
      width: vatWidths[i] - 2 * CELL_PAD,
      align: i === 0 ? "left" : "right",
    });
  });
  let vy = y + 16;
  doc.font("Helvetica").fontSize(9);
  for (const row of d.vatSummary) {
    [rate(row.rateBp), money(row.base), money(row.tax)].forEach((t, i) => {
      doc.text(t, vatX + sum(vatWidths.slice(0, i)) + CELL_PAD, vy + 4, {
        width: vatWidths[i] - 2 * CELL_PAD,
        align: i === 0 ? "left" : "right",
      });
    });
    vy += 16;
    doc
      .moveTo(vatX, vy)
      .lineTo(vatX + sum(vatWidths), vy)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
  }

  const totalsWidth = 220;
  const tx = left + contentWidth - totalsWidth;
  let ty = y;
  const totalRows: [string, string, boolean][] = [
    ["Total HT", money(d.totals.exclTax), false],
    ["Total TVA", money(d.totals.tax), false],
    [d.kind === "INVOICE" ? "Total TTC" : "Montant de l'avoir TTC", money(d.totals.inclTax), true],
  ];
  for (const [label, value, strong] of totalRows) {
    const size = strong ? 11 : 10;
    const rowHeight = strong ? 22 : 18;
    doc.font(strong ? "Helvetica-Bold" : "Helvetica").fontSize(size);
    const valueWidth = doc.widthOfString(value) + 2;
    if (strong) doc.rect(tx, ty, totalsWidth, rowHeight).fillColor(ACCENT).fill();
    doc.fillColor(strong ? "#ffffff" : INK);
    doc.text(label, tx + 8, ty + (rowHeight - size) / 2 + 1, {
      width: totalsWidth - 24 - valueWidth,
      lineBreak: false,
    });
    doc.text(value, tx + totalsWidth - 8 - valueWidth, ty + (rowHeight - size) / 2 + 1, {
      width: valueWidth,
      align: "right",
      lineBreak: false,
    });
    ty += rowHeight;
  }
  y = Math.max(vy, ty) + 20;

  // Mentions.
  const mentions = d.paymentTerms;
  if (mentions.length) {
    doc.font("Helvetica").fontSize(9);
    const height = mentions.reduce((h, m) => h + doc.heightOfString(pdf(m), { width: contentWidth }) + 4, 14);
    if (y + height > bottomLimit) {
      doc.addPage();
      y = MARGIN;
    }
    doc.fillColor(INK).font("Helvetica-Bold").fontSize(9).text("Mentions", left, y, { width: contentWidth });
    doc.font("Helvetica").fillColor(MUTED);
    for (const m of mentions) doc.text(pdf(m), { width: contentWidth, paragraphGap: 4 });
  }
}

function tableHeader(doc: Doc, y: number) {
  doc.rect(MARGIN, y, contentWidth, 18).fillColor(SHADE).fill();
  doc.fillColor(INK).font("Helvetica-Bold").fontSize(9);
  let x = MARGIN;
  for (const c of COLUMNS) {
    doc.text(c.title, x + CELL_PAD, y + 5, { width: c.width - 2 * CELL_PAD, align: c.align });
    x += c.width;
  }
  return y + 18;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
