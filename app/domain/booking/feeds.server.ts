import { randomBytes } from "node:crypto";
import { inTransaction, type Client } from "~/utils/db.server";
import { isUniqueViolation } from "~/utils/db-errors.server";

// A person's private calendar address: a random token in the URL is the only credential (calendar apps cannot
// log in), so it is long, unguessable, and revocable — a new address kills the old one.

export function activeFeed(tx: Client, input: { poleId: string; personId: string }) {
  return tx.calendarFeed.findFirst({ where: { poleId: input.poleId, personId: input.personId, revokedAt: null } });
}

/** A new address, the old one revoked in the same transaction; a concurrent renewal's address wins. */
export async function renewFeed(client: Client, input: { poleId: string; personId: string; now: Date }) {
  try {
    return await inTransaction(client, async (tx) => {
      await revokeFeed(tx, input);
      return tx.calendarFeed.create({
        data: { poleId: input.poleId, personId: input.personId, token: randomBytes(24).toString("base64url") },
      });
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return (await activeFeed(client, input))!;
  }
}

export function revokeFeed(tx: Client, input: { poleId: string; personId: string; now: Date }) {
  return tx.calendarFeed.updateMany({
    where: { poleId: input.poleId, personId: input.personId, revokedAt: null },
    data: { revokedAt: input.now },
  });
}

export function findFeed(tx: Client, token: string) {
  return tx.calendarFeed.findFirst({ where: { token, revokedAt: null }, include: { pole: true } });
}
