import { createHash, randomUUID } from "node:crypto";
import { readFileSync, unlinkSync } from "node:fs";
import { link, readFile, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { formatDate } from "../utils/format";

// PGlite keeps the whole database in its process and writes its files back as it goes: two processes on one
// folder each serve their own diverging copy and overwrite each other's files. PostgreSQL's postmaster.pid
// prevents that on a server; this file does the same for the embedded database (decision 010).
export const LOCK_FILE = "terrain-commun.lock";

export type LockOwner = {
  pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot): tells the owner from a later process given its PID. */
  startTicks?: string;
  /** Together with startTicks: ticks restart from zero at every boot. */
  bootId?: string;
  hostname: string;
  startedAt: string;
  command: string;
  nonce: string;
};

export type DataDirLock = { file: string; owner: LockOwner; release: () => Promise<void> };

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly file: string,
    readonly owner: LockOwner,
  ) {
    super(lockedMessage(dataDir, file, owner));
    this.name = "DataDirLockedError";
  }
}

/**
 * For start-up commands (server.ts, db:migrate, db:seed): a second start on the folder is the person's doing,
 * not a bug, so the message is printed alone — a stack trace would bury what to do.
 */
export function exitIfDataDirLocked(error: unknown): never {
  if (!(error instanceof DataDirLockedError)) throw error;
  console.error(error.message);
  process.exit(1);
}

function lockedMessage(dataDir: string, file: string, owner: LockOwner) {
  const since = Number.isNaN(Date.parse(owner.startedAt))
    ? ""
    : `, démarré le ${formatDate(owner.startedAt, "dateTime")}`;
  const where = owner.hostname === hostname() ? "" : ` sur la machine « ${owner.hostname} »`;
  return [
    `La base embarquée « ${dataDir} » est déjà ouverte par un autre processus${where} : PID ${owner.pid}${since} (${owner.command}).`,
    "Deux processus sur le même dossier garderaient chacun leur propre copie des données : arrêtez l'autre avant de relancer.",
    "Pour faire tourner plusieurs instances, pointez-les toutes vers un même serveur PostgreSQL avec DATABASE_URL, par exemple :",
    "  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/terrain_commun npm start",
    ...(where ? [`Si cette machine ne fait plus tourner l'application, supprimez ${file}.`] : []),
  ].join("\n");
}

// The start time is read after the ")" closing the command name, which may itself hold spaces and parentheses.
function readStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function readBootId(): string | undefined {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return undefined;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(text) as LockOwner;
    return Number.isInteger(owner.pid) && owner.pid > 0 && typeof owner.nonce === "string" ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the process named in a lock may still hold it; in doubt, it does. */
function ownerIsAlive(owner: LockOwner): boolean {
  // Another machine sharing the folder: its PIDs mean nothing here.
  if (owner.hostname !== hostname()) return true;
  const bootId = readBootId();
  if (owner.bootId && bootId && owner.bootId !== bootId) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: alive, under another user.
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  const startTicks = readStartTicks(owner.pid);
  return !(owner.startTicks && startTicks && owner.startTicks !== startTicks);
}

const readIfThere = (file: string) =>
  readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });

function describeSelf(): LockOwner {
  return {
    pid: process.pid,
    startTicks: readStartTicks(process.pid),
    bootId: readBootId(),
    hostname: hostname(),
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    command: [path.basename(process.argv[1] ?? process.argv0), ...process.argv.slice(2)].join(" "),
    nonce: randomUUID(),
  };
}

/**
 * Creates `file` with `content` unless it exists. The text is written whole under a temporary name then
 * hard-linked into place: link() fails if the name exists, so of simultaneous takers exactly one wins, and
 * nobody ever reads a half-written file.
 */
async function createExclusive(file: string, content: string) {
  const draft = `${file}.${randomUUID()}.tmp`;
  await writeFile(draft, content, { flag: "wx" });
  try {
    await link(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    await unlink(draft).catch(() => {});
  }
}

/** Takes the folder's lock, or throws DataDirLockedError naming its live owner. */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const file = path.join(dataDir, LOCK_FILE);
  const owner = describeSelf();
  const content = JSON.stringify(owner, null, 2) + "\n";
  for (let attempt = 0; !(await createExclusive(file, content)); attempt++) {
    const found = await readIfThere(file);
    if (found === undefined) continue; // released meanwhile
    const holder = parseOwner(found);
    if (holder && ownerIsAlive(holder)) throw new DataDirLockedError(dataDir, file, holder);
    // Bounded: each pass removes a stale lock or waits a little for a rival removing it.
    if (attempt >= 100) throw new Error(`Impossible de prendre le verrou ${file} : il change sans cesse.`);
    await removeStale(file, found);
  }

  // A crash by exception still runs "exit" listeners: leave no file behind when we can.
  const onExit = () => {
    try {
      if (readFileSync(file, "utf8") === content) unlinkSync(file);
    } catch {
      // Already gone; a stale file would be taken over anyway.
    }
  };
  process.once("exit", onExit);
  let released = false;
  return {
    file,
    owner,
    async release() {
      if (released) return;
      released = true;
      process.removeListener("exit", onExit);
      if ((await readIfThere(file)) === content) await unlink(file);
    },
  };
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Removes `file` if it still holds `staleText`, the text judged stale. Reading then unlinking is only safe if
 * nobody else replaces the file in between, so removals of one stale text are serialised by a guard file named
 * after it, taken the same exclusive way: only the guard's holder may remove that text, and a rival who took
 * the lock over meanwhile wrote another text, which is left alone. A guard left by a crash is itself stale and
 * removed the same way, one level up.
 */
async function removeStale(file: string, staleText: string, depth = 0): Promise<void> {
  const guard = `${file}.takeover-${createHash("sha256").update(staleText).digest("hex").slice(0, 16)}`;
  const mine = JSON.stringify(describeSelf());
  if (await createExclusive(guard, mine)) {
    try {
      if ((await readIfThere(file)) === staleText) await unlink(file);
    } finally {
      await unlink(guard).catch(() => {});
    }
    return;
  }
  const found = await readIfThere(guard);
  if (found === undefined) return; // that removal is over
  const holder = parseOwner(found);
  if (holder && ownerIsAlive(holder)) return pause(20); // a rival is removing it
  if (depth >= 3) throw new Error(`Impossible de reprendre le verrou ${file} : supprimez ${guard}.`);
  await removeStale(guard, found, depth + 1);
}
