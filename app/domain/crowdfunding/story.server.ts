import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

// A campaign's story and news are written by staff in Markdown and shown as rich text. Rendered on the server
// (marked: fast, no dependency, CommonMark + GFM) and then cleaned by an allow-list (sanitize-html): whatever the
// Markdown holds — raw HTML, a `javascript:` link, an event handler, an inline style — only these tags and
// attributes reach the page. The page gets the clean HTML from its loader: the browser downloads no Markdown code.

const marked = new Marked({ gfm: true, breaks: false, async: false });

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: [
    "h2",
    "h3",
    "h4",
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "del",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  allowedAttributes: { a: ["href", "title", "rel"], img: ["src", "alt", "title"], th: ["align"], td: ["align"] },
  // Links to the web or an address; images only from the site itself (public/ or staff uploads): the CSP allows
  // no other origin for images, and a third-party image would tell that site who reads the page.
  allowedSchemes: ["https", "http", "mailto"],
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  // A story's own "# Title" would compete with the page's h1: it becomes a section title.
  transformTags: {
    h1: "h2",
    a: (tagName, attribs) => ({
      tagName,
      attribs: /^https?:/i.test(attribs.href ?? "") ? { ...attribs, rel: "noopener noreferrer" } : attribs,
    }),
  },
  // An image whose address was refused is dropped whole rather than left empty.
  exclusiveFilter: (frame) => frame.tag === "img" && !frame.attribs.src,
  disallowedTagsMode: "discard",
};

/** Staff's Markdown → HTML safe to put in the page as is. */
export function renderRichText(markdown: string): string {
  const html = marked.parse(markdown) as string;
  return sanitizeHtml(html, ALLOWED);
}
