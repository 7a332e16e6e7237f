import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  DataDirLockedError,
  LOCK_FILE,
  lockDataDir,
  type DataDirLock,
  type LockOwner,
} from "~/db/data-dir-lock.server";
import { freePort } from "./e2e/setup/server";

const folders: string[] = [];
const children = new Set<ChildProcess>();
const locks: DataDirLock[] = [];

async function tempFolder() {
  const folder = await mkdtemp(path.join(tmpdir(), "terrain-commun-lock-"));
  folders.push(folder);
  return folder;
}

// Whatever an assertion left running: children are spawned as group leaders, so tsx and the node process it
// starts go together.
afterEach(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, "exit");
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
      await exited;
    }
  }
  children.clear();
  for (const lock of locks.splice(0)) await lock.release();
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

const readOwner = async (folder: string) =>
  JSON.parse(await readFile(path.join(folder, LOCK_FILE), "utf8")) as LockOwner;

describe("the embedded folder's lock", () => {
  const take = async (folder: string) => {
    const lock = await lockDataDir(folder);
    locks.push(lock);
    return lock;
  };
  const writeLock = (folder: string, owner: Partial<LockOwner>) =>
    writeFile(
      path.join(folder, LOCK_FILE),
      JSON.stringify({
        pid: process.pid,
        hostname: hostname(),
        startedAt: new Date().toISOString(),
        command: "server.ts",
        nonce: "ancien",
        ...owner,
      }),
    );
  const deadPid = async () => {
    const child = spawn(process.execPath, ["-e", ""]);
    await once(child, "exit");
    return child.pid!;
  };

  it("is held until released, and refused meanwhile with the owner's PID and the way to run several instances", async () => {
    const folder = await tempFolder();
    const lock = await take(folder);
    expect(lock.owner.pid).toBe(process.pid);

    const refusal = await lockDataDir(folder).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DataDirLockedError);
    expect((refusal as DataDirLockedError).owner.nonce).toBe(lock.owner.nonce);
    expect((refusal as Error).message).toContain(`PID ${process.pid}, démarré le `);
    expect((refusal as Error).message).toContain("DATABASE_URL=postgresql://");

    await lock.release();
    expect(existsSync(path.join(folder, LOCK_FILE))).toBe(false);
    expect((await take(folder)).owner.nonce).not.toBe(lock.owner.nonce);
  });

  it("takes over a stale lock: a dead PID, a reused PID, a previous boot, an unreadable file", async () => {
    const folder = await tempFolder();
    const stale: Partial<LockOwner>[] = [{ pid: await deadPid() }];
    if (existsSync(`/proc/${process.pid}/stat`)) {
      // This very process, alive, but not the one that wrote the lock: another start time, another boot.
      stale.push({ pid: process.pid, startTicks: "1" });
      stale.push({ pid: process.pid, bootId: "00000000-0000-0000-0000-000000000000" });
    }
    for (const owner of stale) {
      await writeLock(folder, owner);
      const lock = await lockDataDir(folder);
      expect((await readOwner(folder)).nonce, JSON.stringify(owner)).toBe(lock.owner.nonce);
      await lock.release();
    }
    await writeFile(path.join(folder, LOCK_FILE), "");
    await (await lockDataDir(folder)).release();
  });

  it("has one winner among simultaneous takers, over a stale lock too", async () => {
    const folder = await tempFolder();
    const dead = await deadPid();
    // Many rounds: a rival reading the stale lock just before another replaces it is a matter of timing.
    for (let round = 0; round < 20; round++) {
      const stale = round % 2 === 1;
      if (stale) await writeLock(folder, { pid: dead, nonce: `ancien-${round}` });
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => lockDataDir(folder)));
      const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      expect(won, `tour ${round}`).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(DataDirLockedError);
      expect((await readOwner(folder)).nonce).toBe(won[0].owner.nonce);
      await won[0].release();
      expect(await readdir(folder), "ni brouillon ni garde oubliés").toEqual([]);
    }
  });

  it("is taken over after a crash in the middle of a takeover, which left its guard behind", async () => {
    const folder = await tempFolder();
    await writeLock(folder, { pid: await deadPid() });
    const staleText = await readFile(path.join(folder, LOCK_FILE), "utf8");
    const guard = `${LOCK_FILE}.takeover-${createHash("sha256").update(staleText).digest("hex").slice(0, 16)}`;
    await writeFile(
      path.join(folder, guard),
      JSON.stringify({ pid: await deadPid(), hostname: hostname(), nonce: "garde" }),
    );
    const lock = await take(folder);
    expect(await readdir(folder)).toEqual([LOCK_FILE]);
    expect((await readOwner(folder)).nonce).toBe(lock.owner.nonce);
  });

  it("is held when it names another machine, whose PIDs cannot be checked from here", async () => {
    const folder = await tempFolder();
    await writeLock(folder, { pid: await deadPid(), hostname: "autre-machine" });
    const refusal = (await lockDataDir(folder).catch((error: unknown) => error)) as Error;
    expect(refusal).toBeInstanceOf(DataDirLockedError);
    expect(refusal.message).toContain("sur la machine « autre-machine »");
    expect(refusal.message).toContain(`supprimez ${path.join(folder, LOCK_FILE)}`);
  });
});

describe("two starts of the app on one embedded folder", () => {
  // The child is always embedded, whatever the suite runs on: DATABASE_URL is removed from its environment.
  function start(script: string, dataDir: string, port: number) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      APP_ENV: "test",
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: `http://127.0.0.1:${port}`,
      EMBEDDED_DATA_DIR: dataDir,
      SEED_DEMO: "false",
      HOUSEKEEPING_SECONDS: "0",
    };
    delete env.DATABASE_URL;
    const child = spawn(path.resolve("node_modules/.bin/tsx"), [script], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    children.add(child);
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
    const exited = new Promise<number | string>((resolve) =>
      child.once("exit", (code, signal) => resolve(code ?? signal!)),
    );
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script} n'a pas démarré en 150 s :\n${output}`)), 150_000);
      child.stdout!.on("data", () => {
        if (output.includes("Terrain Commun : ")) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${script} s'est arrêté (${code}) :\n${output}`));
      });
    });
    ready.catch(() => {}); // only awaited for the starts meant to succeed
    return { child, ready, exited, output: () => output, baseUrl: `http://127.0.0.1:${port}` };
  }

  const parentPid = (pid: number) => {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  };

  it("refuses the second at once, naming the first; after a kill -9 of the first a third starts and serves", async () => {
    expect(existsSync("build/server/index.js"), "lancez `npm run build` avant ce test").toBe(true);
    const dataDir = await tempFolder();

    const first = start("server.ts", dataDir, await freePort());
    await first.ready;
    const owner = await readOwner(dataDir);
    // tsx runs server.ts in a node process of its own: the lock names that one.
    expect([owner.pid, parentPid(owner.pid)]).toContain(first.child.pid);

    const startedAt = Date.now();
    const [second, migrate] = [
      start("server.ts", dataDir, await freePort()),
      start("scripts/migrate.ts", dataDir, await freePort()),
    ];
    for (const refused of [second, migrate]) {
      expect(await refused.exited, refused.output()).toBe(1);
      expect(refused.output()).toContain(`est déjà ouverte par un autre processus : PID ${owner.pid}, démarré le `);
      expect(refused.output()).toContain("DATABASE_URL=postgresql://postgres@127.0.0.1:5432/terrain_commun npm start");
      expect(refused.output(), "pas de pile d'appels").not.toMatch(/^\s+at /m);
      // Refused before PGlite opened anything.
      expect(refused.output()).not.toMatch(/Base embarquée|Migrations/);
    }
    expect(Date.now() - startedAt).toBeLessThan(30_000);
    expect((await fetch(`${first.baseUrl}/sante`)).status).toBe(200);

    process.kill(owner.pid, "SIGKILL");
    await first.exited;
    expect((await readOwner(dataDir)).pid, "le verrou du processus tué reste sur le disque").toBe(owner.pid);

    const third = start("server.ts", dataDir, await freePort());
    await third.ready;
    const response = await fetch(`${third.baseUrl}/sante`);
    expect(response.status).toBe(200);
    expect((await readOwner(dataDir)).pid).not.toBe(owner.pid);

    // A clean stop leaves the folder free.
    third.child.kill("SIGTERM");
    expect(await third.exited).toBe(0);
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  }, 300_000);
});
