import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { lockDataDir } from "./data-dir-lock.server";

// The embedded default: PostgreSQL compiled to WASM (PGlite), served on a loopback port with the ordinary
// wire protocol so the app, the migration runner and the tests use the very same pg driver and SQL as on a real
// server. PGlite is one backend; the socket server multiplexes connections and keeps a transaction on the
// connection that opened it, so transactions stay isolated (decision 001).
export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

type Enqueue = (handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void) => Promise<number>;

// Messages after which a client waits for the backend: Sync and a simple Query end a request; Terminate ends
// the connection; a password or the end of a COPY also waits for an answer; a startup packet has no type byte
// (its first byte is a length byte, 0).
const REQUEST_ENDS = new Set([
  0x53 /* S */, 0x51 /* Q */, 0x58 /* X */, 0x48 /* H (Flush) */, 0x70 /* p (password) */, 0x63 /* c (CopyDone) */,
  0x66 /* f (CopyFail) */, 0x00,
]);

/**
 * pglite-socket queues every protocol message on its own, so outside a transaction the Parse/Bind/Execute of
 * one connection could interleave with another's on the single backend ("portal does not exist", rows of the
 * wrong query — seen with 50 concurrent requests, decision 008). Queue a connection's messages as one unit up
 * to the Sync that ends its request instead: requests then run whole, one after another.
 */
function queueWholeRequests(server: PGLiteSocketServer) {
  const queue = (server as unknown as { queryQueue: { enqueue: Enqueue } }).queryQueue;
  const enqueue = queue.enqueue.bind(queue);
  const pending = new Map<number, Uint8Array[]>();
  queue.enqueue = (handlerId, message, onData) => {
    const parts = pending.get(handlerId) ?? [];
    parts.push(message);
    if (!REQUEST_ENDS.has(message[0])) {
      pending.set(handlerId, parts);
      return Promise.resolve(0);
    }
    pending.delete(handlerId);
    return enqueue(handlerId, parts.length === 1 ? message : Buffer.concat(parts), onData);
  };
}

/**
 * With a dataDir, the folder is locked first: a second process on it throws DataDirLockedError before opening
 * anything (decision 010). In memory (tests) there is nothing to share, so no lock.
 */
export async function startEmbeddedPostgres(
  options: { dataDir?: string; port?: number } = {},
): Promise<EmbeddedDatabase> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const lock = options.dataDir ? await lockDataDir(options.dataDir) : undefined;
  let db: PGlite | undefined;
  try {
    db = await PGlite.create({ dataDir: options.dataDir, extensions: { btree_gist } });
    const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: options.port ?? 0, maxConnections: 64 });
    queueWholeRequests(server);
    await server.start();
    const address = (server as unknown as { server: { address(): { port: number } } }).server.address();
    const opened = db;
    return {
      url: `postgresql://postgres:postgres@127.0.0.1:${address.port}/postgres?sslmode=disable`,
      async stop() {
        try {
          await server.stop();
          await opened.close();
        } finally {
          await lock?.release();
        }
      },
    };
  } catch (error) {
    await db?.close().catch(() => {});
    await lock?.release();
    throw error;
  }
}
