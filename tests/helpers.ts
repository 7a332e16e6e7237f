import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createSession } from "~/domain/identity/index.server";
import { db } from "~/utils/db.server";
import { sessionStorage } from "~/utils/session.server";
import { createPerson } from "./factories";

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

type RequestOptions = {
  cookie?: string;
  form?: Record<string, string>;
  body?: string;
  headers?: Record<string, string>;
  ip?: string;
  origin?: string;
};

export function makeRequest(path: string, options: RequestOptions = {}) {
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set("Cookie", options.cookie);
  let body: string | undefined = options.body;
  if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  if (body !== undefined) headers.set("Content-Length", String(Buffer.byteLength(body)));
  return new Request(`${options.origin ?? "http://localhost"}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers,
    body,
  });
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

/** The cookies a response sets, as one "name=value" pair each, ready for a Cookie header. */
export function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((c) => c.split(";")[0]);
}

/** The French messages of a conform reply, by field ("" for the form's own errors). */
export async function errorsOf(response: Response): Promise<Record<string, string[]>> {
  const body = (await response.clone().json()) as { error?: Record<string, string[] | null>; message?: string };
  if (body.message) return { "": [body.message] };
  return Object.fromEntries(Object.entries(body.error ?? {}).map(([k, v]) => [k, v ?? []]));
}

export type Role = "ADMIN" | "STAFF" | "MEMBER" | "USER";
export type Handler = Parameters<typeof callRoute>[0];

/** One person per role on the pole ("Équipe STAFF"…), their session cookies put in `cookies`; returns the staff's id. */
export async function logInEveryRole(poleId: string, cookies: Record<Role, string>) {
  let staffId = "";
  for (const role of ["ADMIN", "STAFF", "MEMBER", "USER"] as const) {
    const person = await createPerson(db, { poleId, role, name: `Équipe ${role}` });
    if (role === "STAFF") staffId = person.id;
    cookies[role] = await sessionCookie(person.id);
  }
  return staffId;
}

/** GET and form POST to a route as one of the roles (staff unless told), like the back-office tests act. */
export function routeCallers(cookies: Record<Role, string>) {
  return {
    get: (handler: Handler, path: string, role: Role | null = "STAFF", params: Record<string, string> = {}) =>
      callRoute(handler, makeRequest(path, { cookie: role ? cookies[role] : undefined }), params),
    post: (
      handler: Handler,
      path: string,
      form: Record<string, string>,
      params: Record<string, string> = {},
      role: Role = "STAFF",
    ) => callRoute(handler, makeRequest(path, { cookie: cookies[role], form }), params),
  };
}

export const json = async <T = Record<string, unknown>>(response: Response) => (await response.json()) as T;

/** An instant on the day after a fiscal year's last day: the earliest a closing may happen. */
export const dayAfter = (endDate: Date | string) => new Date(new Date(endDate).getTime() + 36 * 3_600_000);
