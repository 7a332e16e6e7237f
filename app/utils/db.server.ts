import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/prisma/client";
import { getEnv } from "./env.server";

export type { Prisma } from "~/generated/prisma/client";
export type Db = PrismaClient;
/**
 * A database client, the pool or a transaction of it: what a query takes, and a command that opens a transaction
 * (or joins its caller's) through `inTransaction`.
 */
export type Client = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

declare const insideTransaction: unique symbol;
/**
 * Inside a transaction, told apart from the pool by the type: what a step that must commit with its caller's
 * other writes takes. Only `inTransaction` hands one out, so passing the pool is a type error.
 */
export type Tx = Client & { readonly [insideTransaction]: true };

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
export function inTransaction<T>(
  client: Client,
  fn: (tx: Tx) => Promise<T>,
  options: { maxWait?: number; timeout?: number } = {},
): Promise<T> {
  const root = client as Partial<Pick<PrismaClient, "$transaction">>;
  return typeof root.$transaction === "function"
    ? root.$transaction((tx) => fn(tx as unknown as Tx), { ...TRANSACTION_OPTIONS, ...options })
    : fn(client as Tx);
}

const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 };
