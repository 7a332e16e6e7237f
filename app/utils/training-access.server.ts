import { json } from "@remix-run/node";
import { isSessionTrainer } from "~/domain/training/index.server";
import { getViewer, loginRedirect } from "./auth.server";
import { db } from "./db.server";
import { can } from "./permissions.server";

// Who may see and mark a training session's attendance (decision 020): staff holding `training:manage`, or a
// trainer of that session — usually a plain user of the pole, so the check is the session's own trainer list, on
// the server, in every loader and action of those pages. Everyone else gets a 403 (a session that does not exist,
// a 404).

/** The back-office pages a trainer may open: a session's attendance page and its sheet. */
const TRAINER_PAGES = /^\/gestion\/formations\/sessions\/[^/]+\/(presences|emargement\.pdf)\/?$/;

export const isTrainerPage = (request: Request) => TRAINER_PAGES.test(new URL(request.url).pathname);

/** Staff, or a trainer of the session; otherwise a redirect to log in, a 403 or a 404. */
export async function requireSessionAccess(request: Request, sessionId: string | undefined) {
  const viewer = await getViewer(request);
  if (!viewer.person || !viewer.membership) throw loginRedirect(request);
  const staff = can(viewer.membership.role, "training:manage");
  const session = sessionId
    ? await db.trainingSession.findFirst({ where: { id: sessionId, poleId: viewer.pole.id }, select: { id: true } })
    : null;
  if (!session) throw json({ message: "Cette session n'existe pas." }, { status: 404 });
  if (!staff && !(await isSessionTrainer(db, { sessionId: session.id, personId: viewer.person.id })))
    throw json(
      { message: "Cette page est réservée à l'équipe du pôle et aux formateurs de cette session." },
      { status: 403 },
    );
  return {
    pole: viewer.pole,
    person: viewer.person,
    sessionId: session.id,
    staff,
    actor: { personId: viewer.person.id, staff },
  };
}

/** Whether the viewer trains the session named in the page's address (the back office's layout lets them in). */
export async function trainsSessionOf(request: Request, sessionId: string | undefined, personId: string) {
  if (!sessionId || !isTrainerPage(request)) return false;
  return isSessionTrainer(db, { sessionId, personId });
}
