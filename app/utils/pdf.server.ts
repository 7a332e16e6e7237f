import PDFDocument from "pdfkit";

// What every PDF of the app shares (invoices, lease summaries): A4 with pdfkit's standard Helvetica, the pole's
// colours, a footer on each page, and text kept in the fonts' encoding. Standard fonts are encoded in WinAnsi
// (Windows-1252), which has the accented French letters, "€", "—" and "°" but not the narrow no-break space
// (U+202F) Intl puts in French numbers: pdf() swaps it for a no-break space (U+00A0, in WinAnsi).

export type PdfOptions = {
  /** Flate-compress page streams (default). Tests may switch it off to read the text directly. */
  compress?: boolean;
};
export type Doc = PDFKit.PDFDocument;

export const A4 = { width: 595.28, height: 841.89 };
export const MARGIN = 48;
const FOOTER_HEIGHT = 40;
export const INK = "#1d2a20";
export const MUTED = "#4f5d52";
export const ACCENT = "#2f6b3b";
export const RULE = "#c9cec3";
export const SHADE = "#eef0e8";
export const contentWidth = A4.width - 2 * MARGIN;
export const bottomLimit = A4.height - MARGIN - FOOTER_HEIGHT;

// WinAnsi: ASCII, Latin-1 and these from the 0x80-0x9F row.
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
const inWinAnsi = (ch: string) => {
  const code = ch.codePointAt(0)!;
  return (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || ch === "\n" || WIN_ANSI_EXTRA.has(ch);
};
/** Text the standard fonts can draw: thin and narrow spaces become no-break spaces, other letters lose their
 * accent when WinAnsi lacks them ("ő" → "o"), and what is left unknown becomes "?". */
export function pdf(text: string) {
  return [
    ...text
      .normalize("NFC")
      .replace(/[\u202f\u2009\u2007]/g, "\u00a0")
      .replace(/\r\n?/g, "\n"),
  ]
    .map((ch) => {
      if (inWinAnsi(ch)) return ch;
      const base = ch.normalize("NFD").replace(/\p{M}/gu, "");
      return [...base].every(inWinAnsi) && base ? base : ch === "\t" ? " " : "?";
    })
    .join("");
}

/**
 * Renders an A4 document in memory: `draw` lays out the pages, then each page gets the footer (the issuer's legal
 * line, the document's label and "page i/n"). Deterministic: the PDF's dates are the document's own date.
 */
export function renderA4Pdf(
  input: {
    title: string;
    author: string;
    issued: Date;
    footer: { legal: string; label: string };
    draw: (doc: Doc) => void;
  },
  options: PdfOptions = {},
): Promise<Buffer<ArrayBuffer>> {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    compress: options.compress ?? true,
    bufferPages: true,
    lang: "fr-FR",
    displayTitle: true,
    info: {
      Title: pdf(input.title),
      Author: pdf(input.author),
      Subject: pdf(input.title),
      Creator: "Terrain Commun",
      CreationDate: input.issued,
      ModDate: input.issued,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer<ArrayBuffer>>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  try {
    input.draw(doc);
    footers(doc, input.footer);
  } finally {
    doc.end();
  }
  return done;
}

/** Room for `height` more points on this page, or a new page; returns where to draw. */
export function room(doc: Doc, y: number, height: number) {
  if (y + height <= bottomLimit) return y;
  doc.addPage();
  return MARGIN;
}

function footers(doc: Doc, footer: { legal: string; label: string }) {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would open a new page: lift the margin while drawing the footer.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = A4.height - MARGIN - 22;
    doc
      .moveTo(MARGIN, y - 6)
      .lineTo(A4.width - MARGIN, y - 6)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.fillColor(MUTED).font("Helvetica").fontSize(7.5);
    doc.text(pdf(footer.legal), MARGIN, y, { width: contentWidth - 130 });
    doc.text(pdf(`${footer.label} — page ${i - range.start + 1}/${range.count}`), A4.width - MARGIN - 120, y, {
      width: 120,
      align: "right",
    });
    doc.page.margins.bottom = bottom;
  }
}

/** "SCIC La Vallée Fertile — SCIC SAS à capital variable — RCS Toulouse 912345675 — 1 chemin…": the issuer's footer. */
export { legalFooter as legalLine } from "~/domain/ledger/legal-identity";

/** A PDF file as a download, kept out of shared caches; `filename` is made of letters, digits and dashes. */
export function pdfResponse(body: Buffer, filename: string) {
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${filename.replace(/[^A-Za-z0-9-]/g, "_")}.pdf"`,
      "Content-Length": String(body.byteLength),
      "Cache-Control": "private, no-store",
    },
  });
}
