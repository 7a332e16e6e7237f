// A small, strict reader of the markup bank files are written in: XML (CAMT.053, OFX 2.x) and the SGML of OFX 1.x,
// where a leaf element's closing tag is left out (`<TRNAMT>-12.50` up to the next tag). One reader for both so the
// three formats share one notion of "truncated": an element opened and never closed. No DTD, no external entity,
// no entity declaration is read (a DOCTYPE is refused), so a file cannot make the server fetch or expand anything.

export type MarkupElement = {
  /** The local name: a namespace prefix is dropped ("ns2:Document" → "Document"). Upper-cased in SGML mode. */
  name: string;
  attributes: Record<string, string>;
  children: MarkupElement[];
  /** The element's own text, entities decoded, trimmed. */
  text: string;
};

export type MarkupProblem = { problem: "truncated" | "malformed" | "unsupported"; detail: string };
export type MarkupResult = { ok: true; root: MarkupElement } | ({ ok: false } & MarkupProblem);

/** Deeper than any bank file and far below what would exhaust the stack. */
const MAX_DEPTH = 64;
const MAX_ELEMENTS = 500_000;

const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const NAME = /^[A-Za-z_][\w.:-]*$/;

const localName = (qualified: string) => qualified.slice(qualified.indexOf(":") + 1);

/** Decodes the five predefined entities and character references; in SGML a stray "&" stays as it is. */
function decodeEntities(raw: string, strict: boolean): string | null {
  let failed = false;
  const out = raw.replace(/&(#x[0-9a-fA-F]+|#\d+|[A-Za-z]+);?/g, (whole, ref: string) => {
    const terminated = whole.endsWith(";");
    let value: string | undefined;
    if (ref.startsWith("#x")) value = safeCodePoint(parseInt(ref.slice(2), 16));
    else if (ref.startsWith("#")) value = safeCodePoint(parseInt(ref.slice(1), 10));
    else value = PREDEFINED[ref];
    if (value === undefined || !terminated) {
      if (strict) failed = true;
      return whole;
    }
    return value;
  });
  if (strict && (failed || /&(?![A-Za-z#])/.test(raw.replace(/&(#x[0-9a-fA-F]+|#\d+|[A-Za-z]+);/g, "")))) return null;
  return out;
}

function safeCodePoint(n: number) {
  if (!Number.isFinite(n) || n <= 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return undefined;
  return String.fromCodePoint(n);
}

function parseAttributes(source: string, strict: boolean): Record<string, string> | null {
  const attributes: Record<string, string> = {};
  const pattern = /([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
  for (const match of source.matchAll(pattern)) {
    const name = match[1];
    if (name === "xmlns" || name.startsWith("xmlns:")) continue;
    const value = decodeEntities(match[3] ?? match[4] ?? "", strict);
    if (value === null) return null;
    attributes[localName(name)] = value;
  }
  // In XML anything but attributes and blanks inside a tag is an error; SGML files are read leniently.
  if (strict && source.replace(pattern, "").trim() !== "") return null;
  return attributes;
}

/**
 * Reads `source` into a tree. `sgml`: an element that received text and is followed by another tag before its
 * closing tag is a leaf closed there (OFX 1.x); names are compared upper-cased. Otherwise strict XML: one root,
 * every element closed in order.
 */
export function readMarkup(source: string, mode: "xml" | "sgml"): MarkupResult {
  const strict = mode === "xml";
  const norm = (name: string) => (strict ? localName(name) : localName(name).toUpperCase());
  const stack: (MarkupElement & { raw: string[]; hasText: boolean })[] = [];
  const roots: MarkupElement[] = [];
  let count = 0;
  let i = 0;
  const fail = (problem: MarkupProblem["problem"], detail: string): MarkupResult => ({ ok: false, problem, detail });

  const closeTop = () => {
    const done = stack.pop()!;
    done.text = done.raw.join("").trim();
    const { raw: _raw, hasText: _hasText, ...element } = done;
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else roots.push(element);
    return element;
  };
  // SGML: a leaf's end tag is left out. A name the file never closes is a leaf; so is an element that received text
  // and no child (a leaf some files close and others do not).
  const closedNames = strict
    ? new Set<string>()
    : new Set([...source.matchAll(/<\/\s*([A-Za-z_][\w.:-]*)\s*>/g)].map((m) => norm(m[1])));
  const isOpenLeaf = (e: { name: string; hasText: boolean; children: unknown[] }) =>
    !strict && e.children.length === 0 && (e.hasText || !closedNames.has(e.name));

  while (i < source.length) {
    const lt = source.indexOf("<", i);
    const textEnd = lt === -1 ? source.length : lt;
    if (textEnd > i) {
      const raw = source.slice(i, textEnd);
      const top = stack[stack.length - 1];
      if (raw.trim() !== "") {
        if (!top) {
          if (strict) return fail("malformed", "du texte hors de l'élément racine");
        } else {
          const text = decodeEntities(raw, strict);
          if (text === null) return fail("malformed", `une entité inconnue dans <${top.name}>`);
          top.raw.push(text);
          top.hasText = true;
        }
      } else if (top) {
        top.raw.push(raw);
      }
    }
    if (lt === -1) break;
    i = lt;
    if (source.startsWith("<!--", i)) {
      const end = source.indexOf("-->", i + 4);
      if (end === -1) return fail("truncated", "un commentaire non fermé");
      i = end + 3;
      continue;
    }
    if (source.startsWith("<![CDATA[", i)) {
      const end = source.indexOf("]]>", i + 9);
      if (end === -1) return fail("truncated", "une section CDATA non fermée");
      const top = stack[stack.length - 1];
      if (!top) return fail("malformed", "une section CDATA hors de l'élément racine");
      top.raw.push(source.slice(i + 9, end));
      top.hasText = true;
      i = end + 3;
      continue;
    }
    if (source.startsWith("<?", i)) {
      const end = source.indexOf("?>", i + 2);
      if (end === -1) return fail("truncated", "une instruction de traitement non fermée");
      i = end + 2;
      continue;
    }
    if (source.startsWith("<!", i)) return fail("unsupported", "une déclaration de type de document (DOCTYPE)");
    const gt = source.indexOf(">", i + 1);
    if (gt === -1) return fail("truncated", "une balise coupée");
    const inner = source.slice(i + 1, gt);
    i = gt + 1;

    if (inner.startsWith("/")) {
      const name = norm(inner.slice(1).trim());
      if (!NAME.test(name)) return fail("malformed", `une balise fermante illisible « <${inner}> »`);
      if (strict) {
        const top = stack[stack.length - 1];
        if (!top || top.name !== name) return fail("malformed", `</${name}> ne ferme pas l'élément ouvert`);
        closeTop();
      } else {
        if (!stack.some((e) => e.name === name)) return fail("malformed", `</${name}> ne ferme aucun élément ouvert`);
        while (stack[stack.length - 1].name !== name) {
          if (!isOpenLeaf(stack[stack.length - 1])) {
            return fail("malformed", `<${stack[stack.length - 1].name}> n'est pas fermé avant </${name}>`);
          }
          closeTop();
        }
        closeTop();
      }
      if (strict && stack.length === 0 && roots.length > 1) return fail("malformed", "plusieurs éléments racines");
      continue;
    }

    const selfClosing = inner.endsWith("/");
    const body = (selfClosing ? inner.slice(0, -1) : inner).trim();
    const space = body.search(/\s/);
    const qualified = space === -1 ? body : body.slice(0, space);
    if (!NAME.test(qualified)) return fail("malformed", `une balise illisible « <${inner.slice(0, 40)}> »`);
    const attributes = parseAttributes(space === -1 ? "" : body.slice(space + 1), strict);
    if (!attributes) return fail("malformed", `des attributs illisibles dans <${qualified}>`);
    if (strict && stack.length === 0 && roots.length > 0) return fail("malformed", "plusieurs éléments racines");
    // A new tag closes the SGML leaf before it.
    while (stack.length && isOpenLeaf(stack[stack.length - 1])) closeTop();
    if (++count > MAX_ELEMENTS) return fail("unsupported", "un fichier trop volumineux");
    if (stack.length >= MAX_DEPTH) return fail("malformed", "des éléments imbriqués trop profondément");
    stack.push({ name: norm(qualified), attributes, children: [], text: "", raw: [], hasText: false });
    if (selfClosing) closeTop();
  }

  while (stack.length && isOpenLeaf(stack[stack.length - 1])) closeTop();
  if (stack.length) return fail("truncated", `<${stack[stack.length - 1].name}> n'est jamais fermé`);
  if (roots.length !== 1) return fail(roots.length ? "malformed" : "truncated", "aucun élément racine unique");
  return { ok: true, root: roots[0] };
}

/** The first child named `name` (a path "A/B/C" walks down), or undefined. */
export function child(element: MarkupElement | undefined, path: string): MarkupElement | undefined {
  let current = element;
  for (const step of path.split("/")) {
    current = current?.children.find((c) => c.name === step);
    if (!current) return undefined;
  }
  return current;
}

/** Every child named `name` (a path walks down through the first match of each step but the last). */
export function childrenOf(element: MarkupElement | undefined, path: string): MarkupElement[] {
  const steps = path.split("/");
  const last = steps.pop()!;
  const parent = steps.length ? child(element, steps.join("/")) : element;
  return parent ? parent.children.filter((c) => c.name === last) : [];
}

/** The trimmed text at `path`, or null when missing or empty. */
export function textAt(element: MarkupElement | undefined, path: string): string | null {
  const text = child(element, path)?.text.trim();
  return text ? text : null;
}

/** Every descendant named `name`, depth first. */
export function descendants(element: MarkupElement, name: string): MarkupElement[] {
  const found: MarkupElement[] = [];
  const walk = (e: MarkupElement) => {
    for (const c of e.children) {
      if (c.name === name) found.push(c);
      walk(c);
    }
  };
  walk(element);
  return found;
}
