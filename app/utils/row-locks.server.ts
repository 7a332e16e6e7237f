import { Prisma } from "~/generated/prisma/client";
import type { Tx } from "./db.server";

/**
 * Locks the rows of `table` matching every column of `where` until the transaction ends, and says whether there
 * was one. A flow that checks a row's state and then changes it locks first and reads after, so a concurrent
 * change waits instead of acting on the state this one read. Columns compare as text: ids, and enum values. Any
 * model can be named (each is the table of the same name: the schema maps none).
 */
export async function lockRow(tx: Tx, table: Prisma.ModelName, where: Record<string, string>): Promise<boolean> {
  const conditions = Object.entries(where).map(([column, value]) => {
    if (!/^[A-Za-z]+$/.test(column)) throw new Error(`Colonne invalide : ${column}`);
    return Prisma.sql`${Prisma.raw(`"${column}"`)}::text = ${value}`;
  });
  const rows = await tx.$queryRaw<{ found: number }[]>`
    SELECT 1 AS found FROM ${Prisma.raw(`"${table}"`)} WHERE ${Prisma.join(conditions, " AND ")} FOR UPDATE`;
  return rows.length > 0;
}
