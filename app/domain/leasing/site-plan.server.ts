import { readFileSync, statSync } from "node:fs";
import path from "node:path";

// The site plan (public/images/terres/plan-du-site.svg) split for the map page: the fixed background (canal,
// lane, buildings, wood) as SVG markup, and each plot's outline by its id `parcelle-<code>` (a plot's shapeId),
// with the point where the plan puts its label. The file is ours and static; it is read once (again when it
// changes) and what is passed on is stripped of anything executable, since the page inlines it.

export type PlanShape = { id: string; d: string; label: { x: number; y: number } };
export type SitePlan = { viewBox: string; title: string; background: string; shapes: PlanShape[] };

export const SITE_PLAN_FILE = path.join("public", "images", "terres", "plan-du-site.svg");

let cached: { file: string; mtimeMs: number; plan: SitePlan } | null = null;

export function readSitePlan(file = path.resolve(process.cwd(), SITE_PLAN_FILE)): SitePlan {
  const { mtimeMs } = statSync(file);
  if (cached?.file === file && cached.mtimeMs === mtimeMs) return cached.plan;
  const plan = parseSitePlan(readFileSync(file, "utf8"));
  cached = { file, mtimeMs, plan };
  return plan;
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`).exec(tag)?.[1] ?? null;

export function parseSitePlan(svg: string): SitePlan {
  const root = /<svg\b[^>]*>/.exec(svg);
  if (!root) throw new Error("Le plan du site n'est pas un fichier SVG.");
  const viewBox = attr(root[0], "viewBox") ?? "0 0 1000 700";
  const inner = svg.slice(root.index + root[0].length, svg.lastIndexOf("</svg>"));
  const title = /<title\b[^>]*>([^<]*)<\/title>/.exec(inner)?.[1]?.trim() ?? "Plan du site";

  // The plots' group is drawn by the page; everything else is the background.
  const group = /<g\b[^>]*\bid="parcelles"[^>]*>([\s\S]*?)<\/g>/.exec(inner);
  const plots = group?.[1] ?? inner;
  const shapes: PlanShape[] = [];
  const pathTag = /<path\b[^>]*>/g;
  for (let m = pathTag.exec(plots); m; m = pathTag.exec(plots)) {
    const id = attr(m[0], "id");
    const d = attr(m[0], "d");
    if (!id?.startsWith("parcelle-") || !d) continue;
    // The plan's own label for the plot is the <text> that follows its outline; else the outline's centre.
    const next = /^\s*<text\b[^>]*>/.exec(plots.slice(m.index + m[0].length));
    const x = next ? Number(attr(next[0], "x")) : NaN;
    const y = next ? Number(attr(next[0], "y")) : NaN;
    shapes.push({ id, d, label: Number.isFinite(x) && Number.isFinite(y) ? { x, y } : centre(d) });
  }

  let background = group ? inner.replace(group[0], "") : "";
  background = background
    .replace(/<title\b[^>]*>[\s\S]*?<\/title>/g, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<(script|foreignObject|iframe|object|embed)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/<(script|foreignObject|iframe|object|embed)\b[^>]*\/>/gi, "")
    .replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*')/gi, "")
    .replace(/\s(?:xlink:)?href\s*=\s*("\s*javascript:[^"]*"|'\s*javascript:[^']*')/gi, "")
    .replace(/\n\s*\n/g, "\n")
    .trim();
  return { viewBox, title, background, shapes };
}

/** The mean of an outline's points: good enough to place a label in a convex plot. */
function centre(d: string) {
  const numbers = (d.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
  const xs = numbers.filter((_, i) => i % 2 === 0);
  const ys = numbers.filter((_, i) => i % 2 === 1);
  const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0);
  return { x: Math.round(mean(xs)), y: Math.round(mean(ys)) };
}
