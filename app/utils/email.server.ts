import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";
import { db as defaultDb, type Client } from "./db.server";
import { getEnv } from "./env.server";

export type EmailAttachment = { filename: string; contentType: string; content: string };
export type EmailMessage = {
  poleId?: string | null;
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: EmailAttachment[];
};

let transporter: Transporter | undefined;
let transporterUrl: string | undefined;

function smtpTransport(url: string) {
  if (!transporter || transporterUrl !== url) {
    transporter = nodemailer.createTransport(url);
    transporterUrl = url;
  }
  return transporter;
}

/**
 * The one way the app sends email. With SMTP_URL the message is delivered by SMTP and only its envelope is
 * kept (a reset link must not sit readable in the back office); without it the whole message is stored in the
 * outbox that staff read at /gestion/emails, so every emailing flow works on a fresh machine.
 * Call it after the business transaction has committed: a rolled-back change must not have mailed anyone.
 */
export async function sendEmail(message: EmailMessage, tx: Client = defaultDb) {
  const env = getEnv();
  const attachments = (message.attachments ?? []).map((a) => ({
    filename: a.filename,
    contentType: a.contentType,
    base64: Buffer.from(a.content).toString("base64"),
  }));
  const base = { poleId: message.poleId ?? null, to: message.to, subject: message.subject };
  if (!env.SMTP_URL) {
    return tx.outboxEmail.create({
      data: { ...base, text: message.text, html: message.html, attachments, transport: "OUTBOX", status: "STORED" },
    });
  }
  try {
    await smtpTransport(env.SMTP_URL).sendMail({
      from: env.MAIL_FROM,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      attachments: message.attachments,
    });
    return tx.outboxEmail.create({
      data: { ...base, text: "", attachments: [], transport: "SMTP", status: "SENT", sentAt: new Date() },
    });
  } catch (error) {
    return tx.outboxEmail.create({
      data: { ...base, text: "", transport: "SMTP", status: "FAILED", error: (error as Error).message.slice(0, 500) },
    });
  }
}
