import { json } from "@remix-run/node";

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
  try {
    return await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    return httpError(400, "Le formulaire envoyé est illisible.");
  }
}

/** The client address, given by the HTTP server through the load context (tests pass their own). */
export function clientIp(context: unknown): string {
  const ip = (context as { clientIp?: string } | undefined)?.clientIp;
  return ip && ip.length > 0 ? ip : "unknown";
}
