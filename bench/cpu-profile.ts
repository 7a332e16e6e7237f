// Where the main thread's time goes while a load runs: V8's sampling profiler through the inspector, summed by
// self time per component (React rendering, Prisma, the pg driver, PGlite, Remix, Express, the app's own
// code…) and per function. BENCH_PROFILE=1 turns it on in booking.bench.ts.
import { Session } from "node:inspector/promises";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const IDLE = "(inactif)";
const OUT = "(le profileur lui-même)";

const COMPONENTS: [RegExp, string][] = [
  [/react-dom|\/react\//, "React (rendu serveur)"],
  [/@prisma|generated\/prisma|\.prisma\//, "Prisma (client, adaptateur)"],
  [/node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-)\//, "pilote pg"],
  [/@electric-sql\/pglite/, "PGlite (base embarquée)"],
  [/@remix-run|react-router|turbo-stream/, "Remix"],
  [
    /node_modules\/(express|send|serve-static|body-parser|router|finalhandler|path-to-regexp|qs|cookie|parseurl|proxy-addr)\//,
    "Express et ses modules",
  ],
  [/build\/server\/index\.js/, "code de l'application (build)"],
  [/node_modules\/(luxon|zod|@conform-to)\//, "luxon, zod, conform"],
  // Profiler.stop serialises the profile while the sampler still runs: not the server's time.
  [/bench\/cpu-profile\.ts/, OUT],
];

const SPECIAL: Record<string, string> = {
  "(garbage collector)": "ramasse-miettes (GC)",
  "(idle)": IDLE,
  "(program)": "(V8, non attribué)",
  "(root)": "(V8, non attribué)",
};

function componentOfUrl(url: string) {
  for (const [pattern, name] of COMPONENTS) if (pattern.test(url)) return name;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return pkg
    ? pkg[1]
    : url
        .replace(/^file:\/\/\/?/, "")
        .split("/")
        .slice(-2)
        .join("/");
}

const NODE = "Node.js (http, flux, crypto…)";
const isInternal = (url: string) => url === "" || /^node:|^internal\//.test(url);

/**
 * A frame's component. WebAssembly frames count for the JavaScript that called them (Prisma's query compiler
 * and PGlite are WebAssembly); Node.js's own code and native frames (a socket's writev) are told apart by the
 * library that called them — the pg driver writing queries, Remix writing a response — when there is one.
 */
function componentOf(node: Node, parents: Map<number, Node>): string {
  const { url, functionName } = node.callFrame;
  if (url === "" && SPECIAL[functionName]) return SPECIAL[functionName];
  if (url.startsWith("wasm:")) {
    for (let up = parents.get(node.id); up; up = parents.get(up.id)) {
      const caller = up.callFrame.url;
      if (caller === "" || caller.startsWith("wasm:")) continue;
      const component = componentOfUrl(caller);
      return component.startsWith("Prisma") ? "Prisma : compilateur de requêtes (WebAssembly)" : component;
    }
    return "WebAssembly";
  }
  if (!isInternal(url)) return componentOfUrl(url);
  let inNode = url !== "";
  for (let up = parents.get(node.id); up; up = parents.get(up.id)) {
    const caller = up.callFrame.url;
    if (isInternal(caller)) {
      inNode ||= caller !== "";
      continue;
    }
    const component = caller.startsWith("wasm:") ? "WebAssembly" : componentOfUrl(caller);
    return component === OUT ? OUT : `Node.js et natif (sockets, JSON…) pour : ${component}`;
  }
  return inNode ? NODE : "(V8, non attribué)";
}

/** Runs `fn` under the profiler, then prints self time by component and the heaviest functions. */
export async function profiled<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  let result: T;
  try {
    result = await fn();
  } finally {
    const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: Profile };
    session.disconnect();
    report(label, profile);
  }
  return result;
}

function report(label: string, profile: Profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, Node>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node);
  const memo = new Map<number, string>();
  const componentOfNode = (node: Node) => {
    let component = memo.get(node.id);
    if (component === undefined) memo.set(node.id, (component = componentOf(node, parents)));
    return component;
  };
  const components = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    const us = profile.timeDeltas[i] ?? 0;
    const component = componentOfNode(node);
    components.set(component, (components.get(component) ?? 0) + us);
    if (component === IDLE || component === OUT) return;
    busy += us;
    const where =
      node.callFrame.url && !node.callFrame.url.startsWith("wasm:")
        ? `${node.callFrame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/(build|app)\//, "$1/")}:${node.callFrame.lineNumber + 1}`
        : `[${component}]`;
    const key = `${node.callFrame.functionName || "(anonyme)"} ${where}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + us);
  });
  const total = [...components.values()].reduce((s, v) => s + v, 0);
  console.log(
    `\nProfil CPU du fil principal — ${label} (${(total / 1e6).toFixed(1)} s échantillonnées, ${((busy / total) * 100).toFixed(0)} % occupé) :`,
  );
  console.table(
    [...components.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([component, us]) => ({
        composant: component,
        "temps propre (ms)": Math.round(us / 1000),
        "% du temps occupé": component === IDLE || component === OUT ? "" : ((us / busy) * 100).toFixed(1),
      })),
  );
  console.table(
    [...functions.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([fn, us]) => ({ fonction: fn.slice(0, 110), "% du temps occupé": ((us / busy) * 100).toFixed(1) })),
  );
}
