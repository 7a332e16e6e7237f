import type { Tx } from "./db.server";

const NAME = /^[a-z][a-z_]*$/;

/**
 * Runs `fn` in a savepoint of the caller's transaction: when the database refuses one of its statements — or
 * `undo(value)` says its answer is a refusal whose writes must not stay — only its own writes are undone and the
 * transaction goes on, where PostgreSQL would otherwise abort all of it. A thrown error still reaches the caller.
 */
export async function withSavepoint<T>(
  tx: Tx,
  name: string,
  fn: () => Promise<T>,
  undo: (value: T) => boolean = () => false,
): Promise<T> {
  // The name is spliced into the statement: only a fixed identifier may be.
  if (!NAME.test(name)) throw new Error(`Nom de point de sauvegarde invalide : ${name}`);
  await tx.$executeRawUnsafe(`SAVEPOINT ${name}`);
  let value: T;
  try {
    value = await fn();
  } catch (error) {
    await rollBack(tx, name);
    throw error;
  }
  if (undo(value)) await rollBack(tx, name);
  else await tx.$executeRawUnsafe(`RELEASE SAVEPOINT ${name}`);
  return value;
}

async function rollBack(tx: Tx, name: string) {
  await tx.$executeRawUnsafe(`ROLLBACK TO SAVEPOINT ${name}`);
  await tx.$executeRawUnsafe(`RELEASE SAVEPOINT ${name}`);
}
