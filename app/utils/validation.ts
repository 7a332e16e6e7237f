import { z } from "zod";
import { isIsoDate, type IsoDate } from "~/domain/ledger/dates";

// French messages for every rule we do not word ourselves; the fields below carry their own wording.
z.config(z.locales.fr());

export { z };

const required = (message: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined || issue.input === "" ? message : undefined),
});

// Control characters are never typed: a NUL byte pasted or forged into a field would reach PostgreSQL (error
// 22021). Every form string goes through these two types, which refuse them with a field-level message.
/* eslint-disable no-control-regex -- control characters are what these refuse */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const ONE_LINE = /^[^\u0000-\u001f\u007f]*$/;
const SEVERAL_LINES = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
/* eslint-enable no-control-regex */
export const CONTROL_CHARACTERS_MESSAGE =
  "Ce champ contient des caractères invisibles non autorisés (caractères de contrôle).";

/** For text read outside a form schema (a URL, a CSV cell): whether it holds a control character. */
export const hasControlCharacter = (value: string) => CONTROL_CHARACTER.test(value);

type StringParams = Parameters<typeof z.string>[0];

/** The string of every form field: one line, without control characters. */
export const text = (params?: StringParams) => z.string(params).regex(ONE_LINE, { error: CONTROL_CHARACTERS_MESSAGE });

/** A textarea's text: line breaks and tabs allowed, other control characters refused. */
export const multilineText = (params?: StringParams) =>
  z.string(params).regex(SEVERAL_LINES, { error: CONTROL_CHARACTERS_MESSAGE });

const isDay = (value: unknown): value is IsoDate => typeof value === "string" && isIsoDate(value);
export const INVALID_DAY_MESSAGE = "Indiquez une date valide (jj/mm/aaaa).";

/** A calendar day from a date input ("2027-03-31"): a real day or a field error, and an `IsoDate` from there on. */
export const dayField = (missing: string, invalid = INVALID_DAY_MESSAGE) =>
  text({ error: missing })
    .trim()
    .pipe(z.custom<IsoDate>(isDay, { error: invalid }));

/** A day read from a filter (GET): anything unreadable is no filter rather than an error. */
export const optionalDayFilter = () => text().trim().pipe(z.custom<IsoDate>(isDay)).optional().catch(undefined);

export const emailField = text(required("Indiquez votre adresse email."))
  .trim()
  .max(254, { error: "Cette adresse email est trop longue." })
  .pipe(z.email({ error: "Cette adresse email n'est pas valide." }))
  .transform((v) => v.toLowerCase());

export const PASSWORD_MIN_LENGTH = 12;

export const newPasswordField = text(required("Choisissez un mot de passe."))
  .min(PASSWORD_MIN_LENGTH, { error: `Le mot de passe doit compter au moins ${PASSWORD_MIN_LENGTH} caractères.` })
  .max(200, { error: "Le mot de passe ne peut pas dépasser 200 caractères." });

/**
 * A password typed to log in: hashed and compared, never stored nor sent to the database, so it takes any
 * character — one chosen before control characters were refused must still open its account.
 */
export const currentPasswordField = z
  .string({ error: "Indiquez votre mot de passe." })
  .max(200, { error: "Le mot de passe ne dépasse pas 200 caractères." });

export const personNameField = text(required("Indiquez votre nom."))
  .trim()
  .min(2, { error: "Le nom doit compter au moins 2 caractères." })
  .max(120, { error: "Le nom ne peut pas dépasser 120 caractères." });

export const optionalText = (max: number, label: string, options: { multiline?: boolean } = {}) =>
  (options.multiline ? multilineText() : text())
    .trim()
    .max(max, { error: `${label} ne peut pas dépasser ${max} caractères.` })
    .optional();

// Any origin will do as a base: only whether a path stays on it matters.
const REDIRECT_BASE = "http://terrain-commun.invalid";

/**
 * A same-origin path to go back to after logging in; anything else falls back to "/compte". The value is parsed
 * as a browser would resolve it and re-serialised, so a tab, a backslash, "//", "/./" or an encoded variant can
 * never turn into another site's address, and the result is plain ASCII that a Location header accepts.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/compte") {
  if (typeof to !== "string" || !to.startsWith("/") || to.length > 2000 || to.includes("\\") || hasControlCharacter(to))
    return fallback;
  let url: URL;
  try {
    url = new URL(to, REDIRECT_BASE);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can collapse "/.//x" into "//x", which a browser reads as another host.
  if (url.origin !== REDIRECT_BASE || !path.startsWith("/") || path.startsWith("//")) return fallback;
  return path;
}
