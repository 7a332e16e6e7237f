import { json } from "@remix-run/node";
import { text, z } from "./validation";

// Small helpers so every route answers bad input the same way: a status and a French message, never a 500.
export const FORM_MAX_BYTES = 64 * 1024;

export function httpError(status: number, message: string): never {
  throw json({ message }, { status });
}

/** Reads a form body, refusing an oversized one with 413 before it is parsed. */
export async function readForm(request: Request, maxBytes = FORM_MAX_BYTES): Promise<FormData> {
  const tooLarge = () => httpError(413, "Le formulaire envoyé est trop volumineux.");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) tooLarge();
  const body = await request.arrayBuffer();
  if (body.byteLength > maxBytes) tooLarge();
  const contentType = request.headers.get("content-type") ?? "application/x-www-form-urlencoded";
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    return httpError(400, "Le formulaire envoyé est illisible.");
  }
  if (!conformFieldsReadable(form)) httpError(400, "Le formulaire envoyé est illisible.");
  return form;
}

// Conform reads two reserved fields as JSON (its list and reset buttons send them) and throws on anything else;
// it also builds arrays from indexed names ("lines[2].account"). Forged, the first would turn any action into a
// 500, and an index of a billion would have the schema walk a billion-long array.
const CONFORM_INTENT = "__intent__";
const CONFORM_STATE = "__state__";
const MAX_LIST_INDEX = 999;
const HUGE_INDEX = /\[\d{4,}\]/;

const listIndex = z.number().int().min(0).max(MAX_LIST_INDEX);
const fieldName = text()
  .max(200)
  .refine((name) => !HUGE_INDEX.test(name));
const ConformIntent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("validate"), payload: z.object({ name: fieldName.optional() }) }),
  z.object({
    type: z.literal("update"),
    payload: z.object({
      name: fieldName.optional(),
      index: listIndex.optional(),
      value: z.unknown().optional(),
      validated: z.boolean().optional(),
    }),
  }),
  z.object({
    type: z.literal("reset"),
    payload: z.object({ name: fieldName.optional(), index: listIndex.optional() }),
  }),
  z.object({
    type: z.literal("insert"),
    payload: z.object({ name: fieldName, index: listIndex.optional(), defaultValue: z.unknown().optional() }),
  }),
  z.object({ type: z.literal("remove"), payload: z.object({ name: fieldName, index: listIndex }) }),
  z.object({ type: z.literal("reorder"), payload: z.object({ name: fieldName, from: listIndex, to: listIndex }) }),
]);

function conformFieldsReadable(form: FormData) {
  for (const name of form.keys()) if (HUGE_INDEX.test(name)) return false;
  const intent = form.get(CONFORM_INTENT);
  const state = form.get(CONFORM_STATE);
  if (intent instanceof File || state instanceof File) return false;
  try {
    if (intent !== null && !ConformIntent.safeParse(JSON.parse(intent)).success) return false;
    if (state !== null) JSON.parse(state);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `work` and answers no sooner than `ms` after the start: forms whose answer must not tell, by its timing,
 * which branch ran (an address with or without an account) pad the faster branch up to a common floor.
 */
export async function noSoonerThan<T>(ms: number, work: () => Promise<T>): Promise<T> {
  const [value] = await Promise.all([work(), new Promise((resolve) => setTimeout(resolve, ms))]);
  return value;
}

/** The client address, given by the HTTP server through the load context (tests pass their own). */
export function clientIp(context: unknown): string {
  const ip = (context as { clientIp?: string } | undefined)?.clientIp;
  return ip && ip.length > 0 ? ip : "unknown";
}
