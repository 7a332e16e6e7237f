import { beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { runCommand } from "~/domain/commands.server";
import { invoiceInstalment } from "~/domain/leasing/index.server";
import { LedgerError } from "~/domain/ledger/index.server";
import { fail, ok, Refusal } from "~/domain/result";
import { db, inTransaction, type Client, type Db, type Tx } from "~/utils/db.server";
import type { EmailMessage } from "~/utils/email.server";
import { createPole } from "../factories";
import { resetDatabase } from "../helpers";

// The transaction and error contract (issue 13, items 5 and 6; decision 016): a command opens its transaction,
// what it leaves to do runs once it has committed, and a refusal thrown deep inside it rolls everything back and
// comes out as a Failure.

let poleId: string;
const mail = (subject: string): EmailMessage => ({ poleId, to: "lea@exemple.test", subject, text: subject });

/** A command that names an organisation and has a message sent about it; `refuse` throws after the write. */
function nameOrganisation(client: Client, input: { name: string; refuse?: Refusal }) {
  return inTransaction(client, async (tx) => {
    const organisation = await tx.organisation.create({ data: { poleId, name: input.name } });
    // Nothing is mailed while the transaction is open (read through it: the embedded database has one connection).
    expect(await tx.outboxEmail.count()).toBe(0);
    if (input.refuse) throw input.refuse;
    return ok({ id: organisation.id, emails: [mail(`Bienvenue ${input.name}`)] });
  });
}

beforeEach(async () => {
  await resetDatabase();
  poleId = (await createPole(db)).id;
});

describe("runCommand", () => {
  it("sends what the command leaves to do once it has committed", async () => {
    const result = await runCommand(nameOrganisation, { name: "La Ferme du Pech" });
    expect(result.ok).toBe(true);
    expect(await db.organisation.count({ where: { name: "La Ferme du Pech" } })).toBe(1);
    expect((await db.outboxEmail.findMany()).map((e) => e.subject)).toEqual(["Bienvenue La Ferme du Pech"]);
  });

  it("turns a refusal thrown deep inside into a Failure of the whole form: nothing written, nothing sent", async () => {
    const closed = new LedgerError("CLOSED_PERIOD", "L'exercice qui contient le 6 décembre 2026 est clôturé.", "date");
    const result = await runCommand(nameOrganisation, { name: "Les Jardins", refuse: closed });
    expect(result).toEqual(
      fail("CLOSED_PERIOD", "L'exercice qui contient le 6 décembre 2026 est clôturé.", { status: 409 }),
    );
    expect(await db.organisation.count()).toBe(0);
    expect(await db.outboxEmail.count()).toBe(0);
  });

  it("runs nothing after a failure the command returns", async () => {
    const refusing = async () => fail("FULL", "Ce créneau est complet.", { status: 409 });
    expect(await runCommand(refusing, {})).toMatchObject({ ok: false, code: "FULL", status: 409 });
    expect(await db.outboxEmail.count()).toBe(0);
  });

  it("lets a failure that is no refusal through, as the 500 it is", async () => {
    const broken = async () => {
      throw new TypeError("boom");
    };
    await expect(runCommand(broken, {})).rejects.toThrow("boom");
  });
});

describe("the transaction type", () => {
  it("tells a step that must run inside its caller's transaction apart from the pool", () => {
    // A step takes Tx: handing it the pool does not compile; a command takes Client: both do.
    expectTypeOf<Db>().not.toExtend<Tx>();
    expectTypeOf<Client>().not.toExtend<Tx>();
    expectTypeOf<Tx>().toExtend<Client>();
    expectTypeOf(invoiceInstalment).parameter(0).toEqualTypeOf<Tx>();
    expectTypeOf(runCommand<{ name: string }, { id: string }>)
      .parameter(0)
      .parameter(0)
      .toEqualTypeOf<Db>();
  });

  it("joins the caller's transaction instead of opening a second one", async () => {
    await expect(
      inTransaction(db, async (tx) => {
        await inTransaction(tx, async (inner) => {
          expect(inner).toBe(tx);
          await inner.organisation.create({ data: { poleId, name: "Dedans" } });
        });
        throw new Refusal("ROLLBACK", "Tout est annulé.");
      }),
    ).rejects.toThrow("Tout est annulé.");
    expect(await db.organisation.count()).toBe(0);
  });
});
