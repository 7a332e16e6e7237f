import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createSession } from "~/domain/identity/index.server";
import { db } from "~/utils/db.server";
import { sessionStorage } from "~/utils/session.server";

/** Empties every table but the migrations' record, so each test file starts from a known state. */
export async function resetDatabase() {
  const tables = await db.$queryRaw<{ tablename: string }[]>`
    SELECT tablename::text AS tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
  if (tables.length) {
    await db.$executeRawUnsafe(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(", ")} CASCADE`);
  }
}

export async function sessionCookie(personId: string) {
  const record = await createSession(db, personId, new Date());
  const session = await sessionStorage().getSession();
  session.set("sessionId", record.id);
  const setCookie = await sessionStorage().commitSession(session);
  return setCookie.split(";")[0];
}

type RequestOptions = { cookie?: string; form?: Record<string, string>; body?: string; headers?: Record<string, string>; ip?: string };

export function makeRequest(path: string, options: RequestOptions = {}) {
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set("Cookie", options.cookie);
  let body: string | undefined = options.body;
  if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  if (body !== undefined) headers.set("Content-Length", String(Buffer.byteLength(body)));
  return new Request(`http://localhost${path}`, { method: body === undefined ? "GET" : "POST", headers, body });
}

/** Calls a route's loader or action like Remix does, turning a thrown Response into the returned one. */
export async function callRoute(
  fn: (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown,
  request: Request,
  params: Record<string, string> = {},
  ip = "203.0.113.10",
): Promise<Response> {
  try {
    const result = await fn({ request, params, context: { clientIp: ip, cspNonce: "" } });
    if (result instanceof Response) return result;
    return Response.json(result);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** The French messages of a conform reply, by field ("" for the form's own errors). */
export async function errorsOf(response: Response): Promise<Record<string, string[]>> {
  const body = (await response.clone().json()) as { error?: Record<string, string[] | null>; message?: string };
  if (body.message) return { "": [body.message] };
  return Object.fromEntries(Object.entries(body.error ?? {}).map(([k, v]) => [k, v ?? []]));
}
