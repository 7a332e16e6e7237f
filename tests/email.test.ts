import { SMTPServer } from "smtp-server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sendEmail } from "~/utils/email.server";
import { db } from "~/utils/db.server";
import { resetEnvCache } from "~/utils/env.server";
import { resetDatabase } from "./helpers";

beforeEach(resetDatabase);
afterEach(() => {
  delete process.env.SMTP_URL;
  resetEnvCache();
});

describe("email sender", () => {
  it("keeps the whole message in the outbox when no SMTP server is configured", async () => {
    const record = await sendEmail({
      to: "a@exemple.test",
      subject: "Bonjour",
      text: "Corps",
      html: "<p>Corps</p>",
      attachments: [{ filename: "rdv.ics", contentType: "text/calendar", content: "BEGIN:VCALENDAR" }],
    });
    expect(record).toMatchObject({ transport: "OUTBOX", status: "STORED", text: "Corps" });
    expect(record.attachments).toEqual([
      { filename: "rdv.ics", contentType: "text/calendar", base64: Buffer.from("BEGIN:VCALENDAR").toString("base64") },
    ]);
  });

  it("delivers through a real SMTP server and keeps only the envelope", async () => {
    const received: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, _session, callback) {
        let raw = "";
        stream.on("data", (chunk: Buffer) => (raw += chunk.toString()));
        stream.on("end", () => {
          received.push(raw);
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.server.address() as { port: number }).port;
    process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
    resetEnvCache();
    try {
      const record = await sendEmail({
        to: "b@exemple.test",
        subject: "Réinitialisation",
        text: "https://exemple.test/jeton-secret",
      });
      expect(record).toMatchObject({ transport: "SMTP", status: "SENT", text: "" });
      expect(received).toHaveLength(1);
      expect(received[0]).toContain("To: b@exemple.test");
      expect(received[0]).toContain("jeton-secret");
      expect(await db.outboxEmail.count({ where: { text: { contains: "jeton-secret" } } })).toBe(0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("records a failed delivery instead of throwing", async () => {
    process.env.SMTP_URL = "smtp://127.0.0.1:1";
    resetEnvCache();
    const record = await sendEmail({ to: "c@exemple.test", subject: "Perdu", text: "…" });
    expect(record).toMatchObject({ transport: "SMTP", status: "FAILED" });
    expect(record.error).toBeTruthy();
  });
});
