import { createHash, randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import type { WaitlistEntry, WaitlistKind } from "~/generated/prisma/client";
import { fail, ok, type Result } from "~/domain/result";
import { inTransaction, type Client, type Tx } from "~/utils/db.server";
import { recordEvent } from "./entries.server";

// Long queues (plots) are reconfirmed once a year through a one-click link (a hashed token); an entry asked that
// does not answer within the pole's grace period lapses.

const QUEUED = ["WAITING", "OFFERED"] as const;

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/** Entries whose yearly reconfirmation is due and not yet asked: each gets a one-click token (returned once). */
export async function askReconfirmations(tx: Client, input: { kind: WaitlistKind; now: Date }) {
  const due = await tx.waitlistEntry.findMany({
    where: { kind: input.kind, status: "WAITING", reconfirmDueAt: { lte: input.now }, reconfirmAskedAt: null },
    include: {
      person: { select: { name: true, email: true } },
      pole: { select: { name: true, reconfirmGraceDays: true } },
    },
    take: 200,
  });
  const asked = [];
  for (const entry of due) {
    const token = randomBytes(24).toString("base64url");
    await tx.waitlistEntry.update({
      where: { id: entry.id },
      data: { reconfirmAskedAt: input.now, reconfirmTokenHash: hash(token) },
    });
    await recordEvent(tx, entry.id, "RECONFIRM_ASKED");
    asked.push({
      entry,
      token,
      lapsesAt: DateTime.fromJSDate(input.now).plus({ days: entry.pole.reconfirmGraceDays }).toJSDate(),
    });
  }
  return asked;
}

/** The one-click link: the entry stays in the queue, at its place, for another period. */
export function reconfirm(
  client: Client,
  input: { token: string; now: Date; months: (tx: Tx, poleId: string) => Promise<number> },
): Promise<Result<WaitlistEntry>> {
  return inTransaction(client, async (tx) => {
    const entry = await tx.waitlistEntry.findUnique({ where: { reconfirmTokenHash: hash(input.token) } });
    if (!entry)
      return fail(
        "UNKNOWN_TOKEN",
        "Ce lien n'est pas (ou plus) valable : votre demande a peut-être déjà été confirmée.",
        { status: 410 },
      );
    if (!(QUEUED as readonly string[]).includes(entry.status))
      return fail("NOT_QUEUED", "Cette candidature n'est plus sur la liste d'attente.", { status: 410 });
    const updated = await tx.waitlistEntry.update({
      where: { id: entry.id },
      data: {
        reconfirmedAt: input.now,
        reconfirmAskedAt: null,
        reconfirmTokenHash: null,
        reconfirmDueAt: DateTime.fromJSDate(input.now)
          .plus({ months: await input.months(tx, entry.poleId) })
          .toJSDate(),
      },
    });
    await recordEvent(tx, entry.id, "RECONFIRMED", { actorId: entry.personId });
    return ok(updated);
  });
}

/** Entries asked to reconfirm that did not within the pole's grace period leave the queue. */
export async function lapseUnconfirmed(tx: Client, input: { kind: WaitlistKind; now: Date }) {
  const asked = await tx.waitlistEntry.findMany({
    where: { kind: input.kind, status: "WAITING", reconfirmAskedAt: { not: null } },
    include: {
      pole: { select: { reconfirmGraceDays: true, name: true } },
      person: { select: { name: true, email: true } },
    },
  });
  const lapsed = [];
  for (const entry of asked) {
    // The grace period runs from the email, not from the due date: an entry asked late still gets all of it.
    if (
      DateTime.fromJSDate(entry.reconfirmAskedAt!).plus({ days: entry.pole.reconfirmGraceDays }).toJSDate() > input.now
    )
      continue;
    const { count } = await tx.waitlistEntry.updateMany({
      where: { id: entry.id, status: "WAITING" },
      data: { status: "LAPSED", reconfirmTokenHash: null },
    });
    if (count === 0) continue;
    await recordEvent(tx, entry.id, "LAPSED", { note: "Demande non reconfirmée à temps" });
    lapsed.push(entry);
  }
  return lapsed;
}
