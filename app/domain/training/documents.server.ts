import type { AttendanceStatus } from "~/generated/prisma/client";
import type { Client } from "~/utils/db.server";
import { poleAddress, printedLegalForm, type PoleIdentity } from "~/domain/ledger/legal-identity";
import { formatDate, formatNumber } from "~/utils/format";
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
import { ATTENDANCE_LABELS, PERIOD_LABELS } from "./attendance-labels";
import { byPersonName, halfDaysOf, lastPartEnd, sessionParts, type HalfDay } from "./attendance.server";
import { sessionDates } from "./books.server";

// The documents of a session (decision 020, "Documents"), A4 with pdfkit's standard Helvetica like every PDF of
// the app: the attendance sheet (feuille d'émargement) — one row per confirmed registration, one signature column
// per half-day, the statuses already recorded printed in their cells — and the certificate of completion
// (attestation de fin de formation, article L. 6353-1 of the code du travail) of a registration that earned one.

type Issuer = {
  name: string;
  legalName: string;
  legalForm: string;
  siren: string | null;
  rcsCity: string | null;
  address: string;
  city: string;
  declarationNumber: string | null;
};

const poleSelect = {
  name: true,
  legalName: true,
  legalForm: true,
  capitalVariable: true,
  siren: true,
  rcsCity: true,
  addressLine: true,
  postalCode: true,
  city: true,
  trainingDeclarationNumber: true,
} as const;

function issuerOf(
  pole: Omit<PoleIdentity, "vatNumber" | "latePenaltyRate"> & { trainingDeclarationNumber: string | null },
): Issuer {
  return {
    name: pole.name,
    legalName: pole.legalName,
    legalForm: printedLegalForm(pole),
    siren: pole.siren,
    rcsCity: pole.rcsCity,
    address: poleAddress(pole),
    city: pole.city,
    declarationNumber: pole.trainingDeclarationNumber?.trim() || null,
  };
}

/** "09:00–12:30, 13:30–17:00" per Paris day of the parts. */
function schedule(parts: readonly { startsAt: Date; endsAt: Date }[]) {
  const days = new Map<string, string[]>();
  for (const p of parts) {
    const day = formatDate(p.startsAt, "longDay");
    days.set(day, [...(days.get(day) ?? []), `${formatDate(p.startsAt, "time")}–${formatDate(p.endsAt, "time")}`]);
  }
  return [...days].map(([day, hours]) => `${day} : ${hours.join(", ")}`);
}

export type AttendanceSheet = NonNullable<Awaited<ReturnType<typeof attendanceSheet>>>;

/** The attendance sheet of a session of the pole, or null when there is no such session. */
export async function attendanceSheet(client: Client, input: { poleId: string; sessionId: string }) {
  const session = await client.trainingSession.findFirst({
    where: { id: input.sessionId, poleId: input.poleId },
    include: {
      course: { select: { title: true, durationHours: true } },
      pole: { select: poleSelect },
      trainers: { include: { person: { select: { name: true } } }, orderBy: { person: { name: "asc" } } },
      registrations: {
        where: { status: "CONFIRMED" },
        include: {
          person: { select: { name: true, organisationName: true } },
          funder: { select: { name: true } },
          attendance: { select: { halfDayStart: true, status: true } },
        },
      },
    },
  });
  if (!session) return null;
  const parts = await sessionParts(client, session.id);
  const halfDays = halfDaysOf(parts);
  return {
    issuer: issuerOf(session.pole),
    sessionId: session.id,
    course: session.course.title,
    durationHours: session.course.durationHours,
    dates: sessionDates({ startsAt: session.startsAt, endsAt: lastPartEnd(session, parts) }),
    schedule: schedule(parts),
    rooms: [...new Set(parts.map((p) => p.resource.name))],
    trainers: session.trainers.map((t) => t.person.name),
    status: session.status,
    issued: session.createdAt,
    halfDays,
    rows: byPersonName(session.registrations).map((r) => {
      const marks = new Map(r.attendance.map((a) => [a.halfDayStart.getTime(), a.status]));
      return {
        name: r.person.name,
        organisation: r.funder?.name ?? r.person.organisationName ?? null,
        marks: halfDays.map((h) => marks.get(h.start.getTime()) ?? null),
      };
    }),
  };
}

/** "lun. 15 mars 2027" + "matin": the two lines of a half-day's column head. */
const halfDayHead = (h: HalfDay) => [
  formatDate(h.start, "date"),
  `${PERIOD_LABELS[h.period]} (${formatDate(h.start, "time")})`,
];

const NAME_WIDTH = 170;
/** At most this many half-days side by side: each keeps room for a signature. */
const COLUMNS_PER_PAGE = 4;
const HEAD_HEIGHT = 30;
const ROW_HEIGHT = 40;

/** The attendance sheet, A4: the session's facts, then the table, its half-days four by four, its rows page by page. */
export function renderAttendanceSheetPdf(s: AttendanceSheet, options: PdfOptions = {}) {
  return renderA4Pdf(
    {
      title: `Feuille d'émargement — ${s.course}`,
      author: s.issuer.legalName,
      issued: s.issued,
      footer: { legal: legalLine(s.issuer), label: "Feuille d'émargement" },
      draw: (doc) => drawSheet(doc, s),
    },
    options,
  );
}

function drawSheet(doc: Doc, s: AttendanceSheet) {
  let y = header(doc, s.issuer, "Feuille d'émargement", s.course);
  y = rows(doc, y, [
    ["Formation", `${s.course} — ${formatNumber(s.durationHours)} heures`],
    ["Dates", s.dates],
    ["Horaires", s.schedule.join("\n") || "—"],
    ["Lieu", [s.rooms.join(", "), s.issuer.address].filter(Boolean).join(" — ")],
    ["Formateur·ice·s", s.trainers.join(", ") || "—"],
    ["Organisme de formation", organismLine(s.issuer)],
  ]);
  y = paragraph(
    doc,
    y + 4,
    "Chaque stagiaire signe pour chaque demi-journée suivie ; le formateur ou la formatrice contresigne. Les présences déjà notées sont indiquées dans les cases (présent·e, en retard, absent·e, excusé·e).",
    { size: 8.5, color: MUTED },
  );
  if (s.halfDays.length === 0) {
    paragraph(doc, y + 6, "Cette session n'a plus de partie : il n'y a rien à émarger.");
    return;
  }
  // Half-days four at most side by side, the groups balanced (five make three and two, not four and one).
  const groups = Math.ceil(s.halfDays.length / COLUMNS_PER_PAGE);
  const perGroup = Math.ceil(s.halfDays.length / groups);
  for (let first = 0; first < s.halfDays.length; first += perGroup) {
    const group = s.halfDays.slice(first, first + perGroup);
    const indexes = group.map((_, i) => first + i);
    if (first > 0) y = continued(doc, s);
    y = table(doc, y + 8, s, group, indexes);
  }
}

/** A new page of the sheet, headed with what it continues. */
function continued(doc: Doc, s: AttendanceSheet) {
  doc.addPage();
  doc
    .font("Helvetica")
    .fontSize(9)
    .fillColor(MUTED)
    .text(pdf(`${s.course} — ${s.dates} — feuille d'émargement (suite)`), MARGIN, MARGIN, { width: contentWidth });
  return MARGIN + 14;
}

function organismLine(issuer: Issuer) {
  return [
    issuer.legalName,
    issuer.siren ? `SIREN ${issuer.siren}` : null,
    issuer.declarationNumber ? `déclaration d'activité n° ${issuer.declarationNumber}` : null,
  ]
    .filter(Boolean)
    .join(" — ");
}

function table(doc: Doc, y: number, s: AttendanceSheet, group: HalfDay[], indexes: number[]) {
  const columnWidth = (contentWidth - NAME_WIDTH) / group.length;
  const head = (top: number) => {
    doc.rect(MARGIN, top, contentWidth, HEAD_HEIGHT).fillColor(SHADE).fill();
    doc.fillColor(INK).font("Helvetica-Bold").fontSize(8.5);
    doc.text("Stagiaire", MARGIN + 4, top + 5, { width: NAME_WIDTH - 8, lineBreak: false });
    group.forEach((h, i) => {
      const x = MARGIN + NAME_WIDTH + i * columnWidth;
      const [date, period] = halfDayHead(h);
      doc.font("Helvetica-Bold").fontSize(8.5).fillColor(INK);
      doc.text(pdf(date), x + 4, top + 5, { width: columnWidth - 8, lineBreak: false });
      doc.font("Helvetica").fontSize(8).fillColor(MUTED);
      doc.text(pdf(period), x + 4, top + 16, { width: columnWidth - 8, lineBreak: false });
    });
    grid(doc, top, HEAD_HEIGHT, group.length, columnWidth);
    return top + HEAD_HEIGHT;
  };
  y = room(doc, y, HEAD_HEIGHT + ROW_HEIGHT);
  y = head(y);
  const lines: { name: string; organisation: string | null; marks: (AttendanceStatus | null)[] }[] = [...s.rows];
  if (lines.length === 0) {
    doc.font("Helvetica").fontSize(9).fillColor(MUTED);
    doc.text("Aucune inscription confirmée.", MARGIN + 4, y + 6, { width: contentWidth - 8 });
    y += ROW_HEIGHT / 2;
  }
  for (const row of lines) {
    if (y + ROW_HEIGHT > bottomLimit) y = head(continued(doc, s));
    doc.font("Helvetica-Bold").fontSize(9.5).fillColor(INK);
    doc.text(pdf(row.name), MARGIN + 4, y + 6, { width: NAME_WIDTH - 8, height: 12, ellipsis: true });
    if (row.organisation) {
      doc.font("Helvetica").fontSize(8).fillColor(MUTED);
      doc.text(pdf(row.organisation), MARGIN + 4, y + 20, { width: NAME_WIDTH - 8, height: 11, ellipsis: true });
    }
    indexes.forEach((index, i) => {
      const status = row.marks[index];
      if (!status) return;
      doc.font("Helvetica-Oblique").fontSize(7.5).fillColor(MUTED);
      doc.text(pdf(ATTENDANCE_LABELS[status]), MARGIN + NAME_WIDTH + i * columnWidth + 4, y + 3, {
        width: columnWidth - 8,
        lineBreak: false,
      });
    });
    grid(doc, y, ROW_HEIGHT, group.length, columnWidth);
    y += ROW_HEIGHT;
  }
  // The trainer countersigns each half-day.
  if (y + ROW_HEIGHT > bottomLimit) y = head(continued(doc, s));
  doc.rect(MARGIN, y, NAME_WIDTH, ROW_HEIGHT).fillColor(SHADE).fill();
  doc.font("Helvetica-Bold").fontSize(8.5).fillColor(INK);
  doc.text(pdf("Signature du formateur ou de la formatrice"), MARGIN + 4, y + 6, { width: NAME_WIDTH - 8 });
  grid(doc, y, ROW_HEIGHT, group.length, columnWidth);
  return y + ROW_HEIGHT;
}

function grid(doc: Doc, y: number, height: number, columns: number, columnWidth: number) {
  doc.lineWidth(0.6).strokeColor(RULE);
  doc.rect(MARGIN, y, contentWidth, height).stroke();
  for (let i = 0; i < columns; i++) {
    const x = MARGIN + NAME_WIDTH + i * columnWidth;
    doc
      .moveTo(x, y)
      .lineTo(x, y + height)
      .stroke();
  }
}

function header(doc: Doc, issuer: Issuer, title: string, subtitle: string) {
  const half = contentWidth / 2;
  doc
    .fillColor(ACCENT)
    .font("Helvetica-Bold")
    .fontSize(14)
    .text(pdf(issuer.name), MARGIN, MARGIN, { width: half - 10 });
  doc
    .fillColor(MUTED)
    .font("Helvetica")
    .fontSize(9)
    .text(
      pdf(
        [
          issuer.legalName === issuer.name ? null : issuer.legalName,
          issuer.legalForm,
          issuer.address,
          issuer.siren ? `SIREN ${issuer.siren}` : null,
          issuer.declarationNumber ? `Déclaration d'activité n° ${issuer.declarationNumber}` : null,
        ]
          .filter(Boolean)
          .join("\n"),
      ),
      { width: half - 10 },
    );
  const left = doc.y;
  doc
    .fillColor(INK)
    .font("Helvetica-Bold")
    .fontSize(16)
    .text(pdf(title.toUpperCase()), MARGIN + half, MARGIN, { width: half, align: "right" });
  doc.font("Helvetica").fontSize(10).fillColor(MUTED).text(pdf(subtitle), { width: half, align: "right" });
  return Math.max(left, doc.y) + 20;
}

function paragraph(doc: Doc, y: number, text: string, options: { bold?: boolean; size?: number; color?: string } = {}) {
  doc.font(options.bold ? "Helvetica-Bold" : "Helvetica").fontSize(options.size ?? 10.5);
  const height = doc.heightOfString(pdf(text), { width: contentWidth }) + 8;
  y = room(doc, y, height);
  doc.fillColor(options.color ?? INK).text(pdf(text), MARGIN, y, { width: contentWidth });
  return y + height;
}

function rows(doc: Doc, y: number, items: [string, string][]) {
  const label = 150;
  for (const [l, v] of items) {
    doc.font("Helvetica").fontSize(10);
    const height = Math.max(doc.heightOfString(pdf(v), { width: contentWidth - label }), 12) + 5;
    y = room(doc, y, height);
    doc.fillColor(MUTED).text(pdf(l), MARGIN, y, { width: label - 10 });
    doc.fillColor(INK).text(pdf(v), MARGIN + label, y, { width: contentWidth - label });
    y += height;
  }
  return y;
}

export type CertificateDocument = NonNullable<Awaited<ReturnType<typeof certificateDocument>>>;

/**
 * The certificate of a registration, or null when it has none — or, with `personId`, when the registration is not
 * that person's (Mon compte shows only one's own).
 */
export async function certificateDocument(
  client: Client,
  input: { poleId: string; registrationId: string; personId?: string },
) {
  const certificate = await client.certificate.findFirst({
    where: {
      poleId: input.poleId,
      registrationId: input.registrationId,
      ...(input.personId ? { registration: { personId: input.personId } } : {}),
    },
    include: {
      registration: {
        include: {
          person: { select: { name: true } },
          session: {
            include: {
              course: { select: { title: true, objectives: true, durationHours: true, evaluation: true } },
              pole: { select: poleSelect },
            },
          },
        },
      },
    },
  });
  if (!certificate) return null;
  const session = certificate.registration.session;
  const parts = await sessionParts(client, session.id);
  return {
    number: certificate.number,
    issuer: issuerOf(session.pole),
    trainee: certificate.registration.person.name,
    course: session.course.title,
    objectives: session.course.objectives.trim(),
    evaluation: session.course.evaluation.trim(),
    durationHours: session.course.durationHours,
    dates: sessionDates({ startsAt: session.startsAt, endsAt: lastPartEnd(session, parts) }),
    rooms: [...new Set(parts.map((p) => p.resource.name))],
    halfDaysPresent: certificate.halfDaysPresent,
    halfDaysTotal: certificate.halfDaysTotal,
    issuedAt: certificate.issuedAt,
  };
}

const halfDaysWord = (n: number) => `${formatNumber(n)} demi-journée${n > 1 ? "s" : ""}`;

/** The certificate of completion, A4. Deterministic: its date is the issue's. */
export function renderCertificatePdf(c: CertificateDocument, options: PdfOptions = {}) {
  return renderA4Pdf(
    {
      title: `Attestation de fin de formation ${c.number}`,
      author: c.issuer.legalName,
      issued: c.issuedAt,
      footer: { legal: legalLine(c.issuer), label: c.number },
      draw: (doc) => {
        let y = header(doc, c.issuer, "Attestation de fin de formation", `n° ${c.number}`);
        y = paragraph(
          doc,
          y,
          `${c.issuer.legalName}, organisme de formation, atteste que ${c.trainee} a suivi l'action de formation décrite ci-dessous.`,
        );
        y = rows(doc, y + 4, [
          ["Stagiaire", c.trainee],
          ["Formation", c.course],
          ["Nature de l'action", "Action de formation (article L. 6313-1 du code du travail)"],
          ["Objectifs", c.objectives || "—"],
          ["Dates", c.dates],
          ["Durée", `${formatNumber(c.durationHours)} heures`],
          [
            "Assiduité",
            `${halfDaysWord(c.halfDaysPresent)} suivie${c.halfDaysPresent > 1 ? "s" : ""} sur ${halfDaysWord(c.halfDaysTotal)}`,
          ],
          ["Lieu", [c.rooms.join(", "), c.issuer.address].filter(Boolean).join(" — ")],
          [
            "Évaluation des acquis",
            c.evaluation ||
              "Les acquis ont été évalués tout au long de la formation par le formateur ou la formatrice (mises en situation, échanges).",
          ],
        ]);
        y = paragraph(
          doc,
          y + 10,
          `Attestation délivrée en application de l'article L. 6353-1 du code du travail.${c.issuer.declarationNumber ? ` Déclaration d'activité enregistrée sous le n° ${c.issuer.declarationNumber} (cet enregistrement ne vaut pas agrément de l'État).` : ""}`,
          { size: 8.5, color: MUTED },
        );
        y = paragraph(doc, y + 12, `Fait à ${c.issuer.city}, le ${formatDate(c.issuedAt)}.`);
        y = room(doc, y + 6, 90);
        doc.font("Helvetica").fontSize(10).fillColor(INK);
        doc.text(pdf(`Pour ${c.issuer.legalName},`), MARGIN + contentWidth / 2, y, { width: contentWidth / 2 });
        doc
          .fillColor(MUTED)
          .fontSize(9)
          .text("Signature et cachet", MARGIN + contentWidth / 2, y + 14);
        doc
          .moveTo(MARGIN + contentWidth / 2, y + 70)
          .lineTo(MARGIN + contentWidth, y + 70)
          .lineWidth(0.6)
          .strokeColor(RULE)
          .stroke();
      },
    },
    options,
  );
}

/** A PDF as a download, kept out of shared caches (a person's document, a list of names). */
export { pdfResponse as trainingPdfResponse } from "~/utils/pdf.server";
