import type { CampaignTier, Pledge } from "~/generated/prisma/client";
import type { Client } from "~/utils/db.server";
import { poleAddress, printedLegalForm } from "~/domain/ledger/legal-identity";
import { formatCents, formatDate, formatNumber } from "~/utils/format";
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
  type Doc,
  type PdfOptions,
} from "~/utils/pdf.server";
import { pledgeParts, pledgeRef } from "./books.server";

// The documents a contributor downloads from Mon compte (decision 019, "kinds drive documents"): a share
// subscription gets a subscription certificate; a gift gets a tax receipt only where the pole is eligible (a SCIC
// usually is not); a reward is a sale, so its document is the invoice (the ledger's), never either of these.

/** The part of a pledge that is a gift (the books' split: a reward's price is a sale, the gift on top is not). */
export const giftPartOf = (p: Pledge & { tier: CampaignTier | null }) => pledgeParts(p).gift;

type DocumentPledge = Pledge & {
  tier: CampaignTier | null;
  campaign: { slug: string; title: string; mode: "ALL_OR_NOTHING" | "KEEP_IT_ALL"; status: string };
  person: { name: string; email: string };
  pole: {
    legalName: string;
    legalForm: string;
    capitalVariable: boolean;
    siren: string | null;
    rcsCity: string | null;
    addressLine: string;
    postalCode: string;
    city: string;
    taxReceiptEligible: boolean;
  };
};

async function documentPledge(client: Client, input: { poleId: string; pledgeId: string; personId: string }) {
  return (await client.pledge.findFirst({
    where: { id: input.pledgeId, poleId: input.poleId, personId: input.personId },
    include: {
      tier: true,
      campaign: { select: { slug: true, title: true, mode: true, status: true } },
      person: { select: { name: true, email: true } },
      pole: {
        select: {
          legalName: true,
          legalForm: true,
          capitalVariable: true,
          siren: true,
          rcsCity: true,
          addressLine: true,
          postalCode: true,
          city: true,
          taxReceiptEligible: true,
        },
      },
    },
  })) as DocumentPledge | null;
}

/** Whether a pledge has a subscription certificate: shares, paid up. */
export const hasShareCertificate = (p: Pick<Pledge, "status" | "shares"> & { tier: { kind: string } | null }) =>
  p.tier?.kind === "SHARE" && p.status === "COLLECTED" && (p.shares ?? 0) > 0;

/**
 * Whether a pledge has a tax receipt: the pole is eligible, the pledge holds a gift, its money is in, and it is
 * kept — a keep-it-all campaign, or an all-or-nothing one that succeeded (until then it may be given back).
 */
export const hasTaxReceipt = (
  p: Pledge & { tier: CampaignTier | null; campaign: { mode: string; status: string } },
  eligible: boolean,
) =>
  eligible &&
  p.status === "COLLECTED" &&
  giftPartOf(p) > 0 &&
  (p.campaign.mode === "KEEP_IT_ALL" || p.campaign.status === "SUCCEEDED");

export type ShareCertificate = NonNullable<Awaited<ReturnType<typeof shareCertificate>>>;

/** The subscription certificate of one of the person's pledges, or null when it has none (or is not theirs). */
export async function shareCertificate(client: Client, input: { poleId: string; pledgeId: string; personId: string }) {
  const p = await documentPledge(client, input);
  if (!p || !hasShareCertificate(p)) return null;
  const shares = p.shares ?? 0;
  return {
    kind: "certificate" as const,
    reference: pledgeRef(p),
    issuer: issuerOf(p.pole),
    subscriber: p.person,
    campaign: p.campaign.title,
    shares,
    nominalCents: p.tier!.shareNominalCents ?? Math.round(p.amountCents / shares),
    amountCents: p.amountCents,
    college: p.tier!.college,
    subscribedAt: p.securedAt ?? p.createdAt,
    paidAt: p.collectedAt ?? p.updatedAt,
    admittedAt: p.admittedAt,
  };
}

/** The pole as its documents name it: "SCIC SAS à capital variable", its address on one line. */
const issuerOf = (pole: DocumentPledge["pole"]) => ({
  ...pole,
  legalForm: printedLegalForm(pole),
  address: poleAddress(pole),
});

export type TaxReceipt = NonNullable<Awaited<ReturnType<typeof taxReceipt>>>;

/** The tax receipt of one of the person's gifts, or null when the pole is not eligible or the gift not kept. */
export async function taxReceipt(client: Client, input: { poleId: string; pledgeId: string; personId: string }) {
  const p = await documentPledge(client, input);
  if (!p || !hasTaxReceipt(p, p.pole.taxReceiptEligible)) return null;
  return {
    kind: "receipt" as const,
    reference: pledgeRef(p),
    issuer: issuerOf(p.pole),
    donor: p.person,
    campaign: p.campaign.title,
    giftCents: giftPartOf(p),
    method: p.method,
    paidAt: p.collectedAt ?? p.updatedAt,
  };
}

const METHOD_WORDS: Record<string, string> = {
  STRIPE: "carte bancaire",
  TRANSFER: "virement",
  CHEQUE: "chèque",
  CASH: "espèces",
};

function header(doc: Doc, issuer: ShareCertificate["issuer"], title: string, subtitle: string) {
  const half = contentWidth / 2;
  doc
    .fillColor(ACCENT)
    .font("Helvetica-Bold")
    .fontSize(14)
    .text(pdf(issuer.legalName), MARGIN, MARGIN, { width: half - 10 });
  doc
    .fillColor(MUTED)
    .font("Helvetica")
    .fontSize(9)
    .text(
      pdf([issuer.legalForm, issuer.siren ? `SIREN ${issuer.siren}` : null, issuer.address].filter(Boolean).join("\n")),
      {
        width: half - 10,
      },
    );
  const left = doc.y;
  doc
    .fillColor(INK)
    .font("Helvetica-Bold")
    .fontSize(16)
    .text(pdf(title.toUpperCase()), MARGIN + half, MARGIN, { width: half, align: "right" });
  doc.font("Helvetica").fontSize(10).fillColor(MUTED).text(pdf(subtitle), { width: half, align: "right" });
  return Math.max(left, doc.y) + 24;
}

function paragraph(doc: Doc, y: number, text: string, options: { bold?: boolean; size?: number; color?: string } = {}) {
  doc.font(options.bold ? "Helvetica-Bold" : "Helvetica").fontSize(options.size ?? 10.5);
  const height = doc.heightOfString(pdf(text), { width: contentWidth }) + 8;
  y = room(doc, y, height);
  doc.fillColor(options.color ?? INK).text(pdf(text), MARGIN, y, { width: contentWidth });
  return y + height;
}

function rows(doc: Doc, y: number, items: [string, string][]) {
  const label = 170;
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

/** The share subscription certificate, A4. Deterministic: its date is the payment's. */
export function renderShareCertificatePdf(c: ShareCertificate, options: PdfOptions = {}) {
  return renderA4Pdf(
    {
      title: `Attestation de souscription ${c.reference}`,
      author: c.issuer.legalName,
      issued: c.paidAt,
      footer: { legal: legalLine(c.issuer), label: `Souscription ${c.reference}` },
      draw: (doc) => {
        let y = header(doc, c.issuer, "Attestation de souscription", `Parts sociales · réf. ${c.reference}`);
        y = paragraph(
          doc,
          y,
          `${c.issuer.legalName} atteste que ${c.subscriber.name} (${c.subscriber.email}) a souscrit ${formatNumber(c.shares)} part${c.shares > 1 ? "s" : ""} sociale${c.shares > 1 ? "s" : ""} de son capital, dans le cadre de la campagne « ${c.campaign} ».`,
        );
        y = rows(doc, y + 4, [
          ["Parts souscrites", formatNumber(c.shares)],
          ["Valeur nominale d'une part", formatCents(c.nominalCents)],
          ["Montant souscrit", formatCents(c.amountCents)],
          ...(c.college ? ([["Collège", c.college]] as [string, string][]) : []),
          ["Date de souscription", formatDate(c.subscribedAt)],
          ["Montant libéré", `${formatCents(c.amountCents)} le ${formatDate(c.paidAt)}`],
          [
            "Admission",
            c.admittedAt
              ? `admis·e comme associé·e le ${formatDate(c.admittedAt)}`
              : "en attente de la décision de l'organe compétent de la coopérative",
          ],
        ]);
        y = paragraph(
          doc,
          y + 10,
          "Les parts sociales d'une coopérative ne sont pas un don : elles ne donnent pas lieu à un reçu fiscal au titre des dons. Elles sont remboursables dans les conditions prévues par les statuts ; le registre des associés fait foi.",
          { size: 9, color: MUTED },
        );
        paragraph(doc, y + 16, `Fait le ${formatDate(c.paidAt)}, pour ${c.issuer.legalName}.`);
      },
    },
    options,
  );
}

/** The tax receipt for a gift, A4 (for poles of general interest: CGI art. 200 and 238 bis). */
export function renderTaxReceiptPdf(r: TaxReceipt, options: PdfOptions = {}) {
  return renderA4Pdf(
    {
      title: `Reçu fiscal ${r.reference}`,
      author: r.issuer.legalName,
      issued: r.paidAt,
      footer: { legal: legalLine(r.issuer), label: `Reçu ${r.reference}` },
      draw: (doc) => {
        let y = header(doc, r.issuer, "Reçu au titre des dons", `Articles 200 et 238 bis du CGI · réf. ${r.reference}`);
        y = paragraph(doc, y, "Bénéficiaire des versements", { bold: true, color: ACCENT });
        y = rows(doc, y, [
          ["Organisme", `${r.issuer.legalName} (${r.issuer.legalForm})`],
          ["Adresse", r.issuer.address],
          ...(r.issuer.siren ? ([["SIREN", r.issuer.siren]] as [string, string][]) : []),
        ]);
        y = paragraph(doc, y + 8, "Donateur", { bold: true, color: ACCENT });
        y = rows(doc, y, [
          ["Nom", r.donor.name],
          ["Adresse email", r.donor.email],
        ]);
        y = paragraph(doc, y + 8, "Le don", { bold: true, color: ACCENT });
        y = rows(doc, y, [
          ["Montant", formatCents(r.giftCents)],
          ["Date du versement", formatDate(r.paidAt)],
          ["Forme du don", "don manuel"],
          ["Nature du don", "numéraire"],
          ["Mode de versement", METHOD_WORDS[r.method] ?? r.method],
          ["Objet", `campagne « ${r.campaign} »`],
        ]);
        paragraph(
          doc,
          y + 12,
          `Le bénéficiaire certifie sur l'honneur que le don ci-dessus ouvre droit à la réduction d'impôt prévue aux articles 200 et 238 bis du code général des impôts. Fait le ${formatDate(r.paidAt)}.`,
          { size: 9.5 },
        );
      },
    },
    options,
  );
}

/** A PDF as a download, kept out of shared caches (a person's document). */
export { pdfResponse } from "~/utils/pdf.server";
