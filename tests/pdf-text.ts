import { inflateSync } from "node:zlib";

// Reads back the text a pdfkit file draws, enough for tests: every content stream (inflated when compressed),
// every string shown by Tj / TJ, decoded from the standard fonts' WinAnsi encoding. Strings of one TJ array
// (pdfkit splits words for kerning) are joined; each text-showing operator gives one item.
// Node's TextDecoder("windows-1252") decodes as ISO-8859-1 (C1 controls for 0x80-0x9F), so map that range here.
const WIN_ANSI_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";
const winAnsi = {
  decode: (bytes: Buffer) =>
    [...bytes].map((b) => (b >= 0x80 && b <= 0x9f ? WIN_ANSI_HIGH[b - 0x80] : String.fromCharCode(b))).join(""),
};

export function pdfStreams(pdf: Buffer): Buffer[] {
  const streams: Buffer[] = [];
  let at = 0;
  for (;;) {
    const start = pdf.indexOf("stream", at, "latin1");
    if (start < 0) break;
    const dictStart = pdf.lastIndexOf("<<", start, "latin1");
    const dict = pdf.subarray(dictStart, start).toString("latin1");
    let bodyStart = start + "stream".length;
    if (pdf[bodyStart] === 0x0d) bodyStart++;
    if (pdf[bodyStart] === 0x0a) bodyStart++;
    const end = pdf.indexOf("endstream", bodyStart, "latin1");
    if (end < 0) break;
    const length = /\/Length (\d+)/.exec(dict);
    const body = pdf.subarray(bodyStart, length ? bodyStart + Number(length[1]) : end);
    streams.push(dict.includes("/FlateDecode") ? inflateSync(body) : body);
    at = end + "endstream".length;
  }
  return streams;
}

const hexString = (hex: string) => {
  const clean = hex.replace(/\s+/g, "");
  return winAnsi.decode(Buffer.from(clean.length % 2 ? `${clean}0` : clean, "hex"));
};

/** The text items of each content stream (pdfkit writes one per page, in page order). */
export function pdfTextPages(pdf: Buffer): string[][] {
  return pdfStreams(pdf)
    .map((stream) => textItems(stream.toString("latin1")))
    .filter((items) => items.length > 0);
}

export const pdfTextItems = (pdf: Buffer) => pdfTextPages(pdf).flat();

function textItems(content: string): string[] {
  const items: string[] = [];
  for (const m of content.matchAll(/\[((?:<[0-9a-fA-F\s]*>|[-\d.\s])*)\]\s*TJ|<([0-9a-fA-F\s]*)>\s*Tj/g)) {
    if (m[1] !== undefined) items.push([...m[1].matchAll(/<([0-9a-fA-F\s]*)>/g)].map((s) => hexString(s[1])).join(""));
    else items.push(hexString(m[2]));
  }
  return items;
}

/** All the text of the PDF, items separated by a newline. */
export const pdfText = (pdf: Buffer) => pdfTextItems(pdf).join("\n");
