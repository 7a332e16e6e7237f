import PDFDocument from "pdfkit";
import { formatCents } from "~/utils/format";
import { DOCUMENT_TITLES, frenchDate, type InvoiceDocument } from "./invoice-documents.server";
import { formatRate } from "./vat";

// The PDF of an invoice or a credit note, A4, with pdfkit's standard Helvetica. Standard fonts are encoded in
// WinAnsi (Windows-1252), which has the accented French letters, "€", "—" and "°" but not the narrow no-break
// space (U+202F) Intl puts in French numbers: pdf() swaps it for a no-break space (U+00A0, in WinAnsi).

export type PdfOptions = {
  /** Flate-compress page streams (default). Tests may switch it off to read the text directly. */
  compress?: boolean;
};

// WinAnsi: ASCII, Latin-1 and these from the 0x80-0x9F row.
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
const inWinAnsi = (ch: string) => {
  const code = ch.codePointAt(0)!;
  return (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || ch === "\n" || WIN_ANSI_EXTRA.has(ch);
};
/** Text the standard fonts can draw: thin and narrow spaces become no-break spaces, other letters lose their
 * accent when WinAnsi lacks them ("ő" → "o"), and what is left unknown becomes "?". */
export function pdf(text: string) {
  return [...text.normalize("NFC").replace(/[\u202f\u2009\u2007]/g, "\u00a0").replace(/\r\n?/g, "\n")]
    .map((ch) => {
      if (inWinAnsi(ch)) return ch;
      const base = ch.normalize("NFD").replace(/\p{M}/gu, "");
      return [...base].every(inWinAnsi) && base ? base : ch === "\t" ? " " : "?";
    })
    .join("");
}
const money = (cents: number) => pdf(formatCents(cents));
const rate = (bp: number) => pdf(formatRate(bp));

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 48;
const FOOTER_HEIGHT = 40;
const INK = "#1d2a20";
const MUTED = "#4f5d52";
const ACCENT = "#2f6b3b";
const RULE = "#c9cec3";
const SHADE = "#eef0e8";

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
  const issued = new Date(`${document.issueDate}T00:00:00Z`);
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    compress: options.compress ?? true,
    bufferPages: true,
    lang: "fr-FR",
    displayTitle: true,
    info: { Title: title, Author: document.seller.legalName, Subject: title, Creator: "Terrain Commun", CreationDate: issued, ModDate: issued },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer<ArrayBuffer>>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  try {
    draw(doc, document);
    footers(doc, document);
  } finally {
    doc.end();
  }
  return done;
}

type Doc = PDFKit.PDFDocument;
const contentWidth = A4.width - 2 * MARGIN;
const bottomLimit = A4.height - MARGIN - FOOTER_HEIGHT;

function draw(doc: Doc, d: InvoiceDocument) {
  const left = MARGIN;
  const top = MARGIN;
  const half = contentWidth / 2;

  // Seller, top left.
  doc.fillColor(ACCENT).font("Helvetica-Bold").fontSize(14).text(pdf(d.seller.legalName), left, top, { width: half - 10 });
  doc.fillColor(MUTED).font("Helvetica").fontSize(9);
  const sellerLines = [
    d.seller.legalForm,
    d.seller.address,
    d.seller.siren ? `SIREN ${d.seller.siren}` : null,
    d.seller.vatNumber ? `N° de TVA intracommunautaire ${d.seller.vatNumber}` : null,
  ].filter((l): l is string => Boolean(l));
  doc.text(pdf(sellerLines.join("\n")), { width: half - 10 });
  const sellerBottom = doc.y;

  // Document title and references, top right.
  doc.fillColor(INK).font("Helvetica-Bold").fontSize(20).text(DOCUMENT_TITLES[d.kind].toUpperCase(), left + half, top, { width: half, align: "right" });
  doc.font("Helvetica").fontSize(10);
  const refs: [string, string][] = [
    ["Numéro", d.number],
    ["Date d'émission", frenchDate(d.issueDate)],
  ];
  if (d.dueDate && d.kind === "INVOICE") refs.push(["Date d'échéance", frenchDate(d.dueDate)]);
  if (d.creditedInvoice) refs.push(["Facture d'origine", `${d.creditedInvoice.number} du ${frenchDate(d.creditedInvoice.issueDate)}`]);
  // Labels right-aligned against a column of values (no `continued` text: pdfkit then breaks right alignment, and
  // separate boxes keep apart even in a viewer that substitutes a wider font for Helvetica).
  let refY = doc.y + 2;
  const valuesWidth = Math.max(...refs.map(([, value]) => doc.font("Helvetica-Bold").fontSize(10).widthOfString(pdf(value)))) + 2;
  const valueX = left + contentWidth - valuesWidth;
  for (const [label, value] of refs) {
    doc.fillColor(MUTED).font("Helvetica").fontSize(10).text(`${label} :`, left + half, refY, { width: valueX - 6 - (left + half), align: "right", lineBreak: false });
    doc.fillColor(INK).font("Helvetica-Bold").text(pdf(value), valueX, refY, { width: valuesWidth, lineBreak: false });
    refY += 14;
  }
  doc.font("Helvetica");
  const refsBottom = refY;

  // Buyer box.
  let y = Math.max(sellerBottom, refsBottom) + 22;
  const boxX = left + half;
  const buyerLines = [d.buyer.address, d.buyer.email].filter((l): l is string => Boolean(l));
  doc.font("Helvetica-Bold").fontSize(11);
  const nameHeight = doc.heightOfString(pdf(d.buyer.name), { width: half - 20 });
  doc.font("Helvetica").fontSize(10);
  const restHeight = buyerLines.length ? doc.heightOfString(pdf(buyerLines.join("\n")), { width: half - 20 }) : 0;
  const boxHeight = 10 + 12 + nameHeight + restHeight + 10;
  doc.roundedRect(boxX, y, half, boxHeight, 4).lineWidth(0.8).strokeColor(RULE).stroke();
  doc.fillColor(MUTED).font("Helvetica").fontSize(8).text(d.kind === "INVOICE" ? "FACTURÉ À" : "CLIENT", boxX + 10, y + 10, { width: half - 20, characterSpacing: 0.6 });
  doc.fillColor(INK).font("Helvetica-Bold").fontSize(11).text(pdf(d.buyer.name), { width: half - 20 });
  if (buyerLines.length) doc.font("Helvetica").fontSize(10).text(pdf(buyerLines.join("\n")), { width: half - 20 });
  y += boxHeight + 14;

  // The credit note's reference to the invoice it cancels, in words.
  doc.fillColor(INK).font("Helvetica").fontSize(10);
  if (d.creditedInvoice) {
    doc.text(pdf(`Avoir sur la facture ${d.creditedInvoice.number} du ${frenchDate(d.creditedInvoice.issueDate)}, qu'il annule à hauteur du montant ci-dessous.${d.reason ? ` Motif : ${d.reason}` : ""}`), left, y, { width: contentWidth });
    y = doc.y + 8;
  }
  doc.fillColor(MUTED).fontSize(9).text(pdf(`Nature de l'opération : ${d.nature.toLowerCase()}.`), left, y, { width: contentWidth });
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
    const height = Math.max(...COLUMNS.map((c) => doc.heightOfString(cells[c.key], { width: c.width - 2 * CELL_PAD }))) + 2 * CELL_PAD;
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
    y += height;
    doc.moveTo(left, y).lineTo(left + contentWidth, y).lineWidth(0.5).strokeColor(RULE).stroke();
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
    doc.rect(vatX + sum(vatWidths.slice(0, i)), y, vatWidths[i], 16).fillColor(SHADE).fill();
    doc.fillColor(INK).text(t, vatX + sum(vatWidths.slice(0, i)) + CELL_PAD, y + 4, { width: vatWidths[i] - 2 * CELL_PAD, align: i === 0 ? "left" : "right" });
  });
  let vy = y + 16;
  doc.font("Helvetica").fontSize(9);
  for (const row of d.vatSummary) {
    [rate(row.rateBp), money(row.base), money(row.tax)].forEach((t, i) => {
      doc.text(t, vatX + sum(vatWidths.slice(0, i)) + CELL_PAD, vy + 4, { width: vatWidths[i] - 2 * CELL_PAD, align: i === 0 ? "left" : "right" });
    });
    vy += 16;
    doc.moveTo(vatX, vy).lineTo(vatX + sum(vatWidths), vy).lineWidth(0.5).strokeColor(RULE).stroke();
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
    doc.text(label, tx + 8, ty + (rowHeight - size) / 2 + 1, { width: totalsWidth - 24 - valueWidth, lineBreak: false });
    doc.text(value, tx + totalsWidth - 8 - valueWidth, ty + (rowHeight - size) / 2 + 1, { width: valueWidth, align: "right", lineBreak: false });
    ty += rowHeight;
  }
  y = Math.max(vy, ty) + 20;

  // Mentions.
  const mentions = [d.vatMention, ...d.paymentTerms].filter((m): m is string => Boolean(m));
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

function footers(doc: Doc, d: InvoiceDocument) {
  const range = doc.bufferedPageRange();
  const legal = [d.seller.legalName, d.seller.legalForm, d.seller.siren ? `SIREN ${d.seller.siren}` : null, d.seller.address].filter(Boolean).join(" — ");
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would open a new page: lift the margin while drawing the footer.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = A4.height - MARGIN - 22;
    doc.moveTo(MARGIN, y - 6).lineTo(A4.width - MARGIN, y - 6).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.fillColor(MUTED).font("Helvetica").fontSize(7.5);
    doc.text(pdf(legal), MARGIN, y, { width: contentWidth - 120 });
    doc.text(`${d.number} — page ${i - range.start + 1}/${range.count}`, A4.width - MARGIN - 110, y, { width: 110, align: "right" });
    doc.page.margins.bottom = bottom;
  }
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
