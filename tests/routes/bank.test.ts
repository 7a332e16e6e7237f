import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { DEMO_POLE } from "../../prisma/demo/pole";
import { DEMO_POLE_SLUG, post, type LineInput } from "~/domain/ledger/index.server";
import { isoDate } from "~/domain/ledger/dates";
import { cents } from "~/domain/money";
import * as bank from "~/routes/gestion+/comptabilite.banque";
import * as demo from "~/routes/gestion+/comptabilite.banque.releve-demo";
import * as layout from "~/routes/gestion+/comptabilite";
import { db } from "~/utils/db.server";
import { createPole } from "../factories";
import { callRoute, json, logInEveryRole, makeRequest, resetDatabase, routeCallers, type Role } from "../helpers";

// The bank page through its real route modules: who may see it, uploading each kind of file (and the refusals),
// the CSV mapping step, matching from a suggestion or a hand-made selection, unmatching, the demo statement.

const PATH = "/gestion/comptabilite/banque";
const fixture = (name: string) => readFileSync(new URL(`../fixtures/bank/${name}`, import.meta.url));
const cookies: Record<Role, string> = { ADMIN: "", STAFF: "", MEMBER: "", USER: "" };
const { get, post: send } = routeCallers(cookies);
let poleId: string;
const bankLineOf: Record<string, number> = {};

async function book(date: string, pieceRef: string, label: string, lines: LineInput[]) {
  const { entry } = await post(db, {
    poleId,
    sourceKey: `t:${pieceRef}`,
    date: isoDate(date),
    journal: "BQ",
    label,
    pieceRef,
    lines,
  });
  bankLineOf[pieceRef] = entry.lines.find((l) => l.account.code === "512000")!.id;
}

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db, { slug: DEMO_POLE_SLUG, siren: "912345675" })).id;
  await logInEveryRole(poleId, cookies);
  const receipt = (date: string, ref: string, label: string, amount: number) =>
    book(date, ref, label, [
      { account: "512000", debit: cents(amount) },
      { account: "411000", credit: cents(amount) },
    ]);
  await book("2026-11-05", "LOYER-2026-11", "Loyer du domaine — 2026-11", [
    { account: "613200", debit: cents(150_000) },
    { account: "512000", credit: cents(150_000) },
  ]);
  await receipt("2026-11-10", "F-2026-0101", "Règlement F-2026-0101 — Maraîchers", 180_000);
  await receipt("2026-11-10", "F-2026-0102", "Règlement F-2026-0102 — Couveuse", 120_000);
  await receipt("2026-11-15", "F-2026-0098", "Règlement F-2026-0098 — Compost'Lauragais", 120_000);
});

function upload(name: string, bytes: Uint8Array | string, role: Role = "STAFF") {
  const form = new FormData();
  form.set("intent", "upload");
  form.set("fichier", new File([bytes as BlobPart], name));
  return callRoute(
    bank.action,
    new Request(`http://localhost${PATH}`, { method: "POST", body: form, headers: { Cookie: cookies[role] } }),
  );
}

type Reply = {
  intent: string;
  status: string;
  message?: string;
  error?: Record<string, string[] | null>;
  mapping?: { columns: string[]; content: string; filename: string; guess: Record<string, string> };
};
type LoaderData = {
  counts: { lines: number; matched: number };
  unmatched: {
    count: number;
    lines: { id: string; amount: number; suggestions: { lines: { entryLineId: number }[] }[] }[];
  };
  books: { count: number };
  matched: { id: string; letter: string; canUnmatch: boolean }[];
  pick: { candidates: { entryLineId: number }[] } | null;
  demoMonth: string | null;
};
const page = async (query = "") => json<LoaderData>(await get(bank.loader, `${PATH}${query}`));

describe("access", () => {
  it("sends a visitor to log in and refuses members and users with a French 403, page, actions and demo file", async () => {
    for (const handler of [bank.loader, bank.action, demo.loader, layout.loader]) {
      const visitor = await callRoute(handler, makeRequest(PATH, handler === bank.action ? { form: {} } : {}));
      expect(visitor.status).toBe(302);
      for (const role of ["USER", "MEMBER"] as const) {
        const response = await callRoute(
          handler,
          makeRequest(`${PATH}/releve-demo?mois=2026-11`, {
            cookie: cookies[role],
            ...(handler === bank.action ? { form: { intent: "match" } } : {}),
          }),
        );
        expect(response.status).toBe(403);
        expect(await response.json()).toEqual({ message: "Cette page est réservée à l'équipe du pôle." });
      }
    }
    expect(await db.bankStatement.count()).toBe(0);
  });

  it("shows staff an empty page with the demo statement offered on the demo pole", async () => {
    const data = await page();
    expect(data).toMatchObject({
      counts: { lines: 0, matched: 0 },
      unmatched: { count: 0 },
      demoMonth: expect.stringMatching(/^\d{4}-\d{2}$/),
    });
  });
});

describe("uploading a statement", () => {
  it("imports an OFX file, then refuses it again with a 409, and refuses what is not a statement", async () => {
    const first = await upload("novembre.ofx", fixture("credit-cooperatif-2026-11.ofx"));
    expect(first.status).toBe(200);
    expect(await json<Reply>(first)).toMatchObject({
      status: "success",
      message: "Relevé importé : 5 ligne(s) importée(s).",
    });

    const again = await upload("novembre (1).ofx", fixture("credit-cooperatif-2026-11.ofx"));
    expect(again.status).toBe(409);
    expect((await json<Reply>(again)).error?.fichier?.[0]).toMatch(/^Ce fichier a déjà été importé le /);

    const letter = await upload("lettre.txt", "Bonjour,\nvoici notre relevé.\n");
    expect(letter.status).toBe(422);
    expect((await json<Reply>(letter)).error?.fichier).toEqual([
      "Ce fichier n'est pas un relevé bancaire reconnu : importez un relevé OFX, CAMT.053 (XML) ou CSV exporté de votre banque.",
    ]);
    const truncated = await upload("coupe.xml", fixture("banque-postale-camt053-001-02.xml").subarray(0, 2000));
    expect(truncated.status).toBe(422);
    const empty = await send(bank.action, PATH, { intent: "upload" });
    expect(empty.status).toBe(400);
    expect(await db.bankLine.count()).toBe(5);
  });

  it("asks a CSV's columns, refuses a column the file lacks on its field, then imports", async () => {
    const asked = await upload("sg.csv", fixture("societe-generale-2026-11.csv"));
    expect(asked.status).toBe(200);
    const step = await json<Reply>(asked);
    expect(step).toMatchObject({
      intent: "mapping",
      mapping: {
        columns: ["Date opération", "Date valeur", "Libellé", "Débit", "Crédit"],
        guess: { amountMode: "split" },
      },
    });
    expect(await db.bankStatement.count()).toBe(0);
    const mapping = {
      intent: "mapping",
      content: step.mapping!.content,
      filename: "sg.csv",
      date: "Date opération",
      dateFormat: "JJ/MM/AAAA",
      amountMode: "split",
      debit: "Débit",
      credit: "Crédit (EUR)",
      label: "Libellé",
      decimal: ",",
    };
    const wrong = await send(bank.action, PATH, mapping);
    expect(wrong.status).toBe(422);
    const refused = await json<Reply>(wrong);
    expect(refused.error?.credit).toEqual([
      "La colonne « Crédit (EUR) » n'existe pas dans ce fichier (colonnes : Date opération, Date valeur, Libellé, Débit, Crédit).",
    ]);
    expect(refused.mapping?.columns).toHaveLength(5);
    const missing = await send(bank.action, PATH, { ...mapping, label: "" });
    expect(missing.status).toBe(400);
    expect((await json<Reply>(missing)).error?.label).toEqual(["Choisissez la colonne « Libellé »."]);
    expect(await db.bankStatement.count()).toBe(0);

    const done = await send(bank.action, PATH, { ...mapping, credit: "Crédit" });
    expect(done.status).toBe(200);
    expect(await json<Reply>(done)).toMatchObject({
      status: "success",
      message: "Relevé importé : 5 ligne(s) importée(s).",
    });
    expect(await db.bankStatement.findFirst()).toMatchObject({ format: "CSV", filename: "sg.csv" });
  });
});

describe("matching", () => {
  it("matches from a suggestion, refuses the same line again with a 409, and unmatches", async () => {
    await upload("novembre.ofx", fixture("credit-cooperatif-2026-11.ofx"));
    const before = await page();
    expect(before.unmatched.count).toBe(5);
    const line = before.unmatched.lines.find((l) => l.amount === 120_000)!;
    const [best] = line.suggestions;
    expect(best.lines.map((l) => l.entryLineId)).toEqual([bankLineOf["F-2026-0098"]]);

    const form = { intent: "match", bankLineId: line.id, entryLineIds: String(best.lines[0].entryLineId) };
    const matched = await send(bank.action, PATH, form);
    expect(matched.status).toBe(200);
    expect(await json<Reply>(matched)).toMatchObject({ status: "success", message: "Ligne rapprochée : lettre AA." });
    const twice = await send(bank.action, PATH, { ...form, entryLineIds: String(bankLineOf["F-2026-0102"]) });
    expect(twice.status).toBe(409);
    expect((await json<Reply>(twice)).error?.[""]).toEqual(["Cette ligne du relevé est déjà rapprochée (lettre AA)."]);

    const after = await page();
    expect(after).toMatchObject({ counts: { matched: 1 }, unmatched: { count: 4 } });
    expect(after.matched).toEqual([expect.objectContaining({ letter: "AA", canUnmatch: true })]);
    const undone = await send(bank.action, PATH, { intent: "unmatch", bankLineId: line.id });
    expect(undone.status).toBe(200);
    expect((await page()).counts.matched).toBe(0);
    expect((await send(bank.action, PATH, { intent: "unmatch", bankLineId: line.id })).status).toBe(409);
  });

  it("matches one bank line to several lines picked by hand, and refuses a selection of another total", async () => {
    await upload("lbp.xml", fixture("banque-postale-camt053-001-02.xml"));
    const batch = (await page()).unmatched.lines.find((l) => l.amount === 300_000)!;
    const picking = await page(`?ligne=${batch.id}`);
    expect(picking.pick?.candidates.map((c) => c.entryLineId)).toEqual([
      bankLineOf["F-2026-0101"],
      bankLineOf["F-2026-0102"],
      bankLineOf["F-2026-0098"],
    ]);
    const body = new URLSearchParams({ intent: "match", bankLineId: batch.id });
    body.append("entryLineIds", String(bankLineOf["F-2026-0101"]));
    const sendBody = () =>
      callRoute(
        bank.action,
        makeRequest(PATH, {
          cookie: cookies.STAFF,
          body: body.toString(),
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
        }),
      );
    const wrongTotal = await sendBody();
    expect(wrongTotal.status).toBe(422);
    body.append("entryLineIds", String(bankLineOf["F-2026-0102"]));
    const matched = await sendBody();
    expect(matched.status).toBe(200);
    expect(await db.bankMatch.count({ where: { bankLineId: batch.id } })).toBe(2);
  });

  it("refuses a match without a line to match with a 400", async () => {
    await upload("novembre.ofx", fixture("credit-cooperatif-2026-11.ofx"));
    const [line] = (await page()).unmatched.lines;
    const response = await send(bank.action, PATH, { intent: "match", bankLineId: line.id });
    expect(response.status).toBe(400);
    expect((await json<Reply>(response)).error?.[""]).toEqual(["Cochez au moins une écriture à rapprocher."]);
  });
});

describe("the demo statement", () => {
  it("downloads a CAMT.053 of a month on the demo pole, which imports; another pole gets a 404", async () => {
    const response = await get(demo.loader, `${PATH}/releve-demo?mois=2026-11`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="releve-demo-camt053-2026-11.xml"');
    const body = new Uint8Array(await response.arrayBuffer());
    const imported = await upload("releve-demo-camt053-2026-11.xml", body);
    expect(await json<Reply>(imported)).toMatchObject({
      status: "success",
      message: "Relevé importé : 5 ligne(s) importée(s).",
    });
    expect((await get(demo.loader, `${PATH}/releve-demo?mois=2026-13`)).status).toBe(400);

    await db.pole.update({ where: { id: poleId }, data: { slug: "autre-pole" } });
    expect((await get(demo.loader, `${PATH}/releve-demo?mois=2026-11`)).status).toBe(404);
    expect((await page()).demoMonth).toBeNull();
  });

  it("is offered on the seed's demo pole", () => {
    expect(DEMO_POLE.slug).toBe(DEMO_POLE_SLUG);
  });
});
