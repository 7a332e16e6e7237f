import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PaymentPurpose } from "~/generated/prisma/enums";
import type { PurposeHandler } from "~/domain/payments/index.server";
import type { StreamDefinition } from "~/domain/stream-definition";
import { checkStreams, PAYMENT_HANDLERS, STREAMS, SWEEPS } from "~/domain/streams.server";

// The stream registry (decision 013): every payment purpose handled once, nothing claimed twice, and the shared
// modules free of any stream — what makes adding a stream a folder plus one line.

const domain = path.resolve("app/domain");
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
/** The folders of app/domain that define a stream. */
const streamFolders = readdirSync(domain, { withFileTypes: true })
  .filter((e) => e.isDirectory() && readdirSync(path.join(domain, e.name)).includes("stream.server.ts"))
  .map((e) => e.name);

describe("the stream registry", () => {
  it("has one handler for every payment purpose, under its own code, and sweeps with distinct names", () => {
    expect(streamFolders.sort()).toEqual(["booking", "crowdfunding", "leasing", "training"]);
    expect(Object.keys(PAYMENT_HANDLERS).sort()).toEqual(Object.values(PaymentPurpose).sort());
    for (const [purpose, handler] of Object.entries(PAYMENT_HANDLERS)) expect(handler.purpose).toBe(purpose);
    const names = SWEEPS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    // The payments' sweep comes last: it closes the pages of what the streams' sweeps just released.
    expect(names.at(-1)).toBe("payments");
  });

  it("refuses a thing claimed by two streams, and a payment purpose nobody handles", () => {
    const [coworking, land] = STREAMS;
    const copy = (s: StreamDefinition, changes: Partial<StreamDefinition>) => ({ ...s, ...changes });
    expect(() => checkStreams([coworking, copy(land, { ledgerStream: "COWORKING" })])).toThrow(
      "le flux comptable COWORKING est déclaré par « coworking » et « land »",
    );
    expect(() =>
      checkStreams([
        coworking,
        copy(land, { paymentPurposes: [...land.paymentPurposes, coworking.paymentPurposes[0]] }),
      ]),
    ).toThrow(`le motif de paiement ${coworking.paymentPurposes[0].purpose} est déclaré par`);
    expect(() => checkStreams([coworking, copy(land, { waitlistKinds: coworking.waitlistKinds })])).toThrow(
      "la liste d'attente",
    );
    expect(() => checkStreams([coworking, copy(land, { sweeps: [{ ...land.sweeps[0], name: "payments" }] })])).toThrow(
      "le ménage payments",
    );
    expect(() => checkStreams([coworking])).toThrow(
      `aucun gestionnaire pour ${land.paymentPurposes.map((h: PurposeHandler) => h.purpose).join(", ")}`,
    );
    expect(() => checkStreams(STREAMS)).not.toThrow();
  });

  it("keeps payments and the server free of any stream", () => {
    const targetColumns = Object.values(PAYMENT_HANDLERS).map((h) => h.targetColumn);
    const importsStream = new RegExp(`from "(~/domain/|\\./app/domain/|\\.\\./)(${streamFolders.join("|")})/`);
    for (const file of filesUnder(path.join(domain, "payments"))) {
      const source = readFileSync(file, "utf8");
      expect(source, file).not.toMatch(importsStream);
      for (const column of targetColumns) expect(source, `${file} names ${column}`).not.toContain(column);
      for (const purpose of Object.values(PaymentPurpose)) expect(source, file).not.toContain(`"${purpose}"`);
    }
    const server = readFileSync(path.resolve("server.ts"), "utf8");
    expect(server).not.toMatch(new RegExp(`app/domain/(${streamFolders.join("|")})/`));
    expect(server).not.toMatch(/sweepBookings|sweepLand/);
  });
});
