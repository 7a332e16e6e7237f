import {
  ACCENT,
  bottomLimit,
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
import { frenchDate } from "~/domain/ledger/index.server";
import { formatRate } from "~/domain/ledger/vat";
import { formatCents, formatDate } from "~/utils/format";
import { indexClause, leasePdfName, type LeaseDocument } from "./lease-document.server";
import { formatIndex, formatSurface } from "./rules";

// The lease summary as a PDF, A4, with pdfkit's standard Helvetica (texts pass through pdf(), which keeps them in
// the fonts' WinAnsi encoding, as for invoices). Deterministic: the PDF's dates are the document's issue date.

const LABEL_WIDTH = 150;

const money = (cents: number) => pdf(formatCents(cents));

export function renderLeasePdf(d: LeaseDocument, options: PdfOptions = {}): Promise<Buffer<ArrayBuffer>> {
  return renderA4Pdf(
    {
      title: `${d.title} — parcelle ${d.plot.code}`,
      author: d.lessor.legalName,
      issued: new Date(`${d.issuedOn}T00:00:00Z`),
      footer: { legal: legalLine(d.lessor), label: `Bail ${d.plot.code}` },
      draw: (doc) => draw(doc, d),
    },
    options,
  );
}

/** A section title, kept on the page with at least `keep` points of what follows. */
function heading(doc: Doc, y: number, text: string, keep = 30) {
  y = room(doc, y + 10, 30 + keep);
  doc.fillColor(ACCENT).font("Helvetica-Bold").fontSize(12).text(pdf(text), MARGIN, y, { width: contentWidth });
  const below = doc.y + 3;
  doc
    .moveTo(MARGIN, below)
    .lineTo(MARGIN + contentWidth, below)
    .lineWidth(0.8)
    .strokeColor(ACCENT)
    .stroke();
  return below + 8;
}

/** Label / value rows, the label in a narrow muted column. */
function rows(doc: Doc, y: number, items: [string, string][]) {
  for (const [label, value] of items) {
    doc.font("Helvetica").fontSize(10);
    const height =
      Math.max(
        doc.heightOfString(pdf(value), { width: contentWidth - LABEL_WIDTH }),
        doc.heightOfString(pdf(label), { width: LABEL_WIDTH - 10 }),
      ) + 5;
    y = room(doc, y, height);
    doc.fillColor(MUTED).text(pdf(label), MARGIN, y, { width: LABEL_WIDTH - 10 });
    doc.fillColor(INK).text(pdf(value), MARGIN + LABEL_WIDTH, y, { width: contentWidth - LABEL_WIDTH });
    y += height;
  }
  return y;
}

function paragraph(doc: Doc, y: number, text: string, size = 10) {
  doc.font("Helvetica").fontSize(size);
  const height = doc.heightOfString(pdf(text), { width: contentWidth }) + 6;
  y = room(doc, y, height);
  doc.fillColor(INK).text(pdf(text), MARGIN, y, { width: contentWidth });
  return y + height;
}

function draw(doc: Doc, d: LeaseDocument) {
  const half = contentWidth / 2;
  // Lessor, top left; title, top right.
  doc
    .fillColor(ACCENT)
    .font("Helvetica-Bold")
    .fontSize(14)
    .text(pdf(d.lessor.legalName), MARGIN, MARGIN, { width: half - 10 });
  doc
    .fillColor(MUTED)
    .font("Helvetica")
    .fontSize(9)
    .text(pdf(lessorLines(d).join("\n")), { width: half - 10 });
  const leftBottom = doc.y;
  doc
    .fillColor(INK)
    .font("Helvetica-Bold")
    .fontSize(17)
    .text(pdf(d.title.toUpperCase()), MARGIN + half, MARGIN, { width: half, align: "right" });
  doc.font("Helvetica").fontSize(10).fillColor(MUTED);
  doc.text(pdf(`Parcelle ${d.plot.code}${d.plot.name ? ` — ${d.plot.name}` : ""}`), { width: half, align: "right" });
  doc.text(pdf(`${d.statusLabel} · établi le ${frenchDate(d.issuedOn)}`), { width: half, align: "right" });
  let y = Math.max(leftBottom, doc.y) + 16;

  y = heading(doc, y, "Les parties");
  const holderLines = [d.holder.organisationName, d.holder.email, d.holder.phone].filter((l): l is string =>
    Boolean(l),
  );
  const boxes: [string, string, string[]][] = [
    ["BAILLEUR", d.lessor.legalName, lessorLines(d)],
    ["PRENEUR", d.holder.name, holderLines],
  ];
  doc.font("Helvetica").fontSize(9);
  const boxHeight =
    Math.max(
      ...boxes.map(
        ([, name, lines]) =>
          30 +
          doc.heightOfString(pdf(name), { width: half - 30 }) +
          (lines.length ? doc.heightOfString(pdf(lines.join("\n")), { width: half - 30 }) : 0),
      ),
    ) + 8;
  y = room(doc, y, boxHeight);
  boxes.forEach(([label, name, lines], i) => {
    const x = MARGIN + i * (half + 5);
    doc
      .roundedRect(x, y, half - 5, boxHeight, 4)
      .lineWidth(0.8)
      .strokeColor(RULE)
      .stroke();
    doc
      .fillColor(MUTED)
      .font("Helvetica")
      .fontSize(8)
      .text(label, x + 10, y + 10, { width: half - 30, characterSpacing: 0.6 });
    doc
      .fillColor(INK)
      .font("Helvetica-Bold")
      .fontSize(11)
      .text(pdf(name), { width: half - 30 });
    if (lines.length)
      doc
        .font("Helvetica")
        .fontSize(9)
        .fillColor(INK)
        .text(pdf(lines.join("\n")), { width: half - 30 });
  });
  y += boxHeight + 6;

  y = heading(doc, y, "La parcelle");
  y = rows(doc, y, [
    ["Parcelle", `${d.plot.code}${d.plot.name ? ` — ${d.plot.name}` : ""}`],
    ["Surface", formatSurface(d.plot.surfaceM2)],
    ["Sol", d.plot.soil || "—"],
    ["Accès à l'eau", d.plot.waterAccess || "—"],
    ["Abri", d.plot.shelter || "—"],
    ["Usage actuel", d.plot.currentUse || "—"],
  ]);

  y = heading(doc, y, "Nature et durée");
  const term: [string, string][] = [
    ["Type de bail", `${d.kindLabel}. ${d.kindSummary}`],
    ["Durée", `${d.term}, du ${frenchDate(d.startsOn)} au ${frenchDate(d.lastDay)} inclus`],
  ];
  if (d.maxRenewals > 0)
    term.push([
      "Renouvellement",
      d.renewalNumber
        ? `Renouvellement n° ${d.renewalNumber} sur ${d.maxRenewals} possibles`
        : `Renouvelable ${d.maxRenewals} fois au plus`,
    ]);
  if (d.offerExpiresAt) term.push(["Réponse attendue", `avant le ${formatDate(d.offerExpiresAt, "dateTime")}`]);
  if (d.endNoticeOn)
    term.push(["Congé", `donné le ${frenchDate(d.endNoticeOn)}${d.endReason ? ` : ${d.endReason}` : ""}`]);
  y = rows(doc, y, term);

  y = heading(doc, y, "Loyer");
  y = rows(doc, y, [
    [
      "Loyer annuel",
      `${formatCents(d.rent.yearlyCents)}${d.rent.vatRateBp ? ` TTC (TVA ${formatRate(d.rent.vatRateBp)} comprise)` : ""}`,
    ],
    ["Loyer à l'hectare", `${formatCents(d.rent.perHectareCents)} par hectare et par an`],
    ["Échéances", `${d.rent.frequencyLabel}s, payables d'avance au début de chaque période`],
    ...(d.rent.vatMention ? ([["TVA", d.rent.vatMention]] as [string, string][]) : []),
  ]);

  y = heading(doc, y, "Clause d'indexation");
  y = paragraph(doc, y, indexClause(d, formatIndex));
  for (const c of d.rentChanges) {
    y = paragraph(
      doc,
      y,
      `Révision du ${frenchDate(c.effectiveOn)} : ${formatCents(c.previousCents)} → ${formatCents(c.newCents)}${c.newIndex ? ` (indice ${c.indexYear} : ${formatIndex(c.newIndex)})` : ""}.`,
      9,
    );
  }

  // The title with the table's header and its first rows.
  y = heading(doc, y, "Échéancier", 18 * 4);
  scheduleTable(doc, y, d);
}

function lessorLines(d: LeaseDocument) {
  return [
    d.lessor.legalForm,
    d.lessor.address,
    d.lessor.siren ? `SIREN ${d.lessor.siren}` : null,
    d.lessor.vatNumber ? `N° de TVA intracommunautaire ${d.lessor.vatNumber}` : null,
  ].filter((l): l is string => Boolean(l));
}

const COLUMNS = [
  { title: "Période", width: 200, align: "left" as const },
  { title: "Échéance", width: 110, align: "left" as const },
  { title: "Montant", width: 90, align: "right" as const },
  { title: "Statut", width: contentWidth - 400, align: "left" as const },
];

function scheduleHeader(doc: Doc, y: number) {
  doc.rect(MARGIN, y, contentWidth, 18).fillColor(SHADE).fill();
  doc.fillColor(INK).font("Helvetica-Bold").fontSize(9);
  let x = MARGIN;
  for (const c of COLUMNS) {
    doc.text(c.title, x + 4, y + 5, { width: c.width - 8, align: c.align });
    x += c.width;
  }
  return y + 18;
}

function scheduleTable(doc: Doc, y: number, d: LeaseDocument) {
  if (d.schedule.length === 0) return paragraph(doc, y, "L'échéancier s'écrit quand la proposition est acceptée.", 9);
  y = scheduleHeader(doc, y);
  for (const row of d.schedule) {
    if (y + 18 > bottomLimit) {
      doc.addPage();
      y = scheduleHeader(doc, MARGIN);
    }
    const cells = [
      `du ${frenchDate(row.periodStart)} au ${frenchDate(row.lastDay)}`,
      frenchDate(row.dueOn),
      money(row.amountCents),
      row.statusLabel,
    ];
    doc.font("Helvetica").fontSize(9).fillColor(INK);
    let x = MARGIN;
    COLUMNS.forEach((c, i) => {
      doc.text(pdf(cells[i]), x + 4, y + 4, { width: c.width - 8, align: c.align, lineBreak: false });
      x += c.width;
    });
    y += 18;
    doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + contentWidth, y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
  }
  y = room(doc, y + 4, 18);
  doc
    .font("Helvetica-Bold")
    .fontSize(9)
    .text(pdf(`Total du bail : ${formatCents(d.totalCents)}`), MARGIN, y + 2, { width: 400 - 4, align: "right" });
  return y + 18;
}

/** The PDF as a download, private to whoever may read it. */
export async function leasePdfResponse(d: LeaseDocument) {
  const body = await renderLeasePdf(d);
  return new Response(body, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${leasePdfName(d)}.pdf"`,
      "Content-Length": String(body.byteLength),
      "Cache-Control": "private, no-store",
    },
  });
}
