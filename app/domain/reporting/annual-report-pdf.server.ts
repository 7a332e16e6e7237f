import { formatCents, formatPercent } from "~/utils/format";
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
import { formatFigure, reportDay } from "./activity";
import type { AnnualReport, StreamRevenue } from "./annual-report.server";

// The annual report as an A4 PDF (decision 025): a cover with the pole's name and mark, the year in figures
// (revenue against the plan per stream, the autofinancement ratio over the years, the compte de résultat in
// three lines), then one section per stream with its activity and its revenue against the plan. Charts are drawn
// with pdfkit's shapes; every figure a bar shows is also written beside it.

const PLAN = "#8a9a7b";
const LEAF = "#e9f2e4";
const money = (cents: number) => pdf(formatCents(cents));
const percent = (ratio: number | null) => pdf(formatPercent(ratio));

export function renderAnnualReportPdf(report: AnnualReport, options: PdfOptions = {}): Promise<Buffer<ArrayBuffer>> {
  const title = `Rapport annuel — ${report.fiscalYear.label}`;
  return renderA4Pdf(
    {
      title: `${report.pole.name} — ${title}`,
      author: report.pole.legalName,
      issued: new Date(`${report.asOf}T00:00:00Z`),
      footer: {
        legal: legalLine({ ...report.pole, address: report.pole.address }),
        label: `Rapport annuel ${report.fiscalYear.endDate.slice(0, 4)}`,
      },
      draw: (doc) => {
        cover(doc, report);
        doc.addPage();
        let y = overview(doc, report);
        for (const s of report.sections) y = section(doc, report, s, y);
      },
    },
    options,
  );
}

/** The pole's mark (the site's favicon: a leaf in a disc), `size` points wide, drawn as vector shapes. */
function mark(doc: Doc, x: number, y: number, size: number) {
  doc
    .save()
    .translate(x, y)
    .scale(size / 32);
  doc.circle(16, 16, 15).fillColor(ACCENT).fill();
  doc.path("M16 6c-5 4-7 9-5 14 1 3 3 5 5 6 2-1 4-3 5-6 2-5 0-10-5-14z").fillColor(LEAF).fill();
  doc.moveTo(16, 10).lineTo(16, 26).lineWidth(1.6).strokeColor(ACCENT).stroke();
  doc.restore();
}

function statusLine(r: AnnualReport) {
  if (!r.provisional) return "Exercice clôturé : comptes arrêtés.";
  if (r.asOf < r.fiscalYear.endDate)
    return `Document provisoire : exercice en cours, chiffres arrêtés au ${reportDay(r.asOf)}.`;
  return "Document provisoire : l'exercice est terminé mais pas encore clôturé.";
}

function cover(doc: Doc, r: AnnualReport) {
  const left = MARGIN;
  mark(doc, left, MARGIN, 48);
  doc
    .fillColor(ACCENT)
    .font("Helvetica-Bold")
    .fontSize(18)
    .text(pdf(r.pole.name), left + 62, MARGIN + 6, { width: contentWidth - 62 });
  doc
    .fillColor(MUTED)
    .font("Helvetica")
    .fontSize(10)
    .text(pdf(r.pole.legalName), { width: contentWidth - 62 });

  doc.fillColor(INK).font("Helvetica-Bold").fontSize(34).text("Rapport annuel", left, 210, { width: contentWidth });
  doc.fillColor(ACCENT).fontSize(22).text(pdf(r.fiscalYear.label), { width: contentWidth });
  doc.moveDown(0.5);
  doc
    .fillColor(MUTED)
    .font("Helvetica")
    .fontSize(11)
    .text(pdf(`Du ${reportDay(r.fiscalYear.startDate)} au ${reportDay(r.fiscalYear.endDate)}`), {
      width: contentWidth,
    });
  doc.text(pdf(statusLine(r)), { width: contentWidth });
  if (r.pole.tagline) {
    doc.moveDown(1);
    doc.fillColor(INK).font("Helvetica-Oblique").fontSize(12).text(pdf(r.pole.tagline), { width: contentWidth });
  }
  doc.moveDown(1);
  doc
    .fillColor(MUTED)
    .font("Helvetica")
    .fontSize(10)
    .text(
      pdf(
        "Présenté à l'assemblée générale des associés et aux partenaires financiers du pôle : l'activité de " +
          "chaque flux, les recettes face au plan d'affaires, l'autofinancement au fil des exercices et le " +
          "résumé du compte de résultat.",
      ),
      { width: contentWidth },
    );

  // Three key figures.
  const current = r.autofinancement.find((y) => y.fiscalYearId === r.fiscalYear.id);
  const boxes: [string, string, string][] = [
    ["Recettes de l'exercice", money(r.revenue.total.actual), `plan : ${money(r.revenue.total.plan)}`],
    [
      "Résultat",
      money(r.result.current.result),
      r.result.current.result >= 0 ? "excédent de l'exercice" : "perte de l'exercice",
    ],
    [
      "Autofinancement",
      percent(current?.actual.ratio ?? null),
      `objectif du plan : ${percent(current?.planned.ratio ?? null)}`,
    ],
  ];
  const gap = 12;
  const width = (contentWidth - 2 * gap) / 3;
  const y = Math.max(doc.y + 28, 470);
  boxes.forEach(([label, value, note], i) => {
    const x = MARGIN + i * (width + gap);
    doc.roundedRect(x, y, width, 74, 4).fillColor(SHADE).fill();
    doc
      .fillColor(MUTED)
      .font("Helvetica")
      .fontSize(9)
      .text(pdf(label), x + 10, y + 10, { width: width - 20 });
    doc
      .fillColor(INK)
      .font("Helvetica-Bold")
      .fontSize(17)
      .text(value, x + 10, y + 26, { width: width - 20, lineBreak: false });
    doc
      .fillColor(MUTED)
      .font("Helvetica")
      .fontSize(8)
      .text(pdf(note), x + 10, y + 52, { width: width - 20 });
  });

  // Contents.
  let cy = y + 100;
  doc.fillColor(INK).font("Helvetica-Bold").fontSize(11).text("Sommaire", MARGIN, cy, { width: contentWidth });
  cy = doc.y + 4;
  doc.font("Helvetica").fontSize(10);
  for (const line of ["L'année en chiffres", ...r.sections.map((s) => s.label)]) {
    doc.fillColor(INK).text(pdf(`•  ${line}`), MARGIN + 6, cy, { width: contentWidth - 6 });
    cy = doc.y + 2;
  }
}

function heading(doc: Doc, text: string, y: number) {
  doc.fillColor(ACCENT).font("Helvetica-Bold").fontSize(17).text(pdf(text), MARGIN, y, { width: contentWidth });
  const bottom = doc.y + 4;
  doc
    .moveTo(MARGIN, bottom)
    .lineTo(MARGIN + contentWidth, bottom)
    .lineWidth(1)
    .strokeColor(ACCENT)
    .stroke();
  return bottom + 10;
}

function subheading(doc: Doc, text: string, y: number) {
  doc.fillColor(INK).font("Helvetica-Bold").fontSize(11.5).text(pdf(text), MARGIN, y, { width: contentWidth });
  return doc.y + 6;
}

function legend(doc: Doc, y: number, items: [string, string][]) {
  let x = MARGIN;
  doc.font("Helvetica").fontSize(8.5);
  for (const [color, label] of items) {
    doc
      .rect(x, y + 1, 9, 9)
      .fillColor(color)
      .fill();
    doc.fillColor(MUTED).text(pdf(label), x + 13, y + 1, { lineBreak: false });
    x += 13 + doc.widthOfString(pdf(label)) + 16;
  }
  return y + 18;
}

/**
 * Plan and actual as two horizontal bars on one scale (`max`), the amounts written at the right: the chart of each
 * stream's revenue, on the overview page and in its section.
 */
function planBars(doc: Doc, y: number, row: { label: string; plan: number; actual: number }, max: number) {
  const labelWidth = 130;
  const valuesWidth = 120;
  const x = MARGIN + labelWidth;
  const width = contentWidth - labelWidth - valuesWidth - 8;
  const bar = (value: number) => (max > 0 ? Math.max(0, Math.min(1, value / max)) * width : 0);
  doc
    .fillColor(INK)
    .font("Helvetica")
    .fontSize(9.5)
    .text(pdf(row.label), MARGIN, y + 4, { width: labelWidth - 8 });
  const labelBottom = doc.y;
  doc
    .rect(x, y + 2, width, 22)
    .fillColor("#f7f8f4")
    .fill();
  if (bar(row.plan) > 0)
    doc
      .rect(x, y + 3, bar(row.plan), 9)
      .fillColor(PLAN)
      .fill();
  if (bar(row.actual) > 0)
    doc
      .rect(x, y + 14, bar(row.actual), 9)
      .fillColor(ACCENT)
      .fill();
  const vx = x + width + 8;
  doc
    .fillColor(INK)
    .font("Helvetica-Bold")
    .fontSize(9)
    .text(money(row.actual), vx, y + 2, { width: valuesWidth, align: "right" });
  doc
    .fillColor(MUTED)
    .font("Helvetica")
    .fontSize(8)
    .text(pdf(`plan ${formatCents(row.plan)}`), vx, y + 14, { width: valuesWidth, align: "right" });
  return Math.max(y + 30, labelBottom + 4);
}

const shareOfPlan = (r: Pick<StreamRevenue, "plan" | "actual">) =>
  r.plan > 0 ? `${formatPercent(r.actual / r.plan)} du plan de l'exercice` : "pas d'objectif au plan";

function overview(doc: Doc, r: AnnualReport) {
  let y = heading(doc, "L'année en chiffres", MARGIN);

  // Revenue per stream against the plan.
  y = subheading(doc, "Recettes par flux : réalisé et plan de l'exercice", y);
  y = legend(doc, y, [
    [PLAN, "Plan de l'exercice"],
    [ACCENT, r.provisional && r.asOf < r.fiscalYear.endDate ? `Réalisé au ${reportDay(r.asOf)}` : "Réalisé"],
  ]);
  const rows = r.revenue.perStream.filter((s) => s.plan !== 0 || s.actual !== 0);
  const max = Math.max(1, ...rows.flatMap((s) => [s.plan, s.actual]));
  for (const row of rows) y = planBars(doc, y, row, max);
  doc
    .fillColor(INK)
    .font("Helvetica-Bold")
    .fontSize(9.5)
    .text(
      pdf(
        `Total : ${formatCents(r.revenue.total.actual)} réalisés pour ${formatCents(r.revenue.total.plan)} au plan ` +
          `(${shareOfPlan(r.revenue.total)}).`,
      ),
      MARGIN,
      y + 2,
      { width: contentWidth },
    );
  y = doc.y + 18;

  y = ratioChart(doc, r, room(doc, y, 230));
  y = resultTable(doc, r, room(doc, y + 14, 140));
  return y + 20;
}

/** The autofinancement ratio of each year with entries as pairs of vertical bars (actual, planned) on 0–100 %. */
function ratioChart(doc: Doc, r: AnnualReport, top: number) {
  let y = subheading(doc, "Autofinancement au fil des exercices", top);
  doc
    .fillColor(MUTED)
    .font("Helvetica")
    .fontSize(8.5)
    .text(pdf("Recettes propres ÷ (recettes propres + subventions + dons), comme au tableau de bord."), MARGIN, y, {
      width: contentWidth,
    });
  y = legend(doc, doc.y + 4, [
    [ACCENT, "Réalisé"],
    [PLAN, "Plan"],
  ]);
  const axis = 32;
  const chartX = MARGIN + axis;
  const chartWidth = contentWidth - axis;
  const height = 120;
  const base = y + 10 + height;
  doc.font("Helvetica").fontSize(7.5);
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const ty = base - tick * height;
    doc
      .moveTo(chartX, ty)
      .lineTo(chartX + chartWidth, ty)
      .lineWidth(0.4)
      .strokeColor(RULE)
      .stroke();
    doc.fillColor(MUTED).text(`${tick * 100} %`, MARGIN, ty - 3, { width: axis - 6, align: "right", lineBreak: false });
  }
  const years = r.autofinancement;
  const group = Math.min(110, chartWidth / Math.max(1, years.length));
  const barWidth = Math.min(26, (group - 16) / 2);
  years.forEach((year, i) => {
    const gx = chartX + i * group + (group - 2 * barWidth - 4) / 2;
    const bars: [number | null, string][] = [
      [year.actual.ratio, ACCENT],
      [year.planned.ratio, PLAN],
    ];
    bars.forEach(([ratio, color], j) => {
      const bx = gx + j * (barWidth + 4);
      const h = Math.max(0, Math.min(1, ratio ?? 0)) * height;
      if (h > 0)
        doc
          .rect(bx, base - h, barWidth, h)
          .fillColor(color)
          .fill();
      doc
        .fillColor(INK)
        .font("Helvetica")
        .fontSize(7)
        .text(percent(ratio), bx - 8, base - h - 10, { width: barWidth + 16, align: "center", lineBreak: false });
    });
    doc
      .fillColor(INK)
      .font(year.fiscalYearId === r.fiscalYear.id ? "Helvetica-Bold" : "Helvetica")
      .fontSize(8.5)
      .text(pdf(year.label.replace(/^Exercice /, "")), chartX + i * group, base + 5, {
        width: group,
        align: "center",
      });
  });
  return doc.y + 6;
}

function resultTable(doc: Doc, r: AnnualReport, top: number) {
  let y = subheading(doc, "Compte de résultat (résumé)", top);
  const columns = [r.result.current, ...(r.result.previous ? [r.result.previous] : [])];
  const labelWidth = 200;
  const colWidth = (contentWidth - labelWidth) / 2;
  doc.rect(MARGIN, y, contentWidth, 18).fillColor(SHADE).fill();
  doc.fillColor(INK).font("Helvetica-Bold").fontSize(9);
  columns.forEach((c, i) =>
    doc.text(pdf(c.label), MARGIN + labelWidth + i * colWidth, y + 5, { width: colWidth - 8, align: "right" }),
  );
  y += 18;
  const rows: [string, (c: (typeof columns)[number]) => number, boolean][] = [
    ["Produits (classe 7)", (c) => c.income, false],
    ["Charges (classe 6)", (c) => c.expenses, false],
    ["Résultat (excédent ou perte)", (c) => c.result, true],
  ];
  for (const [label, value, strong] of rows) {
    doc
      .fillColor(INK)
      .font(strong ? "Helvetica-Bold" : "Helvetica")
      .fontSize(9.5);
    doc.text(pdf(label), MARGIN + 4, y + 5, { width: labelWidth - 8 });
    columns.forEach((c, i) =>
      doc.text(money(value(c)), MARGIN + labelWidth + i * colWidth, y + 5, { width: colWidth - 8, align: "right" }),
    );
    y += 20;
    doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + contentWidth, y)
      .lineWidth(strong ? 1 : 0.5)
      .strokeColor(RULE)
      .stroke();
  }
  if (r.provisional)
    doc
      .fillColor(MUTED)
      .font("Helvetica")
      .fontSize(8)
      .text(pdf(`${r.fiscalYear.label} : ${statusLine(r).toLowerCase()}`), MARGIN, y + 6, { width: contentWidth });
  return doc.y;
}

function section(doc: Doc, r: AnnualReport, s: AnnualReport["sections"][number], top: number) {
  let y = heading(doc, s.label, room(doc, top, 260));
  if (!s.activity || !r.activityPeriod) {
    doc
      .fillColor(MUTED)
      .font("Helvetica")
      .fontSize(10)
      .text("L'exercice n'a pas encore commencé.", MARGIN, y, { width: contentWidth });
    y = doc.y + 10;
  } else {
    doc
      .fillColor(MUTED)
      .font("Helvetica")
      .fontSize(9)
      .text(pdf(`Activité du ${reportDay(r.activityPeriod.from)} au ${reportDay(r.activityPeriod.to)}.`), MARGIN, y, {
        width: contentWidth,
      });
    y = doc.y + 8;
    // The figures, three to a row.
    const gap = 10;
    const width = (contentWidth - 2 * gap) / 3;
    const height = 64;
    s.activity.figures.forEach((f, i) => {
      const col = i % 3;
      if (col === 0 && i > 0) y += height + gap;
      if (col === 0) y = room(doc, y, height);
      const x = MARGIN + col * (width + gap);
      doc.roundedRect(x, y, width, height, 4).lineWidth(0.6).strokeColor(RULE).stroke();
      doc
        .fillColor(MUTED)
        .font("Helvetica")
        .fontSize(8.5)
        .text(pdf(f.label), x + 8, y + 7, { width: width - 16, lineBreak: false, ellipsis: true });
      doc
        .fillColor(INK)
        .font("Helvetica-Bold")
        .fontSize(15)
        .text(pdf(formatFigure(f)), x + 8, y + 20, { width: width - 16, lineBreak: false });
      if (f.note)
        doc
          .fillColor(MUTED)
          .font("Helvetica")
          .fontSize(7.5)
          .text(pdf(f.note), x + 8, y + 40, { width: width - 16, height: 20, ellipsis: true });
    });
    y += height + 8;
    if (s.activity.summary) {
      doc
        .fillColor(MUTED)
        .font("Helvetica-Oblique")
        .fontSize(8.5)
        .text(pdf(s.activity.summary), MARGIN, y, { width: contentWidth });
      y = doc.y + 10;
    }
  }
  y = subheading(doc, `Recettes : réalisé et plan`, room(doc, y, 70));
  y = planBars(doc, y, s.revenue, Math.max(1, s.revenue.plan, s.revenue.actual));
  const variance =
    s.revenue.variance === null
      ? ""
      : ` Écart au plan à date : ${s.revenue.variance > 0 ? "+" : ""}${formatCents(s.revenue.variance)}.`;
  doc
    .fillColor(INK)
    .font("Helvetica")
    .fontSize(9)
    .text(pdf(`${shareOfPlan(s.revenue)}.${variance}`.replace(/^./, (c) => c.toUpperCase())), MARGIN, y, {
      width: contentWidth,
    });
  return doc.y + 26;
}
