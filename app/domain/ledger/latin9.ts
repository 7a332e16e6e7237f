// ISO 8859-15 ("Latin-9"), the character set the FEC uses (decision 005). Node has no 8859-15 codec, but the
// set is ISO 8859-1 (Buffer "latin1") except for eight code points, so an explicit table over latin1 suffices:
//
//   byte  8859-1  8859-15        byte  8859-1  8859-15
//   0xA4    ¤       €            0xB8    ¸       ž
//   0xA6    ¦       Š            0xBC    ¼       Œ
//   0xA8    ¨       š            0xBD    ½       œ
//   0xB4    ´       Ž            0xBE    ¾       Ÿ
//
// Characters that 8859-15 cannot hold are first transliterated when French typography has an obvious plain
// equivalent (’ → ', « — » → -, … → ..., narrow no-break space → space) and otherwise replaced by "?", visibly,
// rather than dropped.

const LATIN9_ONLY: Readonly<Record<string, number>> = {
  "€": 0xa4,
  Š: 0xa6,
  š: 0xa8,
  Ž: 0xb4,
  ž: 0xb8,
  Œ: 0xbc,
  œ: 0xbd,
  Ÿ: 0xbe,
};
const BYTE_TO_LATIN9 = new Map(Object.entries(LATIN9_ONLY).map(([ch, byte]) => [byte, ch]));

const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  "\u2018": "'",
  "\u2019": "'",
  "\u201a": "'",
  "\u2032": "'",
  "´": "'",
  "\u201c": '"',
  "\u201d": '"',
  "\u201e": '"',
  "\u2033": '"',
  "¨": '"',
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2013": "-",
  "\u2014": "-",
  "\u2212": "-",
  "\u2026": "...",
  "\u2022": "*",
  "¤": "?",
  "¦": "|",
  "¸": ",",
  "¼": "1/4",
  "½": "1/2",
  "¾": "3/4",
  "\u202f": " ",
  "\u2009": " ",
  "\u2007": " ",
  "\u2002": " ",
  "\u2003": " ",
};

/** The replacement for a character outside ISO 8859-15, visible in the file. */
export const LATIN9_REPLACEMENT = "?";

/** Maps a string onto characters ISO 8859-15 can encode (transliterating, then replacing with "?"). */
export function toLatin9Repertoire(text: string): string {
  let out = "";
  for (const ch of text) {
    if (ch in LATIN9_ONLY) out += ch;
    else if (ch in TRANSLITERATIONS) out += TRANSLITERATIONS[ch];
    else if (ch.codePointAt(0)! <= 0xff) out += ch;
    else out += LATIN9_REPLACEMENT;
  }
  return out;
}

/** Encodes text as ISO 8859-15 bytes. */
export function encodeLatin9(text: string): Buffer {
  const safe = toLatin9Repertoire(text);
  const bytes = Buffer.allocUnsafe(safe.length);
  for (let i = 0; i < safe.length; i++) {
    const ch = safe[i];
    bytes[i] = LATIN9_ONLY[ch] ?? ch.charCodeAt(0);
  }
  return bytes;
}

/** Decodes ISO 8859-15 bytes (tests read the FEC back with it). */
export function decodeLatin9(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += BYTE_TO_LATIN9.get(byte) ?? String.fromCharCode(byte);
  return out;
}
