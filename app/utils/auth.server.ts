import { redirect } from "@remix-run/node";
import { createSession, deleteSession, findSessionPerson } from "~/domain/identity/index.server";
import { inTransaction, db } from "./db.server";
import { getPole } from "./pole.server";
import { requestMemo } from "./request-scope.server";
import { secureCookies, sessionStorage } from "./session.server";

async function readSessionId(request: Request) {
  const session = await sessionStorage().getSession(request.headers.get("Cookie"));
  const id = session.get("sessionId");
  return { session, id: typeof id === "string" ? id : null };
}

export function loginRedirect(request: Request) {
  const url = new URL(request.url);
  return redirect(`/connexion?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

type Viewer = Awaited<ReturnType<typeof loadViewer>>;
// Outside the HTTP server (tests calling a loader), the same Request object shares one lookup.
const viewers = new WeakMap<Request, Promise<Viewer>>();

/**
 * Who is asking, in which pole: the person and their membership are null for a visitor. Looked up once per HTTP
 * request, however many loaders ask (the root's, the layout's, the page's).
 */
export function getViewer(request: Request): Promise<Viewer> {
  // Keyed by method too: the loaders that run after an action (a GET of their own) see what the action changed.
  const scoped = requestMemo(`viewer:${request.method}:${request.headers.get("Cookie") ?? ""}`, () =>
    loadViewer(request),
  );
  if (scoped) return scoped;
  let viewer = viewers.get(request);
  if (!viewer) {
    viewer = loadViewer(request);
    viewers.set(request, viewer);
  }
  return viewer;
}

async function loadViewer(request: Request) {
  const pole = await getPole();
  const { id } = await readSessionId(request);
  const person = id ? await findSessionPerson(db, id, new Date()) : null;
  const membership = person
    ? await db.membership.findUnique({
        where: { poleId_personId: { poleId: pole.id, personId: person.id } },
        include: { organisation: { select: { id: true, name: true, isMember: true } } },
      })
    : null;
  return { pole, person, membership };
}

export async function requirePerson(request: Request) {
  const viewer = await getViewer(request);
  if (!viewer.person || !viewer.membership) throw loginRedirect(request);
  return { pole: viewer.pole, person: viewer.person, membership: viewer.membership };
}

/**
 * Opens a session for the person and sends them on with the signed cookie. The browser's previous session, if
 * any, ends here; `setCookies` are other cookies to set on the way (the known-device cookie of a login).
 */
export async function startSession(request: Request, personId: string, redirectTo: string, setCookies: string[] = []) {
  const { id: previous } = await readSessionId(request);
  const record = await inTransaction(db, (tx) => createSession(tx, personId, new Date(), previous));
  const session = await sessionStorage().getSession();
  session.set("sessionId", record.id);
  const headers = new Headers();
  headers.append(
    "Set-Cookie",
    await sessionStorage().commitSession(session, { expires: record.expiresAt, secure: secureCookies(request) }),
  );
  for (const cookie of setCookies) headers.append("Set-Cookie", cookie);
  return redirect(redirectTo, { headers });
}

export async function endSession(request: Request, redirectTo = "/") {
  const { session, id } = await readSessionId(request);
  if (id) await deleteSession(db, id);
  return redirect(redirectTo, {
    headers: { "Set-Cookie": await sessionStorage().destroySession(session, { secure: secureCookies(request) }) },
  });
}
