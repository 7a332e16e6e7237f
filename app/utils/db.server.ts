import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/prisma/client";
import { getEnv } from "./env.server";

export type { Prisma } from "~/generated/prisma/client";
export type Db = PrismaClient;
/** What a domain function receives: the client or a transaction of it. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

declare global {
  // Survives module reloads in development so connections are not leaked.
  var __terrainCommunDb: PrismaClient | undefined;
}

function createClient() {
  const url = getEnv().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL n'est pas défini : le serveur doit démarrer la base avant l'application.");
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });
}

export const db: PrismaClient = (globalThis.__terrainCommunDb ??= createClient());

/**
 * Runs `fn` inside a transaction: the caller's when `client` already is one, a new one when it is the root
 * client. Domain functions that write several rows which must commit together (an entry and its lines) use it.
 */
export function inTransaction<T>(client: Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const root = client as Partial<Pick<PrismaClient, "$transaction">>;
  return typeof root.$transaction === "function"
    ? root.$transaction((tx) => fn(tx), { maxWait: 10_000, timeout: 30_000 })
    : fn(client);
}
