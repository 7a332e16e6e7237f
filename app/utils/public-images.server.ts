import { readdir } from "node:fs/promises";
import path from "node:path";

// The images staff may choose for a page (a campaign's picture): the files under public/images, served as is.
const IMAGE = /\.(svg|png|jpe?g|webp)$/i;

/** Every image under public/images, as the path a page links to ("/images/espaces/grange.svg"), sorted. */
export async function publicImages(root = path.resolve("public")): Promise<string[]> {
  const base = path.join(root, "images");
  let entries: string[];
  try {
    entries = (await readdir(base, { recursive: true })) as string[];
  } catch {
    return [];
  }
  return entries
    .filter((e) => IMAGE.test(e))
    .map((e) => `/images/${e.split(path.sep).join("/")}`)
    .sort();
}

/** The choices of an image select: each path with its file name as label. */
export const imageChoices = (paths: string[]) => paths.map((p) => ({ value: p, label: p.replace(/^\/images\//, "") }));
