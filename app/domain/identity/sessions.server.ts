import type { Client } from "~/utils/db.server";

export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Opens a session. `replacing` is the session the browser held until now: it ends here, so a session id that
 * leaked before a login (a shared computer, a fixated cookie) is worth nothing after it.
 */
export async function createSession(tx: Client, personId: string, now: Date, replacing?: string | null) {
  if (replacing) await tx.session.deleteMany({ where: { id: replacing } });
  return tx.session.create({ data: { personId, expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS) } });
}

export async function findSessionPerson(tx: Client, sessionId: string, now: Date) {
  const session = await tx.session.findUnique({ where: { id: sessionId }, include: { person: true } });
  if (!session || session.expiresAt <= now) return null;
  return session.person;
}

export function deleteSession(tx: Client, sessionId: string) {
  return tx.session.deleteMany({ where: { id: sessionId } });
}
